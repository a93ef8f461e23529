/* transport.c — backend choice and the read helpers every backend shares. */
#include "supply/transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"

struct bt_transport {
	const struct bt_transport_ops *ops;
	void *impl;
	enum bt_transport_kind kind;
	char *name;
};

double bt_mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bt_sleep_ms(int ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool bt_transport_is_pty(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
		return false;
	unsigned maj = major(st.st_rdev);
	/* Unix98 pty slaves use majors 136-143 on Linux. */
	return maj >= 136 && maj <= 143;
}

int bt_transport_open(const char *spec, unsigned baud, struct bt_transport **out,
		      char *errbuf, size_t errlen)
{
	*out = NULL;
	if (!spec || !*spec) {
		snprintf(errbuf, errlen, "no port given");
		return BT_ERR_ARG;
	}
	const struct bt_transport_ops *ops = NULL;
	void *impl = NULL;
	enum bt_transport_kind kind;
	char *name;
	int rc;
	if (strncmp(spec, "tcp:", 4) == 0) {
		kind = BT_TRANSPORT_TCP;
		name = bt_xstrdup(spec);
		rc = bt_transport_tcp_open(spec + 4, &ops, &impl, errbuf, errlen);
	} else {
		/* Resolve /dev/serial/by-id/... links: libserialport 0.1.1 rejects symlinks. */
		char *real = realpath(spec, NULL);
		if (!real) {
			snprintf(errbuf, errlen, "%s: no such port", spec);
			return BT_ERR_NODEV;
		}
		name = bt_xstrdup(real);
		free(real);
		if (bt_transport_is_pty(name)) {
			kind = BT_TRANSPORT_PTY;
			rc = bt_transport_fd_open(name, baud, &ops, &impl, errbuf, errlen);
		} else {
			kind = BT_TRANSPORT_SERIAL;
			rc = bt_transport_sp_open(name, baud, &ops, &impl, errbuf, errlen);
		}
	}
	if (rc != BT_OK) {
		free(name);
		return rc;
	}
	struct bt_transport *t = bt_xcalloc(1, sizeof *t);
	t->ops = ops;
	t->impl = impl;
	t->kind = kind;
	t->name = name;
	*out = t;
	return BT_OK;
}

void bt_transport_close(struct bt_transport *t)
{
	if (!t)
		return;
	t->ops->close(t->impl);
	free(t->name);
	free(t);
}

enum bt_transport_kind bt_transport_kind(const struct bt_transport *t) { return t->kind; }
const char *bt_transport_name(const struct bt_transport *t) { return t->name; }

int bt_transport_set_frame(struct bt_transport *t, const struct bt_serial_frame *f)
{
	if (!f || (f->stop_bits != 1 && f->stop_bits != 2))
		return BT_ERR_ARG;
	return t->ops->set_frame ? t->ops->set_frame(t->impl, f) : BT_OK;
}

int bt_transport_set_baud(struct bt_transport *t, unsigned baud)
{
	return t->ops->set_baud(t->impl, baud);
}

int bt_transport_write(struct bt_transport *t, const void *buf, size_t n, int timeout_ms)
{
	return t->ops->write(t->impl, buf, n, timeout_ms);
}

long bt_transport_read_some(struct bt_transport *t, void *buf, size_t n, int timeout_ms)
{
	if (n == 0)
		return 0;
	return t->ops->read_some(t->impl, buf, n, timeout_ms < 0 ? 0 : timeout_ms);
}

static int ms_left(double deadline)
{
	double left = (deadline - bt_mono_now()) * 1000.0;
	return left <= 0 ? 0 : (int)(left + 0.999);
}

long bt_transport_read_exact(struct bt_transport *t, void *buf, size_t n, int timeout_ms)
{
	unsigned char *p = buf;
	size_t got = 0;
	double deadline = bt_mono_now() + timeout_ms / 1000.0;
	while (got < n) {
		int left = ms_left(deadline);
		long r = bt_transport_read_some(t, p + got, n - got, left);
		if (r < 0)
			return got > 0 ? (long)got : r;
		got += (size_t)r;
		if (r == 0 && left == 0)
			break;
	}
	return (long)got;
}

long bt_transport_read_idle(struct bt_transport *t, void *buf, size_t cap, int first_ms,
			    int idle_ms)
{
	unsigned char *p = buf;
	long r = bt_transport_read_some(t, p, cap, first_ms);
	if (r <= 0)
		return r;
	size_t got = (size_t)r;
	while (got < cap) {
		r = bt_transport_read_some(t, p + got, cap - got, idle_ms);
		if (r < 0)
			return (long)got;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

int bt_transport_flush_input(struct bt_transport *t, int settle_ms)
{
	int rc = t->ops->flush_input(t->impl);
	if (rc != BT_OK || settle_ms <= 0)
		return rc;
	/* Bounded: a device that streams without being asked must not keep us here for ever. */
	unsigned char junk[256];
	double give_up = bt_mono_now() + 0.5;
	while (bt_mono_now() < give_up) {
		long r = bt_transport_read_some(t, junk, sizeof junk, settle_ms);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return BT_OK;
	}
	return BT_OK;
}
