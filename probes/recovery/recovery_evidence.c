/* recovery_evidence.c — `analyze --recording FILE`: a recorded session straight to evidence,
 * through the same parser and interpretation as a live probe. */
#include "recovery/recovery_evidence.h"

#include "core/err.h"
#include "recovery/interpret.h"
#include "recovery/recording.h"

int bt_recovery_file_evidence(const char *path, struct bt_evset *set, char *errbuf, size_t errlen)
{
	struct bt_rec_session *s = bt_rec_session_new();
	int rc = bt_rec_parse_file(path, s, errbuf, errlen);
	if (rc == BT_OK)
		bt_rec_evidence(s, bt_rec_resolver_default(), path, set);
	bt_rec_session_free(s);
	return rc;
}
