/* engine.c — priors × likelihood ratios → posteriors, with the evidence behind every number,
 * and the open guided tests ranked by expected information gain per bench minute.
 *
 * The model (docs/board-format.md): hypotheses are mutually exclusive; each matching rule
 * multiplies one hypothesis' weight by its likelihood ratio; a recorded guided-test outcome
 * multiplies every hypothesis by P(outcome | hypothesis). Outcome likelihoods come from the
 * profile as a base rate p(o) and per-hypothesis ratios: P(o|h) ∝ p(o)·lr(o,h), normalised
 * over the test's outcomes for each h. Pure: no I/O. */
#include "engine/engine.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "engine/board_priv.h"
#include "engine/rule_parse.h"

#define DEFAULT_PRIOR 0.01   /* a hypothesis declared without a prior */
#define MIN_GAIN_BITS 0.002  /* tests that cannot move anything are not proposed */
#define DATA_LOSS_FACTOR 0.5 /* a test that erases data must be worth twice as much */

struct hyp_work {
	struct bt_hypothesis pub;
	double w;                 /* unnormalised posterior weight */
	struct bt_contrib *contribs;
	size_t ncontribs;
};

struct diag_priv {
	struct bt_diagnosis pub;  /* first: the public pointer is this struct */
	struct bt_hypothesis *hyp;
	struct bt_contrib **contrib_arrays;
	size_t ncontrib_arrays;
	struct bt_next_test *tests;
	char **done;
	char **pool;              /* strings the diagnosis owns */
	size_t npool;
};

static const char *keep(struct diag_priv *dp, char *s)
{
	dp->pool = bt_xrealloc(dp->pool, (dp->npool + 1) * sizeof(char *));
	dp->pool[dp->npool++] = s;
	return s;
}

static const char *keep_copy(struct diag_priv *dp, const char *s)
{
	return s ? keep(dp, bt_xstrdup(s)) : NULL;
}

/* ---- hypotheses and priors ------------------------------------------------------------- */

static const char *const fixed_ids[] = {"usb_link", "host",	     "firmware", "nand",
					"earpiece_flex", "audio_ic", "baseband", "nfc_se",
					"charge_port", "logic_board", "none"};

static bool hyp_applies(const struct bt_hypdef *h, const struct bt_board *b)
{
	/* On an unknown board a tagged hypothesis stays possible: absence of identity is not
	 * evidence against it. */
	return !h->ntags || !b || bt_board_tags_match(b, h->tags, h->ntags);
}

static struct hyp_work *find_work(struct hyp_work *hw, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hw[i].pub.id, id))
			return &hw[i];
	return NULL;
}

static void add_hyp(const struct bt_boards *set, struct hyp_work **hw, size_t *n, const char *id,
		    double prior)
{
	if (find_work(*hw, *n, id))
		return;
	*hw = bt_xrealloc(*hw, (*n + 1) * sizeof **hw);
	struct hyp_work *h = &(*hw)[(*n)++];
	memset(h, 0, sizeof *h);
	h->pub.id = id;
	h->pub.title = bt_hypothesis_title(set, id);
	h->pub.prior = prior;
}

static double board_prior(const struct bt_board *b, const char *id, double fallback)
{
	for (size_t i = 0; b && i < b->npriors; i++)
		if (!strcmp(b->priors[i].hyp, id))
			return b->priors[i].p;
	return fallback;
}

static void build_hypotheses(const struct bt_boards *set, const struct bt_board *b,
			     struct hyp_work **hw, size_t *n)
{
	const struct bt_board *common = set ? set->common : NULL;
	for (size_t i = 0; common && i < common->nhyps; i++) {
		const struct bt_hypdef *h = &common->hyps[i];
		if (!hyp_applies(h, b))
			continue;
		double p = h->prior >= 0 ? h->prior : DEFAULT_PRIOR;
		p = board_prior(common, h->id, p);
		add_hyp(set, hw, n, h->id, board_prior(b, h->id, p));
	}
	for (size_t i = 0; b && i < b->nhyps; i++) {
		const struct bt_hypdef *h = &b->hyps[i];
		double p = h->prior >= 0 ? h->prior : DEFAULT_PRIOR;
		add_hyp(set, hw, n, h->id, board_prior(b, h->id, p));
	}
	/* Without profiles the fixed ids still exist, equally likely. */
	for (size_t i = 0; i < sizeof fixed_ids / sizeof fixed_ids[0]; i++)
		if (!common || !common->nhyps)
			add_hyp(set, hw, n, fixed_ids[i],
				board_prior(b, fixed_ids[i], 1.0 / (double)(sizeof fixed_ids / sizeof fixed_ids[0])));
	/* A prior of 0 means "impossible on this board": drop it. */
	size_t k = 0;
	double sum = 0;
	for (size_t i = 0; i < *n; i++)
		if ((*hw)[i].pub.prior > 0) {
			(*hw)[k++] = (*hw)[i];
			sum += (*hw)[i].pub.prior;
		}
	*n = k;
	for (size_t i = 0; i < *n; i++) {
		(*hw)[i].pub.prior /= sum;
		(*hw)[i].w = (*hw)[i].pub.prior;
	}
}

/* ---- contributions --------------------------------------------------------------------- */

static const char *origin_text(struct diag_priv *dp, const struct bt_evidence *e)
{
	if (!e)
		return keep_copy(dp, "");
	if (e->line > 0)
		return keep(dp, bt_xasprintf("%s:%ld", e->source, e->line));
	if (e->time_s >= 0)
		return keep(dp, bt_xasprintf("%s@%.1fs", e->source, e->time_s));
	return keep_copy(dp, e->source);
}

static void add_contrib(struct hyp_work *h, const struct bt_contrib *c)
{
	h->contribs = bt_xrealloc(h->contribs, (h->ncontribs + 1) * sizeof *h->contribs);
	h->contribs[h->ncontribs++] = *c;
}

static void apply_rules(struct diag_priv *dp, const struct bt_board *scope,
			const struct bt_board *b, const struct bt_evset *ev, struct hyp_work *hw,
			size_t n, char ***groups, size_t *ngroups)
{
	for (size_t i = 0; scope && i < scope->nrules; i++) {
		const struct bt_rule *r = &scope->rules[i];
		if (r->ntags && (!b || !bt_board_tags_match(b, r->tags, r->ntags)))
			continue;
		if (r->confidence == BT_CONF_UNVERIFIED || r->lr == 1.0)
			continue; /* no weight: never changes a number */
		struct hyp_work *h = find_work(hw, n, r->hyp);
		if (!h)
			continue;
		bool group_done = false;
		for (size_t g = 0; r->group && g < *ngroups; g++)
			group_done = group_done || !strcmp((*groups)[g], r->group);
		if (group_done)
			continue;
		const struct bt_evidence *shown = NULL;
		bool all = r->npreds > 0;
		for (size_t p = 0; p < r->npreds && all; p++) {
			const struct bt_evidence *hit = NULL;
			all = bt_pred_holds(&r->preds[p], ev, &hit);
			if (!shown && hit)
				shown = hit;
		}
		if (!all)
			continue;
		if (r->group) {
			*groups = bt_xrealloc(*groups, (*ngroups + 1) * sizeof(char *));
			(*groups)[(*ngroups)++] = r->group;
		}
		h->w *= r->lr;
		struct bt_contrib c = {
			.rule = r->id,
			.key = shown ? keep_copy(dp, shown->key) : r->preds[0].key,
			.value = shown ? keep_copy(dp, shown->value) : "absent",
			.origin = origin_text(dp, shown),
			.lr = r->lr,
			.source = r->source,
			.confidence = bt_confidence_name(r->confidence),
			.why = r->why,
		};
		add_contrib(h, &c);
	}
}

/* P(o | h) for every outcome of t, as a row per hypothesis. */
static double outcome_lr(const struct bt_test_outcome *o, const char *hyp)
{
	if (o->confidence == BT_CONF_UNVERIFIED)
		return 1.0;
	for (size_t i = 0; i < o->nlr; i++)
		if (!strcmp(o->lr[i].hyp, hyp))
			return o->lr[i].lr;
	return 1.0;
}

static double outcome_prob(const struct bt_guided_test *t, size_t oi, const char *hyp)
{
	double z = 0;
	for (size_t i = 0; i < t->noutcomes; i++)
		z += t->outcomes[i].p * outcome_lr(&t->outcomes[i], hyp);
	return z > 0 ? t->outcomes[oi].p * outcome_lr(&t->outcomes[oi], hyp) / z : 0;
}

static double neutral_prob(const struct bt_guided_test *t, size_t oi)
{
	double z = 0;
	for (size_t i = 0; i < t->noutcomes; i++)
		z += t->outcomes[i].p;
	return z > 0 ? t->outcomes[oi].p / z : 0;
}

static void apply_tests(struct diag_priv *dp, const struct bt_boards *set,
			const struct bt_board *b, const struct bt_evset *ev, struct hyp_work *hw,
			size_t n)
{
	size_t ne = bt_evset_count(ev);
	for (size_t i = 0; i < ne; i++) {
		const struct bt_evidence *e = bt_evset_at(ev, i);
		if (strncmp(e->key, "test.", 5))
			continue;
		const char *tid = e->key + 5;
		const struct bt_guided_test *t = bt_board_test_find(set, b, tid);
		bool seen = false;
		for (size_t k = 0; k < dp->pub.ndone; k++)
			seen = seen || !strcmp(dp->done[k], tid);
		if (!seen) {
			dp->done = bt_xrealloc(dp->done, (dp->pub.ndone + 1) * sizeof(char *));
			dp->done[dp->pub.ndone++] = (char *)keep_copy(dp, tid);
			dp->pub.done = (const char *const *)dp->done;
		}
		/* only the newest record of a test counts */
		if (!t || bt_evset_find(ev, e->key) != e)
			continue;
		size_t oi = 0;
		for (; oi < t->noutcomes; oi++)
			if (!strcmp(t->outcomes[oi].id, e->value))
				break;
		if (oi == t->noutcomes)
			continue; /* an outcome the profile does not know says nothing */
		const struct bt_test_outcome *o = &t->outcomes[oi];
		double ref = neutral_prob(t, oi);
		for (size_t h = 0; h < n; h++) {
			double lr = outcome_prob(t, oi, hw[h].pub.id) / ref;
			if (fabs(lr - 1.0) < 1e-9)
				continue;
			hw[h].w *= lr;
			struct bt_contrib c = {
				.rule = keep(dp, bt_xasprintf("test.%s", t->id)),
				.key = keep_copy(dp, e->key),
				.value = keep_copy(dp, e->value),
				.origin = origin_text(dp, e),
				.lr = lr,
				.source = o->source,
				.confidence = bt_confidence_name(o->confidence),
				.why = o->title,
			};
			add_contrib(&hw[h], &c);
		}
	}
}

/* ---- next tests ------------------------------------------------------------------------ */

static double entropy(const double *p, size_t n)
{
	double h = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] > 0)
			h -= p[i] * log2(p[i]);
	return h;
}

/* Expected reduction of the entropy of the posterior if the test were run. */
static double expected_gain(const struct bt_guided_test *t, const struct bt_hypothesis *hyp,
			    size_t n)
{
	double *post = bt_xcalloc(n ? n : 1, sizeof(double));
	double *prior = bt_xcalloc(n ? n : 1, sizeof(double));
	for (size_t h = 0; h < n; h++)
		prior[h] = hyp[h].probability;
	double h0 = entropy(prior, n), expect = 0;
	for (size_t o = 0; o < t->noutcomes; o++) {
		double po = 0;
		for (size_t h = 0; h < n; h++) {
			post[h] = prior[h] * outcome_prob(t, o, hyp[h].id);
			po += post[h];
		}
		if (po <= 0)
			continue;
		for (size_t h = 0; h < n; h++)
			post[h] /= po;
		expect += po * entropy(post, n);
	}
	free(post);
	free(prior);
	double g = h0 - expect;
	return g > 0 ? g : 0;
}

static int cmp_hyp(const void *a, const void *b)
{
	const struct bt_hypothesis *x = a, *y = b;
	if (x->probability != y->probability)
		return x->probability < y->probability ? 1 : -1;
	return strcmp(x->id, y->id);
}

static int cmp_test(const void *a, const void *b)
{
	const struct bt_next_test *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->id, y->id);
}

/* Says which hypotheses the test is about: those whose outcome distribution differs most
 * from the neutral one (what the outcome LRs speak to), weighted by how likely they are now. */
static const char *test_why(struct diag_priv *dp, const struct bt_guided_test *t,
			    const struct bt_hypothesis *hyp, size_t n)
{
	size_t best[2] = {SIZE_MAX, SIZE_MAX};
	double score[2] = {0, 0};
	for (size_t h = 0; h < n; h++) {
		double sc = 0;
		for (size_t o = 0; o < t->noutcomes; o++)
			sc += fabs(outcome_prob(t, o, hyp[h].id) - neutral_prob(t, o));
		sc *= hyp[h].probability;
		if (sc > score[0]) {
			score[1] = score[0];
			best[1] = best[0];
			score[0] = sc;
			best[0] = h;
		} else if (sc > score[1]) {
			score[1] = sc;
			best[1] = h;
		}
	}
	if (best[0] == SIZE_MAX)
		return keep_copy(dp, "narrows the field");
	if (best[1] != SIZE_MAX && score[1] > 0.5 * score[0])
		return keep(dp, bt_xasprintf("checks %s (%.0f%%) and %s (%.0f%%)", hyp[best[0]].id,
					     100 * hyp[best[0]].probability, hyp[best[1]].id,
					     100 * hyp[best[1]].probability));
	return keep(dp, bt_xasprintf("checks %s (%.0f%%)", hyp[best[0]].id,
				     100 * hyp[best[0]].probability));
}

/* The profile's condition for offering a test ("not after a successful restore"). */
static bool test_offered(const struct bt_boards *set, const struct bt_board *b,
			 const struct bt_guided_test *t, const struct bt_evset *ev)
{
	const struct bt_test_priv *tp = NULL;
	const struct bt_board *scopes[2] = {set ? set->common : NULL, b};
	for (size_t s = 0; s < 2 && !tp; s++)
		for (size_t i = 0; scopes[s] && i < scopes[s]->ntests && !tp; i++)
			if (&scopes[s]->tests[i].pub == t)
				tp = &scopes[s]->tests[i];
	for (size_t i = 0; tp && i < tp->nwhen; i++) {
		const struct bt_evidence *hit;
		if (!bt_pred_holds(&tp->when[i], ev, &hit))
			return false;
	}
	return true;
}

static void rank_tests(struct diag_priv *dp, const struct bt_boards *set, const struct bt_board *b,
		       const struct bt_evset *ev)
{
	size_t nt = bt_board_test_count(set, b);
	for (size_t i = 0; i < nt; i++) {
		const struct bt_guided_test *t = bt_board_test_at(set, b, i);
		if (!t || bt_board_test_find(set, b, t->id) != t)
			continue; /* shadowed by the board's own test of that id */
		bool done = false;
		for (size_t k = 0; k < dp->pub.ndone; k++)
			done = done || !strcmp(dp->done[k], t->id);
		if (done || !test_offered(set, b, t, ev))
			continue;
		double gain = expected_gain(t, dp->hyp, dp->pub.nhyp);
		if (gain < MIN_GAIN_BITS)
			continue;
		double minutes = t->minutes > 0 ? t->minutes : 10;
		double value = gain / (minutes / 10.0) * (t->data_loss ? DATA_LOSS_FACTOR : 1.0);
		dp->tests = bt_xrealloc(dp->tests, (dp->pub.ntests + 1) * sizeof *dp->tests);
		dp->tests[dp->pub.ntests++] = (struct bt_next_test){
			.id = t->id,
			.title = t->title,
			.value = value,
			.cost = t->cost,
			.risk = t->risk,
			.gain_bits = gain,
			.minutes = minutes,
			.data_loss = t->data_loss,
			.why = test_why(dp, t, dp->hyp, dp->pub.nhyp),
		};
	}
	if (dp->pub.ntests)
		qsort(dp->tests, dp->pub.ntests, sizeof *dp->tests, cmp_test);
	dp->pub.tests = dp->tests;
}

/* ---- entry points ---------------------------------------------------------------------- */

struct bt_diagnosis *bt_engine_run(const struct bt_boards *set, const struct bt_board *board,
				   const struct bt_evset *evidence)
{
	struct diag_priv *dp = bt_xcalloc(1, sizeof *dp);
	dp->pub.board = board ? bt_board_name(board) : NULL;
	struct hyp_work *hw = NULL;
	size_t n = 0;
	build_hypotheses(set, board, &hw, &n);

	struct bt_evset *empty = NULL;
	const struct bt_evset *ev = evidence;
	if (!ev)
		ev = empty = bt_evset_new();
	char **groups = NULL;
	size_t ngroups = 0;
	apply_rules(dp, set ? set->common : NULL, board, ev, hw, n, &groups, &ngroups);
	apply_rules(dp, board, board, ev, hw, n, &groups, &ngroups);
	free(groups);
	apply_tests(dp, set, board, ev, hw, n);

	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(hw[i].w) || hw[i].w < 1e-300)
			hw[i].w = 1e-300; /* keep every hypothesis representable */
		sum += hw[i].w;
	}
	dp->hyp = bt_xcalloc(n ? n : 1, sizeof *dp->hyp);
	for (size_t i = 0; i < n; i++) {
		dp->hyp[i] = hw[i].pub;
		dp->hyp[i].probability = sum > 0 ? hw[i].w / sum : 0;
		dp->hyp[i].contribs = hw[i].contribs;
		dp->hyp[i].ncontribs = hw[i].ncontribs;
		if (hw[i].contribs) {
			dp->contrib_arrays = bt_xrealloc(dp->contrib_arrays,
							 (dp->ncontrib_arrays + 1) * sizeof(void *));
			dp->contrib_arrays[dp->ncontrib_arrays++] = hw[i].contribs;
		}
	}
	free(hw);
	if (n)
		qsort(dp->hyp, n, sizeof *dp->hyp, cmp_hyp);
	dp->pub.nhyp = n;
	dp->pub.hyp = dp->hyp;
	rank_tests(dp, set, board, ev);
	bt_evset_free(empty);
	return &dp->pub;
}

void bt_diagnosis_free(struct bt_diagnosis *d)
{
	if (!d)
		return;
	struct diag_priv *dp = (struct diag_priv *)d;
	for (size_t i = 0; i < dp->ncontrib_arrays; i++)
		free(dp->contrib_arrays[i]);
	free(dp->contrib_arrays);
	free(dp->hyp);
	free(dp->tests);
	free(dp->done);
	for (size_t i = 0; i < dp->npool; i++)
		free(dp->pool[i]);
	free(dp->pool);
	free(dp);
}
