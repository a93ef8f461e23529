/* Placeholder until the recovery probe lands (issue 3). */
#include "recovery/recovery_evidence.h"

#include <stdio.h>

#include "core/err.h"

int bt_recovery_file_evidence(const char *path, struct bt_evset *set, char *errbuf, size_t errlen)
{
	(void)set;
	snprintf(errbuf, errlen, "%s: recordings are not supported yet", path);
	return BT_ERR_NA;
}
