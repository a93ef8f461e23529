/* Placeholder until the supply analysis lands (issue 4). */
#include "analysis/trace_csv.h"

#include <stdio.h>

#include "core/err.h"

int bt_trace_csv_evidence(const char *path, const struct bt_board *board, struct bt_evset *set,
			  char *errbuf, size_t errlen)
{
	(void)board;
	(void)set;
	snprintf(errbuf, errlen, "%s: current traces are not supported yet", path);
	return BT_ERR_NA;
}
