/* Unit tests for src/logs/scan_stamp.c: the dates and times other programs put before a
 * tool's lines (CI runners, ts, loggers, GUIs) give the time of day and where the tool's line
 * starts; the tool's own lines, and every cut of a stamp, give none and read no further than
 * the line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "logs/scan_priv.h"

struct want {
	const char *line;
	const char *rest; /* NULL: no stamp */
	double sod;
	const char *frac;
};

static const struct want stamps[] = {
	{ "2024-03-01T10:00:00.1234567Z ERROR: x", "ERROR: x", 36000, "1234567" },
	{ "2024-03-01T10:00:00+01:00 Found ECID 1", "Found ECID 1", 36000, "" },
	{ "2024-03-01 10:00:00,123 Sending iBEC", "Sending iBEC", 36000, "123" },
	{ "[2024-03-01 10:00:00] Waiting for NAND (28)", "Waiting for NAND (28)", 36000, "" },
	{ "2024/03/01 23:59:59 - Restore Finished", "Restore Finished", 86399, "" },
	{ "Nov 22 14:05:01 Checkpoint 1558", "Checkpoint 1558", 50701, "" },
	{ "Sun Nov  2 04:05:01 | Status: Restore Finished", "Status: Restore Finished", 14701, "" },
	{ "[Nov 22 14:05:01] x", "x", 50701, "" },
	{ "3/1/2024 9:05:01 PM - ERROR: y", "ERROR: y", 75901, "" },
	{ "3/1/2024 12:05:01 AM ERROR: y", "ERROR: y", 301, "" },
	{ "01.03.2024 10:00:00: z", "z", 36000, "" },
	{ "10:00:00 | z", "z", 36000, "" },
	/* the tool's own lines, and near misses */
	{ "Nov 22 14:05:01 AMFDRCreateError: x", "AMFDRCreateError: x", 50701, "" },
	{ "0: RamrodErrorDomain/3e9: update_iBoot: error writing image", NULL, 0, NULL },
	{ "Checkpoint 1558 complete with code 0", NULL, 0, NULL },
	{ "ASR STATUS: fail", NULL, 0, NULL },
	{ "[IMG4TOOL] checking hash", NULL, 0, NULL },
	{ "2024-03-01 text", NULL, 0, NULL },
	{ "24:00:00 x", NULL, 0, NULL },
	{ "10:61:00 x", NULL, 0, NULL },
	{ "[2024-03-01 10:00:00 unclosed", NULL, 0, NULL },
	{ "13:05:01 PM x", NULL, 0, NULL },
	{ "Nov 22 14:05:01", NULL, 0, NULL }, /* nothing after it */
	{ "12:34:56.789", NULL, 0, NULL },
};

static void each_stamp(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
		const struct want *w = &stamps[i];
		struct bt_ls_stamp st;
		size_t n = strlen(w->line);
		size_t k = bt_ls_any_stamp(w->line, n, &st);
		if (!w->rest) {
			if (k != 0)
				fail_msg("'%s': a stamp of %zu bytes", w->line, k);
			continue;
		}
		if (k == 0 || k > n)
			fail_msg("'%s': no stamp", w->line);
		assert_string_equal(w->line + k, w->rest);
		assert_true(st.sod == w->sod);
		assert_int_equal(st.frac_n, strlen(w->frac));
		assert_memory_equal(st.frac, w->frac, st.frac_n);
	}
}

/* Every cut of every line, copied to a buffer of exactly that size (ASan sees a read past
 * it). */
static void cuts_stay_inside(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
		size_t n = strlen(stamps[i].line);
		for (size_t m = 0; m <= n; m++) {
			char *buf = malloc(m ? m : 1);
			assert_non_null(buf);
			memcpy(buf, stamps[i].line, m);
			struct bt_ls_stamp st;
			size_t k = bt_ls_any_stamp(buf, m, &st);
			assert_true(k <= m);
			if (k)
				assert_true(st.frac >= buf && st.frac + st.frac_n <= buf + m);
			free(buf);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_stamp),
		cmocka_unit_test(cuts_stay_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
