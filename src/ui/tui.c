/* tui.c — the dashboard loop: poll, keys, layout, drawing. */
#include "ui/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "bench/bench.h"
#include "bench/supply_feed.h"
#include "core/err.h"
#include "guided/canvas.h"
#include "guided/guided.h"
#include "guided/views.h"
#include "ui/term_check.h"
#include "ui/theme.h"

#define MIN_W 60
#define MIN_H 16
#define ERR_STREAK_MAX 20  /* readable stdin that yields no key this many times: it is gone */
#define CHART_MIN_GAP_S 0.2
#define TICK_S 1.0         /* the chart's time axis moves even without samples */
#define MENU_MAX 16

enum pane { P_PHONE, P_RESTORE, P_CHART, P_DIAG, P_COUNT };
enum mode { M_DASH, M_HELP, M_MENU, M_GUIDED, M_SEARCH };

enum {
	D_PHONE = 1 << P_PHONE,
	D_RESTORE = 1 << P_RESTORE,
	D_CHART = 1 << P_CHART,
	D_DIAG = 1 << P_DIAG,
	D_HEADER = 1 << 4,
	D_STATUS = 1 << 5,
	D_OVERLAY = 1 << 6,
	D_ALL = 0xFF
};

/* What a key handler asks for (htop's reactions): the loop decides how. */
enum { R_NONE = 0, R_REDRAW = 1 << 0, R_QUIT = 1 << 1 };

struct tui {
	struct bt_bench *b;
	struct bt_canvas cv;
	int w, h;
	bool utf8, too_small;
	enum pane focus;
	enum mode mode;
	unsigned dirty;
	double now;
	/* restore pane */
	long log_scroll;
	char search[64];
	size_t search_len;
	long search_hit;
	/* diagnosis pane */
	size_t diag_cursor;
	bool why;
	int phone_scroll;
	/* test menu and guided run */
	const struct bt_guided_def *menu[MENU_MAX];
	size_t nmenu, menu_sel;
	struct bt_guided *g;
	char msg[200];
	bool quit_armed;
	double chart_next, tick_next;
};

struct keydef {
	int code;      /* a character, or a KEY_* code when fkey */
	bool fkey;
	const char *name;
	const char *help; /* NULL: not listed in help (an alias) */
	unsigned (*run)(struct tui *t);
};

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t quit_signal;

static void on_signal(int sig)
{
	int saved = errno;
	if (sig != SIGWINCH)
		quit_signal = sig;
	char c = (char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

/* ---- layout ------------------------------------------------------------------------- */

static struct bt_rect pane_rect(const struct tui *t, enum pane p)
{
	int mid = t->h - 2;
	int lw = t->w / 2;
	int top = mid / 2 - 1;
	if (top < 7)
		top = 7;
	switch (p) {
	case P_PHONE: return (struct bt_rect){ 0, 1, lw, top };
	case P_RESTORE: return (struct bt_rect){ 0, 1 + top, lw, mid - top };
	case P_CHART: return (struct bt_rect){ lw, 1, t->w - lw, top };
	case P_DIAG: return (struct bt_rect){ lw, 1 + top, t->w - lw, mid - top };
	case P_COUNT: break;
	}
	return (struct bt_rect){ 0, 0, 0, 0 };
}

static struct bt_rect overlay_rect(const struct tui *t)
{
	int w = t->w - 4 < 90 ? t->w - 4 : 90;
	int h = t->h - 2 < 24 ? t->h - 2 : 24;
	return (struct bt_rect){ (t->w - w) / 2, (t->h - h) / 2, w, h };
}

static int restore_rows(const struct tui *t)
{
	int r = pane_rect(t, P_RESTORE).h / 2;
	return r > 1 ? r : 1;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void blit(const struct tui *t, struct bt_rect r)
{
	for (int y = r.y; y < r.y + r.h && y < t->h; y++) {
		for (int x = r.x; x < r.x + r.w && x < t->w; x++) {
			uint32_t cp = bt_canvas_at(&t->cv, x, y);
			enum bt_role role = bt_canvas_role(&t->cv, x, y);
			attr_t a = bt_theme_attr(role);
			short pair = bt_theme_pair(role);
			if (t->utf8 && cp >= 0x80) {
				wchar_t wc[2] = { (wchar_t)cp, 0 };
				cchar_t cc;
				setcchar(&cc, wc, a, pair, NULL);
				mvadd_wch(y, x, &cc);
			} else {
				char ch = bt_ascii_fallback(cp);
				mvaddch(y, x, (chtype)(unsigned char)ch | a | (chtype)COLOR_PAIR(pair));
			}
		}
	}
}

static void draw_header(struct tui *t)
{
	bt_canvas_fill(&t->cv, 0, 0, t->w, 1, ' ', BT_ROLE_STATUS);
	const char *board = bt_bench_board_title(t->b);
	int n = bt_canvas_printf(&t->cv, 1, 0, t->w - 2, BT_ROLE_STATUS,
				 "benchtriage  %s  board: %s  attempt %c  ", bt_bench_describe(t->b),
				 board ? board : "unknown",
				 (char)('A' + (bt_bench_attempt_index(t->b) % 26)));
	if (bt_bench_simulated(t->b) && n + 12 < t->w)
		n += bt_canvas_text(&t->cv, 1 + n, 0, 11, BT_ROLE_SIM, " SIMULATED ");
	static const char keys[] = "?:help  t:tests  q:quit";
	int kl = (int)sizeof keys - 1;
	if (n + kl + 4 < t->w)
		bt_canvas_text(&t->cv, t->w - kl - 1, 0, kl, BT_ROLE_STATUS, keys);
}

static void draw_status(struct tui *t)
{
	int y = t->h - 1;
	bt_canvas_fill(&t->cv, 0, y, t->w, 1, ' ', BT_ROLE_NORMAL);
	if (t->mode == M_SEARCH) {
		bt_canvas_printf(&t->cv, 0, y, t->w, BT_ROLE_STATUS, "/%s", t->search);
		return;
	}
	const char *s = t->msg[0] ? t->msg : bt_bench_status(t->b);
	if (s && *s)
		bt_canvas_text(&t->cv, 0, y, t->w, BT_ROLE_DIM, s);
	else
		bt_canvas_text(&t->cv, 0, y, t->w, BT_ROLE_DIM,
			       "Tab: pane  arrows/PgUp/PgDn: scroll  /: search log  Enter: why  "
			       "t: guided tests");
}

static void draw_pane(struct tui *t, enum pane p)
{
	struct bt_rect r = pane_rect(t, p);
	enum bt_role title = p == t->focus ? BT_ROLE_FOCUS : BT_ROLE_TITLE;
	switch (p) {
	case P_PHONE: {
		struct bt_phone_in in;
		bt_bench_phone_view(t->b, &in);
		in.scroll = t->phone_scroll;
		bt_view_phone(&t->cv, r, title, &in);
		break;
	}
	case P_RESTORE: {
		struct bt_restore_in in;
		bt_bench_restore_view(t->b, &in);
		in.scroll = t->log_scroll;
		in.search = t->search_len ? t->search : NULL;
		in.search_hit = t->search_hit;
		bt_view_restore(&t->cv, r, title, &in);
		break;
	}
	case P_CHART: {
		struct bt_chart_in in;
		bt_bench_chart_view(t->b, t->now, &in);
		bt_view_chart(&t->cv, r, title, &in);
		break;
	}
	case P_DIAG: {
		struct bt_diag_in in = { bt_bench_diagnosis(t->b), t->diag_cursor, t->why,
					 bt_bench_board_title(t->b) };
		bt_view_diagnosis(&t->cv, r, title, &in);
		break;
	}
	case P_COUNT:
		break;
	}
}

static const struct keydef *keytable(size_t *n);

static void draw_overlay(struct tui *t)
{
	struct bt_rect r = overlay_rect(t);
	if (t->mode == M_HELP) {
		size_t n;
		const struct keydef *k = keytable(&n);
		static const char *const gkeys[] = { "", "In a test:", "Enter", "Backspace",
						     "Up/Down", "Space", "Esc" };
		static const char *const gwhat[] = { "", "",
						     "go on; start or end an attempt; confirm",
						     "back a step", "correct the outcome, or move",
						     "tick a symptom", "cancel (close when done)" };
		const char *keys[48], *what[48];
		size_t m = 0;
		for (size_t i = 0; i < n && m < 40; i++)
			if (k[i].help) {
				keys[m] = k[i].name;
				what[m++] = k[i].help;
			}
		for (size_t i = 0; i < sizeof gkeys / sizeof gkeys[0]; i++) {
			keys[m] = gkeys[i];
			what[m++] = gwhat[i];
		}
		bt_view_help(&t->cv, r, keys, what, m);
	} else if (t->mode == M_MENU) {
		const char *ids[MENU_MAX], *titles[MENU_MAX], *risks[MENU_MAX];
		for (size_t i = 0; i < t->nmenu; i++) {
			ids[i] = t->menu[i]->id;
			titles[i] = t->menu[i]->title;
			risks[i] = t->menu[i]->risk;
		}
		bt_view_test_menu(&t->cv, r, ids, titles, risks, t->nmenu, t->menu_sel);
	} else if (t->mode == M_GUIDED && t->g) {
		struct bt_attempt live;
		bt_bench_attempt(t->b, t->now, &live);
		bt_view_guided(&t->cv, r, t->g, &live);
	}
}

static void render(struct tui *t)
{
	if (!t->dirty)
		return;
	if (t->too_small) {
		erase();
		mvprintw(0, 0, "benchtriage: the terminal is %dx%d; it needs %dx%d", t->w, t->h,
			 MIN_W, MIN_H);
		refresh();
		t->dirty = 0;
		return;
	}
	bool overlay = t->mode == M_HELP || t->mode == M_MENU || t->mode == M_GUIDED;
	if (t->dirty == (unsigned)D_ALL)
		bt_canvas_clear(&t->cv);
	if (t->dirty & D_HEADER) {
		draw_header(t);
		blit(t, (struct bt_rect){ 0, 0, t->w, 1 });
	}
	for (int p = 0; p < P_COUNT; p++) {
		if (!(t->dirty & (1u << p)))
			continue;
		draw_pane(t, (enum pane)p);
		if (!overlay)
			blit(t, pane_rect(t, (enum pane)p));
	}
	if (overlay) {
		draw_overlay(t);
		blit(t, (struct bt_rect){ 0, 1, t->w, t->h - 2 });
	} else if (t->dirty & D_OVERLAY) {
		blit(t, (struct bt_rect){ 0, 1, t->w, t->h - 2 }); /* an overlay just closed */
	}
	if (t->dirty & D_STATUS) {
		draw_status(t);
		blit(t, (struct bt_rect){ 0, t->h - 1, t->w, 1 });
	}
	refresh();
	t->dirty = 0;
}

static void resize(struct tui *t)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	t->w = COLS;
	t->h = LINES;
	t->too_small = t->w < MIN_W || t->h < MIN_H;
	bt_canvas_resize(&t->cv, t->w, t->h);
	clear();
	t->dirty = D_ALL;
}

/* ---- guided tests ------------------------------------------------------------------- */

static void guided_flags(struct tui *t, unsigned f)
{
	char err[160];
	if (f & BT_GUIDED_WANT_RESTART) {
		if (bt_bench_new_attempt(t->b, t->now, err, sizeof err) != BT_OK)
			snprintf(t->msg, sizeof t->msg, "cannot restart the restore: %s", err);
		t->log_scroll = 0;
		t->search_hit = -1;
		t->dirty |= D_ALL;
	}
	if (f & BT_GUIDED_WANT_RECORD) {
		const char *chosen = bt_guided_chosen(t->g);
		if (bt_bench_record(t->b, t->g, t->now) == BT_OK)
			snprintf(t->msg, sizeof t->msg, "recorded test.%s = %s",
				 bt_guided_def_of(t->g)->id, chosen ? chosen : "?");
		else
			snprintf(t->msg, sizeof t->msg, "could not record the test");
		t->dirty |= D_DIAG | D_STATUS;
	}
	if (f)
		t->dirty |= D_OVERLAY | D_STATUS;
}

static void guided_start(struct tui *t, const struct bt_guided_def *def)
{
	bt_guided_free(t->g);
	t->g = bt_guided_new(def);
	if (!t->g) {
		snprintf(t->msg, sizeof t->msg, "test %s is malformed", def->id);
		t->mode = M_DASH;
		return;
	}
	struct bt_attempt a;
	bt_bench_attempt(t->b, t->now, &a);
	bt_guided_prefill_a(t->g, &a);
	t->mode = M_GUIDED;
	t->msg[0] = 0;
	t->dirty |= D_ALL;
}

static unsigned guided_key(struct tui *t, wint_t ch, bool fkey)
{
	struct bt_guided *g = t->g;
	enum bt_guided_state st = bt_guided_state(g);
	unsigned f = 0;
	if (!fkey && ch == 27) {
		if (st == BT_GS_DONE || st == BT_GS_CANCELLED) {
			t->mode = M_DASH;
			t->dirty |= D_ALL;
			return R_REDRAW;
		}
		f = bt_guided_cancel(g);
	} else if (!fkey && (ch == '\n' || ch == '\r')) {
		f = bt_guided_ack(g, t->now);
	} else if ((fkey && ch == KEY_ENTER)) {
		f = bt_guided_ack(g, t->now);
	} else if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
		f = bt_guided_back(g);
	} else if (fkey && ch == KEY_UP) {
		f = bt_guided_move(g, -1);
	} else if (fkey && ch == KEY_DOWN) {
		f = bt_guided_move(g, 1);
	} else if (!fkey && ch == ' ') {
		f = bt_guided_toggle(g);
	} else if (!fkey && ch == 'q' && (st == BT_GS_DONE || st == BT_GS_CANCELLED)) {
		t->mode = M_DASH;
		t->dirty |= D_ALL;
		return R_REDRAW;
	}
	guided_flags(t, f);
	return R_REDRAW;
}

/* ---- the key table ------------------------------------------------------------------ */

/* Quitting stops a restore command the bench started: that takes a second q. */
static unsigned k_quit(struct tui *t)
{
	if (!bt_bench_command_running(t->b) || t->quit_armed)
		return R_QUIT;
	t->quit_armed = true;
	snprintf(t->msg, sizeof t->msg,
		 "A restore command is running: q again stops it and quits; any other key goes on.");
	t->dirty |= D_STATUS;
	return R_REDRAW;
}

static unsigned k_help(struct tui *t)
{
	t->mode = M_HELP;
	t->dirty |= D_ALL;
	return R_REDRAW;
}

static unsigned k_tab(struct tui *t)
{
	unsigned old = 1u << t->focus;
	t->focus = (enum pane)((t->focus + 1) % P_COUNT);
	t->dirty |= old | (1u << t->focus);
	return R_REDRAW;
}

static unsigned k_backtab(struct tui *t)
{
	unsigned old = 1u << t->focus;
	t->focus = (enum pane)((t->focus + P_COUNT - 1) % P_COUNT);
	t->dirty |= old | (1u << t->focus);
	return R_REDRAW;
}

static long log_total(const struct tui *t)
{
	return (long)bt_lines_count(bt_bench_lines(t->b));
}

static unsigned scroll_by(struct tui *t, long d)
{
	switch (t->focus) {
	case P_RESTORE: {
		long v = t->log_scroll + d, max = log_total(t) - 1;
		t->log_scroll = v < 0 ? 0 : v > max ? (max > 0 ? max : 0) : v;
		t->dirty |= D_RESTORE;
		break;
	}
	case P_DIAG: {
		const struct bt_diagnosis *dg = bt_bench_diagnosis(t->b);
		long n = dg ? (long)dg->nhyp : 0;
		long v = (long)t->diag_cursor - (d > 0 ? 1 : d < 0 ? -1 : 0);
		t->diag_cursor = n == 0 ? 0 : (size_t)(v < 0 ? 0 : v >= n ? n - 1 : v);
		t->dirty |= D_DIAG;
		break;
	}
	case P_PHONE:
		t->phone_scroll = t->phone_scroll - (int)d < 0 ? 0 : t->phone_scroll - (int)d;
		t->dirty |= D_PHONE;
		break;
	default:
		break;
	}
	return R_REDRAW;
}

static unsigned k_up(struct tui *t) { return scroll_by(t, 1); }
static unsigned k_down(struct tui *t) { return scroll_by(t, -1); }
static unsigned k_pgup(struct tui *t) { return scroll_by(t, restore_rows(t)); }
static unsigned k_pgdn(struct tui *t) { return scroll_by(t, -restore_rows(t)); }

static unsigned k_end(struct tui *t)
{
	t->log_scroll = 0;
	t->dirty |= D_RESTORE;
	return R_REDRAW;
}

static unsigned k_why(struct tui *t)
{
	t->focus = P_DIAG;
	t->why = !t->why;
	t->dirty |= D_DIAG | D_PHONE | D_RESTORE | D_CHART;
	return R_REDRAW;
}

static unsigned k_search(struct tui *t)
{
	t->mode = M_SEARCH;
	t->search_len = 0;
	t->search[0] = 0;
	t->dirty |= D_STATUS;
	return R_REDRAW;
}

static void jump_to_hit(struct tui *t, int dir)
{
	const struct bt_lines *l = bt_bench_lines(t->b);
	long from = t->search_hit >= 0 ? t->search_hit + dir : -1;
	long hit = bt_lines_search(l, t->search, from, dir);
	t->search_hit = hit;
	if (hit < 0) {
		snprintf(t->msg, sizeof t->msg, "not found: %s", t->search);
	} else {
		long below = log_total(t) - 1 - hit;
		long rows = restore_rows(t);
		/* Put the hit in the middle of the log area when there is room. */
		t->log_scroll = below > rows / 2 ? below - rows / 2 : 0;
		snprintf(t->msg, sizeof t->msg, "/%s  (n: older  N: newer)", t->search);
	}
	t->focus = P_RESTORE;
	t->dirty |= D_RESTORE | D_STATUS | D_PHONE | D_CHART | D_DIAG;
}

static unsigned k_next(struct tui *t)
{
	if (t->search_len)
		jump_to_hit(t, -1);
	return R_REDRAW;
}

static unsigned k_prev(struct tui *t)
{
	if (t->search_len)
		jump_to_hit(t, 1);
	return R_REDRAW;
}

static unsigned k_tests(struct tui *t)
{
	t->nmenu = bt_bench_tests(t->b, t->menu, MENU_MAX);
	t->menu_sel = 0;
	t->mode = M_MENU;
	t->dirty |= D_ALL;
	return R_REDRAW;
}

static unsigned k_rerun(struct tui *t)
{
	guided_flags(t, BT_GUIDED_WANT_RESTART);
	if (!t->msg[0])
		snprintf(t->msg, sizeof t->msg, "new restore attempt %c started",
			 (char)('A' + (bt_bench_attempt_index(t->b) % 26)));
	t->dirty |= D_ALL;
	return R_REDRAW;
}

static unsigned k_redraw(struct tui *t)
{
	clearok(curscr, TRUE);
	t->dirty |= D_ALL;
	return R_REDRAW;
}

static const struct keydef keys[] = {
	{ '?', false, "?", "this help", k_help },
	{ 'q', false, "q", "quit", k_quit },
	{ '\t', false, "Tab", "next pane (Shift-Tab: previous)", k_tab },
	{ KEY_BTAB, true, "S-Tab", NULL, k_backtab },
	{ KEY_UP, true, "Up/Down", "scroll the pane, or move in the diagnosis", k_up },
	{ KEY_DOWN, true, "Down", NULL, k_down },
	{ 'k', false, "k", NULL, k_up },
	{ 'j', false, "j", NULL, k_down },
	{ KEY_PPAGE, true, "PgUp/PgDn", "scroll the restore log a page", k_pgup },
	{ KEY_NPAGE, true, "PgDn", NULL, k_pgdn },
	{ KEY_END, true, "End", "follow the newest log lines again", k_end },
	{ 'G', false, "G", NULL, k_end },
	{ '/', false, "/", "search the restore log", k_search },
	{ 'n', false, "n / N", "next older / newer match", k_next },
	{ 'N', false, "N", NULL, k_prev },
	{ '\n', false, "Enter", "why? (what moved the selected hypothesis)", k_why },
	{ '\r', false, "Enter", NULL, k_why },
	{ KEY_ENTER, true, "Enter", NULL, k_why },
	{ 't', false, "t", "guided tests (flex disconnect, swap, DFU, symptoms)", k_tests },
	{ 'r', false, "r", "a new restore attempt (run the command again; demo: replay B)", k_rerun },
	{ 12, false, "C-l", "redraw the screen", k_redraw },
};

static const struct keydef *keytable(size_t *n)
{
	*n = sizeof keys / sizeof keys[0];
	return keys;
}

static unsigned dash_key(struct tui *t, wint_t ch, bool fkey)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].fkey == fkey && (wint_t)keys[i].code == ch)
			return keys[i].run(t);
	return R_NONE;
}

static unsigned menu_key(struct tui *t, wint_t ch, bool fkey)
{
	if (fkey && ch == KEY_UP && t->menu_sel > 0)
		t->menu_sel--;
	else if (fkey && ch == KEY_DOWN && t->menu_sel + 1 < t->nmenu)
		t->menu_sel++;
	else if ((!fkey && (ch == '\n' || ch == '\r')) || (fkey && ch == KEY_ENTER)) {
		if (t->nmenu)
			guided_start(t, t->menu[t->menu_sel]);
	} else if (!fkey && (ch == 27 || ch == 'q')) {
		t->mode = M_DASH;
	}
	t->dirty |= D_ALL;
	return R_REDRAW;
}

static unsigned search_key(struct tui *t, wint_t ch, bool fkey)
{
	if (!fkey && ch == 27) {
		t->mode = M_DASH;
		t->search_len = 0;
		t->search[0] = 0;
		t->search_hit = -1;
		t->dirty |= D_STATUS | D_RESTORE;
	} else if ((!fkey && (ch == '\n' || ch == '\r')) || (fkey && ch == KEY_ENTER)) {
		t->mode = M_DASH;
		t->search_hit = -1;
		if (t->search_len)
			jump_to_hit(t, -1);
		t->dirty |= D_STATUS;
	} else if ((fkey && ch == KEY_BACKSPACE) || (!fkey && (ch == 127 || ch == 8))) {
		if (t->search_len)
			t->search[--t->search_len] = 0;
		t->dirty |= D_STATUS;
	} else if (!fkey && ch >= 32 && ch < 127 && t->search_len + 1 < sizeof t->search) {
		t->search[t->search_len++] = (char)ch;
		t->search[t->search_len] = 0;
		t->dirty |= D_STATUS;
	}
	return R_REDRAW;
}

static unsigned on_key(struct tui *t, wint_t ch, bool fkey)
{
	if (fkey && ch == KEY_RESIZE) {
		resize(t);
		return R_REDRAW;
	}
	bool armed = t->quit_armed;
	t->quit_armed = false;
	if (armed && t->mode == M_DASH && !fkey && ch == 'q')
		return R_QUIT;
	if (t->msg[0] && t->mode != M_SEARCH) {
		t->msg[0] = 0;
		t->dirty |= D_STATUS;
	}
	switch (t->mode) {
	case M_HELP:
		t->mode = M_DASH;
		t->dirty |= D_ALL;
		return R_REDRAW;
	case M_MENU: return menu_key(t, ch, fkey);
	case M_GUIDED: return guided_key(t, ch, fkey);
	case M_SEARCH: return search_key(t, ch, fkey);
	case M_DASH: break;
	}
	return dash_key(t, ch, fkey);
}

/* ---- the loop ----------------------------------------------------------------------- */

static void bench_changed(struct tui *t, unsigned c)
{
	if (c & BT_BENCH_PHONE)
		t->dirty |= D_PHONE | D_HEADER;
	if (c & (BT_BENCH_LOG | BT_BENCH_ATTEMPT_END))
		t->dirty |= D_RESTORE;
	if (c & BT_BENCH_DIAG)
		t->dirty |= D_DIAG | D_HEADER;
	if (c & BT_BENCH_STATUS)
		t->dirty |= D_STATUS;
	if ((c & (BT_BENCH_SUPPLY | BT_BENCH_LOG)) && t->now >= t->chart_next) {
		t->dirty |= D_CHART;
		t->chart_next = t->now + CHART_MIN_GAP_S;
	}
	if (t->mode == M_GUIDED && t->g && (c & (BT_BENCH_LOG | BT_BENCH_SUPPLY |
						 BT_BENCH_ATTEMPT_END))) {
		int which;
		if (bt_guided_observing(t->g, &which)) {
			struct bt_attempt a;
			bt_bench_attempt(t->b, t->now, &a);
			guided_flags(t, bt_guided_observe(t->g, &a));
		}
		t->dirty |= D_OVERLAY;
	}
}

static bool locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

enum bt_tui_end bt_tui_run(struct bt_bench *b, const struct bt_tui_opts *o)
{
	if (pipe(sig_pipe) != 0)
		return BT_TUI_NO_TERMINAL;
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	enum bt_tui_end end = BT_TUI_QUIT;
	/* Ask terminfo first: a newterm() that fails keeps memory it never frees. */
	if (!bt_ui_terminal_usable()) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return BT_TUI_NO_TERMINAL;
	}
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		return BT_TUI_NO_TERMINAL;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	bt_theme_init(o->no_color);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	struct sigaction old_winch, old_int, old_term, old_hup, old_pipe;
	sigaction(SIGWINCH, &sa, &old_winch);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old_pipe);
	quit_signal = 0;

	struct tui t;
	memset(&t, 0, sizeof t);
	t.b = b;
	t.utf8 = !o->ascii && locale_utf8();
	t.focus = P_RESTORE;
	t.search_hit = -1;
	t.now = bt_bench_clock();
	double start = t.now;
	bt_canvas_init(&t.cv, 1, 1);
	resize(&t);

	int err_streak = 0;
	for (;;) {
		render(&t);
		struct pollfd fds[8];
		size_t n = 0;
		fds[n++] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		fds[n++] = (struct pollfd){ sig_pipe[0], POLLIN, 0 };
		n += bt_bench_pollfds(b, fds + n, 8 - n);
		double now = bt_bench_clock();
		double due = bt_bench_deadline(b);
		if (due < 0 || due > t.tick_next)
			due = t.tick_next;
		if (o->max_seconds > 0 && due > start + o->max_seconds)
			due = start + o->max_seconds;
		int timeout = due <= now ? 0 : (int)((due - now) * 1000) + 1;
		if (timeout > 1000)
			timeout = 1000;
		int pr = poll(fds, (nfds_t)n, timeout);
		if (pr < 0 && errno != EINTR) {
			end = BT_TUI_TERM_GONE;
			break;
		}
		t.now = bt_bench_clock();
		if (o->max_seconds > 0 && t.now - start >= o->max_seconds)
			break;
		if (pr > 0 && (fds[1].revents & POLLIN)) {
			char buf[64];
			bool winch = false;
			ssize_t r;
			while ((r = read(sig_pipe[0], buf, sizeof buf)) > 0)
				for (ssize_t i = 0; i < r; i++)
					winch |= buf[i] == SIGWINCH;
			if (winch)
				resize(&t);
		}
		if (quit_signal) {
			end = BT_TUI_SIGNAL;
			break;
		}
		if (pr > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(fds[0].revents & POLLIN)) {
			end = BT_TUI_TERM_GONE;
			break;
		}
		bool quit = false;
		if (pr > 0 && (fds[0].revents & POLLIN)) {
			int got = 0;
			for (int i = 0; i < 64; i++) {
				wint_t ch;
				int rc = get_wch(&ch);
				if (rc == ERR)
					break;
				got++;
				if (on_key(&t, ch, rc == KEY_CODE_YES) & R_QUIT) {
					quit = true;
					break;
				}
			}
			/* Readable but nothing to read: EOF or a dead terminal. Never spin on it. */
			err_streak = got ? 0 : err_streak + 1;
			if (err_streak >= ERR_STREAK_MAX) {
				end = BT_TUI_TERM_GONE;
				break;
			}
		}
		if (quit)
			break;
		bench_changed(&t, bt_bench_service(b, fds + 2, n - 2, t.now));
		if (t.now >= t.tick_next) {
			t.tick_next = t.now + TICK_S;
			t.dirty |= D_CHART | (t.mode == M_GUIDED ? D_OVERLAY : 0);
		}
	}

	bt_guided_free(t.g);
	bt_canvas_done(&t.cv);
	endwin();
	delscreen(scr);
	sigaction(SIGWINCH, &old_winch, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return end;
}
