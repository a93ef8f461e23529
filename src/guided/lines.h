/* lines.h — a bounded ring of recent log lines for the restore pane (scrolling, search).
 *
 * Keeps the newest `cap` lines; older ones drop off first. Each line is copied in, capped
 * at BT_LINES_MAX bytes and without terminal escape sequences (colours of a tool run under a
 * pty), with the line number it had in its source. The ring owns its
 * copies; pointers returned stay valid until the next push or clear. Pure. */
#ifndef BT_GUIDED_LINES_H
#define BT_GUIDED_LINES_H

#include <stdbool.h>
#include <stddef.h>

#define BT_LINES_MAX 512

struct bt_lines;

struct bt_lines *bt_lines_new(size_t cap); /* cap >= 1 */
void bt_lines_free(struct bt_lines *l);
void bt_lines_clear(struct bt_lines *l);
void bt_lines_push(struct bt_lines *l, const char *text, long lineno);
size_t bt_lines_count(const struct bt_lines *l);
/* i = 0 is the oldest kept; NULL past the end. */
const char *bt_lines_at(const struct bt_lines *l, size_t i, long *lineno);
/* Index of the kept line with this source line number, or -1. */
long bt_lines_find_lineno(const struct bt_lines *l, long lineno);
/* Case-insensitive search for needle from index `from` (inclusive) towards newer lines
 * (dir > 0) or older (dir < 0), wrapping once; returns the index or -1. */
long bt_lines_search(const struct bt_lines *l, const char *needle, long from, int dir);
/* Copies text into out (at most cap-1 bytes, always terminated) without terminal escape
 * sequences (CSI, OSC, two-byte ESC); returns the length. Pure. */
size_t bt_strip_escapes(const char *text, char *out, size_t cap);

/* Lines pushed in total (including dropped ones). */
unsigned long bt_lines_total(const struct bt_lines *l);

#endif
