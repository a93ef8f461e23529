/* report_json.c — the JSON report, schema "benchtriage.report/1" (docs/report-schema.md,
 * docs/report-schema.json). Fields are added, never renamed, within a schema version. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "report/report_int.h"

static json_t *jtext(struct rctx *r, const char *s)
{
	if (!s)
		return json_null();
	return json_string(rep_utf8(r, rtext(r, s)));
}

/* Our own words and ids: no redaction needed, still UTF-8 checked. */
static json_t *jword(struct rctx *r, const char *s)
{
	return s ? json_string(rep_utf8(r, s)) : json_null();
}

static json_t *jtime(double t)
{
	if (t < 0)
		return json_null();
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static json_t *case_obj(struct rctx *r)
{
	const struct bt_case *c = r->c;
	json_t *ids = json_pack("{s:o s:o s:o s:o}", "ecid", jword(r, rident(r, c->ecid)), "serial",
				jword(r, rident(r, c->serial)), "imei", jword(r, rident(r, c->imei)),
				"udid", jword(r, rident(r, c->udid)));
	return json_pack("{s:I s:o s:o s:o s:o s:o}", "id", (json_int_t)c->id, "label",
			 jtext(r, c->label), "created", jtime(c->created), "board", jtext(r, c->board),
			 "product_type",
			 jtext(r, c->product_type ? c->product_type : rep_ev(c, "device.product_type")),
			 "identifiers", ids);
}

static json_t *diagnosis_obj(struct rctx *r)
{
	const struct bt_diagnosis *d = r->d;
	if (!d)
		return json_null();
	json_t *hyps = json_array();
	for (size_t i = 0; i < d->nhyp; i++) {
		const struct bt_hypothesis *h = &d->hyp[i];
		json_t *contribs = json_array();
		for (size_t j = 0; j < h->ncontribs; j++) {
			const struct bt_contrib *k = &h->contribs[j];
			json_array_append_new(
				contribs,
				json_pack("{s:o s:o s:o s:o s:f s:o s:o s:o}", "rule", jword(r, k->rule),
					  "key", jword(r, k->key), "value", jtext(r, k->value), "origin",
					  jtext(r, k->origin), "lr", k->lr, "source", jword(r, k->source),
					  "confidence", jword(r, k->confidence), "why", jtext(r, k->why)));
		}
		json_array_append_new(
			hyps, json_pack("{s:o s:o s:s s:f s:f s:s s:o}", "id", jword(r, h->id), "title",
					jword(r, h->title ? h->title : h->id), "plain",
					rep_utf8(r, rep_hyp_plain(h->id, h->title)), "probability",
					h->probability, "prior", h->prior, "confidence",
					rep_conf_words(h->probability), "contributions", contribs));
	}
	json_t *tests = json_array();
	for (size_t i = 0; i < d->ntests; i++) {
		const struct bt_next_test *t = &d->tests[i];
		json_array_append_new(tests, json_pack("{s:o s:o s:f s:o s:o}", "id", jword(r, t->id),
						       "title", jword(r, t->title), "value", t->value,
						       "cost", jword(r, t->cost), "risk",
						       jword(r, t->risk)));
	}
	return json_pack("{s:o s:o s:o}", "board", jword(r, d->board), "hypotheses", hyps,
			 "next_tests", tests);
}

static json_t *summary_obj(struct rctx *r)
{
	json_t *likely = json_null();
	if (r->d && r->d->nhyp) {
		const struct bt_hypothesis *h = &r->d->hyp[0];
		json_decref(likely);
		likely = json_pack("{s:o s:s s:f s:s}", "id", jword(r, h->id), "plain",
				   rep_utf8(r, rep_hyp_plain(h->id, h->title)), "probability",
				   h->probability, "confidence", rep_conf_words(h->probability));
	}
	struct rep_item items[REP_ITEMS_MAX];
	json_t *tested = json_array();
	size_t n = rep_tested(r, items, REP_ITEMS_MAX);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(tested, json_pack("{s:s s:s}", "what", rep_utf8(r, items[i].title),
							"result", rep_utf8(r, items[i].detail)));
	json_t *untested = json_array();
	n = rep_not_tested(r, items, REP_ITEMS_MAX);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(untested, json_pack("{s:s s:s}", "what", items[i].title, "why",
							  items[i].detail));
	const struct rep_option *opts[8];
	json_t *options = json_array();
	n = rep_options(r, opts, 8);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(options, json_pack("{s:s s:s s:s s:s}", "id", opts[i]->id, "title",
							 opts[i]->title, "what", opts[i]->what, "risks",
							 opts[i]->risks));
	int boots = rep_boots(r->c);
	return json_pack("{s:s s:o s:o s:o s:o}", "boots",
			 boots == 1 ? "yes" : boots == 0 ? "no" : "unknown", "likely_fault", likely,
			 "tested", tested, "not_tested", untested, "options", options);
}

static json_t *evidence_arr(struct rctx *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < bt_evset_count(r->c->evidence); i++) {
		const struct bt_evidence *e = bt_evset_at(r->c->evidence, i);
		json_array_append_new(
			a, json_pack("{s:o s:o s:o s:I s:o s:o}", "key", jword(r, e->key), "value",
				     jtext(r, e->value), "source", jtext(r, e->source), "line",
				     (json_int_t)e->line, "time_s",
				     e->time_s >= 0 ? json_real(e->time_s) : json_null(), "excerpt",
				     jtext(r, e->excerpt)));
	}
	return a;
}

/* A raw text carried whole for technicians (capped), left out for customers. */
static void body_field(struct rctx *r, json_t *obj, const char *name, const char *text, size_t len)
{
	if (r->customer || r->o->no_raw)
		return;
	size_t keep = len > REP_LOG_MAX ? REP_LOG_MAX : len;
	char *cut = bt_xstrndup(text, keep);
	json_object_set_new(obj, name, json_string(rep_utf8(r, cut)));
	free(cut);
	json_object_set_new(obj, "truncated", json_boolean(keep < len));
}

static json_t *attempts_arr(struct rctx *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->c->nattempts; i++) {
		const struct bt_case_attempt *at = &r->c->attempts[i];
		json_t *o = json_pack("{s:o s:o s:I}", "name", jtext(r, at->name), "started",
				      jtime(at->started), "bytes", (json_int_t)at->len);
		body_field(r, o, "log", at->log, at->len);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *recordings_arr(struct rctx *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->c->nrecordings; i++) {
		const struct bt_case_recording *rec = &r->c->recordings[i];
		json_t *o = json_pack("{s:o s:o s:I}", "name", jtext(r, rec->name), "started",
				      jtime(rec->started), "bytes", (json_int_t)rec->len);
		body_field(r, o, "body", rec->body, rec->len);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *traces_arr(struct rctx *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->c->ntraces; i++) {
		const struct bt_case_trace *t = &r->c->traces[i];
		struct rep_trace_stats s;
		rep_trace_stats(t, &s);
		struct rep_mark marks[REP_MARKS_MAX];
		size_t nm = rep_trace_marks(r, i, marks, REP_MARKS_MAX);
		json_t *jm = json_array();
		for (size_t m = 0; m < nm; m++)
			json_array_append_new(jm, json_pack("{s:f s:s}", "t", marks[m].t, "label",
							    rep_utf8(r, marks[m].label)));
		json_array_append_new(
			a, json_pack("{s:o s:o s:f s:I s:f s:f s:f s:f s:o}", "name", jtext(r, t->name),
				     "started", jtime(t->started), "rate_hz", t->rate_hz, "samples",
				     (json_int_t)t->nsamples, "duration_s", s.duration_s, "min_ma",
				     s.min_a * 1000.0, "max_ma", s.max_a * 1000.0, "mean_ma",
				     s.mean_a * 1000.0, "markers", jm));
	}
	return a;
}

static json_t *tests_arr(struct rctx *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->c->ntests; i++) {
		const struct bt_case_test *t = &r->c->tests[i];
		json_array_append_new(a, json_pack("{s:o s:o s:o s:o s:o}", "id", jtext(r, t->test_id),
						   "outcome", jtext(r, t->outcome), "started",
						   jtime(t->started), "finished", jtime(t->finished),
						   "note", r->customer ? json_null() : jtext(r, t->note)));
	}
	return a;
}

static json_t *misc_arrays(struct rctx *r, json_t **notes)
{
	json_t *sym = json_array();
	for (size_t i = 0; i < r->c->nsymptoms; i++)
		json_array_append_new(sym, jtext(r, r->c->symptoms[i]));
	*notes = json_array();
	for (size_t i = 0; !r->customer && i < r->c->nnotes; i++)
		json_array_append_new(*notes, json_pack("{s:o s:o}", "at", jtime(r->c->notes[i].at),
							"text", jtext(r, r->c->notes[i].text)));
	return sym;
}

static json_t *verdict_obj(struct rctx *r)
{
	const struct bt_case *c = r->c;
	if (!c->verdict_part)
		return json_null();
	return json_pack("{s:o s:b s:o s:o}", "part", jtext(r, c->verdict_part), "fixed",
			 c->verdict_fixed == 1, "at", jtime(c->verdict_at), "note",
			 r->customer ? json_null() : jtext(r, c->verdict_note));
}

int bt_report_write_json(struct rctx *r)
{
	json_t *notes = NULL;
	json_t *symptoms = misc_arrays(r, &notes);
	json_t *root = json_pack(
		"{s:s s:s s:o s:o s:o s:o s:o s:o s:o s:o s:o s:o s:o s:o}", "schema", BT_REPORT_SCHEMA,
		"audience", r->customer ? "customer" : "technician", "generated",
		jtime(r->o->generated), "case", case_obj(r), "diagnosis", diagnosis_obj(r), "summary",
		summary_obj(r), "evidence", evidence_arr(r), "attempts", attempts_arr(r), "recordings",
		recordings_arr(r), "traces", traces_arr(r), "tests", tests_arr(r), "symptoms",
		symptoms, "notes", notes, "verdict", verdict_obj(r));
	if (!root)
		return BT_ERR_BUG;
	int rc = json_dumpf(root, r->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc != 0 || fputc('\n', r->out) == EOF)
		return BT_ERR_IO;
	return BT_OK;
}
