/* linereader.h — split a byte stream into lines with bounded memory.
 *
 * Bytes go in as chunks of any size (a file read, a pty read, a fuzz input); complete
 * lines come out through a callback. LF, CRLF and lone CR all end a line. A line longer
 * than the cap is delivered with its first `cap` bytes and `truncated` set; the rest of
 * it is skipped without being stored, so a 20 MB line costs `cap` bytes. NUL bytes are
 * replaced by spaces so consumers can treat a line as a C string. Line numbers start at 1
 * and count every line, kept or cut. UTF-16 text and a BOM are decoded to UTF-8 first
 * (core/textdec.h); until a stream's first 4 bytes are in, they are held. */
#ifndef BT_CORE_LINEREADER_H
#define BT_CORE_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>

struct bt_line {
	const char *text;  /* NUL-terminated, without the line ending; valid during the callback */
	size_t len;
	long lineno;       /* 1-based */
	bool truncated;    /* the line was longer than the cap */
};

/* Return BT_OK to go on; anything else stops feeding and is returned by feed/finish. */
typedef int (*bt_line_cb)(const struct bt_line *line, void *user);

struct bt_linereader; /* opaque */

/* cap: the most bytes kept of one line (>= 16). The reader owns nothing of the caller's. */
struct bt_linereader *bt_linereader_new(size_t cap, bt_line_cb cb, void *user);
void bt_linereader_free(struct bt_linereader *lr);
int bt_linereader_feed(struct bt_linereader *lr, const char *buf, size_t len);
/* Delivers a last line that had no line ending. */
int bt_linereader_finish(struct bt_linereader *lr);
long bt_linereader_lines(const struct bt_linereader *lr);

/* Reads a whole file through a line reader. Returns BT_OK, BT_ERR_IO (errno kept) or the
 * callback's code. */
int bt_linereader_file(const char *path, size_t cap, bt_line_cb cb, void *user);

#endif
