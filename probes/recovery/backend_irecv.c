/* backend_irecv.c — the live USB backend on libirecovery 1.0.0 (Debian 12). The only file that
 * includes <libirecovery.h>. Traps of that version handled here (research: dependencies.md §2):
 * no-device comes back as -1 or -3; several calls crash on a NULL client, so every call is
 * guarded; the retrying open sleeps a second per attempt, so it is never used; a failed open
 * leaks libusb's device list (suppressed in tests/lsan.supp and tests/valgrind.supp). */
#include "recovery/backend.h"

#include <libirecovery.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

struct irecv_ctx {
	irecv_client_t client;
	irecv_device_event_context_t events;
	struct bt_rec_sink *sink;
};

int bt_irecv_translate(int irecv_code)
{
	switch (irecv_code) {
	case IRECV_E_SUCCESS: return BT_OK;
	case IRECV_E_NO_DEVICE:
	case IRECV_E_UNABLE_TO_CONNECT: return BT_ERR_NODEV;
	case IRECV_E_OUT_OF_MEMORY: return BT_ERR_NOMEM;
	case IRECV_E_INVALID_INPUT: return BT_ERR_ARG;
	case IRECV_E_FILE_NOT_FOUND:
	case IRECV_E_USB_UPLOAD:
	case IRECV_E_USB_STATUS:
	case IRECV_E_USB_INTERFACE:
	case IRECV_E_USB_CONFIGURATION: return BT_ERR_IO;
	case IRECV_E_PIPE: return BT_ERR_NA;     /* the device stalled: it refused this request */
	case IRECV_E_TIMEOUT: return BT_ERR_TIMEOUT;
	case IRECV_E_UNSUPPORTED: return BT_ERR_NA;
	default: return BT_ERR;
	}
}

/* On a phone we already had open, losing the device or the bus means it stopped answering. */
static int after_open(int bt)
{
	if (bt == BT_ERR_NODEV || bt == BT_ERR_IO || bt == BT_ERR_TIMEOUT)
		return BT_ERR_GONE;
	return bt;
}

void *bt_rec_irecv_new(void)
{
	return bt_xcalloc(1, sizeof(struct irecv_ctx));
}

static int irecv_connect(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (c->client)
		return BT_OK;
	irecv_client_t client = NULL;
	int rc = bt_irecv_translate(irecv_open_with_ecid(&client, 0));
	if (rc != BT_OK) {
		if (client)
			irecv_close(client);
		return rc == BT_ERR_NOMEM ? rc : BT_ERR_NODEV;
	}
	if (!client)
		return BT_ERR_NODEV;
	c->client = client;
	return BT_OK;
}

static void irecv_disconnect(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (c->client)
		irecv_close(c->client);
	c->client = NULL;
}

static void hex_of(char *dst, size_t cap, const unsigned char *b, unsigned n)
{
	size_t k = 0;
	dst[0] = '\0';
	for (unsigned i = 0; b && i < n && k + 3 <= cap; i++, k += 2)
		snprintf(dst + k, cap - k, "%02x", b[i]);
}

static int irecv_read_info(void *vctx, struct bt_rec_info *info)
{
	struct irecv_ctx *c = vctx;
	if (!c->client)
		return BT_ERR_NODEV;
	memset(info, 0, sizeof *info);
	int mode = 0;
	int rc = bt_irecv_translate(irecv_get_mode(c->client, &mode));
	if (rc != BT_OK)
		return after_open(rc);
	info->pid = (unsigned)mode;
	info->fields |= BT_REC_F_PID;
	info->mode = bt_rec_mode_from_pid(info->pid);
	const struct irecv_device_info *d = irecv_get_device_info(c->client);
	if (!d)
		return BT_OK; /* nothing parsed from the serial string: identity stays unknown */
	/* libirecovery leaves a field 0 when the serial string lacks it: 0 is "not reported". */
	if (d->cpid) { info->cpid = d->cpid; info->fields |= BT_REC_F_CPID; }
	if (d->bdid || d->cpid) { info->bdid = d->bdid; info->fields |= BT_REC_F_BDID; }
	if (d->cprv) { info->cprv = d->cprv; info->fields |= BT_REC_F_CPRV; }
	if (d->cpfm) { info->cpfm = d->cpfm; info->fields |= BT_REC_F_CPFM; }
	if (d->scep) { info->scep = d->scep; info->fields |= BT_REC_F_SCEP; }
	if (d->ibfl) { info->ibfl = d->ibfl; info->fields |= BT_REC_F_IBFL; }
	if (d->ecid)
		snprintf(info->ecid, sizeof info->ecid, "0x%016llX", d->ecid);
	bt_rec_copy(info->srtg, sizeof info->srtg, d->srtg);
	bt_rec_copy(info->srnm, sizeof info->srnm, d->srnm);
	bt_rec_copy(info->imei, sizeof info->imei, d->imei);
	hex_of(info->ap_nonce, sizeof info->ap_nonce, d->ap_nonce, d->ap_nonce_size);
	hex_of(info->sep_nonce, sizeof info->sep_nonce, d->sep_nonce, d->sep_nonce_size);
	return BT_OK;
}

static int irecv_read_env(void *vctx, const char *name, enum bt_rec_env_state *state,
			  char *value, size_t cap)
{
	struct irecv_ctx *c = vctx;
	if (!c->client)
		return BT_ERR_NODEV;
	char *v = NULL;
	int rc = bt_irecv_translate(irecv_getenv(c->client, name, &v));
	value[0] = '\0';
	if (rc == BT_ERR_NA) {
		/* iBoot refused or stalled: the variable is unknown, the phone is still there. */
		*state = BT_REC_ENV_UNSET;
		free(v);
		return BT_OK;
	}
	if (rc != BT_OK) {
		free(v);
		return after_open(rc);
	}
	if (!v) {
		*state = BT_REC_ENV_UNSET;
	} else {
		bt_rec_copy(value, cap, v);
		*state = value[0] ? BT_REC_ENV_VALUE : BT_REC_ENV_EMPTY;
	}
	free(v);
	return BT_OK;
}

/* Runs on libirecovery's event thread: only builds a record and posts it to the pipe. */
static void on_device_event(const irecv_device_event_t *event, void *user)
{
	struct irecv_ctx *c = user;
	if (!event || !c->sink)
		return;
	struct bt_rec_event ev = { .t = bt_rec_sink_now(c->sink) };
	if (event->type == IRECV_DEVICE_ADD) {
		ev.type = BT_REC_EV_ARRIVE;
		ev.mode = bt_rec_mode_from_pid((unsigned)event->mode);
		if (event->device_info && event->device_info->cpid) {
			ev.has_chip = true;
			ev.cpid = event->device_info->cpid;
			ev.bdid = event->device_info->bdid;
		}
	} else if (event->type == IRECV_DEVICE_REMOVE) {
		ev.type = BT_REC_EV_LEAVE;
	} else {
		return;
	}
	bt_rec_sink_post(c->sink, &ev);
}

static int irecv_watch(void *vctx, struct bt_rec_sink *sink)
{
	struct irecv_ctx *c = vctx;
	if (c->events)
		return BT_OK;
	c->sink = sink;
	irecv_device_event_context_t ctx = NULL;
	int rc = bt_irecv_translate(irecv_device_event_subscribe(&ctx, on_device_event, c));
	if (rc != BT_OK)
		return rc;
	c->events = ctx;
	return BT_OK;
}

static void irecv_unwatch(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (c->events) {
		irecv_device_event_unsubscribe(c->events); /* joins the thread (~0.1 s) */
		c->events = NULL;
	}
	c->sink = NULL;
}

static void irecv_free(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (!c)
		return;
	irecv_unwatch(c);
	irecv_disconnect(c);
	free(c);
}

const struct bt_rec_backend bt_rec_irecv_backend = {
	.name = "usb",
	.connect = irecv_connect,
	.disconnect = irecv_disconnect,
	.read_info = irecv_read_info,
	.read_env = irecv_read_env,
	.watch = irecv_watch,
	.unwatch = irecv_unwatch,
	.free = irecv_free,
};

bool bt_irecv_table_lookup(unsigned cpid, unsigned bdid, char *product, size_t plen,
			   char *hwmodel, size_t hlen)
{
	irecv_device_t all = irecv_devices_get_all();
	for (size_t i = 0; all && all[i].product_type; i++) {
		if (all[i].chip_id == cpid && all[i].board_id == bdid) {
			bt_rec_copy(product, plen, all[i].product_type);
			bt_rec_copy(hwmodel, hlen, all[i].hardware_model);
			return true;
		}
	}
	return false;
}
