/* rule_parse.h — the `when` predicate language of board rules (docs/board-format.md):
 *
 *   when = restore.error in 4013|4014 and symptom.liquid_exposure = yes
 *
 * Predicates are joined by `and`; each is `key OP value` with OP one of = != in contains
 * >= <= > < , or `key present` / `key absent`. `in lo..hi` is a numeric range, `in a|b|c` a
 * set. `key != v` holds when no item of key equals v (also when key is absent). A value with spaces is written in double quotes. Internal to src/engine/. */
#ifndef BT_ENGINE_RULE_PARSE_H
#define BT_ENGINE_RULE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "engine/board_priv.h"

/* Parses text into a new array (caller frees with bt_rule_preds_free). BT_OK, or BT_ERR_DATA
 * with err holding why. */
int bt_rule_parse_when(const char *text, struct bt_pred **out, size_t *n, char *err, size_t errlen);
void bt_rule_preds_free(struct bt_pred *p, size_t n);

/* True when the predicate holds for the evidence; *hit is the item it looked at (NULL for
 * `absent`). With several items under one key, any of them may satisfy it. */
bool bt_pred_holds(const struct bt_pred *p, const struct bt_evset *ev, const struct bt_evidence **hit);

#endif
