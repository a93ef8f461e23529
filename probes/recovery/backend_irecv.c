/* backend_irecv.c — the live USB backend on libirecovery 1.0.0 (Debian 12). The only file that
 * includes <libirecovery.h>. Traps of that version handled here (research: dependencies.md §2):
 * no-device comes back as -1 or -3; several calls crash on a NULL client, so every call is
 * guarded; the retrying open sleeps a second per attempt, so it is never used; a failed open
 * leaks libusb's device list (suppressed in tests/lsan.supp and tests/valgrind.supp). */
#include "recovery/backend.h"

#include <dlfcn.h>
#include <libirecovery.h>
#include <libusb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "recovery/usb_present.h"

/* ---- libirecovery 1.0.0's open walks a freed device list -----------------------------
 * After opening a phone, irecv_open_with_ecid frees libusb's device list and goes on reading
 * it (fixed upstream after 1.0.0: libirecovery PR #66, commit ce1d31f; Debian 12 ships the bug).
 * libusb lists the newest device first, so a phone plugged in while we run is usually not
 * last, and the walk reads freed memory: SIGSEGV or a double free. While our open runs, this
 * definition of libusb_get_device_list (the executable's own symbol is found before libusb's)
 * hands libirecovery the same list with the first phone in recovery/DFU/WTF mode moved to the
 * end and any other such phone left out, so the walk stops at the terminator right after it.
 * Every other caller, and every other moment, gets libusb's list untouched. */

static _Thread_local int opening; /* set around irecv_open_with_ecid on this thread */
static ssize_t (*real_get_device_list)(libusb_context *, libusb_device ***);
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
	void *f = dlsym(RTLD_NEXT, "libusb_get_device_list");
	memcpy(&real_get_device_list, &f, sizeof f); /* object to function pointer, as POSIX allows */
}

static bool irecv_mode_pid(libusb_device *d)
{
	struct libusb_device_descriptor desc;
	if (libusb_get_device_descriptor(d, &desc) != 0 || desc.idVendor != 0x05AC)
		return false;
	unsigned p = desc.idProduct;
	return p == 0x1222 || p == 0x1227 || (p >= 0x1280 && p <= 0x1283);
}

ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list);
ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list)
{
	pthread_once(&real_once, find_real);
	if (!real_get_device_list)
		return LIBUSB_ERROR_OTHER;
	ssize_t n = real_get_device_list(ctx, list);
	if (!opening || n <= 0 || !*list)
		return n;
	libusb_device **l = *list, *phone = NULL;
	ssize_t k = 0;
	for (ssize_t i = 0; i < n; i++) {
		if (!irecv_mode_pid(l[i]))
			l[k++] = l[i];
		else if (!phone)
			phone = l[i];
		else
			libusb_unref_device(l[i]); /* its reference would be lost with it */
	}
	if (phone)
		l[k++] = phone;
	l[k] = NULL;
	return k;
}

/* libusb's codes as irecv_usb_control_transfer passes them through (libusb.h). */
#define USB_GONE(r) ((r) == LIBUSB_ERROR_NO_DEVICE || (r) == LIBUSB_ERROR_IO)
#define ENV_TIMEOUT_MS 1000 /* per transfer: 1.0.0's own getenv waits 10 s and hides errors */
#define ENV_SLOW_MS 2000    /* a second wait for the answer while the phone is still on the bus
			     * (bounded: the bench's loop waits on it) */

struct irecv_ctx {
	irecv_client_t client;
	irecv_device_event_context_t events;
	struct bt_rec_sink *sink;
	atomic_int reported;    /* phones the event thread reported and has not seen leave */
};

/* How long an arrival may take to be reported: libirecovery 1.0.0 opens the phone and reads
 * its serial string (two control transfers, libusb's 1 s timeout each) before the report. */
#define ARRIVAL_SETTLE_MS 2500

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
	struct irecv_ctx *c = bt_xcalloc(1, sizeof *c);
	atomic_init(&c->reported, 0);
	return c;
}

static int irecv_connect(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (c->client)
		return BT_OK;
	/* No phone on the bus: no open (1.0.0 leaks libusb's device list on every failed one). */
	if (bt_usb_recovery_present(NULL) == 0)
		return BT_ERR_NODEV;
	irecv_client_t client = NULL;
	opening = 1;
	int rc = bt_irecv_translate(irecv_open_with_ecid(&client, 0));
	opening = 0;
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
	/* 1.0.0 parses its serial-string buffer even when reading it failed (a phone pulled
	 * during the open): without the string's own CPID and ECID the identity is not trusted. */
	const char *ss = d ? d->serial_string : NULL;
	if (!ss || !strstr(ss, "CPID:") || !strstr(ss, "ECID:"))
		return BT_OK; /* identity stays unknown */
	/* A field counts when the string names it: CPFM:00 (a development-fused chip) is a real 0. */
	if (strstr(ss, "CPID:")) { info->cpid = d->cpid; info->fields |= BT_REC_F_CPID; }
	if (strstr(ss, "BDID:")) { info->bdid = d->bdid; info->fields |= BT_REC_F_BDID; }
	if (strstr(ss, "CPRV:")) { info->cprv = d->cprv; info->fields |= BT_REC_F_CPRV; }
	if (strstr(ss, "CPFM:")) { info->cpfm = d->cpfm; info->fields |= BT_REC_F_CPFM; }
	if (strstr(ss, "SCEP:")) { info->scep = d->scep; info->fields |= BT_REC_F_SCEP; }
	if (strstr(ss, "IBFL:")) { info->ibfl = d->ibfl; info->fields |= BT_REC_F_IBFL; }
	if (d->ecid)
		snprintf(info->ecid, sizeof info->ecid, "0x%016llX", d->ecid);
	bt_rec_copy(info->srtg, sizeof info->srtg, d->srtg);
	bt_rec_copy(info->srnm, sizeof info->srnm, d->srnm);
	bt_rec_copy(info->imei, sizeof info->imei, d->imei);
	/* "PWND:[checkm8]": tools that exploit the boot ROM (ipwndfu, gaster) append it to the
	 * serial string; libirecovery keeps no field for it */
	const char *pw = strstr(ss, "PWND:[");
	if (pw) {
		pw += 6;
		size_t k = 0;
		while (pw[k] && pw[k] != ']' && k < sizeof info->pwnd - 1)
			k++;
		memcpy(info->pwnd, pw, k);
		info->pwnd[k] = '\0';
	}
	hex_of(info->ap_nonce, sizeof info->ap_nonce, d->ap_nonce, d->ap_nonce_size);
	hex_of(info->sep_nonce, sizeof info->sep_nonce, d->sep_nonce, d->sep_nonce_size);
	return BT_OK;
}

/* "getenv NAME" the way iBoot's command interface takes it (what irecv_getenv sends: a
 * vendor request 0x40 with the NUL-terminated command, then 0xC0 for the answer), with
 * libusb's own codes kept: 1.0.0's irecv_getenv ignores both results and always returns an
 * empty success after waiting 10 s per transfer, so a phone that left could not be told from
 * an empty variable, and the bench would hang for minutes. */
static int irecv_read_env(void *vctx, const char *name, enum bt_rec_env_state *state,
			  char *value, size_t cap)
{
	struct irecv_ctx *c = vctx;
	if (!c->client)
		return BT_ERR_NODEV;
	value[0] = '\0';
	char cmd[160];
	int k = snprintf(cmd, sizeof cmd, "getenv %s", name);
	if (k <= 0 || (size_t)k >= sizeof cmd)
		return BT_ERR_ARG;
	int r = irecv_usb_control_transfer(c->client, 0x40, 0, 0, 0, (unsigned char *)cmd,
					   (uint16_t)(k + 1), ENV_TIMEOUT_MS);
	unsigned char answer[256];
	memset(answer, 0, sizeof answer);
	if (r >= 0)
		r = irecv_usb_control_transfer(c->client, 0xC0, 0, 0, 0, answer, 255, ENV_TIMEOUT_MS);
	if (r == LIBUSB_ERROR_TIMEOUT && bt_usb_recovery_present(NULL) == 1) {
		/* slow, not gone: the phone is still on the bus (libirecovery itself waits 10 s);
		 * ask for the answer once more, longer */
		memset(answer, 0, sizeof answer);
		r = irecv_usb_control_transfer(c->client, 0xC0, 0, 0, 0, answer, 255, ENV_SLOW_MS);
	}
	if (r == LIBUSB_ERROR_PIPE) {
		/* iBoot stalled the request: it refused, the phone is still there */
		*state = BT_REC_ENV_UNSET;
		return BT_OK;
	}
	if (r == LIBUSB_ERROR_TIMEOUT)
		return BT_ERR_GONE; /* stopped answering: the caller stops asking */
	if (r < 0)
		return USB_GONE(r) ? BT_ERR_GONE : BT_ERR_IO;
	bt_rec_copy(value, cap, (const char *)answer);
	*state = value[0] ? BT_REC_ENV_VALUE : BT_REC_ENV_EMPTY;
	return BT_OK;
}

/* Runs on a libirecovery thread (1.0.0 reports each arrival from a thread of its own): only
 * builds a record and posts it to the pipe. */
static void on_device_event(const irecv_device_event_t *event, void *user)
{
	struct irecv_ctx *c = user;
	if (!event || !c->sink)
		return;
	struct bt_rec_event ev = { .t = bt_rec_sink_now(c->sink) };
	if (event->type == IRECV_DEVICE_ADD) {
		atomic_fetch_add(&c->reported, 1);
		ev.type = BT_REC_EV_ARRIVE;
		ev.mode = bt_rec_mode_from_pid((unsigned)event->mode);
		if (event->device_info && event->device_info->cpid) {
			ev.has_chip = true;
			ev.cpid = event->device_info->cpid;
			ev.bdid = event->device_info->bdid;
		}
	} else if (event->type == IRECV_DEVICE_REMOVE) {
		if (atomic_fetch_sub(&c->reported, 1) <= 0)
			atomic_store(&c->reported, 0);
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

/* libirecovery 1.0.0 handles each arrival on a detached thread that uses the library's
 * libusb context, and the last unsubscribe ends that context under it. A phone on the bus
 * (sysfs) that the library has not reported yet is an arrival still being handled: wait for
 * its report, bounded (a phone that cannot be opened is never reported). */
static void settle_arrivals(struct irecv_ctx *c)
{
	const struct timespec step = { 0, 100 * 1000000L };
	for (int waited = 0; waited < ARRIVAL_SETTLE_MS; waited += 100) {
		if (atomic_load(&c->reported) > 0 || bt_usb_recovery_present(NULL) != 1)
			return;
		nanosleep(&step, NULL);
	}
}

static void irecv_unwatch(void *vctx)
{
	struct irecv_ctx *c = vctx;
	if (c->events) {
		settle_arrivals(c);
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
