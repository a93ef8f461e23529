/* diag.h — the one-line error convention of the command line:
 * "benchtriage: <message>" on stderr. */
#ifndef BT_CLI_DIAG_H
#define BT_CLI_DIAG_H

void bt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
