/* scan_oslog.c — the prefixes macOS puts on a process's log lines, so that MobileDevice's
 * restore lines (AMPDevicesAgent for Finder and Apple Devices, iTunes, Apple Configurator)
 * read the same whichever way the technician saved them:
 *
 *   log show (default)  2022-08-25 15:22:01.008417+0100 0x1590e Default 0x0 1766 0 proc: …
 *   log show (syslog)   2022-08-25 15:22:01.008417+0100 localhost proc[1766]: …
 *   log show (compact)  2022-08-25 15:22:01.008 Df proc[1766:1590e] …
 *   NSLog (stderr)      2020-06-23 15:42:43.334 n1ghtshade[1978:455367] …
 *   Console, OS X 10.11 and older (ASL)   01/10/2015 18:12:07.089 proc[1]: …
 *   system.log (BSD syslog)               Jan 10 18:12:07 host proc[123]: …
 *
 * After the process, the unified log may name the library that sent the line, "(MobileDevice)",
 * and its subsystem and category, "[com.apple.…:…]"; both go. The styles are those of
 * `log show --style` (man log(1)); examples of each:
 * https://eclecticlight.co/2022/08/26/unified-log-structure-and-available-data/ */
#include "logs/scan_oslog.h"

#include <string.h>

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t spaces(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* "HH:MM:SS" at s[i..]: seconds of the day. */
static bool hms_at(const char *s, size_t n, size_t i, double *sod)
{
	if (i + 8 > n || !digit(s[i]) || !digit(s[i + 1]) || s[i + 2] != ':' || !digit(s[i + 3]) ||
	    !digit(s[i + 4]) || s[i + 5] != ':' || !digit(s[i + 6]) || !digit(s[i + 7]))
		return false;
	*sod = ((s[i] - '0') * 10 + (s[i + 1] - '0')) * 3600.0 +
	       ((s[i + 3] - '0') * 10 + (s[i + 4] - '0')) * 60.0 + ((s[i + 6] - '0') * 10 + (s[i + 7] - '0'));
	return true;
}

/* "proc[pid]: " or "proc[pid:tid] " at s[i..] (the name may hold spaces: "Apple
 * Configurator 2"): the name in o, the index after the tag; 0 when it is not there. */
static size_t proc_tag(const char *s, size_t n, size_t i, bool colon_after, struct bt_ls_oslog *o)
{
	if (i >= n || !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
			s[i] == '.'))
		return 0; /* a process is named, not numbered ("23:39:54.205 [3184:77c]:" is not one) */
	size_t lim = n - i < 64 ? n : i + 64;
	const char *b = memchr(s + i, '[', lim - i);
	if (!b || b == s + i)
		return 0;
	size_t j = (size_t)(b - s) + 1, d = j;
	while (j < n && j < d + 24 && (digit(s[j]) || s[j] == ':' || (s[j] >= 'a' && s[j] <= 'f')))
		j++;
	if (j == d || j >= n || s[j] != ']')
		return 0;
	j++;
	if (colon_after) {
		if (j >= n || s[j] != ':')
			return 0;
		j++;
	}
	if (j < n && s[j] != ' ')
		return 0;
	o->proc = s + i;
	o->proc_n = (size_t)(b - s) - i;
	return spaces(s, n, j);
}

/* The unified log's default style after the time zone: "0x1590e Default 0x0 1766 0 proc: ". */
static size_t default_style(const char *s, size_t n, size_t i, struct bt_ls_oslog *o)
{
	size_t j = i + 2;
	if (i + 2 >= n || s[i] != '0' || s[i + 1] != 'x')
		return 0;
	while (j < n && j < i + 20 && s[j] != ' ')
		j++; /* thread id */
	j = spaces(s, n, j);
	size_t t = j;
	while (j < n && j < t + 16 && s[j] >= 'A' && s[j] <= 'z')
		j++; /* type: Default, Info, Debug, Error, Fault, Activity, Signpost… */
	if (j == t)
		return 0;
	j = spaces(s, n, j);
	if (j + 2 >= n || s[j] != '0' || s[j + 1] != 'x')
		return 0;
	while (j < n && s[j] != ' ')
		j++; /* activity id */
	for (int k = 0; k < 2; k++) { /* pid, ttl */
		j = spaces(s, n, j);
		size_t d = j;
		while (j < n && digit(s[j]))
			j++;
		if (j == d)
			return 0;
	}
	j = spaces(s, n, j);
	if (j < n && s[j] == '[') { /* "[spid 0x…, process, begin] " of a signpost */
		const char *c = memchr(s + j, ']', n - j < 80 ? n - j : 80);
		if (!c)
			return 0;
		j = spaces(s, n, (size_t)(c - s) + 1);
	}
	size_t p = j;
	while (j + 1 < n && j < p + 64 && !(s[j] == ':' && s[j + 1] == ' '))
		j++;
	if (j + 1 >= n || j == p || s[j] != ':')
		return 0;
	o->proc = s + p;
	o->proc_n = j - p;
	return spaces(s, n, j + 1);
}

/* The unified log: "YYYY-MM-DD HH:MM:SS.ffffff" then a style's fields. */
static size_t unified(const char *s, size_t n, struct bt_ls_oslog *o)
{
	size_t i = 20;
	while (i < n && i < 26 && digit(s[i]))
		i++;
	if (i == 20 || i >= n)
		return 0;
	o->frac = s + 20;
	o->frac_n = i - 20;
	if ((s[i] == '+' || s[i] == '-') && i + 5 < n && digit(s[i + 1]) && digit(s[i + 4]) &&
	    s[i + 5] == ' ') {
		i = spaces(s, n, i + 5);
		size_t k = default_style(s, n, i, o);
		if (k)
			return k;
		/* syslog style: "localhost proc[pid]: " */
		size_t h = i;
		while (i < n && i < h + 64 && s[i] != ' ')
			i++;
		if (i == h || i >= n)
			return 0;
		return proc_tag(s, n, i + 1, true, o);
	}
	/* compact style: " Df proc[pid:tid] " */
	if (s[i] != ' ' || i + 4 >= n)
		return 0;
	size_t t = ++i;
	while (i < n && i < t + 2 && s[i] >= 'A' && s[i] <= 'z')
		i++;
	if (i > t && i < n && s[i] == ' ') {
		size_t k = proc_tag(s, n, spaces(s, n, i), false, o); /* "E  proc": 2 wide */
		if (k)
			return k;
	}
	/* NSLog (an app's own stderr): " proc[pid:tid] message" */
	o->nslog = true;
	return proc_tag(s, n, t, false, o);
}

bool bt_ls_month_at(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (size_t m = 0; m < 36; m += 3)
		if (s[0] == months[m] && s[1] == months[m + 1] && s[2] == months[m + 2])
			return true;
	return false;
}

size_t bt_ls_oslog_prefix(const char *s, size_t n, struct bt_ls_oslog *o)
{
	memset(o, 0, sizeof *o);
	if (n > 28 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[19] == '.' && digit(s[0]) &&
	    hms_at(s, n, 11, &o->sod))
		return unified(s, n, o);
	if (n > 26 && s[2] == '/' && s[5] == '/' && s[10] == ' ' && s[19] == '.' && digit(s[0]) &&
	    hms_at(s, n, 11, &o->sod)) {
		/* ASL: "MM/DD/YYYY HH:MM:SS.mmm proc[pid]: " */
		size_t i = 20;
		while (i < n && i < 26 && digit(s[i]))
			i++;
		o->frac = s + 20;
		o->frac_n = i - 20;
		if (i >= n || s[i] != ' ')
			return 0;
		return proc_tag(s, n, i + 1, true, o);
	}
	if (n > 20 && s[3] == ' ' && bt_ls_month_at(s) && (digit(s[4]) || s[4] == ' ') && digit(s[5]) &&
	    s[6] == ' ' && hms_at(s, n, 7, &o->sod) && s[15] == ' ') {
		/* BSD syslog: "Jan 10 18:12:07 host proc[pid]: " */
		size_t i = 16, h = 16;
		while (i < n && i < h + 64 && s[i] != ' ')
			i++;
		if (i == h || i >= n)
			return 0;
		return proc_tag(s, n, i + 1, true, o);
	}
	return 0;
}

size_t bt_ls_oslog_sender(const char *s, size_t n)
{
	size_t i = 0;
	if (n > 2 && s[0] == '(') {
		/* "(MobileDevice) ": the library that sent the line */
		const char *c = memchr(s, ')', n < 64 ? n : 64);
		if (c && (size_t)(c - s) + 1 < n && c[1] == ' ')
			i = spaces(s, n, (size_t)(c - s) + 1);
	}
	if (i + 2 < n && s[i] == '[') {
		/* "[com.apple.mobiledevice:restore] ": subsystem and category (never a thread
		 * tag: those are digits) */
		const char *c = memchr(s + i, ']', n - i < 96 ? n - i : 96);
		if (c && memchr(s + i, ':', (size_t)(c - s) - i) && !digit(s[i + 1]) &&
		    (size_t)(c - s) + 1 < n && c[1] == ' ')
			i = spaces(s, n, (size_t)(c - s) + 1);
	}
	return i;
}
