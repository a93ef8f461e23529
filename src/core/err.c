#include "core/err.h"

const char *bt_strerror(int err)
{
	switch (err) {
	case BT_OK: return "success";
	case BT_ERR: return "failed";
	case BT_ERR_ARG: return "invalid argument";
	case BT_ERR_NOMEM: return "out of memory";
	case BT_ERR_IO: return "input/output error";
	case BT_ERR_TIMEOUT: return "timed out";
	case BT_ERR_DATA: return "malformed input";
	case BT_ERR_NA: return "not supported";
	case BT_ERR_NODEV: return "no device found";
	case BT_ERR_GONE: return "device stopped answering";
	case BT_ERR_BUG: return "internal error";
	default: return "unknown error";
	}
}

int bt_err_exit_status(int err)
{
	switch (err) {
	case BT_OK: return BT_EXIT_OK;
	case BT_ERR_ARG: return BT_EXIT_USAGE;
	case BT_ERR_NODEV: return BT_EXIT_NODEV;
	case BT_ERR_GONE: case BT_ERR_TIMEOUT: return BT_EXIT_GONE;
	default: return BT_EXIT_INPUT;
	}
}
