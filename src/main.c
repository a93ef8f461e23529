/* main.c — argument dispatch only. Every verb lives in src/cli/. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"

#ifndef BT_VERSION
#define BT_VERSION "0.1.0"
#endif

static int cmd_probe(int argc, char **argv);

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct verb verbs[] = {
	{ "analyze", bt_cmd_analyze,
	  "analyze [--board B] [--json] [--symptom S]... [--error N] [--recording F] [--trace F.csv] [--case ID] [FILE...]" },
	{ "boards", bt_cmd_boards, "boards [--json] | boards check [FILE...]" },
	{ "probe", cmd_probe,
	  "probe recovery [--json] [--wait S] [--watch] [--record F] [--replay F]\n"
	  "       benchtriage probe supply --port P [--driver korad|riden|dps|um|scpi|auto] [--seconds N]\n"
	  "                   [--baud N] [--csv F] [--profile F] [--simulate SCENARIO [--faults LIST] [--model M]]\n"
	  "                   | --bench-rate" },
	{ "case", bt_cmd_case,
	  "case new [--label T] | list [--json] | show ID | verdict ID --part P --fixed yes|no [--note T]\n"
	  "       benchtriage case export ID -o DIR | import DIR\n"
	  "       benchtriage case add ID [--log F] [--recording F] [--trace F.csv] [--symptom S]\n"
	  "                   [--test ID=OUTCOME] [--note T] [--evidence KEY=VALUE] [--set FIELD=VALUE]" },
	{ "report", bt_cmd_report, "report ID --format text|json|html [--audience technician|customer] [-o F]" },
	{ "stats", bt_cmd_stats, "stats [--json]" },
	{ "demo", bt_cmd_tui,
	  "[demo] [--log F | --run 'CMD ARGS' | -- CMD ARGS...] [--supply PORT] [--driver D] [--baud N] [--profile F]\n"
	  "                   [--recording F] [--board B] [--case ID] [--speed X] [--max-seconds N]\n"
	  "                   [--no-color] [--ascii] [--text]    the bench TUI (demo: simulated)" },
};

static void usage(FILE *out)
{
	fputs("usage: benchtriage                 TUI on the attached bench\n", out);
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		fprintf(out, "       benchtriage %s\n", verbs[i].usage);
}

static int is_help(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

static int cmd_probe(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "recovery") == 0)
		return bt_cmd_probe_recovery(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "supply") == 0)
		return bt_cmd_probe_supply(argc - 1, argv + 1);
	bt_diag("probe: say 'recovery' or 'supply'");
	return BT_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2)
		return bt_cmd_tui(argc, argv);
	const char *verb = argv[1];
	if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0 || strcmp(verb, "help") == 0) {
		usage(stdout);
		return BT_EXIT_OK;
	}
	if (strcmp(verb, "--version") == 0) {
		printf("benchtriage %s\n", BT_VERSION);
		return BT_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (strcmp(verb, verbs[i].name) != 0)
			continue;
		/* `VERB --help` and `probe KIND --help`: the usage on stdout, exit 0, for every verb
		 * alike, whatever each verb's own parser would say. */
		int at = strcmp(verb, "probe") == 0 ? 3 : 2;
		if ((argc > 2 && is_help(argv[2])) || (argc > at && is_help(argv[at]))) {
			printf("usage: benchtriage %s\n", verbs[i].usage);
			return BT_EXIT_OK;
		}
		return verbs[i].run(argc - 1, argv + 1);
	}
	if (verb[0] == '-')
		return bt_cmd_tui(argc, argv);
	bt_diag("unknown command '%s' (try --help)", verb);
	return BT_EXIT_USAGE;
}
