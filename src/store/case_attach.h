/* case_attach.h — record an analysis into an existing case (`analyze --case ID FILE...`):
 * the raw logs, every evidence item and the diagnosis. Returns BT_OK, BT_ERR_DATA (no such
 * case; errbuf says so), BT_ERR_IO (store unusable: full disk, read-only home). */
#ifndef BT_STORE_CASE_ATTACH_H
#define BT_STORE_CASE_ATTACH_H

#include <stddef.h>

#include "core/evidence.h"
#include "engine/engine.h"

int bt_case_attach_analysis(const char *case_id, const char *const *log_paths, size_t nlogs,
			    const struct bt_evset *ev, const struct bt_diagnosis *d,
			    char *errbuf, size_t errlen);

/* The raw files behind `analyze --recording F --trace F.csv --case ID`: the recording body and
 * the trace samples go into the case (their evidence arrives through
 * bt_case_attach_analysis). Either path may be NULL. Same returns as above. */
int bt_case_attach_files(const char *case_id, const char *recording, const char *trace,
			 char *errbuf, size_t errlen);

#endif
