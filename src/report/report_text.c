/* report_text.c — the plain-text report (terminal, e-mail, a ticket's notes field). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "report/report_int.h"

static void heading(FILE *f, const char *t)
{
	fprintf(f, "\n%s\n", t);
	for (size_t i = 0; t[i]; i++)
		fputc('-', f);
	fputc('\n', f);
}

static void field(struct rctx *r, const char *name, const char *value)
{
	if (value && *value)
		fprintf(r->out, "  %-14s %s\n", name, value);
}

static void identity(struct rctx *r)
{
	const struct bt_case *c = r->c;
	char when[40];
	rep_time(c->created, when, sizeof when);
	fprintf(r->out, "benchtriage %s report — case %lld\n",
		r->customer ? "diagnostic" : "technician", (long long)c->id);
	if (r->o->generated >= 0) {
		char gen[40];
		rep_time(r->o->generated, gen, sizeof gen);
		fprintf(r->out, "Generated %s\n", gen);
	}
	heading(r->out, "Device");
	field(r, "Label", rtext(r, c->label));
	field(r, "Opened", when);
	field(r, "Board", rtext(r, c->board ? c->board : (r->d ? r->d->board : NULL)));
	field(r, "Model", rtext(r, c->product_type ? c->product_type
						   : rep_ev(c, "device.product_type")));
	field(r, "ECID", rident(r, c->ecid));
	field(r, "Serial", rident(r, c->serial));
	field(r, "IMEI", rident(r, c->imei));
	field(r, "UDID", rident(r, c->udid));
}

static void customer_body(struct rctx *r)
{
	FILE *f = r->out;
	heading(f, "What we found");
	if (!r->d || !r->d->nhyp) {
		fputs("  No diagnosis could be made from the information recorded.\n", f);
	} else {
		const struct bt_hypothesis *h = &r->d->hyp[0];
		if (h->probability >= REP_CLEAR)
			fprintf(f, "  Based on the information available, the fault is %s (%.0f%%):\n"
				   "    %s.\n", rep_conf_words(h->probability), h->probability * 100.0,
				rep_hyp_plain(h->id, h->title));
		else
			fprintf(f, "  The cause is not clear yet. The strongest candidate (%.0f%%) is\n"
				   "    %s.\n", h->probability * 100.0, rep_hyp_plain(h->id, h->title));
		if (r->d->nhyp > 1 && r->d->hyp[1].probability >= 0.15)
			fprintf(f, "  Also possible (%.0f%%): %s.\n", r->d->hyp[1].probability * 100.0,
				rep_hyp_plain(r->d->hyp[1].id, r->d->hyp[1].title));
	}
	struct rep_item items[REP_ITEMS_MAX];
	size_t n = rep_tested(r, items, REP_ITEMS_MAX);
	heading(f, "What we tested");
	if (!n)
		fputs("  Nothing was recorded yet.\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  - %s: %s\n", items[i].title, items[i].detail);
	n = rep_not_tested(r, items, REP_ITEMS_MAX);
	heading(f, "What could not be tested");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  - %s: %s\n", items[i].title, items[i].detail);
	if (r->d && r->d->ntests) {
		heading(f, "What we would check next");
		for (size_t i = 0; i < r->d->ntests && i < 3; i++)
			fprintf(f, "  - %s%s\n", r->d->tests[i].title ? r->d->tests[i].title : r->d->tests[i].id,
				rep_erases(&r->d->tests[i]) ? " (this erases the data on the phone)" : "");
	}
	const struct rep_option *opts[8];
	n = rep_options(r, opts, 8);
	heading(f, "Your options");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %zu. %s\n     %s\n     Risks: %s\n", i + 1, opts[i]->title, opts[i]->what,
			opts[i]->risks);
	if (r->d && r->d->nhyp && r->d->hyp[0].ncontribs) {
		heading(f, "Why we think so");
		const struct bt_hypothesis *h = &r->d->hyp[0];
		for (size_t i = 0; i < h->ncontribs && i < 8; i++) {
			const struct bt_contrib *k = &h->contribs[i];
			fprintf(f, "  - %s\n", rtext(r, k->why && *k->why ? k->why : k->key));
			const struct bt_evidence *e = bt_evset_find(r->c->evidence, k->key);
			if (e && e->excerpt && *e->excerpt)
				fprintf(f, "      \"%s\"\n", rtext(r, e->excerpt));
		}
	}
	if (r->c->verdict_part) {
		heading(f, "Repair result");
		fprintf(f, "  Part: %s — %s\n", rtext(r, r->c->verdict_part),
			r->c->verdict_fixed ? "the repair fixed the phone" : "the repair did not fix the phone");
	}
	heading(f, "Agreement");
	fputs("  Technician: ______________________   Date: ____________\n"
	      "  Customer:   ______________________   Signature: _______________\n"
	      "  Option chosen: ____________________________________________\n", f);
}

static void origin(struct rctx *r, const struct bt_evidence *e)
{
	if (e->line > 0)
		fprintf(r->out, "%s:%ld", rtext(r, e->source), e->line);
	else if (e->time_s >= 0)
		fprintf(r->out, "%s@%.1fs", rtext(r, e->source), e->time_s);
	else
		fprintf(r->out, "%s", rtext(r, e->source));
}

static void technician_body(struct rctx *r)
{
	FILE *f = r->out;
	const struct bt_case *c = r->c;
	heading(f, "Diagnosis");
	if (!r->d || !r->d->nhyp)
		fputs("  No diagnosis (the engine had nothing to work with).\n", f);
	for (size_t i = 0; r->d && i < r->d->nhyp; i++) {
		const struct bt_hypothesis *h = &r->d->hyp[i];
		fprintf(f, "  %5.1f%%  %-14s %s (prior %.1f%%)\n", h->probability * 100.0, h->id,
			h->title ? h->title : "", h->prior * 100.0);
		for (size_t j = 0; j < h->ncontribs; j++) {
			const struct bt_contrib *k = &h->contribs[j];
			fprintf(f, "           x%-6.2f %s: %s=%s at %s [%s, %s]\n", k->lr, k->rule, k->key,
				k->value ? k->value : "", k->origin ? k->origin : "",
				k->confidence ? k->confidence : "", k->source ? k->source : "");
			if (k->why && *k->why)
				fprintf(f, "                   %s\n", k->why);
		}
	}
	if (r->d && r->d->ntests) {
		heading(f, "Next tests");
		for (size_t i = 0; i < r->d->ntests; i++) {
			const struct bt_next_test *t = &r->d->tests[i];
			fprintf(f, "  %-26s value %.2f, cost %s, risk %s — %s\n", t->id, t->value,
				t->cost ? t->cost : "?", t->risk ? t->risk : "?", t->title ? t->title : "");
		}
	}
	heading(f, "Evidence");
	for (size_t i = 0; i < bt_evset_count(c->evidence); i++) {
		const struct bt_evidence *e = bt_evset_at(c->evidence, i);
		fprintf(f, "  %s = %s  (", e->key, e->value);
		origin(r, e);
		fputs(")\n", f);
		if (e->excerpt && *e->excerpt)
			fprintf(f, "      %s\n", e->excerpt);
	}
	heading(f, "Restore attempts");
	for (size_t i = 0; i < c->nattempts; i++) {
		char when[40];
		rep_time(c->attempts[i].started, when, sizeof when);
		fprintf(f, "  #%zu %s, %s, %zu bytes of log\n", i + 1, c->attempts[i].name, when,
			c->attempts[i].len);
	}
	if (c->nrecordings) {
		heading(f, "Recovery recordings");
		for (size_t i = 0; i < c->nrecordings; i++)
			fprintf(f, "  #%zu %s, %zu bytes\n", i + 1, c->recordings[i].name,
				c->recordings[i].len);
	}
	if (c->ntraces) {
		heading(f, "Current traces");
		for (size_t i = 0; i < c->ntraces; i++) {
			struct rep_trace_stats s;
			rep_trace_stats(&c->traces[i], &s);
			fprintf(f, "  #%zu %s: %zu samples over %.1f s at %.1f Hz; %.0f-%.0f mA, mean %.0f mA\n",
				i + 1, c->traces[i].name, c->traces[i].nsamples, s.duration_s,
				s.rate_hz, s.min_a * 1000, s.max_a * 1000, s.mean_a * 1000);
			struct rep_mark marks[REP_MARKS_MAX];
			size_t nm = rep_trace_marks(r, i, marks, REP_MARKS_MAX);
			for (size_t m = 0; m < nm; m++)
				fprintf(f, "      %8.1f s  %s\n", marks[m].t, marks[m].label);
		}
	}
	if (c->ntests) {
		heading(f, "Guided tests");
		for (size_t i = 0; i < c->ntests; i++) {
			char when[40];
			rep_time(c->tests[i].finished, when, sizeof when);
			fprintf(f, "  %s = %s (%s)%s%s\n", c->tests[i].test_id, c->tests[i].outcome, when,
				c->tests[i].note ? " — " : "", c->tests[i].note ? c->tests[i].note : "");
		}
	}
	if (c->nsymptoms) {
		heading(f, "Symptoms");
		for (size_t i = 0; i < c->nsymptoms; i++)
			fprintf(f, "  %s\n", c->symptoms[i]);
	}
	if (c->nnotes) {
		heading(f, "Notes");
		for (size_t i = 0; i < c->nnotes; i++) {
			char when[40];
			rep_time(c->notes[i].at, when, sizeof when);
			fprintf(f, "  [%s] %s\n", when, c->notes[i].text);
		}
	}
	heading(f, "Verdict");
	if (c->verdict_part) {
		char when[40];
		rep_time(c->verdict_at, when, sizeof when);
		fprintf(f, "  %s, fixed: %s (%s)%s%s\n", c->verdict_part, c->verdict_fixed ? "yes" : "no",
			when, c->verdict_note ? " — " : "", c->verdict_note ? c->verdict_note : "");
	} else {
		fputs("  none yet\n", f);
	}
	for (size_t i = 0; !r->o->no_raw && i < c->nattempts; i++) {
		char title[96];
		snprintf(title, sizeof title, "Restore log #%zu", i + 1);
		heading(f, title);
		const struct bt_case_attempt *a = &c->attempts[i];
		const char *start = a->log;
		if (a->len > REP_LOG_MAX) {
			start = a->log + (a->len - REP_LOG_MAX);
			fprintf(f, "(the last %u of %zu bytes; the evidence pack holds it all)\n",
				REP_LOG_MAX, a->len);
		}
		fputs(start, f);
		if (a->len && a->log[a->len - 1] != '\n')
			fputc('\n', f);
	}
}

int bt_report_write_text(struct rctx *r)
{
	/* Written to memory first, then copied with control characters (escape sequences from a
	 * log, carriage returns) turned into '?', so a report cannot drive the terminal. */
	FILE *dest = r->out;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return BT_ERR_NOMEM;
	r->out = mem;
	identity(r);
	if (r->customer)
		customer_body(r);
	else
		technician_body(r);
	int bad = ferror(mem);
	r->out = dest;
	if (fclose(mem) != 0 || bad) {
		free(buf);
		return BT_ERR_IO;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7F)
			buf[i] = '?';
	}
	size_t put = fwrite(buf, 1, len, dest);
	free(buf);
	return put == len && !ferror(dest) ? BT_OK : BT_ERR_IO;
}
