/* cmd_boards.c — `benchtriage boards [--json]` lists the profiles (identity rows, tags, the
 * symptoms a technician can tick, the guided tests); `boards check FILE...` validates profile
 * files and names file:line for every problem. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"
#include "engine/board.h"

static void usage(void)
{
	bt_diag("usage: benchtriage boards [--json] | boards check FILE...");
}

static int check_files(int n, char **files)
{
	if (n < 1) {
		usage();
		return BT_EXIT_USAGE;
	}
	int bad = 0;
	struct bt_boards *set = bt_boards_new();
	/* Rules in a board file may name hypotheses that common.ini declares: load the shipped
	 * set quietly first so those names are known (its own problems are not this check's). */
	struct bt_board_diags quiet = {0};
	bt_boards_load_default(set, &quiet);
	bt_board_diags_done(&quiet);
	for (int i = 0; i < n; i++) {
		struct bt_board_diags d = {0};
		int rc = bt_boards_load_file(set, files[i], &d);
		for (size_t k = 0; k < d.count; k++)
			bt_diag("%s", d.msgs[k]);
		if (rc != BT_OK) {
			bad = 1;
			if (!d.count)
				bt_diag("%s: %s", files[i], bt_strerror(rc));
		} else {
			printf("%s: ok\n", files[i]);
		}
		bt_board_diags_done(&d);
	}
	bt_boards_free(set);
	return bad ? BT_EXIT_INPUT : BT_EXIT_OK;
}

static json_t *symptoms_json(const struct bt_boards *set, const struct bt_board *b)
{
	json_t *arr = json_array();
	size_t n = bt_board_symptom_count(set, b);
	for (size_t i = 0; i < n; i++) {
		const struct bt_symptom *s = bt_board_symptom_at(set, b, i);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "id", s->id, "title",
						     s->title ? s->title : "", "source",
						     s->source ? s->source : ""));
	}
	return arr;
}

static json_t *tests_json(const struct bt_boards *set, const struct bt_board *b)
{
	json_t *arr = json_array();
	size_t n = bt_board_test_count(set, b);
	for (size_t i = 0; i < n; i++) {
		const struct bt_guided_test *t = bt_board_test_at(set, b, i);
		if (!t)
			continue;
		json_t *outs = json_array();
		for (size_t k = 0; k < t->noutcomes; k++)
			json_array_append_new(outs, json_pack("{s:s, s:s}", "id", t->outcomes[k].id,
							      "title", t->outcomes[k].title ? t->outcomes[k].title : ""));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "id", t->id,
						     "title", t->title ? t->title : "", "cost",
						     t->cost ? t->cost : "", "risk", t->risk ? t->risk : "",
						     "data_loss", t->data_loss, "outcomes", outs));
	}
	return arr;
}

static json_t *board_json(const struct bt_boards *set, const struct bt_board *b)
{
	json_t *variants = json_array();
	for (size_t i = 0; i < bt_board_variant_count(b); i++) {
		const struct bt_board_variant *v = bt_board_variant_at(b, i);
		char cpid[16], bdid[16];
		snprintf(cpid, sizeof cpid, "0x%04X", v->cpid);
		snprintf(bdid, sizeof bdid, "0x%02X", v->bdid);
		json_array_append_new(variants,
				      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "board_config",
						v->board_config, "product_type", v->product_type, "title",
						v->title ? v->title : "", "cpid", cpid, "bdid", bdid,
						"source", v->source ? v->source : ""));
	}
	json_t *tags = json_array();
	for (size_t i = 0; i < bt_board_tag_count(b); i++)
		json_array_append_new(tags, json_string(bt_board_tag_at(b, i)));
	json_t *levels = json_array();
	for (size_t i = 0; i < bt_board_current_count(b); i++) {
		const struct bt_current_level *c = bt_board_current_at(b, i);
		json_t *o = json_pack("{s:s, s:s, s:s}", "stage", c->stage, "confidence",
				      bt_confidence_name(c->confidence), "source", c->source ? c->source : "");
		if (!isnan(c->typical_ma))
			json_object_set_new(o, "typical_ma", json_real(c->typical_ma));
		if (!isnan(c->min_ma))
			json_object_set_new(o, "min_ma", json_real(c->min_ma));
		if (!isnan(c->max_ma))
			json_object_set_new(o, "max_ma", json_real(c->max_ma));
		if (c->note)
			json_object_set_new(o, "note", json_string(c->note));
		json_array_append_new(levels, o);
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "name", bt_board_name(b), "title",
			 bt_board_title(b) ? bt_board_title(b) : "", "file",
			 bt_board_file(b) ? bt_board_file(b) : "", "variants", variants, "tags", tags,
			 "symptoms", symptoms_json(set, b), "tests", tests_json(set, b),
			 "current_levels", levels);
}

static void print_text(const struct bt_boards *set)
{
	for (size_t i = 0; i < bt_boards_count(set); i++) {
		const struct bt_board *b = bt_boards_at(set, i);
		printf("%-10s %s\n", bt_board_name(b), bt_board_title(b));
		for (size_t k = 0; k < bt_board_variant_count(b); k++) {
			const struct bt_board_variant *v = bt_board_variant_at(b, k);
			printf("           %-8s %-11s cpid 0x%04X bdid 0x%02X  %s\n", v->board_config,
			       v->product_type, v->cpid, v->bdid, v->title ? v->title : "");
		}
		printf("           tags:");
		for (size_t k = 0; k < bt_board_tag_count(b); k++)
			printf(" %s", bt_board_tag_at(b, k));
		printf("\n           symptoms:");
		size_t ns = bt_board_symptom_count(set, b);
		for (size_t k = 0; k < ns; k++)
			printf("%s%s", k ? ", " : " ", bt_board_symptom_at(set, b, k)->id);
		printf("\n");
	}
}

int bt_cmd_boards(int argc, char **argv)
{
	bool json = false;
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return check_files(argc - 2, argv + 2);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: benchtriage boards [--json] | boards check FILE...\n");
			return BT_EXIT_OK;
		} else {
			usage();
			return BT_EXIT_USAGE;
		}
	}
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	int rc = bt_boards_load_default(set, &d);
	for (size_t k = 0; k < d.count; k++)
		bt_diag("%s", d.msgs[k]);
	bt_board_diags_done(&d);
	if (rc == BT_ERR_IO && bt_boards_count(set) == 0) {
		bt_diag("no board profiles found (set BENCHTRIAGE_BOARDS or run from the source tree)");
		bt_boards_free(set);
		return BT_EXIT_INPUT;
	}
	if (json) {
		json_t *root = json_object();
		json_object_set_new(root, "schema", json_string("benchtriage.boards/1"));
		json_t *arr = json_array();
		for (size_t i = 0; i < bt_boards_count(set); i++)
			json_array_append_new(arr, board_json(set, bt_boards_at(set, i)));
		json_object_set_new(root, "boards", arr);
		json_object_set_new(root, "common_symptoms", symptoms_json(set, NULL));
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(root);
	} else {
		print_text(set);
	}
	bt_boards_free(set);
	return rc == BT_OK ? BT_EXIT_OK : BT_EXIT_INPUT;
}
