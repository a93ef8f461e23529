/* views.c — the dashboard panes drawn into a canvas. */
#include "guided/views.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

/* ---- series ------------------------------------------------------------------------- */

void bt_series_init(struct bt_series *s, size_t cap)
{
	s->cap = cap < 16 ? 16 : cap;
	s->t = bt_xcalloc(s->cap, sizeof *s->t);
	s->ma = bt_xcalloc(s->cap, sizeof *s->ma);
	s->n = 0;
}

void bt_series_done(struct bt_series *s)
{
	free(s->t);
	free(s->ma);
	memset(s, 0, sizeof *s);
}

void bt_series_clear(struct bt_series *s)
{
	s->n = 0;
}

void bt_series_push(struct bt_series *s, double t, double ma)
{
	if (s->n == s->cap) {
		/* Drop the older half in one move, so a push costs O(1) amortised. */
		size_t keep = s->cap / 2;
		memmove(s->t, s->t + (s->n - keep), keep * sizeof *s->t);
		memmove(s->ma, s->ma + (s->n - keep), keep * sizeof *s->ma);
		s->n = keep;
	}
	s->t[s->n] = t;
	s->ma[s->n] = ma;
	s->n++;
}

/* ---- helpers ------------------------------------------------------------------------ */

static void frame(struct bt_canvas *c, struct bt_rect r, const char *title, enum bt_role trole,
		  bool simulated)
{
	bt_canvas_fill(c, r.x, r.y, r.w, r.h, ' ', BT_ROLE_NORMAL);
	bt_canvas_box(c, r.x, r.y, r.w, r.h, BT_ROLE_BORDER, title, trole);
	if (simulated && r.w > 24) {
		static const char sim[] = " SIMULATED ";
		int n = (int)sizeof sim - 1;
		bt_canvas_text(c, r.x + r.w - n - 2, r.y, n, BT_ROLE_SIM, sim);
	}
}

/* Word-wraps s into rows of width w starting at (x, y); at most maxrows rows. */
static int wrap(struct bt_canvas *c, int x, int y, int w, int maxrows, enum bt_role role,
		const char *s)
{
	int rows = 0;
	while (s && *s && rows < maxrows && w > 0) {
		size_t len = strlen(s);
		size_t take = len;
		/* Count bytes for w columns (UTF-8 continuation bytes take no column). */
		size_t cols = 0, i = 0;
		while (i < len && cols < (size_t)w) {
			i++;
			while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			cols++;
		}
		if (i < len) {
			size_t brk = i;
			while (brk > 0 && s[brk] != ' ')
				brk--;
			take = brk > 0 ? brk : i;
		}
		char buf[1024];
		size_t n = take < sizeof buf - 1 ? take : sizeof buf - 1;
		memcpy(buf, s, n);
		buf[n] = 0;
		bt_canvas_text(c, x, y + rows, w, role, buf);
		rows++;
		s += take;
		while (*s == ' ')
			s++;
	}
	return rows;
}

static const char *ev(const struct bt_evset *set, const char *key)
{
	const char *v = set ? bt_evset_value(set, key) : NULL;
	return v && *v ? v : NULL;
}

static const char *base_name(const char *path)
{
	if (!path)
		return "";
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* ---- phone -------------------------------------------------------------------------- */

static const struct {
	const char *name, *meaning;
} iboot_vars[] = {
	{ "auto-boot", "false keeps the phone in recovery; restore tools set it" },
	{ "boot-args", "kernel arguments left behind by a tool" },
	{ "build-version", "iBoot version on the phone" },
	{ "build-style", "RELEASE or DEBUG iBoot" },
	{ "boot-stage", "how far the boot chain got" },
	{ "radio-error", "iBoot saw a baseband failure (non-zero)" },
	{ "radio-error-string", "baseband failure text from iBoot" },
	{ "restore-outcome", "left by the last restore; *_failure_no_return: a stage failed; other *_no_return: a stage never ended" },
	{ "restore-step-names", "non-empty: the step that never finished" },
	{ "restore-step-ids", "checkpoint id of the step in progress" },
	{ "restore-step-uptime", "seconds since boot at that step" },
	{ "restore-step-user-progress", "progress the user saw at that step" },
	{ "restore-anomalies", "checkpoint bookkeeping" },
	{ "restore-step-monitor", "checkpoint bookkeeping" },
	{ "com.apple.System.boot-nonce", "nonce generator (for signing)" },
	{ "obliteration", "erase status" },
	{ "oblit-begins", "erase status" },
};

const char *bt_iboot_var_meaning(const char *name)
{
	for (size_t i = 0; name && i < sizeof iboot_vars / sizeof iboot_vars[0]; i++)
		if (strcmp(iboot_vars[i].name, name) == 0)
			return iboot_vars[i].meaning;
	return NULL;
}

void bt_view_phone(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		   const struct bt_phone_in *in)
{
	frame(c, r, "Phone", title, in->simulated);
	int x = r.x + 1, y = r.y + 1, w = r.w - 2, bottom = r.y + r.h - 1;
	if (w < 4 || r.h < 3)
		return;
	const struct bt_evset *e = in->ev;
	const char *mode = ev(e, "iboot.mode");
	if (!mode) {
		bt_canvas_text(c, x, y++, w, BT_ROLE_DIM, "No phone in recovery/DFU mode.");
		if (in->status && y < bottom)
			wrap(c, x, y, w, bottom - y, BT_ROLE_DIM, in->status);
		return;
	}
	const char *prod = ev(e, "device.product_type");
	int n = bt_canvas_printf(c, x, y, w, BT_ROLE_NORMAL, "Mode ");
	n += bt_canvas_text(c, x + n, y, w - n, strcmp(mode, "DFU") == 0 ? BT_ROLE_WARN : BT_ROLE_OK,
			    mode);
	bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_NORMAL, "  %s", prod ? prod : "?");
	y++;
	if (y < bottom)
		bt_canvas_printf(c, x, y++, w, BT_ROLE_NORMAL, "CPID %s  BDID %s  board %s",
				 ev(e, "iboot.cpid") ? ev(e, "iboot.cpid") : "?",
				 ev(e, "iboot.bdid") ? ev(e, "iboot.bdid") : "?",
				 ev(e, "iboot.board") ? ev(e, "iboot.board") : "unknown");
	if (y < bottom && ev(e, "iboot.ecid"))
		bt_canvas_printf(c, x, y++, w, BT_ROLE_DIM, "ECID %s", ev(e, "iboot.ecid"));
	if (y < bottom && ev(e, "iboot.pwnd"))
		bt_canvas_printf(c, x, y++, w, BT_ROLE_WARN, "PWND %s: a boot-ROM exploit tool had it before",
				 ev(e, "iboot.pwnd"));
	if (y < bottom && ev(e, "iboot.pattern"))
		bt_canvas_printf(c, x, y++, w, BT_ROLE_WARN, "USB pattern %s  re-enumerations %s",
				 ev(e, "iboot.pattern"),
				 ev(e, "iboot.reenumerations") ? ev(e, "iboot.reenumerations") : "0");
	if (y < bottom && in->status)
		bt_canvas_text(c, x, y++, w, BT_ROLE_DIM, in->status);
	/* iBoot variables, each with what it means. */
	int row = 0;
	size_t count = e ? bt_evset_count(e) : 0;
	for (size_t i = 0; i < count && y < bottom; i++) {
		const struct bt_evidence *it = bt_evset_at(e, i);
		if (strncmp(it->key, "iboot.env.", 10) != 0)
			continue;
		if (row++ < in->scroll)
			continue;
		const char *name = it->key + 10;
		const char *meaning = bt_iboot_var_meaning(name);
		int m = bt_canvas_printf(c, x, y, w, BT_ROLE_NORMAL, "%s=%s", name, it->value);
		if (meaning && m + 3 < w)
			bt_canvas_printf(c, x + m, y, w - m, BT_ROLE_DIM, "  %s", meaning);
		y++;
	}
	if (row == 0 && y < bottom)
		bt_canvas_text(c, x, y, w, BT_ROLE_DIM, "iBoot variables: none read");
}

/* Our own names, so the view does not need the scanner linked in (tests, fuzzers). */
static const char *outcome_name(enum bt_outcome o)
{
	switch (o) {
	case BT_OUTCOME_INCOMPLETE: return "incomplete";
	case BT_OUTCOME_FAILED: return "failed";
	case BT_OUTCOME_SUCCEEDED: return "succeeded";
	case BT_OUTCOME_UNKNOWN: break;
	}
	return "unknown";
}

/* ---- restore ------------------------------------------------------------------------ */

static uint32_t step_glyph(const struct bt_step *s, bool failing)
{
	if (failing || s->state == BT_STEP_FAILED)
		return 0x2717; /* ✗ */
	if (s->state == BT_STEP_DONE)
		return 0x2713; /* ✓ */
	if (s->state == BT_STEP_RETRIED)
		return 0x21BB; /* ↻ */
	return 0x25B6;         /* ▶ */
}

static bool same_step(const struct bt_step *a, const struct bt_step *b)
{
	if (!a->name || !b->name)
		return false;
	return strcmp(a->name, b->name) == 0 && a->line == b->line;
}

void bt_view_restore(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		     const struct bt_restore_in *in)
{
	frame(c, r, "Restore", title, in->simulated);
	int x = r.x + 1, y = r.y + 1, w = r.w - 2, bottom = r.y + r.h - 1;
	if (w < 4 || r.h < 3)
		return;
	const struct bt_restore *rs = in->r;
	const char *outcome = rs ? outcome_name(rs->outcome) : "waiting";
	enum bt_role orole = !rs ? BT_ROLE_DIM
			     : rs->outcome == BT_OUTCOME_FAILED ? BT_ROLE_BAD
			     : rs->outcome == BT_OUTCOME_SUCCEEDED ? BT_ROLE_OK : BT_ROLE_NORMAL;
	int n = bt_canvas_printf(c, x, y, w, BT_ROLE_NORMAL, "%s%s%s  ",
				 in->attempt ? in->attempt : "", in->attempt ? ": " : "",
				 in->source ? base_name(in->source) : "no restore log");
	n += bt_canvas_text(c, x + n, y, w - n, orole, outcome);
	if (rs)
		n += bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_DIM, "  %ld lines%s", rs->lines,
				      in->live ? "  live" : "");
	y++;
	if (!rs) {
		if (y < bottom)
			bt_canvas_text(c, x, y, w, BT_ROLE_DIM,
				       "Run a restore (--run CMD) or follow a log (--log FILE).");
		return;
	}
	/* The wrong file picked (a live log gets a few lines to show what it is). */
	if (rs->lines > 0 && rs->recognised == 0 && (!in->live || rs->lines >= 20) && y < bottom)
		bt_canvas_text(c, x, y++, w, BT_ROLE_BAD,
			       "No line of a known restore-log family: is this the restore log?");
	/* Timeline: the newest steps that fit in about a third of the pane. */
	int avail = bottom - y;
	int tl_rows = avail / 3 > 2 ? avail / 3 : (avail > 4 ? 2 : 1);
	const struct bt_step *fs = rs->failed_step.name ? &rs->failed_step : NULL;
	size_t first = rs->nsteps > (size_t)tl_rows ? rs->nsteps - (size_t)tl_rows : 0;
	bool fail_shown = false;
	for (size_t i = first; i < rs->nsteps && y < bottom; i++) {
		const struct bt_step *s = &rs->steps[i];
		bool failing = fs && same_step(s, fs);
		fail_shown |= failing;
		enum bt_role role = failing || s->state == BT_STEP_FAILED ? BT_ROLE_BAD
				    : s->state == BT_STEP_DONE ? BT_ROLE_OK : BT_ROLE_NORMAL;
		bt_canvas_set(c, x, y, step_glyph(s, failing), role);
		char id[16] = "";
		if (s->id >= 0)
			snprintf(id, sizeof id, "0x%04X ", (unsigned)s->id & 0xFFFFu);
		else if (s->op >= 0)
			snprintf(id, sizeof id, "op %d ", s->op);
		int m = bt_canvas_printf(c, x + 2, y, w - 2, role, "%s%s", id, s->name ? s->name : "?");
		if (s->subsystem && m + 4 < w - 2)
			m += bt_canvas_printf(c, x + 2 + m, y, w - 2 - m, BT_ROLE_DIM, "  %s", s->subsystem);
		if (s->time_s >= 0 && m + 10 < w - 2)
			bt_canvas_printf(c, x + 2 + m, y, w - 2 - m, BT_ROLE_DIM, "  +%.1fs", s->time_s);
		y++;
	}
	if (fs && !fail_shown && y < bottom) {
		bt_canvas_set(c, x, y, 0x2717, BT_ROLE_BAD);
		bt_canvas_printf(c, x + 2, y++, w - 2, BT_ROLE_BAD, "%s  %s", fs->name,
				 fs->subsystem ? fs->subsystem : "");
	}
	/* The line that shows the failure. */
	long fail_line = fs && fs->line > 0 ? fs->line : rs->verdict_line;
	if (rs->outcome == BT_OUTCOME_FAILED && y < bottom) {
		long idx = fail_line > 0 && in->lines ? bt_lines_find_lineno(in->lines, fail_line) : -1;
		const char *text = idx >= 0 ? bt_lines_at(in->lines, (size_t)idx, NULL)
					    : rs->verdict_text;
		if (text)
			bt_canvas_printf(c, x, y++, w, BT_ROLE_BAD, "line %ld: %s", fail_line, text);
		if (rs->host_error && y < bottom)
			bt_canvas_printf(c, x, y++, w, BT_ROLE_BAD, "error %ld%s", rs->host_error,
					 rs->subsystem ? "" : "");
	}
	if (y < bottom)
		bt_canvas_fill(c, x, y++, w, 1, 0x2500, BT_ROLE_BORDER);
	/* The log tail, scrolled up by in->scroll lines. */
	if (!in->lines)
		return;
	long total = (long)bt_lines_count(in->lines);
	long rows = bottom - y;
	long last = total - 1 - (in->scroll > 0 ? in->scroll : 0);
	if (last < 0)
		last = total ? 0 : -1;
	long start = last - rows + 1;
	if (start < 0)
		start = 0;
	for (long i = start; i <= last && y < bottom; i++, y++) {
		long ln = 0;
		const char *t = bt_lines_at(in->lines, (size_t)i, &ln);
		bool failing = rs->outcome == BT_OUTCOME_FAILED && fail_line > 0 && ln == fail_line;
		bool hit = i == in->search_hit;
		int m = bt_canvas_printf(c, x, y, w, BT_ROLE_DIM, "%5ld ", ln);
		bt_canvas_text(c, x + m, y, w - m, failing ? BT_ROLE_BAD : BT_ROLE_NORMAL, t);
		if (hit)
			bt_canvas_paint(c, x + m, y, w - m, BT_ROLE_MATCH);
		else if (in->search && *in->search && t) {
			/* Highlight matches in place (ASCII case-insensitive, byte offsets = columns
			 * for ASCII text; good enough to find them by eye). */
			size_t nl = strlen(in->search);
			for (const char *p = t; *p; p++)
				if (strncasecmp(p, in->search, nl) == 0)
					bt_canvas_paint(c, x + m + (int)(p - t), y, (int)nl, BT_ROLE_MATCH);
		}
	}
}

/* ---- chart -------------------------------------------------------------------------- */

double bt_nice_ceiling(double v)
{
	if (!(v > 0))
		return 1;
	double p = pow(10, floor(log10(v)));
	static const double steps[] = { 1, 2, 5, 10 };
	for (size_t i = 0; i < 4; i++)
		if (steps[i] * p >= v * (1 - 1e-9))
			return steps[i] * p;
	return 10 * p;
}

void bt_view_chart(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		   const struct bt_chart_in *in)
{
	frame(c, r, "Current", title, in->simulated);
	int x = r.x + 1, y = r.y + 1, w = r.w - 2, bottom = r.y + r.h - 1;
	if (w < 12 || r.h < 5)
		return;
	const struct bt_series *s = in->s;
	double last = s && s->n ? s->ma[s->n - 1] : -1;
	/* Header: now, measured rate and resolution, pattern. */
	int n = 0;
	if (last >= 0)
		n += bt_canvas_printf(c, x, y, w, BT_ROLE_NORMAL, "%.0f mA ", last);
	else
		n += bt_canvas_text(c, x, y, w, BT_ROLE_DIM, "no samples ");
	if (in->rate_hz > 0)
		n += bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_DIM, " %.1f Hz", in->rate_hz);
	else
		n += bt_canvas_text(c, x + n, y, w - n, BT_ROLE_DIM, " rate ?");
	if (in->resolution_ma > 0)
		n += bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_DIM, "  res %g mA", in->resolution_ma);
	else
		n += bt_canvas_text(c, x + n, y, w - n, BT_ROLE_DIM, "  res ?");
	if (in->pattern && *in->pattern)
		n += bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_WARN, "  %s", in->pattern);
	if (in->source)
		bt_canvas_printf(c, x + n, y, w - n, BT_ROLE_DIM, "  %s", in->source);
	y++;
	/* Plot area: y labels (6 columns) on the left, time axis on the last row. */
	int lw = 6;
	int px = x + lw, pw = w - lw, ptop = y + 1, prows = bottom - 1 - ptop;
	if (pw < 4 || prows < 1)
		return;
	double t1 = in->now_s, win = in->window_s > 0 ? in->window_s : 60, t0 = t1 - win;
	double vmax = 0;
	for (size_t i = 0; s && i < s->n; i++)
		if (s->t[i] >= t0 && s->t[i] <= t1 && s->ma[i] > vmax)
			vmax = s->ma[i];
	double top = bt_nice_ceiling(vmax);
	bt_canvas_printf(c, x, ptop, lw, BT_ROLE_DIM, "%5.0f", top);
	bt_canvas_printf(c, x, ptop + prows - 1, lw, BT_ROLE_DIM, "%5d", 0);
	bt_canvas_text(c, x, y, lw, BT_ROLE_DIM, "  mA");
	/* Each column shows the highest sample in its time bin (a short spike stays visible). */
	size_t k = 0;
	for (int col = 0; col < pw; col++) {
		double b0 = t0 + win * col / pw, b1 = t0 + win * (col + 1) / pw;
		double m = -1;
		while (s && k < s->n && s->t[k] < b0)
			k++;
		for (size_t j = k; s && j < s->n && s->t[j] < b1; j++)
			if (s->ma[j] > m)
				m = s->ma[j];
		if (m < 0)
			continue;
		int eighths = (int)lround(m / top * prows * 8);
		for (int row = 0; row < prows; row++) {
			int e = eighths - row * 8;
			if (e <= 0)
				break;
			uint32_t cp = e >= 8 ? 0x2588 : (uint32_t)(0x2580 + e); /* ▁..▇ */
			bt_canvas_set(c, px + col, ptop + prows - 1 - row, cp, BT_ROLE_CHART);
		}
	}
	/* Checkpoint markers on the same time axis: a dotted column and a number on top. */
	int mark_no = 0;
	for (size_t i = 0; i < in->nmarks; i++) {
		const struct bt_mark *mk = &in->marks[i];
		if (mk->t < t0 || mk->t > t1)
			continue;
		int col = (int)((mk->t - t0) / win * pw);
		if (col >= pw)
			col = pw - 1;
		enum bt_role role = mk->failed ? BT_ROLE_BAD : BT_ROLE_MARK;
		for (int row = 0; row < prows; row++)
			if (bt_canvas_at(c, px + col, ptop + row) == ' ')
				bt_canvas_set(c, px + col, ptop + row, 0x250A, role);
		mark_no++;
		bt_canvas_set(c, px + col, ptop - 1, (uint32_t)(mk->failed ? 0x2717 : 0x25BC), role);
	}
	/* Time axis, and the name of the newest checkpoint in view. */
	int ay = bottom - 1;
	bt_canvas_printf(c, x, ay, lw + pw, BT_ROLE_DIM, "%5.0fs", -win);
	bt_canvas_text(c, px + pw - 3, ay, 3, BT_ROLE_DIM, "now");
	for (size_t i = in->nmarks; i-- > 0;) {
		const struct bt_mark *mk = &in->marks[i];
		if (mk->t < t0 || mk->t > t1)
			continue;
		bt_canvas_printf(c, px + 2, ay, pw - 6, mk->failed ? BT_ROLE_BAD : BT_ROLE_MARK,
				 "%s %s", mk->failed ? "\xe2\x9c\x97" : "\xe2\x96\xbc", mk->label);
		break;
	}
	(void)mark_no;
}

/* ---- diagnosis ---------------------------------------------------------------------- */

void bt_view_diagnosis(struct bt_canvas *c, struct bt_rect r, enum bt_role title,
		       const struct bt_diag_in *in)
{
	frame(c, r, "Diagnosis", title, false);
	int x = r.x + 1, y = r.y + 1, w = r.w - 2, bottom = r.y + r.h - 1;
	if (w < 10 || r.h < 3)
		return;
	const struct bt_diagnosis *d = in->d;
	if (!d || d->nhyp == 0) {
		bt_canvas_text(c, x, y, w, BT_ROLE_DIM, "No diagnosis yet: waiting for evidence.");
		return;
	}
	bt_canvas_printf(c, x, y++, w, BT_ROLE_DIM, "board %s", in->board ? in->board
						 : d->board ? d->board : "unknown (generic priors)");
	/* Leave room for the next tests at the bottom. */
	int test_rows = d->ntests ? (d->ntests > 1 && bottom - y > 8 ? 3 : 2) : 0;
	int idw = 14, pct = 5;
	int barw = w - idw - pct - 3;
	for (size_t i = 0; i < d->nhyp && y < bottom - test_rows; i++) {
		const struct bt_hypothesis *h = &d->hyp[i];
		bool sel = i == in->cursor;
		bt_canvas_set(c, x, y, sel ? 0x25B8 : ' ', BT_ROLE_SELECT);
		bt_canvas_printf(c, x + 1, y, idw, i == 0 ? BT_ROLE_BAD : BT_ROLE_NORMAL, "%-*s", idw,
				 h->id);
		if (barw > 2)
			bt_canvas_hbar(c, x + 1 + idw + 1, y, barw, h->probability, BT_ROLE_BAR);
		bt_canvas_printf(c, x + w - pct, y, pct, BT_ROLE_NORMAL, "%4.0f%%",
				 h->probability * 100);
		if (sel)
			bt_canvas_paint(c, x + 1, y, idw, BT_ROLE_SELECT);
		y++;
		if (sel && in->why) {
			if (y < bottom - test_rows)
				bt_canvas_printf(c, x + 2, y++, w - 2, BT_ROLE_DIM, "%s: prior %.0f%%",
						 h->title ? h->title : h->id, h->prior * 100);
			if (h->ncontribs == 0 && y < bottom - test_rows)
				bt_canvas_text(c, x + 2, y++, w - 2, BT_ROLE_DIM,
					       "no evidence moved it: the prior alone");
			for (size_t j = 0; j < h->ncontribs && y < bottom - test_rows; j++) {
				const struct bt_contrib *ct = &h->contribs[j];
				bt_canvas_printf(c, x + 2, y++, w - 2,
						 ct->lr >= 1 ? BT_ROLE_OK : BT_ROLE_WARN,
						 "x%-5.2g %s=%s  %s  (%s)", ct->lr, ct->key ? ct->key : "",
						 ct->value ? ct->value : "", ct->why ? ct->why : "",
						 ct->origin ? ct->origin : "");
			}
		}
	}
	if (!d->ntests)
		return;
	y = bottom - test_rows;
	bt_canvas_text(c, x, y++, w, BT_ROLE_TITLE, "Next test (t to run):");
	for (size_t i = 0; i < d->ntests && y < bottom; i++) {
		const struct bt_next_test *t = &d->tests[i];
		bool risky = t->risk && strcmp(t->risk, "none") != 0;
		int m = bt_canvas_printf(c, x + 1, y, w - 1, BT_ROLE_NORMAL, "%zu. %s", i + 1,
					 t->title ? t->title : t->id);
		if (risky)
			bt_canvas_printf(c, x + 1 + m, y, w - 1 - m, BT_ROLE_WARN, "  (%s)", t->risk);
		y++;
	}
}

/* ---- guided test -------------------------------------------------------------------- */

static void cell_text(char *buf, size_t cap, const struct bt_attempt *a, int row)
{
	if (!a || !a->valid) {
		snprintf(buf, cap, "%s", row == 0 ? "not observed" : "");
		return;
	}
	switch (row) {
	case 0:
		snprintf(buf, cap, "%s%s", a->outcome[0] ? a->outcome : "running",
			 a->finished ? "" : " (live)");
		break;
	case 1:
		snprintf(buf, cap, "%s", a->failed_step[0] ? a->failed_step
				       : a->last_step[0] ? a->last_step : "-");
		break;
	case 2:
		if (a->host_error)
			snprintf(buf, cap, "error %ld", a->host_error);
		else if (a->has_status)
			snprintf(buf, cap, "status %ld", a->status);
		else
			snprintf(buf, cap, "-");
		break;
	case 3: {
		bool known = a->supply_pattern[0] && strcmp(a->supply_pattern, "unknown") != 0;
		if (known && a->period_s > 0)
			snprintf(buf, cap, "%s every %.1f s", a->supply_pattern, a->period_s);
		else if (known && a->level_ma >= 0)
			snprintf(buf, cap, "%s %.0f mA", a->supply_pattern, a->level_ma);
		else if (known)
			snprintf(buf, cap, "%s", a->supply_pattern);
		else if (a->peak_ma >= 0)
			snprintf(buf, cap, "peak %.0f mA", a->peak_ma);
		else
			snprintf(buf, cap, "-");
		break;
	}
	default:
		if (a->duration_s >= 0)
			snprintf(buf, cap, "%.0f s", a->duration_s);
		else
			snprintf(buf, cap, "-");
	}
}

static int side_by_side(struct bt_canvas *c, int x, int y, int w, int bottom,
			const struct bt_guided_def *def, const struct bt_attempt *a,
			const struct bt_attempt *b)
{
	static const char *const rows[] = { "outcome", "step reached", "error", "current", "time" };
	int lw = 13, cw = (w - lw) / 2;
	if (cw < 8)
		return 0;
	int y0 = y;
	bt_canvas_printf(c, x + lw, y, cw, BT_ROLE_TITLE, "A: %s", def->a_label ? def->a_label : "before");
	bt_canvas_printf(c, x + lw + cw, y, cw, BT_ROLE_TITLE, "B: %s", def->b_label ? def->b_label : "after");
	y++;
	for (int i = 0; i < 5 && y < bottom; i++, y++) {
		char ca[96], cb[96];
		cell_text(ca, sizeof ca, a, i);
		cell_text(cb, sizeof cb, b, i);
		bool differ = a->valid && b->valid && strcmp(ca, cb) != 0 && i < 4;
		bt_canvas_text(c, x, y, lw, BT_ROLE_DIM, rows[i]);
		enum bt_role ra = strcmp(ca, "failed") == 0 ? BT_ROLE_BAD
				  : strcmp(ca, "succeeded") == 0 ? BT_ROLE_OK : BT_ROLE_NORMAL;
		enum bt_role rb = strcmp(cb, "failed") == 0 ? BT_ROLE_BAD
				  : strcmp(cb, "succeeded") == 0 ? BT_ROLE_OK
				  : differ ? BT_ROLE_WARN : BT_ROLE_NORMAL;
		bt_canvas_text(c, x + lw, y, cw - 1, ra, ca);
		bt_canvas_text(c, x + lw + cw, y, cw - 1, rb, cb);
	}
	return y - y0;
}

void bt_view_guided(struct bt_canvas *c, struct bt_rect r, const struct bt_guided *g,
		    const struct bt_attempt *live)
{
	const struct bt_guided_def *def = bt_guided_def_of(g);
	frame(c, r, "Guided test", BT_ROLE_FOCUS, false);
	int x = r.x + 2, y = r.y + 1, w = r.w - 4, bottom = r.y + r.h - 1;
	if (w < 10 || r.h < 6)
		return;
	bt_canvas_text(c, x, y++, w, BT_ROLE_TITLE, def->title);
	if (def->risk && strcmp(def->risk, "none") != 0 && y < bottom) {
		char risk[256];
		snprintf(risk, sizeof risk, "Risk: %s", def->risk);
		y += wrap(c, x, y, w, 2, BT_ROLE_WARN, risk);
	}
	enum bt_guided_state st = bt_guided_state(g);
	const char *keys = "";
	if (st == BT_GS_SAFETY) {
		y++;
		bt_canvas_text(c, x, y++, w, BT_ROLE_WARN, "Safety first:");
		for (size_t i = 0; i < def->nsafety && y < bottom - 1; i++) {
			bt_canvas_set(c, x, y, 0x2022, BT_ROLE_WARN);
			y += wrap(c, x + 2, y, w - 2, bottom - 1 - y, BT_ROLE_WARN, def->safety[i]);
		}
		keys = "Enter: understood   Esc: cancel";
	} else if (st == BT_GS_STEP) {
		size_t cur = bt_guided_step_index(g);
		for (size_t i = 0; i < def->nsteps && y < bottom - 1; i++) {
			const struct bt_guided_step *s = &def->steps[i];
			enum bt_role role = i < cur ? BT_ROLE_DIM : i == cur ? BT_ROLE_SELECT : BT_ROLE_NORMAL;
			bt_canvas_set(c, x, y, i < cur ? 0x2713 : i == cur ? 0x25B6 : ' ',
				      i < cur ? BT_ROLE_OK : BT_ROLE_SELECT);
			bt_canvas_printf(c, x + 2, y, 3, role, "%zu.", i + 1);
			int rows = wrap(c, x + 5, y, w - 5, i == cur ? 3 : 1, role, s->text);
			if (i == cur)
				for (int k = 0; k < rows; k++)
					bt_canvas_paint(c, x + 5, y + k, w - 5, BT_ROLE_SELECT);
			y += rows;
		}
		const struct bt_guided_step *s = bt_guided_current_step(g);
		int which = -1;
		bool watching = bt_guided_observing(g, &which);
		if (s->action == BT_STEP_CHECKLIST) {
			/* Scrolled so the cursor stays in view. */
			size_t rows = bottom - 1 > y ? (size_t)(bottom - 1 - y) : 0;
			size_t first = rows && bt_guided_cursor(g) >= rows
					       ? bt_guided_cursor(g) - rows + 1 : 0;
			for (size_t i = first; i < def->nitems && y < bottom - 1; i++, y++) {
				bool on = bt_guided_item_checked(g, i);
				bool sel = i == bt_guided_cursor(g);
				bt_canvas_printf(c, x + 2, y, w - 2, sel ? BT_ROLE_SELECT : BT_ROLE_NORMAL,
						 "[%c] %s", on ? 'x' : ' ', def->items[i].label);
			}
			keys = "Space: tick   Up/Down: move   Enter: done   Esc: cancel";
		} else if (which >= 0 || def->kind == BT_GUIDED_RETRY_COMPARE ||
			   def->kind == BT_GUIDED_RESTORE) {
			y++;
			const struct bt_attempt *a = bt_guided_attempt(g, 0);
			const struct bt_attempt *b = bt_guided_attempt(g, 1);
			if (watching && live) {
				if (which == 0)
					a = live;
				else
					b = live;
			}
			if ((def->kind == BT_GUIDED_RETRY_COMPARE || def->kind == BT_GUIDED_RESTORE))
				y += side_by_side(c, x, y, w, bottom - 1, def, a, b);
			if (watching)
				keys = "Watching the restore live... Enter: it has ended   Esc: cancel";
			else if (which == 0 && a->valid && a->finished)
				keys = "Enter: use this restore as attempt A   Esc: cancel";
			else if (which >= 0)
				keys = "Enter: start the restore now   Backspace: back   Esc: cancel";
			else
				keys = "Enter: done   Backspace: back   Esc: cancel";
		} else {
			keys = "Enter: done   Backspace: back   Esc: cancel";
		}
	} else if (st == BT_GS_PROPOSE || st == BT_GS_DONE) {
		if ((def->kind == BT_GUIDED_RETRY_COMPARE || def->kind == BT_GUIDED_RESTORE))
			y += side_by_side(c, x, y, w, bottom - 1, def, bt_guided_attempt(g, 0),
					  bt_guided_attempt(g, 1));
		const struct bt_compare *cmp = bt_guided_comparison(g);
		y += wrap(c, x, y, w, 3, BT_ROLE_NORMAL, cmp->text);
		if (st == BT_GS_PROPOSE) {
			const char *p = bt_guided_proposed(g);
			bt_canvas_printf(c, x, y++, w, BT_ROLE_TITLE, "Tool proposes: %s",
					 p ? p : "nothing (choose)");
			for (size_t i = 0; i < def->noutcomes && y < bottom - 1; i++, y++) {
				bool sel = i == bt_guided_cursor(g);
				bt_canvas_printf(c, x + 2, y, w - 2, sel ? BT_ROLE_SELECT : BT_ROLE_NORMAL,
						 "%s %s", sel ? ">" : " ", def->outcomes[i].label);
			}
			keys = "Enter: confirm   Up/Down: correct   Backspace: back   Esc: cancel";
		} else {
			bt_canvas_printf(c, x, y++, w, BT_ROLE_OK, "Recorded test.%s = %s%s", def->id,
					 bt_guided_chosen(g),
					 bt_guided_corrected(g) ? " (corrected)" : "");
			keys = "Esc: close";
		}
	} else {
		bt_canvas_text(c, x, y, w, BT_ROLE_DIM, "Cancelled: nothing recorded.");
		keys = "Esc: close";
	}
	bt_canvas_text(c, x, bottom - 1, w, BT_ROLE_STATUS, keys);
}

void bt_view_test_menu(struct bt_canvas *c, struct bt_rect r, const char *const *ids,
		       const char *const *titles, const char *const *risks, size_t n, size_t sel)
{
	frame(c, r, "Guided tests", BT_ROLE_FOCUS, false);
	int x = r.x + 2, y = r.y + 1, w = r.w - 4, bottom = r.y + r.h - 1;
	for (size_t i = 0; i < n && y < bottom - 1; i++, y++) {
		enum bt_role role = i == sel ? BT_ROLE_SELECT : BT_ROLE_NORMAL;
		int m = bt_canvas_printf(c, x, y, w, role, "%s %s", i == sel ? ">" : " ",
					 titles[i] ? titles[i] : ids[i]);
		if (risks[i] && strcmp(risks[i], "none") != 0)
			bt_canvas_printf(c, x + m, y, w - m, BT_ROLE_WARN, "  (%s)", risks[i]);
	}
	bt_canvas_text(c, x, bottom - 1, w, BT_ROLE_STATUS, "Enter: start   Up/Down: choose   Esc: close");
}

void bt_view_help(struct bt_canvas *c, struct bt_rect r, const char *const *keys,
		  const char *const *what, size_t n)
{
	frame(c, r, "Help", BT_ROLE_FOCUS, false);
	int x = r.x + 2, y = r.y + 1, w = r.w - 4, bottom = r.y + r.h - 1;
	for (size_t i = 0; i < n && y < bottom - 1; i++, y++) {
		bt_canvas_text(c, x, y, 12, BT_ROLE_TITLE, keys[i]);
		bt_canvas_text(c, x + 12, y, w - 12, BT_ROLE_NORMAL, what[i]);
	}
	bt_canvas_text(c, x, bottom - 1, w, BT_ROLE_STATUS, "any key: close");
}
