/* Placeholder until its issue lands: says so plainly and exits with a usage error. */
#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"

int bt_cmd_case(int argc, char **argv)
{
	(void)argc;
	bt_diag("%s: not built yet", argv[0]);
	return BT_EXIT_USAGE;
}
