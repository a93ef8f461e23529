/* case_pack.h — evidence packs: a case as a directory a technician can mail or archive.
 *
 *   DIR/case.json              everything but the raw data (schema "benchtriage.case/1")
 *   DIR/logs/attempt-N.log     raw restore logs
 *   DIR/recordings/recording-N.txt  recovery/DFU recordings (the probe's session files)
 *   DIR/traces/trace-N.csv     current traces: time_s,current_a,voltage_v
 *
 * Import re-scores with today's rules: logs go through the log scanner, recordings through
 * the recovery evidence reader, traces through the trace analysis; evidence those produce
 * replaces the pack's copies (the technician's own items — symptoms, tests, typed errors —
 * are kept as they were). A class the current build cannot re-read keeps its old items.
 * Nothing here prints: warnings go to the callback. */
#ifndef BT_STORE_CASE_PACK_H
#define BT_STORE_CASE_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "engine/board.h"
#include "store/store.h"

#define BT_PACK_SCHEMA "benchtriage.case/1"
#define BT_PACK_JSON_MAX (64u * 1024u * 1024u)

typedef void (*bt_pack_warn_fn)(const char *msg, void *user);

/* Writes case id into dir (created; must not exist or be empty). BT_ERR_DATA no such case,
 * BT_ERR_IO cannot write (errbuf names the file). */
int bt_case_export(struct bt_store *st, int64_t id, const char *dir, char *errbuf, size_t errlen);

/* Reads a pack into a new case (*new_id), re-scoring its raw data. boards may be NULL. */
int bt_case_import(struct bt_store *st, const char *dir, const struct bt_boards *boards,
		   int64_t *new_id, bt_pack_warn_fn warn, void *user, char *errbuf, size_t errlen);

/* Reads a trace CSV (optional header "time_s,...", then t,current_a[,voltage_v] per line)
 * into trace's samples, stored in batches. A bad line is BT_ERR_DATA naming file and line. */
int bt_case_store_trace_csv(struct bt_store *st, int64_t trace, const char *path, char *errbuf,
			    size_t errlen);

#endif
