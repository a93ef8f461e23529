/* textdec.c — UTF-8 / UTF-16 detection and UTF-16 → UTF-8 (see textdec.h). */
#include "core/textdec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define HOLD 32 /* bytes of a stream's start that may be looked at before deciding */

struct bt_textdec {
	enum bt_textenc enc;
	unsigned char held[HOLD]; /* undecided start, or the odd byte of a code unit */
	size_t held_n;
	unsigned hs;           /* high surrogate waiting for its pair, 0 if none */
};

struct bt_textdec *bt_textdec_new(void)
{
	return bt_xcalloc(1, sizeof(struct bt_textdec));
}

void bt_textdec_free(struct bt_textdec *d)
{
	free(d);
}

void bt_textdec_reset(struct bt_textdec *d)
{
	memset(d, 0, sizeof *d);
}

enum bt_textenc bt_textdec_encoding(const struct bt_textdec *d)
{
	return d->enc;
}

bool bt_textdec_raw(const struct bt_textdec *d)
{
	return d->enc == BT_ENC_UTF8 && d->held_n == 0;
}

const char *bt_textenc_name(enum bt_textenc e)
{
	switch (e) {
	case BT_ENC_UTF8: return "UTF-8";
	case BT_ENC_UTF16LE: return "UTF-16LE";
	case BT_ENC_UTF16BE: return "UTF-16BE";
	case BT_ENC_UNDECIDED: break;
	}
	return "undecided";
}

/* Decides from the held start and drops a BOM; false while more bytes are needed. Without a
 * BOM: no NUL in the first 4 bytes is UTF-8 at once (UTF-16 would need two characters above
 * U+00FF to start with); otherwise up to HOLD bytes are looked at, and NULs at the odd (LE) or
 * even (BE) offsets only, in at least a quarter of the code units, say UTF-16. */
static bool decide(struct bt_textdec *d, bool final)
{
	const unsigned char *b = d->held;
	size_t n = d->held_n, skip = 0;
	if (!final && (n < 2 || (n < 3 && b[0] == 0xEF && b[1] == 0xBB)))
		return false; /* a BOM may be coming */
	enum bt_textenc e = BT_ENC_UTF8;
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		skip = 3;
	} else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		e = BT_ENC_UTF16LE;
		skip = 2;
	} else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		e = BT_ENC_UTF16BE;
		skip = 2;
	} else {
		if (!final && n < 4)
			return false;
		if (memchr(b, 0, n < 4 ? n : 4)) {
			if (!final && n < HOLD)
				return false;
			size_t z[2] = { 0, 0 }, units = n / 2;
			for (size_t i = 0; i + 1 < n; i += 2) {
				z[0] += b[i] == 0;
				z[1] += b[i + 1] == 0;
			}
			if (z[1] * 4 >= units && z[1] >= 1 && z[0] == 0)
				e = BT_ENC_UTF16LE;
			else if (z[0] * 4 >= units && z[0] >= 1 && z[1] == 0)
				e = BT_ENC_UTF16BE;
		}
	}
	d->enc = e;
	memmove(d->held, d->held + skip, n - skip);
	d->held_n = n - skip;
	return true;
}

static size_t put_cp(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* One UTF-16 code unit; at most 6 bytes out (a lone high surrogate's U+FFFD and a BMP char). */
static size_t put_unit(struct bt_textdec *d, unsigned u, char *out)
{
	size_t o = 0;
	if (d->hs) {
		if (u >= 0xDC00 && u <= 0xDFFF) {
			uint32_t cp = 0x10000u + ((uint32_t)(d->hs - 0xD800) << 10) + (u - 0xDC00);
			d->hs = 0;
			return put_cp(cp, out);
		}
		o += put_cp(0xFFFD, out);
		d->hs = 0;
	}
	if (u >= 0xD800 && u <= 0xDBFF) {
		d->hs = u;
		return o;
	}
	if (u >= 0xDC00 && u <= 0xDFFF)
		u = 0xFFFD;
	return o + put_cp(u, out + o);
}

static unsigned unit(const struct bt_textdec *d, unsigned char a, unsigned char b)
{
	return d->enc == BT_ENC_UTF16LE ? (unsigned)a | (unsigned)b << 8 : (unsigned)a << 8 | b;
}

/* Writes the bytes held after the decision (at most HOLD: 3 bytes out per code unit). */
static size_t drain_held(struct bt_textdec *d, char *out)
{
	size_t o = 0;
	if (d->enc == BT_ENC_UTF8) {
		memcpy(out, d->held, d->held_n);
		o = d->held_n;
		d->held_n = 0;
		return o;
	}
	size_t i = 0;
	for (; i + 1 < d->held_n; i += 2)
		o += put_unit(d, unit(d, d->held[i], d->held[i + 1]), out + o);
	if (i < d->held_n)
		d->held[0] = d->held[i];
	d->held_n -= i;
	return o;
}

size_t bt_textdec_run(struct bt_textdec *d, const char *in, size_t n, size_t *used, char *out,
		      size_t cap)
{
	const unsigned char *b = (const unsigned char *)in;
	size_t i = 0, o = 0;
	*used = 0;
	if (cap < BT_TEXTDEC_MIN_OUT)
		return 0;
	if (d->enc == BT_ENC_UNDECIDED) {
		/* one byte at a time: decide as soon as the start says enough */
		while (d->enc == BT_ENC_UNDECIDED && i < n) {
			d->held[d->held_n++] = b[i++];
			decide(d, false);
		}
		if (d->enc == BT_ENC_UNDECIDED) {
			*used = i;
			return 0;
		}
		o = drain_held(d, out);
	}
	if (d->enc == BT_ENC_UTF8) {
		size_t k = n - i < cap - o ? n - i : cap - o;
		memcpy(out + o, in + i, k);
		*used = i + k;
		return o + k;
	}
	while (cap - o >= 8) {
		unsigned u;
		if (d->held_n == 1 && i < n) {
			u = unit(d, d->held[0], b[i++]);
			d->held_n = 0;
		} else if (d->held_n == 0 && i + 1 < n) {
			u = unit(d, b[i], b[i + 1]);
			i += 2;
		} else {
			if (d->held_n == 0 && i < n)
				d->held[d->held_n++] = b[i++];
			break;
		}
		o += put_unit(d, u, out + o);
	}
	*used = i;
	return o;
}

int bt_textdec_pour(struct bt_textdec *d, const char *in, size_t n, bt_textdec_sink sink,
		    void *user)
{
	char out[4096];
	size_t i = 0;
	while (i < n) {
		size_t used;
		size_t o = bt_textdec_run(d, in + i, n - i, &used, out, sizeof out);
		i += used;
		int rc = o ? sink(user, out, o) : 0;
		if (rc != 0)
			return rc;
	}
	return 0;
}

size_t bt_textdec_finish(struct bt_textdec *d, char *out, size_t cap)
{
	size_t o = 0;
	if (cap < BT_TEXTDEC_MIN_OUT)
		return 0;
	if (d->enc == BT_ENC_UNDECIDED) {
		if (d->held_n == 0)
			return 0;
		decide(d, true);
		o = drain_held(d, out);
	}
	if (d->hs) {
		o += put_cp(0xFFFD, out + o);
		d->hs = 0;
	}
	if (d->enc != BT_ENC_UTF8 && d->held_n == 1) {
		o += put_cp(0xFFFD, out + o); /* a code unit cut in half */
		d->held_n = 0;
	}
	return o;
}
