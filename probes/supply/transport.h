/* transport.h — the byte pipe under every supply driver.
 *
 * One opaque handle over three backends chosen from the port spec:
 *   "tcp:HOST:PORT"         a network serial bridge (plain TCP socket);
 *   a pseudo-terminal path  a plain file descriptor in raw mode (libserialport cannot open
 *                           ptys, see docs/supply.md);
 *   anything else           a real serial port through libserialport (transport_sp.c, the only
 *                           file that includes <libserialport.h>), opened exclusively.
 * The transport owns its descriptor/port; bt_transport_close releases it. Nothing here prints:
 * failures come back as a bt_err code plus one line of text in the caller's buffer. A vanished
 * device (EOF, EIO, USB unplug) is reported as BT_ERR_GONE on the next read or write. */
#ifndef BT_SUPPLY_TRANSPORT_H
#define BT_SUPPLY_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

struct bt_transport; /* opaque */

enum bt_transport_kind { BT_TRANSPORT_SERIAL, BT_TRANSPORT_PTY, BT_TRANSPORT_TCP };

/* Opens spec at baud 8N1 without flow control (baud is ignored by ptys and TCP).
 * BT_OK, BT_ERR_NODEV (no such port), BT_ERR_IO (exists but cannot be opened/configured). */
int bt_transport_open(const char *spec, unsigned baud, struct bt_transport **out,
		      char *errbuf, size_t errlen);
void bt_transport_close(struct bt_transport *t);

enum bt_transport_kind bt_transport_kind(const struct bt_transport *t);
/* The path actually opened (symlinks resolved) or the tcp spec. */
const char *bt_transport_name(const struct bt_transport *t);
/* Changes the line speed (serial only; others accept and ignore). */
int bt_transport_set_baud(struct bt_transport *t, unsigned baud);

/* The character frame and handshake beyond 8N1 without flow control, which every port starts
 * with: Agilent/Keysight E363x/E364x want two stop bits and DTR/DSR (their manuals). */
enum bt_parity { BT_PARITY_NONE, BT_PARITY_EVEN, BT_PARITY_ODD };
enum bt_flow { BT_FLOW_NONE, BT_FLOW_RTSCTS, BT_FLOW_DTRDSR, BT_FLOW_XONXOFF };
struct bt_serial_frame {
	unsigned stop_bits;   /* 1 or 2 */
	enum bt_parity parity;
	enum bt_flow flow;
};
/* Applies f (serial ports; a pty takes stop bits, parity and RTS/CTS, TCP ignores it all).
 * BT_OK, BT_ERR_NA when the port cannot do it, BT_ERR_IO. */
int bt_transport_set_frame(struct bt_transport *t, const struct bt_serial_frame *f);

/* Writes all n bytes within timeout_ms. BT_OK, BT_ERR_TIMEOUT, BT_ERR_GONE or BT_ERR_IO. */
int bt_transport_write(struct bt_transport *t, const void *buf, size_t n, int timeout_ms);
/* Waits up to timeout_ms for at least one byte, then returns what is there (at most n).
 * Returns the count (0 on timeout) or BT_ERR_GONE / BT_ERR_IO. */
long bt_transport_read_some(struct bt_transport *t, void *buf, size_t n, int timeout_ms);
/* Reads until exactly n bytes arrived or timeout_ms passed in total. Returns the count. */
long bt_transport_read_exact(struct bt_transport *t, void *buf, size_t n, int timeout_ms);
/* Reads a reply whose end is a silence: waits up to first_ms for the first byte, then stops
 * after idle_ms without a byte or when cap bytes arrived. Returns the count. */
long bt_transport_read_idle(struct bt_transport *t, void *buf, size_t cap, int first_ms,
			    int idle_ms);
/* Discards input already received, then anything arriving until settle_ms of silence (at most
 * half a second in all, so a device that streams unasked cannot hold us). */
int bt_transport_flush_input(struct bt_transport *t, int settle_ms);

/* Backends: each fills ops and an implementation pointer. Internal to probes/supply/. */
struct bt_transport_ops {
	long (*read_some)(void *impl, void *buf, size_t n, int timeout_ms);
	int (*write)(void *impl, const void *buf, size_t n, int timeout_ms);
	int (*flush_input)(void *impl);
	int (*set_baud)(void *impl, unsigned baud);
	int (*set_frame)(void *impl, const struct bt_serial_frame *f); /* NULL: not a serial line */
	void (*close)(void *impl);
};
int bt_transport_fd_open(const char *path, unsigned baud, const struct bt_transport_ops **ops,
			 void **impl, char *errbuf, size_t errlen);
int bt_transport_tcp_open(const char *hostport, const struct bt_transport_ops **ops,
			  void **impl, char *errbuf, size_t errlen);
int bt_transport_sp_open(const char *path, unsigned baud, const struct bt_transport_ops **ops,
			 void **impl, char *errbuf, size_t errlen);
/* True when path (after resolving links) is a pseudo-terminal slave. */
bool bt_transport_is_pty(const char *path);

/* Monotonic clock in seconds, shared by drivers, sampler and simulators. */
double bt_mono_now(void);
void bt_sleep_ms(int ms);

#endif
