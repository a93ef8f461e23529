/* err.h — the project's error codes.
 *
 * Functions return int: BT_OK or a negative bt_err. Foreign codes (libirecovery,
 * libserialport, SQLite) are translated to these in exactly one place each; the
 * original code travels in the caller's diagnostic text. */
#ifndef BT_CORE_ERR_H
#define BT_CORE_ERR_H

enum bt_err {
	BT_OK = 0,
	BT_ERR = -1,          /* generic failure */
	BT_ERR_ARG = -2,      /* bad argument (programmer or user) */
	BT_ERR_NOMEM = -3,
	BT_ERR_IO = -4,       /* read/write failed */
	BT_ERR_TIMEOUT = -5,
	BT_ERR_DATA = -6,     /* input malformed or over a cap */
	BT_ERR_NA = -7,       /* not applicable / not supported */
	BT_ERR_NODEV = -8,    /* no device or port */
	BT_ERR_GONE = -9,     /* device stopped answering */
	BT_ERR_BUG = -10
	/* update bt_strerror() when this changes */
};

/* Static text for a code; never NULL. */
const char *bt_strerror(int err);

/* Process exit statuses of the command-line contract (DESIGN.md). */
enum bt_exit {
	BT_EXIT_OK = 0,
	BT_EXIT_USAGE = 1,
	BT_EXIT_INPUT = 2,
	BT_EXIT_NODEV = 3,
	BT_EXIT_GONE = 4
};

/* Map an error to the exit status the command line documents. */
int bt_err_exit_status(int err);

#endif
