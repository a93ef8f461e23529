/* libFuzzer target: the board-profile reader and the engine over whatever it accepted. Any
 * input must load or be refused with diagnostics, never crash, hang or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "engine/board.h"
#include "engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* an embedded NUL simply ends the text early */
	struct bt_boards *set = bt_boards_new();
	struct bt_board_diags d = {0};
	bt_boards_load_string(set, "fuzz.ini", text, &d);
	bt_board_diags_done(&d);
	/* Whatever loaded must also run: evidence that touches every predicate kind. */
	struct bt_evset *ev = bt_evset_new();
	bt_evset_add(ev, "restore.error", "4013", "fuzz", 1, -1, "");
	bt_evset_add(ev, "restore.outcome", "failed", "fuzz", 2, -1, "");
	bt_evset_add(ev, "restore.subsystem", "storage", "fuzz", 3, -1, "");
	bt_evset_add(ev, "supply.level_ma", "65", "fuzz", 4, -1, "");
	bt_evset_add(ev, "test.front_flex_disconnect", "same_failure", "fuzz", 5, -1, "");
	const struct bt_board *b = bt_boards_count(set) ? bt_boards_at(set, 0) : NULL;
	struct bt_diagnosis *dg = bt_engine_run(set, b, ev);
	bt_diagnosis_free(dg);
	bt_evset_free(ev);
	bt_boards_free(set);
	free(text);
	return 0;
}
