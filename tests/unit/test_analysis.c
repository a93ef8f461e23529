/* Unit tests for src/analysis: every simulator scenario, sampled at each supply family's rate
 * and resolution, must come back as its pattern, level and period; the sample rate must limit
 * the claims; the CSV reader must reject bad input with file:line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/trace.h"
#include "analysis/trace_csv.h"
#include "core/err.h"
#include "core/evidence.h"
#include "engine/board.h"
#include "supply/sim_load.h"

/* Samples a scenario like a supply would: rate_hz with +-10 % jitter in spacing, board noise of
 * +-1.5 mA, quantised to res_a, clamped at limit_a. Deterministic (fixed seed). */
static struct bt_trace *sample(enum bt_scenario s, double rate_hz, double res_a, double limit_a,
			       double seconds, unsigned seed)
{
	struct bt_trace *t = bt_trace_new();
	srand(seed);
	double time = 0;
	while (time <= seconds) {
		double i = bt_scenario_current(s, time);
		if (i > limit_a)
			i = limit_a;
		else if (i > 0)
			i += ((double)rand() / RAND_MAX - 0.5) * 0.003;
		if (i < 0)
			i = 0;
		i = round(i / res_a) * res_a;
		assert_int_equal(bt_trace_add(t, time, i, 4.2), BT_OK);
		time += (1.0 / rate_hz) * (0.9 + 0.2 * (double)rand() / RAND_MAX);
	}
	return t;
}

struct family {
	const char *name;
	double rate, res;
};

/* Rates and resolutions of the supported families (docs/supply.md): Korad ~6.5 Hz at 1 mA,
 * Riden RD6006 ~9 Hz at 1 mA, RD6018 ~9 Hz at 10 mA, DPS ~2.3 Hz at 1 mA, UM25C ~6 Hz at 0.1 mA. */
static const struct family families[] = {
	{ "korad", 6.5, 0.001 }, { "rd6006", 9.0, 0.001 }, { "rd6018", 9.0, 0.01 },
	{ "dps", 2.3, 0.001 }, { "um25c", 6.0, 0.0001 },
};

static void every_scenario_recovered(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		for (int s = 0; s < BT_SCN_COUNT; s++) {
			for (unsigned seed = 1; seed <= 3; seed++) {
				struct bt_scenario_truth truth;
				bt_scenario_truth((enum bt_scenario)s, &truth);
				struct bt_trace *t = sample((enum bt_scenario)s, families[f].rate, families[f].res,
							    3.0, 20.0, seed);
				struct bt_trace_result r;
				bt_trace_analyze(t, -1, &r);
				if (strcmp(r.pattern, truth.pattern) != 0)
					fail_msg("%s/%s seed %u: pattern %s, want %s", families[f].name,
						 bt_scenario_name((enum bt_scenario)s), seed, r.pattern, truth.pattern);
				double tol = fmax(2.0, 2 * families[f].res * 1000);
				if (truth.level_ma > 0) {
					assert_true(!isnan(r.level_ma));
					assert_true(fabs(r.level_ma - truth.level_ma) <= tol);
					assert_true(r.plateau_s > 15.0);
				}
				if (truth.period_s > 0) {
					assert_true(!isnan(r.period_s));
					assert_true(fabs(r.period_s - truth.period_s) <= 0.1 * truth.period_s);
					assert_true(fabs(r.peak_ma - truth.peak_ma) <= tol);
					assert_true(r.cycles >= 4);
				}
				if (s == BT_SCN_SHORT) {
					assert_true(fabs(r.level_ma - 3000) <= tol);
					assert_true(r.prepress_ma > 2900);
				} else {
					assert_true(r.prepress_ma == 0);
				}
				if (s == BT_SCN_NORMAL)
					assert_true(r.stage >= truth.steps - 1);
				assert_true(fabs(r.rate_hz - families[f].rate) < 0.1 * families[f].rate);
				/* off and short hold one value: nothing shows the resolution */
				if (s == BT_SCN_OFF || s == BT_SCN_SHORT)
					assert_true(isnan(r.resolution_ma) != 0);
				else if (!(fabs(r.resolution_ma - families[f].res * 1000) < 1e-6))
					fail_msg("%s/%s: resolution %g", families[f].name,
						 bt_scenario_name((enum bt_scenario)s), r.resolution_ma);
				bt_trace_free(t);
			}
		}
	}
}

static void rate_limits_the_period_claim(void **state)
{
	(void)state;
	/* 0.9 Hz sees the 4 s loop with under four samples per cycle: cycles yes, period no. */
	struct bt_trace *t = sample(BT_SCN_BOOTLOOP, 0.9, 0.001, 3.0, 40.0, 7);
	struct bt_trace_result r;
	bt_trace_analyze(t, -1, &r);
	assert_string_equal(r.pattern, "boot_loop");
	assert_true(isnan(r.period_s) != 0);
	assert_int_equal(r.period_too_fast, 1);
	struct bt_evset *set = bt_evset_new();
	bt_trace_evidence(&r, "t.csv", set);
	assert_null(bt_evset_value(set, "supply.period_s"));
	assert_string_equal(bt_evset_value(set, "supply.period_limited"), "yes");
	bt_evset_free(set);
	bt_trace_free(t);
	/* A plateau seen for under three seconds is not claimed as one. */
	t = sample(BT_SCN_PLATEAU, 5, 0.001, 3.0, 3.0, 3);
	bt_trace_analyze(t, -1, &r);
	assert_string_not_equal(r.pattern, "plateau");
	bt_trace_free(t);
}

static void short_at_known_limit_and_low_plateau_from_start(void **state)
{
	(void)state;
	/* A 200 mA limit pinned from plug-in: a short only because the limit is known. */
	struct bt_trace *t = bt_trace_new();
	for (int k = 0; k < 50; k++)
		bt_trace_add(t, k * 0.2, 0.200, 0.8);
	struct bt_trace_result r;
	bt_trace_analyze(t, 0.2, &r);
	assert_string_equal(r.pattern, "short");
	bt_trace_analyze(t, -1, &r);
	assert_string_equal(r.pattern, "plateau");
	assert_true(r.prepress_ma > 199);
	bt_trace_free(t);
}

static void evidence_keys(void **state)
{
	(void)state;
	struct bt_trace *t = sample(BT_SCN_PLATEAU, 4, 0.001, 3.0, 12.0, 2);
	struct bt_trace_result r;
	bt_trace_analyze(t, -1, &r);
	struct bt_evset *set = bt_evset_new();
	bt_trace_evidence(&r, "x.csv", set);
	assert_string_equal(bt_evset_value(set, "supply.pattern"), "plateau");
	int lvl = atoi(bt_evset_value(set, "supply.level_ma"));
	assert_true(lvl >= 68 && lvl <= 72);
	assert_string_equal(bt_evset_value(set, "supply.prepress_ma"), "0");
	assert_string_equal(bt_evset_value(set, "supply.resolution_ma"), "1");
	assert_non_null(bt_evset_value(set, "supply.rate_hz"));
	assert_string_equal(bt_evset_find(set, "supply.pattern")->source, "x.csv");
	bt_evset_free(set);
	bt_trace_free(t);
}


static void takeoff_against_board_profile(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = { 0, NULL };
	assert_int_equal(bt_boards_load_file(set, "boards/iphone6.ini", &d), BT_OK);
	bt_board_diags_done(&d);
	const struct bt_board *b = bt_boards_find(set, "iphone6");
	assert_non_null(b);
	/* a board that takes off at 20 mA (under half of the profile's 70 mA) and stays there */
	struct bt_trace *t = bt_trace_new();
	for (int k = 0; k < 60; k++)
		bt_trace_add(t, k * 0.25, k < 8 ? 0.0 : 0.020 + 0.001 * (k % 2), 4.2);
	struct bt_trace_result r;
	bt_trace_analyze(t, -1, &r);
	assert_true(fabs(r.takeoff_ma - 20.5) <= 1);
	struct bt_evset *ev = bt_evset_new();
	bt_trace_board_evidence(&r, b, "t.csv", ev);
	assert_string_equal(bt_evset_value(ev, "supply.takeoff_low"), "yes");
	bt_trace_free(t);
	/* the simulator's boot loop takes off at 50 mA: not low for this board */
	t = sample(BT_SCN_BOOTLOOP, 6, 0.001, 3.0, 12.0, 5);
	bt_trace_analyze(t, -1, &r);
	assert_true(fabs(r.takeoff_ma - 50) <= 2);
	bt_trace_board_evidence(&r, b, "t.csv", ev);
	assert_string_equal(bt_evset_value(ev, "supply.takeoff_low"), "no");
	/* no board, no board-relative claim */
	bt_evset_remove(ev, "supply.takeoff_low");
	bt_trace_board_evidence(&r, NULL, "t.csv", ev);
	assert_null(bt_evset_value(ev, "supply.takeoff_low"));
	bt_evset_free(ev);
	bt_trace_free(t);
	bt_boards_free(set);
}

static int parse(const char *text, char *err, size_t errlen, size_t *count)
{
	struct bt_trace *t = bt_trace_new();
	int rc = bt_trace_csv_parse("mem.csv", text, strlen(text), t, err, errlen);
	*count = bt_trace_count(t);
	bt_trace_free(t);
	return rc;
}

static void csv_reader(void **state)
{
	(void)state;
	char err[200];
	size_t n;
	assert_int_equal(parse("time_s,current_a,voltage_v\r\n0,0.07,4.2\r\n0.25,0.071,\n# note\n0.5,0.070,4.2", err,
			       sizeof err, &n), BT_OK);
	assert_int_equal(n, 3);
	assert_int_equal(parse("t,i\n0,1\n", err, sizeof err, &n), BT_ERR_DATA);
	assert_string_equal(err, "mem.csv:1: expected the header time_s,current_a,voltage_v");
	assert_int_equal(parse("time_s,current_a,voltage_v\n0,0.1,4\n1,abc,4\n", err, sizeof err, &n), BT_ERR_DATA);
	assert_string_equal(err, "mem.csv:3: current_a is not a number within +-100 A");
	assert_int_equal(parse("time_s,current_a,voltage_v\n1,0.1,4\n0.5,0.1,4\n", err, sizeof err, &n), BT_ERR_DATA);
	assert_non_null(strstr(err, "mem.csv:3: time goes backwards"));
	assert_int_equal(parse("time_s,current_a,voltage_v\n1,0.1,4,5\n", err, sizeof err, &n), BT_ERR_DATA);
	assert_non_null(strstr(err, ":2: expected 2 or 3"));
	assert_int_equal(parse("", err, sizeof err, &n), BT_ERR_DATA);
	assert_int_equal(parse("time_s,current_a,voltage_v\n", err, sizeof err, &n), BT_ERR_DATA);
	/* a 10 kB line is cut at the cap and reported, not stored */
	char *big = malloc(10100);
	strcpy(big, "time_s,current_a,voltage_v\n0,");
	memset(big + strlen(big), '1', 10000);
	big[10029] = '\0';
	assert_int_equal(parse(big, err, sizeof err, &n), BT_ERR_DATA);
	assert_non_null(strstr(err, "mem.csv:2: line too long"));
	free(big);
}

static void csv_file_evidence(void **state)
{
	(void)state;
	char path[] = "/tmp/bt-trace-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("time_s,current_a,voltage_v\n", f);
	/* a boot loop every 3 s, 0 -> 120 mA, sampled at 5 Hz */
	for (int k = 0; k < 150; k++) {
		double t = k * 0.2;
		double ph = fmod(t, 3.0);
		fprintf(f, "%.3f,%.3f,4.20\n", t, ph >= 1.0 ? 0.120 : 0.0);
	}
	fclose(f);
	struct bt_evset *set = bt_evset_new();
	char err[200];
	assert_int_equal(bt_trace_csv_evidence(path, NULL, set, err, sizeof err), BT_OK);
	assert_string_equal(bt_evset_value(set, "supply.pattern"), "boot_loop");
	double p = atof(bt_evset_value(set, "supply.period_s"));
	assert_true(fabs(p - 3.0) < 0.25);
	assert_string_equal(bt_evset_value(set, "supply.peak_ma"), "120");
	unlink(path);
	assert_int_equal(bt_trace_csv_evidence(path, NULL, set, err, sizeof err), BT_ERR_IO);
	bt_evset_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_scenario_recovered),
		cmocka_unit_test(rate_limits_the_period_claim),
		cmocka_unit_test(short_at_known_limit_and_low_plateau_from_start),
		cmocka_unit_test(evidence_keys),
		cmocka_unit_test(takeoff_against_board_profile),
		cmocka_unit_test(csv_reader),
		cmocka_unit_test(csv_file_evidence),
	};
	return cmocka_run_group_tests_name("analysis", tests, NULL, NULL);
}
