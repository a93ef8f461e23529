/* case_stats.h — which hypotheses and rules earn their weight, from confirmed verdicts.
 *
 * Every case with a verdict is re-scored with today's rules. A verdict "part P, fixed yes"
 * says the fault was P; "fixed no" says only that it was not P. Per board, the top-ranked
 * hypothesis is right when it names the part that fixed the phone and wrong when it names
 * another part that fixed it or a part whose repair did not. Per rule, a contribution that
 * raised a hypothesis is right when that hypothesis was the fault, one that lowered it is
 * right when it was not. Cases whose truth cannot be told are counted as undetermined. */
#ifndef BT_STORE_CASE_STATS_H
#define BT_STORE_CASE_STATS_H

#include <stddef.h>

#include "engine/board.h"
#include "store/store.h"

struct bt_stat_top {
	char board[64]; /* profile name, or "(none)" */
	char hyp[64];   /* the hypothesis ranked first */
	long judged;    /* cases where it was first and the verdict tells right from wrong */
	long right;
};

struct bt_stat_rule {
	char rule[96];
	char hyp[64];  /* the hypothesis it moves */
	int raises;    /* 1 when its likelihood ratio is > 1 */
	long judged;
	long right;
};

struct bt_stats {
	long cases;        /* cases with a verdict */
	long fixed;        /* of which the repair fixed the phone */
	long undetermined; /* verdicts that could not judge the top hypothesis */
	size_t ntops;
	struct bt_stat_top *tops;
	size_t nrules;
	struct bt_stat_rule *rules;
};

/* BT_OK or the store's error (message in bt_store_error). */
int bt_stats_compute(struct bt_store *st, const struct bt_boards *boards, struct bt_stats **out);
void bt_stats_free(struct bt_stats *s);

#endif
