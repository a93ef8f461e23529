/* Unit tests for board profiles: the loader, the schema checks (each error kind names
 * file:line), lookups by name / board config / product type / chip, tags, tests, symptoms. */
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
#include "engine/board.h"

#define HEAD                                                                                 \
	"format = 1\n"         /* 1 */                                                       \
	"[board]\n"            /* 2 */                                                       \
	"name = tb\n"          /* 3 */                                                       \
	"title = Test board\n" /* 4 */                                                       \
	"tags = faceid, modem:intel\n" /* 5 */                                               \
	"source = s\n"         /* 6 */                                                       \
	"[variant.t10ap]\n"    /* 7 */                                                       \
	"product_type = iPhone9,1\n" /* 8 */                                                 \
	"cpid = 0x8010\n"      /* 9 */                                                       \
	"bdid = 0x08\n"        /* 10 */                                                      \
	"title = T (Global)\n" /* 11 */                                                      \
	"source = s\n"         /* 12 */

/* Loads text; returns the rc and leaves the first diagnostic in first (or ""). */
static int load(struct bt_boards *set, const char *text, char *first, size_t len)
{
	struct bt_board_diags d = {0};
	int rc = bt_boards_load_string(set, "t.ini", text, &d);
	snprintf(first, len, "%s", d.count ? d.msgs[0] : "");
	bt_board_diags_done(&d);
	return rc;
}

/* Some diagnostic of the load must start with want_prefix ("file:line:") and say want_text. */
static void expect_error(const char *text, const char *want_prefix, const char *want_text)
{
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	assert_int_equal(bt_boards_load_string(set, "t.ini", text, &d), BT_ERR_DATA);
	bool found = false;
	for (size_t i = 0; i < d.count && !found; i++)
		found = !strncmp(d.msgs[i], want_prefix, strlen(want_prefix)) &&
			strstr(d.msgs[i], want_text);
	if (!found)
		fail_msg("got '%s' (+%zu more), want prefix '%s' and '%s'", d.count ? d.msgs[0] : "",
			 d.count ? d.count - 1 : 0, want_prefix, want_text);
	bt_board_diags_done(&d);
	assert_int_equal(bt_boards_count(set), 0); /* a bad file adds nothing */
	bt_boards_free(set);
}

static void good_profile_loads(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	char first[512];
	assert_int_equal(load(set, HEAD
			      "[variant.t11ap]\nproduct_type = iPhone9,2\ncpid = 0x8010\nbdid = 0x0a\n"
			      "title = T Plus\ntags = modem:qualcomm\nsource = s\n"
			      "[symptom.grey]\ntitle = Grey bar\nsource = [S65]\n"
			      "[current.takeoff]\ntypical_ma = 50\nnote = first part\n\tsecond part\n"
			      "confidence = single\nsource = [S87]\n",
			      first, sizeof first),
			 BT_OK);
	assert_string_equal(first, "");
	assert_int_equal(bt_boards_count(set), 1);
	const struct bt_board *b = bt_boards_find(set, "tb");
	assert_non_null(b);
	assert_ptr_equal(bt_boards_find(set, "T10AP"), b);
	assert_ptr_equal(bt_boards_find(set, "t11"), b);
	assert_ptr_equal(bt_boards_find(set, "iPhone9,2"), b);
	assert_null(bt_boards_find(set, "iPhone9,5"));
	assert_null(bt_boards_find(set, "t1"));
	assert_ptr_equal(bt_boards_find_chip(set, 0x8010, 0x0a), b);
	assert_null(bt_boards_find_chip(set, 0x8010, 0x0c));
	assert_string_equal(bt_board_product_for_chip(b, 0x8010, 0x08), "iPhone9,1");
	assert_true(bt_board_has_tag(b, "faceid"));
	assert_true(bt_board_has_tag(b, "modem:*"));
	assert_true(bt_board_has_tag(b, "modem:qualcomm")); /* from a variant */
	assert_false(bt_board_has_tag(b, "touchid"));
	assert_int_equal(bt_board_symptom_count(set, b), 1);
	assert_string_equal(bt_board_symptom_at(set, b, 0)->source, "[S65]");
	assert_int_equal(bt_board_current_count(b), 1);
	const struct bt_current_level *c = bt_board_current_at(b, 0);
	assert_true(c->typical_ma == 50);
	assert_true(isnan(c->min_ma));
	assert_string_equal(c->note, "first part second part"); /* continuation line */
	bt_boards_free(set);
}

static void tests_and_outcomes(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	char first[512];
	int rc = load(set, HEAD
		      "[test.flex]\ntitle = Flex test\ncost = low\nminutes = 15\nrisk = none\n"
		      "data_loss = no\nstep = one\nstep = two\n\tcontinued\nobserve = o\nsource = s\n"
		      "[outcome.flex.pass]\ntitle = P\np = 0.3\nlr.earpiece_flex = 5\nconfidence = well\nsource = s\n"
		      "[outcome.flex.fail]\ntitle = F\np = 0.7\nlr.earpiece_flex = 0.2\nconfidence = well\nsource = s\n",
		      first, sizeof first);
	assert_int_equal(rc, BT_OK);
	const struct bt_board *b = bt_boards_find(set, "tb");
	assert_int_equal(bt_board_test_count(set, b), 1);
	const struct bt_guided_test *t = bt_board_test_find(set, b, "flex");
	assert_non_null(t);
	assert_int_equal(t->nsteps, 2);
	assert_string_equal(t->steps[1], "two continued");
	assert_int_equal(t->noutcomes, 2);
	const struct bt_test_outcome *o = bt_test_outcome_find(t, "pass");
	assert_non_null(o);
	assert_int_equal(o->nlr, 1);
	assert_string_equal(o->lr[0].hyp, "earpiece_flex");
	assert_string_equal(t->safety, "");
	assert_string_equal(t->origin, "t.ini:13");
	bt_boards_free(set);
}

static void each_error_names_file_and_line(void **state)
{
	(void)state;
	expect_error(HEAD "colour = red\n", "t.ini:13:", "unknown key 'colour'");
	expect_error(HEAD "[gizmo]\na = b\n", "t.ini:13:", "unknown section [gizmo]");
	expect_error(HEAD "[variant.x]\nproduct_type = iPhone9,1\ncpid = 0x8010x\n", "t.ini:15:",
		     "not a number");
	expect_error(HEAD "[variant.x]\nproduct_type = iPhone9,1\ncpid = 0x8010\nbdid = 300\n",
		     "t.ini:16:", "out of range");
	expect_error(HEAD "[rule.r]\nwhen = restore.error = 9\nhypothesis = nand\nlr = 2\n"
			  "confidence = single\nwhy = w\n",
		     "t.ini:13:", "lacks required key 'source'");
	expect_error(HEAD "[rule.r]\nwhen = restore.error = 9\nhypothesis = nand\nlr = 2\n"
			  "confidence = unverified\nsource = s\nwhy = w\n",
		     "t.ini:13:", "unverified");
	expect_error(HEAD "[rule.r]\nwhen = restore.error = 9\nhypothesis = nand\nlr = 9\n"
			  "confidence = folklore\nsource = s\nwhy = w\n",
		     "t.ini:13:", "outside what a 'folklore' fact may carry");
	expect_error(HEAD "[rule.r]\nwhen = restore.error in\nhypothesis = nand\n", "t.ini:14:",
		     "lacks a value");
	expect_error(HEAD "[rule.r]\nwhen = restore.error = 9\nhypothesis = gremlins\n", "t.ini:15:",
		     "unknown hypothesis");
	expect_error(HEAD "[rule.r]\nconfidence = sure\n", "t.ini:14:", "expected one of");
	expect_error(HEAD "[symptom.s]\ntitle = a\ntitle = b\nsource = s\n", "t.ini:15:",
		     "repeated");
	expect_error(HEAD "[symptom.s]\ntitle = a\nsource = s\n[symptom.s]\ntitle = b\nsource = s\n",
		     "t.ini:16:", "appears twice");
	expect_error(HEAD "[outcome.nosuch.a]\ntitle = x\n", "t.ini:13:", "no [test.nosuch]");
	expect_error(HEAD "[test.t]\ntitle = x\ncost = low\nminutes = 5\nrisk = none\ndata_loss = no\n"
			  "step = s\nobserve = o\nsource = s\n",
		     "t.ini:13:", "at least two");
	expect_error("format = 2\n[board]\n", "t.ini:1:", "format = 2");
	expect_error("[board]\nname = x\n", "t.ini:1:", "missing 'format = 1'");
	expect_error(HEAD "this is not ini\n", "t.ini:13:", "not an INI line");
	expect_error("format = 1\n[board]\nname = Upper\n", "t.ini:3:", "expected an id");
	char longl[400];
	memset(longl, 'x', sizeof longl);
	memcpy(longl, "title = ", 8);
	longl[sizeof longl - 1] = '\0';
	size_t tl = strlen(HEAD) + sizeof longl + 32;
	char *text = malloc(tl);
	assert_non_null(text);
	snprintf(text, tl, "%s[symptom.s]\n%s\nsource = s\n", HEAD, longl);
	expect_error(text, "t.ini:14:", "line longer than");
	free(text);
	expect_error(HEAD "[hypothesis.h]\ntitle = x\nsource = s\n[priors]\nh = 0.5\n", "t.ini:",
		     "lacks required key 'source'");
}

static void later_file_replaces_same_name(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	char first[512];
	assert_int_equal(load(set, HEAD, first, sizeof first), BT_OK);
	size_t tl = strlen(HEAD) + 1;
	char *text = malloc(tl);
	assert_non_null(text);
	memcpy(text, HEAD, tl);
	char *t = strstr(text, "Test board");
	memcpy(t, "Best board", 10);
	assert_int_equal(load(set, text, first, sizeof first), BT_OK);
	free(text);
	assert_int_equal(bt_boards_count(set), 1);
	assert_string_equal(bt_board_title(bt_boards_at(set, 0)), "Best board");
	bt_boards_free(set);
}

static void common_file_merges(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	char first[512];
	assert_int_equal(load(set, "format = 1\n[common]\ntitle = c\n"
				   "[hypothesis.gremlin]\ntitle = Gremlins\nprior = 0.1\nsource = s\n"
				   "[symptom.smoke]\ntitle = Smoke\nsource = s\n",
			      first, sizeof first),
			 BT_OK);
	assert_int_equal(bt_boards_count(set), 0);
	assert_string_equal(bt_hypothesis_title(set, "gremlin"), "Gremlins");
	assert_string_equal(bt_hypothesis_title(NULL, "nand"), "NAND (storage chip or its bus)");
	assert_string_equal(bt_hypothesis_title(NULL, "whatever"), "whatever");
	/* a board file may now use the common hypothesis */
	assert_int_equal(load(set, HEAD "[rule.g]\nwhen = symptom.smoke = yes\nhypothesis = gremlin\n"
					"lr = 2\nconfidence = single\nsource = s\nwhy = w\n",
			      first, sizeof first),
			 BT_OK);
	const struct bt_board *b = bt_boards_at(set, 0);
	assert_int_equal(bt_board_symptom_count(set, b), 1);
	assert_int_equal(bt_board_symptom_count(set, NULL), 1);
	bt_boards_free(set);
}

static void unreadable_file(void **state)
{
	(void)state;
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	assert_int_equal(bt_boards_load_file(set, "/nonexistent/x.ini", &d), BT_ERR_IO);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "/nonexistent/x.ini"));
	bt_board_diags_done(&d);
	assert_int_equal(bt_boards_load_dir(set, "/nonexistent", NULL), BT_ERR_IO);
	bt_boards_free(set);
}

static void shipped_profiles_load(void **state)
{
	(void)state;
	/* run from the repository root (tests/run-all.sh does) */
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	int rc = bt_boards_load_dir(set, "boards", &d);
	if (rc == BT_ERR_IO) {
		bt_boards_free(set);
		skip();
	}
	for (size_t i = 0; i < d.count; i++)
		print_error("%s\n", d.msgs[i]);
	assert_int_equal(d.count, 0);
	assert_int_equal(rc, BT_OK);
	bt_board_diags_done(&d);
	assert_true(bt_boards_count(set) >= 14);
	const struct bt_board *x = bt_boards_find(set, "d22ap");
	assert_non_null(x);
	assert_true(bt_board_has_tag(x, "faceid"));
	assert_non_null(bt_board_test_find(set, x, "front_flex_disconnect"));
	const struct bt_board *seven = bt_boards_find(set, "iPhone9,4");
	assert_non_null(seven);
	assert_null(bt_board_test_find(set, seven, "front_flex_disconnect"));
	assert_non_null(bt_board_symptom_find(set, seven, "speaker_button_greyed"));
	/* our own table goes past libirecovery 1.0.0's last iPhone (iPhone12,8) */
	assert_non_null(bt_boards_find_chip(set, 0x8140, 0x04));
	assert_string_equal(bt_board_product_for_chip(bt_boards_find_chip(set, 0x8101, 0x0C), 0x8101, 0x0C),
			    "iPhone13,2");
	bt_boards_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_profile_loads),
		cmocka_unit_test(tests_and_outcomes),
		cmocka_unit_test(each_error_names_file_and_line),
		cmocka_unit_test(later_file_replaces_same_name),
		cmocka_unit_test(common_file_merges),
		cmocka_unit_test(unreadable_file),
		cmocka_unit_test(shipped_profiles_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
