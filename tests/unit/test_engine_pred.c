/* Unit tests for the `when` predicate language of board rules: parsing (and its refusals) and
 * evaluation against evidence (sets, ranges, numbers by value, contains, !=, absent). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "core/err.h"
#include "core/evidence.h"
#include "engine/rule_parse.h"

/* True when every predicate of `when` holds for ev. */
static bool holds(const char *when, const struct bt_evset *ev)
{
	struct bt_pred *p = NULL;
	size_t n = 0;
	char err[200];
	if (bt_rule_parse_when(when, &p, &n, err, sizeof err) != BT_OK)
		fail_msg("'%s' did not parse: %s", when, err);
	bool all = true;
	for (size_t i = 0; i < n && all; i++) {
		const struct bt_evidence *hit;
		all = bt_pred_holds(&p[i], ev, &hit);
	}
	bt_rule_preds_free(p, n);
	return all;
}

static void refused(const char *when, const char *why)
{
	struct bt_pred *p = NULL;
	size_t n = 0;
	char err[200] = "";
	assert_int_equal(bt_rule_parse_when(when, &p, &n, err, sizeof err), BT_ERR_DATA);
	assert_null(p);
	if (!strstr(err, why))
		fail_msg("'%s': got '%s', want '%s'", when, err, why);
}

static void parse_refusals(void **state)
{
	(void)state;
	refused("", "expected an evidence key");
	refused("restore.error", "expected = != in");
	refused("restore.error ~ 4013", "expected = != in");
	refused("restore.error =", "lacks a value");
	refused("restore.error in", "lacks a value");
	refused("restore.error in 1..x", "bad set or range");
	refused("restore.error in 9..1", "bad set or range");
	refused("restore.error in a||b", "bad set or range");
	refused("restore.error >= lots", "not a number");
	refused("restore.error = 9 and", "nothing after the last 'and'");
	refused("restore.error = 9 or restore.error = 10", "expected 'and'");
	refused("k contains \"unclosed", "lacks a value");
	refused("a = 1 and b = 1 and c = 1 and d = 1 and e = 1 and f = 1 and g = 1 and h = 1 and "
		"i = 1 and j = 1 and k = 1 and l = 1 and m = 1 and n = 1 and o = 1 and p = 1 and q = 1",
		"more than 16");
	refused("restore.errorinside 3", "expected = != in");
}

static void evaluation(void **state)
{
	(void)state;
	struct bt_evset *ev = bt_evset_new();
	bt_evset_add(ev, "restore.error", "4013", "t", 1, -1, "");
	bt_evset_add(ev, "restore.failed_step_id", "0x60D", "t", 2, -1, "");
	bt_evset_add(ev, "supply.level_ma", "65.5", "t", 3, -1, "");
	bt_evset_add(ev, "restore.verdict", "ERROR: Could not read data (-256)", "t", 4, -1, "");
	bt_evset_add(ev, "symptom.a", "yes", "t", 5, -1, "");
	bt_evset_add(ev, "symptom.a", "no", "t", 6, -1, "");

	assert_true(holds("restore.error = 4013", ev));
	assert_true(holds("restore.error = 4013.0", ev)); /* numbers compare by value */
	assert_false(holds("restore.error = 401", ev));
	assert_true(holds("restore.failed_step_id = 0x060d", ev));
	assert_true(holds("restore.error in 9|4005|4013", ev));
	assert_false(holds("restore.error in 9|4005", ev));
	assert_true(holds("supply.level_ma in 60..70", ev));
	assert_false(holds("supply.level_ma in 66..70", ev));
	assert_true(holds("supply.level_ma > 65 and supply.level_ma < 66", ev));
	assert_true(holds("supply.level_ma >= 65.5 and supply.level_ma <= 65.5", ev));
	assert_true(holds("restore.verdict contains \"could not READ\"", ev));
	assert_false(holds("restore.verdict contains \"no space\"", ev));
	assert_true(holds("restore.error present and nothing.here absent", ev));
	assert_false(holds("nothing.here present", ev));
	assert_false(holds("restore.error absent", ev));
	/* several items under one key: any may satisfy =, none may equal for != */
	assert_true(holds("symptom.a = yes", ev));
	assert_true(holds("symptom.a = no", ev));
	assert_false(holds("symptom.a != yes", ev));
	assert_true(holds("symptom.a != maybe", ev));
	assert_true(holds("nothing.here != x", ev)); /* absent: nothing says it is x */
	/* a non-number never satisfies a numeric predicate */
	bt_evset_add(ev, "supply.peak_ma", "n/a", "t", 7, -1, "");
	assert_false(holds("supply.peak_ma >= 0", ev));
	assert_false(holds("supply.peak_ma in 0..1000000", ev));
	bt_evset_free(ev);
}

static void numbers(void **state)
{
	(void)state;
	double d = 0;
	assert_true(bt_parse_number("0x8010", &d));
	assert_true(d == 0x8010);
	assert_true(bt_parse_number(" -1 ", &d));
	assert_true(d == -1);
	assert_true(bt_parse_number("70.5", &d));
	assert_false(bt_parse_number("0x", &d));
	assert_false(bt_parse_number("12abc", &d));
	assert_false(bt_parse_number("", &d));
	assert_false(bt_parse_number("1e999", &d));
	assert_false(bt_parse_number("nan", &d));
	assert_false(bt_parse_number(NULL, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_refusals),
		cmocka_unit_test(evaluation),
		cmocka_unit_test(numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
