/* store.c — opening the case store, its schema and migrations, and every write.
 * SQLite result codes are translated to bt_err here and in store_read.c only. */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "store/store_int.h"

/* Migrations: entry i brings a database from user_version i to i+1. Never edit a shipped
 * entry; append a new one and bump BT_STORE_SCHEMA_VERSION. */
static const char *const migrations[BT_STORE_SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE cases("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL, label TEXT,"
	"  board TEXT, product_type TEXT, ecid TEXT, serial TEXT, imei TEXT, udid TEXT);"
	"CREATE TABLE attempts("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  name TEXT NOT NULL, started REAL NOT NULL, log TEXT NOT NULL);"
	"CREATE TABLE evidence("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  key TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,"
	"  time_s REAL NOT NULL, excerpt TEXT NOT NULL, recorded REAL NOT NULL);"
	"CREATE TABLE recordings("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  name TEXT NOT NULL, started REAL NOT NULL, body TEXT NOT NULL);"
	"CREATE TABLE traces("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  name TEXT NOT NULL, started REAL NOT NULL, rate_hz REAL NOT NULL);"
	"CREATE TABLE samples("
	"  trace_id INTEGER NOT NULL REFERENCES traces(id), t REAL NOT NULL,"
	"  current_a REAL NOT NULL, voltage_v REAL NOT NULL);"
	"CREATE TABLE markers("
	"  id INTEGER PRIMARY KEY, trace_id INTEGER NOT NULL REFERENCES traces(id),"
	"  t REAL NOT NULL, label TEXT NOT NULL);"
	"CREATE TABLE tests("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  test_id TEXT NOT NULL, outcome TEXT NOT NULL, started REAL NOT NULL,"
	"  finished REAL NOT NULL, note TEXT);"
	"CREATE TABLE symptoms("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  symptom TEXT NOT NULL);"
	"CREATE TABLE notes("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at REAL NOT NULL, text TEXT NOT NULL);"
	"CREATE TABLE verdicts("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at REAL NOT NULL, part TEXT NOT NULL, fixed INTEGER NOT NULL, note TEXT);"
	"CREATE TABLE rankings("
	"  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at REAL NOT NULL, board TEXT, hyp TEXT NOT NULL, probability REAL NOT NULL,"
	"  rank INTEGER NOT NULL);"
	"CREATE INDEX evidence_case ON evidence(case_id);"
	"CREATE INDEX attempts_case ON attempts(case_id);"
	"CREATE INDEX samples_trace ON samples(trace_id);"
	"CREATE INDEX markers_trace ON markers(trace_id);"
	"CREATE INDEX verdicts_case ON verdicts(case_id);"
	"CREATE INDEX rankings_case ON rankings(case_id);",
};

double bt_store_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bt_store_home(char *buf, size_t len)
{
	const char *h = getenv("BENCHTRIAGE_HOME");
	int n;
	if (h && *h)
		n = snprintf(buf, len, "%s", h);
	else if ((h = getenv("XDG_DATA_HOME")) && *h)
		n = snprintf(buf, len, "%s/benchtriage", h);
	else if ((h = getenv("HOME")) && *h)
		n = snprintf(buf, len, "%s/.local/share/benchtriage", h);
	else
		return BT_ERR_ARG;
	return (n < 0 || (size_t)n >= len) ? BT_ERR_ARG : BT_OK;
}

int bt_store_fail(struct bt_store *st, int rc, const char *what)
{
	const char *msg = sqlite3_errmsg(st->db);
	int base = rc & 0xff;
	int sys = sqlite3_system_errno(st->db);
	int err;
	/* A write refused for lack of room shows as an I/O error with ENOSPC/EFBIG/EDQUOT. */
	if (base == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG || sys == EDQUOT))
		base = SQLITE_FULL;
	switch (base) {
	case SQLITE_FULL:
		snprintf(st->err, sizeof st->err, "%s: %s: disk full (%s%s%s)", st->path, what, msg,
			 sys ? ": " : "", sys ? strerror(sys) : "");
		err = BT_ERR_IO;
		break;
	case SQLITE_READONLY: case SQLITE_CANTOPEN: case SQLITE_PERM:
		snprintf(st->err, sizeof st->err, "%s: %s: cannot write (read-only or no permission: %s)",
			 st->path, what, msg);
		err = BT_ERR_IO;
		break;
	case SQLITE_IOERR:
		if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE)
			snprintf(st->err, sizeof st->err,
				 "%s: %s: write refused (disk full, file-size limit or a failing disk)%s%s",
				 st->path, what, sys ? ": " : "", sys ? strerror(sys) : "");
		else
			snprintf(st->err, sizeof st->err, "%s: %s: %s%s%s", st->path, what, msg,
				 sys ? ": " : "", sys ? strerror(sys) : "");
		err = BT_ERR_IO;
		break;
	case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_PROTOCOL:
		snprintf(st->err, sizeof st->err, "%s: %s: %s", st->path, what, msg);
		err = BT_ERR_IO;
		break;
	case SQLITE_NOTADB: case SQLITE_CORRUPT:
		snprintf(st->err, sizeof st->err, "%s: %s: not a usable case store (%s)", st->path,
			 what, msg);
		err = BT_ERR_DATA;
		break;
	case SQLITE_CONSTRAINT:
		snprintf(st->err, sizeof st->err, "%s: no such case or item", what);
		err = BT_ERR_DATA;
		break;
	case SQLITE_TOOBIG:
		snprintf(st->err, sizeof st->err, "%s: item too big", what);
		err = BT_ERR_DATA;
		break;
	default:
		snprintf(st->err, sizeof st->err, "%s: %s: %s", st->path, what, msg);
		err = BT_ERR;
		break;
	}
	return err;
}

const char *bt_store_error(const struct bt_store *st)
{
	return st ? st->err : "";
}

/* Binds arguments by a type string: i int64, d double, s text (NULL binds NULL),
 * t text with length (const char *, size_t). */
static int bind_va(sqlite3_stmt *stmt, const char *types, va_list ap)
{
	int rc = SQLITE_OK;
	for (int i = 1; *types && rc == SQLITE_OK; types++, i++) {
		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int64(stmt, i, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_double(stmt, i, va_arg(ap, double));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(stmt, i);
			break;
		}
		case 't': {
			const char *s = va_arg(ap, const char *);
			size_t n = va_arg(ap, size_t);
			rc = sqlite3_bind_text64(stmt, i, s ? s : "", s ? n : 0, SQLITE_TRANSIENT, SQLITE_UTF8);
			break;
		}
		default:
			rc = SQLITE_MISUSE;
		}
	}
	return rc;
}

int bt_store_exec(struct bt_store *st, const char *what, const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		va_list ap;
		va_start(ap, types);
		rc = bind_va(stmt, types, ap);
		va_end(ap);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE || rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? BT_OK : bt_store_fail(st, rc, what);
}

static int exec_plain(struct bt_store *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? BT_OK : bt_store_fail(st, rc, what);
}

int bt_store_begin(struct bt_store *st)
{
	return exec_plain(st, "BEGIN IMMEDIATE", "begin");
}

int bt_store_commit(struct bt_store *st, int err)
{
	if (err == BT_OK)
		err = exec_plain(st, "COMMIT", "commit");
	if (err != BT_OK && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return err;
}

static int user_version(struct bt_store *st, int *v)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*v = sqlite3_column_int(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_OK ? BT_OK : bt_store_fail(st, rc, "reading the schema version");
}

static int migrate(struct bt_store *st)
{
	int v = 0;
	int err = user_version(st, &v);
	if (err != BT_OK)
		return err;
	if (v > BT_STORE_SCHEMA_VERSION) {
		snprintf(st->err, sizeof st->err,
			 "%s: made by a newer benchtriage (schema %d, this one knows %d)", st->path, v,
			 BT_STORE_SCHEMA_VERSION);
		return BT_ERR_DATA;
	}
	while (v < BT_STORE_SCHEMA_VERSION) {
		err = bt_store_begin(st);
		if (err != BT_OK)
			return err;
		/* Re-read inside the write lock: another process may have migrated meanwhile. */
		int now = 0;
		err = user_version(st, &now);
		if (err == BT_OK && now == v) {
			char pragma[48];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
			err = exec_plain(st, migrations[v], "creating the schema");
			if (err == BT_OK)
				err = exec_plain(st, pragma, "setting the schema version");
		}
		err = bt_store_commit(st, err);
		if (err != BT_OK)
			return err;
		err = user_version(st, &v);
		if (err != BT_OK)
			return err;
	}
	return BT_OK;
}

/* mkdir -p with mode 0700 for the parts it creates. */
static int make_dirs(const char *path, char *errbuf, size_t errlen)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
		snprintf(errbuf, errlen, "%s: path too long", path);
		return BT_ERR_ARG;
	}
	for (char *p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
			snprintf(errbuf, errlen, "%s: cannot create the case store directory: %s", tmp,
				 strerror(errno));
			return BT_ERR_IO;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return BT_OK;
}

int bt_store_open(const char *home, struct bt_store **out, char *errbuf, size_t errlen)
{
	char dir[PATH_MAX];
	*out = NULL;
	if (!home) {
		if (bt_store_home(dir, sizeof dir) != BT_OK) {
			snprintf(errbuf, errlen,
				 "no home for the case store: set BENCHTRIAGE_HOME, XDG_DATA_HOME or HOME");
			return BT_ERR_ARG;
		}
		home = dir;
	}
	int err = make_dirs(home, errbuf, errlen);
	if (err != BT_OK)
		return err;
	struct bt_store *st = bt_xcalloc(1, sizeof *st);
	if (snprintf(st->path, sizeof st->path, "%s/cases.db", home) >= (int)sizeof st->path) {
		snprintf(errbuf, errlen, "%s: path too long", home);
		free(st);
		return BT_ERR_ARG;
	}
	int rc = sqlite3_open_v2(st->path, &st->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err = st->db ? bt_store_fail(st, rc, "opening") : BT_ERR_NOMEM;
		if (!st->db)
			snprintf(st->err, sizeof st->err, "%s: out of memory", st->path);
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	err = exec_plain(st, "PRAGMA foreign_keys=ON", "opening");
	if (err != BT_OK)
		goto fail;
	/* journal_mode answers with the mode in force; anything but wal means we cannot write. */
	sqlite3_stmt *stmt = NULL;
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const unsigned char *mode = sqlite3_column_text(stmt, 0);
		if (!mode || strcmp((const char *)mode, "wal") != 0) {
			snprintf(st->err, sizeof st->err, "%s: cannot switch to WAL (journal mode %s)",
				 st->path, mode ? (const char *)mode : "?");
			sqlite3_finalize(stmt);
			err = BT_ERR_IO;
			goto fail;
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK) {
		err = bt_store_fail(st, rc, "opening");
		goto fail;
	}
	err = exec_plain(st, "PRAGMA synchronous=FULL", "opening");
	if (err == BT_OK)
		err = migrate(st);
	if (err != BT_OK)
		goto fail;
	st->err[0] = '\0';
	*out = st;
	return BT_OK;
fail:
	snprintf(errbuf, errlen, "%s", st->err);
	bt_store_close(st);
	return err;
}

void bt_store_close(struct bt_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

int bt_case_id_parse(const char *s, int64_t *id)
{
	if (!s || !*s)
		return BT_ERR_ARG;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return BT_ERR_ARG;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		return BT_ERR_ARG;
	*id = v;
	return BT_OK;
}

/* --- writes --- */

int bt_store_case_new(struct bt_store *st, const char *label, int64_t *id)
{
	int err = bt_store_exec(st, "new case", "INSERT INTO cases(created, label) VALUES(?, ?)",
				"ds", bt_store_now(), label);
	if (err == BT_OK)
		*id = sqlite3_last_insert_rowid(st->db);
	return err;
}

int bt_store_case_check(struct bt_store *st, int64_t id)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT 1 FROM cases WHERE id=?", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(stmt, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_ROW)
		return BT_OK;
	if (rc == SQLITE_DONE) {
		snprintf(st->err, sizeof st->err, "case %lld: no such case", (long long)id);
		return BT_ERR_DATA;
	}
	return bt_store_fail(st, rc, "looking up a case");
}

int bt_store_case_set(struct bt_store *st, int64_t id, const char *field, const char *value)
{
	static const char *const fields[] = { "board", "product_type", "ecid", "serial", "imei",
					      "udid", "label" };
	const char *col = NULL;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (field && strcmp(field, fields[i]) == 0)
			col = fields[i];
	if (!col) {
		snprintf(st->err, sizeof st->err, "no case field '%s'", field ? field : "(null)");
		return BT_ERR_ARG;
	}
	int err = bt_store_case_check(st, id);
	if (err != BT_OK)
		return err;
	char sql[80];
	snprintf(sql, sizeof sql, "UPDATE cases SET %s=? WHERE id=?", col);
	return bt_store_exec(st, "setting a case field", sql, "si", value, id);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

int bt_store_add_evidence(struct bt_store *st, int64_t id, const struct bt_evidence *e)
{
	if (!e || !e->key || !e->value) {
		snprintf(st->err, sizeof st->err, "evidence without key or value");
		return BT_ERR_ARG;
	}
	return bt_store_exec(st, "adding evidence",
			     "INSERT INTO evidence(case_id, key, value, source, line, time_s, excerpt,"
			     " recorded) VALUES(?,?,?,?,?,?,?,?)",
			     "isssidsd", id, e->key, e->value, nz(e->source), (int64_t)e->line,
			     e->time_s, nz(e->excerpt), bt_store_now());
}

int bt_store_add_evset(struct bt_store *st, int64_t id, const struct bt_evset *set)
{
	size_t n = bt_evset_count(set);
	for (size_t i = 0; i < n; i++) {
		int err = bt_store_add_evidence(st, id, bt_evset_at(set, i));
		if (err != BT_OK)
			return err;
	}
	return BT_OK;
}

/* Text columns hold logs: NUL bytes become spaces and the length is capped. */
static char *clean_text(const char *s, size_t *len)
{
	size_t n = *len > BT_STORE_LOG_MAX ? BT_STORE_LOG_MAX : *len;
	char *copy = bt_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		copy[i] = s[i] ? s[i] : ' ';
	copy[n] = '\0';
	*len = n;
	return copy;
}

/* A named, timed text row of a case (a restore log, a recording): one transaction. */
static int add_text_row(struct bt_store *st, const char *what, const char *sql, int64_t id,
			const char *name, double started, const char *body, size_t len,
			int64_t *row)
{
	char *text = clean_text(body ? body : "", &len);
	int err = bt_store_exec(st, what, sql, "isdt", id, nz(name),
				started < 0 ? bt_store_now() : started, text, len);
	free(text);
	if (err == BT_OK && row)
		*row = sqlite3_last_insert_rowid(st->db);
	return err;
}

int bt_store_add_attempt(struct bt_store *st, int64_t id, const char *name, double started,
			 const char *log, size_t len, int64_t *attempt)
{
	return add_text_row(st, "adding a restore attempt",
			    "INSERT INTO attempts(case_id, name, started, log) VALUES(?,?,?,?)", id,
			    name, started, log, len, attempt);
}

int bt_store_attempt_append(struct bt_store *st, int64_t attempt, const char *text, size_t len)
{
	char *clean = clean_text(text ? text : "", &len);
	int err = bt_store_exec(st, "appending to a restore log",
				"UPDATE attempts SET log = log || substr(?, 1, max(0, ? - length(log)))"
				" WHERE id=?",
				"tii", clean, len, (int64_t)BT_STORE_LOG_MAX, attempt);
	free(clean);
	if (err == BT_OK && sqlite3_changes(st->db) == 0) {
		snprintf(st->err, sizeof st->err, "attempt %lld: no such attempt", (long long)attempt);
		return BT_ERR_DATA;
	}
	return err;
}

int bt_store_add_recording(struct bt_store *st, int64_t id, const char *name, double started,
			   const char *body, size_t len, int64_t *rec)
{
	return add_text_row(st, "adding a recording",
			    "INSERT INTO recordings(case_id, name, started, body) VALUES(?,?,?,?)", id,
			    name, started, body, len, rec);
}

int bt_store_trace_new(struct bt_store *st, int64_t id, const char *name, double started,
		       double rate_hz, int64_t *trace)
{
	int err = bt_store_exec(st, "adding a current trace",
				"INSERT INTO traces(case_id, name, started, rate_hz) VALUES(?,?,?,?)",
				"isdd", id, nz(name), started < 0 ? bt_store_now() : started, rate_hz);
	if (err == BT_OK && trace)
		*trace = sqlite3_last_insert_rowid(st->db);
	return err;
}

int bt_store_trace_add(struct bt_store *st, int64_t trace, const struct bt_sample *s, size_t n)
{
	int err = bt_store_begin(st);
	if (err != BT_OK)
		return err;
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db,
				    "INSERT INTO samples(trace_id, t, current_a, voltage_v) VALUES(?,?,?,?)",
				    -1, &stmt, NULL);
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		sqlite3_bind_int64(stmt, 1, trace);
		sqlite3_bind_double(stmt, 2, s[i].t);
		sqlite3_bind_double(stmt, 3, s[i].current_a);
		sqlite3_bind_double(stmt, 4, s[i].voltage_v);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_DONE)
			rc = sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		err = bt_store_fail(st, rc, "adding trace samples");
	return bt_store_commit(st, err);
}

int bt_store_add_marker(struct bt_store *st, int64_t trace, double t, const char *label)
{
	return bt_store_exec(st, "adding a trace marker",
			     "INSERT INTO markers(trace_id, t, label) VALUES(?,?,?)", "ids", trace, t,
			     nz(label));
}

int bt_store_add_test(struct bt_store *st, int64_t id, const char *test_id, const char *outcome,
		      double started, double finished, const char *note)
{
	if (!test_id || !*test_id || !outcome || !*outcome) {
		snprintf(st->err, sizeof st->err, "a test needs an id and an outcome");
		return BT_ERR_ARG;
	}
	return bt_store_exec(st, "adding a test outcome",
			     "INSERT INTO tests(case_id, test_id, outcome, started, finished, note)"
			     " VALUES(?,?,?,?,?,?)",
			     "issdds", id, test_id, outcome, started, finished, note);
}

int bt_store_add_symptom(struct bt_store *st, int64_t id, const char *symptom)
{
	if (!symptom || !*symptom) {
		snprintf(st->err, sizeof st->err, "empty symptom");
		return BT_ERR_ARG;
	}
	return bt_store_exec(st, "adding a symptom",
			     "INSERT INTO symptoms(case_id, symptom) VALUES(?,?)", "is", id, symptom);
}

int bt_store_add_note(struct bt_store *st, int64_t id, const char *text)
{
	return bt_store_exec(st, "adding a note", "INSERT INTO notes(case_id, at, text) VALUES(?,?,?)",
			     "ids", id, bt_store_now(), nz(text));
}

int bt_store_set_verdict(struct bt_store *st, int64_t id, const char *part, int fixed,
			 const char *note)
{
	if (!part || !*part) {
		snprintf(st->err, sizeof st->err, "a verdict needs a part");
		return BT_ERR_ARG;
	}
	return bt_store_exec(st, "setting the verdict",
			     "INSERT INTO verdicts(case_id, at, part, fixed, note) VALUES(?,?,?,?,?)",
			     "idsis", id, bt_store_now(), part, (int64_t)(fixed ? 1 : 0), note);
}

int bt_store_add_ranking(struct bt_store *st, int64_t id, const char *board, size_t n,
			 const char *const *hyps, const double *probs)
{
	int err = bt_store_begin(st);
	if (err != BT_OK)
		return err;
	double at = bt_store_now(); /* one time stamp groups the ranking */
	for (size_t i = 0; i < n && err == BT_OK; i++)
		err = bt_store_exec(st, "adding a ranking",
				    "INSERT INTO rankings(case_id, at, board, hyp, probability, rank)"
				    " VALUES(?,?,?,?,?,?)",
				    "idssdi", id, at, board, nz(hyps[i]), probs[i], (int64_t)i + 1);
	return bt_store_commit(st, err);
}

int bt_store_check(struct bt_store *st)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &stmt, NULL);
	int ok = 0;
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const unsigned char *r = sqlite3_column_text(stmt, 0);
		ok = r && strcmp((const char *)r, "ok") == 0;
		if (!ok)
			snprintf(st->err, sizeof st->err, "%s: integrity check: %s", st->path,
				 r ? (const char *)r : "?");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_OK)
		return bt_store_fail(st, rc, "integrity check");
	return ok ? BT_OK : BT_ERR_DATA;
}
