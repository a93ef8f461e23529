/* linereader.c — lines out of a byte stream (see linereader.h).
 *
 * Line ends come from core/eol.h (a bit mask per 64-byte block), not a test per byte. A line
 * that lies wholly inside a buffer the reader owns (bt_linereader_file's chunk) is handed
 * out where it is, NUL-terminated in place over its line end; other lines are copied into
 * the reader's own cap + 1 bytes. NUL bytes inside a line are looked for with memchr and
 * replaced only when there are any. */
#include "core/linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/eol.h"
#include "core/err.h"
#include "core/textdec.h"
#include "core/xalloc.h"

#define LR_CHUNK ((size_t)256 * 1024)

struct bt_linereader {
	bt_line_cb cb;
	void *user;
	char *buf;      /* cap + 1 bytes: the start of a line cut by the end of a feed */
	size_t cap;
	size_t len;
	bool over;      /* current line passed the cap: skipping to its end */
	bool after_cr;  /* last byte was CR: a following LF belongs to it */
	long lineno;
	struct bt_textdec *dec; /* UTF-16 (PowerShell's `>`) or a BOM: decoded before splitting */
};

struct bt_linereader *bt_linereader_new(size_t cap, bt_line_cb cb, void *user)
{
	if (cap < 16)
		cap = 16;
	struct bt_linereader *lr = bt_xcalloc(1, sizeof *lr);
	lr->cb = cb;
	lr->user = user;
	lr->cap = cap;
	lr->buf = bt_xmalloc(cap + 1);
	lr->dec = bt_textdec_new();
	return lr;
}

void bt_linereader_free(struct bt_linereader *lr)
{
	if (!lr)
		return;
	free(lr->buf);
	bt_textdec_free(lr->dec);
	free(lr);
}

static void unnul(char *s, size_t n)
{
	char *z;
	while ((z = memchr(s, '\0', n)) != NULL) {
		*z = ' ';
		n -= (size_t)(z + 1 - s);
		s = z + 1;
	}
}

/* Appends to the held part of a line, up to the cap. */
static void hold(struct bt_linereader *lr, const char *p, size_t n)
{
	size_t room = lr->cap - lr->len;
	if (n > room) {
		n = room;
		lr->over = true;
	}
	memcpy(lr->buf + lr->len, p, n);
	unnul(lr->buf + lr->len, n);
	lr->len += n;
}

static int deliver(struct bt_linereader *lr, const char *text, size_t len, bool truncated)
{
	struct bt_line line;
	line.text = text;
	line.len = len;
	line.lineno = ++lr->lineno;
	line.truncated = truncated;
	return lr->cb ? lr->cb(&line, lr->user) : BT_OK;
}

static int emit_held(struct bt_linereader *lr)
{
	lr->buf[lr->len] = '\0';
	bool over = lr->over;
	size_t len = lr->len;
	lr->len = 0;
	lr->over = false;
	return deliver(lr, lr->buf, len, over);
}

/* wbuf: the same bytes as buf when the caller lets the reader write into them, else NULL. */
static int feed(struct bt_linereader *lr, char *wbuf, const char *buf, size_t len)
{
	size_t p = 0;
	if (len == 0)
		return BT_OK;
	if (lr->after_cr) {
		lr->after_cr = false;
		if (buf[0] == '\n')
			p = 1;
	}
	struct bt_eol eol;
	bt_eol_init(&eol, buf, len);
	for (;;) {
		size_t e = bt_eol_next(&eol);
		if (e == len)
			break;
		if (e < p)
			continue; /* the LF of a CRLF, already passed */
		bool cr = buf[e] == '\r';
		int rc;
		if (wbuf && lr->len == 0 && !lr->over && e - p <= lr->cap) {
			/* in place: the line end becomes the terminator */
			unnul(wbuf + p, e - p);
			wbuf[e] = '\0';
			rc = deliver(lr, wbuf + p, e - p, false);
		} else {
			hold(lr, buf + p, e - p);
			rc = emit_held(lr);
		}
		p = e + 1;
		if (cr) {
			if (p == len)
				lr->after_cr = true;
			else if (buf[p] == '\n')
				p++;
		}
		if (rc != BT_OK)
			return rc;
	}
	if (p < len)
		hold(lr, buf + p, len - p);
	return BT_OK;
}

static int feed_piece(void *user, const char *buf, size_t len)
{
	return feed(user, NULL, buf, len);
}

/* feed() of bytes that are not UTF-8 as they stand (or not known yet to be): decoded first. */
static int feed_decoded(struct bt_linereader *lr, const char *buf, size_t len)
{
	return bt_textdec_pour(lr->dec, buf, len, feed_piece, lr);
}

int bt_linereader_feed(struct bt_linereader *lr, const char *buf, size_t len)
{
	if (!bt_textdec_raw(lr->dec))
		return feed_decoded(lr, buf, len);
	return feed(lr, NULL, buf, len);
}

int bt_linereader_finish(struct bt_linereader *lr)
{
	char tail[BT_TEXTDEC_MIN_OUT];
	size_t t = bt_textdec_finish(lr->dec, tail, sizeof tail);
	if (t > 0) {
		int rc = feed(lr, NULL, tail, t);
		if (rc != BT_OK)
			return rc;
	}
	lr->after_cr = false;
	if (lr->len > 0 || lr->over)
		return emit_held(lr);
	return BT_OK;
}

long bt_linereader_lines(const struct bt_linereader *lr)
{
	return lr->lineno;
}

int bt_linereader_file(const char *path, size_t cap, bt_line_cb cb, void *user)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BT_ERR_IO;
	struct bt_linereader *lr = bt_linereader_new(cap, cb, user);
	char *chunk = bt_xmalloc(LR_CHUNK);
	int rc = BT_OK;
	for (;;) {
		ssize_t n = read(fd, chunk, LR_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = BT_ERR_IO;
			break;
		}
		if (n == 0) {
			rc = bt_linereader_finish(lr);
			break;
		}
		if (bt_textdec_raw(lr->dec))
			rc = feed(lr, chunk, chunk, (size_t)n);
		else
			rc = feed_decoded(lr, chunk, (size_t)n);
		if (rc != BT_OK)
			break;
	}
	int saved = errno;
	free(chunk);
	bt_linereader_free(lr);
	close(fd);
	errno = saved;
	return rc;
}
