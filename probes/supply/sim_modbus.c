/* sim_modbus.c — Riden RD60xx and RDTech DPS as Modbus RTU slaves on the simulator core
 * (research 3.5 and 4). Frames with a bad CRC or another slave address are dropped silently, as
 * the Modbus serial-line specification asks; registers that depend on the load are computed at
 * each read and quantised with the model's divisor. */
#include "supply/sim_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/modbus_proto.h"

#define NREGS 300
#define FRAME_MAX 80

struct modbus_sim {
	const struct bt_modbus_model *m;
	uint8_t addr;
	double latency;
	unsigned baud;
	uint16_t reg[NREGS];
	uint8_t buf[FRAME_MAX];
	size_t len;
	double last_byte;
	double gap;
};

static uint16_t raw(double value, double div)
{
	double r = round(value * div);
	return (uint16_t)(r < 0 ? 0 : r > 65535 ? 65535 : r);
}

static double idiv(const struct modbus_sim *s)
{
	if (s->m->family == BT_MODBUS_RIDEN && s->m->i_div_range1 > 0 && s->reg[BT_RD_REG_RANGE] == 1)
		return s->m->i_div_range1;
	return s->m->i_div;
}

/* Recomputes the measured registers from the scenario. */
static void refresh(struct modbus_sim *s, struct bt_supply_sim *c, double now)
{
	bool rd = s->m->family == BT_MODBUS_RIDEN;
	double vset = (rd ? s->reg[BT_RD_REG_VSET] : s->reg[BT_DPS_REG_USET]) / s->m->v_div;
	double iset = (rd ? s->reg[BT_RD_REG_ISET] : s->reg[BT_DPS_REG_ISET]) / idiv(s);
	bool on = (rd ? s->reg[BT_RD_REG_OUTPUT] : s->reg[BT_DPS_REG_OUTPUT]) != 0;
	double i, v;
	bool cc;
	sim_measure(c, now, vset, iset, 1.0 / idiv(s), on, &i, &v, &cc);
	if (rd) {
		s->reg[BT_RD_REG_VOUT] = raw(v, s->m->v_div);
		s->reg[BT_RD_REG_IOUT] = raw(i, idiv(s));
		s->reg[13] = raw(v * i, 100);
		s->reg[14] = raw(12.0, 100); /* input voltage */
		s->reg[BT_RD_REG_PROTECT] = 0;
		s->reg[BT_RD_REG_CVCC] = cc ? 1 : 0;
	} else {
		s->reg[BT_DPS_REG_UOUT] = raw(v, s->m->v_div);
		s->reg[BT_DPS_REG_IOUT] = raw(i, idiv(s));
		s->reg[4] = raw(v * i, 100);
		s->reg[5] = raw(12.0, 100);
		s->reg[7] = 0;
		s->reg[BT_DPS_REG_CVCC] = cc ? 1 : 0;
	}
}

static void send(struct modbus_sim *s, struct bt_supply_sim *c, uint8_t *f, size_t n, double now)
{
	uint16_t crc = bt_modbus_crc16(f, n);
	f[n++] = (uint8_t)crc;
	f[n++] = (uint8_t)(crc >> 8);
	if (sim_fault_now(c, BT_SIM_DROP)) {
		sim_count_drop(c);
		return;
	}
	if (sim_fault_now(c, BT_SIM_BADCRC))
		f[n - 1] ^= 0x5A;
	if (sim_fault_now(c, BT_SIM_GARBAGE))
		for (size_t i = 0; i < n; i++)
			f[i] = (uint8_t)(sim_rand(c) * 256);
	if (sim_fault_now(c, BT_SIM_TRUNCATE) && n > 4)
		n -= 3;
	if (sim_fault_now(c, BT_SIM_STRAY))
		f[n++] = 0x00;
	double lat = s->latency * (0.9 + 0.2 * sim_rand(c));
	if (sim_fault_now(c, BT_SIM_SLOW))
		lat = 0.45; /* firmware 1.4x outlier [33] */
	sim_reply(c, f, n, lat, now);
}

static void handle_frame(struct modbus_sim *s, struct bt_supply_sim *c, double now)
{
	uint8_t addr, fn;
	uint16_t start, count;
	if (bt_modbus_parse_request(s->buf, s->len, &addr, &fn, &start, &count) != BT_OK ||
	    addr != s->addr) {
		sim_count_drop(c);
		return;
	}
	uint8_t out[2 * 125 + 8];
	out[0] = addr;
	size_t max_read = s->m->family == BT_MODBUS_RIDEN ? 125 : 32;
	if (fn == 0x03) {
		if (count == 0 || count > max_read || (size_t)start + count > NREGS) {
			out[1] = 0x83;
			out[2] = 0x02; /* illegal data address */
			send(s, c, out, 3, now);
			return;
		}
		refresh(s, c, now);
		out[1] = 0x03;
		out[2] = (uint8_t)(2 * count);
		for (size_t i = 0; i < count; i++) {
			out[3 + 2 * i] = (uint8_t)(s->reg[start + i] >> 8);
			out[4 + 2 * i] = (uint8_t)s->reg[start + i];
		}
		send(s, c, out, 3 + 2 * (size_t)count, now);
	} else if (fn == 0x06 && start < NREGS) {
		sim_count_setting(c);
		s->reg[start] = count; /* "count" holds the value for 0x06 */
		memcpy(out, s->buf, 6);
		send(s, c, out, 6, now);
	} else if (fn == 0x10 && (size_t)start + count <= NREGS && s->buf[6] == 2 * count) {
		sim_count_setting(c);
		for (size_t i = 0; i < count; i++)
			s->reg[start + i] = (uint16_t)(s->buf[7 + 2 * i] << 8 | s->buf[8 + 2 * i]);
		memcpy(out, s->buf, 6);
		send(s, c, out, 6, now);
	} else {
		out[1] = (uint8_t)(fn | 0x80);
		out[2] = 0x01; /* illegal function */
		send(s, c, out, 3, now);
	}
}

static size_t expected_len(const struct modbus_sim *s)
{
	if (s->len < 2)
		return 0;
	if (s->buf[1] == 0x10)
		return s->len >= 7 ? 9 + (size_t)s->buf[6] : 0;
	return 8;
}

static void mb_on_byte(void *dev, struct bt_supply_sim *c, uint8_t b, double now)
{
	struct modbus_sim *s = dev;
	if (s->len > 0 && now - s->last_byte > s->gap)
		s->len = 0; /* silence of 3.5 characters ends a frame */
	if (s->len >= FRAME_MAX)
		s->len = 0;
	s->buf[s->len++] = b;
	s->last_byte = now;
	size_t want = expected_len(s);
	if (want > FRAME_MAX) {
		s->len = 0;
		return;
	}
	if (want && s->len == want) {
		handle_frame(s, c, now);
		s->len = 0;
	}
}

static void mb_tick(void *dev, struct bt_supply_sim *c, double now)
{
	struct modbus_sim *s = dev;
	if (s->len > 0 && now - s->last_byte > s->gap) {
		sim_count_drop(c); /* incomplete frame */
		s->len = 0;
	}
}

static void mb_free(void *dev) { free(dev); }

static const struct sim_dev_ops modbus_ops = { mb_on_byte, mb_tick, mb_free };

int bt_sim_modbus_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen)
{
	bool riden = strcmp(o->driver, "riden") == 0;
	char model[32];
	snprintf(model, sizeof model, "%s", o->model ? o->model : riden ? "RD6006" : "DPS5005");
	bool unisoft = false;
	char *dash = strchr(model, '-');
	if (dash && strcmp(dash, "-unisoft") == 0) {
		unisoft = true;
		*dash = '\0';
	}
	static const struct {
		const char *name;
		unsigned id;
	} ids[] = { { "RD6006", 60062 }, { "RD6006P", 60065 }, { "RD6012", 60121 },
		    { "RD6012P", 60125 }, { "RD6018", 60181 }, { "RD6024", 60241 },
		    { "DPS3005", 3005 }, { "DPS5005", 5005 }, { "DPH5005", 5205 },
		    { "DPS5015", 5015 }, { "DPS5020", 5020 }, { "DPS8005", 8005 } };
	const struct bt_modbus_model *m = NULL;
	unsigned id = 0;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (strcmp(model, ids[i].name) == 0) {
			id = ids[i].id;
			m = bt_modbus_model_find(riden ? BT_MODBUS_RIDEN : BT_MODBUS_DPS, id);
		}
	if (!m) {
		snprintf(err, errlen, "unknown %s model '%s'", riden ? "Riden" : "DPS", model);
		return BT_ERR_ARG;
	}
	struct modbus_sim *s = bt_xcalloc(1, sizeof *s);
	s->m = m;
	s->addr = 1;
	s->baud = riden ? 115200 : 9600;
	/* stock Riden < 10 replies/s [27], UniSoft ~65/s [27], DPS stock every 400 ms [35] */
	s->latency = riden ? (unisoft ? 0.012 : 0.100) : 0.400;
	s->gap = 3.5 * 10.0 / s->baud;
	if (s->gap < 0.004)
		s->gap = 0.004;
	double limit = o->limit_a > 0 ? o->limit_a : 3.0;
	if (riden) {
		s->reg[BT_RD_REG_ID] = (uint16_t)id;
		s->reg[1] = 0;
		s->reg[2] = 12345;
		s->reg[BT_RD_REG_FW] = 128;
		s->reg[BT_RD_REG_VSET] = raw(4.20, m->v_div);
		s->reg[BT_RD_REG_ISET] = raw(limit, m->i_div);
		s->reg[BT_RD_REG_OUTPUT] = 1;
		s->reg[BT_RD_REG_RANGE] = 0;
	} else {
		s->reg[BT_DPS_REG_USET] = raw(4.20, m->v_div);
		s->reg[BT_DPS_REG_ISET] = raw(limit, m->i_div);
		s->reg[BT_DPS_REG_OUTPUT] = 1;
		s->reg[BT_DPS_REG_MODEL] = (uint16_t)id;
		s->reg[BT_DPS_REG_FW] = 16;
	}
	out->ops = &modbus_ops;
	out->dev = s;
	out->baud = s->baud;
	out->limit_a = limit;
	out->resolution_a = 1.0 / m->i_div;
	/* one read of registers 8-20 per sample: request + 31-byte reply + latency */
	out->max_rate_hz = 1.0 / (s->latency + (8 + 31) * 10.0 / s->baud);
	return BT_OK;
}
