/* bench.c — the bench session: sources in, evidence, attempts and a diagnosis out. */
#include "bench/bench.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/logsrc.h"
#include "bench/supply_feed.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "engine/board.h"
#include "analysis/trace.h"
#include "logs/logscan.h"
#include "recovery/interpret.h"
#include "recovery/recovery.h"
#include "recovery/usb_present.h"
#include "store/store.h"
#include "supply/sim.h"

#define LINES_KEPT 5000
#define SERIES_CAP 20000     /* samples kept for the chart (about 30 min at 10 Hz) */
#define MARKS_MAX 64
#define DEFS_MAX 16
#define PHONE_RETRY_S 2.0    /* look for a phone on USB this often */
#define TRACE_REANALYSE_S 2.0 /* re-read the current trace this often while it grows */
#define DIAG_DEBOUNCE_S 0.3  /* re-run the engine at most this often */
#define CHART_WINDOW_S 60.0
#define DEMO_ATTEMPT_MAX_S 30.0 /* the demo compresses a long log to this, keeping proportions */
#define RAWLOG_CAP (4u * 1024u * 1024u) /* bytes of one attempt's log kept for the case */

struct bt_bench {
	struct bt_bench_opts o;
	bool demo;
	double t_open; /* evidence times are seconds since the bench opened */
	char demo_a[PATH_MAX], demo_b[PATH_MAX], demo_rec[PATH_MAX];
	char describe[160];
	char status[200];

	/* boards */
	struct bt_boards *boards;
	const struct bt_board *board;
	bool board_fixed;

	/* phone */
	struct bt_recovery *rec;
	bool rec_replay, rec_connected;
	double rec_next_try;
	struct bt_evset *phone_ev;
	char phone_status[160];

	/* restore log */
	struct bt_logsrc *log;
	struct bt_logscan *scan;
	struct bt_lines *lines;
	bool scanned;           /* a line of this attempt was fed */
	size_t steps_marked;
	bool fail_marked;
	int attempt;
	double attempt_t0, attempt_t1; /* start, and end once the attempt ended */
	struct bt_evset *failed_ev;    /* restore evidence of the newest earlier failed attempt */
	bool attempt_end_sent;

	/* supply */
	struct bt_supply_sim *sim;
	struct bt_supply_feed *feed;
	char supply_src[96];
	double res_ma;
	struct bt_series series;
	struct bt_mark marks[MARKS_MAX];
	size_t nmarks;
	double attempt_peak_ma, attempt_sum_ma;
	size_t attempt_samples;
	struct bt_trace *trace;          /* this attempt's current, times from its start */
	struct bt_trace_result trace_res;
	bool trace_analysed;
	double trace_due;                /* next time new samples re-run the analysis */

	/* evidence and diagnosis */
	struct bt_evset *tech_ev; /* tests and symptoms the technician confirmed */
	struct bt_evset *all_ev;
	struct bt_diagnosis *diag;
	bool dirty;
	double diag_due;

	/* the case store, when a case is open */
	struct bt_store *store;
	int64_t case_id;
	struct bt_strbuf rawlog;  /* this attempt's log as read, for the case (capped) */
	double attempt_wall;      /* unix time the attempt started */
	/* What of this attempt is already in the case: written as it arrives, so a crash or a
	 * pulled plug loses nothing that was on screen. */
	int64_t st_att, st_tr;    /* attempt and trace rows, 0 until created */
	size_t st_log_done;       /* bytes of rawlog appended */
	struct bt_sample st_batch[256];
	size_t st_nbatch;         /* samples waiting for the next flush */
	bool phone_stored;

	/* guided-test definitions built from the profile */
	struct bt_guided_def defs[DEFS_MAX];
	size_t ndefs;
};

static void store_phone(struct bt_bench *b);

static bool is_file(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void set_status(struct bt_bench *b, const char *what, const char *detail)
{
	snprintf(b->status, sizeof b->status, "%s%s", what, detail ? detail : "");
}

/* ---- demo data ---------------------------------------------------------------------- */

static bool try_demo_dir(struct bt_bench *b, const char *dir)
{
	if (!dir || !*dir)
		return false;
	char a[PATH_MAX];
	if ((size_t)snprintf(a, sizeof a, "%s/attempt-a.log", dir) >= sizeof a || !is_file(a))
		return false;
	snprintf(b->demo_a, sizeof b->demo_a, "%s", a);
	snprintf(b->demo_b, sizeof b->demo_b, "%s/attempt-b.log", dir);
	snprintf(b->demo_rec, sizeof b->demo_rec, "%s/phone.rec", dir);
	return true;
}

static bool find_demo(struct bt_bench *b)
{
	if (try_demo_dir(b, b->o.demo_dir) || try_demo_dir(b, getenv("BENCHTRIAGE_DEMO")))
		return true;
	/* Beside the executable (and up to two levels up, for a binary in a build directory). */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 && b->o.argv0 && strchr(b->o.argv0, '/') && realpath(b->o.argv0, exe))
		n = (ssize_t)strlen(exe);
	if (n > 0) {
		exe[n] = 0;
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = 0;
			char dir[PATH_MAX + 32];
			snprintf(dir, sizeof dir, "%s/tests/data/demo", exe);
			if (try_demo_dir(b, dir))
				return true;
		}
	}
	return try_demo_dir(b, "tests/data/demo");
}

/* ---- boards and the engine --------------------------------------------------------- */

static unsigned parse_hex(const char *s)
{
	return s ? (unsigned)strtoul(s, NULL, 0) : 0;
}

static void build_defs(struct bt_bench *b)
{
	b->ndefs = 0;
	size_t n = b->boards ? bt_board_test_count(b->boards, b->board) : 0;
	for (size_t i = 0; i < n && b->ndefs < DEFS_MAX - 1; i++) {
		const struct bt_guided_test *t = bt_board_test_at(b->boards, b->board, i);
		if (t && t->id)
			bt_guided_def_from_board(t, &b->defs[b->ndefs++]);
	}
	const struct bt_symptom *sym[BT_GUIDED_MAX_ITEMS];
	size_t ns = b->boards ? bt_board_symptom_count(b->boards, b->board) : 0;
	size_t k = 0;
	for (size_t i = 0; i < ns && k < BT_GUIDED_MAX_ITEMS; i++) {
		const struct bt_symptom *s = bt_board_symptom_at(b->boards, b->board, i);
		if (s && s->id)
			sym[k++] = s;
	}
	if (b->ndefs < DEFS_MAX)
		bt_guided_def_checklist(sym, k, &b->defs[b->ndefs++]);
}

static void pick_board(struct bt_bench *b)
{
	if (b->board_fixed || !b->boards)
		return;
	const struct bt_board *found = NULL;
	const char *cpid = bt_evset_value(b->all_ev, "iboot.cpid");
	const char *bdid = bt_evset_value(b->all_ev, "iboot.bdid");
	if (cpid && bdid)
		found = bt_boards_find_chip(b->boards, parse_hex(cpid), parse_hex(bdid));
	const char *prod = bt_evset_value(b->all_ev, "device.product_type");
	if (!found && prod)
		found = bt_boards_find(b->boards, prod);
	if (found != b->board) {
		b->board = found;
		build_defs(b);
	}
}

static void analyse_trace(struct bt_bench *b)
{
	b->trace_analysed = b->trace && bt_trace_count(b->trace) > 0;
	if (!b->trace_analysed)
		return;
	const struct bt_supply_info *info = b->feed ? bt_supply_feed_info(b->feed) : NULL;
	bt_trace_analyze(b->trace, info ? info->limit_a : -1, &b->trace_res);
}

/* Evidence of the current attempt: its log and its current trace. */
static void attempt_evidence(struct bt_bench *b, struct bt_evset *set)
{
	if (b->scanned)
		bt_logscan_evidence(b->scan, set);
	if (b->trace_analysed)
		bt_trace_evidence(&b->trace_res, b->sim ? "supply (simulated)" : "supply", set);
}

static void rebuild(struct bt_bench *b)
{
	bt_evset_free(b->all_ev);
	b->all_ev = bt_evset_new();
	bt_evset_merge(b->all_ev, b->phone_ev);
	/* The restore and supply evidence is the newest failure's: a retry made for a guided test
	 * that passes does not erase the failure under diagnosis (the test's evidence says that). */
	analyse_trace(b);
	const struct bt_restore *cur = b->scanned ? bt_logscan_result(b->scan) : NULL;
	if ((cur && cur->outcome == BT_OUTCOME_FAILED) || !b->failed_ev)
		attempt_evidence(b, b->all_ev);
	else
		bt_evset_merge(b->all_ev, b->failed_ev);
	bt_evset_merge(b->all_ev, b->tech_ev);
	pick_board(b);
	bt_diagnosis_free(b->diag);
	b->diag = bt_engine_run(b->boards, b->board, b->all_ev);
	b->dirty = false;
}

/* ---- phone -------------------------------------------------------------------------- */

static void phone_evidence(struct bt_bench *b)
{
	bt_evset_free(b->phone_ev);
	b->phone_ev = bt_evset_new();
	const struct bt_rec_session *s = bt_recovery_session(b->rec);
	if (s && s->has_info)
		bt_rec_evidence(s, bt_rec_resolver_default(),
				b->rec_replay ? (b->o.recording ? b->o.recording : b->demo_rec)
					      : "recovery",
				b->phone_ev);
	b->dirty = true;
	store_phone(b);
}

/* The bench's own restore (--run) is under way: the phone belongs to it. Reading the phone
 * then (an open, an interface claim, getenv requests) could make the restore fail. */
static bool restore_running(const struct bt_bench *b)
{
	return b->log && bt_logsrc_kind(b->log) == BT_LOGSRC_COMMAND && !bt_logsrc_ended(b->log);
}

static unsigned phone_try(struct bt_bench *b, double now)
{
	b->rec_next_try = now + PHONE_RETRY_S;
	if (bt_recovery_connect(b->rec) != BT_OK) {
		/* the kernel sees a phone that cannot be opened: say that, not "waiting" */
		static const char blocked[] =
			"a phone is on USB but cannot be opened (permissions? another tool?)";
		if (!b->rec_replay && bt_usb_recovery_present(NULL) == 1 &&
		    strcmp(b->phone_status, blocked) != 0) {
			snprintf(b->phone_status, sizeof b->phone_status, "%s", blocked);
			return BT_BENCH_PHONE;
		}
		return 0;
	}
	int rc = bt_recovery_read(b->rec);
	if (rc == BT_OK) {
		b->rec_connected = true;
		snprintf(b->phone_status, sizeof b->phone_status, "%s",
			 b->rec_replay ? "replaying a recorded recovery session" : "connected (USB)");
		bt_recovery_watch(b->rec);
	} else if (rc == BT_ERR_GONE) {
		snprintf(b->phone_status, sizeof b->phone_status, "the phone stopped answering");
	}
	phone_evidence(b);
	return BT_BENCH_PHONE;
}

static unsigned phone_events(struct bt_bench *b, double now)
{
	unsigned changed = 0;
	if (bt_recovery_handle(b->rec) < 0)
		return 0;
	struct bt_rec_event ev;
	while (bt_recovery_next_event(b->rec, &ev)) {
		changed |= BT_BENCH_PHONE;
		switch (ev.type) {
		case BT_REC_EV_LEAVE:
			snprintf(b->phone_status, sizeof b->phone_status,
				 "the phone left USB at %.1f s", ev.t);
			break;
		case BT_REC_EV_ARRIVE:
		case BT_REC_EV_MODE:
			snprintf(b->phone_status, sizeof b->phone_status, "%s at %.1f s",
				 bt_rec_mode_name(ev.mode), ev.t);
			if (!b->rec_replay && restore_running(b)) {
				snprintf(b->phone_status, sizeof b->phone_status,
					 "%s at %.1f s (not read while the restore runs)",
					 bt_rec_mode_name(ev.mode), ev.t);
			} else if (!b->rec_replay) {
				int rc = bt_recovery_read(b->rec);
				if (rc != BT_OK) {
					/* Not answering yet, or gone again: phone_try reads it once
					 * it answers; until then the pane says so rather than
					 * showing the previous phone's values as current. */
					b->rec_connected = false;
					b->rec_next_try = now + 0.5;
					snprintf(b->phone_status, sizeof b->phone_status,
						 "%s at %.1f s, not answering yet (%s); retrying",
						 bt_rec_mode_name(ev.mode), ev.t, bt_strerror(rc));
				}
			}
			break;
		case BT_REC_EV_END:
			snprintf(b->phone_status, sizeof b->phone_status,
				 "recording ended (replayed)");
			break;
		}
	}
	if (changed)
		phone_evidence(b);
	return changed;
}

bool bt_bench_phone_attached(void)
{
	struct bt_recovery *h = NULL;
	struct bt_recovery_opts ro = { NULL };
	char err[128];
	if (bt_recovery_new(&h, &ro, err, sizeof err) != BT_OK)
		return false;
	bool found = bt_recovery_connect(h) == BT_OK;
	bt_recovery_close(h);
	return found;
}

/* ---- restore log -------------------------------------------------------------------- */

static void store_mark(struct bt_bench *b, const struct bt_mark *m)
{
	if (b->store && b->st_tr && m->t >= b->attempt_t0)
		if (bt_store_add_marker(b->store, b->st_tr, m->t - b->attempt_t0, m->label) != BT_OK)
			set_status(b, "case store: ", bt_store_error(b->store));
}

static void add_mark(struct bt_bench *b, double t, const char *label, bool failed)
{
	if (b->nmarks == MARKS_MAX) {
		memmove(b->marks, b->marks + 1, (MARKS_MAX - 1) * sizeof *b->marks);
		b->nmarks--;
	}
	struct bt_mark *m = &b->marks[b->nmarks++];
	m->t = t;
	m->failed = failed;
	snprintf(m->label, sizeof m->label, "%s", label ? label : "?");
	store_mark(b, m);
}

static const char *base_name(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p ? p : "";
}

/* Into the case as it happens (one transaction per call): the attempt's log as it grows, its
 * current trace in batches with the checkpoints on it, and at the end the evidence they gave.
 * A store failure shows on the status line; the bench goes on. */
static bool store_ok(struct bt_bench *b, int rc)
{
	if (rc != BT_OK)
		set_status(b, "case store: ", bt_store_error(b->store));
	return rc == BT_OK;
}

static bool store_attempt_row(struct bt_bench *b)
{
	if (!b->store)
		return false;
	if (!b->st_att && !store_ok(b, bt_store_add_attempt(b->store, b->case_id,
							    b->log ? base_name(bt_logsrc_name(b->log))
								   : "no restore log",
							    b->attempt_wall, "", 0, &b->st_att)))
		return false;
	return true;
}

static bool store_trace_row(struct bt_bench *b)
{
	if (b->st_tr)
		return true;
	if (!store_attempt_row(b))
		return false;
	double rate = b->feed ? bt_supply_feed_rate(b->feed) : -1;
	if (!store_ok(b, bt_store_trace_new(b->store, b->case_id, b->supply_src, b->attempt_wall,
					    rate, &b->st_tr)))
		return false;
	for (size_t i = 0; i < b->nmarks; i++) /* the checkpoints seen before the first sample */
		store_mark(b, &b->marks[i]);
	return true;
}

static void store_flush(struct bt_bench *b)
{
	if (!b->store)
		return;
	if (b->rawlog.len > b->st_log_done && store_attempt_row(b) &&
	    store_ok(b, bt_store_attempt_append(b->store, b->st_att, b->rawlog.data + b->st_log_done,
						b->rawlog.len - b->st_log_done)))
		b->st_log_done = b->rawlog.len;
	if (b->st_nbatch && store_trace_row(b)) {
		store_ok(b, bt_store_trace_add(b->store, b->st_tr, b->st_batch, b->st_nbatch));
		b->st_nbatch = 0;
	}
}

static void store_attempt(struct bt_bench *b)
{
	if (!b->store)
		return;
	store_flush(b);
	struct bt_evset *ev = bt_evset_new();
	analyse_trace(b);
	attempt_evidence(b, ev);
	store_ok(b, bt_store_add_evset(b->store, b->case_id, ev));
	bt_evset_free(ev);
}

static void store_phone(struct bt_bench *b)
{
	if (!b->store || b->phone_stored || !bt_evset_value(b->phone_ev, "iboot.mode"))
		return;
	b->phone_stored = true;
	if (bt_store_add_evset(b->store, b->case_id, b->phone_ev) != BT_OK)
		set_status(b, "case store: ", bt_store_error(b->store));
}

struct line_ctx {
	struct bt_bench *b;
	double now;
};

static int on_line(const struct bt_line *line, void *user)
{
	struct line_ctx *c = user;
	struct bt_bench *b = c->b;
	if (!b->scanned) {
		bt_logscan_begin(b->scan, bt_logsrc_name(b->log));
		b->scanned = true;
	}
	/* A tool run under a pty colours its output; the scanner and the screen get plain text,
	 * the case keeps the line as it came. */
	char clean[BT_LOGSRC_LINE_CAP + 1];
	struct bt_line plain = *line;
	if (memchr(line->text, 0x1B, line->len)) {
		plain.len = bt_strip_escapes(line->text, clean, sizeof clean);
		plain.text = clean;
	}
	bt_lines_push(b->lines, plain.text, plain.lineno);
	bt_logscan_line(b->scan, &plain);
	if (b->store) {
		bt_strbuf_append(&b->rawlog, line->text, line->len);
		bt_strbuf_append(&b->rawlog, "\n", 1);
	}
	/* New timeline steps become checkpoints on the chart, at the time they were seen. */
	const struct bt_restore *r = bt_logscan_result(b->scan);
	if (r->nsteps < b->steps_marked)
		b->steps_marked = 0; /* the bounded timeline dropped old steps */
	for (size_t i = b->steps_marked; i < r->nsteps; i++)
		add_mark(b, c->now, r->steps[i].name, r->steps[i].state == BT_STEP_FAILED);
	b->steps_marked = r->nsteps;
	if (!b->fail_marked && r->outcome == BT_OUTCOME_FAILED) {
		add_mark(b, c->now, r->failed_step.name ? r->failed_step.name : "failed", true);
		b->fail_marked = true;
	}
	return BT_OK;
}

static bool attempt_finished(const struct bt_bench *b)
{
	if (!b->log)
		return false;
	if (bt_logsrc_ended(b->log))
		return true;
	if (bt_logsrc_kind(b->log) != BT_LOGSRC_FOLLOW || !b->scanned)
		return false;
	const struct bt_restore *r = bt_logscan_result(b->scan);
	return r->outcome == BT_OUTCOME_FAILED || r->outcome == BT_OUTCOME_SUCCEEDED;
}

static unsigned log_service(struct bt_bench *b, double now, bool drain)
{
	if (!b->log)
		return 0;
	unsigned long before = bt_lines_total(b->lines);
	struct line_ctx c = { b, now };
	if (drain)
		bt_logsrc_drain(b->log, on_line, &c);
	else
		bt_logsrc_service(b->log, now, on_line, &c);
	unsigned changed = 0;
	if (bt_lines_total(b->lines) != before) {
		changed |= BT_BENCH_LOG;
		b->dirty = true;
	}
	if (!b->attempt_end_sent && attempt_finished(b)) {
		b->attempt_end_sent = true;
		b->attempt_t1 = now;
		if (b->scanned)
			bt_logscan_end(b->scan);
		store_attempt(b);
		changed |= BT_BENCH_ATTEMPT_END | BT_BENCH_LOG;
		b->dirty = true;
	}
	return changed;
}

/* ---- supply ------------------------------------------------------------------------- */

static void add_sample(struct bt_bench *b, double t, double ma)
{
	bt_series_push(&b->series, t, ma);
	if (b->trace && t >= b->attempt_t0)
		bt_trace_add(b->trace, t - b->attempt_t0, ma / 1000.0, NAN);
	if (ma > b->attempt_peak_ma)
		b->attempt_peak_ma = ma;
	b->attempt_sum_ma += ma;
	b->attempt_samples++;
	if (b->store && t >= b->attempt_t0) {
		if (b->st_nbatch == sizeof b->st_batch / sizeof b->st_batch[0])
			store_flush(b);
		b->st_batch[b->st_nbatch++] = (struct bt_sample){ t - b->attempt_t0, ma / 1000.0, -1 };
	}
}

static unsigned supply_service(struct bt_bench *b)
{
	if (!b->feed)
		return 0;
	struct bt_feed_sample s[256];
	size_t n, total = 0;
	while ((n = bt_supply_feed_take(b->feed, s, 256)) > 0) {
		for (size_t i = 0; i < n; i++)
			add_sample(b, s[i].t, s[i].current_a * 1000.0);
		total += n;
	}
	static const char gone[] = "supply stopped answering, retrying: ";
	if (!bt_supply_feed_alive(b->feed))
		set_status(b, gone, b->supply_src);
	else if (strncmp(b->status, gone, sizeof gone - 1) == 0)
		b->status[0] = 0; /* it came back */
	return total ? BT_BENCH_SUPPLY : 0;
}

static int supply_start(struct bt_bench *b, const char *port, const struct bt_supply_opts *so,
			char *err, size_t errlen)
{
	int rc = bt_supply_feed_start(&b->feed, port, so, err, errlen);
	if (rc != BT_OK)
		return rc;
	const struct bt_supply_info *info = bt_supply_feed_info(b->feed);
	b->res_ma = info ? info->resolution_a * 1000.0 : -1;
	snprintf(b->supply_src, sizeof b->supply_src, "%s%s%s", info ? info->model : "supply",
		 b->sim ? "" : " on ", b->sim ? "" : port);
	return BT_OK;
}

/* The demo supply: a simulator on a pty, read through the real driver. Scenario by attempt:
 * A draws like a boot loop, B like a normal boot (simulation data). */
static int demo_supply(struct bt_bench *b, char *err, size_t errlen)
{
	bt_supply_feed_stop(b->feed);
	b->feed = NULL;
	bt_supply_sim_stop(b->sim);
	b->sim = NULL;
	const char *path = NULL;
	enum bt_scenario scn = b->attempt == 0 ? BT_SCN_BOOTLOOP : BT_SCN_NORMAL;
	int rc = bt_supply_sim_start("korad", scn, 0, &b->sim, &path);
	if (rc != BT_OK) {
		snprintf(err, errlen, "supply simulator: %s", bt_strerror(rc));
		return rc;
	}
	struct bt_supply_opts so = { "korad", NULL, 0 };
	return supply_start(b, bt_supply_sim_path(b->sim), &so, err, errlen);
}

/* A demo attempt keeps its own rhythm but lasts at most DEMO_ATTEMPT_MAX_S at speed 1. */
static void demo_pace(struct bt_bench *b)
{
	double base = b->o.speed > 0 ? b->o.speed : 1;
	double need = bt_logsrc_remaining(b->log) / DEMO_ATTEMPT_MAX_S;
	bt_logsrc_set_speed(b->log, need > base ? need : base);
}

/* ---- open / close ------------------------------------------------------------------- */

int bt_bench_open(struct bt_bench **out, const struct bt_bench_opts *o, double now,
		  char *errbuf, size_t errlen)
{
	struct bt_bench *b = bt_xcalloc(1, sizeof *b);
	b->o = *o;
	b->demo = o->demo;
	b->t_open = now;
	b->phone_ev = bt_evset_new();
	b->tech_ev = bt_evset_new();
	b->all_ev = bt_evset_new();
	b->lines = bt_lines_new(LINES_KEPT);
	b->scan = bt_logscan_new();
	b->res_ma = -1;
	b->attempt_t0 = now;
	b->attempt_peak_ma = -1;
	bt_series_init(&b->series, SERIES_CAP);
	b->trace = bt_trace_new();
	bt_strbuf_init(&b->rawlog, RAWLOG_CAP);
	b->attempt_wall = (double)time(NULL);
	int rc = BT_OK;

	struct bt_board_diags diags = { 0, NULL };
	b->boards = bt_boards_new();
	bt_boards_load_default(b->boards, &diags); /* a broken profile must not stop the bench */
	if (diags.count)
		set_status(b, "boards: ", diags.msgs[0]);
	bt_board_diags_done(&diags);
	if (o->board) {
		b->board = bt_boards_find(b->boards, o->board);
		if (!b->board) {
			snprintf(errbuf, errlen, "no board profile matches '%s'", o->board);
			rc = BT_ERR_DATA;
			goto fail;
		}
		b->board_fixed = true;
	}
	build_defs(b);

	if (o->case_id) {
		rc = bt_case_id_parse(o->case_id, &b->case_id);
		if (rc != BT_OK) {
			snprintf(errbuf, errlen, "--case %s: not a case id", o->case_id);
			goto fail;
		}
		rc = bt_store_open(NULL, &b->store, errbuf, errlen);
		if (rc == BT_OK && (rc = bt_store_case_check(b->store, b->case_id)) != BT_OK)
			snprintf(errbuf, errlen, "%s", bt_store_error(b->store));
		if (rc != BT_OK)
			goto fail;
	}

	if (b->demo && !find_demo(b)) {
		snprintf(errbuf, errlen, "demo data not found (tests/data/demo; set BENCHTRIAGE_DEMO)");
		rc = BT_ERR_IO;
		goto fail;
	}

	/* Phone: a recording (named, or the demo's) or the USB bus. */
	const char *rec_path = o->recording ? o->recording : b->demo ? b->demo_rec : NULL;
	struct bt_recovery_opts ro = { rec_path };
	rc = bt_recovery_new(&b->rec, &ro, errbuf, errlen);
	if (rc != BT_OK)
		goto fail;
	b->rec_replay = rec_path != NULL;
	snprintf(b->phone_status, sizeof b->phone_status, "%s",
		 b->rec_replay ? "replaying a recorded recovery session"
			       : "waiting for a phone in recovery/DFU on USB");
	phone_try(b, now);

	/* Restore log. */
	if (o->run_argv && o->run_argv[0])
		rc = bt_logsrc_command(&b->log, o->run_argv, errbuf, errlen);
	else if (o->log_path)
		rc = bt_logsrc_follow(&b->log, o->log_path, true, errbuf, errlen);
	else if (b->demo)
		rc = bt_logsrc_replay(&b->log, b->demo_a, o->speed, now, errbuf, errlen);
	if (rc != BT_OK)
		goto fail;
	if (b->demo)
		demo_pace(b);

	/* Supply. */
	if (o->supply_port) {
		struct bt_supply_opts so = { o->supply_driver, o->supply_profile, o->supply_baud };
		rc = supply_start(b, o->supply_port, &so, errbuf, errlen);
	} else if (b->demo) {
		rc = demo_supply(b, errbuf, errlen);
	}
	if (rc != BT_OK)
		goto fail;

	snprintf(b->describe, sizeof b->describe, "%s", b->demo ? "demo bench" : "bench");
	rebuild(b);
	*out = b;
	return BT_OK;
fail:
	bt_bench_close(b);
	*out = NULL;
	return rc;
}

void bt_bench_close(struct bt_bench *b)
{
	if (!b)
		return;
	store_flush(b);
	bt_supply_feed_stop(b->feed);
	bt_supply_sim_stop(b->sim);
	bt_logsrc_free(b->log);
	bt_recovery_close(b->rec);
	bt_logscan_free(b->scan);
	bt_lines_free(b->lines);
	bt_series_done(&b->series);
	bt_trace_free(b->trace);
	bt_evset_free(b->phone_ev);
	bt_evset_free(b->tech_ev);
	bt_evset_free(b->all_ev);
	bt_evset_free(b->failed_ev);
	bt_diagnosis_free(b->diag);
	bt_boards_free(b->boards);
	bt_store_close(b->store);
	bt_strbuf_done(&b->rawlog);
	free(b);
}

/* ---- the loop's side ---------------------------------------------------------------- */

size_t bt_bench_pollfds(const struct bt_bench *b, struct pollfd *fds, size_t max)
{
	size_t n = 0;
	int cand[3] = { b->rec ? bt_recovery_fd(b->rec) : -1, b->log ? bt_logsrc_fd(b->log) : -1,
			b->feed ? bt_supply_feed_fd(b->feed) : -1 };
	for (size_t i = 0; i < 3 && n < max; i++)
		if (cand[i] >= 0)
			fds[n++] = (struct pollfd){ cand[i], POLLIN, 0 };
	return n;
}

static double earliest(double a, double b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

double bt_bench_deadline(const struct bt_bench *b)
{
	double d = -1;
	if (b->log)
		d = earliest(d, bt_logsrc_deadline(b->log));
	if (b->rec && !b->rec_connected && !b->rec_replay)
		d = earliest(d, b->rec_next_try);
	if (b->dirty)
		d = earliest(d, b->diag_due);
	return d;
}

unsigned bt_bench_service(struct bt_bench *b, const struct pollfd *fds, size_t nfds, double now)
{
	(void)fds;
	(void)nfds; /* every source is non-blocking: servicing all of them is cheap and simple */
	unsigned changed = 0;
	if (b->rec) {
		if (!b->rec_connected && !b->rec_replay && now >= b->rec_next_try && !restore_running(b))
			changed |= phone_try(b, now);
		if (bt_recovery_fd(b->rec) >= 0)
			changed |= phone_events(b, now);
	}
	changed |= log_service(b, now, false);
	changed |= supply_service(b);
	store_flush(b);
	if (changed & (BT_BENCH_PHONE | BT_BENCH_LOG | BT_BENCH_ATTEMPT_END))
		b->dirty = true;
	/* New current samples change the trace's pattern (and so the diagnosis) slowly: look
	 * again every few seconds, not at every sample. */
	if ((changed & BT_BENCH_SUPPLY) && now >= b->trace_due) {
		b->dirty = true;
		b->trace_due = now + TRACE_REANALYSE_S;
	}
	if (b->dirty && b->diag_due <= 0)
		b->diag_due = now + DIAG_DEBOUNCE_S;
	if (b->dirty && now >= b->diag_due) {
		rebuild(b);
		b->diag_due = 0;
		changed |= BT_BENCH_DIAG;
	}
	if (b->status[0])
		changed |= BT_BENCH_STATUS;
	return changed;
}

void bt_bench_drain(struct bt_bench *b, double now)
{
	log_service(b, now, true);
	supply_service(b);
	store_flush(b);
	if (b->rec && bt_recovery_fd(b->rec) >= 0)
		phone_events(b, now);
	rebuild(b);
}

/* ---- views -------------------------------------------------------------------------- */

void bt_bench_phone_view(const struct bt_bench *b, struct bt_phone_in *in)
{
	memset(in, 0, sizeof *in);
	in->ev = b->phone_ev;
	in->simulated = b->rec_replay;
	in->status = b->phone_status;
}

static const char *const attempt_names[] = { "attempt A", "attempt B", "attempt C",
					     "attempt D", "attempt E" };

void bt_bench_restore_view(const struct bt_bench *b, struct bt_restore_in *in)
{
	memset(in, 0, sizeof *in);
	in->r = b->scanned ? bt_logscan_result(b->scan) : NULL;
	in->lines = b->lines;
	in->source = b->log ? bt_logsrc_name(b->log) : NULL;
	in->attempt = b->attempt < 5 ? attempt_names[b->attempt] : "attempt";
	in->simulated = b->log && bt_logsrc_kind(b->log) == BT_LOGSRC_REPLAY;
	in->live = b->log && !bt_logsrc_ended(b->log);
	in->search_hit = -1;
}

void bt_bench_chart_view(const struct bt_bench *b, double now, struct bt_chart_in *in)
{
	memset(in, 0, sizeof *in);
	in->s = &b->series;
	in->marks = b->marks;
	in->nmarks = b->nmarks;
	in->window_s = CHART_WINDOW_S;
	in->now_s = now;
	in->rate_hz = b->feed ? bt_supply_feed_rate(b->feed) : -1;
	in->resolution_ma = b->res_ma;
	in->source = b->feed ? b->supply_src : "no supply (--supply PORT)";
	in->pattern = b->trace_analysed ? b->trace_res.pattern : NULL;
	in->simulated = b->sim != NULL;
}

const struct bt_diagnosis *bt_bench_diagnosis(const struct bt_bench *b) { return b->diag; }
const struct bt_evset *bt_bench_evidence(const struct bt_bench *b) { return b->all_ev; }
const struct bt_lines *bt_bench_lines(const struct bt_bench *b) { return b->lines; }
const char *bt_bench_status(const struct bt_bench *b) { return b->status; }
const char *bt_bench_describe(const struct bt_bench *b) { return b->describe; }
int bt_bench_attempt_index(const struct bt_bench *b) { return b->attempt; }

bool bt_bench_command_running(const struct bt_bench *b)
{
	return b->log && bt_logsrc_kind(b->log) == BT_LOGSRC_COMMAND && !bt_logsrc_ended(b->log);
}

bool bt_bench_simulated(const struct bt_bench *b)
{
	return b->demo || b->sim || b->rec_replay;
}

const struct bt_restore *bt_bench_restore(const struct bt_bench *b)
{
	return b->scanned ? bt_logscan_result(b->scan) : NULL;
}

const char *bt_bench_board_title(const struct bt_bench *b)
{
	return b->board ? bt_board_title(b->board) : NULL;
}

/* ---- attempts ----------------------------------------------------------------------- */

void bt_bench_attempt(const struct bt_bench *b, double now, struct bt_attempt *a)
{
	bt_attempt_init(a);
	if (!b->scanned)
		return;
	const struct bt_restore *r = bt_logscan_result(b->scan);
	a->valid = true;
	a->finished = b->attempt_end_sent;
	bt_attempt_set(a->outcome, sizeof a->outcome,
		       r->outcome == BT_OUTCOME_FAILED ? "failed"
		       : r->outcome == BT_OUTCOME_SUCCEEDED ? "succeeded"
		       : r->outcome == BT_OUTCOME_INCOMPLETE ? "incomplete" : "unknown");
	if (r->nsteps)
		bt_attempt_set(a->last_step, sizeof a->last_step, r->steps[r->nsteps - 1].name);
	bt_attempt_set(a->failed_step, sizeof a->failed_step, r->failed_step.name);
	bt_attempt_set(a->subsystem, sizeof a->subsystem, r->subsystem);
	a->progress = (int)r->nsteps;
	a->has_status = r->has_status;
	a->status = r->status;
	a->host_error = r->host_error;
	bt_attempt_set(a->error_line, sizeof a->error_line, r->verdict_text);
	if (b->attempt_samples) {
		a->peak_ma = b->attempt_peak_ma;
		a->level_ma = b->attempt_sum_ma / (double)b->attempt_samples;
	}
	if (b->trace_analysed) {
		bt_attempt_set(a->supply_pattern, sizeof a->supply_pattern, b->trace_res.pattern);
		if (!isnan(b->trace_res.level_ma))
			a->level_ma = b->trace_res.level_ma;
		if (!isnan(b->trace_res.period_s))
			a->period_s = b->trace_res.period_s;
	}
	a->duration_s = (b->attempt_end_sent ? b->attempt_t1 : now) - b->attempt_t0;
}

int bt_bench_new_attempt(struct bt_bench *b, double now, char *errbuf, size_t errlen)
{
	if (b->scanned && bt_logscan_result(b->scan)->outcome == BT_OUTCOME_FAILED) {
		bt_evset_free(b->failed_ev);
		b->failed_ev = bt_evset_new();
		analyse_trace(b);
		attempt_evidence(b, b->failed_ev);
	}
	bt_trace_free(b->trace);
	b->trace = bt_trace_new();
	b->trace_analysed = false;
	b->attempt++;
	b->attempt_t0 = now;
	b->attempt_wall = (double)time(NULL);
	store_flush(b); /* what the previous attempt still had in hand */
	bt_strbuf_reset(&b->rawlog);
	b->st_att = b->st_tr = 0;
	b->st_log_done = 0;
	b->attempt_end_sent = false;
	b->attempt_peak_ma = -1;
	b->attempt_sum_ma = 0;
	b->attempt_samples = 0;
	bt_logscan_free(b->scan);
	b->scan = bt_logscan_new();
	b->scanned = false;
	b->steps_marked = 0;
	b->fail_marked = false;
	bt_lines_clear(b->lines);
	add_mark(b, now, b->attempt < 5 ? attempt_names[b->attempt] : "attempt", false);
	int rc = BT_OK;
	if (b->log)
		rc = bt_logsrc_restart(b->log, b->demo ? b->demo_b : NULL, now, errbuf, errlen);
	if (rc == BT_OK && b->demo)
		demo_pace(b);
	if (rc == BT_OK && b->demo)
		rc = demo_supply(b, errbuf, errlen);
	b->dirty = true;
	return rc;
}

size_t bt_bench_tests(const struct bt_bench *b, const struct bt_guided_def **defs, size_t max)
{
	size_t n = 0;
	/* The engine's ranking first, then the profile's others, then built-ins not yet listed. */
	const struct bt_guided_def *pool[DEFS_MAX + 8];
	size_t npool = 0;
	for (size_t i = 0; i < b->ndefs; i++)
		pool[npool++] = &b->defs[i];
	for (size_t i = 0; i < bt_guided_builtin_count(); i++)
		pool[npool++] = bt_guided_builtin_at(i);
	bool used[DEFS_MAX + 8] = { false };
	for (size_t t = 0; b->diag && t < b->diag->ntests && n < max; t++)
		for (size_t i = 0; i < npool; i++)
			if (!used[i] && strcmp(pool[i]->id, b->diag->tests[t].id) == 0) {
				used[i] = true;
				defs[n++] = pool[i];
				break;
			}
	for (size_t i = 0; i < npool && n < max; i++) {
		bool dup = used[i];
		for (size_t k = 0; !dup && k < n; k++)
			dup = strcmp(defs[k]->id, pool[i]->id) == 0;
		if (!dup)
			defs[n++] = pool[i];
	}
	return n;
}

int bt_bench_record(struct bt_bench *b, const struct bt_guided *g, double now)
{
	struct bt_evset *fresh = bt_evset_new();
	double done = bt_guided_done_time(g);
	int rc = bt_guided_record(g, fresh, (done >= 0 ? done : now) - b->t_open);
	if (rc == BT_OK) {
		bt_evset_merge(b->tech_ev, fresh);
		if (b->store) {
			/* Into the case as it happens: the test, then every evidence item it gave. */
			const struct bt_guided_def *def = bt_guided_def_of(g);
			const struct bt_evidence *e = bt_evset_count(fresh) ? bt_evset_at(fresh, 0) : NULL;
			double wall = (double)time(NULL);
			rc = bt_store_add_test(b->store, b->case_id, def->id, bt_guided_chosen(g), -1,
					       wall, e ? e->excerpt : NULL);
			if (rc == BT_OK)
				rc = bt_store_add_evset(b->store, b->case_id, fresh);
			if (rc != BT_OK)
				set_status(b, "case store: ", bt_store_error(b->store));
		}
		rebuild(b);
	}
	bt_evset_free(fresh);
	return rc;
}
