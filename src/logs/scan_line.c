/* scan_line.c — one line, before its handlers: terminal escapes removed, blanks trimmed, the
 * prefix peeled (the timestamp shapes of each family, RLF§1; tool thread tags, wrapper quotes,
 * progress bars, debug prefixes), then handed to the dispatch (logscan.c). Timestamps move
 * the scanner's clock; the prefix says which family the line is. */
#include "logs/scan_priv.h"

#include <string.h>

#include "core/hex.h"
#include "logs/lex.h"
#include "logs/scan_oslog.h"

static bool two_digits(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9';
}

/* "HH:MM:SS" at s (8 bytes available): seconds of the day. */
static bool hms(const char *s, double *out)
{
	if (!two_digits(s) || s[2] != ':' || !two_digits(s + 3) || s[5] != ':' || !two_digits(s + 6))
		return false;
	*out = ((s[0] - '0') * 10 + (s[1] - '0')) * 3600.0 + ((s[3] - '0') * 10 + (s[4] - '0')) * 60.0 +
	       ((s[6] - '0') * 10 + (s[7] - '0'));
	return true;
}

static void stamp(struct bt_logscan *sc, double sec_of_day, const char *frac, size_t fn)
{
	/* 0.1, 0.1 / 10, ...: the same doubles a running division gives, without dividing */
	static const double scale[6] = { 0.1, 0.1 / 10, 0.1 / 10 / 10, 0.1 / 10 / 10 / 10,
					 0.1 / 10 / 10 / 10 / 10, 0.1 / 10 / 10 / 10 / 10 / 10 };
	double v = sec_of_day;
	for (size_t i = 0; i < fn && i < 6 && frac[i] >= '0' && frac[i] <= '9'; i++)
		v += (frac[i] - '0') * scale[i];
	if (!sc->have_t0) {
		sc->have_t0 = true;
		sc->t0 = v;
	}
	double d = v - sc->t0;
	if (d < 0)
		d += 86400.0; /* past midnight */
	sc->cur_t = d;
	sc->last_t = d;
}

/* A wrapper's quoted copy of a tool line: the quotes, a literal "\n" and spaces before the
 * closing quote go. */
static void unquote(const char **sp, size_t *np)
{
	const char *s = *sp + 1;
	size_t n = *np - 1;
	if (n > 0 && s[n - 1] == '"')
		n--;
	if (n >= 2 && s[n - 2] == '\\' && s[n - 1] == 'n')
		n -= 2;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	*sp = s;
	*np = n;
}

/* Length of a text progress bar "[=====     ]  50.0%" (idevicerestore, futurerestore) with the
 * spaces after it, 0 when s does not start with one. */
static size_t progress_bar(const char *s, size_t n)
{
	size_t i = 1;
	while (i < n && i < 120 && (s[i] == '=' || s[i] == ' ' || s[i] == '>' || s[i] == '#'))
		i++;
	if (i >= 11 && i < n && s[i - 1] == ' ' && s[i] != ']' && s[i] != '%' &&
	    !(s[i] >= '0' && s[i] <= '9') && s[1] == '=')
		return i; /* a bar cut off by the next message ("[=====     Sending ...") */
	if (i < 11 || i >= n || s[i] != ']')
		return 0;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	size_t num = i;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	if (i == num || i >= n || s[i] != '%')
		return 0;
	return i + 1;
}

/* Length of libimobiledevice's debug prefix "02:57:20 idevice.c:332 internal_connection_send(): ",
 * 0 when there is none. */
static size_t debug_prefix(const char *s, size_t n)
{
	double sod;
	if (n < 16 || s[8] != ' ' || !hms(s, &sod))
		return 0;
	size_t lim = n < 120 ? n : 120;
	const char *c = bt_lex_find_n(s + 9, lim - 9, ".c:", 3);
	const char *close = c ? bt_lex_find_n(c, lim - (size_t)(c - s), "(): ", 4) : NULL;
	return close ? (size_t)(close + 4 - s) : 0;
}

/* Length of a " <Log> " level tag with the blanks around it, 0 when there is none. */
static size_t level_tag(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '<')
		return 0;
	const char *c = memchr(s + i, '>', n - i < 16 ? n - i : 16);
	if (!c || (size_t)(c - s) + 1 >= n || c[1] != ' ')
		return 0;
	for (const char *p = s + i + 1; p < c; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return 0;
	i = (size_t)(c - s) + 1;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Length of a "[8272] : " thread tag (decimal) at s, 0 when there is none. */
static size_t thread_tag(const char *s, size_t n)
{
	if (n < 4 || s[0] != '[')
		return 0;
	size_t i = 1;
	while (i < n && i < 12 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 1 || i >= n || s[i] != ']')
		return 0;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == ':')
		i++;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Length of a "[pid:tid]: " thread tag (hex digits) at s, 0 when there is none. */
static size_t mobiledevice_tid(const char *s, size_t n)
{
	if (n < 6 || s[0] != '[')
		return 0;
	size_t i = 1, colons = 0;
	for (; i < n && i < 24 && s[i] != ']'; i++) {
		if (s[i] == ':')
			colons++;
		else if (bt_hexval((unsigned char)s[i]) < 0)
			return 0;
	}
	if (colons != 1 || i + 1 >= n || s[i] != ']' || s[i + 1] != ':')
		return 0;
	return i + 2;
}

/* Length of "YYYY-MM-DD HH:MM:SS host name[pid] " when name is one of pymobiledevice3's
 * loggers (its own, ipsw_parser's, or the root logger its 2021 releases used), else 0. */
static size_t pmd3_prefix(const char *s, size_t n)
{
	size_t lim = n < 160 ? n : 160;
	const char *p = bt_lex_find_n(s + 20, lim - 20, "pymobiledevice3", 15);
	if (!p)
		p = bt_lex_find_n(s + 20, lim - 20, " ipsw_parser.", 13);
	if (!p)
		p = bt_lex_find_n(s + 20, lim - 20, " root[", 6);
	if (!p)
		return 0;
	const char *close = memchr(p, ']', lim - (size_t)(p - s));
	if (!close || (size_t)(close - s) + 2 >= n || close[1] != ' ')
		return 0;
	return (size_t)(close + 2 - s);
}

/* The family of a macOS process that has a part in a restore, FAM_NONE for the others. */
static enum fam oslog_family(struct bt_logscan *sc, const char *p, size_t n)
{
	if (STARTS(p, n, "Apple Configurator") || STARTS(p, n, "AppleConfigurator") ||
	    STARTS(p, n, "cfgutil")) {
		sc->configurator = !sc->itunes_named;
		return sc->configurator ? FAM_CONFIG : FAM_ITUNES;
	}
	/* Finder and Apple Devices restore through AMPDevicesAgent; iTunes in its own process
	 * (and its helpers) */
	if (STARTS(p, n, "AMPDevicesAgent") || STARTS(p, n, "AMPDeviceDiscoveryAgent") ||
	    STARTS(p, n, "iTunes") || STARTS(p, n, "Finder") || STARTS(p, n, "AppleMobileDevice") ||
	    STARTS(p, n, "MobileDeviceUpdater"))
		return sc->configurator ? FAM_CONFIG : FAM_ITUNES;
	if (STARTS(p, n, "usbmuxd"))
		return FAM_USBMUXD;
	return FAM_NONE;
}

/* A line of a macOS log (scan_oslog.h): stamped, its process and sender peeled. 1 when the
 * message is left in *sp and *np with its family, 0 when the line is another process's (not
 * read: a whole-system log holds many), -1 when it is not such a line. */
static int oslog_line(struct bt_logscan *sc, const char **sp, size_t *np, enum fam *pf)
{
	struct bt_ls_oslog o;
	size_t k = bt_ls_oslog_prefix(*sp, *np, &o);
	if (k == 0)
		return -1;
	stamp(sc, o.sod, o.frac, o.frac_n);
	*pf = oslog_family(sc, o.proc, o.proc_n);
	if (*pf == FAM_NONE && !o.nslog)
		return 0;
	/* an app's NSLog is its own output (n1ghtshade printing idevicerestore's words): the
	 * content says the family */
	*sp += k;
	*np -= k;
	k = bt_ls_oslog_sender(*sp, *np);
	*sp += k;
	*np -= k;
	return 1;
}

/* The first bytes of a stamp bt_ls_any_stamp may read: a digit, "[", or a month or weekday
 * name and a blank. Most tool lines fail this without a call. */
static inline bool maybe_stamp(const char *s, size_t n)
{
	char c = s[0];
	if (n < 9)
		return false;
	if (c >= '0' && c <= '9')
		return true;
	if (c == '[') {
		s++;
		c = s[0];
		if (c >= '0' && c <= '9')
			return true;
	}
	/* "Nov ", "Sun ": a capital, two small letters, a blank */
	return c >= 'A' && c <= 'W' && s[3] == ' ' && s[1] >= 'a' && s[1] <= 'u' && s[2] >= 'a' &&
	       s[2] <= 'y';
}

/* Peels a line's prefix (RLF§1 timestamp shapes, wrapper quotes) and says which family it
 * marks; false when the line needs nothing more (gap marker, usbmuxd line). */
static bool peel_prefix(struct bt_logscan *sc, const char **sp, size_t *np, enum fam *pf)
{
	const char *s = *sp;
	size_t n = *np;
	size_t k;
	double sod;
	*pf = FAM_NONE;
	if (s[0] == '[') {
		if (n > 14 && s[3] == ':' && s[9] == '.' && hms(s + 1, &sod)) {
			/* "[HH:MM:SS.ffff-GMT]{a>b} " device, "[HH:MM:SS.ffff] " iTunes / Configurator */
			const char *close = memchr(s, ']', n < 24 ? n : 24);
			if (!close)
				return true;
			stamp(sc, sod, s + 10, (size_t)(close - s - 10));
			bool gmt = close - s >= 4 && memcmp(close - 4, "-GMT", 4) == 0;
			n -= (size_t)(close + 1 - s);
			s = close + 1;
			size_t tid = thread_tag(s, n);
			if (!gmt && tid) {
				/* "[HH:MM:SS.mmm][tid] : text" — idevicerestore's own timestamped log
				 * (1.0.1 on Windows, idevicerestore#716): the content says the family */
				s += tid;
				n -= tid;
				goto peeled;
			}
			if (gmt && n > 0 && s[0] == '{') {
				const char *cb = memchr(s, '}', n < 16 ? n : 16);
				if (cb) {
					n -= (size_t)(cb + 1 - s);
					s = cb + 1;
				}
			}
			*pf = gmt ? FAM_RESTORED : (sc->configurator ? FAM_CONFIG : FAM_ITUNES);
		} else if (n > 22 && s[5] == '/' && s[8] == '/' && s[11] == ' ' && s[20] == ']' &&
			   hms(s + 12, &sod)) {
			/* "[2026/03/24 16:20:23] <Log> text" (turdusra1n 1.0): the content says
			 * the family */
			stamp(sc, sod, s + 20, 0);
			s += 21;
			n -= 21;
			size_t t = level_tag(s, n);
			s += t;
			n -= t;
			goto peeled;
		} else if (n > 3 && s[1] >= '0' && s[1] <= '9') {
			/* usbmuxd -vv: "[sec.usec][tid] libusb: ... status=-71" */
			const char *close = memchr(s, ']', n < 32 ? n : 32);
			if (close && memchr(s, '.', (size_t)(close - s)) &&
			    (FIND(s, n, "libusb") || FIND(s, n, "usbmuxd"))) {
				sc->fam_count[FAM_USBMUXD]++;
				if (FIND(s, n, "status=-71") || FIND(s, n, "-104")) {
					bt_ls_signature(sc, SIG_USB_TRANSFER, FAM_USBMUXD);
					bt_ls_add_error(sc);
				}
				return false;
			}
		} else if (n > 12 && (s[1] == '=' || s[1] == ' ') && (k = progress_bar(s, n)) > 0) {
			/* "[=====     ]  50.0%" and what was printed after it on the same line (the
			 * bar ends with \r, not \n): an error cut in mid-transfer */
			s += k;
			n -= k;
			sc->seen_restore = true; /* a bar is drawn only while sending to the phone */
			sc->fam_count[FAM_IDR]++;
			if (n == 0)
				return false;
			size_t d = debug_prefix(s, n);
			s += d;
			n -= d;
			goto peeled;
		} else if (n > 4 && s[2] == ']' && s[3] == ' ' &&
			   (s[1] == '+' || s[1] == '*' || s[1] == '-' || s[1] == '!')) {
			/* "[+]  Sending bootchain", "[*] Restoring device": LeetDown's GUI log */
			s += 4;
			n -= 4;
			*pf = FAM_WRAPPER;
		} else if (STARTS(s, n, "[... corpus: gap")) {
			/* The corpus gap marker: unknown lines here, so what the host was doing
			 * is no longer known, unless a verdict already fixed it. */
			if (!sc->verdict && !(sc->phase.set && sc->phase.m.line == sc->phase_err_line))
				memset(&sc->phase, 0, sizeof sc->phase); /* an error's step is kept */
			sc->cferror = sc->panic_next = false;
			sc->entered[0] = '\0';
			return false;
		}
	} else if (s[0] >= '0' && s[0] <= '9') {
		if (n > 13 && s[2] == ':' && s[8] == '.' && (s[12] == ':' || s[12] == ' ') &&
		    hms(s, &sod)) {
			stamp(sc, sod, s + 9, 3);
			if (s[12] == ':') {
				/* "HH:MM:SS.mmm:" — 3uTools' own lines have two spaces after it, Apple's
				 * restore library's one (iMazing; 3uTools' "flash program of iTunes"
				 * logs both): each line says whose it is */
				bool two = n > 14 && s[13] == ' ' && s[14] == ' ';
				*pf = two && !FIND(s, n, "<Restore Device") ? FAM_3U
				      : sc->configurator ? FAM_CONFIG : FAM_ITUNES;
				s += 13;
				n -= 13;
			} else {
				/* newer idevicerestore builds: "HH:MM:SS.mmm <Level> text"; the
				 * content says the family */
				s += 13;
				n -= 13;
				if (n > 1 && s[0] == '"') {
					/* "HH:MM:SS.mmm \"tool line \"": a GUI quoting the tool */
					unquote(&s, &n);
					*pf = FAM_WRAPPER;
					goto peeled;
				}
				if (n > 2 && (s[0] == '<' || s[0] == '[')) {
					const char *close = memchr(s, s[0] == '<' ? '>' : ']', n < 12 ? n : 12);
					if (close && (size_t)(close + 1 - s) < n && close[1] == ' ') {
						n -= (size_t)(close + 2 - s);
						s = close + 2;
					}
				}
			}
		} else if (n > 24 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' &&
			   s[19] == ' ' && hms(s + 11, &sod)) {
			/* "YYYY-MM-DD HH:MM:SS host logger[pid] LEVEL text" (coloredlogs' default):
			 * pymobiledevice3 when the logger is one of its own */
			k = pmd3_prefix(s, n);
			if (k) {
				stamp(sc, sod, s + 19, 0);
				s += k;
				n -= k;
				*pf = FAM_PMD3;
				goto peeled;
			}
		} else if (n > 24 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' &&
			   s[19] == '.' && hms(s + 11, &sod)) {
			int os = oslog_line(sc, &s, &n, pf);
			if (os == 0)
				return false;
			if (os > 0)
				goto peeled;
			/* "YYYY-MM-DD HH:MM:SS.mmm "...\n"" — a GUI wrapper quoting the tool's lines */
			stamp(sc, sod, s + 20, 3);
			k = 20;
			while (k < n && s[k] >= '0' && s[k] <= '9')
				k++;
			s += k;
			n -= k;
			bt_lex_trim(&s, &n);
			size_t tid = mobiledevice_tid(s, n);
			if (tid) {
				/* "YYYY-MM-DD HH:MM:SS.mmm [pid:tid]: " — Apple MobileDevice's own log
				 * on Windows (iTunes, Apple Devices) */
				s += tid;
				n -= tid;
				*pf = sc->configurator ? FAM_CONFIG : FAM_ITUNES;
				goto peeled;
			}
			if (n > 0 && s[0] == '"')
				unquote(&s, &n);
			*pf = FAM_WRAPPER;
		} else if (n > 26 && s[2] == '/' && s[5] == '/') {
			int os = oslog_line(sc, &s, &n, pf); /* Console's ASL lines (OS X 10.11-) */
			if (os == 0)
				return false;
		}
	} else if (s[0] == '-' && n > 4 && s[1] == ' ' && s[2] == '<' && (k = level_tag(s + 1, n - 1)) > 0) {
		s += 1 + k; /* "- <Log> text" (turdusra1n 0.1) */
		n -= 1 + k;
	} else if (n > 20 && s[9] == ':' && s[3] == ' ' && s[6] == ' ' && s[0] >= 'A' && s[0] <= 'S') {
		int os = oslog_line(sc, &s, &n, pf); /* system.log: "Jan 10 18:12:07 host proc[pid]: " */
		if (os == 0)
			return false;
	}
peeled:
	if (*pf != FAM_NONE)
		while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
	*sp = s;
	*np = n;
	return true;
}

/* A wrapper that prints the tool's captured output as one string, its newlines escaped
 * ("NOTE: using cached version data\nFound device in Recovery mode\n…\n"): each piece
 * is a line of the tool's, scanned as such under the wrapper's line number. A piece holds
 * no escaped newline, so it is never split again. */
static void scan_escaped_lines(struct bt_logscan *sc, const char *s, size_t n, long lineno)
{
	while (n > 0) {
		const char *e = bt_lex_find_n(s, n, "\\n", 2);
		size_t k = e ? (size_t)(e - s) : n;
		if (k > 0)
			bt_ls_scan_plain(sc, s, k, lineno);
		if (!e)
			break;
		s += k + 2;
		n -= k + 2;
	}
}

/* Last bytes of a line that may close an escaped-newline string: 1 'n', 2 '"' ',' ';'. */
static const unsigned char tail_class[256] = { ['n'] = 1, ['"'] = 2, [','] = 2, [';'] = 2 };

/* One line: peel the prefix, then dispatch. */
void bt_ls_scan_plain(struct bt_logscan *sc, const char *s, size_t n, long lineno)
{
	if (n > LS_CAP)
		n = LS_CAP;
	sc->cur_line = lineno;
	/* A line without its own stamp belongs to the last stamped one (device logs stamp only
	 * CHECKPOINT lines). */
	sc->cur_t = sc->last_t;
	/* Bytes above ' ' end and start most lines: one compare each before the loops. */
	if (n > 0 && (unsigned char)s[n - 1] <= ' ')
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
			n--;
	/* Only a line that ends with an escaped newline (inside the string's closing quote and
	 * comma: `…\n",`) is looked at for more of them: one table lookup for the others. */
	if (n >= 2 && tail_class[(unsigned char)s[n - 1]]) {
		size_t q = n;
		while (q > 0 && tail_class[(unsigned char)s[q - 1]] == 2 && n - q < 3)
			q--;
		if (q >= 2 && s[q - 1] == 'n' && s[q - 2] == '\\') {
			scan_escaped_lines(sc, s, q, lineno);
			return;
		}
	}
	sc->raw = s;
	sc->raw_n = n;
	if (n == 0)
		return;
	if ((unsigned char)s[0] <= ' ') {
		while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
		if (n == 0)
			return;
	}
	if (s[0] == '>') {
		/* a log quoted in an e-mail or forum reply ("> ", ">> ", "> > "): no restore tool
		 * starts a line with '>' */
		while (n > 0 && (s[0] == '>' || s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
		if (n == 0)
			return;
	}
	enum fam pf;
	const char *bare = s;
	if (!peel_prefix(sc, &s, &n, &pf) || n == 0)
		return;
	if (pf == FAM_NONE && s == bare && !sc->in_stamp && maybe_stamp(s, n)) {
		/* none of the tools' shapes: a stamp something else put in front, and the tool's
		 * own prefix may follow it (the rest is scanned as the line) */
		struct bt_ls_stamp st;
		size_t k = bt_ls_any_stamp(s, n, &st);
		if (k > 0 && k < n) {
			stamp(sc, st.sod, st.frac, st.frac_n);
			sc->in_stamp = true;
			bt_ls_scan_plain(sc, s + k, n - k, lineno);
			sc->in_stamp = false;
			return;
		}
	}
	if (pf >= FAM_ITUNES && pf <= FAM_WRAPPER) /* itunes, configurator, 3utools, wrapper */
		sc->fam_count[pf]++;
	if (pf == FAM_PMD3) {
		sc->fam_count[pf]++;
		bt_ls_pmd3_line(sc, s, n);
		return;
	}
	if (pf == FAM_3U && STARTS(s, n, "Checking iDevice firmware")) {
		bt_ls_name_hints(sc, s, n, pf);
		return;
	}
	bt_ls_dispatch(sc, s, n, pf);
}

/* Removes terminal escape sequences (colour output of a tool captured from a terminal):
 * CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \) and two-byte escapes. Bounded by
 * n and cap; returns the length written. */
static size_t strip_escapes(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != 0x1B) {
			out[o++] = (char)c;
			continue;
		}
		if (i + 1 >= n)
			break;
		if (s[i + 1] == '[') {
			i += 2;
			while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E))
				i++;
		} else if (s[i + 1] == ']') {
			i += 2;
			while (i < n && s[i] != 0x07 && !(s[i] == 0x1B && i + 1 < n && s[i + 1] == '\\'))
				i++;
			if (i < n && s[i] == 0x1B)
				i++;
		} else {
			i++;
		}
	}
	return o;
}

void bt_ls_scan_line(struct bt_logscan *sc, const char *s, size_t n, long lineno)
{
	if (!memchr(s, 0x1B, n)) {
		bt_ls_scan_plain(sc, s, n, lineno);
		return;
	}
	n = strip_escapes(s, n, sc->plain, sizeof sc->plain);
	bt_ls_scan_plain(sc, sc->plain, n, lineno);
	bt_ls_marks_keep(sc); /* the next escaped line reuses sc->plain */
}
