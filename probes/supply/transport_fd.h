/* transport_fd.h — descriptor helpers shared by the fd, tcp and simulator code (internal). */
#ifndef BT_SUPPLY_TRANSPORT_FD_H
#define BT_SUPPLY_TRANSPORT_FD_H

#include <stdbool.h>

#include "supply/transport.h"

/* Puts a tty into raw 8N1 mode at baud (no echo, no translation, no signals). */
int bt_tty_make_raw(int fd, unsigned baud);
/* Wraps an open, non-blocking descriptor; the transport closes it. */
int bt_transport_fd_adopt(int fd, bool is_tty, const struct bt_transport_ops **ops, void **impl);

#endif
