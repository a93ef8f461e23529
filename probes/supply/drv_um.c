/* drv_um.c — RDTech UM24C/UM25C/UM34C meters (research 6.1): send 0xF0, collect the 130-byte
 * dump; after lost bytes, re-align on the model id and check the trailer/checksum (as libsigrok
 * does [51]) instead of trusting byte positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/driver.h"
#include "supply/um_proto.h"

#define DUMP_TIMEOUT_MS 500   /* a reading */
#define PROBE_TIMEOUT_MS 1000 /* the first dump (libsigrok waits 1 s too [51]) */
#define BUF_CAP (2 * BT_UM_FRAME_LEN)

struct um_state {
	uint8_t buf[BUF_CAP];
	size_t len;
	double last;
	struct bt_um_frame last_frame;
};

/* Polls once and waits for a whole frame. BT_OK with *f, BT_ERR_TIMEOUT, BT_ERR_DATA, GONE. */
static int poll_frame(struct um_state *u, struct bt_transport *t, struct bt_um_frame *f,
		      int timeout_ms)
{
	bt_pace(u->last, 20);
	uint8_t cmd = BT_UM_CMD_DUMP;
	u->len = 0; /* stale bytes from an earlier, broken dump would only confuse re-alignment */
	int rc = bt_transport_flush_input(t, 0);
	if (rc == BT_OK)
		rc = bt_transport_write(t, &cmd, 1, 200);
	if (rc != BT_OK)
		return rc;
	double deadline = bt_mono_now() + timeout_ms / 1000.0;
	for (;;) {
		int left = (int)((deadline - bt_mono_now()) * 1000.0);
		if (left <= 0)
			break;
		/* No silence cut-off: Bluetooth serial delivers a dump in chunks with gaps; the
		 * frame search and the deadline decide. */
		long r = bt_transport_read_some(t, u->buf + u->len, BUF_CAP - u->len, left);
		if (r < 0) {
			u->last = bt_mono_now();
			return (int)r;
		}
		u->len += (size_t)r;
		long at = bt_um_find_frame(u->buf, u->len);
		if (at >= 0) {
			bt_um_parse_frame(u->buf + at, u->len - (size_t)at, f);
			u->len = 0;
			u->last = bt_mono_now();
			return BT_OK;
		}
		if (u->len == BUF_CAP) /* keep the newest half to re-align on */
			memmove(u->buf, u->buf + BT_UM_FRAME_LEN, (u->len -= BT_UM_FRAME_LEN));
	}
	u->last = bt_mono_now();
	return u->len > 0 ? BT_ERR_DATA : BT_ERR_TIMEOUT;
}

static int um_probe(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		    struct bt_supply_info *info, char *err, size_t errlen)
{
	(void)o;
	struct um_state *u = bt_xcalloc(1, sizeof *u);
	u->last = bt_mono_now() - 1;
	/* A meter ignores 0xF0 for 0.2 s after any other byte [49]; earlier probes sent some. */
	bt_sleep_ms(220);
	struct bt_um_frame f;
	int rc = poll_frame(u, t, &f, PROBE_TIMEOUT_MS);
	if (rc == BT_ERR_DATA || rc == BT_ERR_TIMEOUT)
		rc = poll_frame(u, t, &f, PROBE_TIMEOUT_MS); /* one retry: a lost byte is common on Bluetooth */
	if (rc != BT_OK) {
		free(u);
		snprintf(err, errlen, "no UM meter dump (%s)", bt_strerror(rc));
		return rc == BT_ERR_GONE || rc == BT_ERR_IO ? rc : BT_ERR_NODEV;
	}
	snprintf(info->model, sizeof info->model, "RDTech %s", f.model);
	info->resolution_a = f.resolution_a;
	info->nominal_rate_hz = 7.0; /* 130 bytes at the internal 9600 baud [49] */
	info->limit_a = -1;
	*state = u;
	return BT_OK;
}

static int um_read(void *state, struct bt_transport *t, struct bt_supply_reading *r)
{
	struct um_state *u = state;
	struct bt_um_frame f;
	int rc = poll_frame(u, t, &f, DUMP_TIMEOUT_MS);
	if (rc != BT_OK)
		return rc;
	u->last_frame = f;
	r->current_a = f.current_a;
	r->voltage_v = f.voltage_v;
	r->cc = -1;
	r->output = -1;
	return BT_OK;
}

static void um_free(void *state) { free(state); }

const struct bt_supply_driver bt_drv_um = { "um", 9600, um_probe, um_read, NULL, um_free };
