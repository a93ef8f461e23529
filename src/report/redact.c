/* redact.c — masks identifiers: mark the bytes to hide, then emit each hidden run as "****". */
#include "report/redact.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/xalloc.h"

#define KEEP 4          /* characters left visible at the end of an identifier */
#define MIN_ID 5        /* shorter tokens are not identifiers */
#define MAX_VALUES 32

struct bt_redact {
	char *values[MAX_VALUES];
	size_t nvalues;
};

/* Longest first, so "serial number" wins over "serial". */
static const char *const keywords[] = {
	"unique device id", "uniquedeviceid", "unique chip id", "uniquechipid", "serial number",
	"serialnumber", "serial_number", "serial no", "serial", "srnm", "ecid", "imei", "meid",
	"udid",
};

struct bt_redact *bt_redact_new(void)
{
	return bt_xcalloc(1, sizeof(struct bt_redact));
}

void bt_redact_free(struct bt_redact *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r);
}

static void add_one(struct bt_redact *r, const char *v, size_t n)
{
	if (n < MIN_ID || r->nvalues >= MAX_VALUES)
		return;
	for (size_t i = 0; i < r->nvalues; i++)
		if (strlen(r->values[i]) == n && strncasecmp(r->values[i], v, n) == 0)
			return;
	r->values[r->nvalues++] = bt_xstrndup(v, n);
}

void bt_redact_add(struct bt_redact *r, const char *value)
{
	if (!value)
		return;
	while (isspace((unsigned char)*value))
		value++;
	size_t n = strlen(value);
	while (n && isspace((unsigned char)value[n - 1]))
		n--;
	add_one(r, value, n);
	/* An ECID is written 0x001A2B… by some tools and 1A2B… by others. */
	if (n > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
		const char *h = value + 2;
		while (*h == '0')
			h++;
		add_one(r, h, (size_t)(value + n - h));
	}
}

static void hide(bool *mask, size_t start, size_t end)
{
	if (end - start < MIN_ID)
		return;
	for (size_t i = start; i < end - KEEP; i++)
		mask[i] = true;
}

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ':' || c == '=' || c == '"' || c == '\'' || c == '[' ||
	       c == '(' || c == '#' || c == '>';
}

static bool word_start(const char *s, size_t i)
{
	if (i == 0 || !isalpha((unsigned char)s[i - 1]))
		return true;
	/* camelCase: "DeviceSerialNumber" */
	return isupper((unsigned char)s[i]) && islower((unsigned char)s[i - 1]);
}

static void by_keyword(const char *s, size_t len, bool *mask)
{
	for (size_t i = 0; i < len; i++) {
		if (!isalpha((unsigned char)s[i]) || !word_start(s, i))
			continue;
		for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
			size_t kl = strlen(keywords[k]);
			if (kl > len - i || strncasecmp(s + i, keywords[k], kl) != 0)
				continue;
			size_t p = i + kl;
			/* plist: <key>SerialNumber</key><string>VALUE</string> */
			if (strncmp(s + p, "</key>", 6) == 0) {
				p += 6;
				while (p < len && isspace((unsigned char)s[p]))
					p++;
				if (strncmp(s + p, "<string>", 8) == 0)
					p += 8;
			}
			for (int skip = 0; skip < 6 && p < len && is_sep(s[p]); skip++)
				p++;
			size_t start = p;
			bool digit = false;
			while (p < len && (isalnum((unsigned char)s[p]) || s[p] == '-')) {
				digit |= isdigit((unsigned char)s[p]) != 0;
				p++;
			}
			if (digit)
				hide(mask, start, p);
			break;
		}
	}
}

/* Runs of hex digits bounded by non-alphanumerics: 14-16 decimal digits (IMEI/MEID),
 * 40 hex digits (old UDID), 8 hex '-' 16 hex (new UDID). */
static void by_shape(const char *s, size_t len, bool *mask)
{
	size_t i = 0;
	while (i < len) {
		if (!isxdigit((unsigned char)s[i]) || (i > 0 && isalnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		size_t j = i;
		bool alldec = true;
		while (j < len && isxdigit((unsigned char)s[j])) {
			alldec &= isdigit((unsigned char)s[j]) != 0;
			j++;
		}
		size_t n = j - i;
		bool bounded = j == len || !isalnum((unsigned char)s[j]);
		if (bounded && alldec && n >= 14 && n <= 16)
			hide(mask, i, j);
		else if (bounded && n == 40)
			hide(mask, i, j);
		else if (n == 8 && j < len && s[j] == '-') {
			size_t k = j + 1;
			while (k < len && isxdigit((unsigned char)s[k]))
				k++;
			if (k - j - 1 == 16 && (k == len || !isalnum((unsigned char)s[k])))
				hide(mask, i, k);
			j = k;
		}
		i = j > i ? j : i + 1;
	}
}

static void by_value(const struct bt_redact *r, const char *s, size_t len, bool *mask)
{
	for (size_t v = 0; v < r->nvalues; v++) {
		size_t n = strlen(r->values[v]);
		for (size_t i = 0; i + n <= len; i++)
			if (strncasecmp(s + i, r->values[v], n) == 0)
				hide(mask, i, i + n);
	}
}

char *bt_redact(const struct bt_redact *r, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	bool *mask = bt_xcalloc(len + 1, sizeof *mask);
	if (r)
		by_value(r, s, len, mask);
	by_keyword(s, len, mask);
	by_shape(s, len, mask);
	struct bt_strbuf out;
	bt_strbuf_init(&out, len * 2 + 16);
	bt_strbuf_puts(&out, "");
	for (size_t i = 0; i < len;) {
		if (mask[i]) {
			bt_strbuf_puts(&out, "****");
			while (i < len && mask[i])
				i++;
		} else {
			size_t j = i;
			while (j < len && !mask[j])
				j++;
			bt_strbuf_append(&out, s + i, j - i);
			i = j;
		}
	}
	free(mask);
	return bt_strbuf_take(&out);
}
