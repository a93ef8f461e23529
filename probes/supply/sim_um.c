/* sim_um.c — RDTech UM24C/UM25C/UM34C meters on the simulator core (research 6.1): 0xF0 asks
 * for a 130-byte dump, sent at the meter's internal 9600 baud; any other command byte makes the
 * meter ignore 0xF0 for 0.2 s; everything else just changes screen state. */
#include "supply/sim_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/um_proto.h"

#define UM_BAUD 9600
#define OTHER_CMD_HOLD_S 0.2

struct um_sim {
	unsigned id;
	double vdiv, idiv;
	double last_other;
	unsigned screen, group;
	double limit_a;
};

static void put16(uint8_t *p, double v)
{
	double r = round(v);
	unsigned u = (unsigned)(r < 0 ? 0 : r > 65535 ? 65535 : r);
	p[0] = (uint8_t)(u >> 8);
	p[1] = (uint8_t)u;
}

static void put32(uint8_t *p, double v)
{
	unsigned long u = (unsigned long)(v < 0 ? 0 : v);
	p[0] = (uint8_t)(u >> 24);
	p[1] = (uint8_t)(u >> 16);
	p[2] = (uint8_t)(u >> 8);
	p[3] = (uint8_t)u;
}

static void dump(struct um_sim *u, struct bt_supply_sim *c, double now)
{
	double i, v;
	bool cc;
	sim_measure(c, now, 5.10, u->limit_a, 1.0 / u->idiv, true, &i, &v, &cc);
	uint8_t f[BT_UM_FRAME_LEN + 1];
	memset(f, 0, sizeof f);
	put16(f, u->id);
	put16(f + 2, v * u->vdiv);
	put16(f + 4, i * u->idiv);
	put32(f + 6, v * i * 1000);
	put16(f + 10, 25);
	put16(f + 12, 77);
	put16(f + 14, u->group);
	put16(f + 96, 60);  /* D+ 0.60 V, D- 0.60 V: simulation data */
	put16(f + 98, 60);
	put16(f + 100, 0);
	put16(f + 118, 1);
	put16(f + 120, 5);
	put32(f + 122, i > 0 ? v / i * 10 : 99999);
	put16(f + 126, u->screen);
	if (u->id == BT_UM_ID_34C) {
		f[128] = 0;
		f[129] = bt_um34c_checksum(f);
	} else {
		f[128] = 0xFF;
		f[129] = 0xF1;
	}
	size_t n = BT_UM_FRAME_LEN;
	if (sim_fault_now(c, BT_SIM_DROP)) {
		sim_count_drop(c);
		return;
	}
	if (sim_fault_now(c, BT_SIM_GARBAGE))
		for (size_t k = 0; k < n; k++)
			f[k] = (uint8_t)(sim_rand(c) * 256);
	if (sim_fault_now(c, BT_SIM_TRUNCATE)) {
		/* bytes lost mid-dump on the radio link */
		memmove(f + 60, f + 67, n - 67);
		n -= 7;
	}
	if (sim_fault_now(c, BT_SIM_STRAY)) {
		memmove(f + 1, f, n);
		f[0] = 0xFF;
		n++;
	}
	sim_reply(c, f, n, 0.005 + 0.01 * sim_rand(c), now);
}

static void um_on_byte(void *dev, struct bt_supply_sim *c, uint8_t b, double now)
{
	struct um_sim *u = dev;
	if (b == BT_UM_CMD_DUMP) {
		if (now - u->last_other < OTHER_CMD_HOLD_S) {
			sim_count_drop(c);
			return;
		}
		dump(u, c, now);
		return;
	}
	u->last_other = now;
	/* the meter's setting bytes [49]: group, recording threshold, backlight, screen timeout,
	 * screen and group navigation */
	if ((b >= 0xA0 && b <= 0xA9) || (b >= 0xB0 && b <= 0xCE) || (b >= 0xD0 && b <= 0xD5) ||
	    (b >= 0xE0 && b <= 0xE9) || (b >= 0xF1 && b <= 0xF4))
		sim_count_setting(c);
	if (b == 0xF1)
		u->screen = (u->screen + 1) % 6;
	else if (b >= 0xA0 && b <= 0xA9)
		u->group = (unsigned)(b - 0xA0);
}

static void um_tick(void *dev, struct bt_supply_sim *c, double now)
{
	(void)dev;
	(void)c;
	(void)now;
}

static void um_free(void *dev) { free(dev); }

static const struct sim_dev_ops um_ops = { um_on_byte, um_tick, um_free };

int bt_sim_um_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen)
{
	const char *model = o->model ? o->model : "UM24C";
	struct um_sim *u = bt_xcalloc(1, sizeof *u);
	if (strcmp(model, "UM24C") == 0) {
		u->id = BT_UM_ID_24C;
		u->vdiv = 100;
		u->idiv = 1000;
	} else if (strcmp(model, "UM25C") == 0) {
		u->id = BT_UM_ID_25C;
		u->vdiv = 1000;
		u->idiv = 10000;
	} else if (strcmp(model, "UM34C") == 0) {
		u->id = BT_UM_ID_34C;
		u->vdiv = 100;
		u->idiv = 1000;
	} else {
		free(u);
		snprintf(err, errlen, "unknown UM meter '%s'", model);
		return BT_ERR_ARG;
	}
	u->last_other = -1;
	u->limit_a = o->limit_a > 0 ? o->limit_a : 2.4; /* a USB charger port, simulation data */
	out->ops = &um_ops;
	out->dev = u;
	out->baud = UM_BAUD;
	out->limit_a = u->limit_a;
	out->resolution_a = 1.0 / u->idiv;
	out->max_rate_hz = 1.0 / (0.010 + (1 + BT_UM_FRAME_LEN) * 10.0 / UM_BAUD);
	return BT_OK;
}
