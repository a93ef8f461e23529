/* case_data.h — a loaded case: a read-only snapshot of everything the store holds for one
 * phone, in recording order. Filled by bt_store_load (or bt_case_new for packs and tests);
 * the struct owns every string and array in it; bt_case_free releases all. Reports and stats
 * read it; nothing here touches SQLite. */
#ifndef BT_STORE_CASE_DATA_H
#define BT_STORE_CASE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "core/evidence.h"
#include "store/store.h"

struct bt_case_attempt {
	int64_t id;
	char *name;     /* the log's file name */
	double started; /* unix time, < 0 unknown */
	char *log;      /* raw bytes, NUL-terminated (NULs inside replaced by spaces) */
	size_t len;
};

struct bt_case_recording {
	int64_t id;
	char *name;
	double started;
	char *body;
	size_t len;
};

struct bt_case_marker {
	double t;
	char *label;
};

struct bt_case_trace {
	int64_t id;
	char *name;
	double started;
	double rate_hz;
	size_t nsamples;
	struct bt_sample *samples;
	size_t nmarkers;
	struct bt_case_marker *markers;
};

struct bt_case_test {
	char *test_id;
	char *outcome;
	double started, finished;
	char *note;
};

struct bt_case_note {
	double at;
	char *text;
};

struct bt_case_ranking {
	char *board;
	char *hyp;
	double probability;
	int rank;
};

struct bt_case {
	int64_t id;
	double created;
	char *label;
	/* identity; NULL when unknown */
	char *board, *product_type, *ecid, *serial, *imei, *udid;
	struct bt_evset *evidence;    /* every evidence item, in order */
	size_t nattempts;
	struct bt_case_attempt *attempts;
	size_t nrecordings;
	struct bt_case_recording *recordings;
	size_t ntraces;
	struct bt_case_trace *traces;
	size_t ntests;
	struct bt_case_test *tests;
	size_t nsymptoms;
	char **symptoms;
	size_t nnotes;
	struct bt_case_note *notes;
	size_t nrankings;
	struct bt_case_ranking *rankings; /* the latest analysis' ranking, rank order */
	/* verdict: part NULL when none */
	char *verdict_part;
	int verdict_fixed;
	char *verdict_note;
	double verdict_at;
};

struct bt_case *bt_case_new(void);
void bt_case_free(struct bt_case *c);

/* Builders used by the loader and by packs (copies every string). */
struct bt_case_attempt *bt_case_push_attempt(struct bt_case *c);
struct bt_case_recording *bt_case_push_recording(struct bt_case *c);
struct bt_case_trace *bt_case_push_trace(struct bt_case *c);
void bt_case_trace_push_sample(struct bt_case_trace *t, const struct bt_sample *s);
void bt_case_trace_push_marker(struct bt_case_trace *t, double at, const char *label);
struct bt_case_test *bt_case_push_test(struct bt_case *c);
void bt_case_push_symptom(struct bt_case *c, const char *symptom);
void bt_case_push_note(struct bt_case *c, double at, const char *text);
void bt_case_push_ranking(struct bt_case *c, const char *board, const char *hyp, double p, int rank);

#endif
