/* case_attach.c — `analyze --case ID FILE...`: the raw logs as restore attempts, every
 * evidence item and the engine's ranking go into the case, each committed on its own. */
#include "store/case_attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/case_pack.h"
#include "store/case_score.h"
#include "store/store.h"
#include "store/store_file.h"

int bt_case_attach_analysis(const char *case_id, const char *const *log_paths, size_t nlogs,
			    const struct bt_evset *ev, const struct bt_diagnosis *d,
			    char *errbuf, size_t errlen)
{
	int64_t id;
	if (bt_case_id_parse(case_id, &id) != BT_OK) {
		snprintf(errbuf, errlen, "case '%s': not a case id", case_id ? case_id : "");
		return BT_ERR_DATA;
	}
	struct bt_store *st;
	int err = bt_store_open(NULL, &st, errbuf, errlen);
	if (err != BT_OK)
		return err;
	err = bt_store_case_check(st, id);
	for (size_t i = 0; err == BT_OK && i < nlogs; i++) {
		char *text = NULL;
		size_t len = 0;
		err = bt_read_file(log_paths[i], BT_STORE_LOG_MAX, &text, &len, errbuf, errlen);
		if (err != BT_OK)
			break;
		err = bt_store_add_attempt(st, id, log_paths[i], -1, text, len, NULL);
		free(text);
	}
	if (err == BT_OK && ev)
		err = bt_store_add_evset(st, id, ev);
	if (err == BT_OK && d && d->nhyp)
		err = bt_store_ranking_of(st, id, d);
	if (err != BT_OK && errbuf[0] == '\0')
		snprintf(errbuf, errlen, "%s", bt_store_error(st));
	else if (err != BT_OK && bt_store_error(st)[0])
		snprintf(errbuf, errlen, "%s", bt_store_error(st));
	bt_store_close(st);
	return err;
}

int bt_case_attach_files(const char *case_id, const char *recording, const char *trace,
			 char *errbuf, size_t errlen)
{
	int64_t id;
	errbuf[0] = '\0';
	if (bt_case_id_parse(case_id, &id) != BT_OK) {
		snprintf(errbuf, errlen, "case '%s': not a case id", case_id ? case_id : "");
		return BT_ERR_DATA;
	}
	struct bt_store *st;
	int err = bt_store_open(NULL, &st, errbuf, errlen);
	if (err != BT_OK)
		return err;
	err = bt_store_case_check(st, id);
	if (err != BT_OK)
		snprintf(errbuf, errlen, "%s", bt_store_error(st));
	if (err == BT_OK && recording) {
		char *text = NULL;
		size_t len = 0;
		err = bt_read_file(recording, BT_STORE_LOG_MAX, &text, &len, errbuf, errlen);
		if (err == BT_OK) {
			err = bt_store_add_recording(st, id, recording, -1, text, len, NULL);
			if (err != BT_OK)
				snprintf(errbuf, errlen, "%s", bt_store_error(st));
		}
		free(text);
	}
	if (err == BT_OK && trace) {
		int64_t tr;
		err = bt_store_trace_new(st, id, trace, -1, 0, &tr);
		if (err != BT_OK)
			snprintf(errbuf, errlen, "%s", bt_store_error(st));
		else
			err = bt_case_store_trace_csv(st, tr, trace, errbuf, errlen);
	}
	bt_store_close(st);
	return err;
}
