/* Unit tests for core/textdec: which encoding a stream's start says, UTF-16 → UTF-8 with
 * surrogates and broken units, and the same output however the bytes are cut. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/linereader.h"
#include "core/textdec.h"
#include "logs/logscan.h"

/* Decodes in[0..n) fed `step` bytes at a time (0: all at once) into out; returns its length. */
static size_t decode(const char *in, size_t n, size_t step, char *out, size_t cap,
		     enum bt_textenc *enc)
{
	struct bt_textdec *d = bt_textdec_new();
	char piece[BT_TEXTDEC_MIN_OUT];
	size_t o = 0, i = 0;
	while (i < n) {
		size_t k = step && n - i > step ? step : n - i;
		size_t j = 0;
		while (j < k) {
			size_t used;
			size_t w = bt_textdec_run(d, in + i + j, k - j, &used, piece, sizeof piece);
			assert_true(used > 0 || w > 0); /* always makes progress */
			assert_true(o + w <= cap);
			memcpy(out + o, piece, w);
			o += w;
			j += used;
		}
		i += k;
	}
	size_t w = bt_textdec_finish(d, piece, sizeof piece);
	assert_true(o + w <= cap);
	memcpy(out + o, piece, w);
	o += w;
	if (enc)
		*enc = bt_textdec_encoding(d);
	bt_textdec_free(d);
	return o;
}

/* UTF-16 code units of `s` (ASCII and the two-byte é), little or big endian, optional BOM. */
static size_t to_utf16(const char *s, bool le, bool bom, char *out)
{
	size_t o = 0;
	unsigned units[512];
	size_t nu = 0;
	if (bom)
		units[nu++] = 0xFEFF;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (p[0] == 0xC3 && p[1]) {
			units[nu++] = 0xC0u | (p[1] & 0x3Fu) | ((p[0] & 0x03u) << 6);
			p++;
		} else {
			units[nu++] = *p;
		}
	}
	for (size_t i = 0; i < nu; i++) {
		unsigned char hi = (unsigned char)(units[i] >> 8), lo = (unsigned char)units[i];
		out[o++] = (char)(le ? lo : hi);
		out[o++] = (char)(le ? hi : lo);
	}
	return o;
}

static void detects_each_start(void **state)
{
	(void)state;
	static const char text[] = "Checkpoint 1608 complete with code 0\r\nStatus: caf\xc3\xa9\r\n";
	char in[1024], out[1024];
	enum bt_textenc enc;
	struct {
		bool le, bom;
		enum bt_textenc want;
	} cases[] = {
		{ true, true, BT_ENC_UTF16LE }, { false, true, BT_ENC_UTF16BE },
		{ true, false, BT_ENC_UTF16LE }, { false, false, BT_ENC_UTF16BE },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t n = to_utf16(text, cases[c].le, cases[c].bom, in);
		size_t o = decode(in, n, 0, out, sizeof out, &enc);
		assert_int_equal(enc, cases[c].want);
		assert_int_equal(o, strlen(text));
		assert_memory_equal(out, text, o);
	}
	/* a UTF-8 BOM is dropped; plain UTF-8 and bytes that are not UTF-8 pass untouched */
	size_t o = decode("\xef\xbb\xbfidevicerestore 1.0\n", 23, 0, out, sizeof out, &enc);
	assert_int_equal(enc, BT_ENC_UTF8);
	assert_int_equal(o, 20);
	assert_memory_equal(out, "idevicerestore 1.0\n", 19);
	static const char odd[] = "\xff\x00\x41\x42 \x80\xfe tail\n";
	o = decode(odd, sizeof odd - 1, 0, out, sizeof out, &enc);
	assert_int_equal(enc, BT_ENC_UTF8);
	assert_int_equal(o, sizeof odd - 1);
	assert_memory_equal(out, odd, o);
	/* streams shorter than the 4 bytes that decide */
	o = decode("ab\n", 3, 0, out, sizeof out, &enc);
	assert_int_equal(o, 3);
	assert_memory_equal(out, "ab\n", 3);
	o = decode("\xff\xfe\x41", 3, 0, out, sizeof out, &enc);
	assert_int_equal(enc, BT_ENC_UTF16LE);
	assert_int_equal(o, 3);
	assert_memory_equal(out, "\xef\xbf\xbd", 3); /* the cut unit */
	/* no BOM and a character above U+00FF in the first unit pair (a shell prompt's "✘") */
	static const char prompt[] = " \x00\x18\x27 \x00X\x00X\x00@\x00h\x00o\x00s\x00t\x00 \x00~\x00/\x00$\x00\n\x00";
	o = decode(prompt, sizeof prompt - 1, 0, out, sizeof out, &enc);
	assert_int_equal(enc, BT_ENC_UTF16LE);
	assert_int_equal(o, 17);
	assert_memory_equal(out, " \xe2\x9c\x98 XX@host ~/$\n", 17);
	assert_int_equal(decode("", 0, 0, out, sizeof out, &enc), 0);
	assert_int_equal(enc, BT_ENC_UNDECIDED);
}

static void surrogates_and_broken_units(void **state)
{
	(void)state;
	/* LE: BOM, 'A', U+1F600 as a pair, a lone high surrogate before 'B', a lone low one, an
	 * odd last byte */
	static const char in[] = "\xff\xfe" "A\x00" "\x3d\xd8\x00\xde" "\x3d\xd8" "B\x00"
				 "\x00\xde" "C";
	static const char want[] = "A\xf0\x9f\x98\x80\xef\xbf\xbd" "B\xef\xbf\xbd\xef\xbf\xbd";
	char out[64];
	size_t o = decode(in, sizeof in - 1, 0, out, sizeof out, NULL);
	assert_int_equal(o, sizeof want - 1);
	assert_memory_equal(out, want, o);
	/* a high surrogate at the very end */
	o = decode("\xff\xfe\x3d\xd8", 4, 0, out, sizeof out, NULL);
	assert_int_equal(o, 3);
	assert_memory_equal(out, "\xef\xbf\xbd", 3);
}

static void same_output_however_cut(void **state)
{
	(void)state;
	char in[4096], whole[8192], cut[8192];
	size_t n = to_utf16("[12:01:02.5555-GMT]{5>6} CHECKPOINT BEGIN: RESTORED:[0x0616] "
			    "fdr_create\nSending NORData now...\n\xc3\xa9t\xc3\xa9\n",
			    true, true, in);
	memcpy(in + n, "\x3d\xd8\x00\xde\n\x00", 6); /* a pair a cut may split */
	n += 6;
	size_t w = decode(in, n, 0, whole, sizeof whole, NULL);
	for (size_t step = 1; step <= 9; step++) {
		size_t c = decode(in, n, step, cut, sizeof cut, NULL);
		assert_int_equal(c, w);
		assert_memory_equal(cut, whole, w);
	}
}

struct lines {
	char text[8][96];
	int n;
};

static int keep_line(const struct bt_line *line, void *user)
{
	struct lines *l = user;
	if (l->n < 8)
		snprintf(l->text[l->n++], sizeof l->text[0], "%s", line->text);
	return BT_OK;
}

/* The line reader decodes before it splits: the same lines from UTF-16 as from UTF-8. */
static void linereader_reads_utf16(void **state)
{
	(void)state;
	char in[1024];
	size_t n = to_utf16("Waiting for NAND (28)\r\nUpdating NAND Firmware (58)\r\nlast", true,
			    true, in);
	struct lines l = { .n = 0 };
	struct bt_linereader *lr = bt_linereader_new(256, keep_line, &l);
	for (size_t i = 0; i < n; i += 3)
		assert_int_equal(bt_linereader_feed(lr, in + i, n - i < 3 ? n - i : 3), BT_OK);
	assert_int_equal(bt_linereader_finish(lr), BT_OK);
	bt_linereader_free(lr);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.text[0], "Waiting for NAND (28)");
	assert_string_equal(l.text[1], "Updating NAND Firmware (58)");
	assert_string_equal(l.text[2], "last");
}

/* The scanner's verdict from a UTF-16 log (PowerShell's `>`) is the UTF-8 one, line numbers
 * included; a second source in UTF-8 after it is read as UTF-8. */
static void logscan_reads_utf16(void **state)
{
	(void)state;
	static const char text[] = "Waiting for NAND (28)\r\n"
				   "Updating NAND Firmware (58)\r\n"
				   "ERROR: Unable to receive message from FDR 0x7f (-2). 0/4 bytes\r\n"
				   "ERROR: Could not read data (-256). Aborting.\r\n"
				   "ERROR: Unable to restore device\r\n";
	char in[2048];
	for (int le = 0; le < 2; le++) {
		size_t n = to_utf16(text, le, true, in);
		struct bt_logscan *a = bt_logscan_new(), *b = bt_logscan_new();
		bt_logscan_begin(a, "utf8.log");
		bt_logscan_feed(a, text, sizeof text - 1);
		bt_logscan_end(a);
		bt_logscan_begin(b, "utf16.log");
		for (size_t i = 0; i < n; i += 7)
			bt_logscan_feed(b, in + i, n - i < 7 ? n - i : 7);
		bt_logscan_end(b);
		const struct bt_restore *ra = bt_logscan_result(a), *rb = bt_logscan_result(b);
		assert_int_equal(ra->outcome, BT_OUTCOME_FAILED);
		assert_int_equal(rb->outcome, ra->outcome);
		assert_non_null(rb->failed_step.name);
		assert_string_equal(rb->failed_step.name, ra->failed_step.name);
		assert_int_equal(rb->failed_step.line, ra->failed_step.line);
		assert_int_equal(rb->verdict_line, ra->verdict_line);
		assert_int_equal(rb->lines, ra->lines);
		assert_int_equal(rb->nerrors, ra->nerrors);
		/* the next source starts undecided again */
		bt_logscan_begin(b, "next.log");
		bt_logscan_feed(b, "Status: Disk Failure\n", 21);
		bt_logscan_end(b);
		assert_true(bt_logscan_result(b)->has_status);
		assert_int_equal(bt_logscan_result(b)->status, 6);
		bt_logscan_free(a);
		bt_logscan_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detects_each_start),
		cmocka_unit_test(surrogates_and_broken_units),
		cmocka_unit_test(same_output_however_cut),
		cmocka_unit_test(linereader_reads_utf16),
		cmocka_unit_test(logscan_reads_utf16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
