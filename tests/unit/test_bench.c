/* Unit tests for src/bench: the replay pace, the three log sources (replay, followed file,
 * command under a pty) and a demo bench session driven without a terminal. Every wait is
 * bounded. Run from the repository root (tests/run-all.sh does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "bench/logsrc.h"
#include "bench/supply_feed.h"
#include "core/err.h"
#include "guided/guided.h"

struct got {
	char lines[16][64];
	long lineno[16];
	int n;
};

static int collect(const struct bt_line *line, void *user)
{
	struct got *g = user;
	if (g->n < 16) {
		snprintf(g->lines[g->n], sizeof g->lines[0], "%s", line->text);
		g->lineno[g->n] = line->lineno;
		g->n++;
	}
	return BT_OK;
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bt-test-bench.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void replay_pace(void **state)
{
	(void)state;
	double wait = bt_replay_delay("Waiting for device to enter restore mode...");
	double cp = bt_replay_delay("CHECKPOINT BEGIN: RESTORED:[0x060D] wait_for_storage");
	double chat = bt_replay_delay("img4tool version: 0.197");
	assert_true(wait > cp);
	assert_true(cp > chat);
	assert_true(chat > 0);
	assert_true(bt_replay_delay("") > 0);
	assert_true(bt_replay_delay(NULL) > 0);
}

static void replay_source(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/r.log", tmpdir);
	write_file(path, "w", "one\nWaiting for device\nthree\n");
	struct bt_logsrc *s = NULL;
	char err[128];
	assert_int_equal(bt_logsrc_replay(&s, path, 1.0, 100.0, err, sizeof err), BT_OK);
	assert_int_equal(bt_logsrc_kind(s), BT_LOGSRC_REPLAY);
	assert_int_equal(bt_logsrc_fd(s), -1);
	struct got g = { .n = 0 };
	/* At the start only the first line is due. */
	assert_int_equal(bt_logsrc_service(s, 100.0, collect, &g), BT_OK);
	assert_int_equal(g.n, 1);
	assert_true(bt_logsrc_deadline(s) > 100.0);
	assert_int_equal(bt_logsrc_service(s, bt_logsrc_deadline(s), collect, &g), BT_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.lines[1], "Waiting for device");
	assert_false(bt_logsrc_ended(s));
	/* The wait after "Waiting for" is long: a moment later nothing more is due. */
	assert_int_equal(bt_logsrc_service(s, bt_logsrc_deadline(s) - 0.5, collect, &g), BT_OK);
	assert_int_equal(g.n, 2);
	assert_true(bt_logsrc_remaining(s) > 0);
	assert_true(bt_logsrc_remaining(s) < bt_replay_delay("three") + 1e-9);
	assert_int_equal(bt_logsrc_drain(s, collect, &g), BT_OK);
	assert_int_equal(g.n, 3);
	assert_true(bt_logsrc_remaining(s) == 0);
	assert_int_equal(g.lineno[2], 3);
	assert_true(bt_logsrc_ended(s));
	assert_true(bt_logsrc_deadline(s) < 0);
	/* Restart from another file. */
	char path2[128];
	snprintf(path2, sizeof path2, "%s/r2.log", tmpdir);
	write_file(path2, "w", "b1\nb2\n");
	assert_int_equal(bt_logsrc_restart(s, path2, 200.0, err, sizeof err), BT_OK);
	assert_false(bt_logsrc_ended(s));
	g.n = 0;
	bt_logsrc_drain(s, collect, &g);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.lines[0], "b1");
	bt_logsrc_free(s);
	char missing[160];
	snprintf(missing, sizeof missing, "%s/none.log", tmpdir);
	assert_int_equal(bt_logsrc_replay(&s, missing, 1.0, 0, err, sizeof err), BT_ERR_IO);
	assert_non_null(strstr(err, "none.log"));
}

static void follow_source(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/f.log", tmpdir);
	struct bt_logsrc *s = NULL;
	char err[128];
	/* The file does not exist yet: that is fine, it will. */
	assert_int_equal(bt_logsrc_follow(&s, path, true, err, sizeof err), BT_OK);
	struct got g = { .n = 0 };
	assert_int_equal(bt_logsrc_service(s, 1.0, collect, &g), BT_OK);
	assert_int_equal(g.n, 0);
	write_file(path, "w", "first\nsecond\npart");
	bt_logsrc_service(s, 2.0, collect, &g);
	assert_int_equal(g.n, 2);
	/* Not looked at again before its tick. */
	write_file(path, "a", "ial\nthird\n");
	bt_logsrc_service(s, 2.01, collect, &g);
	assert_int_equal(g.n, 2);
	bt_logsrc_service(s, 3.0, collect, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.lines[2], "partial");
	assert_string_equal(g.lines[3], "third");
	/* Truncated and rewritten: read again from the start. */
	write_file(path, "w", "new\n");
	bt_logsrc_service(s, 4.0, collect, &g);
	assert_int_equal(g.n, 5);
	assert_string_equal(g.lines[4], "new");
	assert_false(bt_logsrc_ended(s));
	bt_logsrc_free(s);
}

static void command_source(void **state)
{
	(void)state;
	char *argv[] = { "sh", "-c", "echo one; printf 'two\\r\\n'; echo three >&2; exit 3", NULL };
	struct bt_logsrc *s = NULL;
	char err[128];
	assert_int_equal(bt_logsrc_command(&s, argv, err, sizeof err), BT_OK);
	assert_string_equal(bt_logsrc_name(s), "sh -c echo one; printf 'two\\r\\n'; echo three >&2; exit 3");
	struct got g = { .n = 0 };
	double end = bt_bench_clock() + 10;
	while (!bt_logsrc_ended(s) && bt_bench_clock() < end) {
		struct pollfd p = { bt_logsrc_fd(s), POLLIN, 0 };
		if (p.fd < 0)
			break;
		poll(&p, 1, 200);
		bt_logsrc_service(s, bt_bench_clock(), collect, &g);
	}
	assert_true(bt_logsrc_ended(s));
	assert_int_equal(g.n, 3);
	assert_string_equal(g.lines[0], "one");
	assert_string_equal(g.lines[1], "two");
	assert_string_equal(g.lines[2], "three");
	assert_int_equal(bt_logsrc_exit_status(s), 3);
	bt_logsrc_free(s);

	/* A command that does not exist still starts a pty; the child reports 127. */
	char *bad[] = { "/nonexistent/restore-tool", NULL };
	assert_int_equal(bt_logsrc_command(&s, bad, err, sizeof err), BT_OK);
	end = bt_bench_clock() + 10;
	while (!bt_logsrc_ended(s) && bt_bench_clock() < end) {
		struct pollfd p = { bt_logsrc_fd(s), POLLIN, 0 };
		poll(&p, 1, 200);
		bt_logsrc_service(s, bt_bench_clock(), collect, &g);
	}
	assert_int_equal(bt_logsrc_exit_status(s), 127);
	bt_logsrc_free(s);
	char *none[] = { NULL };
	assert_int_equal(bt_logsrc_command(&s, none, err, sizeof err), BT_ERR_ARG);
}

/* The demo bench from the repo's data, at 50x pace; fails the test when it cannot open. */
static struct bt_bench *open_demo(struct bt_bench_opts *o, double now)
{
	memset(o, 0, sizeof *o);
	o->demo = true;
	o->demo_dir = "tests/data/demo";
	o->speed = 50;
	struct bt_bench *b = NULL;
	char err[256];
	if (bt_bench_open(&b, o, now, err, sizeof err) != BT_OK)
		fail_msg("bench_open: %s", err);
	return b;
}

static void demo_session(void **state)
{
	(void)state;
	struct bt_bench_opts o;
	char err[256];
	int rc;
	double now = bt_bench_clock();
	struct bt_bench *b = open_demo(&o, now);
	assert_true(bt_bench_simulated(b));
	bt_bench_drain(b, now);
	const struct bt_restore *r = bt_bench_restore(b);
	assert_non_null(r);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	struct bt_phone_in ph;
	bt_bench_phone_view(b, &ph);
	assert_true(ph.simulated);
	assert_string_equal(bt_evset_value(ph.ev, "iboot.mode"), "Recovery");
	assert_non_null(bt_bench_diagnosis(b));
	struct bt_attempt a;
	bt_bench_attempt(b, now + 1, &a);
	assert_true(a.valid && a.finished);
	assert_string_equal(a.outcome, "failed");
	assert_int_equal(bt_bench_attempt_index(b), 0);

	const struct bt_guided_def *defs[16];
	size_t n = bt_bench_tests(b, defs, 16);
	const struct bt_guided_def *ff = NULL;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(defs[k]->id, defs[i]->id);
		if (strcmp(defs[i]->id, "front_flex_disconnect") == 0)
			ff = defs[i];
	}
	assert_non_null(ff);

	/* Attempt B replays the other log; the failure under diagnosis stays in the evidence. */
	assert_int_equal(bt_bench_new_attempt(b, now + 2, err, sizeof err), BT_OK);
	assert_int_equal(bt_bench_attempt_index(b), 1);
	bt_bench_drain(b, now + 3);
	bt_bench_attempt(b, now + 4, &a);
	assert_string_equal(a.outcome, "succeeded");
	assert_string_equal(bt_evset_value(bt_bench_evidence(b), "restore.outcome"), "failed");

	/* A confirmed guided run lands in the evidence. */
	struct bt_guided *g = bt_guided_new(ff);
	struct bt_attempt fa;
	bt_attempt_init(&fa);
	fa.valid = fa.finished = true;
	bt_attempt_set(fa.outcome, sizeof fa.outcome, "failed");
	bt_guided_prefill_a(g, &fa);
	for (int i = 0; i < 20 && bt_guided_state(g) != BT_GS_PROPOSE; i++) {
		unsigned f = bt_guided_ack(g, now + 5);
		if (f & BT_GUIDED_WANT_RESTART)
			bt_guided_observe(g, &a);
	}
	assert_int_equal(bt_guided_state(g), BT_GS_PROPOSE);
	assert_string_equal(bt_guided_proposed(g), "restore_passed");
	bt_guided_ack(g, now + 6);
	assert_int_equal(bt_bench_record(b, g, now + 6), BT_OK);
	assert_string_equal(bt_evset_value(bt_bench_evidence(b), "test.front_flex_disconnect"),
			    "restore_passed");
	bt_guided_free(g);

	/* The loop's side: with every source drained, servicing reports no new log or phone
	 * data, and once a pending diagnosis is rebuilt nothing more (a loop that kept
	 * reporting changes would redraw without end). */
	struct pollfd fds[8];
	size_t nf = bt_bench_pollfds(b, fds, 8);
	assert_true(nf <= 8);
	double t = bt_bench_clock() + 1;
	unsigned changed = bt_bench_service(b, fds, nf, t);
	assert_int_equal(changed & (BT_BENCH_LOG | BT_BENCH_PHONE | BT_BENCH_ATTEMPT_END), 0);
	bt_bench_service(b, fds, nf, t + 10); /* past the debounce: a pending rebuild happens */
	for (int i = 2; i < 6; i++)
		assert_int_equal(bt_bench_service(b, fds, nf, t + 10 * i) & ~(unsigned)BT_BENCH_STATUS, 0);
	bt_bench_close(b);

	o.demo_dir = "/nonexistent";
	setenv("BENCHTRIAGE_DEMO", "/nonexistent", 1);
	o.argv0 = "/nonexistent/benchtriage";
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir("/"), 0);
	rc = bt_bench_open(&b, &o, now, err, sizeof err);
	assert_int_equal(chdir(cwd), 0);
	/* The executable's directory may still hold the data (a build in the tree). */
	if (rc == BT_OK)
		bt_bench_close(b);
	else
		assert_non_null(strstr(err, "demo data not found"));
	unsetenv("BENCHTRIAGE_DEMO");
}

/* The current keeps coming after the log has ended: the trace is analysed again as it grows,
 * so the chart and the diagnosis name the pattern without waiting for another log line. */
static void demo_current_is_reanalysed(void **state)
{
	(void)state;
	struct bt_bench_opts o;
	double now = bt_bench_clock();
	struct bt_bench *b = open_demo(&o, now);
	bt_bench_drain(b, now);
	const char *pattern = NULL;
	for (int i = 0; i < 150; i++) { /* up to 15 s of real time for the simulator to sample */
		struct pollfd fds[8];
		size_t nf = bt_bench_pollfds(b, fds, 8);
		poll(fds, nf, 100);
		bt_bench_service(b, fds, nf, bt_bench_clock());
		struct bt_chart_in in;
		bt_bench_chart_view(b, bt_bench_clock(), &in);
		pattern = in.pattern;
		if (pattern && strcmp(pattern, "unknown") != 0)
			break;
	}
	assert_non_null(pattern);
	assert_string_not_equal(pattern, "unknown");
	bt_bench_close(b);
}

static void bad_inputs_fail_cleanly(void **state)
{
	(void)state;
	struct bt_bench_opts o;
	memset(&o, 0, sizeof o);
	o.recording = "/nonexistent/phone.rec";
	struct bt_bench *b = NULL;
	char err[256];
	assert_int_not_equal(bt_bench_open(&b, &o, 0, err, sizeof err), BT_OK);
	assert_null(b);
	assert_non_null(strstr(err, "phone.rec"));
	memset(&o, 0, sizeof o);
	o.board = "no-such-board-xyz";
	assert_int_equal(bt_bench_open(&b, &o, 0, err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, "no-such-board-xyz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replay_pace),
		cmocka_unit_test(replay_source),
		cmocka_unit_test(follow_source),
		cmocka_unit_test(command_source),
		cmocka_unit_test(demo_session),
		cmocka_unit_test(demo_current_is_reanalysed),
		cmocka_unit_test(bad_inputs_fail_cleanly),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
