/* lex.c — length-bounded text helpers (see lex.h). */
#include "core/hex.h"
#include "logs/lex.h"

#include <string.h>

bool bt_lex_starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

const char *bt_lex_find(const char *s, size_t n, const char *lit)
{
	return bt_lex_find_n(s, n, lit, strlen(lit));
}

const char *bt_lex_find_n(const char *s, size_t n, const char *lit, size_t k)
{
	if (k == 0 || n < k)
		return NULL;
	const char *end = s + n - k + 1;
	const char *p = s;
	while (p < end) {
		p = memchr(p, lit[0], (size_t)(end - p));
		if (!p)
			return NULL;
		if (memcmp(p, lit, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

const char *bt_lex_find_ci(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	if (k == 0 || n < k)
		return NULL;
	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && lower(s[i + j]) == lower(lit[j]))
			j++;
		if (j == k)
			return s + i;
	}
	return NULL;
}

bool bt_lex_eat(struct bt_lex *x, const char *lit)
{
	size_t k = strlen(lit);
	if (x->n < k || memcmp(x->s, lit, k) != 0)
		return false;
	x->s += k;
	x->n -= k;
	return true;
}

void bt_lex_skip_space(struct bt_lex *x)
{
	while (x->n > 0 && (*x->s == ' ' || *x->s == '\t')) {
		x->s++;
		x->n--;
	}
}

bool bt_lex_u64(struct bt_lex *x, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	const char *s = x->s;
	size_t n = x->n;
	if (n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && bt_hexval(s[2]) >= 0) {
		i = 2;
		int h;
		while (i < n && (h = bt_hexval(s[i])) >= 0) {
			v = (v << 4) | (uint64_t)h;
			i++;
		}
	} else {
		unsigned d;
		while (i < n && (d = (unsigned)(unsigned char)s[i] - '0') < 10) {
			v = v * 10u + d;
			i++;
		}
		if (i == 0)
			return false;
	}
	x->s = s + i;
	x->n = n - i;
	*out = v;
	return true;
}

#define LEX_LONG_MAX ((uint64_t)1 << 62)

bool bt_lex_long(struct bt_lex *x, long *out)
{
	bool neg = false;
	struct bt_lex y = *x;
	if (y.n > 0 && (*y.s == '-' || *y.s == '+')) {
		neg = *y.s == '-';
		y.s++;
		y.n--;
	}
	/* Saturate: digits are counted so wrap-around cannot fake a small value. */
	uint64_t v = 0;
	size_t d = 0;
	if (y.n >= 3 && y.s[0] == '0' && (y.s[1] == 'x' || y.s[1] == 'X') && bt_hexval(y.s[2]) >= 0) {
		d = 1; /* the leading 0 */
		if (!bt_lex_u64(&y, &v))
			return false;
	} else {
		unsigned c;
		while (d < y.n && (c = (unsigned)(unsigned char)y.s[d] - '0') < 10) {
			v = v * 10u + c;
			d++;
		}
		if (d == 0)
			return false;
		y.s += d;
		y.n -= d;
	}
	if (d > 18 || v > LEX_LONG_MAX)
		v = LEX_LONG_MAX;
	if (v > (uint64_t)(sizeof(long) >= 8 ? LEX_LONG_MAX : 0x7FFFFFFF))
		v = sizeof(long) >= 8 ? LEX_LONG_MAX : 0x7FFFFFFF;
	*out = neg ? -(long)v : (long)v;
	*x = y;
	return true;
}

size_t bt_lex_digits(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

void bt_lex_trim(const char **s, size_t *n)
{
	while (*n > 0 && (unsigned char)**s <= ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (unsigned char)(*s)[*n - 1] <= ' ')
		(*n)--;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes are not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t k;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (k == 3 && c == 0xE0 && s[1] < 0xA0)
		return 0; /* overlong */
	if (k == 3 && c == 0xED && s[1] >= 0xA0)
		return 0; /* surrogate */
	if (k == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
		return 0;
	return k;
}

char *bt_lex_copy(char *dst, size_t dst_size, const char *s, size_t n)
{
	if (dst_size == 0)
		return dst;
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	size_t i = 0;
	size_t fast = n < dst_size - 1 ? n : dst_size - 1;
	while (i < fast && u[i] >= ' ' && u[i] < 0x7F)
		i++; /* plain ASCII: copied in one go below */
	memcpy(dst, s, i);
	o = i;
	while (i < n) {
		size_t k = utf8_len(u + i, n - i);
		if (k == 0 || k == 1) {
			if (o + 1 > dst_size - 1)
				break;
			unsigned char c = u[i];
			dst[o++] = k == 0 ? '?' : (c < ' ' || c == 0x7F) ? ' ' : (char)c;
			i++;
			continue;
		}
		if (o + k > dst_size - 1)
			break; /* never cut a character in half */
		memcpy(dst + o, s + i, k);
		o += k;
		i += k;
	}
	dst[o] = '\0';
	return dst;
}
