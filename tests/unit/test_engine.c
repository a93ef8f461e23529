/* Unit tests for the engine: priors without evidence, likelihood ratios, contradicting
 * evidence, unknown boards, unrelated evidence, unverified rules, groups, recorded test
 * outcomes, and the ranking of guided tests. Profiles are inline so the numbers are known. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/evidence.h"
#include "engine/board.h"
#include "engine/engine.h"

static const char common_ini[] =
	"format = 1\n[common]\ntitle = c\n"
	"[hypothesis.usb_link]\ntitle = USB\nprior = 0.3\nsource = s\n"
	"[hypothesis.nand]\ntitle = NAND\nprior = 0.2\nsource = s\n"
	"[hypothesis.earpiece_flex]\ntitle = Flex\nprior = 0.1\ntags = faceid\nsource = s\n"
	"[hypothesis.none]\ntitle = None\nprior = 0.4\nsource = s\n"
	"[rule.storage]\nwhen = restore.subsystem = storage and restore.outcome = failed\n"
	"hypothesis = nand\nlr = 3\nconfidence = single\ngroup = st\nsource = s\nwhy = storage step\n"
	"[rule.status6]\nwhen = restore.status in 6|27\nhypothesis = nand\nlr = 2\nconfidence = single\n"
	"group = st\nsource = s\nwhy = disk failure\n"
	"[rule.success]\nwhen = restore.outcome = succeeded\nhypothesis = none\nlr = 10\n"
	"confidence = well\nsource = s\nwhy = it worked\n"
	"[rule.failed]\nwhen = restore.outcome = failed\nhypothesis = none\nlr = 0.2\n"
	"confidence = well\nsource = s\nwhy = it failed\n"
	"[rule.drop]\nwhen = restore.error in 4013|4014\nhypothesis = usb_link\nlr = 1.5\n"
	"confidence = well\nsource = s\nwhy = dropped\n"
	"[rule.flex4013]\nwhen = restore.error in 4013|4014\nhypothesis = earpiece_flex\nlr = 4\n"
	"confidence = well\ntags = faceid\nsource = s\nwhy = face id 4013\n"
	"[rule.rumour]\nwhen = restore.error = 4013\nhypothesis = nand\nlr = 1\n"
	"confidence = unverified\nsource = s\nwhy = rumour\n"
	"[rule.range]\nwhen = supply.level_ma in 60..70\nhypothesis = nand\nlr = 1.5\n"
	"confidence = single\nsource = s\nwhy = plateau\n"
	"[test.swap]\ntitle = Swap cable\ncost = low\nminutes = 10\nrisk = none\ndata_loss = no\n"
	"when = restore.outcome != succeeded\n"
	"step = swap\nobserve = o\nsource = s\n"
	"[outcome.swap.pass]\ntitle = passes\np = 0.3\nlr.usb_link = 8\nconfidence = well\nsource = s\n"
	"[outcome.swap.same]\ntitle = same\np = 0.7\nlr.usb_link = 0.15\nconfidence = well\nsource = s\n"
	"[test.flex]\ntitle = Flex off\ncost = low\nminutes = 10\nrisk = opens\ndata_loss = no\n"
	"tags = faceid\nstep = unplug\nobserve = o\nsource = s\n"
	"[outcome.flex.pass]\ntitle = passes\np = 0.3\nlr.earpiece_flex = 9\nconfidence = well\nsource = s\n"
	"[outcome.flex.same]\ntitle = same\np = 0.7\nlr.earpiece_flex = 0.12\nconfidence = well\nsource = s\n"
	"[test.wipe]\ntitle = Wipe\ncost = medium\nminutes = 10\nrisk = erases data\ndata_loss = yes\n"
	"step = wipe\nobserve = o\nsource = s\n"
	"[outcome.wipe.pass]\ntitle = passes\np = 0.3\nlr.usb_link = 8\nconfidence = well\nsource = s\n"
	"[outcome.wipe.same]\ntitle = same\np = 0.7\nlr.usb_link = 0.15\nconfidence = well\nsource = s\n";

static const char faceid_ini[] =
	"format = 1\n[board]\nname = fx\ntitle = Face board\ntags = faceid\nsource = s\n"
	"[variant.f1ap]\nproduct_type = iPhone10,3\ncpid = 0x8015\nbdid = 0x06\ntitle = F\nsource = s\n"
	"[priors]\nsource = s\nearpiece_flex = 0.2\n";

static const char touch_ini[] =
	"format = 1\n[board]\nname = tx\ntitle = Touch board\ntags = touchid\nsource = s\n"
	"[variant.t1ap]\nproduct_type = iPhone9,1\ncpid = 0x8010\nbdid = 0x08\ntitle = T\nsource = s\n";

static int setup(void **state)
{
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	int rc = bt_boards_load_string(set, "common.ini", common_ini, &d);
	rc |= bt_boards_load_string(set, "fx.ini", faceid_ini, &d);
	rc |= bt_boards_load_string(set, "tx.ini", touch_ini, &d);
	for (size_t i = 0; i < d.count; i++)
		print_error("%s\n", d.msgs[i]);
	bt_board_diags_done(&d);
	if (rc != BT_OK) {
		bt_boards_free(set);
		return -1;
	}
	*state = set;
	return 0;
}

static int teardown(void **state)
{
	bt_boards_free(*state);
	return 0;
}

static bool has_hyp(const struct bt_diagnosis *d, const char *id)
{
	for (size_t i = 0; i < d->nhyp; i++)
		if (!strcmp(d->hyp[i].id, id))
			return true;
	return false;
}

/* The hypothesis with this id; a test that asks for a missing one fails. */
static const struct bt_hypothesis *hyp(const struct bt_diagnosis *d, const char *id)
{
	static const struct bt_hypothesis missing = {.id = "(missing)", .probability = -1};
	for (size_t i = 0; i < d->nhyp; i++)
		if (!strcmp(d->hyp[i].id, id))
			return &d->hyp[i];
	fail_msg("no hypothesis %s", id);
	return &missing;
}

static double prob(const struct bt_diagnosis *d, const char *id)
{
	return hyp(d, id)->probability;
}

static void assert_sums_to_one(const struct bt_diagnosis *d)
{
	double s = 0;
	for (size_t i = 0; i < d->nhyp; i++) {
		assert_true(d->hyp[i].probability >= 0);
		s += d->hyp[i].probability;
		if (i)
			assert_true(d->hyp[i - 1].probability >= d->hyp[i].probability);
	}
	assert_true(fabs(s - 1.0) < 1e-9);
}

static void ev_add(struct bt_evset *ev, const char *k, const char *v)
{
	bt_evset_add(ev, k, v, "t.log", 7, -1, "excerpt");
}

static void no_evidence_gives_priors(void **state)
{
	const struct bt_boards *set = *state;
	const struct bt_board *tb = bt_boards_find(set, "tx");
	struct bt_evset *ev = bt_evset_new();
	struct bt_diagnosis *d = bt_engine_run(set, tb, ev);
	/* touch board: the faceid-tagged hypothesis is not possible; the rest keep their priors */
	assert_false(has_hyp(d, "earpiece_flex"));
	assert_int_equal(d->nhyp, 3);
	assert_true(fabs(prob(d, "none") - 0.4 / 0.9) < 1e-9);
	assert_true(fabs(prob(d, "usb_link") - 0.3 / 0.9) < 1e-9);
	assert_true(fabs(hyp(d, "nand")->prior - 0.2 / 0.9) < 1e-9);
	for (size_t i = 0; i < d->nhyp; i++)
		assert_int_equal(d->hyp[i].ncontribs, 0);
	assert_sums_to_one(d);
	bt_diagnosis_free(d);
	/* the face board's [priors] override the common prior */
	d = bt_engine_run(set, bt_boards_find(set, "fx"), ev);
	assert_true(fabs(prob(d, "earpiece_flex") - 0.2 / 1.1) < 1e-9);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void storage_failure_ranks_nand(void **state)
{
	const struct bt_boards *set = *state;
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.outcome", "failed");
	ev_add(ev, "restore.subsystem", "storage");
	ev_add(ev, "restore.status", "6");
	struct bt_diagnosis *d = bt_engine_run(set, bt_boards_find(set, "tx"), ev);
	assert_string_equal(d->hyp[0].id, "nand");
	/* grouped rules: only the first matching one of group "st" applies */
	const struct bt_hypothesis *n = hyp(d, "nand");
	assert_int_equal(n->ncontribs, 1);
	assert_string_equal(n->contribs[0].rule, "storage");
	assert_true(n->contribs[0].lr == 3);
	assert_string_equal(n->contribs[0].origin, "t.log:7");
	assert_string_equal(n->contribs[0].confidence, "single");
	/* posterior odds nand:usb_link = prior odds x 3 */
	assert_true(fabs(prob(d, "nand") / prob(d, "usb_link") - (0.2 * 3) / 0.3) < 1e-9);
	assert_sums_to_one(d);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void contradicting_evidence(void **state)
{
	const struct bt_boards *set = *state;
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.outcome", "succeeded");
	struct bt_diagnosis *d = bt_engine_run(set, NULL, ev);
	double none_ok = prob(d, "none");
	assert_string_equal(d->hyp[0].id, "none");
	bt_diagnosis_free(d);
	/* a second log of the same phone failing pulls "none" back down */
	ev_add(ev, "restore.outcome", "failed");
	ev_add(ev, "restore.subsystem", "storage");
	d = bt_engine_run(set, NULL, ev);
	assert_true(prob(d, "none") < none_ok);
	assert_true(prob(d, "nand") > hyp(d, "nand")->prior);
	assert_sums_to_one(d);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void unknown_board(void **state)
{
	const struct bt_boards *set = *state;
	assert_null(bt_boards_find(set, "iPhone99,9"));
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.error", "4013");
	struct bt_diagnosis *d = bt_engine_run(set, NULL, ev);
	assert_null(d->board);
	/* on an unknown board the Face ID hypothesis stays possible but its tagged rule and test
	 * do not apply: nothing is concluded from a missing identity */
	assert_true(has_hyp(d, "earpiece_flex"));
	assert_int_equal(hyp(d, "earpiece_flex")->ncontribs, 0);
	for (size_t i = 0; i < d->ntests; i++)
		assert_string_not_equal(d->tests[i].id, "flex");
	assert_sums_to_one(d);
	bt_diagnosis_free(d);
	/* no profiles at all: the fixed hypotheses, equally likely */
	struct bt_boards *empty = bt_boards_new();
	d = bt_engine_run(empty, NULL, ev);
	assert_int_equal(d->nhyp, 11);
	assert_true(fabs(d->hyp[0].probability - 1.0 / 11) < 1e-9);
	bt_diagnosis_free(d);
	d = bt_engine_run(NULL, NULL, NULL);
	assert_int_equal(d->nhyp, 11);
	bt_diagnosis_free(d);
	bt_boards_free(empty);
	bt_evset_free(ev);
}

static void unrelated_evidence_changes_nothing(void **state)
{
	const struct bt_boards *set = *state;
	const struct bt_board *fx = bt_boards_find(set, "fx");
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.error", "4013");
	struct bt_diagnosis *a = bt_engine_run(set, fx, ev);
	ev_add(ev, "restore.family", "idevicerestore");
	ev_add(ev, "symptom.smells_of_coffee", "yes");
	ev_add(ev, "supply.level_ma", "500");
	ev_add(ev, "restore.subsystem", "storage"); /* without outcome=failed the rule needs both */
	struct bt_diagnosis *b = bt_engine_run(set, fx, ev);
	assert_int_equal(a->nhyp, b->nhyp);
	for (size_t i = 0; i < a->nhyp; i++) {
		assert_string_equal(a->hyp[i].id, b->hyp[i].id);
		assert_true(fabs(a->hyp[i].probability - b->hyp[i].probability) < 1e-12);
	}
	bt_diagnosis_free(a);
	bt_diagnosis_free(b);
	bt_evset_free(ev);
}

static void unverified_rule_has_no_effect(void **state)
{
	const struct bt_boards *set = *state;
	const struct bt_board *tb = bt_boards_find(set, "tx");
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.error", "4013"); /* matches rule.rumour (unverified) and rule.drop */
	struct bt_diagnosis *d = bt_engine_run(set, tb, ev);
	const struct bt_hypothesis *n = hyp(d, "nand");
	assert_int_equal(n->ncontribs, 0);
	/* nand moved only through normalisation: its odds against none are the prior odds */
	assert_true(fabs(prob(d, "nand") / prob(d, "none") - 0.2 / 0.4) < 1e-9);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void numeric_range_and_ids(void **state)
{
	const struct bt_boards *set = *state;
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "supply.level_ma", "65.5");
	struct bt_diagnosis *d = bt_engine_run(set, NULL, ev);
	assert_int_equal(hyp(d, "nand")->ncontribs, 1);
	bt_diagnosis_free(d);
	bt_evset_remove(ev, "supply.level_ma");
	ev_add(ev, "supply.level_ma", "71");
	d = bt_engine_run(set, NULL, ev);
	assert_int_equal(hyp(d, "nand")->ncontribs, 0);
	bt_diagnosis_free(d);
	bt_evset_remove(ev, "supply.level_ma");
	ev_add(ev, "supply.level_ma", "not a number");
	d = bt_engine_run(set, NULL, ev);
	assert_int_equal(hyp(d, "nand")->ncontribs, 0);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void faceid_4013_recommends_flex_first(void **state)
{
	const struct bt_boards *set = *state;
	const struct bt_board *fx = bt_boards_find(set, "fx");
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.error", "4013");
	struct bt_diagnosis *d = bt_engine_run(set, fx, ev);
	assert_string_equal(d->hyp[0].id, "earpiece_flex");
	assert_true(d->ntests >= 2);
	assert_string_equal(d->tests[0].id, "flex");
	assert_true(d->tests[0].gain_bits > 0);
	/* the data-losing test with the same information ranks below the free one */
	size_t iswap = 0, iwipe = 0;
	for (size_t i = 0; i < d->ntests; i++) {
		if (!strcmp(d->tests[i].id, "swap"))
			iswap = i;
		if (!strcmp(d->tests[i].id, "wipe"))
			iwipe = i;
	}
	assert_true(iswap < iwipe);
	assert_true(d->tests[iwipe].data_loss == 1);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void recorded_test_applies_and_is_not_proposed(void **state)
{
	const struct bt_boards *set = *state;
	const struct bt_board *fx = bt_boards_find(set, "fx");
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.error", "4013");
	struct bt_diagnosis *before = bt_engine_run(set, fx, ev);
	double flex_before = prob(before, "earpiece_flex");
	ev_add(ev, "test.flex", "same");
	struct bt_diagnosis *after = bt_engine_run(set, fx, ev);
	assert_true(prob(after, "earpiece_flex") < flex_before / 3);
	for (size_t i = 0; i < after->ntests; i++)
		assert_string_not_equal(after->tests[i].id, "flex");
	assert_int_equal(after->ndone, 1);
	assert_string_equal(after->done[0], "flex");
	const struct bt_hypothesis *h = hyp(after, "earpiece_flex");
	bool seen = false;
	for (size_t i = 0; i < h->ncontribs; i++)
		seen = seen || !strcmp(h->contribs[i].rule, "test.flex");
	assert_true(seen);
	assert_sums_to_one(after);
	bt_diagnosis_free(before);
	bt_diagnosis_free(after);
	/* the passing outcome confirms the flex */
	bt_evset_remove(ev, "test.flex");
	ev_add(ev, "test.flex", "pass");
	after = bt_engine_run(set, fx, ev);
	assert_string_equal(after->hyp[0].id, "earpiece_flex");
	assert_true(prob(after, "earpiece_flex") > 0.5);
	bt_diagnosis_free(after);
	bt_evset_free(ev);
}

static void tests_gated_by_when(void **state)
{
	const struct bt_boards *set = *state;
	struct bt_evset *ev = bt_evset_new();
	ev_add(ev, "restore.outcome", "succeeded");
	struct bt_diagnosis *d = bt_engine_run(set, bt_boards_find(set, "tx"), ev);
	for (size_t i = 0; i < d->ntests; i++)
		assert_string_not_equal(d->tests[i].id, "swap");
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

static void extreme_evidence_stays_finite(void **state)
{
	const struct bt_boards *set = *state;
	struct bt_evset *ev = bt_evset_new();
	/* the same item many times counts once per rule, not 2000 times */
	for (int i = 0; i < 2000; i++)
		ev_add(ev, "restore.outcome", "succeeded");
	struct bt_diagnosis *d = bt_engine_run(set, NULL, ev);
	assert_sums_to_one(d);
	assert_int_equal(hyp(d, "none")->ncontribs, 1);
	for (size_t i = 0; i < d->nhyp; i++)
		assert_true(isfinite(d->hyp[i].probability));
	bt_diagnosis_free(d);
	bt_evset_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_evidence_gives_priors),
		cmocka_unit_test(storage_failure_ranks_nand),
		cmocka_unit_test(contradicting_evidence),
		cmocka_unit_test(unknown_board),
		cmocka_unit_test(unrelated_evidence_changes_nothing),
		cmocka_unit_test(unverified_rule_has_no_effect),
		cmocka_unit_test(numeric_range_and_ids),
		cmocka_unit_test(faceid_4013_recommends_flex_first),
		cmocka_unit_test(recorded_test_applies_and_is_not_proposed),
		cmocka_unit_test(tests_gated_by_when),
		cmocka_unit_test(extreme_evidence_stays_finite),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
