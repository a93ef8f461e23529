/* canvas.c — the cell grid views draw into. */
#include "guided/canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void bt_canvas_init(struct bt_canvas *c, int w, int h)
{
	c->w = clampi(w, 1, 1000);
	c->h = clampi(h, 1, 1000);
	size_t n = (size_t)c->w * (size_t)c->h;
	c->ch = bt_xcalloc(n, sizeof *c->ch);
	c->role = bt_xcalloc(n, 1);
	bt_canvas_clear(c);
}

void bt_canvas_done(struct bt_canvas *c)
{
	free(c->ch);
	free(c->role);
	c->ch = NULL;
	c->role = NULL;
	c->w = c->h = 0;
}

void bt_canvas_resize(struct bt_canvas *c, int w, int h)
{
	bt_canvas_done(c);
	bt_canvas_init(c, w, h);
}

void bt_canvas_clear(struct bt_canvas *c)
{
	size_t n = (size_t)c->w * (size_t)c->h;
	for (size_t i = 0; i < n; i++)
		c->ch[i] = ' ';
	memset(c->role, BT_ROLE_NORMAL, n);
}

static bool inside(const struct bt_canvas *c, int x, int y)
{
	return x >= 0 && y >= 0 && x < c->w && y < c->h;
}

uint32_t bt_canvas_at(const struct bt_canvas *c, int x, int y)
{
	return inside(c, x, y) ? c->ch[(size_t)y * (size_t)c->w + (size_t)x] : 0;
}

enum bt_role bt_canvas_role(const struct bt_canvas *c, int x, int y)
{
	return inside(c, x, y) ? (enum bt_role)c->role[(size_t)y * (size_t)c->w + (size_t)x]
			       : BT_ROLE_NORMAL;
}

void bt_canvas_set(struct bt_canvas *c, int x, int y, uint32_t cp, enum bt_role r)
{
	if (!inside(c, x, y))
		return;
	size_t i = (size_t)y * (size_t)c->w + (size_t)x;
	c->ch[i] = cp;
	c->role[i] = (unsigned char)r;
}

/* Decodes one UTF-8 sequence; returns bytes used (>= 1) and the code point, or '?' for a
 * malformed or overlong sequence. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t n;
	uint32_t v;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if ((b & 0xE0) == 0xC0) {
		n = 2;
		v = b & 0x1Fu;
	} else if ((b & 0xF0) == 0xE0) {
		n = 3;
		v = b & 0x0Fu;
	} else if ((b & 0xF8) == 0xF0) {
		n = 4;
		v = b & 0x07u;
	} else {
		*cp = '?';
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = '?';
			return i;
		}
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		v = '?';
	*cp = v;
	return n;
}

/* Wide (East Asian) and combining characters would break the one-cell-per-column grid. */
static bool one_column(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return false;
	if (cp >= 0x300 && cp < 0x370)
		return false;
	if (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
			     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
			     (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
			     (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x1F000))
		return false;
	return true;
}

int bt_canvas_text(struct bt_canvas *c, int x, int y, int maxw, enum bt_role r, const char *s)
{
	if (!s || y < 0 || y >= c->h)
		return 0;
	int col = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && col < maxw && x + col < c->w) {
		uint32_t cp;
		p += decode(p, &cp);
		if (cp == '\t')
			cp = ' ';
		if (!one_column(cp))
			cp = '?';
		bt_canvas_set(c, x + col, y, cp, r);
		col++;
	}
	return col;
}

int bt_canvas_printf(struct bt_canvas *c, int x, int y, int maxw, enum bt_role r,
		     const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return bt_canvas_text(c, x, y, maxw, r, buf);
}

void bt_canvas_fill(struct bt_canvas *c, int x, int y, int w, int h, uint32_t cp, enum bt_role r)
{
	for (int j = 0; j < h; j++)
		for (int i = 0; i < w; i++)
			bt_canvas_set(c, x + i, y + j, cp, r);
}

void bt_canvas_paint(struct bt_canvas *c, int x, int y, int w, enum bt_role r)
{
	for (int i = 0; i < w; i++)
		if (inside(c, x + i, y))
			c->role[(size_t)y * (size_t)c->w + (size_t)(x + i)] = (unsigned char)r;
}

void bt_canvas_box(struct bt_canvas *c, int x, int y, int w, int h, enum bt_role border,
		   const char *title, enum bt_role title_role)
{
	if (w < 2 || h < 2)
		return;
	for (int i = 1; i < w - 1; i++) {
		bt_canvas_set(c, x + i, y, 0x2500, border);
		bt_canvas_set(c, x + i, y + h - 1, 0x2500, border);
	}
	for (int j = 1; j < h - 1; j++) {
		bt_canvas_set(c, x, y + j, 0x2502, border);
		bt_canvas_set(c, x + w - 1, y + j, 0x2502, border);
	}
	bt_canvas_set(c, x, y, 0x250C, border);
	bt_canvas_set(c, x + w - 1, y, 0x2510, border);
	bt_canvas_set(c, x, y + h - 1, 0x2514, border);
	bt_canvas_set(c, x + w - 1, y + h - 1, 0x2518, border);
	if (title && *title && w > 6) {
		bt_canvas_set(c, x + 1, y, ' ', border);
		int n = bt_canvas_text(c, x + 2, y, w - 5, title_role, title);
		bt_canvas_set(c, x + 2 + n, y, ' ', border);
	}
}

void bt_canvas_hbar(struct bt_canvas *c, int x, int y, int w, double frac, enum bt_role r)
{
	if (w <= 0)
		return;
	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	int eighths = (int)(frac * w * 8 + 0.5);
	for (int i = 0; i < w; i++) {
		int e = eighths - i * 8;
		uint32_t cp;
		if (e >= 8)
			cp = 0x2588;                 /* full block */
		else if (e <= 0)
			cp = ' ';
		else
			cp = (uint32_t)(0x2590 - e); /* left blocks: U+2589 (7/8) .. U+258F (1/8) */
		bt_canvas_set(c, x + i, y, cp, r);
	}
}

size_t bt_utf8_encode(uint32_t cp, char out[5])
{
	size_t n;
	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	out[n] = 0;
	return n;
}

size_t bt_canvas_row(const struct bt_canvas *c, int y, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap == 0)
		return 0;
	for (int x = 0; y >= 0 && y < c->h && x < c->w; x++) {
		char u[5];
		size_t n = bt_utf8_encode(bt_canvas_at(c, x, y), u);
		if (len + n >= cap)
			break;
		memcpy(buf + len, u, n);
		len += n;
	}
	buf[len] = 0;
	return len;
}

bool bt_canvas_contains(const struct bt_canvas *c, const char *needle)
{
	char row[4096 * 4 + 1];
	for (int y = 0; y < c->h; y++) {
		bt_canvas_row(c, y, row, sizeof row);
		if (strstr(row, needle))
			return true;
	}
	return false;
}

char bt_ascii_fallback(uint32_t cp)
{
	if (cp < 0x80)
		return (char)cp;
	switch (cp) {
	case 0x2500: case 0x2501: case 0x2504: return '-';
	case 0x2502: case 0x2503: case 0x2506: return '|';
	case 0x250C: case 0x2510: case 0x2514: case 0x2518:
	case 0x251C: case 0x2524: case 0x252C: case 0x2534: case 0x253C: return '+';
	case 0x2588: case 0x2589: case 0x258A: case 0x258B: return '#';
	case 0x258C: case 0x258D: case 0x258E: return '=';
	case 0x258F: return '-';
	case 0x2581: case 0x2582: return '_';
	case 0x2583: case 0x2584: return '.';
	case 0x2585: case 0x2586: return ':';
	case 0x2587: return '|';
	case 0x250A: return ':';
	case 0x21BB: return '@';
	case 0x2022: case 0x25CF: return '*';
	case 0x25CB: return 'o';
	case 0x2713: case 0x2714: return '+';
	case 0x2717: case 0x2718: return 'x';
	case 0x25B6: case 0x2192: case 0x25B8: return '>';
	case 0x2190: return '<';
	case 0x2191: case 0x25B2: return '^';
	case 0x2193: case 0x25BC: return 'v';
	case 0x2026: return '~';
	case 0x00B7: case 0x2219: return '.';
	default: return '?';
	}
}
