/* Placeholder until the case store lands (issue 6). */
#include "store/case_attach.h"

#include <stdio.h>

#include "core/err.h"

int bt_case_attach_analysis(const char *case_id, const char *const *log_paths, size_t nlogs,
			    const struct bt_evset *ev, const struct bt_diagnosis *d,
			    char *errbuf, size_t errlen)
{
	(void)log_paths;
	(void)nlogs;
	(void)ev;
	(void)d;
	snprintf(errbuf, errlen, "case %s: the case store is not built yet", case_id);
	return BT_ERR_NA;
}
