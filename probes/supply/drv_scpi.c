/* drv_scpi.c — generic text/SCPI supplies driven by a profile (scpi_proto.h). Read-only by
 * construction: only the configured identify/init/query strings are ever sent. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/driver.h"
#include "supply/scpi_proto.h"

struct scpi_state {
	struct bt_scpi_config c;
	double last;
	unsigned long n;
	bool remote;  /* init (SYST:REM / SYST:RWL) was sent: SYST:LOC on release */
};

/* Reads one reply per the framing. Returns length (0 on timeout) or a negative error. */
static long read_reply(struct scpi_state *s, struct bt_transport *t, char *buf, size_t cap)
{
	if (s->c.rx == BT_SCPI_RX_FIXED) {
		size_t want = s->c.rx_arg < cap ? s->c.rx_arg : cap - 1;
		long got = bt_transport_read_exact(t, buf, want, s->c.timeout_ms);
		return got < 0 ? got : (size_t)got == want ? got : 0;
	}
	if (s->c.rx == BT_SCPI_RX_IDLE)
		return bt_transport_read_idle(t, buf, cap - 1, s->c.timeout_ms, (int)s->c.rx_arg);
	/* line: any of CR, LF, CRLF ends it [39] */
	size_t n = 0;
	double deadline = bt_mono_now() + s->c.timeout_ms / 1000.0;
	while (n < cap - 1) {
		int left = (int)((deadline - bt_mono_now()) * 1000.0);
		if (left <= 0)
			return 0;
		char ch;
		long r = bt_transport_read_some(t, &ch, 1, left);
		if (r < 0)
			return r;
		if (r == 0)
			return 0;
		if (ch == '\r' || ch == '\n') {
			if (n == 0)
				continue; /* the LF of a CRLF, or a stray line end */
			return (long)n;
		}
		buf[n++] = ch;
	}
	return (long)n;
}

static long ask(struct scpi_state *s, struct bt_transport *t, const char *q, char *buf, size_t cap)
{
	bt_pace(s->last, s->c.min_interval_ms);
	int rc = s->c.flush_before_query ? bt_transport_flush_input(t, 0) : BT_OK;
	char cmd[BT_SCPI_STR_MAX + 4];
	snprintf(cmd, sizeof cmd, "%s%s", q, s->c.tx_term);
	if (rc == BT_OK)
		rc = bt_transport_write(t, cmd, strlen(cmd), 200);
	if (rc != BT_OK) {
		s->last = bt_mono_now();
		return rc;
	}
	if (s->c.reply_delay_ms > 0)
		bt_sleep_ms(s->c.reply_delay_ms);
	long n = read_reply(s, t, buf, cap);
	s->last = bt_mono_now();
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int scpi_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		      struct bt_supply_info *info, char *err, size_t errlen)
{
	struct scpi_state *s = bt_xcalloc(1, sizeof *s);
	bt_scpi_config_default(&s->c);
	if (o && o->scpi_profile) {
		int rc = bt_scpi_config_load(o->scpi_profile, &s->c, err, errlen);
		if (rc != BT_OK) {
			free(s);
			return rc == BT_ERR_IO ? BT_ERR_IO : BT_ERR_DATA; /* err names file:line */
		}
	}
	bt_transport_set_baud(t, o && o->baud ? o->baud : s->c.baud);
	if (s->c.frame.stop_bits != 1 || s->c.frame.parity != BT_PARITY_NONE ||
	    s->c.frame.flow != BT_FLOW_NONE) {
		int fr = bt_transport_set_frame(t, &s->c.frame);
		if (fr != BT_OK) {
			free(s);
			snprintf(err, errlen, "the port cannot take the profile's %s",
				 fr == BT_ERR_NA ? "handshake (DTR/DSR: this port or adapter has none)"
						 : "stop bits, parity or handshake");
			return fr == BT_ERR_NA ? BT_ERR_DATA : BT_ERR_IO;
		}
	}
	/* Earlier probes (auto) may have left a partial line in the device's input buffer: end it
	 * with a bare terminator and drop whatever the device says about it. */
	if (s->c.tx_term[0]) {
		bt_transport_write(t, s->c.tx_term, strlen(s->c.tx_term), 200);
		bt_transport_flush_input(t, 50);
	}
	s->last = bt_mono_now() - 1;
	/* Remote mode first: some units (B&K Precision 9120 series) answer anything sent in
	 * local mode with "Power supply in local mode" instead of the reply */
	if (s->c.init[0]) {
		char junk[BT_SCPI_REPLY_MAX];
		/* init is SYST:REM or SYST:RWL (the profile reader allows nothing else); no reply */
		bt_pace(s->last, s->c.min_interval_ms);
		char cmd[BT_SCPI_STR_MAX + 4];
		snprintf(cmd, sizeof cmd, "%s%s", s->c.init, s->c.tx_term);
		bt_transport_write(t, cmd, strlen(cmd), 200);
		bt_transport_read_idle(t, junk, sizeof junk - 1, 30, 10);
		s->last = bt_mono_now();
		s->remote = true;
	}
	char buf[BT_SCPI_REPLY_MAX];
	long n;
	if (s->c.identify[0]) {
		n = ask(s, t, s->c.identify, buf, sizeof buf);
		if (n < 0 && n != BT_ERR_TIMEOUT) {
			free(s);
			snprintf(err, errlen, "port failed: %s", bt_strerror((int)n));
			return (int)n;
		}
		if (n <= 0 || (s->c.identify_match[0] && !strstr(buf, s->c.identify_match))) {
			if (n <= 0)
				snprintf(err, errlen, "no answer to %s", s->c.identify);
			else
				snprintf(err, errlen, "%s answer does not name %s", s->c.identify,
					 s->c.identify_match);
			free(s);
			return BT_ERR_NODEV;
		}
		snprintf(info->model, sizeof info->model, "%.63s", buf);
	}
	double v;
	n = ask(s, t, s->c.current_query, buf, sizeof buf);
	if (n <= 0 || bt_scpi_parse_reply(&s->c, buf, (size_t)n, &v) != BT_OK) {
		snprintf(err, errlen, "no usable answer to %s", s->c.current_query);
		free(s);
		return n < 0 && n != BT_ERR_TIMEOUT ? (int)n : BT_ERR_NODEV;
	}
	if (!info->model[0])
		snprintf(info->model, sizeof info->model, "SCPI supply");
	info->resolution_a = s->c.resolution_a;
	info->coarse = s->c.resolution_a >= 0.01 - 1e-9;
	info->nominal_rate_hz = 0; /* unmeasured for every SCPI supply in the notes */
	info->limit_a = -1;
	*state = s;
	return BT_OK;
}

static int scpi_read(void *state, struct bt_transport *t, struct bt_supply_reading *r)
{
	struct scpi_state *s = state;
	char buf[BT_SCPI_REPLY_MAX];
	r->voltage_v = NAN;
	r->cc = -1;
	r->output = -1;
	long n = ask(s, t, s->c.current_query, buf, sizeof buf);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return BT_ERR_TIMEOUT;
	int rc = bt_scpi_parse_reply(&s->c, buf, (size_t)n, &r->current_a);
	if (rc != BT_OK)
		return BT_ERR_DATA;
	if (s->c.voltage_query[0] && ++s->n % 4 == 0) {
		double v;
		n = ask(s, t, s->c.voltage_query, buf, sizeof buf);
		if (n == BT_ERR_GONE)
			return BT_ERR_GONE;
		struct bt_scpi_config vc = s->c; /* the voltage may sit in another field */
		if (vc.voltage_field)
			vc.field = vc.voltage_field;
		if (n > 0 && bt_scpi_parse_reply(&vc, buf, (size_t)n, &v) == BT_OK)
			r->voltage_v = v / s->c.scale;
	}
	return BT_OK;
}

/* SYST:LOC after SYST:REM/RWL: the front panel works again once benchtriage lets go. */
static void scpi_release(void *state, struct bt_transport *t)
{
	struct scpi_state *s = state;
	if (!s->remote)
		return;
	bt_pace(s->last, s->c.min_interval_ms);
	char cmd[16];
	snprintf(cmd, sizeof cmd, "SYST:LOC%s", s->c.tx_term);
	bt_transport_write(t, cmd, strlen(cmd), 200);
	s->remote = false;
}

static void scpi_free(void *state) { free(state); }

const struct bt_supply_driver bt_drv_scpi = { "scpi", 115200, scpi_probe, scpi_read, scpi_release, scpi_free };
