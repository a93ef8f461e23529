/* recording.c — parser and writer of recovery session files. One directive per line; the
 * parser stops at the first problem so a bad file never half-loads silently. */
#include "core/hex.h"
#include "recovery/recording.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "core/linereader.h"

#define MAGIC "benchtriage-recovery"

struct parser {
	const char *name;
	struct bt_rec_session *s;
	char *err;
	size_t errlen;
	bool have_version;
	double last_t;
	long lineno;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s:%ld: %s", p->name, p->lineno, msg);
	return BT_ERR_DATA;
}

/* Splits off the next space-separated token; returns it (NUL-terminated in place) or NULL. */
static char *next_token(char **cur)
{
	char *s = *cur;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		*cur = s;
		return NULL;
	}
	char *start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*cur = s;
	return start;
}

static bool parse_uint(const char *s, unsigned long max, unsigned *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool parse_time(const char *s, double *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > BT_REC_TIME_MAX)
		return false;
	*out = v;
	return true;
}

/* Hex digits, with X allowed as a mask digit (shared recordings hide identifiers). */
static bool hex_masked(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != 'X' && s[i] != 'x')
			return false;
	return true;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Decodes an escaped value into out (cap bytes incl. NUL). */
static int decode_value(struct parser *p, const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *s = in; *s; s++) {
		int c = (unsigned char)*s;
		if (c == '\\') {
			s++;
			switch (*s) {
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'x': {
				int hi = bt_hexval((unsigned char)s[1]);
				int lo = hi < 0 ? -1 : bt_hexval((unsigned char)s[2]);
				if (lo < 0)
					return fail(p, "bad \\x escape (want two hex digits)");
				c = hi * 16 + lo;
				s += 2;
				if (c == 0)
					return fail(p, "NUL byte in a value");
				break;
			}
			default:
				return fail(p, "unknown escape '\\%c' (use \\\\ \\n \\r \\t \\xHH)", *s ? *s : ' ');
			}
		} else if (c < 0x20 || c == 0x7f) {
			return fail(p, "control byte 0x%02X in a value (escape it as \\x%02X)", (unsigned)c, (unsigned)c);
		}
		if (n + 1 >= cap)
			return fail(p, "value longer than %zu bytes", cap - 1);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return BT_OK;
}

static bool valid_env_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= BT_REC_ENV_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ',' && c != ':')
			return false;
	}
	return true;
}

static int parse_info(struct parser *p, char *rest)
{
	struct bt_rec_info *in = &p->s->info;
	char *key = next_token(&rest);
	char *val = next_token(&rest);
	if (!key || !val)
		return fail(p, "info needs a field and a value");
	if (next_token(&rest))
		return fail(p, "info %s: one value only", key);
	static const struct {
		const char *key;
		unsigned flag;
		size_t off;
		unsigned long max;
	} nums[] = {
		{ "pid", BT_REC_F_PID, offsetof(struct bt_rec_info, pid), 0xFFFF },
		{ "cpid", BT_REC_F_CPID, offsetof(struct bt_rec_info, cpid), 0xFFFF },
		{ "cprv", BT_REC_F_CPRV, offsetof(struct bt_rec_info, cprv), 0xFF },
		{ "cpfm", BT_REC_F_CPFM, offsetof(struct bt_rec_info, cpfm), 0xFF },
		{ "scep", BT_REC_F_SCEP, offsetof(struct bt_rec_info, scep), 0xFF },
		{ "bdid", BT_REC_F_BDID, offsetof(struct bt_rec_info, bdid), 0xFF },
		{ "ibfl", BT_REC_F_IBFL, offsetof(struct bt_rec_info, ibfl), 0xFF },
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		if (strcmp(key, nums[i].key) != 0)
			continue;
		if (in->fields & nums[i].flag)
			return fail(p, "info %s given twice", key);
		unsigned v;
		if (!parse_uint(val, nums[i].max, &v))
			return fail(p, "info %s: '%.40s' is not a number up to 0x%lX", key, val, nums[i].max);
		memcpy((char *)in + nums[i].off, &v, sizeof v);
		in->fields |= nums[i].flag;
		p->s->has_info = true;
		return BT_OK;
	}
	if (strcmp(key, "mode") == 0) {
		if (!bt_rec_mode_parse(val, &in->mode))
			return fail(p, "info mode: '%.40s' is not DFU, Recovery, WTF or unknown", val);
	} else if (strcmp(key, "ecid") == 0) {
		if (strncmp(val, "0x", 2) != 0 || !hex_masked(val + 2, 1, 16))
			return fail(p, "info ecid: want 0x and up to 16 hex digits (X masks a digit)");
		bt_rec_copy(in->ecid, sizeof in->ecid, val);
	} else if (strcmp(key, "nonc") == 0 || strcmp(key, "snon") == 0) {
		if (!hex_masked(val, 1, BT_REC_NONCE_MAX - 1))
			return fail(p, "info %s: want up to %d hex digits", key, BT_REC_NONCE_MAX - 1);
		char *dst = key[0] == 'n' ? in->ap_nonce : in->sep_nonce;
		bt_rec_copy(dst, BT_REC_NONCE_MAX, val);
	} else if (strcmp(key, "srtg") == 0 || strcmp(key, "srnm") == 0 || strcmp(key, "imei") == 0 ||
		   strcmp(key, "pwnd") == 0) {
		if (strlen(val) >= BT_REC_TEXT_MAX)
			return fail(p, "info %s: longer than %d bytes", key, BT_REC_TEXT_MAX - 1);
		char *dst = strcmp(key, "srtg") == 0 ? in->srtg : strcmp(key, "srnm") == 0 ? in->srnm
			  : strcmp(key, "imei") == 0 ? in->imei : in->pwnd;
		bt_rec_copy(dst, BT_REC_TEXT_MAX, val);
	} else {
		return fail(p, "unknown info field '%.40s'", key);
	}
	p->s->has_info = true;
	return BT_OK;
}

static int parse_env(struct parser *p, char *rest, bool unset)
{
	while (*rest == ' ' || *rest == '\t')
		rest++;
	char *name = rest;
	while (*rest && *rest != ' ' && *rest != '\t')
		rest++;
	if (*rest)
		*rest++ = '\0'; /* exactly one separator: the value keeps further spaces */
	if (!valid_env_name(name))
		return fail(p, "bad variable name '%.40s'", name);
	if (bt_rec_session_env(p->s, name))
		return fail(p, "variable %s given twice", name);
	if (p->s->nenv >= BT_REC_ENV_MAX)
		return fail(p, "more than %d variables", BT_REC_ENV_MAX);
	int rc;
	if (unset) {
		if (*rest)
			return fail(p, "unset %s takes no value", name);
		rc = bt_rec_session_set_env(p->s, name, BT_REC_ENV_UNSET, NULL, p->lineno);
	} else {
		char value[BT_REC_ENV_VALUE_MAX];
		rc = decode_value(p, rest, value, sizeof value);
		if (rc != BT_OK)
			return rc;
		/* the line, so evidence can cite file:line */
		rc = bt_rec_session_set_env(p->s, name, *value ? BT_REC_ENV_VALUE : BT_REC_ENV_EMPTY,
					    value, p->lineno);
	}
	return rc;
}

static int take_time(struct parser *p, const char *tok, double *t, bool ordered)
{
	if (!parse_time(tok, t))
		return fail(p, "time '%.40s' is not seconds between 0 and %.0f", tok ? tok : "", BT_REC_TIME_MAX);
	if (ordered && *t < p->last_t)
		return fail(p, "time %.3f goes back (previous %.3f)", *t, p->last_t);
	if (ordered)
		p->last_t = *t;
	return BT_OK;
}

static int parse_event(struct parser *p, char *rest)
{
	struct bt_rec_event ev = { 0 };
	int rc = take_time(p, next_token(&rest), &ev.t, true);
	if (rc != BT_OK)
		return rc;
	char *what = next_token(&rest);
	if (!what)
		return fail(p, "event needs arrive, leave or mode");
	if (strcmp(what, "leave") == 0) {
		ev.type = BT_REC_EV_LEAVE;
	} else if (strcmp(what, "arrive") == 0 || strcmp(what, "mode") == 0) {
		ev.type = what[0] == 'a' ? BT_REC_EV_ARRIVE : BT_REC_EV_MODE;
		char *m = next_token(&rest);
		if (!m || !bt_rec_mode_parse(m, &ev.mode))
			return fail(p, "event %s: mode must be DFU, Recovery, WTF or unknown", what);
		unsigned have = 0;
		for (char *kv; (kv = next_token(&rest)) != NULL;) {
			if (strncmp(kv, "cpid=", 5) == 0 && parse_uint(kv + 5, 0xFFFF, &ev.cpid))
				have |= 1;
			else if (strncmp(kv, "bdid=", 5) == 0 && parse_uint(kv + 5, 0xFF, &ev.bdid))
				have |= 2;
			else
				return fail(p, "event: unexpected '%.40s' (want cpid=0x.. bdid=0x..)", kv);
		}
		if (have != 0 && have != 3)
			return fail(p, "event: give cpid= and bdid= together");
		ev.has_chip = have == 3;
	} else {
		return fail(p, "unknown event '%.40s' (want arrive, leave or mode)", what);
	}
	if (rest && next_token(&rest))
		return fail(p, "event: trailing text");
	if (bt_rec_session_add_event(p->s, &ev) != BT_OK)
		return fail(p, "more than %d events", BT_REC_EVENTS_MAX);
	return BT_OK;
}

static int parse_line(const struct bt_line *line, void *user)
{
	struct parser *p = user;
	p->lineno = line->lineno;
	if (line->truncated)
		return fail(p, "line longer than %d bytes", BT_REC_LINE_MAX);
	char buf[BT_REC_LINE_MAX + 1];
	bt_rec_copy(buf, sizeof buf, line->text);
	char *rest = buf;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest == '\0' || *rest == '#')
		return BT_OK;
	char *word = next_token(&rest);
	if (!p->have_version) {
		char *ver = next_token(&rest);
		unsigned v;
		if (strcmp(word, MAGIC) != 0 || !ver || !parse_uint(ver, 1000000, &v) || next_token(&rest))
			return fail(p, "not a recovery recording (first line must be '" MAGIC " %d')",
				    BT_REC_FORMAT_VERSION);
		if (v == 0 || v > BT_REC_FORMAT_VERSION)
			return fail(p, "recording format %u is not understood (this benchtriage reads up to %d)",
				    v, BT_REC_FORMAT_VERSION);
		p->have_version = true;
		return BT_OK;
	}
	if (strcmp(word, "info") == 0)
		return parse_info(p, rest);
	if (strcmp(word, "env") == 0)
		return parse_env(p, rest, false);
	if (strcmp(word, "unset") == 0)
		return parse_env(p, rest, true);
	if (strcmp(word, "event") == 0)
		return parse_event(p, rest);
	if (strcmp(word, "origin") == 0) {
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (!printable(rest) || strlen(rest) >= BT_REC_TEXT_MAX)
			return fail(p, "origin: printable text up to %d bytes", BT_REC_TEXT_MAX - 1);
		bt_rec_copy(p->s->origin, sizeof p->s->origin, rest);
		return BT_OK;
	}
	if (strcmp(word, "gone") == 0 || strcmp(word, "end") == 0) {
		double t;
		/* Not ordered with events: a read can fail while a watch goes on (checked at the end). */
		int rc = take_time(p, next_token(&rest), &t, false);
		if (rc != BT_OK)
			return rc;
		if (next_token(&rest))
			return fail(p, "%s: one time only", word);
		double *dst = word[0] == 'g' ? &p->s->gone_t : &p->s->end_t;
		if (*dst >= 0)
			return fail(p, "%s given twice", word);
		*dst = t;
		return BT_OK;
	}
	return fail(p, "unknown directive '%.40s'", word);
}

int bt_rec_parse_buffer(const char *name, const char *buf, size_t len,
			struct bt_rec_session *s, char *errbuf, size_t errlen)
{
	struct parser p = { .name = name ? name : "recording", .s = s, .err = errbuf, .errlen = errlen };
	struct bt_linereader *lr = bt_linereader_new(BT_REC_LINE_MAX, parse_line, &p);
	int rc = bt_linereader_feed(lr, buf, len);
	if (rc == BT_OK)
		rc = bt_linereader_finish(lr);
	long lines = bt_linereader_lines(lr);
	bt_linereader_free(lr);
	if (rc == BT_OK && !p.have_version) {
		p.lineno = lines > 0 ? lines : 1;
		rc = fail(&p, "empty recording (no '" MAGIC "' line)");
	}
	if (rc == BT_OK && s->end_t >= 0 && s->gone_t > s->end_t) {
		p.lineno = lines;
		rc = fail(&p, "gone time after end time");
	}
	if (rc == BT_OK && s->end_t >= 0 && s->end_t < p.last_t) {
		p.lineno = lines;
		rc = fail(&p, "end time before the last event");
	}
	return rc;
}

int bt_rec_parse_file(const char *path, struct bt_rec_session *s, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return BT_ERR_IO;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > BT_REC_FILE_MAX) {
		fclose(f);
		snprintf(errbuf, errlen, "%s:1: recording larger than %ld bytes", path, BT_REC_FILE_MAX);
		return BT_ERR_DATA;
	}
	/* Read in bounded chunks; a fifo or a huge file cannot make us hold more than the cap. */
	size_t cap = (size_t)BT_REC_FILE_MAX, len = 0;
	char *data = malloc(cap);
	if (!data) {
		fclose(f);
		return BT_ERR_NOMEM;
	}
	size_t n;
	while (len < cap && (n = fread(data + len, 1, cap - len, f)) > 0)
		len += n;
	int rd_err = ferror(f);
	int more = len == cap && fgetc(f) != EOF;
	fclose(f);
	int rc;
	if (rd_err) {
		snprintf(errbuf, errlen, "%s: read error", path);
		rc = BT_ERR_IO;
	} else if (more) {
		snprintf(errbuf, errlen, "%s:1: recording larger than %ld bytes", path, BT_REC_FILE_MAX);
		rc = BT_ERR_DATA;
	} else {
		rc = bt_rec_parse_buffer(path, data, len, s, errbuf, errlen);
	}
	free(data);
	return rc;
}

static void write_value(FILE *out, const char *v)
{
	size_t n = strlen(v);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		bool edge_space = c == ' ' && (i == 0 || i + 1 == n);
		if (c == '\\')
			fputs("\\\\", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\r')
			fputs("\\r", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f || edge_space)
			fprintf(out, "\\x%02X", c);
		else
			fputc(c, out);
	}
}

int bt_rec_write(FILE *out, const struct bt_rec_session *s)
{
	fprintf(out, MAGIC " %d\n", BT_REC_FORMAT_VERSION);
	fputs("# benchtriage recovery/DFU session; format: docs/recording-format.md\n", out);
	if (s->origin[0])
		fprintf(out, "origin %s\n", s->origin);
	if (s->has_info) {
		const struct bt_rec_info *in = &s->info;
		fprintf(out, "info mode %s\n", bt_rec_mode_name(in->mode));
		if (in->fields & BT_REC_F_PID)
			fprintf(out, "info pid 0x%04X\n", in->pid);
		if (in->fields & BT_REC_F_CPID)
			fprintf(out, "info cpid 0x%04X\n", in->cpid);
		if (in->fields & BT_REC_F_CPRV)
			fprintf(out, "info cprv 0x%02X\n", in->cprv);
		if (in->fields & BT_REC_F_CPFM)
			fprintf(out, "info cpfm 0x%02X\n", in->cpfm);
		if (in->fields & BT_REC_F_SCEP)
			fprintf(out, "info scep 0x%02X\n", in->scep);
		if (in->fields & BT_REC_F_BDID)
			fprintf(out, "info bdid 0x%02X\n", in->bdid);
		if (in->fields & BT_REC_F_IBFL)
			fprintf(out, "info ibfl 0x%02X\n", in->ibfl);
		static const char *const texts[] = { "ecid", "srtg", "srnm", "imei", "nonc", "snon", "pwnd" };
		const char *vals[] = { in->ecid, in->srtg, in->srnm, in->imei, in->ap_nonce, in->sep_nonce,
				       in->pwnd };
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			/* Text fields are single tokens; anything else would not read back. */
			if (vals[i][0] && !strpbrk(vals[i], " \t") && printable(vals[i]))
				fprintf(out, "info %s %s\n", texts[i], vals[i]);
		}
	}
	for (size_t i = 0; i < s->nenv; i++) {
		const struct bt_rec_env *e = &s->env[i];
		if (e->state == BT_REC_ENV_NA)
			continue;
		if (e->state == BT_REC_ENV_UNSET) {
			fprintf(out, "unset %s\n", e->name);
		} else {
			fprintf(out, "env %s", e->name);
			if (e->state == BT_REC_ENV_VALUE) {
				fputc(' ', out);
				write_value(out, e->value);
			}
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < s->nevents; i++) {
		const struct bt_rec_event *ev = &s->events[i];
		fprintf(out, "event %.3f %s", ev->t, bt_rec_event_name(ev->type));
		if (ev->type != BT_REC_EV_LEAVE)
			fprintf(out, " %s", bt_rec_mode_name(ev->mode));
		if (ev->type != BT_REC_EV_LEAVE && ev->has_chip)
			fprintf(out, " cpid=0x%04X bdid=0x%02X", ev->cpid, ev->bdid);
		fputc('\n', out);
	}
	if (s->gone_t >= 0)
		fprintf(out, "gone %.3f\n", s->gone_t);
	if (s->end_t >= 0)
		fprintf(out, "end %.3f\n", s->end_t);
	return ferror(out) ? BT_ERR_IO : BT_OK;
}

int bt_rec_save(const char *path, const struct bt_rec_session *s, char *errbuf, size_t errlen)
{
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
		snprintf(errbuf, errlen, "%s: path too long", path);
		return BT_ERR_IO;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		snprintf(errbuf, errlen, "%s: %s", tmp, strerror(errno));
		return BT_ERR_IO;
	}
	int rc = bt_rec_write(f, s);
	if (fclose(f) != 0)
		rc = BT_ERR_IO;
	if (rc == BT_OK && rename(tmp, path) != 0)
		rc = BT_ERR_IO;
	if (rc != BT_OK) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		remove(tmp);
	}
	return rc;
}
