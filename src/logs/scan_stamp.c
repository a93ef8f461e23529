/* scan_stamp.c — a date and time that something other than the restore tool put in front of
 * its lines: a CI runner (`2024-03-01T10:00:00.1234567Z `), `ts` (`Nov 22 14:05:01 `), a
 * logger or a GUI (`[2024-03-01 10:00:00] `, `3/1/2024 9:05:01 PM - `). The tool's own
 * timestamp shapes are peeled in scan_line.c; this is asked only when none of them matched. */
#include "logs/scan_priv.h"
#include "logs/scan_oslog.h"

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Up to `max` digits at s[*i], at least `min`: their value, or -1. */
static long digits(const char *s, size_t n, size_t *i, size_t min, size_t max)
{
	long v = 0;
	size_t k = 0;
	while (*i < n && k < max && digit(s[*i])) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k >= min ? v : -1;
}

static bool word3_in(const char *s, const char *list)
{
	for (const char *w = list; *w; w += 3)
		if (s[0] == w[0] && s[1] == w[1] && s[2] == w[2])
			return true;
	return false;
}

/* A date at s[*i] followed by 'T' or a blank (consumed): ISO (2024-03-01, 2024/03/01,
 * 2024.03.01), Windows locales (3/1/2024, 01.03.2024) or syslog's "Nov 22" / "Nov  2",
 * after an optional weekday ("Sun "). */
static bool date_part(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	if (j + 4 <= n && s[j + 3] == ' ' && word3_in(s + j, "MonTueWedThuFriSatSun"))
		j += 4;
	if (j + 4 <= n && s[j + 3] == ' ' && bt_ls_month_at(s + j)) {
		j += 4;
		if (j < n && s[j] == ' ')
			j++; /* "Nov  2" */
		if (digits(s, n, &j, 1, 2) < 1)
			return false;
	} else if (j + 10 <= n && (s[j + 4] == '-' || s[j + 4] == '/' || s[j + 4] == '.')) {
		char sep = s[j + 4];
		if (digits(s, n, &j, 4, 4) < 0 || s[j] != sep)
			return false;
		j++;
		if (digits(s, n, &j, 2, 2) < 1 || j >= n || s[j] != sep)
			return false;
		j++;
		if (digits(s, n, &j, 2, 2) < 1)
			return false;
	} else {
		/* day and month in either order, then a four-digit year */
		if (digits(s, n, &j, 1, 2) < 1 || j >= n || (s[j] != '/' && s[j] != '.' && s[j] != '-'))
			return false;
		char sep = s[j++];
		if (digits(s, n, &j, 1, 2) < 1 || j >= n || s[j] != sep)
			return false;
		j++;
		if (digits(s, n, &j, 4, 4) < 0)
			return false;
	}
	if (j >= n || (s[j] != 'T' && s[j] != ' '))
		return false;
	*i = j + 1;
	return true;
}

size_t bt_ls_any_stamp(const char *s, size_t n, struct bt_ls_stamp *out)
{
	if (n < 9)
		return 0;
	char c = s[0];
	/* most lines fail here: a digit, a bracket or a month or weekday name comes first */
	if (!digit(c) && c != '[' && !(c >= 'A' && c <= 'W' && n > 3 && s[3] == ' '))
		return 0;
	size_t i = 0;
	bool bracket = s[0] == '[';
	if (bracket)
		i++;
	size_t at = i;
	if (!date_part(s, n, &i))
		i = at; /* a time alone */
	long h = digits(s, n, &i, 1, 2);
	if (h < 0 || h > 23 || i >= n || s[i] != ':')
		return 0;
	i++;
	long m = digits(s, n, &i, 2, 2);
	if (m < 0 || m > 59 || i >= n || s[i] != ':')
		return 0;
	i++;
	long sec = digits(s, n, &i, 2, 2);
	if (sec < 0 || sec > 60)
		return 0;
	out->frac = s + i;
	out->frac_n = 0;
	if (i + 1 < n && (s[i] == '.' || s[i] == ',') && digit(s[i + 1])) {
		i++;
		out->frac = s + i;
		while (i < n && digit(s[i]) && out->frac_n < 9) {
			i++;
			out->frac_n++;
		}
		while (i < n && digit(s[i]))
			i++;
	}
	if (i + 3 <= n && s[i] == ' ' && (s[i + 1] == 'A' || s[i + 1] == 'P') && s[i + 2] == 'M' &&
	    (i + 3 == n || s[i + 3] == ' ' || s[i + 3] == ']' || s[i + 3] == ':')) {
		if (h < 1 || h > 12)
			return 0;
		h = h % 12 + (s[i + 1] == 'P' ? 12 : 0);
		i += 3;
	}
	/* the zone: Z, +01:00, -0500 */
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i + 5 <= n && (s[i] == '+' || s[i] == '-') && digit(s[i + 1]) && digit(s[i + 2])) {
		size_t j = i + 3;
		if (j < n && s[j] == ':')
			j++;
		if (j + 2 <= n && digit(s[j]) && digit(s[j + 1]))
			i = j + 2;
	}
	if (bracket) {
		if (i >= n || s[i] != ']')
			return 0;
		i++;
	}
	/* then a blank, and maybe a separator: "… - text", "… | text", "…: text" */
	if (i >= n || (s[i] != ' ' && s[i] != '\t' && s[i] != ':'))
		return 0;
	if (s[i] == ':')
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '|') && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	out->sod = (double)(h * 3600 + m * 60 + sec);
	return i;
}
