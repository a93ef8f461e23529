/* eol.h — finds the line ends (LF and CR) of a buffer 64 bytes at a time.
 *
 * A scan keeps a bit mask of the line ends in the current 64-byte block, so the next line
 * end costs a count-trailing-zeros, not a memchr call per line: log lines are short (about
 * 50 bytes), and a call per line costs more than the search itself. SSE2 (every x86-64) is
 * used where the compiler offers it; elsewhere 8 bytes at a time in plain C.
 *
 * Ownership: the scan points into the caller's buffer and owns nothing. Header-only (static
 * inline) so the splitters of core/linereader.c and logs/logscan.c inline it. */
#ifndef BT_CORE_EOL_H
#define BT_CORE_EOL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

struct bt_eol {
	const char *buf;
	size_t len;
	size_t base;   /* offset of the current block */
	uint64_t mask; /* line ends left in the current block, bit i = buf[base + i] */
	int started;
	int cr;        /* the buffer holds a CR: look for both (most logs have none) */
};

static inline void bt_eol_init(struct bt_eol *e, const char *buf, size_t len)
{
	e->buf = buf;
	e->len = len;
	e->base = 0;
	e->mask = 0;
	e->started = 0;
	/* One look for CR per buffer (libc's memchr is fast over long runs): most logs use LF
	 * alone, and a block with one compare per byte is half the work. */
	e->cr = len > 0 && memchr(buf, '\r', len) != NULL;
}

#if defined(__SSE2__)
static inline uint64_t bt_eol_mask16(const char *p, __m128i lf, __m128i cr, int with_cr)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i hit = _mm_cmpeq_epi8(v, lf);
	if (with_cr)
		hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, cr));
	return (uint64_t)(uint32_t)_mm_movemask_epi8(hit);
}
#endif

/* Bit i set when p[i] is LF (or CR when with_cr), for i < n (n <= 64). */
static inline uint64_t bt_eol_block(const char *p, size_t n, int with_cr)
{
	uint64_t m = 0;
	size_t i = 0;
#if defined(__SSE2__)
	if (n == 64) {
		const __m128i lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r');
		return bt_eol_mask16(p, lf, cr, with_cr) | bt_eol_mask16(p + 16, lf, cr, with_cr) << 16 |
		       bt_eol_mask16(p + 32, lf, cr, with_cr) << 32 |
		       bt_eol_mask16(p + 48, lf, cr, with_cr) << 48;
	}
#else
	/* 8 bytes at a time: a word with no byte <= 0x0D has nothing to look at. */
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (((w - ones * 0x0E) & ~w & highs) == 0)
			continue;
		for (size_t j = i; j < i + 8; j++)
			if (p[j] == '\n' || (with_cr && p[j] == '\r'))
				m |= (uint64_t)1 << j;
	}
#endif
	for (; i < n; i++)
		if (p[i] == '\n' || (with_cr && p[i] == '\r'))
			m |= (uint64_t)1 << i;
	return m;
}

static inline unsigned bt_eol_ctz(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
	return (unsigned)__builtin_ctzll(m);
#else
	unsigned k = 0;
	while (!(m & 1)) {
		m >>= 1;
		k++;
	}
	return k;
#endif
}

/* Offset of the next LF or CR, or len when there is none left. */
static inline size_t bt_eol_next(struct bt_eol *e)
{
	while (e->mask == 0) {
		if (e->started)
			e->base += 64;
		e->started = 1;
		if (e->base >= e->len)
			return e->len;
		size_t n = e->len - e->base < 64 ? e->len - e->base : 64;
		e->mask = bt_eol_block(e->buf + e->base, n, e->cr);
	}
	size_t at = e->base + bt_eol_ctz(e->mask);
	e->mask &= e->mask - 1;
	return at;
}

#endif
