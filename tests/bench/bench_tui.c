/* bench_tui — the TUI's redraw cost, without a terminal.
 *
 * A full dashboard frame (phone, restore with its timeline and log lines, current chart with
 * checkpoint marks, ranked diagnosis) is composed into the cell canvas from real data: a corpus
 * restore log scanned, the board profiles and the engine's diagnosis, a recorded phone's
 * evidence and an hour of current samples. The reference is the least work that puts text into
 * every cell of the same canvas (one bt_canvas_text per row), so the ratio is what the panes
 * cost over merely writing a screenful. The curses copy that follows is ncurses' own diffing
 * and is not counted. Frames per second at both sizes are printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/evidence.h"
#include "core/linereader.h"
#include "engine/board.h"
#include "engine/engine.h"
#include "guided/canvas.h"
#include "guided/lines.h"
#include "guided/views.h"
#include "logs/logscan.h"
#include "recovery/recovery_evidence.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct feed {
	struct bt_logscan *sc;
	struct bt_lines *lines;
};

static int on_line(const struct bt_line *line, void *user)
{
	struct feed *f = user;
	bt_logscan_line(f->sc, line);
	bt_lines_push(f->lines, line->text, line->lineno);
	return 0;
}

struct frame {
	struct bt_phone_in phone;
	struct bt_restore_in restore;
	struct bt_chart_in chart;
	struct bt_diag_in diag;
};

static void draw(struct bt_canvas *c, const struct frame *f)
{
	int w = c->w, h = c->h, half = w / 2, top = h / 2;
	bt_canvas_clear(c);
	bt_view_phone(c, (struct bt_rect){ 0, 1, half, top - 1 }, BT_ROLE_TITLE, &f->phone);
	bt_view_chart(c, (struct bt_rect){ half, 1, w - half, top - 1 }, BT_ROLE_TITLE, &f->chart);
	bt_view_restore(c, (struct bt_rect){ 0, top, half, h - top - 1 }, BT_ROLE_FOCUS, &f->restore);
	bt_view_diagnosis(c, (struct bt_rect){ half, top, w - half, h - top - 1 }, BT_ROLE_TITLE,
			  &f->diag);
}

static void plain(struct bt_canvas *c, const char *row)
{
	bt_canvas_clear(c);
	for (int y = 0; y < c->h; y++)
		bt_canvas_text(c, 0, y, c->w, BT_ROLE_NORMAL, row);
}

int main(int argc, char **argv)
{
	const char *log = argc > 1 ? argv[1] : "tests/data/corpus/20-iphone13,4-install_splat-100.log";
	const char *rec = argc > 2 ? argv[2] : "tests/data/demo/phone.rec";
	struct bt_boards *boards = bt_boards_new();
	struct bt_board_diags bd = { 0, NULL };
	bt_boards_load_default(boards, &bd);
	bt_board_diags_done(&bd);

	struct feed fd = { bt_logscan_new(), bt_lines_new(BT_LINES_MAX) };
	bt_logscan_begin(fd.sc, log);
	if (bt_linereader_file(log, 4096, on_line, &fd) != 0) {
		fprintf(stderr, "bench_tui: cannot read %s\n", log);
		return 1;
	}
	bt_logscan_end(fd.sc);
	struct bt_evset *ev = bt_evset_new(), *phone = bt_evset_new();
	char err[256];
	bt_recovery_file_evidence(rec, phone, err, sizeof err);
	bt_logscan_evidence(fd.sc, ev);
	bt_evset_merge(ev, phone);
	const struct bt_board *b = bt_boards_find(boards, bt_evset_value(ev, "device.product_type")
							? bt_evset_value(ev, "device.product_type") : "");
	struct bt_diagnosis *d = bt_engine_run(boards, b, ev);

	struct bt_series s;
	bt_series_init(&s, 36000);
	for (int i = 0; i < 36000; i++) /* an hour at 10 Hz: a boot-loop-like saw */
		bt_series_push(&s, i * 0.1, 60.0 + (double)((i * 7) % 90) * 3.0);
	struct bt_mark marks[32];
	const struct bt_restore *r = bt_logscan_result(fd.sc);
	size_t nm = 0;
	for (size_t i = 0; i < r->nsteps && nm < 32; i++, nm++) {
		marks[nm].t = 3000.0 + (double)i * 20.0;
		snprintf(marks[nm].label, sizeof marks[nm].label, "%s", r->steps[i].name);
		marks[nm].failed = r->steps[i].state == BT_STEP_FAILED;
	}
	struct frame f = {
		.phone = { phone, true, "replaying a recorded recovery session", 0 },
		.restore = { r, fd.lines, log, "attempt A", true, false, 0, "splat", -1 },
		.chart = { &s, marks, nm, 600.0, 3600.0, 10.0, 1.0, "Korad KA3005P (simulated)",
			   "boot_loop", true },
		.diag = { d, 0, true, b ? bt_board_title(b) : NULL },
	};

	static const int sizes[][2] = { { 80, 24 }, { 200, 60 } };
	for (size_t k = 0; k < 2; k++) {
		struct bt_canvas c;
		bt_canvas_init(&c, sizes[k][0], sizes[k][1]);
		char row[256];
		memset(row, 'x', sizeof row - 1);
		row[sizeof row - 1] = '\0';
		int frames = 3000;
		double t0 = now();
		for (int i = 0; i < frames; i++)
			draw(&c, &f);
		double t_draw = (now() - t0) / frames;
		t0 = now();
		for (int i = 0; i < frames; i++)
			plain(&c, row);
		double t_plain = (now() - t0) / frames;
		printf("%dx%d: dashboard frame %.1f us (%.0f frames/s); plain text fill %.1f us; "
		       "ratio %.1f\n", c.w, c.h, t_draw * 1e6, 1.0 / t_draw, t_plain * 1e6,
		       t_draw / t_plain);
		bt_canvas_done(&c);
	}
	bt_series_done(&s);
	bt_diagnosis_free(d);
	bt_evset_free(ev);
	bt_evset_free(phone);
	bt_lines_free(fd.lines);
	bt_logscan_free(fd.sc);
	bt_boards_free(boards);
	return 0;
}
