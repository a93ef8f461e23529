/* case_pack.c — export a case to a directory and import it back, re-scored. */
#include "store/case_pack.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/trace_csv.h"
#include "core/err.h"
#include "core/linereader.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "logs/logscan.h"
#include "recovery/recovery_evidence.h"
#include "store/case_data.h"
#include "store/case_score.h"
#include "store/store_file.h"

/* ---- export ---- */

static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	/* Not UTF-8 (a stray byte from a log): keep it readable rather than drop it. */
	char *copy = bt_xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static json_t *jnum(double v)
{
	return json_real(v);
}

static json_t *case_json(const struct bt_case *c)
{
	json_t *ev = json_array();
	for (size_t i = 0; i < bt_evset_count(c->evidence); i++) {
		const struct bt_evidence *e = bt_evset_at(c->evidence, i);
		json_array_append_new(ev, json_pack("{s:o s:o s:o s:I s:o s:o}", "key", jstr(e->key),
						    "value", jstr(e->value), "source", jstr(e->source),
						    "line", (json_int_t)e->line, "time_s",
						    jnum(e->time_s), "excerpt", jstr(e->excerpt)));
	}
	json_t *att = json_array();
	for (size_t i = 0; i < c->nattempts; i++) {
		char file[64];
		snprintf(file, sizeof file, "logs/attempt-%zu.log", i + 1);
		json_array_append_new(att, json_pack("{s:s s:o s:o}", "file", file, "name",
						     jstr(c->attempts[i].name), "started",
						     jnum(c->attempts[i].started)));
	}
	json_t *rec = json_array();
	for (size_t i = 0; i < c->nrecordings; i++) {
		char file[64];
		snprintf(file, sizeof file, "recordings/recording-%zu.txt", i + 1);
		json_array_append_new(rec, json_pack("{s:s s:o s:o}", "file", file, "name",
						     jstr(c->recordings[i].name), "started",
						     jnum(c->recordings[i].started)));
	}
	json_t *tr = json_array();
	for (size_t i = 0; i < c->ntraces; i++) {
		const struct bt_case_trace *t = &c->traces[i];
		char file[64];
		snprintf(file, sizeof file, "traces/trace-%zu.csv", i + 1);
		json_t *marks = json_array();
		for (size_t m = 0; m < t->nmarkers; m++)
			json_array_append_new(marks, json_pack("{s:o s:o}", "t", jnum(t->markers[m].t),
							       "label", jstr(t->markers[m].label)));
		json_array_append_new(tr, json_pack("{s:s s:o s:o s:o s:o}", "file", file, "name",
						    jstr(t->name), "started", jnum(t->started),
						    "rate_hz", jnum(t->rate_hz), "markers", marks));
	}
	json_t *tests = json_array();
	for (size_t i = 0; i < c->ntests; i++)
		json_array_append_new(tests, json_pack("{s:o s:o s:o s:o s:o}", "id",
						       jstr(c->tests[i].test_id), "outcome",
						       jstr(c->tests[i].outcome), "started",
						       jnum(c->tests[i].started), "finished",
						       jnum(c->tests[i].finished), "note",
						       jstr(c->tests[i].note)));
	json_t *sym = json_array();
	for (size_t i = 0; i < c->nsymptoms; i++)
		json_array_append_new(sym, jstr(c->symptoms[i]));
	json_t *notes = json_array();
	for (size_t i = 0; i < c->nnotes; i++)
		json_array_append_new(notes, json_pack("{s:o s:o}", "at", jnum(c->notes[i].at), "text",
						       jstr(c->notes[i].text)));
	json_t *verdict = c->verdict_part
		? json_pack("{s:o s:b s:o s:o}", "part", jstr(c->verdict_part), "fixed",
			    c->verdict_fixed == 1, "at", jnum(c->verdict_at), "note",
			    jstr(c->verdict_note))
		: json_null();
	json_t *device = json_pack("{s:o s:o s:o s:o s:o s:o}", "board", jstr(c->board),
				   "product_type", jstr(c->product_type), "ecid", jstr(c->ecid),
				   "serial", jstr(c->serial), "imei", jstr(c->imei), "udid",
				   jstr(c->udid));
	return json_pack("{s:s s:I s:o s:o s:o s:o s:o s:o s:o s:o s:o s:o s:o}", "schema",
			 BT_PACK_SCHEMA, "id", (json_int_t)c->id, "label", jstr(c->label), "created",
			 jnum(c->created), "device", device, "evidence", ev, "attempts", att,
			 "recordings", rec, "traces", tr, "tests", tests, "symptoms", sym, "notes",
			 notes, "verdict", verdict);
}

static int make_dir(const char *path, char *errbuf, size_t errlen)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return BT_ERR_IO;
	}
	return BT_OK;
}

static int dir_empty_or_missing(const char *dir, char *errbuf, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return BT_OK;
		snprintf(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return BT_ERR_IO;
	}
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	if (n) {
		snprintf(errbuf, errlen, "%s: not empty; export into a new directory", dir);
		return BT_ERR_ARG;
	}
	return BT_OK;
}

static int write_at(const char *dir, const char *rel, const char *data, size_t len, char *errbuf,
		    size_t errlen)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path) {
		snprintf(errbuf, errlen, "%s: path too long", dir);
		return BT_ERR_ARG;
	}
	return bt_write_file(path, data, len, errbuf, errlen);
}

static int write_trace_csv(const char *dir, size_t i, const struct bt_case_trace *t,
			   char *errbuf, size_t errlen)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/traces/trace-%zu.csv", dir, i + 1) >= (int)sizeof path) {
		snprintf(errbuf, errlen, "%s: path too long", dir);
		return BT_ERR_ARG;
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return BT_ERR_IO;
	}
	fputs("time_s,current_a,voltage_v\n", f);
	for (size_t k = 0; k < t->nsamples; k++) {
		const struct bt_sample *s = &t->samples[k];
		if (s->voltage_v >= 0)
			fprintf(f, "%.6f,%.6f,%.4f\n", s->t, s->current_a, s->voltage_v);
		else
			fprintf(f, "%.6f,%.6f,\n", s->t, s->current_a);
	}
	int bad = ferror(f) || fflush(f) != 0;
	int saved = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(saved));
		return BT_ERR_IO;
	}
	return BT_OK;
}

int bt_case_export(struct bt_store *st, int64_t id, const char *dir, char *errbuf, size_t errlen)
{
	struct bt_case *c;
	int err = bt_store_load(st, id, &c);
	if (err != BT_OK) {
		snprintf(errbuf, errlen, "%s", bt_store_error(st));
		return err;
	}
	err = dir_empty_or_missing(dir, errbuf, errlen);
	if (err == BT_OK)
		err = make_dir(dir, errbuf, errlen);
	static const char *const subs[] = { "logs", "recordings", "traces" };
	for (size_t i = 0; i < 3 && err == BT_OK; i++) {
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/%s", dir, subs[i]);
		err = make_dir(sub, errbuf, errlen);
	}
	for (size_t i = 0; err == BT_OK && i < c->nattempts; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "logs/attempt-%zu.log", i + 1);
		err = write_at(dir, rel, c->attempts[i].log, c->attempts[i].len, errbuf, errlen);
	}
	for (size_t i = 0; err == BT_OK && i < c->nrecordings; i++) {
		char rel[64];
		snprintf(rel, sizeof rel, "recordings/recording-%zu.txt", i + 1);
		err = write_at(dir, rel, c->recordings[i].body, c->recordings[i].len, errbuf, errlen);
	}
	for (size_t i = 0; err == BT_OK && i < c->ntraces; i++)
		err = write_trace_csv(dir, i, &c->traces[i], errbuf, errlen);
	if (err == BT_OK) {
		json_t *j = case_json(c);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		if (!text) {
			snprintf(errbuf, errlen, "case %lld: could not build case.json", (long long)id);
			err = BT_ERR_BUG;
		} else {
			/* case.json last: a pack with it is complete. */
			err = write_at(dir, "case.json", text, strlen(text), errbuf, errlen);
			free(text);
		}
	}
	bt_case_free(c);
	return err;
}

/* ---- import ---- */

struct importer {
	struct bt_store *st;
	const char *dir;
	int64_t id;
	bt_pack_warn_fn warn;
	void *user;
	char *errbuf;
	size_t errlen;
};

static void warnf(struct importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warnf(struct importer *im, const char *fmt, ...)
{
	if (!im->warn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	im->warn(msg, im->user);
}

static const char *jget_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static double jget_num(const json_t *o, const char *k, double dflt)
{
	const json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

/* A pack file name from case.json: relative, inside the pack, no "..". */
static int pack_path(struct importer *im, const char *rel, char *out, size_t len)
{
	if (!rel || !*rel || rel[0] == '/' || strstr(rel, "..")) {
		snprintf(im->errbuf, im->errlen, "%s/case.json: bad file name '%s'", im->dir,
			 rel ? rel : "");
		return BT_ERR_DATA;
	}
	if (snprintf(out, len, "%s/%s", im->dir, rel) >= (int)len) {
		snprintf(im->errbuf, im->errlen, "%s: path too long", im->dir);
		return BT_ERR_ARG;
	}
	return BT_OK;
}

static int store_err(struct importer *im, int err)
{
	if (err != BT_OK)
		snprintf(im->errbuf, im->errlen, "%s", bt_store_error(im->st));
	return err;
}

struct csv_ctx {
	struct bt_store *st;
	int64_t trace;
	const char *path;
	char *errbuf;
	size_t errlen;
	struct bt_sample batch[1024];
	size_t nb;
};

/* One finite number ending at ',' or the end of the line; NULL when there is none. */
static const char *number(const char *p, double *v)
{
	char *end;
	*v = strtod(p, &end);
	if (end == p || !isfinite(*v) || (*end != ',' && *end != '\0'))
		return NULL;
	return end;
}

static int csv_line(const struct bt_line *line, void *user)
{
	struct csv_ctx *x = user;
	const char *p = line->text;
	if ((line->lineno == 1 && strncmp(p, "time_s", 6) == 0) || !*p)
		return BT_OK;
	struct bt_sample s = { 0, 0, -1 };
	if (line->truncated || !(p = number(p, &s.t)) || *p != ',' || !(p = number(p + 1, &s.current_a)) ||
	    (*p == ',' && p[1] && (!(p = number(p + 1, &s.voltage_v)) || *p != '\0'))) {
		snprintf(x->errbuf, x->errlen, "%s:%ld: expected time_s,current_a[,voltage_v]", x->path,
			 line->lineno);
		return BT_ERR_DATA;
	}
	x->batch[x->nb++] = s;
	if (x->nb == sizeof x->batch / sizeof x->batch[0]) {
		int err = bt_store_trace_add(x->st, x->trace, x->batch, x->nb);
		x->nb = 0;
		if (err != BT_OK) {
			snprintf(x->errbuf, x->errlen, "%s", bt_store_error(x->st));
			return err;
		}
	}
	return BT_OK;
}

/* Streams the file line by line: memory stays bounded however long the trace. */
int bt_case_store_trace_csv(struct bt_store *st, int64_t trace, const char *path, char *errbuf,
			    size_t errlen)
{
	struct csv_ctx *x = bt_xcalloc(1, sizeof *x);
	*x = (struct csv_ctx){ .st = st, .trace = trace, .path = path, .errbuf = errbuf,
			       .errlen = errlen };
	int err = bt_linereader_file(path, 256, csv_line, x);
	if (err == BT_ERR_IO)
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
	if (err == BT_OK && x->nb) {
		err = bt_store_trace_add(st, trace, x->batch, x->nb);
		if (err != BT_OK)
			snprintf(errbuf, errlen, "%s", bt_store_error(st));
	}
	free(x);
	return err;
}

enum klass { K_KEEP, K_LOG, K_REC, K_TRACE };

/* Which raw data an evidence item was derived from (technician items are kept as typed). */
static enum klass classify(const char *key, const char *source)
{
	if (source && strcmp(source, "technician") == 0)
		return K_KEEP;
	if (strncmp(key, "restore.", 8) == 0 || strncmp(key, "device.", 7) == 0)
		return K_LOG;
	if (strncmp(key, "iboot.", 6) == 0)
		return K_REC;
	if (strncmp(key, "supply.", 7) == 0)
		return K_TRACE;
	return K_KEEP;
}

static int set_device(struct importer *im, const json_t *dev)
{
	static const char *const fields[] = { "board", "product_type", "ecid", "serial", "imei",
					      "udid" };
	int err = BT_OK;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && err == BT_OK; i++) {
		const char *v = jget_str(dev, fields[i]);
		if (v)
			err = store_err(im, bt_store_case_set(im->st, im->id, fields[i], v));
	}
	return err;
}

int bt_case_import(struct bt_store *st, const char *dir, const struct bt_boards *boards,
		   int64_t *new_id, bt_pack_warn_fn warn, void *user, char *errbuf, size_t errlen)
{
	struct importer im = { st, dir, 0, warn, user, errbuf, errlen };
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/case.json", dir) >= (int)sizeof path) {
		snprintf(errbuf, errlen, "%s: path too long", dir);
		return BT_ERR_ARG;
	}
	char *text;
	size_t len;
	int err = bt_read_file(path, BT_PACK_JSON_MAX, &text, &len, errbuf, errlen);
	if (err != BT_OK)
		return err;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root) {
		snprintf(errbuf, errlen, "%s:%d: %s", path, jerr.line, jerr.text);
		return BT_ERR_DATA;
	}
	const char *schema = jget_str(root, "schema");
	if (!json_is_object(root) || !schema || strcmp(schema, BT_PACK_SCHEMA) != 0) {
		snprintf(errbuf, errlen, "%s: not a benchtriage evidence pack (schema %s expected)",
			 path, BT_PACK_SCHEMA);
		json_decref(root);
		return BT_ERR_DATA;
	}
	err = store_err(&im, bt_store_case_new(st, jget_str(root, "label"), &im.id));
	if (err == BT_OK && json_is_object(json_object_get(root, "device")))
		err = set_device(&im, json_object_get(root, "device"));

	/* Raw data first: stored whole, then re-read with today's code. */
	struct bt_evset *fresh = bt_evset_new();
	bool redone[4] = { false, false, false, false };
	const struct bt_board *board = NULL;
	const char *bname = jget_str(json_object_get(root, "device"), "board");
	if (boards && bname)
		board = bt_boards_find(boards, bname);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(root, "attempts"), i, it) {
		if (err != BT_OK)
			break;
		const char *name = jget_str(it, "name");
		char *log;
		size_t llen;
		if ((err = pack_path(&im, jget_str(it, "file"), path, sizeof path)) != BT_OK ||
		    (err = bt_read_file(path, BT_STORE_LOG_MAX, &log, &llen, errbuf, errlen)) != BT_OK)
			break;
		err = store_err(&im, bt_store_add_attempt(st, im.id, name ? name : path,
							  jget_num(it, "started", -1), log, llen, NULL));
		struct bt_logscan *sc = bt_logscan_new();
		bt_logscan_begin(sc, name ? name : path);
		bt_logscan_feed(sc, log, llen);
		bt_logscan_end(sc);
		bt_logscan_evidence(sc, fresh);
		bt_logscan_free(sc);
		free(log);
		redone[K_LOG] = true;
	}
	json_array_foreach(json_object_get(root, "recordings"), i, it) {
		if (err != BT_OK)
			break;
		const char *name = jget_str(it, "name");
		char *body;
		size_t blen;
		if ((err = pack_path(&im, jget_str(it, "file"), path, sizeof path)) != BT_OK ||
		    (err = bt_read_file(path, BT_STORE_LOG_MAX, &body, &blen, errbuf, errlen)) != BT_OK)
			break;
		err = store_err(&im, bt_store_add_recording(st, im.id, name ? name : path,
							    jget_num(it, "started", -1), body, blen,
							    NULL));
		free(body);
		char why[512];
		int rc = bt_recovery_file_evidence(path, fresh, why, sizeof why);
		if (rc == BT_OK)
			redone[K_REC] = true;
		else
			warnf(&im, "%s: not re-read, its old evidence is kept (%s)", path, why);
	}
	json_array_foreach(json_object_get(root, "traces"), i, it) {
		if (err != BT_OK)
			break;
		const char *name = jget_str(it, "name");
		int64_t trace = 0;
		if ((err = pack_path(&im, jget_str(it, "file"), path, sizeof path)) != BT_OK)
			break;
		err = store_err(&im, bt_store_trace_new(st, im.id, name ? name : path,
							jget_num(it, "started", -1),
							jget_num(it, "rate_hz", 0), &trace));
		if (err == BT_OK)
			err = bt_case_store_trace_csv(st, trace, path, errbuf, errlen);
		size_t m;
		json_t *mk;
		json_array_foreach(json_object_get(it, "markers"), m, mk) {
			if (err != BT_OK)
				break;
			err = store_err(&im, bt_store_add_marker(st, trace, jget_num(mk, "t", 0),
								 jget_str(mk, "label")));
		}
		char why[512];
		if (err == BT_OK) {
			int rc = bt_trace_csv_evidence(path, board, fresh, why, sizeof why);
			if (rc == BT_OK)
				redone[K_TRACE] = true;
			else
				warnf(&im, "%s: not re-read, its old evidence is kept (%s)", path, why);
		}
	}
	/* The pack's evidence, minus what was just derived again. */
	json_array_foreach(json_object_get(root, "evidence"), i, it) {
		if (err != BT_OK)
			break;
		const char *key = jget_str(it, "key"), *value = jget_str(it, "value");
		const char *source = jget_str(it, "source");
		if (!key || !value) {
			warnf(&im, "%s/case.json: evidence item %zu without key or value, skipped", dir, i);
			continue;
		}
		if (redone[classify(key, source)])
			continue;
		struct bt_evidence e = { key, value, source ? source : "", 0,
					 jget_num(it, "time_s", -1), jget_str(it, "excerpt") };
		double line = jget_num(it, "line", 0);
		e.line = line >= 1 && line < 1e9 ? (long)line : 0; /* a pack is input: clamp */
		if (!e.excerpt)
			e.excerpt = "";
		err = store_err(&im, bt_store_add_evidence(st, im.id, &e));
	}
	if (err == BT_OK)
		err = store_err(&im, bt_store_add_evset(st, im.id, fresh));
	bt_evset_free(fresh);
	json_array_foreach(json_object_get(root, "tests"), i, it) {
		if (err != BT_OK)
			break;
		const char *tid = jget_str(it, "id"), *out = jget_str(it, "outcome");
		if (!tid || !out)
			continue;
		err = store_err(&im, bt_store_add_test(st, im.id, tid, out, jget_num(it, "started", -1),
						       jget_num(it, "finished", -1),
						       jget_str(it, "note")));
	}
	json_array_foreach(json_object_get(root, "symptoms"), i, it) {
		if (err != BT_OK)
			break;
		if (json_string_value(it) && *json_string_value(it))
			err = store_err(&im, bt_store_add_symptom(st, im.id, json_string_value(it)));
	}
	json_array_foreach(json_object_get(root, "notes"), i, it) {
		if (err != BT_OK)
			break;
		if (jget_str(it, "text"))
			err = store_err(&im, bt_store_add_note(st, im.id, jget_str(it, "text")));
	}
	const json_t *v = json_object_get(root, "verdict");
	if (err == BT_OK && json_is_object(v) && jget_str(v, "part"))
		err = store_err(&im, bt_store_set_verdict(st, im.id, jget_str(v, "part"),
							  json_is_true(json_object_get(v, "fixed")),
							  jget_str(v, "note")));
	json_decref(root);
	if (err == BT_OK) {
		/* Today's ranking, kept with the case like an analysis would. */
		struct bt_case *c;
		err = store_err(&im, bt_store_load(st, im.id, &c));
		if (err == BT_OK) {
			struct bt_diagnosis *d = bt_case_diagnose(c, boards);
			if (d && d->nhyp)
				err = store_err(&im, bt_store_ranking_of(st, im.id, d));
			bt_diagnosis_free(d);
			bt_case_free(c);
		}
	}
	*new_id = im.id;
	return err;
}
