/* numparse.c — see numparse.h. */
#include "supply/numparse.h"

#include <math.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t bt_parse_decimal(const char *s, size_t n, double *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	double mant = 0;
	int digits = 0, scale = 0, sig = 0;
	while (i < n && is_digit(s[i])) {
		if (sig < 18) {
			mant = mant * 10 + (s[i] - '0');
			if (mant > 0)
				sig++;
		} else {
			scale++;
		}
		i++;
		digits++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			if (sig < 18) {
				mant = mant * 10 + (s[i] - '0');
				scale--;
				if (mant > 0)
					sig++;
			}
			i++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		bool eneg = false;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			eneg = s[j++] == '-';
		if (j < n && is_digit(s[j])) {
			int e = 0;
			while (j < n && is_digit(s[j])) {
				if (e < 1000)
					e = e * 10 + (s[j] - '0');
				j++;
			}
			scale += eneg ? -e : e;
			i = j;
		}
	}
	if (scale < -340)
		scale = -340;
	if (scale > 340)
		scale = 340;
	double v = mant * pow(10.0, scale);
	if (!isfinite(v))
		v = 0;
	*out = neg ? -v : v;
	return i;
}

bool bt_find_decimal(const char *s, size_t n, double *out, size_t *end)
{
	for (size_t i = 0; i < n; i++) {
		bool starts = is_digit(s[i]) ||
			((s[i] == '-' || s[i] == '+' || s[i] == '.') && i + 1 < n &&
			 (is_digit(s[i + 1]) || (s[i + 1] == '.' && i + 2 < n && is_digit(s[i + 2]))));
		if (!starts)
			continue;
		size_t used = bt_parse_decimal(s + i, n - i, out);
		if (used > 0) {
			if (end)
				*end = i + used;
			return true;
		}
	}
	return false;
}
