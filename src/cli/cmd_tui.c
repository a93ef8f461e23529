/* cmd_tui.c — `benchtriage` (the dashboard on the attached bench) and `benchtriage demo`.
 *
 * With nothing attached (no phone on USB, no --supply/--log/--run/--recording) the demo bench
 * starts. When stdin or stdout is not a terminal no curses is started: a one-shot text
 * analysis of the same inputs is printed instead, so `make run | cat` still says something. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench.h"
#include "bench/supply_feed.h"
#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "ui/tui.h"

#define RUN_ARGS_MAX 64

static const char usage_text[] =
	"usage: benchtriage [demo] [--log FILE | --run 'CMD ARGS' | -- CMD ARGS...]\n"
	"                   [--supply PORT] [--driver D] [--baud N] [--profile F] [--recording F]\n"
	"                   [--board B] [--case ID]\n"
	"                   [--speed X] [--max-seconds N] [--no-color] [--ascii] [--text]\n"
	"                   [--demo-dir DIR]\n";

static void print_summary(struct bt_bench *b, bool demo, const char *why)
{
	if (demo)
		printf("benchtriage demo bench (SIMULATED: recorded phone, simulated supply, real "
		       "restore log)\n");
	printf("%s: a one-shot analysis instead of the dashboard.\n\n", why);

	struct bt_phone_in ph;
	bt_bench_phone_view(b, &ph);
	const char *mode = ph.ev ? bt_evset_value(ph.ev, "iboot.mode") : NULL;
	printf("Phone%s: ", ph.simulated ? " (SIMULATED, recorded)" : "");
	if (!mode) {
		printf("none in recovery/DFU mode (%s)\n", ph.status ? ph.status : "");
	} else {
		const char *prod = bt_evset_value(ph.ev, "device.product_type");
		const char *cpid = bt_evset_value(ph.ev, "iboot.cpid");
		const char *bdid = bt_evset_value(ph.ev, "iboot.bdid");
		printf("%s mode, %s, CPID %s BDID %s\n", mode, prod ? prod : "product unknown",
		       cpid ? cpid : "?", bdid ? bdid : "?");
		for (size_t i = 0; i < bt_evset_count(ph.ev); i++) {
			const struct bt_evidence *e = bt_evset_at(ph.ev, i);
			if (strncmp(e->key, "iboot.env.", 10) != 0)
				continue;
			const char *meaning = bt_iboot_var_meaning(e->key + 10);
			printf("  %s = %s%s%s\n", e->key + 10, e->value, meaning ? "  -- " : "",
			       meaning ? meaning : "");
		}
	}

	struct bt_restore_in ri;
	bt_bench_restore_view(b, &ri);
	const struct bt_restore *r = ri.r;
	printf("\nRestore%s: %s\n", ri.simulated ? " (SIMULATED replay of a real log)" : "",
	       ri.source ? ri.source : "no restore log");
	if (r) {
		const char *names[] = { "unknown", "incomplete", "failed", "succeeded" };
		printf("  outcome %s, subsystem %s, %zu steps, %ld lines\n",
		       names[r->outcome <= BT_OUTCOME_SUCCEEDED ? r->outcome : 0],
		       r->subsystem ? r->subsystem : "unknown", r->nsteps, r->lines);
		if (r->lines > 0 && r->recognised == 0)
			printf("  no line of a known restore-log family: is this the restore log?\n");
		if (r->failed_step.name)
			printf("  failing step %s (line %ld)\n", r->failed_step.name, r->failed_step.line);
		if (r->has_status)
			printf("  status %ld\n", r->status);
		if (r->host_error)
			printf("  error %ld\n", r->host_error);
		if (r->verdict_text)
			printf("  line %ld: %s\n", r->verdict_line, r->verdict_text);
	}

	const struct bt_diagnosis *d = bt_bench_diagnosis(b);
	const char *board = bt_bench_board_title(b);
	printf("\nDiagnosis (board %s):\n", board ? board : "unknown, generic priors");
	for (size_t i = 0; d && i < d->nhyp && i < 6; i++)
		printf("  %-16s %5.1f%%\n", d->hyp[i].id, d->hyp[i].probability * 100);
	if (d && d->ntests) {
		printf("\nNext tests:\n");
		for (size_t i = 0; i < d->ntests && i < 3; i++)
			printf("  %zu. %s%s%s%s\n", i + 1, d->tests[i].title ? d->tests[i].title
							   : d->tests[i].id,
			       d->tests[i].risk && strcmp(d->tests[i].risk, "none") ? " (" : "",
			       d->tests[i].risk && strcmp(d->tests[i].risk, "none") ? d->tests[i].risk : "",
			       d->tests[i].risk && strcmp(d->tests[i].risk, "none") ? ")" : "");
	}
	printf("\nRun it in a terminal for the live dashboard and the guided tests.\n");
}

static bool parse_number(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0) || v > 1e7)
		return false;
	*out = v;
	return true;
}

int bt_cmd_tui(int argc, char **argv)
{
	struct bt_bench_opts o;
	memset(&o, 0, sizeof o);
	o.argv0 = argv[0];
	struct bt_tui_opts to = { 0, false, false };
	bool text = false;
	char *run_args[RUN_ARGS_MAX + 1];
	char *run_copy = NULL;
	int i = 1;
	if (argc >= 1 && strcmp(argv[0], "demo") == 0)
		o.demo = true;
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (strcmp(a, "--") == 0) {
			if (i + 1 >= argc || argc - i - 1 > RUN_ARGS_MAX) {
				bt_diag("--: give the restore command after it (at most %d words)",
					RUN_ARGS_MAX);
				return BT_EXIT_USAGE;
			}
			o.run_argv = argv + i + 1;
			break;
		} else if (strcmp(a, "--no-color") == 0) {
			to.no_color = true;
			takes = false;
		} else if (strcmp(a, "--ascii") == 0) {
			to.ascii = true;
			takes = false;
		} else if (strcmp(a, "--text") == 0) {
			text = true;
			takes = false;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			return BT_EXIT_OK;
		} else if (!v) {
			bt_diag("%s: unknown option or missing value (try --help)", a);
			free(run_copy);
			return BT_EXIT_USAGE;
		} else if (strcmp(a, "--log") == 0) {
			o.log_path = v;
		} else if (strcmp(a, "--run") == 0) {
			free(run_copy);
			run_copy = bt_xstrdup(v);
			size_t n = 0;
			for (char *tok = strtok(run_copy, " \t"); tok && n < RUN_ARGS_MAX;
			     tok = strtok(NULL, " \t"))
				run_args[n++] = tok;
			run_args[n] = NULL;
			if (n == 0) {
				bt_diag("--run: empty command");
				free(run_copy);
				return BT_EXIT_USAGE;
			}
			o.run_argv = run_args;
		} else if (strcmp(a, "--supply") == 0 || strcmp(a, "--port") == 0) {
			o.supply_port = v;
		} else if (strcmp(a, "--driver") == 0) {
			o.supply_driver = v;
		} else if (strcmp(a, "--profile") == 0) {
			o.supply_profile = v;
		} else if (strcmp(a, "--baud") == 0) {
			if (!v || bt_supply_parse_baud(v, &o.supply_baud) != BT_OK) {
				bt_diag("--baud wants the supply's line speed (300 to 4000000), not '%s'",
					v ? v : "");
				return BT_EXIT_USAGE;
			}
		} else if (strcmp(a, "--recording") == 0) {
			o.recording = v;
		} else if (strcmp(a, "--board") == 0) {
			o.board = v;
		} else if (strcmp(a, "--case") == 0) {
			o.case_id = v;
		} else if (strcmp(a, "--demo-dir") == 0) {
			o.demo_dir = v;
		} else if (strcmp(a, "--speed") == 0) {
			if (!parse_number(v, &o.speed) || o.speed <= 0) {
				bt_diag("--speed %s: give a positive number", v);
				free(run_copy);
				return BT_EXIT_USAGE;
			}
		} else if (strcmp(a, "--max-seconds") == 0) {
			if (!parse_number(v, &to.max_seconds)) {
				bt_diag("--max-seconds %s: give a number of seconds", v);
				free(run_copy);
				return BT_EXIT_USAGE;
			}
		} else {
			bt_diag("%s: unknown option (try --help)", a);
			free(run_copy);
			return BT_EXIT_USAGE;
		}
		if (takes)
			i++;
	}
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (!o.demo && !o.log_path && !o.run_argv && !o.supply_port && !o.recording &&
	    !bt_bench_phone_attached())
		o.demo = true; /* nothing attached: show the simulated bench */

	char err[256];
	struct bt_bench *b = NULL;
	double now = bt_bench_clock();
	int rc = bt_bench_open(&b, &o, now, err, sizeof err);
	if (rc != BT_OK) {
		bt_diag("%s", err);
		free(run_copy);
		return bt_err_exit_status(rc);
	}
	int status = BT_EXIT_OK;
	if (text || !tty) {
		bt_bench_drain(b, now);
		print_summary(b, o.demo, text ? "Text mode" : "Not a terminal");
	} else {
		enum bt_tui_end end = bt_tui_run(b, &to);
		if (end == BT_TUI_NO_TERMINAL) {
			bt_diag("cannot start the dashboard on this terminal (TERM=%s); text instead",
				getenv("TERM") ? getenv("TERM") : "unset");
			bt_bench_drain(b, bt_bench_clock());
			print_summary(b, o.demo, "No usable terminal");
		}
	}
	bt_bench_close(b);
	free(run_copy);
	return status;
}
