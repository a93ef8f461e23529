/* drv_modbus.c — Riden RD60xx and RDTech DPS over Modbus RTU, read-only: only function 0x03 is
 * ever sent (research 2-4). The reply length is known from the request, so a reply is read by
 * count with a 0.6 s timeout (firmware 1.4x needs about 0.5 s [33]); a short reply, a bad CRC or
 * an exception is no sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/driver.h"
#include "supply/modbus_proto.h"

#define ADDR 1
#define TIMEOUT_MS 600
#define GAP_MS 5

struct mb_state {
	enum bt_modbus_family fam;
	const struct bt_modbus_model *m;
	double last;
};

/* One read transaction. BT_OK, BT_ERR_TIMEOUT, BT_ERR_DATA, BT_ERR_NA, BT_ERR_GONE, BT_ERR_IO. */
static int read_regs(struct mb_state *s, struct bt_transport *t, uint16_t start, uint16_t count,
		     uint16_t *regs)
{
	uint8_t req[BT_MODBUS_REQ_LEN];
	uint8_t rep[5 + 2 * BT_MODBUS_MAX_REGS];
	bt_modbus_read_request(ADDR, start, count, req);
	bt_pace(s->last, GAP_MS);
	int rc = bt_transport_flush_input(t, 0);
	if (rc == BT_OK)
		rc = bt_transport_write(t, req, sizeof req, 200);
	if (rc != BT_OK) {
		s->last = bt_mono_now();
		return rc;
	}
	/* Read the header first: an exception reply is shorter than a normal one. */
	long got = bt_transport_read_exact(t, rep, 3, TIMEOUT_MS);
	if (got == 3) {
		size_t want = bt_modbus_reply_len(rep, 3, count);
		long more = bt_transport_read_exact(t, rep + 3, want - 3, 100 + (int)(want * 2));
		got = more < 0 ? more : 3 + more;
	}
	s->last = bt_mono_now();
	if (got < 0)
		return (int)got;
	if (got < 5)
		return BT_ERR_TIMEOUT;
	uint8_t exc;
	return bt_modbus_parse_read_reply(rep, (size_t)got, ADDR, count, regs, &exc);
}

static int mb_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		    struct bt_supply_info *info, char *err, size_t errlen, enum bt_modbus_family fam)
{
	struct mb_state *s = bt_xcalloc(1, sizeof *s);
	s->fam = fam;
	s->last = bt_mono_now() - 1;
	uint16_t regs[4] = { 0 };
	unsigned id;
	int rc = BT_ERR_TIMEOUT;
	/* A Riden's baud is set in its menu: 115200 is the default, 9600 what the Wi-Fi/TTL
	 * dongle guides ask for [27]. A garbled reply is asked again (libsigrok retries reads). */
	static const unsigned rd_bauds[] = { 115200, 9600 };
	size_t nbauds = fam == BT_MODBUS_RIDEN && !(o && o->baud) ? 2 : 1; /* a given baud only */
	for (size_t b = 0; b < nbauds && rc != BT_OK; b++) {
		if (b > 0)
			bt_transport_set_baud(t, rd_bauds[b]);
		for (int attempt = 0; attempt < 2; attempt++) {
			/* DPS: registers 0x09-0x0C (output, backlight, model, firmware), not just
			 * 0x0B-0x0C: that frame's CRC is B5 C9, which a UM meter that missed its
			 * own probe would take as a recording-threshold setting [49]; this one,
			 * 01 03 00 09 00 04 94 0B, holds no byte in 0xA0-0xEF or 0xF1-0xFF */
			rc = fam == BT_MODBUS_RIDEN ? read_regs(s, t, BT_RD_REG_ID, 4, regs)
						    : read_regs(s, t, BT_DPS_REG_OUTPUT, 4, regs);
			if (rc != BT_ERR_DATA) /* only a garbled reply is asked again */
				break;
		}
		if (rc == BT_ERR_GONE || rc == BT_ERR_IO)
			break;
	}
	if (fam == BT_MODBUS_DPS) { /* model and firmware first, as the Riden read has them */
		regs[0] = regs[BT_DPS_REG_MODEL - BT_DPS_REG_OUTPUT];
		regs[1] = regs[BT_DPS_REG_FW - BT_DPS_REG_OUTPUT];
	}
	id = regs[0];
	if (rc == BT_ERR_GONE || rc == BT_ERR_IO) {
		free(s);
		snprintf(err, errlen, "port failed: %s", bt_strerror(rc));
		return rc;
	}
	if (rc != BT_OK || !(s->m = bt_modbus_model_find(fam, id))) {
		free(s);
		if (rc == BT_OK)
			snprintf(err, errlen, "model id %u is not a known %s", id,
				 fam == BT_MODBUS_RIDEN ? "Riden RD60xx" : "RDTech DPS");
		else
			snprintf(err, errlen, "no Modbus answer (%s)", bt_strerror(rc));
		return BT_ERR_NODEV;
	}
	unsigned range = 0;
	uint16_t r20;
	if (s->m->i_div_range1 > 0 && read_regs(s, t, BT_RD_REG_RANGE, 1, &r20) == BT_OK)
		range = r20;
	if (fam == BT_MODBUS_RIDEN)
		snprintf(info->model, sizeof info->model, "%s fw %u.%02u", s->m->name, regs[3] / 100u,
			 regs[3] % 100u);
	else
		snprintf(info->model, sizeof info->model, "%s fw %u", s->m->name, (unsigned)regs[1]);
	info->resolution_a = bt_modbus_model_resolution(s->m, range);
	info->coarse = info->resolution_a >= 0.01 - 1e-9;
	/* stock Riden < 10 transactions/s [27]; DPS stock 2.5/s [35] */
	info->nominal_rate_hz = fam == BT_MODBUS_RIDEN ? 8.0 : 2.5;
	/* The current limit tells a short (reading pinned at the limit) from a real draw. */
	uint16_t iset;
	info->limit_a = -1;
	if (read_regs(s, t, fam == BT_MODBUS_RIDEN ? BT_RD_REG_ISET : BT_DPS_REG_ISET, 1, &iset) == BT_OK)
		info->limit_a = iset / ((range != 0 && s->m->i_div_range1 > 0) ? s->m->i_div_range1
										 : s->m->i_div);
	*state = s;
	return BT_OK;
}

static int riden_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		       struct bt_supply_info *info, char *err, size_t errlen)
{
	return mb_probe(t, o, state, info, err, errlen, BT_MODBUS_RIDEN);
}

static int dps_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		     struct bt_supply_info *info, char *err, size_t errlen)
{
	return mb_probe(t, o, state, info, err, errlen, BT_MODBUS_DPS);
}

static int mb_read(void *state, struct bt_transport *t, struct bt_supply_reading *r)
{
	struct mb_state *s = state;
	uint16_t regs[13];
	r->voltage_v = NAN;
	r->cc = -1;
	r->output = -1;
	if (s->fam == BT_MODBUS_RIDEN) {
		/* registers 8-20: set points, outputs, CV/CC, output flag, range */
		int rc = read_regs(s, t, BT_RD_REG_VSET, 13, regs);
		if (rc != BT_OK)
			return rc == BT_ERR_NA ? BT_ERR_DATA : rc;
		/* the RD6012P's range register: any non-zero value is the 12 A range (as libsigrok) */
		double idiv = (s->m->i_div_range1 > 0 && regs[BT_RD_REG_RANGE - 8] != 0) ? s->m->i_div_range1
											     : s->m->i_div;
		r->voltage_v = regs[BT_RD_REG_VOUT - 8] / s->m->v_div;
		r->current_a = regs[BT_RD_REG_IOUT - 8] / idiv;
		r->cc = regs[BT_RD_REG_CVCC - 8] ? 1 : 0;
		r->output = regs[BT_RD_REG_OUTPUT - 8] ? 1 : 0;
	} else {
		int rc = read_regs(s, t, 0, 10, regs);
		if (rc != BT_OK)
			return rc == BT_ERR_NA ? BT_ERR_DATA : rc;
		r->voltage_v = regs[BT_DPS_REG_UOUT] / s->m->v_div;
		r->current_a = regs[BT_DPS_REG_IOUT] / s->m->i_div;
		r->cc = regs[BT_DPS_REG_CVCC] ? 1 : 0;
		r->output = regs[BT_DPS_REG_OUTPUT] ? 1 : 0;
	}
	return BT_OK;
}

static void mb_free(void *state) { free(state); }

const struct bt_supply_driver bt_drv_riden = { "riden", 115200, riden_probe, mb_read, NULL, mb_free };
const struct bt_supply_driver bt_drv_dps = { "dps", 9600, dps_probe, mb_read, NULL, mb_free };
