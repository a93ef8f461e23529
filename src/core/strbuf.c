#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

void bt_strbuf_init(struct bt_strbuf *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->cap = cap;
}

void bt_strbuf_done(struct bt_strbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->truncated = false;
}

void bt_strbuf_reset(struct bt_strbuf *b)
{
	b->len = 0;
	b->truncated = false;
	if (b->data)
		b->data[0] = '\0';
}

int bt_strbuf_append(struct bt_strbuf *b, const char *s, size_t n)
{
	int rc = BT_OK;
	if (n > b->cap - b->len) {
		n = b->cap - b->len;
		b->truncated = true;
		rc = BT_ERR_DATA;
	}
	if (b->len + n + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 64;
		while (want < b->len + n + 1)
			want *= 2;
		if (want > b->cap + 1)
			want = b->cap + 1;
		b->data = bt_xrealloc(b->data, want);
		b->alloc = want;
	}
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return rc;
}

int bt_strbuf_puts(struct bt_strbuf *b, const char *s)
{
	return bt_strbuf_append(b, s, strlen(s));
}

int bt_strbuf_printf(struct bt_strbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return BT_ERR;
	if ((size_t)n < sizeof small)
		return bt_strbuf_append(b, small, (size_t)n);
	char *big = bt_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = bt_strbuf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

const char *bt_strbuf_str(const struct bt_strbuf *b)
{
	return b->data ? b->data : "";
}

char *bt_strbuf_take(struct bt_strbuf *b)
{
	char *d = b->data ? b->data : bt_xstrdup("");
	b->data = NULL;
	b->len = b->alloc = 0;
	b->truncated = false;
	return d;
}
