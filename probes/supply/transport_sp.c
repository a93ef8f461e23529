/* transport_sp.c — real serial ports through libserialport. The only file that includes
 * <libserialport.h>, and the one place its error codes become bt_err codes (sp_error). */
#include "supply/transport.h"

#include <errno.h>
#include <libserialport.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/err.h"
#include "core/xalloc.h"

struct sp_impl {
	struct sp_port *port;
};

/* Translate a libserialport result; the text (with the OS error) goes to errbuf if given. */
static int sp_error(enum sp_return r, const char *what, char *errbuf, size_t errlen)
{
	if (r >= 0)
		return BT_OK;
	int os = sp_last_error_code();
	if (errbuf && errlen) {
		char *msg = (r == SP_ERR_FAIL) ? sp_last_error_message() : NULL;
		snprintf(errbuf, errlen, "%s: %s", what,
			 msg ? msg : r == SP_ERR_ARG ? "no such port" : r == SP_ERR_MEM ? "out of memory"
			 : r == SP_ERR_SUPP ? "not supported" : "failed");
		if (msg)
			sp_free_error_message(msg);
	}
	switch (r) {
	case SP_ERR_ARG: return BT_ERR_NODEV; /* 0.1.1 says ARG for a port that is not there */
	case SP_ERR_MEM: return BT_ERR_NOMEM;
	case SP_ERR_SUPP: return BT_ERR_NA;
	case SP_ERR_FAIL:
		if (os == EIO || os == ENXIO || os == ENODEV || os == EBADF)
			return BT_ERR_GONE; /* the adapter was unplugged */
		if (os == EAGAIN)
			return BT_ERR_TIMEOUT;
		return BT_ERR_IO;
	default: return BT_ERR_IO;
	}
}

static long sp_read_some(void *impl, void *buf, size_t n, int timeout_ms)
{
	struct sp_impl *s = impl;
	/* timeout 0 means "forever" in libserialport; poll instead. */
	enum sp_return r = timeout_ms > 0
		? sp_blocking_read_next(s->port, buf, n, (unsigned)timeout_ms)
		: sp_nonblocking_read(s->port, buf, n);
	if (r < 0)
		return sp_error(r, "read", NULL, 0);
	if (r == 0) {
		/* 0.1.1 treats read() == 0 (hang-up) as "no data yet" and just times out, so a pulled
		 * adapter would look like silence for ever: ask the descriptor directly. */
		int fd = -1;
		struct pollfd p = { .events = POLLIN };
		if (sp_get_port_handle(s->port, &fd) == SP_OK && fd >= 0) {
			p.fd = fd;
			if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
				return BT_ERR_GONE;
		}
	}
	return (long)r;
}

static int sp_write_all(void *impl, const void *buf, size_t n, int timeout_ms)
{
	struct sp_impl *s = impl;
	enum sp_return r = sp_blocking_write(s->port, buf, n, (unsigned)(timeout_ms > 0 ? timeout_ms : 1));
	if (r < 0)
		return sp_error(r, "write", NULL, 0);
	return (size_t)r == n ? BT_OK : BT_ERR_TIMEOUT;
}

static int sp_flush_in(void *impl)
{
	struct sp_impl *s = impl;
	return sp_error(sp_flush(s->port, SP_BUF_INPUT), "flush", NULL, 0);
}

static int sp_baud(void *impl, unsigned baud)
{
	struct sp_impl *s = impl;
	return sp_error(sp_set_baudrate(s->port, (int)baud), "baud", NULL, 0);
}

static int sp_frame(void *impl, const struct bt_serial_frame *f)
{
	struct sp_impl *s = impl;
	static const enum sp_parity parity[] = { SP_PARITY_NONE, SP_PARITY_EVEN, SP_PARITY_ODD };
	static const enum sp_flowcontrol flow[] = { SP_FLOWCONTROL_NONE, SP_FLOWCONTROL_RTSCTS,
						    SP_FLOWCONTROL_DTRDSR, SP_FLOWCONTROL_XONXOFF };
	int rc = sp_error(sp_set_stopbits(s->port, (int)f->stop_bits), "stop bits", NULL, 0);
	if (rc == BT_OK)
		rc = sp_error(sp_set_parity(s->port, parity[f->parity]), "parity", NULL, 0);
	if (rc == BT_OK)
		rc = sp_error(sp_set_flowcontrol(s->port, flow[f->flow]), "flow control", NULL, 0);
	return rc;
}

static void sp_close_impl(void *impl)
{
	struct sp_impl *s = impl;
	sp_close(s->port);
	sp_free_port(s->port);
	free(s);
}

static const struct bt_transport_ops sp_ops = {
	.read_some = sp_read_some,
	.write = sp_write_all,
	.flush_input = sp_flush_in,
	.set_baud = sp_baud,
	.set_frame = sp_frame,
	.close = sp_close_impl,
};

int bt_transport_sp_open(const char *path, unsigned baud, const struct bt_transport_ops **ops,
			 void **impl, char *errbuf, size_t errlen)
{
	struct sp_port *port = NULL;
	int rc = sp_error(sp_get_port_by_name(path, &port), path, errbuf, errlen);
	if (rc != BT_OK)
		return rc == BT_ERR_GONE ? BT_ERR_NODEV : rc;
	rc = sp_error(sp_open(port, SP_MODE_READ_WRITE), path, errbuf, errlen);
	if (rc != BT_OK) {
		sp_free_port(port);
		return rc == BT_ERR_GONE ? BT_ERR_NODEV : BT_ERR_IO;
	}
	/* 0.1.1 opens shared; a second reader would steal bytes, so ask for exclusive use. */
	int fd = -1;
	if (sp_get_port_handle(port, &fd) == SP_OK && fd >= 0 && ioctl(fd, TIOCEXCL) != 0) {
		snprintf(errbuf, errlen, "%s: cannot get exclusive use: %s", path, strerror(errno));
		sp_close(port);
		sp_free_port(port);
		return BT_ERR_IO;
	}
	static const char *const step[] = { "baud", "data bits", "parity", "stop bits", "flow control" };
	enum sp_return r[5] = {
		sp_set_baudrate(port, (int)baud), sp_set_bits(port, 8), sp_set_parity(port, SP_PARITY_NONE),
		sp_set_stopbits(port, 1), sp_set_flowcontrol(port, SP_FLOWCONTROL_NONE),
	};
	for (size_t i = 0; i < 5; i++) {
		if (r[i] < 0) {
			char what[300];
			snprintf(what, sizeof what, "%s: setting %s", path, step[i]);
			rc = sp_error(r[i], what, errbuf, errlen);
			sp_close(port);
			sp_free_port(port);
			return rc == BT_ERR_NA ? BT_ERR_IO : rc;
		}
	}
	struct sp_impl *s = bt_xcalloc(1, sizeof *s);
	s->port = port;
	*ops = &sp_ops;
	*impl = s;
	return BT_OK;
}
