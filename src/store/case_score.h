/* case_score.h — a stored case through today's engine: the evidence the engine sees (every
 * stored item, plus symptom.<id>=yes and test.<id>=<outcome> for recorded symptoms and
 * tests), the board profile that fits the case, and the diagnosis. Pure: no I/O. */
#ifndef BT_STORE_CASE_SCORE_H
#define BT_STORE_CASE_SCORE_H

#include "core/evidence.h"
#include "engine/board.h"
#include "engine/engine.h"
#include "store/case_data.h"
#include "store/store.h"

/* A new set the caller frees. */
struct bt_evset *bt_case_evidence(const struct bt_case *c);
/* The case's board field, else evidence "board", the case's product type, evidence
 * "iboot.board", "device.board_config", "device.product_type"; NULL when none is known. */
const struct bt_board *bt_case_board(const struct bt_case *c, const struct bt_boards *set);
/* bt_engine_run over bt_case_evidence with bt_case_board; caller frees with bt_diagnosis_free. */
struct bt_diagnosis *bt_case_diagnose(const struct bt_case *c, const struct bt_boards *set);

/* Stores a diagnosis' ranking with bt_store_add_ranking. */
int bt_store_ranking_of(struct bt_store *st, int64_t id, const struct bt_diagnosis *d);

/* The default board profiles (bt_boards_load_default); problems in them are ignored here
 * (`boards check` reports them). Never NULL; the caller frees with bt_boards_free. */
struct bt_boards *bt_case_boards_load(void);

#endif
