/* trace_csv.c — reads `time_s,current_a,voltage_v` traces (as `probe supply --csv` writes them)
 * with bounded lines, then hands them to trace.c. Errors name file:line. */
#include "analysis/trace_csv.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analysis/trace.h"
#include "core/err.h"
#include "core/linereader.h"
#include "supply/numparse.h"

#define LINE_CAP 256

struct csv_ctx {
	struct bt_trace *trace;
	const char *path;
	char *err;
	size_t errlen;
	bool header_seen;
	double last_t;
};

static int fail(struct csv_ctx *x, long line, const char *msg)
{
	snprintf(x->err, x->errlen, "%s:%ld: %s", x->path, line, msg);
	return BT_ERR_DATA;
}

/* Parses one field [s, s+n) as a number; empty allowed when may_be_empty (gives NAN). */
static bool field_num(const char *s, size_t n, bool may_be_empty, double *out)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0) {
		*out = NAN;
		return may_be_empty;
	}
	if (n == 3 && (memcmp(s, "nan", 3) == 0 || memcmp(s, "NaN", 3) == 0)) {
		*out = NAN;
		return may_be_empty;
	}
	return bt_parse_decimal(s, n, out) == n;
}

static int parse_line(struct csv_ctx *x, const char *text, size_t len, long lineno)
{
	if (len == 0 || text[0] == '#')
		return BT_OK;
	if (!x->header_seen) {
		if (strncmp(text, "time_s,current_a", 16) != 0)
			return fail(x, lineno, "expected the header time_s,current_a,voltage_v");
		x->header_seen = true;
		return BT_OK;
	}
	const char *f[4];
	size_t fl[4];
	size_t nf = 0;
	const char *p = text, *end = text + len;
	while (nf < 4) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		f[nf] = p;
		fl[nf] = (size_t)((c ? c : end) - p);
		nf++;
		if (!c)
			break;
		p = c + 1;
	}
	if (nf < 2 || nf > 3)
		return fail(x, lineno, "expected 2 or 3 comma-separated fields");
	double t, i, v = NAN;
	if (!field_num(f[0], fl[0], false, &t) || !isfinite(t) || t < 0)
		return fail(x, lineno, "time_s is not a non-negative number");
	if (!field_num(f[1], fl[1], false, &i) || !isfinite(i) || fabs(i) > 100)
		return fail(x, lineno, "current_a is not a number within +-100 A");
	if (nf == 3 && (!field_num(f[2], fl[2], true, &v) || (!isnan(v) && fabs(v) > 1000)))
		return fail(x, lineno, "voltage_v is not a number (or empty)");
	if (bt_trace_count(x->trace) > 0 && t < x->last_t)
		return fail(x, lineno, "time goes backwards");
	x->last_t = t;
	if (bt_trace_add(x->trace, t, i, v) != BT_OK)
		return fail(x, lineno, "too many samples");
	return BT_OK;
}

static int csv_line(const struct bt_line *line, void *user)
{
	struct csv_ctx *x = user;
	if (line->truncated)
		return fail(x, line->lineno, "line too long");
	return parse_line(x, line->text, line->len, line->lineno);
}

static int finish(struct csv_ctx *x, int rc)
{
	if (rc != BT_OK)
		return rc;
	if (!x->header_seen) {
		snprintf(x->err, x->errlen, "%s:1: empty file, expected the header time_s,current_a,voltage_v",
			 x->path);
		return BT_ERR_DATA;
	}
	if (bt_trace_count(x->trace) == 0) {
		snprintf(x->err, x->errlen, "%s: no samples after the header", x->path);
		return BT_ERR_DATA;
	}
	return BT_OK;
}

int bt_trace_csv_read(const char *path, struct bt_trace *trace, char *errbuf, size_t errlen)
{
	struct csv_ctx x = { trace, path, errbuf, errlen, false, 0 };
	int rc = bt_linereader_file(path, LINE_CAP, csv_line, &x);
	if (rc == BT_ERR_IO) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	return finish(&x, rc);
}

int bt_trace_csv_parse(const char *name, const char *buf, size_t n, struct bt_trace *trace,
		       char *errbuf, size_t errlen)
{
	struct csv_ctx x = { trace, name, errbuf, errlen, false, 0 };
	struct bt_linereader *lr = bt_linereader_new(LINE_CAP, csv_line, &x);
	int rc = bt_linereader_feed(lr, buf, n);
	if (rc == BT_OK)
		rc = bt_linereader_finish(lr);
	bt_linereader_free(lr);
	return finish(&x, rc);
}

int bt_trace_csv_evidence(const char *path, const struct bt_board *board, struct bt_evset *set,
			  char *errbuf, size_t errlen)
{
	struct bt_trace *trace = bt_trace_new();
	int rc = bt_trace_csv_read(path, trace, errbuf, errlen);
	if (rc == BT_OK) {
		struct bt_trace_result r;
		bt_trace_analyze(trace, -1, &r);
		bt_trace_evidence(&r, path, set);
		bt_trace_board_evidence(&r, board, path, set);
	}
	bt_trace_free(trace);
	return rc;
}
