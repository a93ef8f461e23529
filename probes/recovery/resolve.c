/* resolve.c — the default resolver: board profiles by CPID+BDID from our boards/ (engine),
 * libirecovery 1.0.0's table when no profile lists the chip (it stops at iPhone12,8), and the
 * restore step table of src/logs for subsystems. */
#include "recovery/interpret.h"

#include <string.h>

#include "engine/board.h"
#include "logs/steps.h"
#include "recovery/backend.h"

static struct bt_boards *boards;
static bool boards_tried;

static bool board_of(void *user, unsigned cpid, unsigned bdid, struct bt_rec_board *out)
{
	(void)user;
	if (!boards_tried) {
		boards_tried = true;
		struct bt_board_diags diags = { 0 };
		boards = bt_boards_new();
		bt_boards_load_default(boards, &diags); /* a broken profile elsewhere must not hide ours */
		bt_board_diags_done(&diags);
	}
	const struct bt_board *b = boards ? bt_boards_find_chip(boards, cpid, bdid) : NULL;
	if (b) {
		bt_rec_copy(out->name, sizeof out->name, bt_board_name(b));
		bt_rec_copy(out->product_type, sizeof out->product_type, bt_board_product_for_chip(b, cpid, bdid));
		out->source = "boards";
		return true;
	}
	if (bt_irecv_table_lookup(cpid, bdid, out->product_type, sizeof out->product_type,
				  out->name, sizeof out->name)) {
		out->source = "libirecovery";
		return true;
	}
	return false;
}

static const char *step_subsystem(void *user, const char *step)
{
	(void)user;
	return bt_steps_subsystem(step);
}

const struct bt_rec_resolver *bt_rec_resolver_default(void)
{
	static const struct bt_rec_resolver r = { board_of, step_subsystem, NULL };
	return &r;
}
