/* rule_parse.c — parses and evaluates the `when` predicates of board rules. */
#include "engine/rule_parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/xalloc.h"

#define MAX_PREDS 16
#define MAX_SET 64

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static bool key_char(char c)
{
	unsigned char u = (unsigned char)c;
	return isalnum(u) || c == '_' || c == '.' || c == '-' || c == ':';
}

/* Reads one value token: "quoted text" or a run up to white space. */
static const char *read_value(const char *p, char **out)
{
	if (*p == '"') {
		const char *e = strchr(p + 1, '"');
		if (!e)
			return NULL;
		*out = bt_xstrndup(p + 1, (size_t)(e - p - 1));
		return e + 1;
	}
	const char *e = p;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (e == p)
		return NULL;
	*out = bt_xstrndup(p, (size_t)(e - p));
	return e;
}

static void pred_clear(struct bt_pred *p)
{
	free(p->key);
	free(p->text);
	for (size_t i = 0; i < p->nset; i++)
		free(p->set[i]);
	free(p->set);
}

void bt_rule_preds_free(struct bt_pred *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pred_clear(&p[i]);
	free(p);
}

static bool parse_in(struct bt_pred *pr, const char *v)
{
	const char *dots = strstr(v, "..");
	if (dots) {
		char *lo = bt_xstrndup(v, (size_t)(dots - v));
		bool ok = bt_parse_number(lo, &pr->lo) && bt_parse_number(dots + 2, &pr->hi) &&
			  pr->lo <= pr->hi;
		free(lo);
		pr->op = BT_PRED_RANGE;
		return ok;
	}
	pr->op = BT_PRED_IN;
	const char *p = v;
	for (;;) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!len || pr->nset >= MAX_SET)
			return false;
		pr->set = bt_xrealloc(pr->set, (pr->nset + 1) * sizeof(char *));
		pr->set[pr->nset++] = bt_xstrndup(p, len);
		if (!e)
			break;
		p = e + 1;
	}
	return true;
}

int bt_rule_parse_when(const char *text, struct bt_pred **out, size_t *n, char *err, size_t errlen)
{
	struct bt_pred *preds = NULL;
	size_t np = 0;
	const char *p = skip_ws(text);
	*out = NULL;
	*n = 0;
	for (;;) {
		if (np >= MAX_PREDS) {
			snprintf(err, errlen, "more than %d predicates", MAX_PREDS);
			goto bad;
		}
		preds = bt_xrealloc(preds, (np + 1) * sizeof *preds);
		struct bt_pred *pr = &preds[np++];
		memset(pr, 0, sizeof *pr);
		const char *k = p;
		while (key_char(*p))
			p++;
		if (p == k) {
			snprintf(err, errlen, "expected an evidence key at '%.20s'", k);
			goto bad;
		}
		pr->key = bt_xstrndup(k, (size_t)(p - k));
		p = skip_ws(p);
		static const struct {
			const char *word;
			enum bt_pred_op op;
			bool takes_value;
		} ops[] = {
			{"!=", BT_PRED_NE, true},	{">=", BT_PRED_GE, true},
			{"<=", BT_PRED_LE, true},	{"=", BT_PRED_EQ, true},
			{">", BT_PRED_GT, true},	{"<", BT_PRED_LT, true},
			{"in", BT_PRED_IN, true},	{"contains", BT_PRED_CONTAINS, true},
			{"present", BT_PRED_PRESENT, false}, {"absent", BT_PRED_ABSENT, false},
		};
		size_t oi = 0;
		for (; oi < sizeof ops / sizeof ops[0]; oi++) {
			size_t wl = strlen(ops[oi].word);
			bool word = isalpha((unsigned char)ops[oi].word[0]);
			/* a word operator must end there: "inside" is not "in" */
			if (!strncmp(p, ops[oi].word, wl) &&
			    (!word || !p[wl] || p[wl] == ' ' || p[wl] == '\t'))
				break;
		}
		if (oi == sizeof ops / sizeof ops[0]) {
			snprintf(err, errlen, "after '%s' expected = != in contains >= <= > < present absent",
				 pr->key);
			goto bad;
		}
		pr->op = ops[oi].op;
		p += strlen(ops[oi].word);
		p = skip_ws(p);
		if (ops[oi].takes_value) {
			char *v = NULL;
			const char *e = read_value(p, &v);
			if (!e) {
				snprintf(err, errlen, "'%s' lacks a value (or an unclosed quote)", pr->key);
				goto bad;
			}
			p = e;
			switch (pr->op) {
			case BT_PRED_IN:
				if (!parse_in(pr, v)) {
					snprintf(err, errlen, "bad set or range '%s' (a|b|c or lo..hi)", v);
					free(v);
					goto bad;
				}
				free(v);
				break;
			case BT_PRED_GE:
			case BT_PRED_LE:
			case BT_PRED_GT:
			case BT_PRED_LT: {
				double d;
				if (!bt_parse_number(v, &d)) {
					snprintf(err, errlen, "'%s' is not a number", v);
					free(v);
					goto bad;
				}
				pr->lo = pr->hi = d;
				free(v);
				break;
			}
			default:
				pr->text = v;
				break;
			}
		}
		p = skip_ws(p);
		if (!*p)
			break;
		if (!strcmp(p, "and")) {
			snprintf(err, errlen, "nothing after the last 'and'");
			goto bad;
		}
		if (!strncmp(p, "and ", 4)) {
			p = skip_ws(p + 4);
			continue;
		}
		snprintf(err, errlen, "expected 'and' or the end at '%.20s'", p);
		goto bad;
	}
	*out = preds;
	*n = np;
	return BT_OK;
bad:
	bt_rule_preds_free(preds, np);
	return BT_ERR_DATA;
}

static bool value_eq(const char *a, const char *b)
{
	if (!strcasecmp(a, b))
		return true;
	/* numbers compare by value: "0x60D" = "0x060D", "6" = "6.0" */
	double x, y;
	return bt_parse_number(a, &x) && bt_parse_number(b, &y) && x == y;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);
	if (!nl)
		return true;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, nl))
			return true;
	return false;
}

static bool item_holds(const struct bt_pred *p, const char *v)
{
	double d;
	switch (p->op) {
	case BT_PRED_EQ: return value_eq(v, p->text);
	case BT_PRED_NE: return !value_eq(v, p->text);
	case BT_PRED_IN:
		for (size_t i = 0; i < p->nset; i++)
			if (value_eq(v, p->set[i]))
				return true;
		return false;
	case BT_PRED_CONTAINS: return contains_ci(v, p->text);
	case BT_PRED_RANGE: return bt_parse_number(v, &d) && d >= p->lo && d <= p->hi;
	case BT_PRED_GE: return bt_parse_number(v, &d) && d >= p->lo;
	case BT_PRED_LE: return bt_parse_number(v, &d) && d <= p->lo;
	case BT_PRED_GT: return bt_parse_number(v, &d) && d > p->lo;
	case BT_PRED_LT: return bt_parse_number(v, &d) && d < p->lo;
	case BT_PRED_PRESENT: return true;
	case BT_PRED_ABSENT: return false;
	}
	return false;
}

bool bt_pred_holds(const struct bt_pred *p, const struct bt_evset *ev, const struct bt_evidence **hit)
{
	*hit = NULL;
	if (p->op == BT_PRED_ABSENT)
		return bt_evset_find(ev, p->key) == NULL;
	if (p->op == BT_PRED_NE && !bt_evset_find(ev, p->key))
		return true; /* nothing says it is that value */
	/* A key may carry several items (two logs, several symptoms): the newest that
	 * satisfies the predicate is the one shown. For != every item must differ. */
	size_t n = bt_evset_count(ev);
	bool any = false;
	for (size_t i = n; i-- > 0;) {
		const struct bt_evidence *e = bt_evset_at(ev, i);
		if (strcmp(e->key, p->key))
			continue;
		if (p->op == BT_PRED_NE) {
			if (!item_holds(p, e->value))
				return false;
			if (!any)
				*hit = e;
			any = true;
			continue;
		}
		if (item_holds(p, e->value)) {
			*hit = e;
			return true;
		}
	}
	return any;
}
