/* scan_oslog.h — macOS log line prefixes (unified log `log show` styles, ASL, BSD syslog):
 * where a process's message starts, the time of day, and which process wrote it.
 *
 * Private to src/logs (scan_line.c peels with it). Pure functions over a (pointer, length)
 * view; nothing is allocated and the views returned point into the caller's line. */
#ifndef BT_LOGS_SCAN_OSLOG_H
#define BT_LOGS_SCAN_OSLOG_H

#include <stdbool.h>
#include <stddef.h>

struct bt_ls_oslog {
	double sod;          /* seconds of the day of the line's stamp */
	const char *frac;    /* the stamp's fraction digits (frac_n of them, may be 0) */
	size_t frac_n;
	const char *proc;    /* the process that wrote the line (proc_n bytes, no NUL) */
	size_t proc_n;
	bool nslog;          /* an app's own NSLog line (its stderr), not a system log's */
};

/* Length of s's macOS log prefix up to the process's message, filling o; 0 when s does not
 * start with one (o is then unspecified). */
size_t bt_ls_oslog_prefix(const char *s, size_t n, struct bt_ls_oslog *o);

/* Length of the "(Library) " and "[subsystem:category] " that may start a unified-log
 * message; 0 when neither is there. */
size_t bt_ls_oslog_sender(const char *s, size_t n);
/* s[0..3) is an English month abbreviation ("Jan" … "Dec"); three bytes must be readable. */
bool bt_ls_month_at(const char *s);

#endif
