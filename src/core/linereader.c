#include "core/linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"

struct bt_linereader {
	bt_line_cb cb;
	void *user;
	char *buf;      /* cap + 1 bytes */
	size_t cap;
	size_t len;
	bool over;      /* current line passed the cap: skipping to its end */
	bool after_cr;  /* last byte was CR: a following LF belongs to it */
	long lineno;
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
	return lr;
}

void bt_linereader_free(struct bt_linereader *lr)
{
	if (!lr)
		return;
	free(lr->buf);
	free(lr);
}

static int emit(struct bt_linereader *lr)
{
	struct bt_line line;
	lr->buf[lr->len] = '\0';
	line.text = lr->buf;
	line.len = lr->len;
	line.lineno = ++lr->lineno;
	line.truncated = lr->over;
	lr->len = 0;
	lr->over = false;
	return lr->cb ? lr->cb(&line, lr->user) : BT_OK;
}

int bt_linereader_feed(struct bt_linereader *lr, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (lr->after_cr) {
			lr->after_cr = false;
			if (c == '\n')
				continue;
		}
		if (c == '\n' || c == '\r') {
			lr->after_cr = (c == '\r');
			int rc = emit(lr);
			if (rc != BT_OK)
				return rc;
			continue;
		}
		if (lr->len < lr->cap) {
			lr->buf[lr->len++] = c == '\0' ? ' ' : c;
		} else {
			lr->over = true;
			/* Skip the rest of the line quickly. */
			const char *nl = NULL;
			for (size_t j = i; j < len; j++) {
				if (buf[j] == '\n' || buf[j] == '\r') {
					nl = buf + j;
					break;
				}
			}
			if (!nl)
				return BT_OK;
			i = (size_t)(nl - buf) - 1;
		}
	}
	return BT_OK;
}

int bt_linereader_finish(struct bt_linereader *lr)
{
	lr->after_cr = false;
	if (lr->len > 0 || lr->over)
		return emit(lr);
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
	char chunk[65536];
	int rc = BT_OK;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
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
		rc = bt_linereader_feed(lr, chunk, (size_t)n);
		if (rc != BT_OK)
			break;
	}
	int saved = errno;
	bt_linereader_free(lr);
	close(fd);
	errno = saved;
	return rc;
}
