/* cmd_probe_recovery.c — `benchtriage probe recovery`: read a phone in recovery/DFU mode (or a
 * recording of one), print identity, board, mode, iBoot variables and what they mean, and
 * optionally follow it over time (--watch) and save the session (--record). Never writes to
 * the phone. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"
#include "core/evidence.h"
#include "recovery/interpret.h"
#include "recovery/recording.h"
#include "recovery/recovery.h"
#include "recovery/usb_present.h"

#define WAIT_MAX_S 86400.0
#define RETRY_NS 100000000L /* 0.1 s between instant connection attempts */

struct opts {
	bool json, watch;
	double wait_s;
	const char *record, *replay;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(void)
{
	bt_diag("usage: probe recovery [--json] [--wait SECONDS] [--watch] [--record FILE] [--replay FILE]");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--watch") == 0) {
			o->watch = true;
		} else if (strcmp(a, "--wait") == 0 || strcmp(a, "--record") == 0 || strcmp(a, "--replay") == 0) {
			if (i + 1 >= argc) {
				bt_diag("probe recovery: %s needs a value", a);
				return BT_EXIT_USAGE;
			}
			val = argv[++i];
			if (a[2] == 'w') {
				char *end;
				errno = 0;
				double w = strtod(val, &end);
				if (errno || end == val || *end || !isfinite(w) || w < 0 || w > WAIT_MAX_S) {
					bt_diag("probe recovery: --wait wants seconds between 0 and %.0f, not '%s'", WAIT_MAX_S, val);
					return BT_EXIT_USAGE;
				}
				o->wait_s = w;
			} else if (a[4] == 'c') {
				o->record = val;
			} else {
				o->replay = val;
			}
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage();
			return BT_EXIT_USAGE;
		} else {
			bt_diag("probe recovery: unknown argument '%s'", a);
			usage();
			return BT_EXIT_USAGE;
		}
	}
	return BT_EXIT_OK;
}

static void sleep_retry(void)
{
	struct timespec ts = { 0, RETRY_NS };
	nanosleep(&ts, NULL);
}

/* ---- text output ---- */

static void print_identity(const struct bt_rec_session *s)
{
	const struct bt_rec_info *in = &s->info;
	if (in->fields & BT_REC_F_PID)
		printf("Mode      %s (USB PID 0x%04X)\n", bt_rec_mode_name(in->mode), in->pid);
	else
		printf("Mode      %s\n", bt_rec_mode_name(in->mode));
	printf("Identity\n");
	if (in->fields & BT_REC_F_CPID)
		printf("  CPID    0x%04X   chip (SoC) id\n", in->cpid);
	if (in->fields & BT_REC_F_CPRV)
		printf("  CPRV    0x%02X     chip revision\n", in->cprv);
	if (in->fields & BT_REC_F_BDID)
		printf("  BDID    0x%02X     board id (with CPID it names the model)\n", in->bdid);
	if (in->fields & BT_REC_F_CPFM)
		printf("  CPFM    0x%02X     fuse mode (bit0 security, bit1 production)\n", in->cpfm);
	if (in->fields & BT_REC_F_SCEP)
		printf("  SCEP    0x%02X     security epoch\n", in->scep);
	if (in->fields & BT_REC_F_IBFL)
		printf("  IBFL    0x%02X     iBoot flags\n", in->ibfl);
	printf("  ECID    %s\n", in->ecid[0] ? in->ecid : "unknown");
	printf("  SRTG    %s\n", in->srtg[0] ? in->srtg : "unknown");
	printf("  SRNM    %s\n", in->srnm[0] ? in->srnm : "unknown");
	printf("  IMEI    %s\n", in->imei[0] ? in->imei : "unknown");
	if (in->pwnd[0])
		printf("  PWND    %s  (a boot-ROM exploit tool had the phone before)\n", in->pwnd);
	if (in->ap_nonce[0])
		printf("  NONC    %s\n", in->ap_nonce);
	if (in->sep_nonce[0])
		printf("  SNON    %s\n", in->sep_nonce);
}

static void print_board(const struct bt_evset *ev)
{
	const struct bt_evidence *b = bt_evset_find(ev, "iboot.board");
	const char *product = bt_evset_value(ev, "device.product_type");
	if (b)
		printf("Board     %s%s%s%s   [%s]\n", b->value, product ? " (" : "", product ? product : "",
		       product ? ")" : "", b->excerpt);
	else if (bt_evset_value(ev, "iboot.cpid"))
		printf("Board     unknown: no profile in boards/ and no libirecovery entry for CPID %s BDID %s\n",
		       bt_evset_value(ev, "iboot.cpid"), bt_evset_value(ev, "iboot.bdid"));
	else
		printf("Board     unknown (no CPID/BDID reported)\n");
}

static void print_env(const struct bt_rec_session *s, const struct bt_rec_resolver *r)
{
	bool any = false;
	for (size_t i = 0; i < s->nenv; i++)
		any = any || s->env[i].state != BT_REC_ENV_NA;
	if (!any) {
		if (s->has_info)
			printf("iBoot variables: not readable in %s mode (getenv needs iBoot recovery)\n",
			       bt_rec_mode_name(s->info.mode));
		return;
	}
	printf("iBoot variables (read only)\n");
	for (size_t i = 0; i < s->nenv; i++) {
		const struct bt_rec_env *e = &s->env[i];
		if (e->state == BT_REC_ENV_NA)
			continue;
		if (e->state == BT_REC_ENV_VALUE)
			printf("  %-27s = %s\n", e->name, e->value);
		else
			printf("  %-27s   (%s)\n", e->name, e->state == BT_REC_ENV_EMPTY ? "empty answer: unknown"
										: "no answer: unknown");
		const char *m = bt_rec_env_meaning(e->name);
		char note[320];
		if (e->state == BT_REC_ENV_VALUE && m)
			printf("  %-27s   meaning: %s\n", "", m);
		if (e->state == BT_REC_ENV_VALUE && bt_rec_env_note(e, r, note, sizeof note))
			printf("  %-27s   reading: %s\n", "", note);
	}
}

static void print_event(const struct bt_rec_event *ev)
{
	printf("  %9.3f s  ", ev->t);
	if (ev->type == BT_REC_EV_ARRIVE || ev->type == BT_REC_EV_MODE)
		printf("%-6s  %s", bt_rec_event_name(ev->type), bt_rec_mode_name(ev->mode));
	else
		printf("%s", bt_rec_event_name(ev->type));
	if (ev->has_chip)
		printf("  cpid 0x%04X bdid 0x%02X", ev->cpid, ev->bdid);
	putchar('\n');
	fflush(stdout);
}

static void print_watch(const struct bt_rec_session *s, bool list_events)
{
	struct bt_rec_watch w;
	bt_rec_watch_summary(s, &w);
	if (!w.pattern)
		return;
	if (list_events) {
		printf("Events\n");
		for (size_t i = 0; i < s->nevents; i++)
			print_event(&s->events[i]);
	}
	printf("Watch     %s: %u arrivals, %u departures, %u mode changes over %.1f s",
	       w.pattern, w.arrivals, w.departures, w.mode_changes, w.span_s);
	if (w.period_s >= 0)
		printf(", re-appears every %.1f s", w.period_s);
	putchar('\n');
}

static void print_evidence(const struct bt_evset *ev)
{
	printf("Evidence\n");
	for (size_t i = 0; i < bt_evset_count(ev); i++) {
		const struct bt_evidence *e = bt_evset_at(ev, i);
		printf("  %s = %s\n", e->key, e->value);
	}
}

/* ---- JSON output ---- */

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *hex_or_null(const struct bt_rec_info *in, unsigned flag, unsigned v, int width)
{
	if (!(in->fields & flag))
		return json_null();
	char buf[16];
	snprintf(buf, sizeof buf, "0x%0*X", width, v);
	return json_string(buf);
}

static const char *env_state_name(enum bt_rec_env_state st)
{
	switch (st) {
	case BT_REC_ENV_VALUE: return "value";
	case BT_REC_ENV_EMPTY: return "empty";
	case BT_REC_ENV_UNSET: return "no_answer";
	case BT_REC_ENV_NA: return "not_applicable";
	}
	return "unknown";
}

static void print_json(const struct bt_recovery *h, const struct bt_rec_session *s,
		       const struct bt_rec_resolver *r, const struct bt_evset *ev, const char *source)
{
	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("benchtriage.probe.recovery/1"));
	json_object_set_new(root, "backend", json_string(bt_recovery_backend_name(h)));
	json_object_set_new(root, "source", json_string(source));
	const char *mode = bt_evset_value(ev, "iboot.mode");
	json_object_set_new(root, "mode", jstr_or_null(mode));
	if (s->has_info) {
		const struct bt_rec_info *in = &s->info;
		json_t *id = json_object();
		json_object_set_new(id, "pid", hex_or_null(in, BT_REC_F_PID, in->pid, 4));
		json_object_set_new(id, "cpid", hex_or_null(in, BT_REC_F_CPID, in->cpid, 4));
		json_object_set_new(id, "cprv", hex_or_null(in, BT_REC_F_CPRV, in->cprv, 2));
		json_object_set_new(id, "cpfm", hex_or_null(in, BT_REC_F_CPFM, in->cpfm, 2));
		json_object_set_new(id, "scep", hex_or_null(in, BT_REC_F_SCEP, in->scep, 2));
		json_object_set_new(id, "bdid", hex_or_null(in, BT_REC_F_BDID, in->bdid, 2));
		json_object_set_new(id, "ibfl", hex_or_null(in, BT_REC_F_IBFL, in->ibfl, 2));
		json_object_set_new(id, "ecid", jstr_or_null(in->ecid));
		json_object_set_new(id, "srtg", jstr_or_null(in->srtg));
		json_object_set_new(id, "srnm", jstr_or_null(in->srnm));
		json_object_set_new(id, "imei", jstr_or_null(in->imei));
		json_object_set_new(id, "pwnd", jstr_or_null(in->pwnd));
		json_object_set_new(id, "ap_nonce", jstr_or_null(in->ap_nonce));
		json_object_set_new(id, "sep_nonce", jstr_or_null(in->sep_nonce));
		json_object_set_new(root, "identity", id);
	} else {
		json_object_set_new(root, "identity", json_null());
	}
	const struct bt_evidence *b = bt_evset_find(ev, "iboot.board");
	if (b) {
		json_t *jb = json_object();
		json_object_set_new(jb, "name", json_string(b->value));
		json_object_set_new(jb, "product_type", jstr_or_null(bt_evset_value(ev, "device.product_type")));
		json_object_set_new(jb, "found", json_string(b->excerpt));
		json_object_set_new(root, "board", jb);
	} else {
		json_object_set_new(root, "board", json_null());
	}
	json_t *vars = json_array();
	for (size_t i = 0; i < s->nenv; i++) {
		const struct bt_rec_env *e = &s->env[i];
		json_t *v = json_object();
		json_object_set_new(v, "name", json_string(e->name));
		json_object_set_new(v, "state", json_string(env_state_name(e->state)));
		json_object_set_new(v, "value", e->state == BT_REC_ENV_VALUE ? json_string(e->value) : json_null());
		json_object_set_new(v, "meaning", jstr_or_null(bt_rec_env_meaning(e->name)));
		char note[320];
		json_object_set_new(v, "reading", bt_rec_env_note(e, r, note, sizeof note) ? json_string(note) : json_null());
		json_array_append_new(vars, v);
	}
	json_object_set_new(root, "variables", vars);
	json_t *evs = json_array();
	for (size_t i = 0; i < s->nevents; i++) {
		const struct bt_rec_event *e = &s->events[i];
		json_t *o = json_object();
		json_object_set_new(o, "t", json_real(e->t));
		json_object_set_new(o, "type", json_string(bt_rec_event_name(e->type)));
		if (e->type != BT_REC_EV_LEAVE)
			json_object_set_new(o, "mode", json_string(bt_rec_mode_name(e->mode)));
		json_array_append_new(evs, o);
	}
	json_object_set_new(root, "events", evs);
	struct bt_rec_watch w;
	bt_rec_watch_summary(s, &w);
	if (w.pattern) {
		json_t *jw = json_object();
		json_object_set_new(jw, "pattern", json_string(w.pattern));
		json_object_set_new(jw, "arrivals", json_integer(w.arrivals));
		json_object_set_new(jw, "departures", json_integer(w.departures));
		json_object_set_new(jw, "reenumerations", json_integer(w.reenumerations));
		json_object_set_new(jw, "period_s", w.period_s >= 0 ? json_real(w.period_s) : json_null());
		json_object_set_new(jw, "span_s", json_real(w.span_s));
		json_object_set_new(root, "watch", jw);
	} else {
		json_object_set_new(root, "watch", json_null());
	}
	json_t *jev = json_array();
	for (size_t i = 0; i < bt_evset_count(ev); i++) {
		const struct bt_evidence *e = bt_evset_at(ev, i);
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(e->key));
		json_object_set_new(o, "value", json_string(e->value));
		json_object_set_new(o, "source", json_string(e->source));
		if (e->line > 0)
			json_object_set_new(o, "line", json_integer(e->line));
		if (e->excerpt && *e->excerpt)
			json_object_set_new(o, "excerpt", json_string(e->excerpt));
		json_array_append_new(jev, o);
	}
	json_object_set_new(root, "evidence", jev);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text) {
		puts(text);
		free(text);
	}
	json_decref(root);
}

/* ---- the command ---- */

/* A phone is read once it has stayed this long in one mode: a restore tool moves it on within
 * seconds (iBSS, then iBEC, then the ramdisk), and opening it under that tool could make its
 * next step fail. */
#define SETTLE_S 5.0

static int watch_loop(struct bt_recovery *h, const struct opts *o)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int rc = bt_recovery_watch(h);
	if (rc != BT_OK) {
		bt_diag("probe recovery: cannot watch the USB bus: %s", bt_strerror(rc));
		return rc;
	}
	if (!o->json && !o->replay)
		printf("Watching for a phone in recovery/DFU mode (%s)\n",
		       o->wait_s > 0 ? "until --wait runs out or Ctrl-C" : "Ctrl-C to stop");
	bool ended = false;
	double read_at = -1; /* when the phone that arrived will have settled; < 0: nothing due */
	while (!stop_flag && !ended) {
		struct pollfd pfd = { .fd = bt_recovery_fd(h), .events = POLLIN };
		int n = poll(&pfd, 1, 200);
		if (n < 0 && errno != EINTR)
			return BT_ERR_IO;
		if (n > 0) {
			int got = bt_recovery_handle(h);
			if (got < 0)
				return got;
		}
		struct bt_rec_event ev;
		while (bt_recovery_next_event(h, &ev)) {
			if (ev.type == BT_REC_EV_END) {
				ended = true;
				continue;
			}
			if (!o->json && !o->replay)
				print_event(&ev); /* live: as it happens; a replay lists them at the end */
			/* Read on the first arrival, and again when the phone comes back in Recovery after
			 * DFU (its variables became readable); a boot loop re-appearing alike is not re-read. */
			const struct bt_rec_info *in = bt_recovery_info(h);
			bool want = ev.type == BT_REC_EV_ARRIVE &&
				    (!in || (in->mode != ev.mode && ev.mode == BT_REC_MODE_RECOVERY));
			if (ev.type == BT_REC_EV_LEAVE)
				read_at = -1; /* it moved on before it settled */
			else if (want && !o->replay)
				read_at = ev.t + SETTLE_S;
		}
		if (read_at >= 0 && bt_recovery_now(h) >= read_at) {
			read_at = -1;
			if (bt_recovery_connect(h) == BT_OK)
				(void)bt_recovery_read(h); /* a departure mid-read is data here, not failure */
		}
		if (o->wait_s > 0 && !o->replay && bt_recovery_now(h) >= o->wait_s)
			break;
	}
	/* --wait ran out before the phone settled: it is still there, read it now */
	if (read_at >= 0 && !stop_flag && bt_recovery_connect(h) == BT_OK)
		(void)bt_recovery_read(h);
	bt_recovery_mark_end(h);
	return BT_OK;
}

int bt_cmd_probe_recovery(int argc, char **argv)
{
	struct opts o = { 0 };
	int st = parse_args(argc, argv, &o);
	if (st != BT_EXIT_OK)
		return st;
	struct bt_recovery *h = NULL;
	char err[512];
	struct bt_recovery_opts ro = { .replay_path = o.replay };
	int rc = bt_recovery_new(&h, &ro, err, sizeof err);
	if (rc != BT_OK) {
		bt_diag("%s", err);
		return BT_EXIT_INPUT;
	}
	int exit_status = BT_EXIT_OK;
	if (!o.watch || o.replay) {
		/* One read now; a replay always starts here so a recording without events replays too. */
		for (;;) {
			rc = bt_recovery_connect(h);
			if (rc == BT_OK || o.replay || bt_recovery_now(h) >= o.wait_s)
				break;
			sleep_retry();
		}
		if (rc == BT_OK) {
			rc = bt_recovery_read(h);
			if (rc == BT_ERR_GONE) {
				bt_diag("probe recovery: the phone stopped answering while being read");
				exit_status = BT_EXIT_GONE;
			} else if (rc != BT_OK) {
				bt_diag("probe recovery: %s", bt_strerror(rc));
				exit_status = bt_err_exit_status(rc);
			}
		} else if (!o.replay && bt_usb_recovery_present(NULL) == 1) {
			bt_diag("probe recovery: a phone in recovery/DFU mode is on USB but could not be "
				"opened: check access to /dev/bus/usb (libirecovery's udev rule, or run as "
				"root) and that no other tool (iTunes, idevicerestore) holds it");
			exit_status = BT_EXIT_NODEV;
		} else if (!o.replay || !o.watch) {
			bt_diag("probe recovery: no phone in recovery or DFU mode found%s%s",
				o.replay ? " in the recording " : " on USB", o.replay ? o.replay : "");
			exit_status = BT_EXIT_NODEV;
		}
	}
	/* A replay plays its events back whether or not --watch was given: they are what it holds. */
	if (exit_status == BT_EXIT_OK && (o.watch || o.replay)) {
		rc = watch_loop(h, &o);
		if (rc != BT_OK) {
			exit_status = bt_err_exit_status(rc);
		} else if (bt_recovery_session(h)->nevents == 0 && !bt_recovery_info(h)) {
			bt_diag("probe recovery: no phone in recovery or DFU mode appeared%s",
				o.replay ? " in the recording" : " on USB");
			exit_status = BT_EXIT_NODEV;
		}
	}
	bt_recovery_mark_end(h);
	const struct bt_rec_session *s = bt_recovery_session(h);
	if (o.record) {
		if (bt_rec_save(o.record, s, err, sizeof err) != BT_OK) {
			bt_diag("probe recovery: cannot write the recording: %s", err);
			if (exit_status == BT_EXIT_OK)
				exit_status = BT_EXIT_INPUT;
		}
	}
	if (exit_status == BT_EXIT_OK || exit_status == BT_EXIT_GONE) {
		const struct bt_rec_resolver *r = bt_rec_resolver_default();
		struct bt_evset *ev = bt_evset_new();
		const char *source = o.replay ? o.replay : "recovery";
		bt_rec_evidence(s, r, source, ev);
		if (o.json) {
			print_json(h, s, r, ev, source);
		} else {
			if (o.replay)
				printf("Replay of %s (recorded by: %s)\n", o.replay, s->origin[0] ? s->origin : "unknown");
			if (s->has_info) {
				print_identity(s);
				print_board(ev);
				print_env(s, r);
			}
			print_watch(s, o.replay != NULL);
			print_evidence(ev);
		}
		bt_evset_free(ev);
	}
	bt_recovery_close(h);
	return exit_status;
}
