/* scpi_proto.c — see scpi_proto.h. */
#include "supply/scpi_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/linereader.h"
#include "supply/numparse.h"

void bt_scpi_config_default(struct bt_scpi_config *c)
{
	memset(c, 0, sizeof *c);
	c->baud = 115200;
	c->frame.stop_bits = 1;
	snprintf(c->tx_term, sizeof c->tx_term, "%s", "\n");
	c->rx = BT_SCPI_RX_LINE;
	snprintf(c->identify, sizeof c->identify, "%s", "*IDN?");
	snprintf(c->current_query, sizeof c->current_query, "%s", "MEAS:CURR?");
	snprintf(c->voltage_query, sizeof c->voltage_query, "%s", "MEAS:VOLT?");
	c->field = 1;
	c->scale = 1.0;
	snprintf(c->error_reply, sizeof c->error_reply, "%s", "ERR");
	c->min_interval_ms = 20;
	c->timeout_ms = 500;
	c->flush_before_query = true;
	c->resolution_a = 0.001;
}

/* The only init commands accepted: remote mode, which changes no setting of the output. */
static bool remote_only(const char *v)
{
	static const char *const ok[] = { "SYST:REM", "SYSTEM:REMOTE", "SYST:RWL", "SYSTEM:RWLOCK" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcasecmp(v, ok[i]) == 0)
			return true;
	return false;
}

/* One SCPI query: its header (up to the first blank, the parameters after it) ends in '?',
 * and no ';' chains a second command to it ("VOLT 5;:MEAS:CURR?" would set the voltage). */
static bool one_query(const char *v)
{
	if (strchr(v, ';'))
		return false;
	size_t h = strcspn(v, " \t");
	return h > 1 && v[h - 1] == '?';
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int parse_uint(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	if (!*v)
		return BT_ERR_DATA;
	unsigned long x = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return BT_ERR_DATA;
		x = x * 10 + (unsigned long)(*p - '0');
		if (x > hi)
			return BT_ERR_DATA;
	}
	if (x < lo)
		return BT_ERR_DATA;
	*out = (unsigned)x;
	return BT_OK;
}

static int set_str(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);
	if (n >= cap)
		return BT_ERR_DATA;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20)
			return BT_ERR_DATA;
	memcpy(dst, v, n + 1);
	return BT_OK;
}

int bt_scpi_config_line(struct bt_scpi_config *c, const char *line, char *err, size_t errlen)
{
	char buf[256];
	if (strlen(line) >= sizeof buf) {
		snprintf(err, errlen, "line too long");
		return BT_ERR_DATA;
	}
	snprintf(buf, sizeof buf, "%s", line);
	char *s = trim(buf);
	if (!*s || *s == '#' || *s == ';')
		return BT_OK;
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(err, errlen, "expected key = value");
		return BT_ERR_DATA;
	}
	*eq = '\0';
	char *k = trim(s), *v = trim(eq + 1);
	unsigned u;
	int rc = BT_OK;
	if (strcmp(k, "baud") == 0) {
		rc = parse_uint(v, 300, 4000000, &c->baud);
	} else if (strcmp(k, "stop_bits") == 0) {
		rc = parse_uint(v, 1, 2, &c->frame.stop_bits);
	} else if (strcmp(k, "parity") == 0) {
		if (strcmp(v, "none") == 0) c->frame.parity = BT_PARITY_NONE;
		else if (strcmp(v, "even") == 0) c->frame.parity = BT_PARITY_EVEN;
		else if (strcmp(v, "odd") == 0) c->frame.parity = BT_PARITY_ODD;
		else rc = BT_ERR_DATA;
	} else if (strcmp(k, "flow") == 0) {
		if (strcmp(v, "none") == 0) c->frame.flow = BT_FLOW_NONE;
		else if (strcmp(v, "rtscts") == 0) c->frame.flow = BT_FLOW_RTSCTS;
		else if (strcmp(v, "dtrdsr") == 0) c->frame.flow = BT_FLOW_DTRDSR;
		else if (strcmp(v, "xonxoff") == 0) c->frame.flow = BT_FLOW_XONXOFF;
		else rc = BT_ERR_DATA;
	} else if (strcmp(k, "tx_terminator") == 0) {
		if (strcmp(v, "lf") == 0) snprintf(c->tx_term, sizeof c->tx_term, "%s", "\n");
		else if (strcmp(v, "crlf") == 0) snprintf(c->tx_term, sizeof c->tx_term, "%s", "\r\n");
		else if (strcmp(v, "cr") == 0) snprintf(c->tx_term, sizeof c->tx_term, "%s", "\r");
		else if (strcmp(v, "none") == 0) c->tx_term[0] = '\0';
		else rc = BT_ERR_DATA;
	} else if (strcmp(k, "rx_framing") == 0) {
		if (strcmp(v, "line") == 0) {
			c->rx = BT_SCPI_RX_LINE;
		} else if (strncmp(v, "fixed:", 6) == 0 && parse_uint(v + 6, 1, BT_SCPI_REPLY_MAX - 1, &u) == BT_OK) {
			c->rx = BT_SCPI_RX_FIXED;
			c->rx_arg = u;
		} else if (strncmp(v, "idle:", 5) == 0 && parse_uint(v + 5, 1, 5000, &u) == BT_OK) {
			c->rx = BT_SCPI_RX_IDLE;
			c->rx_arg = u;
		} else {
			rc = BT_ERR_DATA;
		}
	} else if ((strcmp(k, "identify") == 0 || strcmp(k, "current_query") == 0 ||
		    strcmp(k, "voltage_query") == 0) && *v && !one_query(v)) {
		snprintf(err, errlen, "%.40s '%.60s' is not one query (a header ending in '?', no ';'): "
			 "only queries are sent", k, v);
		return BT_ERR_DATA;
	} else if (strcmp(k, "init") == 0 && *v && !remote_only(v)) {
		snprintf(err, errlen, "init '%.60s' is not SYST:REM or SYST:RWL: settings are never sent", v);
		return BT_ERR_DATA;
	} else if (strcmp(k, "identify") == 0) {
		rc = set_str(c->identify, sizeof c->identify, v);
	} else if (strcmp(k, "identify_match") == 0) {
		rc = set_str(c->identify_match, sizeof c->identify_match, v);
	} else if (strcmp(k, "init") == 0) {
		rc = set_str(c->init, sizeof c->init, v);
	} else if (strcmp(k, "current_query") == 0) {
		rc = *v ? set_str(c->current_query, sizeof c->current_query, v) : BT_ERR_DATA;
	} else if (strcmp(k, "voltage_query") == 0) {
		rc = set_str(c->voltage_query, sizeof c->voltage_query, v);
	} else if (strcmp(k, "field") == 0) {
		rc = parse_uint(v, 1, 16, &c->field);
	} else if (strcmp(k, "voltage_field") == 0) {
		rc = parse_uint(v, 1, 16, &c->voltage_field);
	} else if (strcmp(k, "scale") == 0) {
		double d;
		size_t used = bt_parse_decimal(v, strlen(v), &d);
		if (used != strlen(v) || d <= 0)
			rc = BT_ERR_DATA;
		else
			c->scale = d;
	} else if (strcmp(k, "resolution_a") == 0) {
		double d;
		size_t used = bt_parse_decimal(v, strlen(v), &d);
		if (used != strlen(v) || d <= 0 || d > 1)
			rc = BT_ERR_DATA;
		else
			c->resolution_a = d;
	} else if (strcmp(k, "error_reply") == 0) {
		rc = set_str(c->error_reply, sizeof c->error_reply, v);
	} else if (strcmp(k, "min_interval_ms") == 0 || strcmp(k, "reply_delay_ms") == 0 ||
		   strcmp(k, "timeout_ms") == 0) {
		rc = parse_uint(v, strcmp(k, "timeout_ms") == 0 ? 10 : 0, 10000, &u);
		if (rc == BT_OK) {
			int *dst = k[0] == 'm' ? &c->min_interval_ms : k[0] == 'r' ? &c->reply_delay_ms
										  : &c->timeout_ms;
			*dst = (int)u;
		}
	} else if (strcmp(k, "flush_before_query") == 0) {
		if (strcmp(v, "yes") == 0) c->flush_before_query = true;
		else if (strcmp(v, "no") == 0) c->flush_before_query = false;
		else rc = BT_ERR_DATA;
	} else {
		snprintf(err, errlen, "unknown key '%.40s'", k);
		return BT_ERR_DATA;
	}
	if (rc != BT_OK)
		snprintf(err, errlen, "bad value for %.40s: '%.60s'", k, v);
	return rc;
}

struct load_ctx {
	struct bt_scpi_config *c;
	const char *path;
	char *err;
	size_t errlen;
};

static int load_line(const struct bt_line *line, void *user)
{
	struct load_ctx *x = user;
	char msg[160] = "";
	if (line->truncated) {
		snprintf(x->err, x->errlen, "%s:%ld: line too long", x->path, line->lineno);
		return BT_ERR_DATA;
	}
	int rc = bt_scpi_config_line(x->c, line->text, msg, sizeof msg);
	if (rc != BT_OK)
		snprintf(x->err, x->errlen, "%s:%ld: %s", x->path, line->lineno, msg);
	return rc;
}

int bt_scpi_config_load(const char *path, struct bt_scpi_config *c, char *err, size_t errlen)
{
	struct load_ctx x = { c, path, err, errlen };
	int rc = bt_linereader_file(path, 250, load_line, &x);
	if (rc == BT_ERR_IO)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return rc;
}

int bt_scpi_parse_reply(const struct bt_scpi_config *c, const char *reply, size_t n, double *out)
{
	size_t el = strlen(c->error_reply);
	size_t s = 0;
	while (s < n && (reply[s] == ' ' || reply[s] == '\t'))
		s++;
	if (el > 0 && n - s >= el && memcmp(reply + s, c->error_reply, el) == 0)
		return BT_ERR_NA;
	size_t pos = 0;
	double v = 0;
	for (unsigned f = 0; f < c->field; f++) {
		size_t end;
		if (pos >= n || !bt_find_decimal(reply + pos, n - pos, &v, &end))
			return BT_ERR_DATA;
		pos += end;
	}
	v *= c->scale;
	if (v < -1000 || v > 1000)
		return BT_ERR_DATA;
	*out = v;
	return BT_OK;
}
