#include "cli/cli_store.h"

#include "cli/diag.h"
#include "core/err.h"
#include "store/case_score.h"

int bt_cli_open_store(struct bt_store **st)
{
	char err[1024];
	int rc = bt_store_open(NULL, st, err, sizeof err);
	if (rc != BT_OK) {
		bt_diag("%s", err);
		return bt_err_exit_status(rc);
	}
	return BT_EXIT_OK;
}

struct bt_boards *bt_cli_load_boards(void)
{
	struct bt_boards *b = bt_case_boards_load();
	if (bt_boards_count(b) == 0)
		bt_diag("warning: no board profiles found (set BENCHTRIAGE_BOARDS); the ranking uses "
			"flat priors");
	return b;
}
