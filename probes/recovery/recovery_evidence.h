/* recovery_evidence.h — evidence from a recorded recovery/DFU session file (for `analyze
 * --recording FILE`). Adds iboot.* evidence to set. Returns BT_OK, BT_ERR_IO (unreadable) or
 * BT_ERR_DATA with errbuf holding "file:line: message". */
#ifndef BT_PROBES_RECOVERY_EVIDENCE_H
#define BT_PROBES_RECOVERY_EVIDENCE_H

#include <stddef.h>

#include "core/evidence.h"

int bt_recovery_file_evidence(const char *path, struct bt_evset *set, char *errbuf, size_t errlen);

#endif
