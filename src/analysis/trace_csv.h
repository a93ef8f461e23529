/* trace_csv.h — evidence from a current trace CSV (`time_s,current_a,voltage_v`) for
 * `analyze --trace FILE.csv`. board may be NULL. Adds supply.* evidence to set. Returns BT_OK,
 * BT_ERR_IO or BT_ERR_DATA with errbuf holding "file:line: message". Owner: helper "supply". */
#ifndef BT_ANALYSIS_TRACE_CSV_H
#define BT_ANALYSIS_TRACE_CSV_H

#include <stddef.h>

#include "core/evidence.h"
#include "engine/board.h"

int bt_trace_csv_evidence(const char *path, const struct bt_board *board, struct bt_evset *set,
			  char *errbuf, size_t errlen);

struct bt_trace;
/* Reads a trace file into trace (analysis/trace.h). Lines are capped at 256 bytes; a header
 * line is required; '#' lines are comments; voltage may be empty; time may not go backwards. */
int bt_trace_csv_read(const char *path, struct bt_trace *trace, char *errbuf, size_t errlen);
/* The same over a buffer (name is used in messages). */
int bt_trace_csv_parse(const char *name, const char *buf, size_t n, struct bt_trace *trace,
		       char *errbuf, size_t errlen);

#endif
