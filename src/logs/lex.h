/* lex.h — small length-bounded text helpers for log lines.
 *
 * Log lines handed to the parsers are (pointer, length) views into a read buffer: not
 * NUL-terminated and possibly holding NUL bytes, so nothing here uses the str* family on
 * them. Numbers saturate instead of overflowing. No allocation, no state. */
#ifndef BT_LOGS_LEX_H
#define BT_LOGS_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bt_lex {
	const char *s; /* current position */
	size_t n;      /* bytes left */
};

/* True when s[0..n) starts with lit. */
bool bt_lex_starts(const char *s, size_t n, const char *lit);
/* First occurrence of lit in s[0..n), or NULL. */
const char *bt_lex_find(const char *s, size_t n, const char *lit);
/* Same with the length of lit given. */
const char *bt_lex_find_n(const char *s, size_t n, const char *lit, size_t k);
/* Same as bt_lex_find, ASCII case-insensitive. */
const char *bt_lex_find_ci(const char *s, size_t n, const char *lit);
/* Skips lit at the cursor if it is there. */
bool bt_lex_eat(struct bt_lex *x, const char *lit);
void bt_lex_skip_space(struct bt_lex *x);
/* Decimal or 0x-hex unsigned number with wrap-around modulo 2^64 (the low bits of an
 * absurdly long number stay right); false when no digit. */
bool bt_lex_u64(struct bt_lex *x, uint64_t *out);
/* Signed decimal (or 0x hex) saturated to [-2^62, 2^62]. */
bool bt_lex_long(struct bt_lex *x, long *out);
/* Number of digits in s[0..n) from the start. */
size_t bt_lex_digits(const char *s, size_t n);
/* Trims spaces, tabs and other control bytes at both ends. */
void bt_lex_trim(const char **s, size_t *n);
/* Copies a view into dst as a clean C string: control bytes and NUL become spaces, bytes
 * that are not valid UTF-8 become '?', cut at dst_size - 1 bytes on a character boundary.
 * Returns dst. */
char *bt_lex_copy(char *dst, size_t dst_size, const char *s, size_t n);

#endif
