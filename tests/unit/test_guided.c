/* Unit tests for src/guided/guided.c and from_board.c: the A/B comparison, the guided-test
 * state machine, recording, and definitions built from board profiles. No terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/evidence.h"
#include "engine/board.h"
#include "guided/guided.h"

static struct bt_attempt attempt(const char *outcome, const char *step, int progress, long err)
{
	struct bt_attempt a;
	bt_attempt_init(&a);
	a.valid = true;
	a.finished = true;
	bt_attempt_set(a.outcome, sizeof a.outcome, outcome);
	bt_attempt_set(strcmp(outcome, "failed") == 0 ? a.failed_step : a.last_step, 64, step);
	a.progress = progress;
	a.host_error = err;
	return a;
}

static void builtins_are_well_formed(void **state)
{
	(void)state;
	assert_true(bt_guided_builtin_count() >= 4);
	for (size_t i = 0; i < bt_guided_builtin_count(); i++) {
		const struct bt_guided_def *d = bt_guided_builtin_at(i);
		assert_non_null(d->id);
		assert_true(d->nsteps > 0 && d->nsteps <= BT_GUIDED_MAX_STEPS);
		assert_true(d->noutcomes > 0);
		struct bt_guided *g = bt_guided_new(d);
		assert_non_null(g);
		bt_guided_free(g);
	}
	const struct bt_guided_def *ff = bt_guided_builtin("front_flex_disconnect");
	assert_non_null(ff);
	assert_int_equal(ff->steps[0].action, BT_STEP_OBSERVE_A);
	assert_int_equal(ff->steps[ff->nsteps - 1].action, BT_STEP_OBSERVE_B);
	assert_non_null(bt_guided_builtin("dfu_restore"));
	assert_string_equal(bt_guided_builtin("dfu_restore")->risk, "erases data");
	assert_null(bt_guided_builtin("no_such_test"));
	assert_null(bt_guided_builtin_at(99));
}

static void compare_outcomes(void **state)
{
	(void)state;
	const struct bt_guided_def *ff = bt_guided_builtin("front_flex_disconnect");
	struct bt_compare c;
	struct bt_attempt a = attempt("failed", "wait_for_storage", 5, 4013);

	struct bt_attempt b = attempt("succeeded", "cleanup_check_result", 30, 0);
	bt_guided_compare(ff, &a, &b, &c);
	assert_string_equal(c.outcome, "restore_passed");
	assert_true(c.b_further);
	assert_non_null(strstr(c.text, "flex connected"));
	assert_non_null(strstr(c.text, "wait_for_storage"));
	assert_non_null(strstr(c.text, "4013"));

	b = attempt("failed", "wait_for_storage", 5, 4013);
	bt_guided_compare(ff, &a, &b, &c);
	assert_string_equal(c.outcome, "same_failure");
	assert_false(c.step_differs);
	assert_false(c.error_differs);

	b = attempt("failed", "update_baseband", 9, 4013);
	bt_guided_compare(ff, &a, &b, &c);
	assert_string_equal(c.outcome, "got_further");
	assert_true(c.step_differs);

	b = attempt("failed", "send_nordata", 2, 9);
	bt_guided_compare(ff, &a, &b, &c);
	assert_string_equal(c.outcome, "different_failure");
	assert_false(c.b_further);

	/* Same step and error but a different current signature. */
	b = attempt("failed", "wait_for_storage", 5, 4013);
	bt_attempt_set(a.supply_pattern, sizeof a.supply_pattern, "boot_loop");
	bt_attempt_set(b.supply_pattern, sizeof b.supply_pattern, "normal_boot");
	bt_guided_compare(ff, &a, &b, &c);
	assert_true(c.supply_differs);
	assert_non_null(strstr(c.text, "current signature"));

	/* An unknown pattern is no evidence of a change. */
	bt_attempt_set(b.supply_pattern, sizeof b.supply_pattern, "unknown");
	bt_guided_compare(ff, &a, &b, &c);
	assert_false(c.supply_differs);

	/* Levels: 10 mA apart is noise, 100 mA apart is a change. */
	a.supply_pattern[0] = b.supply_pattern[0] = 0;
	a.level_ma = 230;
	b.level_ma = 240;
	bt_guided_compare(ff, &a, &b, &c);
	assert_false(c.supply_differs);
	b.level_ma = 330;
	bt_guided_compare(ff, &a, &b, &c);
	assert_true(c.supply_differs);

	/* Nothing observed for B: no proposal. */
	struct bt_attempt none;
	bt_attempt_init(&none);
	bt_guided_compare(ff, &a, &none, &c);
	assert_null(c.outcome);
}

static void walk_front_flex(void **state)
{
	(void)state;
	const struct bt_guided_def *ff = bt_guided_builtin("front_flex_disconnect");
	struct bt_guided *g = bt_guided_new(ff);
	assert_int_equal(bt_guided_state(g), BT_GS_SAFETY);
	struct bt_attempt a = attempt("failed", "wait_for_storage", 5, 4013);
	bt_guided_prefill_a(g, &a);

	assert_true(bt_guided_ack(g, 1.0) & BT_GUIDED_CHANGED);
	assert_int_equal(bt_guided_state(g), BT_GS_STEP);
	assert_int_equal(bt_guided_current_step(g)->action, BT_STEP_OBSERVE_A);
	/* A is already there and finished: Enter takes it, no restart. */
	unsigned f = bt_guided_ack(g, 2.0);
	assert_false(f & BT_GUIDED_WANT_RESTART);
	assert_int_equal(bt_guided_step_index(g), 1);
	assert_int_equal(bt_guided_back(g), BT_GUIDED_CHANGED);
	assert_int_equal(bt_guided_step_index(g), 0);
	bt_guided_ack(g, 2.0);
	bt_guided_ack(g, 3.0);
	bt_guided_ack(g, 4.0);
	assert_int_equal(bt_guided_current_step(g)->action, BT_STEP_OBSERVE_B);
	/* Observations before the restart are ignored. */
	struct bt_attempt b = attempt("succeeded", "done", 20, 0);
	assert_int_equal(bt_guided_observe(g, &b), 0);
	f = bt_guided_ack(g, 5.0);
	assert_true(f & BT_GUIDED_WANT_RESTART);
	int which = -1;
	assert_true(bt_guided_observing(g, &which));
	assert_int_equal(which, 1);
	/* Live, then finished: the run moves to the proposal by itself. */
	b.finished = false;
	bt_attempt_set(b.outcome, sizeof b.outcome, "incomplete");
	assert_true(bt_guided_observe(g, &b) & BT_GUIDED_CHANGED);
	assert_int_equal(bt_guided_state(g), BT_GS_STEP);
	b = attempt("succeeded", "done", 20, 0);
	bt_guided_observe(g, &b);
	assert_int_equal(bt_guided_state(g), BT_GS_PROPOSE);
	assert_string_equal(bt_guided_proposed(g), "restore_passed");
	assert_string_equal(bt_guided_chosen(g), "restore_passed");
	assert_false(bt_guided_corrected(g));

	/* The technician corrects it, then confirms. */
	bt_guided_move(g, 2);
	assert_string_equal(bt_guided_chosen(g), "same_failure");
	assert_true(bt_guided_corrected(g));
	bt_guided_move(g, -2);
	bt_guided_move(g, -1); /* wraps to the last */
	assert_string_equal(bt_guided_chosen(g), ff->outcomes[ff->noutcomes - 1].id);
	bt_guided_move(g, 1);
	assert_string_equal(bt_guided_chosen(g), "restore_passed");
	struct bt_evset *ev = bt_evset_new();
	assert_int_equal(bt_guided_record(g, ev, 6.0), BT_ERR_NA); /* not confirmed yet */
	f = bt_guided_ack(g, 7.5);
	assert_true(f & BT_GUIDED_WANT_RECORD);
	assert_int_equal(bt_guided_state(g), BT_GS_DONE);
	assert_true(bt_guided_done_time(g) == 7.5);
	assert_int_equal(bt_guided_record(g, ev, bt_guided_done_time(g)), BT_OK);
	const struct bt_evidence *e = bt_evset_find(ev, "test.front_flex_disconnect");
	assert_non_null(e);
	assert_string_equal(e->value, "restore_passed");
	assert_string_equal(e->source, "technician");
	assert_true(e->time_s > 7.4 && e->time_s < 7.6);
	assert_non_null(strstr(e->excerpt, "Confirmed"));
	bt_evset_free(ev);
	bt_guided_free(g);
}

static void live_attempt_a_is_watched(void **state)
{
	(void)state;
	struct bt_guided *g = bt_guided_new(bt_guided_builtin("cable_port_computer_swap"));
	struct bt_attempt a = attempt("incomplete", "send_nordata", 3, 0);
	a.finished = false;
	bt_guided_prefill_a(g, &a);
	bt_guided_ack(g, 0); /* safety */
	int which = -1;
	assert_true(bt_guided_observing(g, &which));
	assert_int_equal(which, 0);
	a = attempt("failed", "send_nordata", 3, 9);
	bt_guided_observe(g, &a);
	assert_int_equal(bt_guided_step_index(g), 1);
	assert_string_equal(bt_guided_attempt(g, 0)->outcome, "failed");
	/* Enter while watching B ends the attempt as the technician says. */
	bt_guided_ack(g, 0);
	bt_guided_ack(g, 0);
	assert_true(bt_guided_ack(g, 0) & BT_GUIDED_WANT_RESTART);
	struct bt_attempt b = attempt("failed", "send_nordata", 3, 9);
	b.finished = false;
	bt_guided_observe(g, &b);
	bt_guided_ack(g, 0);
	assert_int_equal(bt_guided_state(g), BT_GS_PROPOSE);
	assert_true(bt_guided_attempt(g, 1)->finished);
	assert_string_equal(bt_guided_proposed(g), "same_failure");
	bt_guided_free(g);
}

static void checklist_and_cancel(void **state)
{
	(void)state;
	const struct bt_guided_def *cl = bt_guided_builtin("symptom_checklist");
	struct bt_guided *g = bt_guided_new(cl);
	assert_int_equal(bt_guided_state(g), BT_GS_STEP); /* no safety notes */
	assert_int_equal(bt_guided_toggle(g), BT_GUIDED_CHANGED);
	bt_guided_move(g, 2);
	bt_guided_toggle(g);
	bt_guided_toggle(g);
	bt_guided_toggle(g);
	assert_true(bt_guided_item_checked(g, 0));
	assert_true(bt_guided_item_checked(g, 2));
	assert_false(bt_guided_item_checked(g, 1));
	bt_guided_ack(g, 1);
	assert_string_equal(bt_guided_proposed(g), "symptoms_seen");
	bt_guided_ack(g, 2);
	struct bt_evset *ev = bt_evset_new();
	assert_int_equal(bt_guided_record(g, ev, 3), BT_OK);
	char key[96];
	snprintf(key, sizeof key, "symptom.%s", cl->items[0].id);
	assert_string_equal(bt_evset_value(ev, key), "yes");
	snprintf(key, sizeof key, "symptom.%s", cl->items[1].id);
	assert_null(bt_evset_value(ev, key));
	assert_string_equal(bt_evset_value(ev, "test.symptom_checklist"), "symptoms_seen");
	bt_guided_free(g);

	g = bt_guided_new(cl);
	bt_guided_ack(g, 1);
	assert_string_equal(bt_guided_proposed(g), "none_seen");
	assert_int_equal(bt_guided_cancel(g), BT_GUIDED_CHANGED);
	assert_int_equal(bt_guided_state(g), BT_GS_CANCELLED);
	assert_int_equal(bt_guided_ack(g, 2), 0);
	size_t before = bt_evset_count(ev);
	assert_int_equal(bt_guided_record(g, ev, 3), BT_ERR_NA);
	assert_int_equal(bt_evset_count(ev), before);
	bt_evset_free(ev);
	bt_guided_free(g);
	assert_null(bt_guided_new(NULL));
}

static void from_board_profile(void **state)
{
	(void)state;
	static const char *const steps[] = {
		"Open the phone and disconnect the battery.",
		"Disconnect the front flex.",
		"Reconnect the battery and retry the same restore.",
		"Reconnect the flex afterwards.",
	};
	static const struct bt_test_outcome outs[] = {
		{ "restore_passed", "Passes", 0.3, 0, NULL, "s", BT_CONF_WELL },
		{ "same_failure", "Same", 0.5, 0, NULL, "s", BT_CONF_WELL },
		{ "different_failure", "Different", 0.2, 0, NULL, "s", BT_CONF_WELL },
	};
	struct bt_guided_test t;
	memset(&t, 0, sizeof t);
	t.id = "front_flex_disconnect";
	t.title = "Disconnect the flex";
	t.risk = "opens the phone";
	t.safety = "Battery off first.";
	t.nsteps = 4;
	t.steps = steps;
	t.observe = "Whether it completes";
	t.noutcomes = 3;
	t.outcomes = outs;
	struct bt_guided_def d;
	bt_guided_def_from_board(&t, &d);
	assert_int_equal(d.kind, BT_GUIDED_RETRY_COMPARE);
	assert_int_equal(d.nsteps, 6);
	assert_int_equal(d.steps[0].action, BT_STEP_OBSERVE_A);
	assert_int_equal(d.steps[3].action, BT_STEP_DO);
	assert_int_equal(d.steps[4].action, BT_STEP_OBSERVE_B); /* right after the retry step */
	assert_string_equal(d.steps[5].text, steps[3]);
	assert_int_equal(d.noutcomes, 3);
	assert_string_equal(d.safety[0], "Battery off first.");
	/* The profile has no got_further: a later failure is proposed as different_failure. */
	struct bt_attempt a = attempt("failed", "wait_for_storage", 5, 4013);
	struct bt_attempt b = attempt("failed", "update_baseband", 9, 4013);
	struct bt_compare c;
	bt_guided_compare(&d, &a, &b, &c);
	assert_string_equal(c.outcome, "different_failure");

	/* A test that erases data says so; one without a restore is manual. */
	static const char *const msteps[] = { "Look at the speaker button in a call." };
	t.id = "audio_check";
	t.safety = "";
	t.data_loss = 1;
	t.nsteps = 1;
	t.steps = msteps;
	bt_guided_def_from_board(&t, &d);
	assert_int_equal(d.kind, BT_GUIDED_MANUAL);
	assert_int_equal(d.nsteps, 1);
	assert_non_null(strstr(d.safety[d.nsafety - 1], "ERASES"));
	struct bt_guided *g = bt_guided_new(&d);
	bt_guided_ack(g, 0);
	bt_guided_ack(g, 0);
	assert_int_equal(bt_guided_state(g), BT_GS_PROPOSE);
	assert_null(bt_guided_proposed(g));
	bt_guided_free(g);

	/* More steps than a run holds: cut, with both observations kept. */
	static const char *const many[12] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
					      "k", "retry the restore" };
	t.id = "front_flex_disconnect";
	t.data_loss = 0;
	t.nsteps = 12;
	t.steps = many;
	bt_guided_def_from_board(&t, &d);
	assert_true(d.nsteps <= BT_GUIDED_MAX_STEPS);
	assert_int_equal(d.steps[0].action, BT_STEP_OBSERVE_A);
	assert_int_equal(d.steps[d.nsteps - 1].action, BT_STEP_OBSERVE_B);
	g = bt_guided_new(&d);
	assert_non_null(g);
	bt_guided_free(g);

	const struct bt_symptom s1 = { "speaker_button_greyed", "Speaker greyed", "src" };
	const struct bt_symptom *list[] = { &s1 };
	bt_guided_def_checklist(list, 1, &d);
	assert_int_equal(d.kind, BT_GUIDED_CHECKLIST);
	assert_int_equal(d.nitems, 1);
	assert_string_equal(d.items[0].id, "speaker_button_greyed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtins_are_well_formed),
		cmocka_unit_test(compare_outcomes),
		cmocka_unit_test(walk_front_flex),
		cmocka_unit_test(live_attempt_a_is_watched),
		cmocka_unit_test(checklist_and_cancel),
		cmocka_unit_test(from_board_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
