/* engine.c — placeholder, replaced by the scoring engine shortly. */
#include "engine/engine.h"

#include <stdlib.h>

#include "core/xalloc.h"

struct bt_diagnosis *bt_engine_run(const struct bt_boards *set, const struct bt_board *board,
				   const struct bt_evset *evidence)
{
	(void)set;
	(void)evidence;
	struct bt_diagnosis *d = bt_xcalloc(1, sizeof *d);
	d->board = board ? bt_board_name(board) : NULL;
	return d;
}

void bt_diagnosis_free(struct bt_diagnosis *d)
{
	free(d);
}
