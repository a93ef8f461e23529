/* cmd_stats.c — `benchtriage stats [--json]`: how often each hypothesis and rule was right,
 * from the verdicts technicians confirmed (store/case_stats.h says how it is counted). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/cli_store.h"
#include "cli/diag.h"
#include "core/err.h"
#include "store/case_score.h"
#include "store/case_stats.h"
#include "store/store.h"

static double pct(long right, long judged)
{
	return judged ? 100.0 * (double)right / (double)judged : 0.0;
}

static void print_text(const struct bt_stats *s)
{
	printf("%ld case(s) with a verdict, %ld fixed, %ld undetermined\n", s->cases, s->fixed,
	       s->undetermined);
	if (!s->cases) {
		puts("Record verdicts with: benchtriage case verdict ID --part P --fixed yes|no");
		return;
	}
	printf("\nTop-ranked hypothesis, per board:\n%-16s %-16s %7s %7s %7s\n", "BOARD",
	       "HYPOTHESIS", "JUDGED", "RIGHT", "RATE");
	for (size_t i = 0; i < s->ntops; i++)
		printf("%-16s %-16s %7ld %7ld %6.0f%%\n", s->tops[i].board, s->tops[i].hyp,
		       s->tops[i].judged, s->tops[i].right, pct(s->tops[i].right, s->tops[i].judged));
	printf("\nRules:\n%-32s %-16s %-6s %7s %7s %7s\n", "RULE", "HYPOTHESIS", "MOVES", "JUDGED",
	       "RIGHT", "RATE");
	for (size_t i = 0; i < s->nrules; i++)
		printf("%-32s %-16s %-6s %7ld %7ld %6.0f%%\n", s->rules[i].rule, s->rules[i].hyp,
		       s->rules[i].raises ? "up" : "down", s->rules[i].judged, s->rules[i].right,
		       pct(s->rules[i].right, s->rules[i].judged));
}

static void print_json(const struct bt_stats *s)
{
	json_t *tops = json_array(), *rules = json_array();
	for (size_t i = 0; i < s->ntops; i++)
		json_array_append_new(tops, json_pack("{s:s s:s s:I s:I}", "board", s->tops[i].board,
						      "hypothesis", s->tops[i].hyp, "judged",
						      (json_int_t)s->tops[i].judged, "right",
						      (json_int_t)s->tops[i].right));
	for (size_t i = 0; i < s->nrules; i++)
		json_array_append_new(rules, json_pack("{s:s s:s s:s s:I s:I}", "rule",
						       s->rules[i].rule, "hypothesis", s->rules[i].hyp,
						       "moves", s->rules[i].raises ? "up" : "down",
						       "judged", (json_int_t)s->rules[i].judged, "right",
						       (json_int_t)s->rules[i].right));
	json_t *root = json_pack("{s:s s:I s:I s:I s:o s:o}", "schema", "benchtriage.stats/1",
				 "cases", (json_int_t)s->cases, "fixed", (json_int_t)s->fixed,
				 "undetermined", (json_int_t)s->undetermined, "top", tops, "rules",
				 rules);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

int bt_cmd_stats(int argc, char **argv)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else {
			bt_diag("stats: unexpected '%s'; usage: stats [--json]", argv[i]);
			return BT_EXIT_USAGE;
		}
	}
	struct bt_store *st;
	int err = bt_cli_open_store(&st);
	if (err != BT_EXIT_OK)
		return err;
	struct bt_boards *boards = bt_cli_load_boards();
	struct bt_stats *s;
	err = bt_stats_compute(st, boards, &s);
	int rc = BT_EXIT_OK;
	if (err != BT_OK) {
		bt_diag("%s", bt_store_error(st));
		rc = bt_err_exit_status(err);
	} else {
		if (json)
			print_json(s);
		else
			print_text(s);
		bt_stats_free(s);
	}
	bt_boards_free(boards);
	bt_store_close(st);
	return rc;
}
