/* libFuzzer target for core/textdec.
 *
 * The first byte picks a feed size; the rest is decoded whole and in pieces of that size and
 * both outputs must match. Decoded UTF-16 must be valid UTF-8 and at most 3 bytes per code
 * unit (plus the tail); UTF-8 input passes through unchanged but for a leading BOM. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/textdec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t decode(const char *in, size_t n, size_t step, char *out, enum bt_textenc *enc)
{
	struct bt_textdec *d = bt_textdec_new();
	size_t o = 0, i = 0;
	while (i < n) {
		size_t k = n - i > step ? step : n - i, j = 0;
		while (j < k) {
			size_t used;
			char piece[BT_TEXTDEC_MIN_OUT + 7];
			size_t w = bt_textdec_run(d, in + i + j, k - j, &used, piece, sizeof piece);
			if (used == 0 && w == 0)
				abort(); /* no progress: a caller would spin */
			memcpy(out + o, piece, w);
			o += w;
			j += used;
		}
		i += k;
	}
	char tail[BT_TEXTDEC_MIN_OUT];
	size_t t = bt_textdec_finish(d, tail, sizeof tail);
	memcpy(out + o, tail, t);
	*enc = bt_textdec_encoding(d);
	bt_textdec_free(d);
	return o + t;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (k == 0 || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t step = 1u + data[0] % 17u;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	size_t cap = n * 3 / 2 + 2 * BT_TEXTDEC_MIN_OUT;
	char *a = malloc(cap), *b = malloc(cap);
	if (!a || !b)
		abort();
	enum bt_textenc ea, eb;
	size_t na = decode(in, n, n ? n : 1, a, &ea);
	size_t nb = decode(in, n, step, b, &eb);
	if (na != nb || ea != eb || memcmp(a, b, na) != 0)
		abort();
	if (ea == BT_ENC_UTF16LE || ea == BT_ENC_UTF16BE) {
		if (!valid_utf8((const unsigned char *)a, na) || na > n * 3 / 2 + 3)
			abort();
	} else if (ea == BT_ENC_UTF8) {
		size_t bom = n >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		if (na != n - bom || memcmp(a, in + bom, na) != 0)
			abort();
	} else if (n != 0) {
		abort(); /* bytes went in, nothing was decided */
	}
	free(a);
	free(b);
	return 0;
}
