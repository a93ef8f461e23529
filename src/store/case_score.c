/* case_score.c — a stored case through today's engine. */
#include "store/case_score.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct bt_evset *bt_case_evidence(const struct bt_case *c)
{
	struct bt_evset *set = bt_evset_new();
	bt_evset_merge(set, c->evidence);
	for (size_t i = 0; i < c->nsymptoms; i++) {
		char *key = bt_xasprintf("symptom.%s", c->symptoms[i]);
		if (!bt_evset_find(set, key))
			bt_evset_add(set, key, "yes", "technician", 0, -1, "");
		free(key);
	}
	for (size_t i = 0; i < c->ntests; i++) {
		char *key = bt_xasprintf("test.%s", c->tests[i].test_id);
		bt_evset_put(set, key, c->tests[i].outcome, "technician", 0, -1, "");
		free(key);
	}
	if (c->board && !bt_evset_find(set, "board"))
		bt_evset_add(set, "board", c->board, "technician", 0, -1, "");
	return set;
}

const struct bt_board *bt_case_board(const struct bt_case *c, const struct bt_boards *set)
{
	if (!set)
		return NULL;
	const char *tries[] = {
		/* what the technician said first, then what the phone or its log said */
		c->board,
		bt_evset_value(c->evidence, "board"),
		c->product_type,
		bt_evset_value(c->evidence, "iboot.board"),
		bt_evset_value(c->evidence, "device.board_config"),
		bt_evset_value(c->evidence, "device.product_type"),
	};
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (!tries[i] || !*tries[i])
			continue;
		const struct bt_board *b = bt_boards_find(set, tries[i]);
		if (b)
			return b;
	}
	return NULL;
}

struct bt_diagnosis *bt_case_diagnose(const struct bt_case *c, const struct bt_boards *set)
{
	struct bt_evset *ev = bt_case_evidence(c);
	struct bt_diagnosis *d = bt_engine_run(set, bt_case_board(c, set), ev);
	bt_evset_free(ev);
	return d;
}

struct bt_boards *bt_case_boards_load(void)
{
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags diags = { 0, NULL };
	(void)bt_boards_load_default(set, &diags);
	bt_board_diags_done(&diags);
	return set;
}

int bt_store_ranking_of(struct bt_store *st, int64_t id, const struct bt_diagnosis *d)
{
	const char **ids = bt_xcalloc(d->nhyp ? d->nhyp : 1, sizeof *ids);
	double *probs = bt_xcalloc(d->nhyp ? d->nhyp : 1, sizeof *probs);
	for (size_t i = 0; i < d->nhyp; i++) {
		ids[i] = d->hyp[i].id;
		probs[i] = d->hyp[i].probability;
	}
	int err = bt_store_add_ranking(st, id, d->board, d->nhyp, ids, probs);
	free(ids);
	free(probs);
	return err;
}
