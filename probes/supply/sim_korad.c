/* sim_korad.c — a Korad KAxxxxP-family supply on the simulator core (research 1.8).
 * No terminator on the wire: a query is complete when the buffer spells one; a set command with
 * a variable-length number is complete after a short silence. The slow V1.3 personality ignores
 * whatever arrives during its busy window, exactly what the real unit does to a hurried host. */
#include "supply/sim_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/numparse.h"

#define KORAD_BAUD 9600
#define CMD_MAX 32
#define SET_GAP_S 0.005      /* silence that ends a variable-length set command */
#define PROCESS_S 0.080      /* libsigrok's minimum time between commands [7] */
#define SLOW_EXTRA_S 0.450   /* extra for slow units after set commands and STATUS? [7] */

struct personality {
	const char *model;  /* the --model name */
	const char *idn;
	uint8_t idn_tail;   /* 0 none, else a trailing byte (0x01, 0xBC) [18] */
	bool old_fw;        /* first *IDN? answered after ~300 ms [17] */
	bool slow;          /* Velleman PS3005D V1.3 [15][16] */
	bool set_turns_off; /* setting V/I switches the output off on some units [9] */
};

static const struct personality personalities[] = {
	{ "KA3005P", "KORAD KA3005P V5.5 SN:03401234", 0, false, false, false },
	{ "KA3005P-V2.0", "KORADKA3005PV2.0", 0x01, true, false, true },
	{ "72-2540", "TENMA 72-2540 V2.1", 0, false, false, false },
	{ "RND", "RND 320-KA3005P V5.5", 0, false, false, false },
	{ "PS3005D-V1.3", "VELLEMANPS3005DV1.3", 0, true, true, false },
	{ "S-LS-31", "S-LS-31 V2.0", 0xBC, false, false, false },
};

struct korad {
	const struct personality *p;
	bool slow;
	char buf[CMD_MAX];
	size_t len;
	double last_byte;
	double busy_until;
	bool dropping;
	bool idn_done;
	double vset, iset;
	bool output, ocp, ovp, beep;
	double limit_a;
};

static const char *const queries[] = { "*IDN?", "STATUS?", "VSET1?", "ISET1?", "VOUT1?", "IOUT1?" };
static const char *const fixed_sets[] = { "OUT1", "OUT0", "OCP1", "OCP0", "OVP1", "OVP0", "BEEP1",
					  "BEEP0", "RCL1", "RCL2", "RCL3", "RCL4", "RCL5", "SAV1",
					  "SAV2", "SAV3", "SAV4", "SAV5" };

static void send_reply(struct korad *k, struct bt_supply_sim *c, const char *text, size_t n,
		       uint8_t extra, bool has_extra, double latency, double now)
{
	uint8_t out[80];
	if (n > sizeof out - 2)
		n = sizeof out - 2;
	memcpy(out, text, n);
	if (has_extra)
		out[n++] = extra;
	if (sim_fault_now(c, BT_SIM_DROP)) {
		sim_count_drop(c);
		return;
	}
	if (sim_fault_now(c, BT_SIM_GARBAGE))
		for (size_t i = 0; i < n; i++)
			out[i] = (uint8_t)("#?x!@%&Z"[(size_t)(sim_rand(c) * 8) & 7]);
	if (sim_fault_now(c, BT_SIM_TRUNCATE) && n > 2)
		n -= 2;
	if (sim_fault_now(c, BT_SIM_STRAY))
		out[n++] = 0x0A;
	sim_reply(c, out, n, latency, now);
	/* Busy until the reply has left plus the processing time. */
	double done = now + latency + (double)n * 10.0 / KORAD_BAUD;
	if (k->slow)
		k->busy_until = done + PROCESS_S;
}

static void execute(struct korad *k, struct bt_supply_sim *c, double now)
{
	char cmd[CMD_MAX + 1];
	memcpy(cmd, k->buf, k->len);
	cmd[k->len] = '\0';
	k->len = 0;
	double lat = 0.010 + sim_rand(c) * 0.030; /* 10-40 ms [unverified] */
	char txt[64];
	double i, v;
	bool cc;
	sim_measure(c, now, k->vset, k->iset, 0.001, k->output, &i, &v, &cc);
	if (strcmp(cmd, "*IDN?") == 0) {
		if (k->p->old_fw && !k->idn_done)
			lat = 0.300;
		k->idn_done = true;
		send_reply(k, c, k->p->idn, strlen(k->p->idn), k->p->idn_tail, k->p->idn_tail != 0, lat, now);
	} else if (strcmp(cmd, "IOUT1?") == 0) {
		snprintf(txt, sizeof txt, "%05.3f", i);
		send_reply(k, c, txt, 5, 0, false, lat, now);
	} else if (strcmp(cmd, "VOUT1?") == 0) {
		snprintf(txt, sizeof txt, "%05.2f", v);
		send_reply(k, c, txt, 5, 0, false, lat, now);
	} else if (strcmp(cmd, "VSET1?") == 0) {
		snprintf(txt, sizeof txt, "%05.2f", k->vset);
		send_reply(k, c, txt, 5, 0, false, lat, now);
	} else if (strcmp(cmd, "ISET1?") == 0) {
		/* Real units send a sixth byte here [1][7][9]; its value is undocumented, '1' is
		 * chosen so a driver that fails to drop it reads a wrong number, not a right one. */
		snprintf(txt, sizeof txt, "%05.3f", k->iset);
		send_reply(k, c, txt, 5, '1', true, lat, now);
	} else if (strcmp(cmd, "STATUS?") == 0) {
		uint8_t st = (uint8_t)((cc ? 0 : 0x01) | (k->beep ? 0x10 : 0) | (k->ocp ? 0x20 : 0) |
				       (k->output ? 0x40 : 0) | (k->ovp ? 0x80 : 0));
		send_reply(k, c, (const char *)&st, 1, 0, false, lat, now);
		if (k->slow)
			k->busy_until += SLOW_EXTRA_S;
	} else {
		/* set commands: no reply */
		double val;
		if (strncmp(cmd, "VSET1:", 6) == 0 && bt_parse_decimal(cmd + 6, strlen(cmd + 6), &val) > 0) {
			k->vset = val;
		} else if (strncmp(cmd, "ISET1:", 6) == 0 && bt_parse_decimal(cmd + 6, strlen(cmd + 6), &val) > 0) {
			k->iset = val;
		} else if (strcmp(cmd, "OUT1") == 0 || strcmp(cmd, "OUT0") == 0) {
			k->output = cmd[3] == '1';
		} else if (strncmp(cmd, "OCP", 3) == 0) {
			k->ocp = cmd[3] == '1';
		} else if (strncmp(cmd, "OVP", 3) == 0) {
			k->ovp = cmd[3] == '1';
		} else if (strncmp(cmd, "BEEP", 4) == 0) {
			k->beep = cmd[4] == '1';
		} else {
			return; /* unknown or garbage: ignored like the real unit */
		}
		sim_count_setting(c);
		if (k->p->set_turns_off && (cmd[0] == 'V' || cmd[0] == 'I' || cmd[0] == 'R'))
			k->output = false;
		if (k->slow)
			k->busy_until = now + PROCESS_S + SLOW_EXTRA_S;
	}
}

static bool is_prefix_of_any(const char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		if (strlen(queries[i]) >= n && memcmp(queries[i], buf, n) == 0)
			return true;
	for (size_t i = 0; i < sizeof fixed_sets / sizeof fixed_sets[0]; i++)
		if (strlen(fixed_sets[i]) >= n && memcmp(fixed_sets[i], buf, n) == 0)
			return true;
	if (n >= 6 && (memcmp(buf, "VSET1:", 6) == 0 || memcmp(buf, "ISET1:", 6) == 0))
		return true;
	return (n < 6 && (memcmp("VSET1:", buf, n) == 0 || memcmp("ISET1:", buf, n) == 0));
}

static bool complete(const struct korad *k)
{
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		if (strlen(queries[i]) == k->len && memcmp(queries[i], k->buf, k->len) == 0)
			return true;
	for (size_t i = 0; i < sizeof fixed_sets / sizeof fixed_sets[0]; i++)
		if (strlen(fixed_sets[i]) == k->len && memcmp(fixed_sets[i], k->buf, k->len) == 0)
			return true;
	return false;
}

static void korad_on_byte(void *dev, struct bt_supply_sim *c, uint8_t b, double now)
{
	struct korad *k = dev;
	if (now < k->busy_until) {
		if (!k->dropping)
			sim_count_drop(c);
		k->dropping = true;
		return;
	}
	k->dropping = false;
	if (k->len == 0 && (b == '\n' || b == '\r' || b == 0))
		return; /* a terminator some hosts append is tolerated */
	if (k->len > 0 && now - k->last_byte > SET_GAP_S * 4 && !is_prefix_of_any(k->buf, k->len))
		k->len = 0;
	if (k->len >= CMD_MAX - 1)
		k->len = 0;
	k->buf[k->len++] = (char)b;
	k->last_byte = now;
	if (complete(k))
		execute(k, c, now);
}

static void korad_tick(void *dev, struct bt_supply_sim *c, double now)
{
	struct korad *k = dev;
	if (k->len > 0 && now - k->last_byte >= SET_GAP_S) {
		if ((k->len > 6 && (memcmp(k->buf, "VSET1:", 6) == 0 || memcmp(k->buf, "ISET1:", 6) == 0)))
			execute(k, c, now);
		else
			k->len = 0; /* a fragment or noise, dropped after the silence */
	}
}

static void korad_free(void *dev) { free(dev); }

static const struct sim_dev_ops korad_ops = { korad_on_byte, korad_tick, korad_free };

int bt_sim_korad_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen)
{
	const struct personality *p = NULL;
	const char *want = o->model ? o->model : (o->faults & BT_SIM_SLOW) ? "PS3005D-V1.3" : "KA3005P";
	for (size_t i = 0; i < sizeof personalities / sizeof personalities[0]; i++)
		if (strcmp(want, personalities[i].model) == 0)
			p = &personalities[i];
	if (!p) {
		snprintf(err, errlen, "unknown Korad personality '%s'", want);
		return BT_ERR_ARG;
	}
	struct korad *k = bt_xcalloc(1, sizeof *k);
	k->p = p;
	k->slow = p->slow || (o->faults & BT_SIM_SLOW);
	k->vset = 4.20; /* a phone battery connector; simulation data */
	k->iset = o->limit_a > 0 ? o->limit_a : 3.0;
	k->output = !o->output_off; /* the technician switches it; we never do */
	out->ops = &korad_ops;
	out->dev = k;
	out->baud = KORAD_BAUD;
	out->limit_a = k->iset;
	out->resolution_a = 0.001;
	/* IOUT1? only: 80 ms gap + ~25 ms latency + 5 bytes on the wire */
	out->max_rate_hz = 1.0 / (PROCESS_S + 0.025 + 6 * 10.0 / KORAD_BAUD);
	return BT_OK;
}
