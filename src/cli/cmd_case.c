/* cmd_case.c — `benchtriage case ...`: open, list, show, add to, judge, export and import
 * cases of the store. Prints; the work is in src/store/. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/trace_csv.h"
#include "cli/commands.h"
#include "cli/cli_store.h"
#include "cli/diag.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "logs/logscan.h"
#include "recovery/recovery_evidence.h"
#include "report/report.h"
#include "store/case_data.h"
#include "store/case_pack.h"
#include "store/case_score.h"
#include "store/store.h"
#include "store/store_file.h"

#define USAGE_ADD "case add ID [--log F]... [--recording F]... [--trace F.csv]... [--symptom S]..." \
		  " [--test ID=OUTCOME]... [--note TEXT]... [--evidence KEY=VALUE]... [--set FIELD=VALUE]..."

static int usage(const char *msg)
{
	bt_diag("case: %s; usage: case new [--label T] | list [--json] | show ID | verdict ID "
		"--part P --fixed yes|no [--note T] | export ID -o DIR | import DIR | " USAGE_ADD, msg);
	return BT_EXIT_USAGE;
}

static int store_failed(struct bt_store *st, int rc)
{
	bt_diag("%s", bt_store_error(st));
	return bt_err_exit_status(rc);
}

static int parse_id(const char *s, int64_t *id)
{
	if (bt_case_id_parse(s, id) != BT_OK) {
		bt_diag("case: '%s' is not a case id (a positive number)", s ? s : "");
		return BT_EXIT_USAGE;
	}
	return BT_EXIT_OK;
}

static int cmd_new(int argc, char **argv)
{
	const char *label = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--label") == 0 && i + 1 < argc)
			label = argv[++i];
		else
			return usage("new takes only --label TEXT");
	}
	struct bt_store *st;
	int rc = bt_cli_open_store(&st);
	if (rc != BT_EXIT_OK)
		return rc;
	int64_t id;
	int err = bt_store_case_new(st, label, &id);
	if (err != BT_OK)
		rc = store_failed(st, err);
	else
		printf("%lld\n", (long long)id);
	bt_store_close(st);
	return rc;
}

struct list_ctx {
	int json;
	json_t *arr;
};

static int list_one(const struct bt_case_summary *c, void *user)
{
	struct list_ctx *ctx = user;
	char when[32] = "?";
	time_t t = (time_t)c->created;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	const char *verdict = c->verdict_fixed < 0 ? "" : c->verdict_fixed ? "fixed" : "not fixed";
	if (ctx->json) {
		json_t *o = json_pack("{s:I s:s s:s s:s s:s s:I s:I s:s s:s}", "id", (json_int_t)c->id,
				      "created", when, "label", c->label, "board", c->board,
				      "product_type", c->product_type, "evidence",
				      (json_int_t)c->nevidence, "attempts", (json_int_t)c->nattempts,
				      "verdict_part", c->verdict_part, "verdict", verdict);
		if (!o) /* a label or board that is not UTF-8: list the case anyway */
			o = json_pack("{s:I s:s s:s}", "id", (json_int_t)c->id, "created", when, "verdict",
				      verdict);
		if (o)
			json_array_append_new(ctx->arr, o);
		return 0;
	}
	char verd[96];
	snprintf(verd, sizeof verd, "%s%s%s", c->verdict_part, c->verdict_part[0] ? " " : "", verdict);
	printf("%-6lld %-16s %-14s %5ld %4ld  %-22s %s\n", (long long)c->id, when,
	       c->board[0] ? c->board : c->product_type, c->nevidence, c->nattempts, verd, c->label);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct list_ctx ctx = { 0, NULL };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			ctx.json = 1;
		else
			return usage("list takes only --json");
	}
	struct bt_store *st;
	int rc = bt_cli_open_store(&st);
	if (rc != BT_EXIT_OK)
		return rc;
	if (ctx.json)
		ctx.arr = json_array();
	else
		printf("%-6s %-16s %-14s %5s %4s  %-22s %s\n", "ID", "OPENED (UTC)", "BOARD", "EVID",
		       "LOGS", "VERDICT", "LABEL");
	int err = bt_store_list(st, list_one, &ctx);
	if (err != BT_OK)
		rc = store_failed(st, err);
	if (ctx.json) {
		if (rc == BT_EXIT_OK) {
			json_dumpf(ctx.arr, stdout, JSON_INDENT(2));
			putchar('\n');
		}
		json_decref(ctx.arr);
	}
	bt_store_close(st);
	return rc;
}

static int cmd_show(int argc, char **argv)
{
	int64_t id;
	if (argc != 2)
		return usage("show takes one case id");
	int rc = parse_id(argv[1], &id);
	if (rc != BT_EXIT_OK)
		return rc;
	struct bt_store *st;
	if ((rc = bt_cli_open_store(&st)) != BT_EXIT_OK)
		return rc;
	struct bt_case *c;
	int err = bt_store_load(st, id, &c);
	if (err != BT_OK) {
		rc = store_failed(st, err);
		bt_store_close(st);
		return rc;
	}
	struct bt_boards *boards = bt_cli_load_boards();
	struct bt_diagnosis *d = bt_case_diagnose(c, boards);
	struct bt_report_opts o = { BT_REPORT_TEXT, BT_AUDIENCE_TECHNICIAN, -1, 1 };
	if (bt_report_write(stdout, c, d, &o) != BT_OK) {
		bt_diag("case %lld: could not write to stdout", (long long)id);
		rc = BT_EXIT_INPUT;
	}
	bt_diagnosis_free(d);
	bt_boards_free(boards);
	bt_case_free(c);
	bt_store_close(st);
	return rc;
}

static int cmd_verdict(int argc, char **argv)
{
	const char *part = NULL, *fixed = NULL, *note = NULL;
	if (argc < 2)
		return usage("verdict needs a case id");
	int64_t id;
	int rc = parse_id(argv[1], &id);
	if (rc != BT_EXIT_OK)
		return rc;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--part") == 0 && i + 1 < argc)
			part = argv[++i];
		else if (strcmp(argv[i], "--fixed") == 0 && i + 1 < argc)
			fixed = argv[++i];
		else if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
			note = argv[++i];
		else
			return usage("verdict takes --part P --fixed yes|no [--note T]");
	}
	if (!part || !*part || !fixed || (strcmp(fixed, "yes") != 0 && strcmp(fixed, "no") != 0))
		return usage("verdict needs --part P and --fixed yes|no");
	struct bt_store *st;
	if ((rc = bt_cli_open_store(&st)) != BT_EXIT_OK)
		return rc;
	int err = bt_store_case_check(st, id);
	if (err == BT_OK)
		err = bt_store_set_verdict(st, id, part, strcmp(fixed, "yes") == 0, note);
	if (err != BT_OK)
		rc = store_failed(st, err);
	bt_store_close(st);
	return rc;
}

static int cmd_export(int argc, char **argv)
{
	const char *dir = NULL;
	if (argc < 2)
		return usage("export needs a case id");
	int64_t id;
	int rc = parse_id(argv[1], &id);
	if (rc != BT_EXIT_OK)
		return rc;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			dir = argv[++i];
		else
			return usage("export takes -o DIR");
	}
	if (!dir)
		return usage("export needs -o DIR");
	struct bt_store *st;
	if ((rc = bt_cli_open_store(&st)) != BT_EXIT_OK)
		return rc;
	char msg[1024];
	int err = bt_case_export(st, id, dir, msg, sizeof msg);
	if (err != BT_OK) {
		bt_diag("%s", msg);
		rc = bt_err_exit_status(err);
	}
	bt_store_close(st);
	return rc;
}

static void print_warning(const char *msg, void *user)
{
	(void)user;
	bt_diag("warning: %s", msg);
}

static int cmd_import(int argc, char **argv)
{
	if (argc != 2)
		return usage("import takes one directory");
	struct bt_store *st;
	int rc = bt_cli_open_store(&st);
	if (rc != BT_EXIT_OK)
		return rc;
	struct bt_boards *boards = bt_cli_load_boards();
	char msg[1024] = "";
	int64_t id = 0;
	int err = bt_case_import(st, argv[1], boards, &id, print_warning, NULL, msg, sizeof msg);
	if (err != BT_OK) {
		bt_diag("%s", msg);
		rc = bt_err_exit_status(err);
	} else {
		printf("%lld\n", (long long)id);
	}
	bt_boards_free(boards);
	bt_store_close(st);
	return rc;
}

/* One `case add` item: stored, and its evidence derived and stored. */
/* Reads a whole input file (capped at what the store keeps); on failure says why and returns
 * the exit status, else BT_EXIT_OK with *text for the caller to free. */
static int read_input(const char *path, char **text, size_t *len)
{
	char msg[1024];
	int err = bt_read_file(path, BT_STORE_LOG_MAX, text, len, msg, sizeof msg);
	if (err != BT_OK) {
		bt_diag("%s", msg);
		return bt_err_exit_status(err);
	}
	return BT_EXIT_OK;
}

static int add_log(struct bt_store *st, int64_t id, const char *path)
{
	char *text;
	size_t len;
	int err = read_input(path, &text, &len);
	if (err != BT_EXIT_OK)
		return err;
	err = bt_store_add_attempt(st, id, path, -1, text, len, NULL);
	if (err == BT_OK) {
		struct bt_logscan *sc = bt_logscan_new();
		struct bt_evset *ev = bt_evset_new();
		bt_logscan_begin(sc, path);
		bt_logscan_feed(sc, text, len);
		bt_logscan_end(sc);
		bt_logscan_evidence(sc, ev);
		err = bt_store_add_evset(st, id, ev);
		bt_evset_free(ev);
		bt_logscan_free(sc);
	}
	free(text);
	return err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
}

static int add_recording(struct bt_store *st, int64_t id, const char *path)
{
	char msg[1024];
	char *text;
	size_t len;
	int err = read_input(path, &text, &len);
	if (err != BT_EXIT_OK)
		return err;
	err = bt_store_add_recording(st, id, path, -1, text, len, NULL);
	free(text);
	if (err != BT_OK)
		return store_failed(st, err);
	struct bt_evset *ev = bt_evset_new();
	int rc = bt_recovery_file_evidence(path, ev, msg, sizeof msg);
	if (rc == BT_OK)
		err = bt_store_add_evset(st, id, ev);
	else
		bt_diag("warning: %s (the recording is stored)", msg);
	bt_evset_free(ev);
	return err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
}

static int add_trace(struct bt_store *st, int64_t id, const char *path,
		     const struct bt_boards *boards)
{
	char msg[1024];
	int64_t trace;
	int err = bt_store_trace_new(st, id, path, -1, 0, &trace);
	if (err != BT_OK)
		return store_failed(st, err);
	err = bt_case_store_trace_csv(st, trace, path, msg, sizeof msg);
	if (err != BT_OK) {
		bt_diag("%s", msg);
		return bt_err_exit_status(err);
	}
	struct bt_case *c = NULL;
	const struct bt_board *board = NULL;
	if (bt_store_load(st, id, &c) == BT_OK)
		board = bt_case_board(c, boards);
	bt_case_free(c);
	struct bt_evset *ev = bt_evset_new();
	int rc = bt_trace_csv_evidence(path, board, ev, msg, sizeof msg);
	if (rc == BT_OK)
		err = bt_store_add_evset(st, id, ev);
	else
		bt_diag("warning: %s (the trace is stored)", msg);
	bt_evset_free(ev);
	return err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
}

/* "KEY=VALUE" split in place-free form: returns the '=' or NULL. */
static const char *split_eq(const char *s)
{
	const char *eq = strchr(s, '=');
	return (eq && eq != s && eq[1]) ? eq : NULL;
}

static int add_pair(struct bt_store *st, int64_t id, const char *opt, const char *arg)
{
	const char *eq = split_eq(arg);
	if (!eq) {
		bt_diag("case add %s: expected NAME=VALUE, got '%s'", opt, arg);
		return BT_EXIT_USAGE;
	}
	char *name = bt_xstrndup(arg, (size_t)(eq - arg));
	int err;
	if (strcmp(opt, "--test") == 0) {
		err = bt_store_add_test(st, id, name, eq + 1, -1, (double)time(NULL), NULL);
	} else if (strcmp(opt, "--set") == 0) {
		err = bt_store_case_set(st, id, name, eq + 1);
	} else {
		struct bt_evidence e = { name, eq + 1, "technician", 0, -1, "" };
		err = bt_store_add_evidence(st, id, &e);
	}
	free(name);
	if (err == BT_ERR_ARG) {
		bt_diag("case add %s: %s", opt, bt_store_error(st));
		return BT_EXIT_USAGE;
	}
	return err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
}

static int cmd_add(int argc, char **argv)
{
	if (argc < 3)
		return usage("add needs a case id and something to add");
	int64_t id;
	int rc = parse_id(argv[1], &id);
	if (rc != BT_EXIT_OK)
		return rc;
	for (int i = 2; i < argc; i += 2) /* every option takes one argument */
		if (i + 1 >= argc || argv[i][0] != '-')
			return usage(USAGE_ADD);
	struct bt_store *st;
	if ((rc = bt_cli_open_store(&st)) != BT_EXIT_OK)
		return rc;
	int err = bt_store_case_check(st, id);
	if (err != BT_OK) {
		rc = store_failed(st, err);
		bt_store_close(st);
		return rc;
	}
	struct bt_boards *boards = NULL;
	for (int i = 2; i < argc && rc == BT_EXIT_OK; i += 2) {
		const char *opt = argv[i], *arg = argv[i + 1];
		if (strcmp(opt, "--log") == 0) {
			rc = add_log(st, id, arg);
		} else if (strcmp(opt, "--recording") == 0) {
			rc = add_recording(st, id, arg);
		} else if (strcmp(opt, "--trace") == 0) {
			if (!boards)
				boards = bt_cli_load_boards();
			rc = add_trace(st, id, arg, boards);
		} else if (strcmp(opt, "--symptom") == 0) {
			err = bt_store_add_symptom(st, id, arg);
			rc = err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
		} else if (strcmp(opt, "--note") == 0) {
			err = bt_store_add_note(st, id, arg);
			rc = err == BT_OK ? BT_EXIT_OK : store_failed(st, err);
		} else if (strcmp(opt, "--test") == 0 || strcmp(opt, "--set") == 0 ||
			   strcmp(opt, "--evidence") == 0) {
			rc = add_pair(st, id, opt, arg);
		} else {
			rc = usage(USAGE_ADD);
		}
	}
	bt_boards_free(boards);
	bt_store_close(st);
	return rc;
}

int bt_cmd_case(int argc, char **argv)
{
	if (argc < 2)
		return usage("say what to do");
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "new") == 0)
		return cmd_new(argc, argv);
	if (strcmp(sub, "list") == 0)
		return cmd_list(argc, argv);
	if (strcmp(sub, "show") == 0)
		return cmd_show(argc, argv);
	if (strcmp(sub, "verdict") == 0)
		return cmd_verdict(argc, argv);
	if (strcmp(sub, "export") == 0)
		return cmd_export(argc, argv);
	if (strcmp(sub, "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(sub, "add") == 0)
		return cmd_add(argc, argv);
	return usage("unknown subcommand");
}
