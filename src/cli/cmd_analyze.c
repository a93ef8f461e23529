/* cmd_analyze.c — `benchtriage analyze [--json] [--board B] [--symptom S]... [--error N]
 * [--recording F] [--trace F.csv] [--case ID] [FILE...]`: reads restore logs and the
 * technician's observations, runs the engine, and prints the diagnosis for a person or as one
 * JSON object (DESIGN.md "Command line"). */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/trace_csv.h"
#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"
#include "core/evidence.h"
#include "engine/board.h"
#include "engine/engine.h"
#include "logs/logscan.h"
#include "recovery/recovery_evidence.h"
#include "store/case_attach.h"

#define MAX_SYMPTOMS 64
#define MAX_FILES 64
#define TOP_SHOWN 6 /* hypotheses shown in the text view */

struct opts {
	bool json;
	const char *board;
	const char *symptoms[MAX_SYMPTOMS];
	int nsymptoms;
	const char *error;
	long error_num;
	const char *recording;
	const char *trace;
	const char *case_id;
	const char *files[MAX_FILES];
	int nfiles;
};

static void usage(void)
{
	bt_diag("usage: benchtriage analyze [--json] [--board B] [--symptom S]... [--error N] "
		"[--recording F] [--trace F.csv] [--case ID] [FILE...]");
}

static bool valid_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/* Returns -1 when the arguments are fine, else an exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		bool takes = !strcmp(a, "--board") || !strcmp(a, "--symptom") || !strcmp(a, "--error") ||
			     !strcmp(a, "--recording") || !strcmp(a, "--trace") || !strcmp(a, "--case");
		if (takes) {
			if (i + 1 >= argc) {
				bt_diag("analyze: %s needs a value", a);
				return BT_EXIT_USAGE;
			}
			val = argv[++i];
		}
		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: benchtriage analyze [--json] [--board B] [--symptom S]... [--error N]\n"
			       "                          [--recording F] [--trace F.csv] [--case ID] [FILE...]\n"
			       "  FILE '-' reads the log from standard input (idevicerestore ... 2>&1 | benchtriage analyze -)\n");
			return BT_EXIT_OK;
		} else if (!strcmp(a, "--board")) {
			o->board = val;
		} else if (!strcmp(a, "--symptom")) {
			if (!valid_id(val)) {
				bt_diag("analyze: --symptom '%s': expected an id such as speaker_button_greyed", val);
				return BT_EXIT_USAGE;
			}
			if (o->nsymptoms >= MAX_SYMPTOMS) {
				bt_diag("analyze: at most %d symptoms", MAX_SYMPTOMS);
				return BT_EXIT_USAGE;
			}
			o->symptoms[o->nsymptoms++] = val;
		} else if (!strcmp(a, "--error")) {
			char *end;
			errno = 0;
			long n = strtol(val, &end, 10);
			if (errno || end == val || *end || n < INT_MIN || n > INT_MAX) {
				bt_diag("analyze: --error '%s': expected the error number iTunes/Finder showed", val);
				return BT_EXIT_USAGE;
			}
			o->error = val;
			o->error_num = n;
		} else if (!strcmp(a, "--recording")) {
			o->recording = val;
		} else if (!strcmp(a, "--trace")) {
			o->trace = val;
		} else if (!strcmp(a, "--case")) {
			o->case_id = val;
		} else if (a[0] == '-' && a[1]) {
			bt_diag("analyze: unknown option %s", a);
			usage();
			return BT_EXIT_USAGE;
		} else {
			if (o->nfiles >= MAX_FILES) {
				bt_diag("analyze: at most %d files", MAX_FILES);
				return BT_EXIT_USAGE;
			}
			o->files[o->nfiles++] = a;
		}
	}
	return -1;
}

static bool symptom_known(const struct bt_boards *set, const char *id)
{
	if (bt_board_symptom_find(set, NULL, id))
		return true;
	for (size_t i = 0; i < bt_boards_count(set); i++)
		if (bt_board_symptom_find(set, bt_boards_at(set, i), id))
			return true;
	return false;
}

/* The board from the evidence: board config, product type, then the recovery probe's ids. */
static const struct bt_board *board_from_evidence(const struct bt_boards *set,
						  const struct bt_evset *ev)
{
	static const char *const keys[] = {"device.board_config", "device.product_type", "iboot.board"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct bt_board *b = bt_boards_find(set, bt_evset_value(ev, keys[i]));
		if (b)
			return b;
	}
	const char *cp = bt_evset_value(ev, "iboot.cpid"), *bd = bt_evset_value(ev, "iboot.bdid");
	if (cp && bd) {
		unsigned long c = strtoul(cp, NULL, 0), d = strtoul(bd, NULL, 0);
		if (c <= 0xFFFF && d <= 0xFF)
			return bt_boards_find_chip(set, (unsigned)c, (unsigned)d);
	}
	return NULL;
}

/* A recording names the chip (CPID, BDID), not the board config: look the variant up in our
 * own table so variant rules (Qualcomm vs Intel iPhone 7, ...) can see it. */
static void config_from_chip(const struct bt_boards *set, struct bt_evset *ev)
{
	const struct bt_evidence *cp = bt_evset_find(ev, "iboot.cpid");
	const char *bd = bt_evset_value(ev, "iboot.bdid");
	if (!cp || !bd || bt_evset_find(ev, "device.board_config"))
		return;
	unsigned long c = strtoul(cp->value, NULL, 0), d = strtoul(bd, NULL, 0);
	if (c > 0xFFFF || d > 0xFF)
		return;
	const struct bt_board *b = bt_boards_find_chip(set, (unsigned)c, (unsigned)d);
	for (size_t i = 0; b && i < bt_board_variant_count(b); i++) {
		const struct bt_board_variant *v = bt_board_variant_at(b, i);
		if (v->cpid == c && v->bdid == d) {
			bt_evset_add(ev, "device.board_config", v->board_config, cp->source, cp->line,
				     cp->time_s, "board config of this CPID/BDID in our table");
			return;
		}
	}
}

static int hook_status(int rc, const char *what, const char *errbuf)
{
	if (rc == BT_OK)
		return -1;
	if (errbuf[0])
		bt_diag("%s", errbuf);
	else
		bt_diag("%s: %s", what, bt_strerror(rc));
	return (rc == BT_ERR_DATA || rc == BT_ERR_IO) ? BT_EXIT_INPUT : bt_err_exit_status(rc);
}

/* ---- JSON ------------------------------------------------------------------------------ */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *evidence_json(const struct bt_evset *ev)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < bt_evset_count(ev); i++) {
		const struct bt_evidence *e = bt_evset_at(ev, i);
		json_t *o = json_pack("{s:s, s:s, s:s}", "key", e->key, "value", e->value, "source", e->source);
		if (e->line > 0)
			json_object_set_new(o, "line", json_integer(e->line));
		if (e->time_s >= 0)
			json_object_set_new(o, "time_s", json_real(e->time_s));
		if (e->excerpt && e->excerpt[0])
			json_object_set_new(o, "excerpt", json_string(e->excerpt));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *restore_json(const struct bt_restore *r)
{
	json_t *fs = json_object();
	char id[32];
	if (r && r->failed_step.name && r->failed_step.id >= 0) {
		snprintf(id, sizeof id, "0x%04X", (unsigned)r->failed_step.id);
		json_object_set_new(fs, "id", json_string(id));
	} else {
		json_object_set_new(fs, "id", json_null());
	}
	json_object_set_new(fs, "name", str_or_null(r ? r->failed_step.name : NULL));
	json_object_set_new(fs, "subsystem",
			    str_or_null(r && r->failed_step.name ? r->failed_step.subsystem : NULL));
	if (r && r->failed_step.name && r->failed_step.line > 0)
		json_object_set_new(fs, "origin", json_pack("{s:s, s:I}", "file",
							    r->failed_step.source ? r->failed_step.source : "",
							    "line", (json_int_t)r->failed_step.line));
	json_t *errs = json_array();
	for (size_t i = 0; r && i < r->nerrors; i++)
		json_array_append_new(errs, json_string(r->errors[i]));
	json_t *o = json_object();
	json_object_set_new(o, "outcome", json_string(r ? bt_outcome_name(r->outcome) : "unknown"));
	json_object_set_new(o, "failed_step", fs);
	json_object_set_new(o, "subsystem", json_string(r && r->subsystem ? r->subsystem : "unknown"));
	json_object_set_new(o, "status", r && r->has_status ? json_integer(r->status) : json_null());
	json_object_set_new(o, "host_error", r && r->host_error ? json_integer(r->host_error) : json_null());
	json_object_set_new(o, "family", str_or_null(r ? r->family : NULL));
	if (r && r->verdict_text)
		json_object_set_new(o, "verdict", json_pack("{s:s, s:s, s:I}", "text", r->verdict_text,
							     "file", r->verdict_source ? r->verdict_source : "",
							     "line", (json_int_t)r->verdict_line));
	json_object_set_new(o, "errors", errs);
	return o;
}

static json_t *hypotheses_json(const struct bt_diagnosis *d)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < d->nhyp; i++) {
		const struct bt_hypothesis *h = &d->hyp[i];
		json_t *ev = json_array();
		for (size_t k = 0; k < h->ncontribs; k++) {
			const struct bt_contrib *c = &h->contribs[k];
			json_array_append_new(ev, json_pack("{s:s, s:s, s:s, s:s, s:f, s:s, s:s, s:s}",
							    "rule", c->rule, "key", c->key, "value", c->value,
							    "origin", c->origin ? c->origin : "", "lr", c->lr,
							    "source", c->source ? c->source : "",
							    "confidence", c->confidence ? c->confidence : "",
							    "why", c->why ? c->why : ""));
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:f, s:o}", "id", h->id, "title",
						     h->title ? h->title : h->id, "probability",
						     h->probability, "prior", h->prior, "evidence", ev));
	}
	return arr;
}

static json_t *tests_json(const struct bt_diagnosis *d)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < d->ntests; i++) {
		const struct bt_next_test *t = &d->tests[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:f, s:f, s:s}", "id",
						     t->id, "title", t->title ? t->title : "", "cost",
						     t->cost ? t->cost : "", "risk", t->risk ? t->risk : "",
						     "data_loss", t->data_loss, "minutes", t->minutes,
						     "gain_bits", t->gain_bits, "value", t->value, "why",
						     t->why ? t->why : ""));
	}
	return arr;
}

static void print_json(const struct opts *o, const struct bt_restore *r, const struct bt_evset *ev,
		       const struct bt_board *b, const struct bt_diagnosis *d)
{
	json_t *files = json_array();
	for (int i = 0; i < o->nfiles; i++)
		json_array_append_new(files, json_string(o->files[i]));
	json_t *syms = json_array();
	for (int i = 0; i < o->nsymptoms; i++)
		json_array_append_new(syms, json_string(o->symptoms[i]));
	json_t *inputs = json_object();
	json_object_set_new(inputs, "files", files);
	json_object_set_new(inputs, "board", str_or_null(o->board));
	json_object_set_new(inputs, "symptoms", syms);
	json_object_set_new(inputs, "error", o->error ? json_integer(o->error_num) : json_null());
	json_object_set_new(inputs, "recording", str_or_null(o->recording));
	json_object_set_new(inputs, "trace", str_or_null(o->trace));
	json_object_set_new(inputs, "case", str_or_null(o->case_id));

	json_t *device = json_object();
	json_object_set_new(device, "product_type", str_or_null(bt_evset_value(ev, "device.product_type")));
	json_object_set_new(device, "board_config", str_or_null(bt_evset_value(ev, "device.board_config")));
	json_object_set_new(device, "profile", str_or_null(b ? bt_board_name(b) : NULL));
	json_object_set_new(device, "title", str_or_null(b ? bt_board_title(b) : NULL));

	json_t *root = json_object();
	json_object_set_new(root, "schema", json_string("benchtriage.analysis/1"));
	json_object_set_new(root, "inputs", inputs);
	json_object_set_new(root, "device", device);
	json_object_set_new(root, "restore", restore_json(r));
	json_object_set_new(root, "evidence", evidence_json(ev));
	json_object_set_new(root, "hypotheses", hypotheses_json(d));
	json_object_set_new(root, "next_tests", tests_json(d));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
	fputc('\n', stdout);
	json_decref(root);
}

/* ---- text ------------------------------------------------------------------------------ */

static void print_text(const struct opts *o, const struct bt_restore *r, const struct bt_evset *ev,
		       const struct bt_board *b, const struct bt_diagnosis *d)
{
	const char *pt = bt_evset_value(ev, "device.product_type");
	const char *cfg = bt_evset_value(ev, "device.board_config");
	const struct bt_board_variant *v = b ? bt_board_variant_find(b, cfg ? cfg : pt) : NULL;
	printf("Device:     %s", v && v->title ? v->title : b ? bt_board_title(b) : "unknown");
	if (pt || cfg)
		printf(" (%s%s%s)", pt ? pt : "", pt && cfg ? ", " : "", cfg ? cfg : "");
	if (b)
		printf("  profile %s", bt_board_name(b));
	printf("\n");
	if (o->nfiles) {
		printf("Restore:    %s", bt_outcome_name(r->outcome));
		if (r->failed_step.name) {
			printf(" in step %s", r->failed_step.name);
			if (r->failed_step.id >= 0)
				printf(" (0x%04X)", (unsigned)r->failed_step.id);
		}
		printf(", subsystem %s\n", r->subsystem ? r->subsystem : "unknown");
		const struct bt_evidence *fe = bt_evset_find(ev, "restore.failed_step");
		if (fe && fe->line > 0)
			printf("            %s:%ld: %s\n", fe->source, fe->line, fe->excerpt);
		else if (r->failed_step.name && r->failed_step.line > 0)
			printf("            step seen at %s:%ld\n", r->failed_step.source, r->failed_step.line);
		if (r->has_status)
			printf("Status:     %ld\n", r->status);
		if (r->verdict_text)
			printf("Log line:   %s:%ld: %s\n", r->verdict_source ? r->verdict_source : "",
			       r->verdict_line, r->verdict_text);
	} else {
		printf("Restore:    no restore log given\n");
	}
	if (o->error)
		printf("Error:      %ld (as shown by iTunes/Finder)\n", o->error_num);
	for (int i = 0; i < o->nsymptoms; i++)
		printf("Symptom:    %s\n", o->symptoms[i]);

	printf("\nMost likely causes:\n");
	for (size_t i = 0; i < d->nhyp && i < TOP_SHOWN; i++) {
		const struct bt_hypothesis *h = &d->hyp[i];
		printf("  %5.1f%%  %-14s %s\n", 100.0 * h->probability, h->id, h->title ? h->title : "");
		for (size_t k = 0; k < h->ncontribs; k++) {
			const struct bt_contrib *c = &h->contribs[k];
			printf("          %s x%.2f: %s\n", c->lr >= 1 ? "+" : "-", c->lr, c->why ? c->why : c->rule);
			printf("                  %s = %s at %s; %s (%s)\n", c->key, c->value,
			       c->origin && c->origin[0] ? c->origin : "-", c->source ? c->source : "",
			       c->confidence ? c->confidence : "");
		}
	}
	if (d->nhyp > TOP_SHOWN) {
		printf("  others:");
		for (size_t i = TOP_SHOWN; i < d->nhyp; i++)
			printf(" %s %.1f%%", d->hyp[i].id, 100.0 * d->hyp[i].probability);
		printf("\n");
	}
	if (d->ntests) {
		const struct bt_next_test *t = &d->tests[0];
		printf("\nNext test:  %s — %s\n", t->id, t->title ? t->title : "");
		printf("            cost %s (~%.0f min), risk: %s; %s\n", t->cost ? t->cost : "?",
		       t->minutes, t->risk ? t->risk : "none", t->why ? t->why : "");
		for (size_t i = 1; i < d->ntests && i < 4; i++)
			printf("  then:     %s (cost %s, risk: %s)\n", d->tests[i].id,
			       d->tests[i].cost ? d->tests[i].cost : "?", d->tests[i].risk ? d->tests[i].risk : "none");
	} else {
		printf("\nNext test:  none left that would change the ranking\n");
	}
}

/* ---- the command ----------------------------------------------------------------------- */

int bt_cmd_analyze(int argc, char **argv)
{
	struct opts o = {0};
	int st = parse_args(argc, argv, &o);
	if (st >= 0)
		return st;
	if (!o.nfiles && !o.board && !o.error && !o.nsymptoms && !o.recording && !o.trace) {
		bt_diag("analyze: nothing to analyse (give a log file or observations)");
		usage();
		return BT_EXIT_USAGE;
	}
	/* Every file must be readable before any work starts; "-" (standard input) once. */
	int nstdin = 0;
	for (int i = 0; i < o.nfiles; i++) {
		if (strcmp(o.files[i], "-") == 0) {
			if (++nstdin > 1) {
				bt_diag("analyze: '-' (standard input) given twice");
				return BT_EXIT_USAGE;
			}
			if (o.case_id) { /* the case keeps the log's text, and a pipe is read once */
				bt_diag("analyze: a log from standard input cannot go into a case; save it "
					"to a file and give that");
				return BT_EXIT_USAGE;
			}
			continue;
		}
		FILE *f = fopen(o.files[i], "rb");
		if (!f) {
			bt_diag("%s: %s", o.files[i], strerror(errno));
			return BT_EXIT_INPUT;
		}
		fclose(f);
	}

	int rc = BT_EXIT_OK;
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags bd = {0};
	if (bt_boards_load_default(set, &bd) == BT_ERR_IO && bt_boards_count(set) == 0)
		bt_diag("no board profiles found (set BENCHTRIAGE_BOARDS); every hypothesis starts equal");
	for (size_t k = 0; k < bd.count; k++)
		bt_diag("%s", bd.msgs[k]); /* a broken profile is reported, the rest still works */
	bt_board_diags_done(&bd);

	struct bt_evset *ev = bt_evset_new();
	struct bt_logscan *sc = bt_logscan_new();
	struct bt_diagnosis *d = NULL;
	const struct bt_board *b = NULL;
	const struct bt_restore *r = NULL;
	char errbuf[512] = "";

	for (int i = 0; i < o.nsymptoms; i++)
		if (bt_board_symptom_count(set, NULL) && !symptom_known(set, o.symptoms[i])) {
			bt_diag("analyze: unknown symptom '%s' (benchtriage boards lists them)", o.symptoms[i]);
			rc = BT_EXIT_USAGE;
			goto out;
		}
	if (o.board) {
		b = bt_boards_find(set, o.board);
		if (!b) {
			bt_diag("analyze: unknown board '%s' (a board config such as d10ap, a product type "
				"such as iPhone9,1, or a profile name; benchtriage boards lists them)", o.board);
			rc = BT_EXIT_USAGE;
			goto out;
		}
	}

	for (int i = 0; i < o.nfiles; i++) {
		long before = bt_logscan_recognised(sc);
		if (bt_logscan_file(sc, o.files[i]) != BT_OK) {
			bt_diag("%s: %s", o.files[i], strerror(errno));
			rc = BT_EXIT_INPUT;
			goto out;
		}
		/* not an error (the other inputs still count), but the technician should know */
		if (bt_logscan_recognised(sc) == before)
			bt_diag("warning: %s: no line of a known restore-log family in it "
				"(docs/log-formats.md lists them); is it the restore log?", o.files[i]);
	}
	if (o.nfiles)
		bt_logscan_evidence(sc, ev);
	r = bt_logscan_result(sc);

	if (o.recording) {
		errbuf[0] = '\0';
		st = hook_status(bt_recovery_file_evidence(o.recording, ev, errbuf, sizeof errbuf),
				 o.recording, errbuf);
		if (st >= 0) {
			rc = st;
			goto out;
		}
	}
	config_from_chip(set, ev);
	if (o.board) {
		bt_evset_add(ev, "board", o.board, "technician", 0, -1.0, "--board");
		const struct bt_board_variant *v = bt_board_variant_find(b, o.board);
		if (v && !bt_evset_find(ev, "device.board_config"))
			bt_evset_add(ev, "device.board_config", v->board_config, "technician", 0, -1.0, "--board");
		if (v && !bt_evset_find(ev, "device.product_type"))
			bt_evset_add(ev, "device.product_type", v->product_type, "technician", 0, -1.0, "--board");
	} else {
		b = board_from_evidence(set, ev);
	}
	if (o.error) {
		char num[32];
		snprintf(num, sizeof num, "%ld", o.error_num); /* "+4013" and " 4013" become "4013" */
		bt_evset_add(ev, "restore.error", num, "technician", 0, -1.0, "--error");
		/* iTunes/Finder show an error number only when a restore or update failed */
		bt_evset_add(ev, "restore.outcome", "failed", "technician", 0, -1.0, "--error");
	}
	for (int i = 0; i < o.nsymptoms; i++) {
		char key[96];
		snprintf(key, sizeof key, "symptom.%s", o.symptoms[i]);
		bt_evset_add(ev, key, "yes", "technician", 0, -1.0, "--symptom");
	}
	if (o.trace) {
		errbuf[0] = '\0';
		st = hook_status(bt_trace_csv_evidence(o.trace, b, ev, errbuf, sizeof errbuf), o.trace,
				 errbuf);
		if (st >= 0) {
			rc = st;
			goto out;
		}
	}

	d = bt_engine_run(set, b, ev);

	if (o.case_id) {
		errbuf[0] = '\0';
		st = hook_status(bt_case_attach_analysis(o.case_id, o.files, (size_t)o.nfiles, ev, d,
							 errbuf, sizeof errbuf),
				 o.case_id, errbuf);
		if (st < 0 && (o.recording || o.trace)) {
			/* Keep the raw recording and trace with the case, not only their evidence. */
			errbuf[0] = '\0';
			st = hook_status(bt_case_attach_files(o.case_id, o.recording, o.trace, errbuf,
							      sizeof errbuf),
					 o.case_id, errbuf);
		}
		if (st >= 0) {
			rc = st;
			goto out;
		}
	}
	if (o.json)
		print_json(&o, r, ev, b, d);
	else
		print_text(&o, r, ev, b, d);
	if (fflush(stdout) != 0)
		rc = BT_EXIT_INPUT;
out:
	bt_diagnosis_free(d);
	bt_logscan_free(sc);
	bt_evset_free(ev);
	bt_boards_free(set);
	return rc;
}
