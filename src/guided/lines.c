/* lines.c — the bounded ring of recent log lines. */
#include "guided/lines.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct slot {
	char *text;
	long lineno;
};

struct bt_lines {
	struct slot *slots;
	size_t cap, head, count; /* head: index of the oldest */
	unsigned long total;
};

struct bt_lines *bt_lines_new(size_t cap)
{
	struct bt_lines *l = bt_xcalloc(1, sizeof *l);
	l->cap = cap ? cap : 1;
	l->slots = bt_xcalloc(l->cap, sizeof *l->slots);
	return l;
}

void bt_lines_clear(struct bt_lines *l)
{
	for (size_t i = 0; i < l->cap; i++) {
		free(l->slots[i].text);
		l->slots[i].text = NULL;
	}
	l->head = l->count = 0;
	l->total = 0;
}

void bt_lines_free(struct bt_lines *l)
{
	if (!l)
		return;
	bt_lines_clear(l);
	free(l->slots);
	free(l);
}

size_t bt_strip_escapes(const char *text, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)(text ? text : "");
	     *p && n + 1 < cap; p++) {
		if (*p != 0x1B) {
			out[n++] = (char)*p;
			continue;
		}
		if (p[1] == '[') { /* CSI: parameters and intermediates, then a final 0x40-0x7E */
			p += 2;
			while (*p && !(*p >= 0x40 && *p <= 0x7E))
				p++;
		} else if (p[1] == ']') { /* OSC: up to BEL or ESC \ */
			p += 2;
			while (*p && *p != 0x07 && !(*p == 0x1B && p[1] == '\\'))
				p++;
			if (*p == 0x1B)
				p++;
		} else if (p[1]) {
			p++; /* a two-byte escape */
		}
		if (!*p)
			break;
	}
	out[n] = 0;
	return n;
}

static char *clean_copy(const char *text)
{
	char *out = bt_xmalloc(BT_LINES_MAX + 1);
	bt_strip_escapes(text, out, BT_LINES_MAX + 1);
	return out;
}

void bt_lines_push(struct bt_lines *l, const char *text, long lineno)
{
	size_t at;
	if (l->count < l->cap) {
		at = (l->head + l->count) % l->cap;
		l->count++;
	} else {
		at = l->head;
		l->head = (l->head + 1) % l->cap;
		free(l->slots[at].text);
	}
	l->slots[at].text = clean_copy(text);
	l->slots[at].lineno = lineno;
	l->total++;
}

size_t bt_lines_count(const struct bt_lines *l)
{
	return l->count;
}

unsigned long bt_lines_total(const struct bt_lines *l)
{
	return l->total;
}

const char *bt_lines_at(const struct bt_lines *l, size_t i, long *lineno)
{
	if (i >= l->count)
		return NULL;
	const struct slot *s = &l->slots[(l->head + i) % l->cap];
	if (lineno)
		*lineno = s->lineno;
	return s->text;
}

long bt_lines_find_lineno(const struct bt_lines *l, long lineno)
{
	for (size_t i = l->count; i-- > 0;) {
		long ln = 0;
		bt_lines_at(l, i, &ln);
		if (ln == lineno)
			return (long)i;
	}
	return -1;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return false;
	for (const char *p = hay; *p; p++) {
		size_t i = 0;
		while (i < n && p[i] &&
		       tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

long bt_lines_search(const struct bt_lines *l, const char *needle, long from, int dir)
{
	long n = (long)l->count;
	if (!needle || !*needle || n == 0)
		return -1;
	if (from < 0)
		from = dir >= 0 ? 0 : n - 1;
	if (from >= n)
		from = dir >= 0 ? 0 : n - 1;
	long step = dir >= 0 ? 1 : -1;
	for (long k = 0, i = from; k < n; k++, i = (i + step + n) % n)
		if (contains_ci(bt_lines_at(l, (size_t)i, NULL), needle))
			return i;
	return -1;
}
