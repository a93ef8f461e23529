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
};

static inline void bt_eol_init(struct bt_eol *e, const char *buf, size_t len)
{
	e->buf = buf;
	e->len = len;
	e->base = 0;
	e->mask = 0;
	e->started = 0;
}

/* Bit i set when p[i] is LF or CR, for i < n (n <= 64). */
static inline uint64_t bt_eol_block(const char *p, size_t n)
{
	uint64_t m = 0;
	size_t i = 0;
#if defined(__SSE2__)
	if (n == 64) {
		const __m128i lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r');
		__m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
		__m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
		__m128i v3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
		__m128i c0 = _mm_cmpeq_epi8(v0, cr), c1 = _mm_cmpeq_epi8(v1, cr);
		__m128i c2 = _mm_cmpeq_epi8(v2, cr), c3 = _mm_cmpeq_epi8(v3, cr);
		__m128i l0 = _mm_cmpeq_epi8(v0, lf), l1 = _mm_cmpeq_epi8(v1, lf);
		__m128i l2 = _mm_cmpeq_epi8(v2, lf), l3 = _mm_cmpeq_epi8(v3, lf);
		/* CR is rare: one test for the whole block, the exact bits only when there is one */
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(c0, c1), _mm_or_si128(c2, c3)))) {
			l0 = _mm_or_si128(l0, c0);
			l1 = _mm_or_si128(l1, c1);
			l2 = _mm_or_si128(l2, c2);
			l3 = _mm_or_si128(l3, c3);
		}
		return (uint64_t)(uint32_t)_mm_movemask_epi8(l0) |
		       (uint64_t)(uint32_t)_mm_movemask_epi8(l1) << 16 |
		       (uint64_t)(uint32_t)_mm_movemask_epi8(l2) << 32 |
		       (uint64_t)(uint32_t)_mm_movemask_epi8(l3) << 48;
	}
#else
	/* 8 bytes at a time: a word with no byte below 0x0E has nothing to look at. */
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (((w - ones * 0x0E) & ~w & highs) == 0)
			continue;
		for (size_t j = i; j < i + 8; j++)
			if (p[j] == '\n' || p[j] == '\r')
				m |= (uint64_t)1 << j;
	}
#endif
	for (; i < n; i++)
		if (p[i] == '\n' || p[i] == '\r')
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
		e->mask = bt_eol_block(e->buf + e->base, n);
	}
	size_t at = e->base + bt_eol_ctz(e->mask);
	e->mask &= e->mask - 1;
	return at;
}

#endif
