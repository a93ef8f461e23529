/* Unit tests for the TUI's pure parts: the canvas (UTF-8, clipping, bars, ASCII fallback),
 * the log-line ring, the current series, and each pane's view model read back as text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/evidence.h"
#include "guided/canvas.h"
#include "guided/guided.h"
#include "guided/lines.h"
#include "guided/views.h"

static int count_cp(const struct bt_canvas *c, uint32_t cp)
{
	int n = 0;
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++)
			n += bt_canvas_at(c, x, y) == cp;
	return n;
}

static int row_of(const struct bt_canvas *c, const char *needle)
{
	char row[4096];
	for (int y = 0; y < c->h; y++) {
		bt_canvas_row(c, y, row, sizeof row);
		if (strstr(row, needle))
			return y;
	}
	return -1;
}

static void canvas_text_utf8_and_clipping(void **state)
{
	(void)state;
	struct bt_canvas c;
	bt_canvas_init(&c, 10, 2);
	int n = bt_canvas_text(&c, 0, 0, 100, BT_ROLE_NORMAL, "a\xc3\xa9\xe2\x9c\x93z");
	assert_int_equal(n, 4);
	assert_int_equal(bt_canvas_at(&c, 1, 0), 0xE9);
	assert_int_equal(bt_canvas_at(&c, 2, 0), 0x2713);
	/* Invalid bytes, control characters, wide and overlong forms become '?'. */
	bt_canvas_text(&c, 0, 1, 10, BT_ROLE_BAD, "\xff\x01\xe4\xb8\xad\xc0\xafok");
	char row[64];
	bt_canvas_row(&c, 1, row, sizeof row);
	assert_int_equal(strncmp(row, "????ok", 6), 0);
	assert_int_equal(bt_canvas_role(&c, 0, 1), BT_ROLE_BAD);
	/* Clipped at the edge and at maxw; nothing written outside. */
	assert_int_equal(bt_canvas_text(&c, 8, 0, 100, BT_ROLE_NORMAL, "xyz"), 2);
	assert_int_equal(bt_canvas_text(&c, 0, 5, 100, BT_ROLE_NORMAL, "xyz"), 0);
	assert_int_equal(bt_canvas_text(&c, 0, 0, 1, BT_ROLE_NORMAL, "QRS"), 1);
	assert_int_equal(bt_canvas_at(&c, 1, 0), 0xE9);
	assert_int_equal(bt_canvas_at(&c, 10, 0), 0);
	bt_canvas_resize(&c, 4, 3);
	assert_int_equal(c.w, 4);
	assert_int_equal(bt_canvas_at(&c, 0, 0), ' ');
	bt_canvas_done(&c);
}

static void canvas_bars_boxes_fallback(void **state)
{
	(void)state;
	struct bt_canvas c;
	bt_canvas_init(&c, 12, 4);
	bt_canvas_hbar(&c, 0, 0, 4, 0.5, BT_ROLE_BAR);
	assert_int_equal(bt_canvas_at(&c, 0, 0), 0x2588);
	assert_int_equal(bt_canvas_at(&c, 1, 0), 0x2588);
	assert_int_equal(bt_canvas_at(&c, 2, 0), ' ');
	bt_canvas_hbar(&c, 0, 1, 4, 0.125 + 1.0 / 64, BT_ROLE_BAR); /* 4.5 eighths -> half block */
	assert_int_equal(bt_canvas_at(&c, 0, 1), 0x258B);
	bt_canvas_hbar(&c, 0, 2, 4, 7.0, BT_ROLE_BAR); /* clamped to full */
	assert_int_equal(bt_canvas_at(&c, 3, 2), 0x2588);
	bt_canvas_hbar(&c, 0, 3, 4, NAN, BT_ROLE_BAR);
	assert_int_equal(bt_canvas_at(&c, 0, 3), ' ');
	bt_canvas_clear(&c);
	bt_canvas_box(&c, 0, 0, 12, 4, BT_ROLE_BORDER, "Title", BT_ROLE_TITLE);
	assert_int_equal(bt_canvas_at(&c, 0, 0), 0x250C);
	assert_int_equal(bt_canvas_at(&c, 11, 3), 0x2518);
	assert_true(bt_canvas_contains(&c, "Title"));
	assert_int_equal(bt_canvas_role(&c, 2, 0), BT_ROLE_TITLE);
	assert_int_equal(bt_ascii_fallback(0x250C), '+');
	assert_int_equal(bt_ascii_fallback(0x2500), '-');
	assert_int_equal(bt_ascii_fallback(0x2502), '|');
	assert_int_equal(bt_ascii_fallback(0x2588), '#');
	assert_int_equal(bt_ascii_fallback('k'), 'k');
	assert_int_equal(bt_ascii_fallback(0x4E2D), '?');
	char u[5];
	assert_int_equal(bt_utf8_encode(0x2713, u), 3);
	assert_string_equal(u, "\xe2\x9c\x93");
	assert_int_equal(bt_utf8_encode(0x1F600, u), 4);
	bt_canvas_done(&c);
}

static void lines_ring_and_search(void **state)
{
	(void)state;
	struct bt_lines *l = bt_lines_new(3);
	bt_lines_push(l, "alpha", 1);
	bt_lines_push(l, "Beta ERROR", 2);
	bt_lines_push(l, "gamma", 3);
	bt_lines_push(l, "delta error", 4);
	assert_int_equal(bt_lines_count(l), 3);
	assert_int_equal(bt_lines_total(l), 4);
	long ln = 0;
	assert_string_equal(bt_lines_at(l, 0, &ln), "Beta ERROR");
	assert_int_equal(ln, 2);
	assert_null(bt_lines_at(l, 3, NULL));
	assert_int_equal(bt_lines_find_lineno(l, 4), 2);
	assert_int_equal(bt_lines_find_lineno(l, 1), -1);
	/* Case-insensitive, newest first, wrapping once. */
	assert_int_equal(bt_lines_search(l, "error", -1, -1), 2);
	assert_int_equal(bt_lines_search(l, "error", 1, -1), 0);
	assert_int_equal(bt_lines_search(l, "error", -1, 1), 0);
	assert_int_equal(bt_lines_search(l, "nothing", -1, -1), -1);
	assert_int_equal(bt_lines_search(l, "", -1, -1), -1);
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	bt_lines_push(l, big, 5);
	assert_int_equal(strlen(bt_lines_at(l, 2, NULL)), BT_LINES_MAX);
	bt_lines_push(l, "\x1b[1;31mERROR:\x1b[0m bad\x1b]0;title\x07!\x1b", 6);
	assert_string_equal(bt_lines_at(l, 2, NULL), "ERROR: bad!");
	bt_lines_push(l, "\x1b[", 7);
	assert_string_equal(bt_lines_at(l, 2, NULL), "");
	char small[4];
	assert_int_equal(bt_strip_escapes("\x1b[0mabcdef", small, sizeof small), 3);
	assert_string_equal(small, "abc");
	bt_lines_clear(l);
	assert_int_equal(bt_lines_count(l), 0);
	bt_lines_free(l);
}

static void series_drops_oldest_half(void **state)
{
	(void)state;
	struct bt_series s;
	bt_series_init(&s, 16);
	for (int i = 0; i < 40; i++)
		bt_series_push(&s, i, i * 10.0);
	assert_true(s.n <= 16);
	assert_true(s.t[s.n - 1] == 39.0);
	for (size_t i = 1; i < s.n; i++)
		assert_true(s.t[i] > s.t[i - 1]);
	bt_series_done(&s);
	assert_true(bt_nice_ceiling(0) == 1);
	assert_true(bt_nice_ceiling(180) == 200);
	assert_true(bt_nice_ceiling(200) == 200);
	assert_true(bt_nice_ceiling(201) == 500);
	assert_true(bt_nice_ceiling(999) == 1000);
	assert_true(fabs(bt_nice_ceiling(0.03) - 0.05) < 1e-12);
}

static void phone_view(void **state)
{
	(void)state;
	struct bt_canvas c;
	bt_canvas_init(&c, 70, 10);
	struct bt_phone_in in = { NULL, false, "waiting for a phone", 0 };
	bt_view_phone(&c, (struct bt_rect){ 0, 0, 70, 10 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "No phone"));
	assert_true(bt_canvas_contains(&c, "waiting for a phone"));
	assert_false(bt_canvas_contains(&c, "SIMULATED"));

	struct bt_evset *ev = bt_evset_new();
	bt_evset_add(ev, "iboot.mode", "Recovery", "rec", 0, 0, "");
	bt_evset_add(ev, "iboot.cpid", "0x8015", "rec", 0, 0, "");
	bt_evset_add(ev, "device.product_type", "iPhone10,3", "rec", 0, 0, "");
	bt_evset_add(ev, "iboot.env.auto-boot", "false", "rec", 0, 0, "");
	bt_evset_add(ev, "iboot.env.made-up-var", "7", "rec", 0, 0, "");
	in.ev = ev;
	in.simulated = true;
	bt_canvas_clear(&c);
	bt_view_phone(&c, (struct bt_rect){ 0, 0, 70, 10 }, BT_ROLE_FOCUS, &in);
	assert_true(bt_canvas_contains(&c, "Mode Recovery  iPhone10,3"));
	assert_true(bt_canvas_contains(&c, "CPID 0x8015  BDID ?"));
	assert_true(bt_canvas_contains(&c, "auto-boot=false  false keeps the phone in recovery"));
	assert_true(bt_canvas_contains(&c, "made-up-var=7"));
	assert_true(bt_canvas_contains(&c, "SIMULATED"));
	assert_false(bt_canvas_contains(&c, "PWND"));
	assert_int_equal(bt_canvas_role(&c, 2, 0), BT_ROLE_FOCUS);
	assert_non_null(bt_iboot_var_meaning("restore-step-names"));
	assert_null(bt_iboot_var_meaning("made-up-var"));
	/* a phone a boot-ROM exploit tool had before */
	bt_evset_add(ev, "iboot.pwnd", "checkm8", "rec", 0, 0, "");
	bt_canvas_clear(&c);
	bt_view_phone(&c, (struct bt_rect){ 0, 0, 70, 10 }, BT_ROLE_FOCUS, &in);
	assert_true(bt_canvas_contains(&c, "PWND checkm8"));
	bt_evset_free(ev);
	bt_canvas_done(&c);
}

static void restore_view_highlights_failure(void **state)
{
	(void)state;
	struct bt_step steps[2] = {
		{ 0x0603, -1, "restore_images", "storage", BT_STEP_DONE, 0, "x.log", 3, 1.0 },
		{ 0x060D, -1, "wait_for_storage", "storage", BT_STEP_FAILED, 6, "x.log", 5, 2.0 },
	};
	struct bt_restore r;
	memset(&r, 0, sizeof r);
	r.outcome = BT_OUTCOME_FAILED;
	r.failed_step = steps[1];
	r.subsystem = "storage";
	r.host_error = 4013;
	r.nsteps = 2;
	r.steps = steps;
	r.lines = 6;
	struct bt_lines *l = bt_lines_new(100);
	const char *text[] = { "one", "two", "CHECKPOINT BEGIN restore_images", "four",
			       "FAILURE wait_for_storage", "six" };
	for (int i = 0; i < 6; i++)
		bt_lines_push(l, text[i], i + 1);
	struct bt_restore_in in;
	memset(&in, 0, sizeof in);
	in.r = &r;
	in.lines = l;
	in.source = "dir/x.log";
	in.attempt = "attempt A";
	in.search_hit = -1;
	struct bt_canvas c;
	bt_canvas_init(&c, 60, 20);
	bt_view_restore(&c, (struct bt_rect){ 0, 0, 60, 20 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "attempt A: x.log  failed"));
	assert_true(bt_canvas_contains(&c, "0x060D wait_for_storage"));
	assert_true(bt_canvas_contains(&c, "line 5: FAILURE wait_for_storage"));
	assert_true(bt_canvas_contains(&c, "error 4013"));
	int y = row_of(&c, "0x060D wait_for_storage");
	assert_int_equal(bt_canvas_at(&c, 1, y), 0x2717);
	assert_int_equal(bt_canvas_role(&c, 3, y), BT_ROLE_BAD);
	int yl = row_of(&c, "    5 FAILURE");
	assert_true(yl > y);
	assert_int_equal(bt_canvas_role(&c, 8, yl), BT_ROLE_BAD);
	int yo = row_of(&c, "    4 four");
	assert_int_equal(bt_canvas_role(&c, 8, yo), BT_ROLE_NORMAL);

	/* Search highlight and scrolling up: the newest line leaves the view. */
	in.search = "restore_images";
	in.scroll = 1;
	bt_canvas_clear(&c);
	bt_view_restore(&c, (struct bt_rect){ 0, 0, 60, 20 }, BT_ROLE_TITLE, &in);
	assert_false(bt_canvas_contains(&c, "    6 six"));
	int ys = row_of(&c, "    3 CHECKPOINT");
	int x = 1 + 6 + (int)strlen("CHECKPOINT BEGIN ");
	assert_int_equal(bt_canvas_role(&c, x, ys), BT_ROLE_MATCH);

	/* Before any line. */
	in.r = NULL;
	bt_canvas_clear(&c);
	bt_view_restore(&c, (struct bt_rect){ 0, 0, 60, 20 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "waiting"));
	bt_lines_free(l);
	bt_canvas_done(&c);
}

static void chart_view(void **state)
{
	(void)state;
	struct bt_series s;
	bt_series_init(&s, 1000);
	for (int i = 0; i <= 600; i++) /* 60 s at 10 Hz: 50 mA, then 200 mA in the last 10 s */
		bt_series_push(&s, i / 10.0, i >= 500 ? 200.0 : 50.0);
	struct bt_mark marks[2] = { { 20.0, "restore_images", false },
				    { 55.0, "wait_for_storage", true } };
	struct bt_chart_in in = { &s, marks, 2, 60, 60, 9.8, 1, "sim", "boot_loop", true };
	struct bt_canvas c;
	bt_canvas_init(&c, 50, 12);
	bt_view_chart(&c, (struct bt_rect){ 0, 0, 50, 12 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "200 mA"));
	assert_true(bt_canvas_contains(&c, "9.8 Hz"));
	assert_true(bt_canvas_contains(&c, "res 1 mA"));
	assert_true(bt_canvas_contains(&c, "boot_loop"));
	assert_true(bt_canvas_contains(&c, "SIMULATED"));
	assert_true(bt_canvas_contains(&c, "wait_for_storage")); /* newest checkpoint named */
	/* The right end (200 mA) stands taller than the left (50 mA). */
	int px = 1 + 6, pw = 50 - 2 - 6;
	int left = 0, right = 0;
	for (int y = 0; y < 12; y++) {
		left += bt_canvas_at(&c, px + 2, y) == 0x2588;
		right += bt_canvas_at(&c, px + pw - 2, y) == 0x2588;
	}
	assert_true(right > left);
	assert_true(count_cp(&c, 0x2717) >= 1); /* the failed checkpoint's marker */
	assert_true(count_cp(&c, 0x250A) >= 1);
	/* Unknown rate and resolution are said, not hidden. */
	in.rate_hz = -1;
	in.resolution_ma = -1;
	in.s = NULL;
	bt_canvas_clear(&c);
	bt_view_chart(&c, (struct bt_rect){ 0, 0, 50, 12 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "rate ?"));
	assert_true(bt_canvas_contains(&c, "res ?"));
	assert_true(bt_canvas_contains(&c, "no samples"));
	bt_series_done(&s);
	bt_canvas_done(&c);
}

static void diagnosis_view(void **state)
{
	(void)state;
	struct bt_contrib ct = { "r1", "restore.subsystem", "storage", "x.log:5", 4.0, "[S1]",
				 "well", "storage step failed" };
	struct bt_hypothesis h[3] = {
		{ "nand", "NAND", 0.1, 0.6, 1, &ct },
		{ "earpiece_flex", "Front flex", 0.1, 0.3, 0, NULL },
		{ "usb_link", "USB", 0.2, 0.1, 0, NULL },
	};
	struct bt_next_test t[1];
	memset(t, 0, sizeof t);
	t[0].id = "dfu_restore";
	t[0].title = "DFU restore";
	t[0].risk = "erases data";
	struct bt_diagnosis d;
	memset(&d, 0, sizeof d);
	d.board = "iphonex";
	d.nhyp = 3;
	d.hyp = h;
	d.ntests = 1;
	d.tests = t;
	struct bt_diag_in in = { &d, 0, false, "iPhone X" };
	struct bt_canvas c;
	bt_canvas_init(&c, 60, 14);
	bt_view_diagnosis(&c, (struct bt_rect){ 0, 0, 60, 14 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "board iPhone X"));
	assert_true(bt_canvas_contains(&c, "60%"));
	assert_true(bt_canvas_contains(&c, "1. DFU restore  (erases data)"));
	int y0 = row_of(&c, "nand"), y1 = row_of(&c, "earpiece_flex");
	int b0 = 0, b1 = 0;
	for (int x = 0; x < 60; x++) {
		b0 += bt_canvas_at(&c, x, y0) == 0x2588;
		b1 += bt_canvas_at(&c, x, y1) == 0x2588;
	}
	assert_true(b0 > b1 && b1 > 0);
	assert_false(bt_canvas_contains(&c, "storage step failed"));
	in.why = true;
	bt_canvas_clear(&c);
	bt_view_diagnosis(&c, (struct bt_rect){ 0, 0, 60, 14 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "restore.subsystem=storage"));
	assert_true(bt_canvas_contains(&c, "storage step failed"));
	in.cursor = 1;
	bt_canvas_clear(&c);
	bt_view_diagnosis(&c, (struct bt_rect){ 0, 0, 60, 14 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "prior alone"));
	in.d = NULL;
	bt_canvas_clear(&c);
	bt_view_diagnosis(&c, (struct bt_rect){ 0, 0, 60, 14 }, BT_ROLE_TITLE, &in);
	assert_true(bt_canvas_contains(&c, "No diagnosis yet"));
	bt_canvas_done(&c);
}

static void guided_view_at_80x24(void **state)
{
	(void)state;
	const struct bt_guided_def *ff = bt_guided_builtin("front_flex_disconnect");
	struct bt_guided *g = bt_guided_new(ff);
	struct bt_canvas c;
	bt_canvas_init(&c, 80, 24);
	struct bt_rect r = { 2, 1, 76, 22 };
	bt_view_guided(&c, r, g, NULL);
	assert_true(bt_canvas_contains(&c, "Safety first"));
	assert_true(bt_canvas_contains(&c, "Enter: understood"));
	struct bt_attempt a;
	bt_attempt_init(&a);
	a.valid = a.finished = true;
	bt_attempt_set(a.outcome, sizeof a.outcome, "failed");
	bt_attempt_set(a.failed_step, sizeof a.failed_step, "wait_for_storage");
	a.host_error = 4013;
	bt_attempt_set(a.supply_pattern, sizeof a.supply_pattern, "boot_loop");
	a.period_s = 4;
	bt_guided_prefill_a(g, &a);
	bt_guided_ack(g, 0);
	bt_canvas_clear(&c);
	bt_view_guided(&c, r, g, NULL);
	assert_true(bt_canvas_contains(&c, "A: flex connected"));
	assert_true(bt_canvas_contains(&c, "B: flex disconnected"));
	assert_true(bt_canvas_contains(&c, "error 4013"));
	assert_true(bt_canvas_contains(&c, "not observed"));
	assert_true(bt_canvas_contains(&c, "use this restore as attempt A"));
	for (int i = 0; i < 3; i++)
		bt_guided_ack(g, 0);
	bt_guided_ack(g, 0); /* start B */
	struct bt_attempt b = a;
	bt_attempt_set(b.outcome, sizeof b.outcome, "succeeded");
	b.failed_step[0] = 0;
	b.host_error = 0;
	bt_attempt_set(b.supply_pattern, sizeof b.supply_pattern, "unknown");
	b.period_s = -1;
	b.peak_ma = 212;
	bt_guided_observe(g, &b);
	bt_canvas_clear(&c);
	bt_view_guided(&c, r, g, NULL);
	assert_true(bt_canvas_contains(&c, "Tool proposes: restore_passed"));
	assert_true(bt_canvas_contains(&c, "boot_loop every 4.0 s"));
	assert_true(bt_canvas_contains(&c, "peak 212 mA")); /* an unknown pattern is not shown as one */
	assert_false(bt_canvas_contains(&c, "current signature changed")); /* unknown: no claim */
	assert_true(bt_canvas_contains(&c, "succeeded"));
	bt_guided_ack(g, 0);
	bt_canvas_clear(&c);
	bt_view_guided(&c, r, g, NULL);
	assert_true(bt_canvas_contains(&c, "Recorded test.front_flex_disconnect = restore_passed"));
	/* Nothing is drawn outside the rectangle. */
	for (int x = 0; x < 80; x++)
		assert_int_equal(bt_canvas_at(&c, x, 0), ' ');
	bt_guided_free(g);
	bt_canvas_done(&c);
}

/* Every pane at every small size, and partly off the canvas: nothing is written outside the
 * canvas (the sanitizer build checks the memory) and nothing crashes. */
static void panes_at_any_size(void **state)
{
	(void)state;
	struct bt_evset *ev = bt_evset_new();
	bt_evset_add(ev, "iboot.mode", "DFU", "rec", 0, 0, "");
	bt_evset_add(ev, "iboot.env.auto-boot", "false", "rec", 0, 0, "");
	struct bt_lines *l = bt_lines_new(8);
	bt_lines_push(l, "a line", 1);
	struct bt_step st = { 1, -1, "x", "usb", BT_STEP_FAILED, 1, "f", 1, 0.5 };
	struct bt_restore r;
	memset(&r, 0, sizeof r);
	r.outcome = BT_OUTCOME_FAILED;
	r.failed_step = st;
	r.nsteps = 1;
	r.steps = &st;
	struct bt_series s;
	bt_series_init(&s, 16);
	bt_series_push(&s, 1, 100);
	struct bt_mark mk = { 1, "x", true };
	struct bt_hypothesis h = { "nand", "NAND", 0.5, 1.0, 0, NULL };
	struct bt_diagnosis d;
	memset(&d, 0, sizeof d);
	d.nhyp = 1;
	d.hyp = &h;
	struct bt_guided *g = bt_guided_new(bt_guided_builtin("front_flex_disconnect"));
	struct bt_canvas c;
	bt_canvas_init(&c, 16, 10);
	for (int w = 0; w <= 18; w++) {
		for (int hh = 0; hh <= 12; hh++) {
			for (int off = -2; off <= 2; off += 2) {
				struct bt_rect rc = { off, off, w, hh };
				struct bt_phone_in pi = { ev, true, "s", 3 };
				struct bt_restore_in ri = { &r, l, "f", "A", true, true, 5, "line", 0 };
				struct bt_chart_in ci = { &s, &mk, 1, 10, 2, 1, 1, "src", "boot_loop", true };
				struct bt_diag_in di = { &d, 0, true, "b" };
				bt_view_phone(&c, rc, BT_ROLE_TITLE, &pi);
				bt_view_restore(&c, rc, BT_ROLE_TITLE, &ri);
				bt_view_chart(&c, rc, BT_ROLE_TITLE, &ci);
				bt_view_diagnosis(&c, rc, BT_ROLE_TITLE, &di);
				bt_view_guided(&c, rc, g, NULL);
			}
		}
	}
	assert_int_equal(c.w, 16);
	bt_guided_free(g);
	bt_series_done(&s);
	bt_lines_free(l);
	bt_evset_free(ev);
	bt_canvas_done(&c);
}

static void checklist_scrolls_to_the_cursor(void **state)
{
	(void)state;
	const struct bt_guided_def *cl = bt_guided_builtin("symptom_checklist");
	struct bt_guided *g = bt_guided_new(cl);
	struct bt_canvas c;
	bt_canvas_init(&c, 60, 9);
	struct bt_rect r = { 0, 0, 60, 9 };
	bt_view_guided(&c, r, g, NULL);
	char first[96], last[96];
	snprintf(first, sizeof first, "[ ] %s", cl->items[0].label);
	snprintf(last, sizeof last, "[x] %s", cl->items[cl->nitems - 1].label);
	assert_true(bt_canvas_contains(&c, first));
	bt_guided_move(g, -1); /* wraps to the last item */
	bt_guided_toggle(g);
	bt_canvas_clear(&c);
	bt_view_guided(&c, r, g, NULL);
	assert_true(bt_canvas_contains(&c, last));
	assert_false(bt_canvas_contains(&c, first));
	bt_guided_free(g);
	bt_canvas_done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canvas_text_utf8_and_clipping),
		cmocka_unit_test(canvas_bars_boxes_fallback),
		cmocka_unit_test(lines_ring_and_search),
		cmocka_unit_test(series_drops_oldest_half),
		cmocka_unit_test(phone_view),
		cmocka_unit_test(restore_view_highlights_failure),
		cmocka_unit_test(chart_view),
		cmocka_unit_test(diagnosis_view),
		cmocka_unit_test(guided_view_at_80x24),
		cmocka_unit_test(panes_at_any_size),
		cmocka_unit_test(checklist_scrolls_to_the_cursor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
