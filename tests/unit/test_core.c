/* Unit tests for src/core: strbuf caps, line splitting, the evidence set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/evidence.h"
#include "core/linereader.h"
#include "core/strbuf.h"

static void strbuf_caps_and_flags(void **state)
{
	(void)state;
	struct bt_strbuf b;
	bt_strbuf_init(&b, 8);
	assert_int_equal(bt_strbuf_puts(&b, "abcd"), BT_OK);
	assert_int_equal(bt_strbuf_puts(&b, "efghij"), BT_ERR_DATA);
	assert_string_equal(bt_strbuf_str(&b), "abcdefgh");
	assert_true(b.truncated);
	bt_strbuf_reset(&b);
	assert_int_equal(bt_strbuf_printf(&b, "%d", 42), BT_OK);
	assert_string_equal(bt_strbuf_str(&b), "42");
	bt_strbuf_done(&b);
}

struct collected {
	char lines[16][32];
	int truncated[16];
	long lineno[16];
	int n;
};

static int collect(const struct bt_line *line, void *user)
{
	struct collected *c = user;
	if (c->n < 16) {
		snprintf(c->lines[c->n], sizeof c->lines[0], "%s", line->text);
		c->truncated[c->n] = line->truncated;
		c->lineno[c->n] = line->lineno;
		c->n++;
	}
	return BT_OK;
}

static void linereader_endings_nul_and_cap(void **state)
{
	(void)state;
	struct collected c = { .n = 0 };
	struct bt_linereader *lr = bt_linereader_new(16, collect, &c);
	static const char input[] = "one\r\ntwo\rthree\nfo\0ur\n0123456789abcdefXYZ-long\nlast";
	/* Feed byte by byte so a CRLF split across chunks is exercised. */
	for (size_t i = 0; i < sizeof input - 1; i++)
		assert_int_equal(bt_linereader_feed(lr, input + i, 1), BT_OK);
	assert_int_equal(bt_linereader_finish(lr), BT_OK);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.lines[0], "one");
	assert_string_equal(c.lines[1], "two");
	assert_string_equal(c.lines[2], "three");
	assert_string_equal(c.lines[3], "fo ur");
	assert_string_equal(c.lines[4], "0123456789abcdef");
	assert_true(c.truncated[4]);
	assert_false(c.truncated[3]);
	assert_string_equal(c.lines[5], "last");
	assert_int_equal(c.lineno[5], 6);
	bt_linereader_free(lr);
}

static void linereader_missing_file(void **state)
{
	(void)state;
	assert_int_equal(bt_linereader_file("/nonexistent/benchtriage", 64, collect, NULL), BT_ERR_IO);
}

static void evidence_add_put_find_remove(void **state)
{
	(void)state;
	struct bt_evset *s = bt_evset_new();
	bt_evset_add(s, "restore.status", "6", "a.log", 3, -1, "Status: Disk Failure");
	bt_evset_add(s, "restore.status", "53", "a.log", 9, -1, NULL);
	assert_string_equal(bt_evset_value(s, "restore.status"), "53");
	bt_evset_put(s, "restore.status", "0", "b.log", 1, -1, "x");
	assert_int_equal(bt_evset_count(s), 2);
	assert_string_equal(bt_evset_value(s, "restore.status"), "0");
	assert_string_equal(bt_evset_at(s, 0)->value, "6");
	assert_null(bt_evset_find(s, "nope"));
	struct bt_evset *t = bt_evset_new();
	bt_evset_merge(t, s);
	assert_int_equal(bt_evset_remove(t, "restore.status"), 2);
	assert_int_equal(bt_evset_count(t), 0);
	assert_int_equal(bt_evset_count(s), 2);
	bt_evset_free(t);
	bt_evset_free(s);
}

static void err_texts_and_exit_codes(void **state)
{
	(void)state;
	for (int e = BT_OK; e >= BT_ERR_BUG; e--)
		assert_string_not_equal(bt_strerror(e), "unknown error");
	assert_int_equal(bt_err_exit_status(BT_ERR_NODEV), BT_EXIT_NODEV);
	assert_int_equal(bt_err_exit_status(BT_ERR_DATA), BT_EXIT_INPUT);
	assert_int_equal(bt_err_exit_status(BT_ERR_GONE), BT_EXIT_GONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strbuf_caps_and_flags),
		cmocka_unit_test(linereader_endings_nul_and_cap),
		cmocka_unit_test(linereader_missing_file),
		cmocka_unit_test(evidence_add_put_find_remove),
		cmocka_unit_test(err_texts_and_exit_codes),
	};
	return cmocka_run_group_tests_name("core", tests, NULL, NULL) ? 1 : 0;
}
