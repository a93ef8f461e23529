/* board.c — the profile set: creation, lookup, directories, and the read-only accessors.
 * Parsing and checking live in board_load.c. */
#include "engine/board_priv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "engine/rule_parse.h"

#define MAX_FILES 512 /* profiles per directory */

void bt_board_diags_done(struct bt_board_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->count = 0;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void bt_board_destroy(struct bt_board *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->title);
	free(b->file);
	free(b->source);
	free(b->priors_source);
	strv_free(b->tags, b->ntags);
	for (size_t i = 0; i < b->nvariants; i++) {
		struct bt_board_variant *v = &b->variants[i];
		free((char *)v->board_config);
		free((char *)v->product_type);
		free((char *)v->title);
		free((char *)v->tags);
		free((char *)v->source);
	}
	free(b->variants);
	for (size_t i = 0; i < b->npriors; i++) {
		free(b->priors[i].hyp);
		free(b->priors[i].origin);
	}
	free(b->priors);
	for (size_t i = 0; i < b->nhyps; i++) {
		struct bt_hypdef *h = &b->hyps[i];
		free(h->id);
		free(h->title);
		free(h->source);
		free(h->origin);
		strv_free(h->tags, h->ntags);
	}
	free(b->hyps);
	for (size_t i = 0; i < b->nrules; i++) {
		struct bt_rule *r = &b->rules[i];
		free(r->id);
		bt_rule_preds_free(r->preds, r->npreds);
		free(r->hyp);
		free(r->source);
		free(r->why);
		free(r->group);
		free(r->origin);
		strv_free(r->tags, r->ntags);
	}
	free(b->rules);
	for (size_t i = 0; i < b->ntests; i++) {
		struct bt_test_priv *t = &b->tests[i];
		free((char *)t->pub.id);
		free((char *)t->pub.title);
		free((char *)t->pub.cost);
		free((char *)t->pub.risk);
		free((char *)t->pub.safety);
		free((char *)t->pub.observe);
		free((char *)t->pub.source);
		free((char *)t->pub.origin);
		strv_free(t->steps, t->pub.nsteps);
		strv_free(t->tags, t->ntags);
		bt_rule_preds_free(t->when, t->nwhen);
		for (size_t j = 0; j < t->pub.noutcomes; j++) {
			struct bt_test_outcome *o = &t->outcomes[j];
			free((char *)o->id);
			free((char *)o->title);
			free((char *)o->source);
			for (size_t k = 0; k < o->nlr; k++)
				free((char *)o->lr[k].hyp);
			free((void *)o->lr);
		}
		free(t->outcomes);
	}
	free(b->tests);
	for (size_t i = 0; i < b->nsymptoms; i++) {
		free((char *)b->symptoms[i].id);
		free((char *)b->symptoms[i].title);
		free((char *)b->symptoms[i].source);
	}
	free(b->symptoms);
	for (size_t i = 0; i < b->ncurrents; i++) {
		free((char *)b->currents[i].stage);
		free((char *)b->currents[i].note);
		free((char *)b->currents[i].source);
	}
	free(b->currents);
	free(b);
}

struct bt_boards *bt_boards_new(void)
{
	struct bt_boards *set = bt_xcalloc(1, sizeof *set);
	set->common = bt_xcalloc(1, sizeof *set->common);
	set->common->name = bt_xstrdup("common");
	set->common->is_common = true;
	return set;
}

void bt_boards_free(struct bt_boards *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		bt_board_destroy(set->boards[i]);
	free(set->boards);
	bt_board_destroy(set->common);
	free(set);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t sl = strlen(s), xl = strlen(suffix);
	return sl >= xl && !strcmp(s + sl - xl, suffix);
}

int bt_boards_load_dir(struct bt_boards *set, const char *dir, struct bt_board_diags *diags)
{
	DIR *d = opendir(dir);
	if (!d)
		return BT_ERR_IO;
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL && n < MAX_FILES) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".ini"))
			continue;
		names = bt_xrealloc(names, (n + 1) * sizeof(char *));
		names[n++] = bt_xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(char *), cmp_str);
	/* common.ini first: board files may name hypotheses it declares */
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], "common.ini") && i > 0) {
			char *c = names[i];
			memmove(names + 1, names, i * sizeof(char *));
			names[0] = c;
		}
	int rc = BT_OK;
	for (size_t i = 0; i < n; i++) {
		char *path = bt_xasprintf("%s/%s", dir, names[i]);
		int r = bt_boards_load_file(set, path, diags);
		if (r != BT_OK && rc == BT_OK)
			rc = r;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int bt_boards_load_default(struct bt_boards *set, struct bt_board_diags *diags)
{
	int rc = BT_OK;
	char *found = NULL;
	const char *env = getenv("BENCHTRIAGE_BOARDS");
	if (env && *env) {
		if (!is_dir(env))
			return BT_ERR_IO;
		found = bt_xstrdup(env);
	}
	if (!found) {
		char exe[PATH_MAX];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (len > 0) {
			exe[len] = '\0';
			char *slash = strrchr(exe, '/');
			if (slash) {
				*slash = '\0';
				char *p = bt_xasprintf("%s/boards", exe);
				if (is_dir(p))
					found = p;
				else
					free(p);
			}
		}
	}
	if (!found && is_dir("boards"))
		found = bt_xstrdup("boards");
	if (!found)
		return BT_ERR_IO;
	rc = bt_boards_load_dir(set, found, diags);
	free(found);
	const char *home = getenv("BENCHTRIAGE_HOME");
	if (home && *home) {
		char *p = bt_xasprintf("%s/boards", home);
		if (is_dir(p)) {
			int r = bt_boards_load_dir(set, p, diags);
			if (r != BT_OK && rc == BT_OK)
				rc = r;
		}
		free(p);
	}
	return rc;
}

size_t bt_boards_count(const struct bt_boards *set)
{
	return set ? set->count : 0;
}

const struct bt_board *bt_boards_at(const struct bt_boards *set, size_t i)
{
	return set && i < set->count ? set->boards[i] : NULL;
}

/* "d10ap", "D10AP", "d10" all name the board config d10ap. */
static bool config_matches(const char *cfg, const char *what)
{
	if (!strcasecmp(cfg, what))
		return true;
	size_t wl = strlen(what), cl = strlen(cfg);
	return cl == wl + 2 && !strncasecmp(cfg, what, wl) && !strcasecmp(cfg + wl, "ap");
}

const struct bt_board_variant *bt_board_variant_find(const struct bt_board *b, const char *what)
{
	if (!b || !what || !*what)
		return NULL;
	for (size_t i = 0; i < b->nvariants; i++) {
		const struct bt_board_variant *v = &b->variants[i];
		if (config_matches(v->board_config, what) || !strcasecmp(v->product_type, what))
			return v;
	}
	return NULL;
}

const struct bt_board *bt_boards_find(const struct bt_boards *set, const char *what)
{
	if (!set || !what || !*what)
		return NULL;
	for (size_t i = 0; i < set->count; i++)
		if (!strcasecmp(set->boards[i]->name, what))
			return set->boards[i];
	for (size_t i = 0; i < set->count; i++)
		if (bt_board_variant_find(set->boards[i], what))
			return set->boards[i];
	return NULL;
}

const struct bt_board *bt_boards_find_chip(const struct bt_boards *set, unsigned cpid, unsigned bdid)
{
	for (size_t i = 0; set && i < set->count; i++)
		if (bt_board_product_for_chip(set->boards[i], cpid, bdid))
			return set->boards[i];
	return NULL;
}

const char *bt_board_product_for_chip(const struct bt_board *b, unsigned cpid, unsigned bdid)
{
	for (size_t i = 0; b && i < b->nvariants; i++)
		if (b->variants[i].cpid == cpid && b->variants[i].bdid == bdid)
			return b->variants[i].product_type;
	return NULL;
}

const char *bt_board_name(const struct bt_board *b) { return b ? b->name : NULL; }
const char *bt_board_title(const struct bt_board *b) { return b ? b->title : NULL; }
const char *bt_board_file(const struct bt_board *b) { return b ? b->file : NULL; }
const char *bt_board_source(const struct bt_board *b) { return b ? b->source : NULL; }

static bool tag_eq(const char *want, const char *have)
{
	size_t wl = strlen(want);
	if (wl >= 2 && want[wl - 1] == '*')
		return !strncmp(want, have, wl - 1);
	return !strcmp(want, have);
}

/* Does a comma-separated list contain the tag? */
static bool csv_has(const char *csv, const char *want)
{
	const char *p = csv;
	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		char buf[96];
		size_t len = (size_t)(t - p) < sizeof buf - 1 ? (size_t)(t - p) : sizeof buf - 1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (len && tag_eq(want, buf))
			return true;
		p = e;
	}
	return false;
}

bool bt_board_has_tag(const struct bt_board *b, const char *tag)
{
	if (!b || !tag)
		return false;
	for (size_t i = 0; i < b->ntags; i++)
		if (tag_eq(tag, b->tags[i]))
			return true;
	for (size_t i = 0; i < b->nvariants; i++)
		if (csv_has(b->variants[i].tags, tag))
			return true;
	return false;
}

bool bt_board_tags_match(const struct bt_board *b, char *const *tags, size_t ntags)
{
	for (size_t i = 0; i < ntags; i++)
		if (!bt_board_has_tag(b, tags[i]))
			return false;
	return true;
}

size_t bt_board_variant_count(const struct bt_board *b) { return b ? b->nvariants : 0; }

const struct bt_board_variant *bt_board_variant_at(const struct bt_board *b, size_t i)
{
	return b && i < b->nvariants ? &b->variants[i] : NULL;
}

size_t bt_board_tag_count(const struct bt_board *b) { return b ? b->ntags : 0; }

const char *bt_board_tag_at(const struct bt_board *b, size_t i)
{
	return b && i < b->ntags ? b->tags[i] : NULL;
}

const char *bt_confidence_name(enum bt_confidence c)
{
	switch (c) {
	case BT_CONF_WELL: return "well";
	case BT_CONF_SINGLE: return "single";
	case BT_CONF_FOLKLORE: return "folklore";
	case BT_CONF_UNVERIFIED: return "unverified";
	}
	return "unverified";
}

/* Common tests apply to a board when it has their tags; with no board only untagged ones. */
static bool test_applies(const struct bt_test_priv *t, const struct bt_board *b)
{
	if (!t->ntags)
		return true;
	return b && bt_board_tags_match(b, t->tags, t->ntags);
}

size_t bt_board_test_count(const struct bt_boards *set, const struct bt_board *b)
{
	size_t n = 0;
	for (size_t i = 0; set && i < set->common->ntests; i++)
		n += test_applies(&set->common->tests[i], b);
	for (size_t i = 0; b && i < b->ntests; i++)
		n += test_applies(&b->tests[i], b);
	return n;
}

const struct bt_guided_test *bt_board_test_at(const struct bt_boards *set,
					      const struct bt_board *b, size_t i)
{
	for (size_t k = 0; set && k < set->common->ntests; k++)
		if (test_applies(&set->common->tests[k], b) && i-- == 0)
			return &set->common->tests[k].pub;
	for (size_t k = 0; b && k < b->ntests; k++)
		if (test_applies(&b->tests[k], b) && i-- == 0)
			return &b->tests[k].pub;
	return NULL;
}

const struct bt_guided_test *bt_board_test_find(const struct bt_boards *set,
						const struct bt_board *b, const char *id)
{
	size_t n = bt_board_test_count(set, b);
	/* a board's own test of the same id wins over the common one */
	const struct bt_guided_test *found = NULL;
	for (size_t i = 0; id && i < n; i++) {
		const struct bt_guided_test *t = bt_board_test_at(set, b, i);
		if (t && !strcmp(t->id, id))
			found = t;
	}
	return found;
}

const struct bt_test_outcome *bt_test_outcome_find(const struct bt_guided_test *t, const char *id)
{
	for (size_t i = 0; t && id && i < t->noutcomes; i++)
		if (!strcmp(t->outcomes[i].id, id))
			return &t->outcomes[i];
	return NULL;
}

size_t bt_board_symptom_count(const struct bt_boards *set, const struct bt_board *b)
{
	return (set ? set->common->nsymptoms : 0) + (b ? b->nsymptoms : 0);
}

const struct bt_symptom *bt_board_symptom_at(const struct bt_boards *set,
					     const struct bt_board *b, size_t i)
{
	size_t nc = set ? set->common->nsymptoms : 0;
	if (i < nc)
		return &set->common->symptoms[i];
	i -= nc;
	return b && i < b->nsymptoms ? &b->symptoms[i] : NULL;
}

const struct bt_symptom *bt_board_symptom_find(const struct bt_boards *set,
					       const struct bt_board *b, const char *id)
{
	size_t n = bt_board_symptom_count(set, b);
	for (size_t i = 0; id && i < n; i++) {
		const struct bt_symptom *s = bt_board_symptom_at(set, b, i);
		if (s && !strcmp(s->id, id))
			return s;
	}
	return NULL;
}

size_t bt_board_current_count(const struct bt_board *b) { return b ? b->ncurrents : 0; }

const struct bt_current_level *bt_board_current_at(const struct bt_board *b, size_t i)
{
	return b && i < b->ncurrents ? &b->currents[i] : NULL;
}

static const struct {
	const char *id, *title;
} fixed_titles[] = {
	{"usb_link", "USB link (cable, port, hub)"},
	{"host", "Host (software, tool version, network, security software, USB stack)"},
	{"firmware", "Firmware (IPSW, signing, OS mismatch, corrupted download)"},
	{"nand", "NAND (storage chip or its bus)"},
	{"earpiece_flex", "Front (earpiece) flex shorting I2C (Face ID models)"},
	{"audio_ic", "Audio IC (iPhone 7/7 Plus codec U3101, pad C12)"},
	{"baseband", "Baseband (modem, its PMU or lines)"},
	{"nfc_se", "NFC controller / secure element"},
	{"charge_port", "Charge-port flex, Tristar/Hydra"},
	{"logic_board", "Other logic-board fault"},
	{"none", "No fault shown (restore works)"},
};

const char *bt_hypothesis_title(const struct bt_boards *set, const char *id)
{
	if (!id)
		return NULL;
	if (set) {
		for (size_t i = 0; i < set->common->nhyps; i++)
			if (!strcmp(set->common->hyps[i].id, id) && set->common->hyps[i].title)
				return set->common->hyps[i].title;
		for (size_t j = 0; j < set->count; j++)
			for (size_t i = 0; i < set->boards[j]->nhyps; i++)
				if (!strcmp(set->boards[j]->hyps[i].id, id) && set->boards[j]->hyps[i].title)
					return set->boards[j]->hyps[i].title;
	}
	for (size_t i = 0; i < sizeof fixed_titles / sizeof fixed_titles[0]; i++)
		if (!strcmp(fixed_titles[i].id, id))
			return fixed_titles[i].title;
	return id;
}
