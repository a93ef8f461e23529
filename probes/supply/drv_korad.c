/* drv_korad.c — Korad KAxxxxP family, read-only (research 1.6): one request in flight, at least
 * 80 ms from the end of an exchange to the next command (+450 ms after STATUS? on slow units),
 * input flushed before each query, fixed-length replies read by count, the ISET1? sixth byte
 * drained, and a short or missing reply counted as no sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/driver.h"
#include "supply/korad_proto.h"

#define GAP_MS 80
#define SLOW_EXTRA_MS 450
#define REPLY_TIMEOUT_MS 300
#define IDN_FIRST_MS 1500 /* old firmware answers late (~0.5 s [17]): three times that */
#define IDN_IDLE_MS 30

struct korad_state {
	struct bt_korad_idn idn;
	double last;         /* end of the last exchange */
	int extra_ms;        /* extra wait owed after the last command */
	unsigned long n;     /* readings so far, to interleave VOUT1?/STATUS? */
};

void bt_pace(double last, int gap_ms)
{
	double wait = last + gap_ms / 1000.0 - bt_mono_now();
	if (wait > 0)
		bt_sleep_ms((int)(wait * 1000.0 + 0.999));
}

/* Sends a query and reads want bytes. Returns bytes read or a negative error. */
static long query(struct korad_state *k, struct bt_transport *t, const char *cmd,
		  unsigned char *buf, size_t want)
{
	bt_pace(k->last, GAP_MS + k->extra_ms);
	k->extra_ms = 0;
	int rc = bt_transport_flush_input(t, 0);
	if (rc == BT_OK)
		rc = bt_transport_write(t, cmd, strlen(cmd), 200);
	if (rc != BT_OK) {
		k->last = bt_mono_now();
		return rc;
	}
	long got = bt_transport_read_exact(t, buf, want, REPLY_TIMEOUT_MS);
	k->last = bt_mono_now();
	return got;
}

static int korad_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		       struct bt_supply_info *info, char *err, size_t errlen)
{
	struct korad_state *k = bt_xcalloc(1, sizeof *k);
	k->last = bt_mono_now() - 1;
	unsigned char buf[BT_KORAD_IDN_MAX];
	long n = 0;
	/* A garbled answer is asked again once: bytes left in the unit's buffer by an earlier
	 * program spoil the first query [8]; they can also swallow it whole, so silence is asked
	 * again too when the technician named this driver (pypsucurvetrace retries an empty
	 * answer). In auto-detection silence means "not a Korad": the next family is tried. */
	bool named = o && o->driver && strcmp(o->driver, "korad") == 0;
	for (int attempt = 0; attempt < 2 && (attempt == 0 || n > 0 || (named && n == 0)); attempt++) {
		if (attempt)
			bt_sleep_ms(100);
		int rc = bt_transport_flush_input(t, 0);
		if (rc == BT_OK)
			rc = bt_transport_write(t, "*IDN?", 5, 200);
		/* Old firmware starts the identification late [17]; its end is a silence. */
		n = rc == BT_OK ? bt_transport_read_idle(t, buf, sizeof buf, IDN_FIRST_MS, IDN_IDLE_MS) : rc;
		if (n > 0 && bt_korad_parse_idn(buf, (size_t)n, &k->idn) == BT_OK)
			break;
	}
	k->last = bt_mono_now();
	if (n < 0) {
		free(k);
		snprintf(err, errlen, "no answer to *IDN?: %s", bt_strerror((int)n));
		return (int)n;
	}
	if (n == 0 || bt_korad_parse_idn(buf, (size_t)n, &k->idn) != BT_OK) {
		free(k);
		snprintf(err, errlen, n == 0 ? "no answer to *IDN?" : "*IDN? answer is not a Korad-family one");
		return BT_ERR_NODEV;
	}
	snprintf(info->model, sizeof info->model, "%s %s%s%s", k->idn.vendor, k->idn.model,
		 k->idn.version[0] ? " V" : "", k->idn.version);
	info->resolution_a = 0.001;
	info->nominal_rate_hz = 4.0; /* I, V and status each ~4 Hz; current alone up to ~10 Hz [7] */
	info->slow = k->idn.slow;
	/* The current limit tells a short (reading pinned at the limit) from a real draw. ISET1?
	 * is answered with a stray sixth byte that must be read and dropped [1][7][9]. */
	unsigned char iset[8];
	long got = query(k, t, "ISET1?", iset, BT_KORAD_NUM_LEN);
	double lim;
	info->limit_a = (got == BT_KORAD_NUM_LEN && bt_korad_parse_number(iset, 5, &lim) == BT_OK) ? lim : -1;
	bt_transport_read_idle(t, iset, sizeof iset, 50, 10);
	k->last = bt_mono_now();
	*state = k;
	return BT_OK;
}

static int korad_read(void *state, struct bt_transport *t, struct bt_supply_reading *r)
{
	struct korad_state *k = state;
	unsigned char buf[8];
	r->voltage_v = NAN;
	r->cc = -1;
	r->output = -1;
	long got = query(k, t, "IOUT1?", buf, BT_KORAD_NUM_LEN);
	if (got < 0)
		return (int)got;
	if (got < BT_KORAD_NUM_LEN)
		return BT_ERR_TIMEOUT; /* a dropped or cut reply is no sample, never 0 A */
	if (bt_korad_parse_number(buf, (size_t)got, &r->current_a) != BT_OK)
		return BT_ERR_DATA;
	k->n++;
	/* Voltage every 4th and status every 8th reading keeps current near its best rate. */
	if (k->n % 4 == 0) {
		double v;
		got = query(k, t, "VOUT1?", buf, BT_KORAD_NUM_LEN);
		if (got == BT_ERR_GONE)
			return BT_ERR_GONE;
		if (got == BT_KORAD_NUM_LEN && bt_korad_parse_number(buf, 5, &v) == BT_OK)
			r->voltage_v = v;
	}
	if (k->n % 8 == 0) {
		got = query(k, t, "STATUS?", buf, 1);
		if (got == BT_ERR_GONE)
			return BT_ERR_GONE;
		if (got == 1) {
			r->output = bt_korad_status_output(buf[0]) ? 1 : 0;
			/* the CV/CC bit means something only with the output on [11] */
			r->cc = r->output == 1 ? (bt_korad_status_cv(buf[0]) ? 0 : 1) : -1;
		}
		if (k->idn.slow)
			k->extra_ms = SLOW_EXTRA_MS;
	}
	return BT_OK;
}

static void korad_free(void *state) { free(state); }

const struct bt_supply_driver bt_drv_korad = { "korad", 9600, korad_probe, korad_read, NULL, korad_free };
