/* store.h — the case store: one SQLite database under $BENCHTRIAGE_HOME (default
 * $XDG_DATA_HOME/benchtriage, else ~/.local/share/benchtriage), file cases.db.
 *
 * A case is one phone on the bench. Everything recorded for it — restore attempts with their
 * raw logs, evidence items, recovery recordings, current traces, guided tests, symptoms, notes,
 * the technician's verdict — is written through this handle, each item in its own committed
 * transaction (WAL, synchronous=FULL), so killing the process at any moment loses nothing a
 * call already returned BT_OK for. A full disk or a read-only home makes the call return
 * BT_ERR_IO with a one-line reason in the handle's error text; SQLite's journal keeps the
 * file consistent.
 *
 * Ownership: the handle owns its connection; strings passed in are copied by SQLite.
 * Case ids are positive integers, printed in decimal. Nothing here prints. */
#ifndef BT_STORE_STORE_H
#define BT_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/evidence.h"

#define BT_STORE_SCHEMA_VERSION 1
#define BT_STORE_LOG_MAX (32u * 1024u * 1024u) /* bytes of one raw log or recording kept */

struct bt_store; /* opaque */

/* The store's home directory: $BENCHTRIAGE_HOME, $XDG_DATA_HOME/benchtriage or
 * $HOME/.local/share/benchtriage. Writes it into buf; BT_ERR_ARG when none can be found. */
int bt_store_home(char *buf, size_t len);

/* Opens (creating the directory and database when missing, migrating an older schema) the
 * store in `home`, or in bt_store_home() when home is NULL. On failure *out is NULL and
 * errbuf says why: BT_ERR_IO (cannot create/write: read-only, full, permissions),
 * BT_ERR_DATA (not a benchtriage store, or made by a newer version). */
int bt_store_open(const char *home, struct bt_store **out, char *errbuf, size_t errlen);
void bt_store_close(struct bt_store *st);
/* The reason of the last failure on this handle ("" when none). */
const char *bt_store_error(const struct bt_store *st);

/* --- writes: each is one committed transaction --- */

/* A new case; *id receives its id. label may be NULL. */
int bt_store_case_new(struct bt_store *st, const char *label, int64_t *id);
/* BT_OK if the case exists, BT_ERR_DATA (with error text) if not. */
int bt_store_case_check(struct bt_store *st, int64_t id);

/* Device identity fields: "board", "product_type", "ecid", "serial", "imei", "udid",
 * "label". value NULL clears. */
int bt_store_case_set(struct bt_store *st, int64_t id, const char *field, const char *value);

int bt_store_add_evidence(struct bt_store *st, int64_t id, const struct bt_evidence *e);
/* Each item of the set in its own transaction (stops at the first failure). */
int bt_store_add_evset(struct bt_store *st, int64_t id, const struct bt_evset *set);

/* A restore attempt with its raw log (len bytes, capped at BT_STORE_LOG_MAX). started is unix
 * time (seconds) or < 0 for now. name: the log's file name. *attempt may be NULL. */
int bt_store_add_attempt(struct bt_store *st, int64_t id, const char *name, double started,
			 const char *log, size_t len, int64_t *attempt);
/* Appends text to an attempt's log (a live restore), one transaction per call. */
int bt_store_attempt_append(struct bt_store *st, int64_t attempt, const char *text, size_t len);

/* A recovery/DFU recording (the probe's session file). */
int bt_store_add_recording(struct bt_store *st, int64_t id, const char *name, double started,
			   const char *body, size_t len, int64_t *rec);

/* A current trace; samples are added in batches (one transaction per batch). */
struct bt_sample {
	double t;         /* seconds since the trace started */
	double current_a; /* amperes */
	double voltage_v; /* volts, < 0 when unknown */
};
int bt_store_trace_new(struct bt_store *st, int64_t id, const char *name, double started,
		       double rate_hz, int64_t *trace);
int bt_store_trace_add(struct bt_store *st, int64_t trace, const struct bt_sample *s, size_t n);
/* A labelled moment on a trace's time axis (a restore step reached, a button press). */
int bt_store_add_marker(struct bt_store *st, int64_t trace, double t, const char *label);

/* A guided test and its outcome; started/finished are unix times (< 0: unknown). */
int bt_store_add_test(struct bt_store *st, int64_t id, const char *test_id, const char *outcome,
		      double started, double finished, const char *note);
int bt_store_add_symptom(struct bt_store *st, int64_t id, const char *symptom);
int bt_store_add_note(struct bt_store *st, int64_t id, const char *text);
/* The technician's verdict after the repair: which part, fixed or not. The newest counts. */
int bt_store_set_verdict(struct bt_store *st, int64_t id, const char *part, int fixed,
			 const char *note);
/* The engine's ranking at the time of an analysis, n hypotheses most probable first, in one
 * transaction (kept for history; reports re-score). */
int bt_store_add_ranking(struct bt_store *st, int64_t id, const char *board, size_t n,
			 const char *const *hyps, const double *probs);

/* --- reads --- */

struct bt_case_summary {
	int64_t id;
	double created;
	char label[128];
	char board[64];
	char product_type[64];
	long nevidence, nattempts;
	char verdict_part[64]; /* "" when none */
	int verdict_fixed;     /* 1 yes, 0 no, -1 no verdict */
};
/* Calls cb for every case, newest first; cb returns non-zero to stop. */
int bt_store_list(struct bt_store *st, int (*cb)(const struct bt_case_summary *c, void *user),
		  void *user);

struct bt_case; /* case_data.h: a loaded snapshot */
/* Loads everything of one case. BT_ERR_DATA when there is no such case. */
int bt_store_load(struct bt_store *st, int64_t id, struct bt_case **out);

/* Ids of every case with a verdict (for stats); caller frees *ids. */
int bt_store_verdict_cases(struct bt_store *st, int64_t **ids, size_t *n);

/* Runs PRAGMA integrity_check; BT_OK when "ok". */
int bt_store_check(struct bt_store *st);

/* Parses a case id argument ("12"); BT_ERR_ARG when not a positive decimal number. */
int bt_case_id_parse(const char *s, int64_t *id);

#endif
