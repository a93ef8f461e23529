/* board_load.c — reads one profile (boards/NAME.ini) with libinih and checks every key against
 * the schema table below. Problems become "file:line: message" diagnostics; a file with any
 * problem is not added to the set. The format is documented in docs/board-format.md. */
#include "engine/board_priv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "engine/rule_parse.h"

#define FORMAT_VERSION 1
#define MAX_DIAGS 200        /* per load; a wrong file must not flood the screen */
#define MAX_ITEMS 4096       /* sections of one kind per file */
#define MAX_TEXT 2000        /* bytes of one text value, continuation lines included */
#define MAX_LIST 64          /* items of one list */

/* ---- the schema ------------------------------------------------------------------------ */

enum sect_kind {
	S_TOP, S_BOARD, S_COMMON, S_VARIANT, S_PRIORS, S_HYP, S_RULE, S_TEST, S_OUTCOME,
	S_SYMPTOM, S_CURRENT, S_NKINDS
};

enum val_type {
	V_TEXT,   /* free text; indented continuation lines append */
	V_ID,     /* [a-z0-9_] */
	V_LIST,   /* comma-separated tags: [a-z0-9_:*] */
	V_NUM,    /* decimal number within [lo, hi] */
	V_HEX,    /* unsigned number, 0x... or decimal, within [lo, hi] */
	V_ENUM,   /* one of `choices` */
	V_BOOL,   /* yes|no */
	V_WHEN,   /* predicate list, see rule_parse.h */
	V_STEP,   /* repeatable text: each key is one more step */
	V_PRODUCT /* "iPhone9,1" */
};

struct key_spec {
	enum sect_kind kind;
	const char *key;     /* "lr.*" matches any hypothesis id after "lr." */
	enum val_type type;
	double lo, hi;
	const char *choices; /* V_ENUM: "a|b|c" */
	bool required;
};

static const char *const conf_choices = "well|single|folklore|unverified";

/* The whole format in one table: what may appear where, its type, its range, and whether it
 * must be there. Anything not listed is an error. */
static const struct key_spec schema[] = {
	{S_TOP, "format", V_NUM, 1, 1, NULL, true},

	{S_BOARD, "name", V_ID, 0, 0, NULL, true},
	{S_BOARD, "title", V_TEXT, 0, 0, NULL, true},
	{S_BOARD, "tags", V_LIST, 0, 0, NULL, false},
	{S_BOARD, "source", V_TEXT, 0, 0, NULL, true},

	{S_COMMON, "title", V_TEXT, 0, 0, NULL, true},
	{S_COMMON, "source", V_TEXT, 0, 0, NULL, false},

	{S_VARIANT, "product_type", V_PRODUCT, 0, 0, NULL, true},
	{S_VARIANT, "cpid", V_HEX, 0, 0xFFFF, NULL, true},
	{S_VARIANT, "bdid", V_HEX, 0, 0xFF, NULL, true},
	{S_VARIANT, "title", V_TEXT, 0, 0, NULL, true},
	{S_VARIANT, "tags", V_LIST, 0, 0, NULL, false},
	{S_VARIANT, "source", V_TEXT, 0, 0, NULL, true},

	{S_PRIORS, "source", V_TEXT, 0, 0, NULL, true},
	{S_PRIORS, "*", V_NUM, 0, 1, NULL, false}, /* <hypothesis> = probability */

	{S_HYP, "title", V_TEXT, 0, 0, NULL, true},
	{S_HYP, "prior", V_NUM, 0, 1, NULL, false},
	{S_HYP, "tags", V_LIST, 0, 0, NULL, false},
	{S_HYP, "source", V_TEXT, 0, 0, NULL, true},

	{S_RULE, "when", V_WHEN, 0, 0, NULL, true},
	{S_RULE, "hypothesis", V_ID, 0, 0, NULL, true},
	{S_RULE, "lr", V_NUM, 0.01, 100, NULL, true},
	{S_RULE, "confidence", V_ENUM, 0, 0, conf_choices, true},
	{S_RULE, "source", V_TEXT, 0, 0, NULL, true},
	{S_RULE, "why", V_TEXT, 0, 0, NULL, true},
	{S_RULE, "tags", V_LIST, 0, 0, NULL, false},
	{S_RULE, "group", V_ID, 0, 0, NULL, false},

	{S_TEST, "title", V_TEXT, 0, 0, NULL, true},
	{S_TEST, "cost", V_ENUM, 0, 0, "low|medium|high", true},
	{S_TEST, "minutes", V_NUM, 1, 1440, NULL, true},
	{S_TEST, "risk", V_TEXT, 0, 0, NULL, true},
	{S_TEST, "data_loss", V_BOOL, 0, 0, NULL, true},
	{S_TEST, "safety", V_TEXT, 0, 0, NULL, false},
	{S_TEST, "step", V_STEP, 0, 0, NULL, true},
	{S_TEST, "observe", V_TEXT, 0, 0, NULL, true},
	{S_TEST, "source", V_TEXT, 0, 0, NULL, true},
	{S_TEST, "tags", V_LIST, 0, 0, NULL, false},
	{S_TEST, "when", V_WHEN, 0, 0, NULL, false},

	{S_OUTCOME, "title", V_TEXT, 0, 0, NULL, true},
	{S_OUTCOME, "p", V_NUM, 0.001, 1, NULL, true},
	{S_OUTCOME, "lr.*", V_NUM, 0.01, 100, NULL, false},
	{S_OUTCOME, "confidence", V_ENUM, 0, 0, conf_choices, true},
	{S_OUTCOME, "source", V_TEXT, 0, 0, NULL, true},

	{S_SYMPTOM, "title", V_TEXT, 0, 0, NULL, true},
	{S_SYMPTOM, "source", V_TEXT, 0, 0, NULL, true},

	{S_CURRENT, "typical_ma", V_NUM, 0, 20000, NULL, false},
	{S_CURRENT, "min_ma", V_NUM, 0, 20000, NULL, false},
	{S_CURRENT, "max_ma", V_NUM, 0, 20000, NULL, false},
	{S_CURRENT, "note", V_TEXT, 0, 0, NULL, false},
	{S_CURRENT, "confidence", V_ENUM, 0, 0, conf_choices, true},
	{S_CURRENT, "source", V_TEXT, 0, 0, NULL, true},
};

/* Largest likelihood ratio (or smallest, as 1/x) a rule of each confidence may carry:
 * weights are not facts, so weak facts may only nudge (docs/board-format.md). */
static const double conf_lr_cap[] = {10.0, 3.0, 1.5, 1.0};

static const struct {
	const char *prefix; /* "rule." */
	enum sect_kind kind;
	int parts;          /* dotted parts after the prefix */
} sect_prefixes[] = {
	{"variant.", S_VARIANT, 1}, {"hypothesis.", S_HYP, 1}, {"rule.", S_RULE, 1},
	{"test.", S_TEST, 1},       {"outcome.", S_OUTCOME, 2}, {"symptom.", S_SYMPTOM, 1},
	{"current.", S_CURRENT, 1},
};

/* ---- load state ------------------------------------------------------------------------ */

struct seen_key {
	char *key;
	long line;
};

struct load {
	const char *path;
	struct bt_board_diags *diags;
	int nerr;
	long lineno;          /* physical line the reader last returned */
	bool continuation;    /* that line began with white space */
	bool long_line;       /* that line was cut at inih's line limit */
	long header_line;     /* line of the last [section] header read */
	bool new_header;      /* a header was read since the current section started */
	/* input */
	FILE *fp;
	const char *str;
	size_t str_pos, str_len;
	/* current section */
	char *sect;
	enum sect_kind kind;
	long sect_line;
	bool sect_bad;        /* unknown section: its keys are not reported again */
	void *item;           /* the struct being filled */
	struct seen_key *keys;
	size_t nkeys;
	char *last_key;       /* for continuation lines */
	char **sections;      /* every section seen, to catch duplicates */
	long *section_lines;
	size_t nsections;
	bool has_format, has_identity;
	struct bt_board *b;
	const struct bt_boards *set; /* hypotheses already known */
};

static void diag(struct load *ld, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diag(struct load *ld, long line, const char *fmt, ...)
{
	ld->nerr++;
	if (!ld->diags || ld->diags->count >= MAX_DIAGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ld->diags->msgs = bt_xrealloc(ld->diags->msgs, (ld->diags->count + 1) * sizeof(char *));
	if (line > 0)
		ld->diags->msgs[ld->diags->count++] = bt_xasprintf("%s:%ld: %s", ld->path, line, msg);
	else
		ld->diags->msgs[ld->diags->count++] = bt_xasprintf("%s: %s", ld->path, msg);
}

/* fgets-style reader that counts physical lines, so the handler knows where it is. A line
 * longer than inih's buffer is cut and reported instead of being split into two. */
static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	size_t cap = num > 1 ? (size_t)num - 1 : 0;
	size_t n = 0;
	int c;
	bool any = false;
	ld->long_line = false;
	for (;;) {
		if (ld->fp) {
			c = getc(ld->fp);
		} else {
			c = ld->str_pos < ld->str_len ? (unsigned char)ld->str[ld->str_pos++] : EOF;
		}
		if (c == EOF)
			break;
		any = true;
		if (c == '\0')
			c = ' ';
		if (n < cap && c != '\n')
			str[n++] = (char)c;
		else if (c != '\n' && c != '\r')
			ld->long_line = true;
		if (c == '\n')
			break;
	}
	if (!any)
		return NULL;
	if (n < cap)
		str[n++] = '\n';
	str[n] = '\0';
	ld->lineno++;
	ld->continuation = (str[0] == ' ' || str[0] == '\t') && ld->lineno > 1;
	const char *first = str;
	while (*first == ' ' || *first == '\t')
		first++;
	if (*first == '[') {
		ld->header_line = ld->lineno;
		ld->new_header = true;
	}
	if (ld->long_line)
		diag(ld, ld->lineno, "line longer than %d characters; continue it on an indented line",
		     num - 4);
	return str;
}

/* ---- small helpers --------------------------------------------------------------------- */

static bool is_id(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(islower(c) || isdigit(c) || c == '_' || (extra && strchr(extra, c))))
			return false;
	}
	return true;
}

bool bt_parse_number(const char *s, double *out)
{
	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	char *end;
	errno = 0;
	double v;
	const char *p = s;
	bool neg = false;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (!isxdigit((unsigned char)p[2]))
			return false;
		unsigned long long u = strtoull(p + 2, &end, 16);
		v = (double)u;
		if (neg)
			v = -v;
	} else {
		v = strtod(s, &end);
	}
	if (errno == ERANGE || end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static char **list_split(const char *v, size_t *n, bool *ok)
{
	char **out = NULL;
	*n = 0;
	*ok = true;
	const char *p = v;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		char *item = bt_xstrndup(p, (size_t)(t - p));
		if (!is_id(item, ":*") || *n >= MAX_LIST) {
			*ok = false;
			free(item);
		} else {
			out = bt_xrealloc(out, (*n + 1) * sizeof(char *));
			out[(*n)++] = item;
		}
		p = e;
	}
	return out;
}

static void list_free(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static void text_set(char **dst, const char *v, bool append)
{
	if (append && *dst) {
		size_t have = strlen(*dst);
		if (have >= MAX_TEXT)
			return;
		char *s = bt_xasprintf("%s %s", *dst, v);
		if (strlen(s) > MAX_TEXT)
			s[MAX_TEXT] = '\0';
		free(*dst);
		*dst = s;
		return;
	}
	free(*dst);
	*dst = bt_xstrndup(v, MAX_TEXT);
}

static bool known_hyp(const struct load *ld, const char *id)
{
	static const char *const fixed[] = {"usb_link", "host",	    "firmware",	   "nand",
					    "earpiece_flex", "audio_ic", "baseband", "nfc_se",
					    "charge_port", "logic_board", "none"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(fixed[i], id))
			return true;
	for (size_t i = 0; i < ld->b->nhyps; i++)
		if (!strcmp(ld->b->hyps[i].id, id))
			return true;
	if (ld->set) {
		for (size_t i = 0; i < ld->set->common->nhyps; i++)
			if (!strcmp(ld->set->common->hyps[i].id, id))
				return true;
		for (size_t j = 0; j < ld->set->count; j++)
			for (size_t i = 0; i < ld->set->boards[j]->nhyps; i++)
				if (!strcmp(ld->set->boards[j]->hyps[i].id, id))
					return true;
	}
	return false;
}

static enum bt_confidence conf_of(const char *v)
{
	if (!strcmp(v, "well"))
		return BT_CONF_WELL;
	if (!strcmp(v, "single"))
		return BT_CONF_SINGLE;
	if (!strcmp(v, "folklore"))
		return BT_CONF_FOLKLORE;
	return BT_CONF_UNVERIFIED;
}

static char *origin_of(const struct load *ld, long line)
{
	return bt_xasprintf("%s:%ld", ld->path, line);
}

/* ---- sections -------------------------------------------------------------------------- */

#define GROW(arr, n) ((arr) = bt_xrealloc((arr), ((n) + 1) * sizeof *(arr)), \
		      memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

static struct bt_test_priv *find_test(struct bt_board *b, const char *id)
{
	for (size_t i = 0; i < b->ntests; i++)
		if (!strcmp(b->tests[i].pub.id, id))
			return &b->tests[i];
	return NULL;
}

/* Checks the keys a finished section must have; called when the next one starts. */
static void section_finish(struct load *ld)
{
	if (!ld->sect || ld->sect_bad)
		goto out;
	for (size_t i = 0; i < sizeof schema / sizeof schema[0]; i++) {
		const struct key_spec *ks = &schema[i];
		if (ks->kind != ld->kind || !ks->required)
			continue;
		bool have = false;
		for (size_t k = 0; k < ld->nkeys && !have; k++)
			have = !strcmp(ld->keys[k].key, ks->key);
		if (!have)
			diag(ld, ld->sect_line, "[%s] lacks required key '%s'", ld->sect, ks->key);
	}
	if (ld->kind == S_RULE && ld->item) {
		struct bt_rule *r = ld->item;
		if (r->has_lr && r->has_conf) {
			double cap = conf_lr_cap[r->confidence];
			if (r->confidence == BT_CONF_UNVERIFIED && r->lr != 1.0)
				diag(ld, ld->sect_line,
				     "[%s] is unverified but has lr = %g; an unverified fact carries no "
				     "weight (lr = 1)", ld->sect, r->lr);
			else if (r->lr > cap || r->lr < 1.0 / cap)
				diag(ld, ld->sect_line,
				     "[%s] lr = %g is outside what a '%s' fact may carry (%g..%g)",
				     ld->sect, r->lr, bt_confidence_name(r->confidence), 1.0 / cap, cap);
		}
	}
	if (ld->kind == S_OUTCOME && ld->item) {
		struct bt_test_outcome *o = ld->item;
		if (o->confidence == BT_CONF_UNVERIFIED)
			for (size_t i = 0; i < o->nlr; i++)
				if (o->lr[i].lr != 1.0) {
					diag(ld, ld->sect_line,
					     "[%s] is unverified but has lr.%s = %g; an unverified fact "
					     "carries no weight", ld->sect, o->lr[i].hyp, o->lr[i].lr);
					break;
				}
	}
out:
	for (size_t k = 0; k < ld->nkeys; k++)
		free(ld->keys[k].key);
	free(ld->keys);
	ld->keys = NULL;
	ld->nkeys = 0;
	free(ld->last_key);
	ld->last_key = NULL;
	free(ld->sect);
	ld->sect = NULL;
	ld->item = NULL;
}

/* Starts a section: works out its kind, refuses unknown and duplicate ones, and creates the
 * item its keys will fill. */
static void section_start(struct load *ld, const char *name)
{
	section_finish(ld);
	ld->sect = bt_xstrdup(name);
	ld->sect_line = *name && ld->header_line ? ld->header_line : ld->lineno;
	ld->sect_bad = false;
	ld->item = NULL;
	for (size_t i = 0; i < ld->nsections; i++)
		if (!strcmp(ld->sections[i], name)) {
			diag(ld, ld->sect_line, "section [%s] appears twice (first at line %ld)", name,
			     ld->section_lines[i]);
			ld->sect_bad = true;
			return;
		}
	if (ld->nsections < MAX_ITEMS * 4) {
		ld->sections = bt_xrealloc(ld->sections, (ld->nsections + 1) * sizeof(char *));
		ld->section_lines = bt_xrealloc(ld->section_lines, (ld->nsections + 1) * sizeof(long));
		ld->sections[ld->nsections] = bt_xstrdup(name);
		ld->section_lines[ld->nsections++] = ld->sect_line;
	}
	struct bt_board *b = ld->b;
	if (!*name) {
		ld->kind = S_TOP;
		return;
	}
	if (!strcmp(name, "board") || !strcmp(name, "common")) {
		ld->kind = name[0] == 'b' ? S_BOARD : S_COMMON;
		if (ld->has_identity) {
			diag(ld, ld->sect_line, "a file holds either [board] or [common], once");
			ld->sect_bad = true;
			return;
		}
		ld->has_identity = true;
		b->is_common = ld->kind == S_COMMON;
		return;
	}
	if (!strcmp(name, "priors")) {
		ld->kind = S_PRIORS;
		return;
	}
	const char *id = NULL, *id2 = NULL;
	char *tmp = NULL;
	bool found = false;
	for (size_t i = 0; i < sizeof sect_prefixes / sizeof sect_prefixes[0]; i++) {
		size_t pl = strlen(sect_prefixes[i].prefix);
		if (strncmp(name, sect_prefixes[i].prefix, pl))
			continue;
		found = true;
		ld->kind = sect_prefixes[i].kind;
		tmp = bt_xstrdup(name + pl);
		id = tmp;
		if (sect_prefixes[i].parts == 2) {
			char *dot = strchr(tmp, '.');
			if (dot) {
				*dot = '\0';
				id2 = dot + 1;
			}
		}
		break;
	}
	if (!found) {
		diag(ld, ld->sect_line, "unknown section [%s]", name);
		ld->sect_bad = true;
		return;
	}
	if (!is_id(id, NULL) || (ld->kind == S_OUTCOME && (!id2 || !is_id(id2, NULL)))) {
		diag(ld, ld->sect_line, "bad section name [%s]: ids are lower-case letters, digits and _",
		     name);
		ld->sect_bad = true;
		free(tmp);
		return;
	}
	size_t *count = NULL;
	switch (ld->kind) {
	case S_VARIANT: count = &b->nvariants; break;
	case S_HYP: count = &b->nhyps; break;
	case S_RULE: count = &b->nrules; break;
	case S_TEST: count = &b->ntests; break;
	case S_SYMPTOM: count = &b->nsymptoms; break;
	case S_CURRENT: count = &b->ncurrents; break;
	default: break;
	}
	if (count && *count >= MAX_ITEMS) {
		diag(ld, ld->sect_line, "too many sections of this kind (at most %d)", MAX_ITEMS);
		ld->sect_bad = true;
		free(tmp);
		return;
	}
	switch (ld->kind) {
	case S_VARIANT: {
		struct bt_board_variant *v = GROW(b->variants, b->nvariants);
		v->board_config = bt_xstrdup(id);
		ld->item = v;
		break;
	}
	case S_HYP: {
		struct bt_hypdef *h = GROW(b->hyps, b->nhyps);
		h->id = bt_xstrdup(id);
		h->prior = -1;
		h->origin = origin_of(ld, ld->sect_line);
		ld->item = h;
		break;
	}
	case S_RULE: {
		struct bt_rule *r = GROW(b->rules, b->nrules);
		r->id = bt_xstrdup(id);
		r->lr = 1;
		r->origin = origin_of(ld, ld->sect_line);
		ld->item = r;
		break;
	}
	case S_TEST: {
		struct bt_test_priv *t = GROW(b->tests, b->ntests);
		t->pub.id = bt_xstrdup(id);
		t->pub.origin = origin_of(ld, ld->sect_line);
		ld->item = t;
		break;
	}
	case S_OUTCOME: {
		struct bt_test_priv *t = find_test(b, id);
		if (!t) {
			diag(ld, ld->sect_line, "[%s]: no [test.%s] above it in this file", name, id);
			ld->sect_bad = true;
			break;
		}
		for (size_t i = 0; i < t->pub.noutcomes; i++)
			if (!strcmp(t->outcomes[i].id, id2)) {
				diag(ld, ld->sect_line, "[%s]: outcome declared twice", name);
				ld->sect_bad = true;
			}
		if (ld->sect_bad)
			break;
		struct bt_test_outcome *o = GROW(t->outcomes, t->pub.noutcomes);
		t->pub.outcomes = t->outcomes;
		o->id = bt_xstrdup(id2);
		o->confidence = BT_CONF_UNVERIFIED;
		ld->item = o;
		break;
	}
	case S_SYMPTOM: {
		struct bt_symptom *s = GROW(b->symptoms, b->nsymptoms);
		s->id = bt_xstrdup(id);
		ld->item = s;
		break;
	}
	case S_CURRENT: {
		struct bt_current_level *c = GROW(b->currents, b->ncurrents);
		c->stage = bt_xstrdup(id);
		c->typical_ma = c->min_ma = c->max_ma = NAN;
		c->confidence = BT_CONF_UNVERIFIED;
		ld->item = c;
		break;
	}
	default:
		break;
	}
	free(tmp);
}

/* ---- keys ------------------------------------------------------------------------------ */

static const struct key_spec *spec_for(enum sect_kind kind, const char *key)
{
	for (size_t i = 0; i < sizeof schema / sizeof schema[0]; i++) {
		const struct key_spec *ks = &schema[i];
		if (ks->kind != kind)
			continue;
		size_t kl = strlen(ks->key);
		if (!strcmp(ks->key, key))
			return ks;
		if (ks->key[kl - 1] == '*' && !strncmp(ks->key, key, kl - 1) && key[kl - 1])
			return ks;
	}
	return NULL;
}

/* Checks a value against its spec; fills *num for numbers. False (with a diagnostic) when
 * the value does not fit. */
static bool check_value(struct load *ld, const struct key_spec *ks, const char *key,
			const char *v, double *num)
{
	switch (ks->type) {
	case V_ID:
		if (!is_id(v, NULL)) {
			diag(ld, ld->lineno, "%s = '%s': expected an id (a-z, 0-9, _)", key, v);
			return false;
		}
		return true;
	case V_NUM:
	case V_HEX:
		if (!bt_parse_number(v, num)) {
			diag(ld, ld->lineno, "%s = '%s': not a number", key, v);
			return false;
		}
		if (*num < ks->lo || *num > ks->hi) {
			diag(ld, ld->lineno, "%s = %s: out of range (%g..%g)", key, v, ks->lo, ks->hi);
			return false;
		}
		if (ks->type == V_HEX && floor(*num) != *num) {
			diag(ld, ld->lineno, "%s = %s: expected a whole number", key, v);
			return false;
		}
		return true;
	case V_ENUM: {
		size_t vl = strlen(v);
		const char *c = ks->choices;
		while (*c) {
			const char *e = strchr(c, '|');
			size_t cl = e ? (size_t)(e - c) : strlen(c);
			if (cl == vl && !strncmp(c, v, cl))
				return true;
			c += cl + (e ? 1 : 0);
		}
		diag(ld, ld->lineno, "%s = '%s': expected one of %s", key, v, ks->choices);
		return false;
	}
	case V_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no")) {
			diag(ld, ld->lineno, "%s = '%s': expected yes or no", key, v);
			return false;
		}
		return true;
	case V_PRODUCT: {
		const char *p = v;
		while (isalpha((unsigned char)*p))
			p++;
		bool ok = p > v && isdigit((unsigned char)*p);
		while (isdigit((unsigned char)*p))
			p++;
		ok = ok && *p == ',' && isdigit((unsigned char)p[1]);
		if (ok) {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
			ok = !*p;
		}
		if (!ok) {
			diag(ld, ld->lineno, "%s = '%s': expected a product type such as iPhone9,1", key, v);
			return false;
		}
		return true;
	}
	default:
		if (!*v) {
			diag(ld, ld->lineno, "%s is empty", key);
			return false;
		}
		return true;
	}
}

static void set_tags(struct load *ld, const char *key, const char *v, char ***tags, size_t *n)
{
	bool ok;
	list_free(*tags, *n);
	*tags = list_split(v, n, &ok);
	if (!ok)
		diag(ld, ld->lineno, "%s = '%s': tags are lower-case ids (a-z 0-9 _ :), comma-separated",
		     key, v);
}

/* Stores a checked value into the item of the current section. */
static void apply(struct load *ld, const char *key, const char *v, double num, bool append)
{
	struct bt_board *b = ld->b;
	switch (ld->kind) {
	case S_TOP:
		b->format = (int)num;
		ld->has_format = true;
		break;
	case S_BOARD:
	case S_COMMON:
		if (!strcmp(key, "name"))
			text_set(&b->name, v, false);
		else if (!strcmp(key, "title"))
			text_set(&b->title, v, append);
		else if (!strcmp(key, "source"))
			text_set(&b->source, v, append);
		else if (!strcmp(key, "tags"))
			set_tags(ld, key, v, &b->tags, &b->ntags);
		break;
	case S_VARIANT: {
		struct bt_board_variant *var = ld->item;
		if (!strcmp(key, "product_type")) {
			free((char *)var->product_type);
			var->product_type = bt_xstrdup(v);
		} else if (!strcmp(key, "cpid")) {
			var->cpid = (unsigned)num;
		} else if (!strcmp(key, "bdid")) {
			var->bdid = (unsigned)num;
		} else if (!strcmp(key, "title")) {
			char *t = (char *)var->title;
			text_set(&t, v, append);
			var->title = t;
		} else if (!strcmp(key, "source")) {
			char *t = (char *)var->source;
			text_set(&t, v, append);
			var->source = t;
		} else if (!strcmp(key, "tags")) {
			size_t n;
			bool ok;
			char **l = list_split(v, &n, &ok);
			if (!ok)
				diag(ld, ld->lineno, "tags = '%s': bad tag", v);
			list_free(l, n);
			free((char *)var->tags);
			var->tags = bt_xstrdup(v);
		}
		break;
	}
	case S_PRIORS:
		if (!strcmp(key, "source")) {
			text_set(&b->priors_source, v, append);
		} else if (!known_hyp(ld, key)) {
			diag(ld, ld->lineno, "prior for unknown hypothesis '%s'", key);
		} else {
			struct bt_prior *p = GROW(b->priors, b->npriors);
			p->hyp = bt_xstrdup(key);
			p->p = num;
			p->origin = origin_of(ld, ld->lineno);
		}
		break;
	case S_HYP: {
		struct bt_hypdef *h = ld->item;
		if (!strcmp(key, "title"))
			text_set(&h->title, v, append);
		else if (!strcmp(key, "source"))
			text_set(&h->source, v, append);
		else if (!strcmp(key, "prior"))
			h->prior = num;
		else if (!strcmp(key, "tags"))
			set_tags(ld, key, v, &h->tags, &h->ntags);
		break;
	}
	case S_RULE: {
		struct bt_rule *r = ld->item;
		if (!strcmp(key, "when")) {
			char err[200];
			struct bt_pred *preds = NULL;
			size_t np = 0;
			if (bt_rule_parse_when(v, &preds, &np, err, sizeof err) != BT_OK) {
				diag(ld, ld->lineno, "when = '%s': %s", v, err);
			} else {
				bt_rule_preds_free(r->preds, r->npreds);
				r->preds = preds;
				r->npreds = np;
			}
			r->has_when = true;
		} else if (!strcmp(key, "hypothesis")) {
			if (!known_hyp(ld, v))
				diag(ld, ld->lineno, "hypothesis = '%s': unknown hypothesis (declare it in a "
				     "[hypothesis.%s] section)", v, v);
			text_set(&r->hyp, v, false);
			r->has_hyp = true;
		} else if (!strcmp(key, "lr")) {
			r->lr = num;
			r->has_lr = true;
		} else if (!strcmp(key, "confidence")) {
			r->confidence = conf_of(v);
			r->has_conf = true;
		} else if (!strcmp(key, "source")) {
			text_set(&r->source, v, append);
		} else if (!strcmp(key, "why")) {
			text_set(&r->why, v, append);
		} else if (!strcmp(key, "tags")) {
			set_tags(ld, key, v, &r->tags, &r->ntags);
		} else if (!strcmp(key, "group")) {
			text_set(&r->group, v, false);
		}
		break;
	}
	case S_TEST: {
		struct bt_test_priv *t = ld->item;
		char **field = NULL;
		if (!strcmp(key, "title"))
			field = (char **)&t->pub.title;
		else if (!strcmp(key, "risk"))
			field = (char **)&t->pub.risk;
		else if (!strcmp(key, "safety"))
			field = (char **)&t->pub.safety;
		else if (!strcmp(key, "observe"))
			field = (char **)&t->pub.observe;
		else if (!strcmp(key, "source"))
			field = (char **)&t->pub.source;
		if (field) {
			text_set(field, v, append);
		} else if (!strcmp(key, "cost")) {
			free((char *)t->pub.cost);
			t->pub.cost = bt_xstrdup(v);
		} else if (!strcmp(key, "minutes")) {
			t->pub.minutes = num;
		} else if (!strcmp(key, "data_loss")) {
			t->pub.data_loss = !strcmp(v, "yes");
		} else if (!strcmp(key, "tags")) {
			set_tags(ld, key, v, &t->tags, &t->ntags);
		} else if (!strcmp(key, "when")) {
			char err[200];
			struct bt_pred *preds = NULL;
			size_t np = 0;
			if (bt_rule_parse_when(v, &preds, &np, err, sizeof err) != BT_OK) {
				diag(ld, ld->lineno, "when = '%s': %s", v, err);
			} else {
				bt_rule_preds_free(t->when, t->nwhen);
				t->when = preds;
				t->nwhen = np;
			}
		} else if (!strcmp(key, "step")) {
			if (append && t->pub.nsteps) {
				text_set(&t->steps[t->pub.nsteps - 1], v, true);
			} else if (t->pub.nsteps >= MAX_LIST) {
				diag(ld, ld->lineno, "too many steps (at most %d)", MAX_LIST);
			} else {
				t->steps = bt_xrealloc(t->steps, (t->pub.nsteps + 1) * sizeof(char *));
				t->steps[t->pub.nsteps++] = bt_xstrndup(v, MAX_TEXT);
				t->pub.steps = (const char *const *)t->steps;
			}
		}
		break;
	}
	case S_OUTCOME: {
		struct bt_test_outcome *o = ld->item;
		if (!strcmp(key, "title")) {
			char *s = (char *)o->title;
			text_set(&s, v, append);
			o->title = s;
		} else if (!strcmp(key, "source")) {
			char *s = (char *)o->source;
			text_set(&s, v, append);
			o->source = s;
		} else if (!strcmp(key, "p")) {
			o->p = num;
		} else if (!strcmp(key, "confidence")) {
			o->confidence = conf_of(v);
		} else if (!strncmp(key, "lr.", 3)) {
			const char *h = key + 3;
			if (!known_hyp(ld, h)) {
				diag(ld, ld->lineno, "%s: unknown hypothesis '%s'", key, h);
				break;
			}
			if (o->nlr >= MAX_LIST)
				break;
			struct bt_outcome_lr *lrs = (struct bt_outcome_lr *)o->lr;
			lrs = bt_xrealloc(lrs, (o->nlr + 1) * sizeof *lrs);
			lrs[o->nlr].hyp = bt_xstrdup(h);
			lrs[o->nlr].lr = num;
			o->lr = lrs;
			o->nlr++;
		}
		break;
	}
	case S_SYMPTOM: {
		struct bt_symptom *s = ld->item;
		char *t = (char *)(!strcmp(key, "title") ? s->title : s->source);
		text_set(&t, v, append);
		if (!strcmp(key, "title"))
			s->title = t;
		else
			s->source = t;
		break;
	}
	case S_CURRENT: {
		struct bt_current_level *c = ld->item;
		if (!strcmp(key, "typical_ma"))
			c->typical_ma = num;
		else if (!strcmp(key, "min_ma"))
			c->min_ma = num;
		else if (!strcmp(key, "max_ma"))
			c->max_ma = num;
		else if (!strcmp(key, "confidence"))
			c->confidence = conf_of(v);
		else {
			char *t = (char *)(!strcmp(key, "note") ? c->note : c->source);
			text_set(&t, v, append);
			if (!strcmp(key, "note"))
				c->note = t;
			else
				c->source = t;
		}
		break;
	}
	default:
		break;
	}
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	if (ld->long_line)
		return 1; /* already reported; its cut text would only add noise */
	if (!ld->sect || strcmp(ld->sect, section) || ld->new_header) {
		ld->new_header = false; /* [x] twice in a row has the same name: the header tells */
		section_start(ld, section);
		/* a key on a later line than the header: report section errors at the header's
		 * line when we can, at the first key otherwise */
	}
	if (ld->sect_bad)
		return 1;
	bool append = false;
	if (ld->continuation && ld->last_key && !strcmp(ld->last_key, name)) {
		append = true;
	} else {
		for (size_t k = 0; k < ld->nkeys; k++)
			if (!strcmp(ld->keys[k].key, name) && strcmp(name, "step")) {
				diag(ld, ld->lineno, "key '%s' repeated in [%s] (first at line %ld)", name,
				     ld->sect, ld->keys[k].line);
				return 1;
			}
	}
	const struct key_spec *ks = spec_for(ld->kind, name);
	if (!ks) {
		if (ld->kind == S_TOP)
			diag(ld, ld->lineno, "unknown key '%s' before the first section", name);
		else
			diag(ld, ld->lineno, "unknown key '%s' in [%s]", name, ld->sect);
		return 1;
	}
	if (append && ks->type != V_TEXT && ks->type != V_STEP && ks->type != V_WHEN) {
		diag(ld, ld->lineno, "'%s' cannot continue on an indented line", name);
		return 1;
	}
	if (!append) {
		if (ld->nkeys < 256) {
			ld->keys = bt_xrealloc(ld->keys, (ld->nkeys + 1) * sizeof *ld->keys);
			ld->keys[ld->nkeys].key = bt_xstrdup(name);
			ld->keys[ld->nkeys++].line = ld->lineno;
		}
		free(ld->last_key);
		ld->last_key = bt_xstrdup(name);
	}
	double num = 0;
	if (append && ks->type == V_WHEN) {
		diag(ld, ld->lineno, "'when' must fit on one line; split the rule instead");
		return 1;
	}
	if (ld->kind == S_TOP)
		ld->has_format = true; /* a bad version is reported as such, not as missing */
	if (!check_value(ld, ks, name, value, &num))
		return 1;
	apply(ld, name, value, num, append);
	return 1;
}

/* ---- whole-file checks ----------------------------------------------------------------- */

static void file_finish(struct load *ld)
{
	section_finish(ld);
	struct bt_board *b = ld->b;
	if (!ld->has_format)
		diag(ld, 1, "missing 'format = %d' before the first section", FORMAT_VERSION);
	if (!ld->has_identity)
		diag(ld, 1, "missing [board] or [common] section");
	if (!b->is_common && ld->has_identity && b->nvariants == 0)
		diag(ld, 1, "a board needs at least one [variant.<board config>] identity row");
	if (b->is_common) {
		free(b->name);
		b->name = bt_xstrdup("common");
	}
	for (size_t i = 0; i < b->ntests; i++) {
		struct bt_test_priv *t = &b->tests[i];
		if (t->pub.noutcomes < 2) {
			const char *o = strrchr(t->pub.origin, ':');
			diag(ld, o ? strtol(o + 1, NULL, 10) : 0, "[test.%s] needs at least two [outcome.%s.<id>] sections",
			     t->pub.id, t->pub.id);
		}
		if (!t->pub.safety)
			t->pub.safety = bt_xstrdup("");
	}
	for (size_t i = 0; i < b->nvariants; i++)
		if (!b->variants[i].tags)
			b->variants[i].tags = bt_xstrdup("");
	for (size_t i = 0; i < b->npriors; i++)
		if (!b->priors_source) {
			diag(ld, 0, "[priors] lacks required key 'source'");
			break;
		}
}

static void load_free(struct load *ld)
{
	section_finish(ld);
	for (size_t i = 0; i < ld->nsections; i++)
		free(ld->sections[i]);
	free(ld->sections);
	free(ld->section_lines);
}

static void merge_into_common(struct bt_board *common, struct bt_board *b)
{
#define MOVE(field, nfield)                                                                 \
	do {                                                                                \
		if (b->nfield) {                                                            \
			common->field = bt_xrealloc(common->field, (common->nfield + b->nfield) * \
							      sizeof *common->field);       \
			memcpy(common->field + common->nfield, b->field,                    \
			       b->nfield * sizeof *b->field);                               \
			common->nfield += b->nfield;                                        \
			free(b->field);                                                     \
			b->field = NULL;                                                    \
			b->nfield = 0;                                                      \
		}                                                                           \
	} while (0)
	MOVE(priors, npriors);
	MOVE(hyps, nhyps);
	MOVE(rules, nrules);
	MOVE(tests, ntests);
	MOVE(symptoms, nsymptoms);
	MOVE(currents, ncurrents);
#undef MOVE
	/* outcome arrays moved with their tests; re-point the public views */
	for (size_t i = 0; i < common->ntests; i++) {
		common->tests[i].pub.outcomes = common->tests[i].outcomes;
		common->tests[i].pub.steps = (const char *const *)common->tests[i].steps;
	}
	if (!common->priors_source && b->priors_source) {
		common->priors_source = b->priors_source;
		b->priors_source = NULL;
	}
	if (!common->file) {
		common->file = b->file;
		b->file = NULL;
	}
	if (!common->title && b->title) {
		common->title = b->title;
		b->title = NULL;
	}
	bt_board_destroy(b);
}

static int add_board(struct bt_boards *set, struct bt_board *b)
{
	if (b->is_common) {
		merge_into_common(set->common, b);
		return BT_OK;
	}
	/* A later file with the same name (the technician's own) replaces the shipped one. */
	for (size_t i = 0; i < set->count; i++)
		if (!strcmp(set->boards[i]->name, b->name)) {
			bt_board_destroy(set->boards[i]);
			set->boards[i] = b;
			return BT_OK;
		}
	set->boards = bt_xrealloc(set->boards, (set->count + 1) * sizeof *set->boards);
	set->boards[set->count++] = b;
	return BT_OK;
}

static int parse(struct bt_boards *set, struct load *ld)
{
	ld->b = bt_xcalloc(1, sizeof *ld->b);
	ld->b->file = bt_xstrdup(ld->path);
	ld->set = set;
	int rc = ini_parse_stream(reader, ld, handler, ld);
	if (rc > 0 && rc <= ld->lineno)
		diag(ld, rc, "not an INI line (expected [section], key = value or a ; comment)");
	file_finish(ld);
	load_free(ld);
	if (ld->nerr) {
		bt_board_destroy(ld->b);
		return BT_ERR_DATA;
	}
	return add_board(set, ld->b);
}

int bt_boards_load_file(struct bt_boards *set, const char *path, struct bt_board_diags *diags)
{
	if (!set || !path)
		return BT_ERR_ARG;
	struct load ld = {0};
	ld.path = path;
	ld.diags = diags;
	ld.fp = fopen(path, "rb");
	if (!ld.fp) {
		int e = errno;
		diag(&ld, 0, "cannot read: %s", strerror(e));
		errno = e;
		return BT_ERR_IO;
	}
	int rc = parse(set, &ld);
	fclose(ld.fp);
	return rc;
}

int bt_boards_load_string(struct bt_boards *set, const char *name, const char *text,
			  struct bt_board_diags *diags)
{
	if (!set || !text)
		return BT_ERR_ARG;
	struct load ld = {0};
	ld.path = name ? name : "(string)";
	ld.diags = diags;
	ld.str = text;
	ld.str_len = strlen(text);
	return parse(set, &ld);
}
