/* transport_fd.c — a plain descriptor in raw mode: pseudo-terminals (simulators, socat) and the
 * TCP backend's socket. Raw mode matters: a pty starts cooked, where 0x03 is an interrupt and
 * an unterminated Korad command is never delivered. */
#include "supply/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/transport_fd.h"

struct fd_impl {
	int fd;
	bool is_tty;
};

static long fd_read_some(void *impl, void *buf, size_t n, int timeout_ms)
{
	struct fd_impl *f = impl;
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	double deadline = bt_mono_now() + timeout_ms / 1000.0;
	for (;;) {
		int left = (int)((deadline - bt_mono_now()) * 1000.0 + 0.999);
		if (left < 0)
			left = 0;
		int pr = poll(&p, 1, left);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return BT_ERR_IO;
		}
		if (pr == 0)
			return 0;
		ssize_t r = read(f->fd, buf, n);
		if (r > 0)
			return (long)r;
		if (r == 0)
			return BT_ERR_GONE; /* peer closed: pty master gone or socket closed */
		if (errno == EINTR || errno == EAGAIN)
			continue;
		return (errno == EIO || errno == ECONNRESET || errno == ENXIO) ? BT_ERR_GONE : BT_ERR_IO;
	}
}

static int fd_write(void *impl, const void *buf, size_t n, int timeout_ms)
{
	struct fd_impl *f = impl;
	const unsigned char *p = buf;
	double deadline = bt_mono_now() + timeout_ms / 1000.0;
	while (n > 0) {
		/* a socket whose peer left must not raise SIGPIPE: it is a vanished device */
		ssize_t w = f->is_tty ? write(f->fd, p, n) : send(f->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return (errno == EIO || errno == EPIPE || errno == ECONNRESET) ? BT_ERR_GONE
										  : BT_ERR_IO;
		int left = (int)((deadline - bt_mono_now()) * 1000.0);
		if (left <= 0)
			return BT_ERR_TIMEOUT;
		struct pollfd pf = { .fd = f->fd, .events = POLLOUT };
		if (poll(&pf, 1, left) < 0 && errno != EINTR)
			return BT_ERR_IO;
	}
	return BT_OK;
}

static int fd_flush_input(void *impl)
{
	struct fd_impl *f = impl;
	if (f->is_tty)
		tcflush(f->fd, TCIFLUSH);
	return BT_OK;
}

static speed_t speed_for(unsigned baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	default: return B9600;
	}
}

static int fd_set_baud(void *impl, unsigned baud)
{
	struct fd_impl *f = impl;
	if (!f->is_tty)
		return BT_OK;
	struct termios tio;
	if (tcgetattr(f->fd, &tio) != 0)
		return BT_ERR_IO;
	cfsetispeed(&tio, speed_for(baud));
	cfsetospeed(&tio, speed_for(baud));
	return tcsetattr(f->fd, TCSANOW, &tio) == 0 ? BT_OK : BT_ERR_IO;
}

/* termios has stop bits, parity and RTS/CTS; DTR/DSR handshaking is not a termios mode. */
static int fd_set_frame(void *impl, const struct bt_serial_frame *f)
{
	struct fd_impl *fi = impl;
	if (!fi->is_tty)
		return BT_OK;
	if (f->flow == BT_FLOW_DTRDSR)
		return BT_ERR_NA;
	struct termios tio;
	if (tcgetattr(fi->fd, &tio) != 0)
		return BT_ERR_IO;
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | PARODD | CRTSCTS);
	if (f->stop_bits == 2)
		tio.c_cflag |= CSTOPB;
	if (f->parity != BT_PARITY_NONE)
		tio.c_cflag |= PARENB | (f->parity == BT_PARITY_ODD ? PARODD : 0);
	if (f->flow == BT_FLOW_RTSCTS)
		tio.c_cflag |= CRTSCTS;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
	if (f->flow == BT_FLOW_XONXOFF)
		tio.c_iflag |= IXON | IXOFF;
	return tcsetattr(fi->fd, TCSANOW, &tio) == 0 ? BT_OK : BT_ERR_IO;
}

static void fd_close(void *impl)
{
	struct fd_impl *f = impl;
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

static const struct bt_transport_ops fd_ops = {
	.read_some = fd_read_some,
	.write = fd_write,
	.flush_input = fd_flush_input,
	.set_baud = fd_set_baud,
	.set_frame = fd_set_frame,
	.close = fd_close,
};

int bt_tty_make_raw(int fd, unsigned baud)
{
	struct termios tio;
	if (tcgetattr(fd, &tio) != 0)
		return BT_ERR_IO;
	cfmakeraw(&tio);
	tio.c_cflag |= CLOCAL | CREAD;
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, speed_for(baud));
	cfsetospeed(&tio, speed_for(baud));
	return tcsetattr(fd, TCSANOW, &tio) == 0 ? BT_OK : BT_ERR_IO;
}

int bt_transport_fd_adopt(int fd, bool is_tty, const struct bt_transport_ops **ops, void **impl)
{
	struct fd_impl *f = bt_xcalloc(1, sizeof *f);
	f->fd = fd;
	f->is_tty = is_tty;
	*ops = &fd_ops;
	*impl = f;
	return BT_OK;
}

int bt_transport_fd_open(const char *path, unsigned baud, const struct bt_transport_ops **ops,
			 void **impl, char *errbuf, size_t errlen)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(errbuf, errlen, "%s: %s", path, strerror(e));
		return (e == ENOENT || e == ENXIO || e == ENODEV) ? BT_ERR_NODEV : BT_ERR_IO;
	}
	if (bt_tty_make_raw(fd, baud) != BT_OK) {
		snprintf(errbuf, errlen, "%s: cannot set raw mode: %s", path, strerror(errno));
		close(fd);
		return BT_ERR_IO;
	}
	/* Exclusive, like the serial backend: a second benchtriage on the same port would steal
	 * half of every reply. */
	if (ioctl(fd, TIOCEXCL) != 0) {
		/* not fatal on a pty */
	}
	return bt_transport_fd_adopt(fd, true, ops, impl);
}
