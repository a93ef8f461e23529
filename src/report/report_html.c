/* report_html.c — one self-contained, printable HTML page: inline CSS, an inline SVG current
 * chart with the restore steps on its time axis, no scripts, no external resources. Every
 * piece of text from a case goes through esc(), which escapes markup and (for customers)
 * masks identifiers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "report/report_int.h"

#define CHART_W 680.0
#define CHART_H 260.0
#define PAD_L 52.0
#define PAD_R 12.0
#define PAD_T 16.0
#define PAD_B 34.0
#define CHART_COLS 600 /* min/max buckets: keeps spikes however long the trace */

static const char css[] =
	"@page{margin:14mm}"
	"body{font:10.5pt/1.4 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
	"color:#111;max-width:180mm;margin:0 auto;padding:8px}"
	"h1{font-size:16pt;margin:0 0 4px}h2{font-size:12.5pt;border-bottom:1px solid #999;"
	"margin:16px 0 6px;padding-bottom:2px}"
	"table{border-collapse:collapse;width:100%;margin:4px 0}"
	"th,td{border:1px solid #bbb;padding:3px 5px;text-align:left;vertical-align:top}"
	"th{background:#eee}td.n{text-align:right;white-space:nowrap}"
	"pre{white-space:pre-wrap;word-break:break-all;font:8pt/1.25 monospace;background:#f6f6f6;"
	"border:1px solid #ddd;padding:4px;margin:2px 0}"
	".muted{color:#555}.big{font-size:12pt}.opt{margin:6px 0}"
	".sim{border:2px solid #a00;color:#a00;padding:4px;font-weight:bold}"
	"table.sign td{height:2.2em;width:35%}"
	"svg{width:100%;height:auto}svg text{font:9px sans-serif}"
	"@media print{body{max-width:none;padding:0}h2{break-after:avoid}"
	"tr,figure,.opt{break-inside:avoid}pre{font-size:7pt}}";

/* Writes s HTML-escaped. Control characters other than tab and newline become '?'. */
static void esc_raw(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
				fputc('?', f);
			else
				fputc(c, f);
		}
	}
}

/* Case text: masked for customers, made valid UTF-8, escaped. */
static void esc(struct rctx *r, const char *s)
{
	esc_raw(r->out, rep_utf8(r, rtext(r, s)));
}

static void td(struct rctx *r, const char *s)
{
	fputs("<td>", r->out);
	esc(r, s);
	fputs("</td>", r->out);
}

static void row2(struct rctx *r, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	fputs("<tr><th>", r->out);
	esc_raw(r->out, name);
	fputs("</th>", r->out);
	td(r, value);
	fputs("</tr>\n", r->out);
}

static double nice_step(double range, int ticks)
{
	double raw = range / ticks;
	if (raw <= 0)
		return 1;
	double mag = pow(10.0, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void chart(struct rctx *r, size_t ti)
{
	FILE *f = r->out;
	const struct bt_case_trace *t = &r->c->traces[ti];
	struct rep_trace_stats st;
	rep_trace_stats(t, &st);
	if (t->nsamples < 2 || st.duration_s <= 0) {
		fputs("<p class=\"muted\">Too few samples to draw.</p>\n", f);
		return;
	}
	double t0 = t->samples[0].t;
	double ymax_ma = st.max_a * 1000.0;
	double ystep = nice_step(ymax_ma > 1 ? ymax_ma : 1, 5);
	ymax_ma = ceil((ymax_ma > 1 ? ymax_ma : 1) / ystep) * ystep;
	double xstep = nice_step(st.duration_s, 8);
	double pw = CHART_W - PAD_L - PAD_R, ph = CHART_H - PAD_T - PAD_B;
#define X(sec) (PAD_L + (sec) / st.duration_s * pw)
#define Y(ma) (PAD_T + ph - (ma) / ymax_ma * ph)
	fprintf(f, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		   "role=\"img\" aria-label=\"current over time\">\n", CHART_W, CHART_H);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
		   "stroke=\"#888\"/>\n", PAD_L, PAD_T, pw, ph);
	for (double y = 0; y <= ymax_ma + ystep / 2; y += ystep)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
			PAD_L, PAD_L + pw, Y(y), Y(y), PAD_L - 4, Y(y) + 3, y);
	for (double x = 0; x <= st.duration_s + xstep / 100; x += xstep)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", X(x),
			PAD_T + ph + 12, x);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time (s)</text>"
		   "<text x=\"10\" y=\"%.1f\" transform=\"rotate(-90 10 %.1f)\" "
		   "text-anchor=\"middle\">current (mA)</text>\n",
		PAD_L + pw / 2, CHART_H - 4, PAD_T + ph / 2, PAD_T + ph / 2);
	/* One min and one max point per column, in time order. */
	fputs("<polyline fill=\"none\" stroke=\"#0a4\" stroke-width=\"1.2\" points=\"", f);
	size_t i = 0;
	for (int col = 0; col < CHART_COLS && i < t->nsamples; col++) {
		double end = (col + 1) * st.duration_s / CHART_COLS;
		double lo = INFINITY, hi = -INFINITY, tlo = 0, thi = 0;
		for (; i < t->nsamples && (t->samples[i].t - t0 <= end || col == CHART_COLS - 1); i++) {
			double a = t->samples[i].current_a * 1000.0, ts = t->samples[i].t - t0;
			if (a < lo) { lo = a; tlo = ts; }
			if (a > hi) { hi = a; thi = ts; }
		}
		if (lo > hi)
			continue;
		if (tlo == thi)
			fprintf(f, "%.1f,%.1f ", X(tlo), Y(lo));
		else if (tlo < thi)
			fprintf(f, "%.1f,%.1f %.1f,%.1f ", X(tlo), Y(lo), X(thi), Y(hi));
		else
			fprintf(f, "%.1f,%.1f %.1f,%.1f ", X(thi), Y(hi), X(tlo), Y(lo));
	}
	fputs("\"/>\n", f);
	struct rep_mark marks[REP_MARKS_MAX];
	size_t nm = rep_trace_marks(r, ti, marks, REP_MARKS_MAX);
	for (size_t m = 0; m < nm; m++) {
		double x = X(marks[m].t - t0 > 0 ? marks[m].t - t0 : 0);
		if (marks[m].t < t0 || marks[m].t - t0 > st.duration_s)
			continue;
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c60\" "
			   "stroke-dasharray=\"3 2\"/>", x, x, PAD_T, PAD_T + ph);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#c60\" transform=\"rotate(-90 %.1f %.1f)\""
			   " text-anchor=\"end\">%zu</text>\n", x + 3, PAD_T + 4, x + 3, PAD_T + 4, m + 1);
	}
	fputs("</svg>\n<figcaption>", f);
	esc(r, t->name);
	fprintf(f, ": %zu samples over %.1f s (%.1f Hz), %.0f–%.0f mA, mean %.0f mA.</figcaption>"
		   "</figure>\n", t->nsamples, st.duration_s, st.rate_hz, st.min_a * 1000,
		st.max_a * 1000, st.mean_a * 1000);
	if (nm) {
		fputs("<table><tr><th>#</th><th>time (s)</th><th>restore step / event</th></tr>\n", f);
		for (size_t m = 0; m < nm; m++) {
			fprintf(f, "<tr><td class=\"n\">%zu</td><td class=\"n\">%.1f</td>", m + 1,
				marks[m].t - t0);
			td(r, marks[m].label);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
#undef X
#undef Y
}

static void head(struct rctx *r)
{
	FILE *f = r->out;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>%s report, case %lld</title>\n<style>%s</style>\n</head>\n<body>\n",
		r->customer ? "Diagnostic" : "Technician", (long long)r->c->id, css);
	fprintf(f, "<h1>%s report — case %lld</h1>\n",
		r->customer ? "Diagnostic" : "Technician", (long long)r->c->id);
	if (r->o->generated >= 0) {
		char gen[40];
		rep_time(r->o->generated, gen, sizeof gen);
		fprintf(f, "<p class=\"muted\">Generated %s by benchtriage.</p>\n", gen);
	}
	const struct bt_case *c = r->c;
	char when[40];
	rep_time(c->created, when, sizeof when);
	fputs("<h2>Device</h2>\n<table>\n", f);
	row2(r, "Label", c->label);
	row2(r, "Opened", when);
	row2(r, "Board", c->board ? c->board : (r->d ? r->d->board : NULL));
	row2(r, "Model", c->product_type ? c->product_type : rep_ev(c, "device.product_type"));
	row2(r, "ECID", rident(r, c->ecid));
	row2(r, "Serial", rident(r, c->serial));
	row2(r, "IMEI", rident(r, c->imei));
	row2(r, "UDID", rident(r, c->udid));
	fputs("</table>\n", f);
}

static void items_table(struct rctx *r, const struct rep_item *items, size_t n, const char *h2)
{
	fprintf(r->out, "<table><tr><th>What</th><th>%s</th></tr>\n", h2);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr>", r->out);
		td(r, items[i].title);
		td(r, items[i].detail);
		fputs("</tr>\n", r->out);
	}
	fputs("</table>\n", r->out);
}

static void customer_body(struct rctx *r)
{
	FILE *f = r->out;
	fputs("<h2>What we found</h2>\n", f);
	if (!r->d || !r->d->nhyp) {
		fputs("<p>No diagnosis could be made from the information recorded.</p>\n", f);
	} else {
		const struct bt_hypothesis *h = &r->d->hyp[0];
		if (h->probability >= REP_CLEAR)
			fprintf(f, "<p class=\"big\">Based on the information available, the fault is "
				   "<strong>%s</strong> (%.0f%%): ", rep_conf_words(h->probability),
				h->probability * 100.0);
		else
			fprintf(f, "<p class=\"big\">The cause is <strong>not clear yet</strong>. The "
				   "strongest candidate (%.0f%%) is ", h->probability * 100.0);
		esc_raw(f, rep_hyp_plain(h->id, h->title));
		fputs(".</p>\n", f);
		if (r->d->nhyp > 1 && r->d->hyp[1].probability >= 0.15) {
			fprintf(f, "<p>Also possible (%.0f%%): ", r->d->hyp[1].probability * 100.0);
			esc_raw(f, rep_hyp_plain(r->d->hyp[1].id, r->d->hyp[1].title));
			fputs(".</p>\n", f);
		}
	}
	struct rep_item items[REP_ITEMS_MAX];
	size_t n = rep_tested(r, items, REP_ITEMS_MAX);
	fputs("<h2>What we tested</h2>\n", f);
	if (n)
		items_table(r, items, n, "Result");
	else
		fputs("<p>Nothing was recorded yet.</p>\n", f);
	n = rep_not_tested(r, items, REP_ITEMS_MAX);
	fputs("<h2>What could not be tested</h2>\n", f);
	items_table(r, items, n, "Why");
	if (r->d && r->d->ntests) {
		fputs("<h2>What we would check next</h2>\n<ul>\n", f);
		for (size_t i = 0; i < r->d->ntests && i < 3; i++) {
			fputs("<li>", f);
			esc(r, r->d->tests[i].title ? r->d->tests[i].title : r->d->tests[i].id);
			if (rep_erases(&r->d->tests[i]))
				fputs(" <strong>(this erases the data on the phone)</strong>", f);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	const struct rep_option *opts[8];
	n = rep_options(r, opts, 8);
	fputs("<h2>Your options</h2>\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<div class=\"opt\"><strong>", f);
		esc_raw(f, opts[i]->title);
		fputs("</strong><br>", f);
		esc_raw(f, opts[i]->what);
		fputs("<br><em>Risks:</em> ", f);
		esc_raw(f, opts[i]->risks);
		fputs("</div>\n", f);
	}
	if (r->d && r->d->nhyp && r->d->hyp[0].ncontribs) {
		fputs("<h2>Why we think so</h2>\n<ul>\n", f);
		const struct bt_hypothesis *h = &r->d->hyp[0];
		for (size_t i = 0; i < h->ncontribs && i < 8; i++) {
			const struct bt_contrib *k = &h->contribs[i];
			fputs("<li>", f);
			esc(r, k->why && *k->why ? k->why : k->key);
			const struct bt_evidence *e = bt_evset_find(r->c->evidence, k->key);
			if (e && e->excerpt && *e->excerpt) {
				fputs("<pre>", f);
				esc(r, e->excerpt);
				fputs("</pre>", f);
			}
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	for (size_t i = 0; i < r->c->ntraces; i++) {
		fputs("<h2>Current at power-on</h2>\n", f);
		chart(r, i);
	}
	if (r->c->verdict_part) {
		fputs("<h2>Repair result</h2>\n<p>", f);
		esc(r, r->c->verdict_part);
		fputs(r->c->verdict_fixed ? ": the repair fixed the phone.</p>\n"
					  : ": the repair did not fix the phone.</p>\n", f);
	}
	/* Printed and signed at the counter: what was agreed, in writing. */
	fputs("<h2>Agreement</h2>\n<table class=\"sign\"><tr><th>Technician</th><td></td>"
	      "<th>Date</th><td></td></tr><tr><th>Customer</th><td></td><th>Signature</th><td></td>"
	      "</tr><tr><th>Option chosen</th><td colspan=\"3\"></td></tr></table>\n", f);
}

static void origin(struct rctx *r, const struct bt_evidence *e)
{
	FILE *f = r->out;
	fputs("<td>", f);
	esc(r, e->source);
	if (e->line > 0)
		fprintf(f, ":%ld", e->line);
	else if (e->time_s >= 0)
		fprintf(f, " @%.1f s", e->time_s);
	fputs("</td>", f);
}

static void pre_capped(struct rctx *r, const char *text, size_t len)
{
	FILE *f = r->out;
	const char *start = text;
	if (len > REP_LOG_MAX) {
		start = text + (len - REP_LOG_MAX);
		fprintf(f, "<p class=\"muted\">Showing the last %u bytes of %zu; the evidence pack "
			   "(case export) holds it all.</p>\n", REP_LOG_MAX, len);
	}
	fputs("<pre>", f);
	esc(r, start);
	fputs("</pre>\n", f);
}

static void diagnosis_table(struct rctx *r)
{
	FILE *f = r->out;
	fputs("<h2>Diagnosis</h2>\n", f);
	if (!r->d || !r->d->nhyp) {
		fputs("<p>No diagnosis (the engine had nothing to work with).</p>\n", f);
		return;
	}
	fputs("<table><tr><th>Hypothesis</th><th>Probability</th><th>Prior</th>"
	      "<th>Evidence that moved it</th></tr>\n", f);
	for (size_t i = 0; i < r->d->nhyp; i++) {
		const struct bt_hypothesis *h = &r->d->hyp[i];
		fputs("<tr><td><strong>", f);
		esc(r, h->id);
		fputs("</strong><br>", f);
		esc(r, h->title);
		fprintf(f, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.1f%%</td><td>",
			h->probability * 100, h->prior * 100);
		for (size_t j = 0; j < h->ncontribs; j++) {
			const struct bt_contrib *k = &h->contribs[j];
			fprintf(f, "&times;%.2f ", k->lr);
			esc(r, k->rule);
			fputs(": ", f);
			esc(r, k->key);
			fputs("=", f);
			esc(r, k->value);
			fputs(" (", f);
			esc(r, k->origin);
			fputs("; ", f);
			esc(r, k->confidence);
			fputs("; ", f);
			esc(r, k->source);
			fputs(")", f);
			if (k->why && *k->why) {
				fputs(" — ", f);
				esc(r, k->why);
			}
			fputs("<br>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	if (r->d->ntests) {
		fputs("<h2>Next tests</h2>\n<table><tr><th>Test</th><th>Value</th><th>Cost</th>"
		      "<th>Risk</th></tr>\n", f);
		for (size_t i = 0; i < r->d->ntests; i++) {
			const struct bt_next_test *t = &r->d->tests[i];
			fputs("<tr><td>", f);
			esc(r, t->id);
			fputs(" — ", f);
			esc(r, t->title);
			fprintf(f, "</td><td class=\"n\">%.2f</td>", t->value);
			td(r, t->cost);
			td(r, t->risk);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
}

static void technician_body(struct rctx *r)
{
	FILE *f = r->out;
	const struct bt_case *c = r->c;
	diagnosis_table(r);
	fputs("<h2>Evidence</h2>\n<table><tr><th>Key</th><th>Value</th><th>Origin</th>"
	      "<th>Excerpt</th></tr>\n", f);
	for (size_t i = 0; i < bt_evset_count(c->evidence); i++) {
		const struct bt_evidence *e = bt_evset_at(c->evidence, i);
		fputs("<tr>", f);
		td(r, e->key);
		td(r, e->value);
		origin(r, e);
		fputs("<td>", f);
		if (e->excerpt && *e->excerpt) {
			fputs("<pre>", f);
			esc(r, e->excerpt);
			fputs("</pre>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	for (size_t i = 0; i < c->ntraces; i++) {
		fputs("<h2>Current trace</h2>\n", f);
		chart(r, i);
	}
	if (c->ntests || c->nsymptoms) {
		fputs("<h2>Tests and symptoms</h2>\n<table><tr><th>Test / symptom</th><th>Outcome</th>"
		      "<th>When</th><th>Note</th></tr>\n", f);
		for (size_t i = 0; i < c->ntests; i++) {
			char when[40];
			rep_time(c->tests[i].finished, when, sizeof when);
			fputs("<tr>", f);
			td(r, c->tests[i].test_id);
			td(r, c->tests[i].outcome);
			td(r, when);
			td(r, c->tests[i].note);
			fputs("</tr>\n", f);
		}
		for (size_t i = 0; i < c->nsymptoms; i++) {
			fputs("<tr>", f);
			td(r, c->symptoms[i]);
			fputs("<td>yes</td><td></td><td></td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	if (c->nnotes) {
		fputs("<h2>Notes</h2>\n<table>\n", f);
		for (size_t i = 0; i < c->nnotes; i++) {
			char when[40];
			rep_time(c->notes[i].at, when, sizeof when);
			fputs("<tr>", f);
			td(r, when);
			td(r, c->notes[i].text);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("<h2>Verdict</h2>\n<p>", f);
	if (c->verdict_part) {
		esc(r, c->verdict_part);
		fprintf(f, " — fixed: %s. ", c->verdict_fixed ? "yes" : "no");
		esc(r, c->verdict_note);
	} else {
		fputs("None yet.", f);
	}
	fputs("</p>\n", f);
	for (size_t i = 0; !r->o->no_raw && i < c->nattempts; i++) {
		char when[40];
		rep_time(c->attempts[i].started, when, sizeof when);
		fprintf(f, "<h2>Restore log %zu: ", i + 1);
		esc(r, c->attempts[i].name);
		fprintf(f, "</h2>\n<p class=\"muted\">%s, %zu bytes</p>\n", when, c->attempts[i].len);
		pre_capped(r, c->attempts[i].log, c->attempts[i].len);
	}
	for (size_t i = 0; !r->o->no_raw && i < c->nrecordings; i++) {
		fprintf(f, "<h2>Recovery recording %zu: ", i + 1);
		esc(r, c->recordings[i].name);
		fputs("</h2>\n", f);
		pre_capped(r, c->recordings[i].body, c->recordings[i].len);
	}
}

int bt_report_write_html(struct rctx *r)
{
	head(r);
	if (r->customer)
		customer_body(r);
	else
		technician_body(r);
	fputs("<p class=\"muted\">Findings are stated as likelihoods from the evidence recorded; "
	      "they are not a guarantee.</p>\n</body>\n</html>\n", r->out);
	return ferror(r->out) ? BT_ERR_IO : BT_OK;
}
