/* trace.c — see trace.h. Thresholds are stated in docs/supply.md; the shapes they detect are
 * the ones repair material describes (fault-knowledge 6), not tuned to one recording. */
#include "analysis/trace.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "engine/board.h"

#define ZERO_MIN_MA 5.0       /* below this (or 3 resolution steps) the board draws nothing */
#define SHORT_MIN_MA 300.0    /* a flat draw from plug-in at least this high is a short */
#define PLATEAU_MIN_S 3.0
#define PERIOD_MIN_SAMPLES 4.0

struct bt_trace {
	double *t, *i, *v;
	size_t n, cap;
};

struct bt_trace *bt_trace_new(void) { return bt_xcalloc(1, sizeof(struct bt_trace)); }

void bt_trace_free(struct bt_trace *t)
{
	if (!t)
		return;
	free(t->t);
	free(t->i);
	free(t->v);
	free(t);
}

int bt_trace_add(struct bt_trace *t, double time_s, double current_a, double voltage_v)
{
	if (t->n >= BT_TRACE_MAX_SAMPLES)
		return BT_ERR_DATA;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->t = bt_xrealloc(t->t, t->cap * sizeof *t->t);
		t->i = bt_xrealloc(t->i, t->cap * sizeof *t->i);
		t->v = bt_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->t[t->n] = time_s;
	t->i[t->n] = current_a * 1000.0;
	t->v[t->n] = voltage_v;
	t->n++;
	return BT_OK;
}

size_t bt_trace_count(const struct bt_trace *t) { return t->n; }

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of i[from..to). */
static double median(const double *x, size_t from, size_t to)
{
	size_t n = to - from;
	if (n == 0)
		return NAN;
	double *c = bt_xmalloc(n * sizeof *c);
	memcpy(c, x + from, n * sizeof *c);
	qsort(c, n, sizeof *c, cmp_double);
	double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return m;
}

static double resolution(const struct bt_trace *t)
{
	double *c = bt_xmalloc(t->n * sizeof *c);
	for (size_t k = 0; k < t->n; k++)
		c[k] = round(t->i[k] * 100.0) / 100.0; /* 0.01 mA: float noise out */
	qsort(c, t->n, sizeof *c, cmp_double);
	double best = INFINITY;
	for (size_t k = 1; k < t->n; k++) {
		double d = c[k] - c[k - 1];
		if (d > 0.005 && d < best)
			best = d;
	}
	free(c);
	if (!isfinite(best))
		return NAN;
	if (best < 0.5)
		return 0.1;
	if (best < 5)
		return 1;
	return 10;
}

struct seg {
	size_t from, to; /* samples [from, to) */
	double mean;
};

/* Splits [from, n) into runs of similar current; runs shorter than 2 samples are transients. */
static size_t segments(const struct bt_trace *t, size_t from, double res, struct seg *out, size_t cap)
{
	size_t ns = 0;
	size_t start = from;
	double sum = 0;
	for (size_t k = from; k <= t->n; k++) {
		size_t cnt = k - start;
		double mean = cnt ? sum / (double)cnt : 0;
		double tol = fmax(fmax(3 * res, 0.08 * mean), 4.0);
		if (k < t->n && (cnt == 0 || fabs(t->i[k] - mean) <= tol)) {
			sum += t->i[k];
			continue;
		}
		if (cnt >= 2 && ns < cap) {
			out[ns].from = start;
			out[ns].to = k;
			out[ns].mean = mean;
			/* the same level resumed after a one-sample glitch joins the previous run */
			if (ns > 0 && out[ns - 1].to + 1 >= start &&
			    fabs(out[ns - 1].mean - mean) <= fmax(fmax(3 * res, 0.08 * mean), 4.0))
				out[ns - 1].to = k;
			else
				ns++;
		}
		start = k;
		sum = k < t->n ? t->i[k] : 0;
	}
	return ns;
}

void bt_trace_analyze(const struct bt_trace *t, double limit_a, struct bt_trace_result *r)
{
	memset(r, 0, sizeof *r);
	r->pattern = "unknown";
	r->samples = t->n;
	r->resolution_ma = r->level_ma = r->plateau_s = r->period_s = NAN;
	r->stage_ma = NAN;
	r->takeoff_ma = NAN;
	if (t->n == 0)
		return;
	r->duration_s = t->t[t->n - 1] - t->t[0];
	if (t->n >= 2 && r->duration_s > 0)
		r->rate_hz = (double)(t->n - 1) / r->duration_s;
	r->resolution_ma = resolution(t);
	double res = isnan(r->resolution_ma) ? 1.0 : r->resolution_ma;
	double zero = fmax(ZERO_MIN_MA, 3 * res);
	for (size_t k = 0; k < t->n; k++)
		r->peak_ma = fmax(r->peak_ma, t->i[k]);
	/* Draw at plug-in: the lowest of the first samples (first half second, at least one, at
	 * most three). The lowest, because a trace that starts just as the board takes off must
	 * not read as a draw before the power key: that would point at a short. */
	size_t pre = 1;
	while (pre < t->n && pre < 3 && t->t[pre] - t->t[0] <= 0.5)
		pre++;
	double pre_min = t->i[0];
	for (size_t k = 1; k < pre; k++)
		pre_min = fmin(pre_min, t->i[k]);
	r->prepress_ma = pre_min >= zero ? pre_min : 0;
	if (t->n < 3)
		return;
	if (r->peak_ma < zero) {
		r->pattern = "off";
		return;
	}
	double interval = r->rate_hz > 0 ? 1.0 / r->rate_hz : INFINITY;
	/* Take-off: the first level the board holds after it starts drawing. */
	size_t first_on = 0;
	while (first_on < t->n && t->i[first_on] < zero)
		first_on++;
	struct seg first;
	if (r->prepress_ma == 0 && segments(t, first_on, res, &first, 1) == 1 && first.mean >= zero)
		r->takeoff_ma = median(t->i, first.from, first.to);

	/* Returns to zero after drawing: each new rise starts a boot-loop cycle. */
	bool on = t->i[0] >= zero;
	bool was_on = on;
	double rises[64];
	int nr = 0;
	for (size_t k = 1; k < t->n; k++) {
		bool now_on = t->i[k] >= zero;
		if (now_on && !on && was_on && nr < 64)
			rises[nr++] = t->t[k];
		if (now_on)
			was_on = true;
		on = now_on;
	}
	/* rises counted after the first on-period; the first rise itself starts cycle 1 */
	if (nr >= 2) {
		r->pattern = "boot_loop";
		r->cycles = nr + 1;
		double iv[63];
		for (int k = 1; k < nr; k++)
			iv[k - 1] = rises[k] - rises[k - 1];
		double p = median(iv, 0, (size_t)(nr - 1));
		if (p >= PERIOD_MIN_SAMPLES * interval)
			r->period_s = p;
		else
			r->period_too_fast = 1;
		return;
	}

	/* Flat from plug-in: a short (high, or pinned at the supply's limit). */
	double all_med = median(t->i, 0, t->n);
	size_t on_count = 0;
	for (size_t k = 0; k < t->n; k++)
		on_count += t->i[k] >= zero;
	double *sorted = bt_xmalloc(t->n * sizeof *sorted);
	memcpy(sorted, t->i, t->n * sizeof *sorted);
	qsort(sorted, t->n, sizeof *sorted, cmp_double);
	double spread = sorted[(t->n * 9) / 10] - sorted[t->n / 10];
	free(sorted);
	bool flat = spread <= fmax(fmax(0.1 * all_med, 3 * res), ZERO_MIN_MA);
	bool at_limit = limit_a > 0 && fabs(all_med - limit_a * 1000.0) <= 0.03 * limit_a * 1000.0;
	if (r->prepress_ma > 0 && (double)on_count >= 0.9 * (double)t->n && flat &&
	    (all_med >= SHORT_MIN_MA || at_limit)) {
		r->pattern = "short";
		r->level_ma = all_med;
		r->level_start_s = t->t[0];
		r->plateau_s = r->duration_s;
		r->stage = 1;
		r->stage_ma = all_med;
		return;
	}

	/* Staircase or plateau after the first rise. */
	struct seg segs[128];
	size_t ns = segments(t, first_on, res, segs, 128);
	size_t stable = 0;
	for (size_t k = 0; k < ns; k++)
		stable += segs[k].mean >= zero;
	r->stage = (int)stable;
	if (ns == 0)
		return;
	const struct seg *last = &segs[ns - 1];
	r->stage_ma = median(t->i, last->from, last->to);
	double held = t->t[last->to - 1] - t->t[last->from];
	bool to_end = last->to + 1 >= t->n;
	if (to_end && last->mean >= zero && held >= PLATEAU_MIN_S && held >= 3 * interval &&
	    r->peak_ma <= 1.5 * last->mean + 3 * res && stable <= 3) {
		r->pattern = "plateau";
		r->level_ma = r->stage_ma;
		r->level_start_s = t->t[last->from];
		r->plateau_s = held;
		return;
	}
	if (stable >= 4 && r->peak_ma >= SHORT_MIN_MA)
		r->pattern = "normal_boot";
}

static void put_num(struct bt_evset *set, const char *key, double v, int decimals,
		    const char *source, double time_s, const char *excerpt)
{
	char buf[48];
	snprintf(buf, sizeof buf, "%.*f", decimals, v);
	bt_evset_put(set, key, buf, source, 0, time_s, excerpt);
}

void bt_trace_evidence(const struct bt_trace_result *r, const char *source, struct bt_evset *set)
{
	char ex[BT_EVIDENCE_EXCERPT_MAX];
	int dec = (!isnan(r->resolution_ma) && r->resolution_ma < 1) ? 1 : 0;
	snprintf(ex, sizeof ex, "%zu samples over %.1f s at %.1f Hz", r->samples, r->duration_s, r->rate_hz);
	bt_evset_put(set, "supply.pattern", r->pattern, source, 0, 0, ex);
	put_num(set, "supply.rate_hz", r->rate_hz, 1, source, 0, ex);
	put_num(set, "supply.samples", (double)r->samples, 0, source, 0, ex);
	put_num(set, "supply.duration_s", r->duration_s, 1, source, 0, ex);
	if (!isnan(r->resolution_ma))
		put_num(set, "supply.resolution_ma", r->resolution_ma, r->resolution_ma < 1 ? 1 : 0, source, 0,
			"smallest step between readings");
	if (r->samples == 0)
		return;
	put_num(set, "supply.peak_ma", r->peak_ma, dec, source, -1, "highest reading");
	snprintf(ex, sizeof ex, "%.*f mA at plug-in, before any rise", dec, r->prepress_ma);
	put_num(set, "supply.prepress_ma", r->prepress_ma, dec, source, 0, ex);
	if (!isnan(r->level_ma)) {
		snprintf(ex, sizeof ex, "%.*f mA held %.1f s from t=%.1f s", dec, r->level_ma, r->plateau_s,
			 r->level_start_s);
		put_num(set, "supply.level_ma", r->level_ma, dec, source, r->level_start_s, ex);
		put_num(set, "supply.plateau_s", r->plateau_s, 1, source, r->level_start_s, ex);
	}
	if (!isnan(r->period_s)) {
		snprintf(ex, sizeof ex, "%d rises from zero, median spacing %.2f s", r->cycles, r->period_s);
		put_num(set, "supply.period_s", r->period_s, 2, source, -1, ex);
	}
	if (r->cycles > 0)
		put_num(set, "supply.cycles", r->cycles, 0, source, -1, "rises from zero after drawing");
	if (r->period_too_fast)
		bt_evset_put(set, "supply.period_limited", "yes", source, 0, -1,
			     "cycles faster than four sample intervals: no period claimed");
	if (!isnan(r->takeoff_ma))
		put_num(set, "supply.takeoff_ma", r->takeoff_ma, dec, source, -1,
			"first level held after the board starts drawing");
	if (r->stage > 0) {
		snprintf(ex, sizeof ex, "%d stable levels, last %.*f mA", r->stage, dec, r->stage_ma);
		put_num(set, "supply.stage", r->stage, 0, source, -1, ex);
		put_num(set, "supply.stage_ma", r->stage_ma, dec, source, -1, ex);
	}
}

void bt_trace_board_evidence(const struct bt_trace_result *r, const struct bt_board *board,
			     const char *source, struct bt_evset *set)
{
	if (!board || isnan(r->takeoff_ma))
		return;
	for (size_t k = 0; k < bt_board_current_count(board); k++) {
		const struct bt_current_level *c = bt_board_current_at(board, k);
		if (!c || !c->stage || strcmp(c->stage, "takeoff") != 0 || isnan(c->typical_ma) ||
		    c->typical_ma <= 0)
			continue;
		char ex[BT_EVIDENCE_EXCERPT_MAX];
		snprintf(ex, sizeof ex, "take-off %.0f mA vs %.0f mA normal for %s (%s); under half = small current [62]",
			 r->takeoff_ma, c->typical_ma, bt_board_name(board), c->source ? c->source : "profile");
		bt_evset_put(set, "supply.takeoff_low", r->takeoff_ma < 0.5 * c->typical_ma ? "yes" : "no",
			     source, 0, -1, ex);
		return;
	}
}
