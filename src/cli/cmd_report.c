/* cmd_report.c — `benchtriage report ID --format text|json|html [--audience A] [-o FILE]`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/cli_store.h"
#include "cli/diag.h"
#include "core/err.h"
#include "report/report.h"
#include "store/case_data.h"
#include "store/case_score.h"
#include "store/store.h"

static int usage(const char *msg)
{
	bt_diag("report: %s; usage: report ID --format text|json|html "
		"[--audience technician|customer] [-o FILE]", msg);
	return BT_EXIT_USAGE;
}

int bt_cmd_report(int argc, char **argv)
{
	const char *idarg = NULL, *out = NULL;
	struct bt_report_opts o = { BT_REPORT_TEXT, BT_AUDIENCE_TECHNICIAN, (double)time(NULL), 0 };
	int have_format = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (bt_report_format_parse(argv[++i], &o.format) != BT_OK)
				return usage("--format is text, json or html");
			have_format = 1;
		} else if (strcmp(argv[i], "--audience") == 0 && i + 1 < argc) {
			if (bt_report_audience_parse(argv[++i], &o.audience) != BT_OK)
				return usage("--audience is technician or customer");
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] != '-' && !idarg) {
			idarg = argv[i];
		} else {
			return usage("unexpected argument");
		}
	}
	(void)have_format; /* text is the default */
	int64_t id;
	if (!idarg || bt_case_id_parse(idarg, &id) != BT_OK)
		return usage("give a case id (a positive number)");
	struct bt_store *st;
	int err = bt_cli_open_store(&st);
	if (err != BT_EXIT_OK)
		return err;
	struct bt_case *c;
	err = bt_store_load(st, id, &c);
	if (err != BT_OK) {
		bt_diag("%s", bt_store_error(st));
		bt_store_close(st);
		return bt_err_exit_status(err);
	}
	bt_store_close(st);
	struct bt_boards *boards = bt_cli_load_boards();
	struct bt_diagnosis *d = bt_case_diagnose(c, boards);
	int rc = BT_EXIT_OK;
	FILE *f = stdout;
	if (out && !(f = fopen(out, "w"))) {
		bt_diag("%s: %s", out, strerror(errno));
		rc = BT_EXIT_INPUT;
	}
	if (f) {
		err = bt_report_write(f, c, d, &o);
		if (f != stdout && fclose(f) != 0)
			err = BT_ERR_IO;
		if (err != BT_OK) {
			bt_diag("%s: could not write the report", out ? out : "stdout");
			if (out)
				unlink(out);
			rc = BT_EXIT_INPUT;
		}
	}
	bt_diagnosis_free(d);
	bt_boards_free(boards);
	bt_case_free(c);
	return rc;
}
