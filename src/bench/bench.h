/* bench.h — one bench session: the phone (recovery probe), the restore log (replay, follow or
 * command), the supply current, the evidence they give, the engine's diagnosis, and the
 * restore attempts guided tests compare. The TUI and the text summary are views of it.
 *
 * Driven from the caller's single poll() loop: bt_bench_pollfds() adds the descriptors it
 * needs (the recovery probe's event pipe, a restore command's pty, the supply's pipe),
 * bt_bench_deadline() says when it wants a call anyway (replay pace, sampling, file
 * follow), and bt_bench_service() does the work and says what changed. Times are seconds on
 * the caller's monotonic clock. Never writes to a phone or a supply.
 *
 * Ownership: the bench owns every source, the evidence and the diagnosis; pointers it hands
 * out are valid until the next service, new-attempt or close call. Nothing here prints. */
#ifndef BT_BENCH_BENCH_H
#define BT_BENCH_BENCH_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "engine/engine.h"
#include "guided/guided.h"
#include "guided/views.h"

struct bt_bench_opts {
	bool demo;               /* simulated bench: recorded phone, simulated supply, real log */
	const char *demo_dir;    /* NULL: $BENCHTRIAGE_DEMO, else tests/data/demo beside the
				    executable or under the current directory */
	const char *argv0;       /* to find the demo data beside the executable */
	const char *log_path;    /* follow this file */
	char *const *run_argv;   /* or run this restore command under a pty */
	const char *recording;   /* replay this recovery session instead of the USB bus */
	const char *supply_port; /* a supply or meter port */
	const char *supply_driver;
	const char *supply_profile; /* SCPI profile for the supply */
	unsigned supply_baud;       /* the supply's line speed, 0: its family's own */
	const char *board;       /* profile name, board config or product type; NULL: detect */
	const char *case_id;     /* record into this case when the store is available */
	double speed;            /* replay pace multiplier (0 = 1) */
};

/* What changed in a service call. */
enum {
	BT_BENCH_PHONE = 1 << 0,
	BT_BENCH_LOG = 1 << 1,
	BT_BENCH_SUPPLY = 1 << 2,
	BT_BENCH_DIAG = 1 << 3,
	BT_BENCH_ATTEMPT_END = 1 << 4, /* the current attempt reached a verdict or its source ended */
	BT_BENCH_STATUS = 1 << 5
};

struct bt_bench;

/* BT_OK, BT_ERR_IO / BT_ERR_DATA (a named input is unreadable or malformed: errbuf says which,
 * as "file:line: message" when it can), BT_ERR_NODEV (a named port cannot be opened). */
int bt_bench_open(struct bt_bench **out, const struct bt_bench_opts *o, double now,
		  char *errbuf, size_t errlen);
void bt_bench_close(struct bt_bench *b);

/* True when a live source (a phone answering on USB) was found; used to choose the demo. */
bool bt_bench_phone_attached(void);

size_t bt_bench_pollfds(const struct bt_bench *b, struct pollfd *fds, size_t max);
double bt_bench_deadline(const struct bt_bench *b); /* absolute; < 0 none */
unsigned bt_bench_service(struct bt_bench *b, const struct pollfd *fds, size_t nfds, double now);
/* Runs every replayed source to its end at once (the one-shot text summary). */
void bt_bench_drain(struct bt_bench *b, double now);

/* ---- views ------------------------------------------------------------------------- */
void bt_bench_phone_view(const struct bt_bench *b, struct bt_phone_in *in);
void bt_bench_restore_view(const struct bt_bench *b, struct bt_restore_in *in);
void bt_bench_chart_view(const struct bt_bench *b, double now, struct bt_chart_in *in);
const struct bt_diagnosis *bt_bench_diagnosis(const struct bt_bench *b); /* NULL before any */
const char *bt_bench_board_title(const struct bt_bench *b);            /* NULL when unknown */
const struct bt_evset *bt_bench_evidence(const struct bt_bench *b);    /* everything */
const struct bt_lines *bt_bench_lines(const struct bt_bench *b);
const struct bt_restore *bt_bench_restore(const struct bt_bench *b);   /* NULL before a line */
bool bt_bench_simulated(const struct bt_bench *b);
const char *bt_bench_status(const struct bt_bench *b); /* last notable problem, or "" */
const char *bt_bench_describe(const struct bt_bench *b); /* "demo bench", "bench: ..." */
/* True while a restore command started by the bench is still running (closing the bench
 * would stop it). */
bool bt_bench_command_running(const struct bt_bench *b);

/* ---- attempts and guided tests ------------------------------------------------------ */
/* The current attempt as the guided tests see it. */
void bt_bench_attempt(const struct bt_bench *b, double now, struct bt_attempt *out);
int bt_bench_attempt_index(const struct bt_bench *b); /* 0 = A */
/* Starts a new restore attempt: a replay starts over (the demo replays attempt B), a command
 * runs again, a followed file continues; the supply trace starts a new segment. */
int bt_bench_new_attempt(struct bt_bench *b, double now, char *errbuf, size_t errlen);
/* Guided tests for the board in view, the engine's ranked next tests first, then the
 * remaining ones of the profile, then the built-ins. At most max. */
size_t bt_bench_tests(const struct bt_bench *b, const struct bt_guided_def **defs, size_t max);
/* Records a finished run: evidence (test.<id>, symptom.*), the case store when a case is
 * open, and a new diagnosis. BT_OK, BT_ERR_NA (run not done), BT_ERR_IO (store). */
int bt_bench_record(struct bt_bench *b, const struct bt_guided *g, double now);

#endif
