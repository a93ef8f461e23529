/* store_read.c — reading cases back: the list, one whole case, the cases with verdicts. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/case_data.h"
#include "store/store.h"
#include "store/store_int.h"

typedef void (*row_fn)(sqlite3_stmt *row, void *user);

/* Runs sql with one int64 parameter (when it has one) and calls fn for each row. */
static int query(struct bt_store *st, const char *sql, int64_t arg, row_fn fn, void *user)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(stmt) > 0)
		rc = sqlite3_bind_int64(stmt, 1, arg);
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fn(stmt, user);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return (rc == SQLITE_DONE || rc == SQLITE_OK) ? BT_OK : bt_store_fail(st, rc, "reading");
}

static char *col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? bt_xstrdup((const char *)t) : NULL;
}

static const char *col_str(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

static void copy_col(char *dst, size_t len, sqlite3_stmt *s, int i)
{
	snprintf(dst, len, "%s", col_str(s, i));
}

struct list_ctx {
	int (*cb)(const struct bt_case_summary *c, void *user);
	void *user;
	int stop;
};

static void list_row(sqlite3_stmt *s, void *user)
{
	struct list_ctx *ctx = user;
	if (ctx->stop)
		return;
	struct bt_case_summary c;
	memset(&c, 0, sizeof c);
	c.id = sqlite3_column_int64(s, 0);
	c.created = sqlite3_column_double(s, 1);
	copy_col(c.label, sizeof c.label, s, 2);
	copy_col(c.board, sizeof c.board, s, 3);
	copy_col(c.product_type, sizeof c.product_type, s, 4);
	c.nevidence = (long)sqlite3_column_int64(s, 5);
	c.nattempts = (long)sqlite3_column_int64(s, 6);
	copy_col(c.verdict_part, sizeof c.verdict_part, s, 7);
	c.verdict_fixed = sqlite3_column_type(s, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 8);
	ctx->stop = ctx->cb(&c, ctx->user);
}

int bt_store_list(struct bt_store *st, int (*cb)(const struct bt_case_summary *c, void *user),
		  void *user)
{
	struct list_ctx ctx = { cb, user, 0 };
	return query(st,
		     "SELECT c.id, c.created, c.label, c.board, c.product_type,"
		     " (SELECT count(*) FROM evidence e WHERE e.case_id=c.id),"
		     " (SELECT count(*) FROM attempts a WHERE a.case_id=c.id),"
		     " (SELECT part FROM verdicts v WHERE v.case_id=c.id ORDER BY v.id DESC LIMIT 1),"
		     " (SELECT fixed FROM verdicts v WHERE v.case_id=c.id ORDER BY v.id DESC LIMIT 1)"
		     " FROM cases c ORDER BY c.id DESC",
		     0, list_row, &ctx);
}

static void case_row(sqlite3_stmt *s, void *user)
{
	struct bt_case *c = user;
	c->id = sqlite3_column_int64(s, 0);
	c->created = sqlite3_column_double(s, 1);
	c->label = col_dup(s, 2);
	c->board = col_dup(s, 3);
	c->product_type = col_dup(s, 4);
	c->ecid = col_dup(s, 5);
	c->serial = col_dup(s, 6);
	c->imei = col_dup(s, 7);
	c->udid = col_dup(s, 8);
}

static void evidence_row(sqlite3_stmt *s, void *user)
{
	struct bt_case *c = user;
	bt_evset_add(c->evidence, col_str(s, 0), col_str(s, 1), col_str(s, 2),
		     (long)sqlite3_column_int64(s, 3), sqlite3_column_double(s, 4), col_str(s, 5));
}

static void attempt_row(sqlite3_stmt *s, void *user)
{
	struct bt_case_attempt *a = bt_case_push_attempt(user);
	a->id = sqlite3_column_int64(s, 0);
	a->name = bt_xstrdup(col_str(s, 1));
	a->started = sqlite3_column_double(s, 2);
	const char *log = col_str(s, 3);
	a->len = (size_t)sqlite3_column_bytes(s, 3);
	a->log = bt_xstrndup(log, a->len);
	a->len = strlen(a->log);
}

static void recording_row(sqlite3_stmt *s, void *user)
{
	struct bt_case_recording *r = bt_case_push_recording(user);
	r->id = sqlite3_column_int64(s, 0);
	r->name = bt_xstrdup(col_str(s, 1));
	r->started = sqlite3_column_double(s, 2);
	const char *body = col_str(s, 3);
	r->len = (size_t)sqlite3_column_bytes(s, 3);
	r->body = bt_xstrndup(body, r->len);
	r->len = strlen(r->body);
}

static void trace_row(sqlite3_stmt *s, void *user)
{
	struct bt_case_trace *t = bt_case_push_trace(user);
	t->id = sqlite3_column_int64(s, 0);
	t->name = bt_xstrdup(col_str(s, 1));
	t->started = sqlite3_column_double(s, 2);
	t->rate_hz = sqlite3_column_double(s, 3);
}

static void sample_row(sqlite3_stmt *s, void *user)
{
	struct bt_sample smp = { sqlite3_column_double(s, 0), sqlite3_column_double(s, 1),
				 sqlite3_column_double(s, 2) };
	bt_case_trace_push_sample(user, &smp);
}

static void marker_row(sqlite3_stmt *s, void *user)
{
	bt_case_trace_push_marker(user, sqlite3_column_double(s, 0), col_str(s, 1));
}

static void test_row(sqlite3_stmt *s, void *user)
{
	struct bt_case_test *t = bt_case_push_test(user);
	t->test_id = bt_xstrdup(col_str(s, 0));
	t->outcome = bt_xstrdup(col_str(s, 1));
	t->started = sqlite3_column_double(s, 2);
	t->finished = sqlite3_column_double(s, 3);
	t->note = col_dup(s, 4);
}

static void symptom_row(sqlite3_stmt *s, void *user)
{
	bt_case_push_symptom(user, col_str(s, 0));
}

static void note_row(sqlite3_stmt *s, void *user)
{
	bt_case_push_note(user, sqlite3_column_double(s, 0), col_str(s, 1));
}

static void ranking_row(sqlite3_stmt *s, void *user)
{
	const unsigned char *board = sqlite3_column_text(s, 0);
	bt_case_push_ranking(user, board ? (const char *)board : NULL, col_str(s, 1),
			     sqlite3_column_double(s, 2), sqlite3_column_int(s, 3));
}

static void verdict_row(sqlite3_stmt *s, void *user)
{
	struct bt_case *c = user;
	free(c->verdict_part);
	free(c->verdict_note);
	c->verdict_at = sqlite3_column_double(s, 0);
	c->verdict_part = bt_xstrdup(col_str(s, 1));
	c->verdict_fixed = sqlite3_column_int(s, 2);
	c->verdict_note = col_dup(s, 3);
}

int bt_store_load(struct bt_store *st, int64_t id, struct bt_case **out)
{
	*out = NULL;
	/* One read transaction: a consistent snapshot even while another process writes. */
	int rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return bt_store_fail(st, rc, "reading");
	struct bt_case *c = bt_case_new();
	c->id = 0;
	int err = query(st, "SELECT id, created, label, board, product_type, ecid, serial, imei, udid"
			    " FROM cases WHERE id=?", id, case_row, c);
	if (err == BT_OK && c->id != id) {
		snprintf(st->err, sizeof st->err, "case %lld: no such case", (long long)id);
		err = BT_ERR_DATA;
	}
	if (err == BT_OK)
		err = query(st, "SELECT key, value, source, line, time_s, excerpt FROM evidence"
				" WHERE case_id=? ORDER BY id", id, evidence_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT id, name, started, log FROM attempts WHERE case_id=? ORDER BY id",
			    id, attempt_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT id, name, started, body FROM recordings WHERE case_id=?"
				" ORDER BY id", id, recording_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT id, name, started, rate_hz FROM traces WHERE case_id=?"
				" ORDER BY id", id, trace_row, c);
	for (size_t i = 0; err == BT_OK && i < c->ntraces; i++) {
		err = query(st, "SELECT t, current_a, voltage_v FROM samples WHERE trace_id=?"
				" ORDER BY rowid", c->traces[i].id, sample_row, &c->traces[i]);
		if (err == BT_OK)
			err = query(st, "SELECT t, label FROM markers WHERE trace_id=? ORDER BY t, id",
				    c->traces[i].id, marker_row, &c->traces[i]);
	}
	if (err == BT_OK)
		err = query(st, "SELECT test_id, outcome, started, finished, note FROM tests"
				" WHERE case_id=? ORDER BY id", id, test_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT symptom FROM symptoms WHERE case_id=? ORDER BY id", id,
			    symptom_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT at, text FROM notes WHERE case_id=? ORDER BY id", id, note_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT board, hyp, probability, rank FROM rankings WHERE case_id=?"
				" AND at=(SELECT max(at) FROM rankings WHERE case_id=?1) ORDER BY rank",
			    id, ranking_row, c);
	if (err == BT_OK)
		err = query(st, "SELECT at, part, fixed, note FROM verdicts WHERE case_id=? ORDER BY id",
			    id, verdict_row, c);
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (err != BT_OK) {
		bt_case_free(c);
		return err;
	}
	*out = c;
	return BT_OK;
}

struct ids {
	int64_t *v;
	size_t n, alloc;
};

static void id_row(sqlite3_stmt *s, void *user)
{
	struct ids *ids = user;
	if (ids->n == ids->alloc) {
		ids->alloc = ids->alloc ? ids->alloc * 2 : 16;
		ids->v = bt_xrealloc(ids->v, ids->alloc * sizeof *ids->v);
	}
	ids->v[ids->n++] = sqlite3_column_int64(s, 0);
}

int bt_store_verdict_cases(struct bt_store *st, int64_t **out, size_t *n)
{
	struct ids ids = { NULL, 0, 0 };
	int err = query(st, "SELECT DISTINCT case_id FROM verdicts ORDER BY case_id", 0, id_row, &ids);
	if (err != BT_OK) {
		free(ids.v);
		ids.v = NULL;
		ids.n = 0;
	}
	*out = ids.v;
	*n = ids.n;
	return err;
}
