/* report_int.h — what the three report writers share: the context (case, diagnosis, audience,
 * redaction), plain-words tables for customers, and derived facts (what was tested, trace
 * statistics, chart marks). Only src/report/ includes this. */
#ifndef BT_REPORT_REPORT_INT_H
#define BT_REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/redact.h"
#include "report/report.h"

#define REP_LOG_MAX (2u * 1024u * 1024u) /* bytes of one raw log carried in a report */
#define REP_MARKS_MAX 64
#define REP_ITEMS_MAX 32

struct rctx {
	FILE *out;
	const struct bt_case *c;
	const struct bt_diagnosis *d;
	const struct bt_report_opts *o;
	bool customer;
	struct bt_redact *red;
	char **owned;
	size_t nowned, aowned;
};

void rctx_init(struct rctx *r, FILE *out, const struct bt_case *c, const struct bt_diagnosis *d,
	       const struct bt_report_opts *o);
void rctx_done(struct rctx *r);
/* s as the audience may see it (identifiers masked for customers); NULL gives "".
 * The result lives until rctx_done. */
const char *rtext(struct rctx *r, const char *s);
/* An identifier field: whole for technicians, "****1234" for customers; NULL stays NULL. */
const char *rident(struct rctx *r, const char *s);

/* "2026-11-22 02:03:41 UTC", or "unknown" for t < 0. */
void rep_time(double t, char *buf, size_t len);

/* Plain words for a hypothesis id (customer); never NULL. */
const char *rep_hyp_plain(const char *id, const char *title);
/* Below this the leading hypothesis is not stated as "the fault". */
#define REP_CLEAR 0.35
/* Whether a next test erases the phone's data (DFU restore and the like). */
bool rep_erases(const struct bt_next_test *t);
/* Confidence in words for a probability. */
const char *rep_conf_words(double p);
/* Whether the phone starts up: 1 yes, 0 no, -1 unknown (from restore/supply/iboot evidence). */
int rep_boots(const struct bt_case *c);
/* Newest value of an evidence key, or NULL. */
const char *rep_ev(const struct bt_case *c, const char *key);
/* Whether any evidence key starts with prefix. */
bool rep_has_prefix(const struct bt_case *c, const char *prefix);

struct rep_item {
	const char *title;
	const char *detail; /* owned by the context or static */
};
/* What was tested, in plain words. */
size_t rep_tested(struct rctx *r, struct rep_item *items, size_t max);
/* What could not be tested (a phone that does not start cannot run its own functions). */
size_t rep_not_tested(struct rctx *r, struct rep_item *items, size_t max);

struct rep_option {
	const char *id;
	const char *title;
	const char *what;
	const char *risks;
};
/* The options offered to the customer, most relevant first. */
size_t rep_options(struct rctx *r, const struct rep_option **opts, size_t max);

struct rep_trace_stats {
	double duration_s, min_a, max_a, mean_a;
	double rate_hz; /* as recorded, else measured from the samples; 0 when unknown */
};
void rep_trace_stats(const struct bt_case_trace *t, struct rep_trace_stats *s);

struct rep_mark {
	double t;
	const char *label; /* owned by the context or the case */
};
/* Restore steps and markers on trace ti's time axis, sorted by time. */
size_t rep_trace_marks(struct rctx *r, size_t ti, struct rep_mark *marks, size_t max);

/* s with invalid UTF-8 sequences replaced by '?' (reports are UTF-8); the context owns it. */
const char *rep_utf8(struct rctx *r, const char *s);

int bt_report_write_text(struct rctx *r);
int bt_report_write_json(struct rctx *r);
int bt_report_write_html(struct rctx *r);

#endif
