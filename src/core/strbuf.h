/* strbuf.h — a growable, NUL-terminated byte buffer with a hard cap.
 *
 * Every buffer fed by input is a strbuf with a cap: appending past the cap keeps the
 * first `cap` bytes, sets `truncated` and returns BT_ERR_DATA, never allocates more.
 * The struct is public so it can live on the stack; bt_strbuf_done() frees its memory. */
#ifndef BT_CORE_STRBUF_H
#define BT_CORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct bt_strbuf {
	char *data;     /* owned; always NUL-terminated once anything was appended */
	size_t len;
	size_t alloc;
	size_t cap;     /* most bytes ever kept (excluding the NUL) */
	bool truncated; /* something was dropped at the cap */
};

void bt_strbuf_init(struct bt_strbuf *b, size_t cap);
void bt_strbuf_done(struct bt_strbuf *b);
void bt_strbuf_reset(struct bt_strbuf *b); /* len = 0, keeps memory and cap */
int bt_strbuf_append(struct bt_strbuf *b, const char *s, size_t n);
int bt_strbuf_puts(struct bt_strbuf *b, const char *s);
int bt_strbuf_printf(struct bt_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text so far ("" when empty); valid until the next append or done. */
const char *bt_strbuf_str(const struct bt_strbuf *b);
/* Hands the data to the caller (who frees it) and leaves b empty. */
char *bt_strbuf_take(struct bt_strbuf *b);

#endif
