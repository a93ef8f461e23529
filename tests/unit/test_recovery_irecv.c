/* Unit tests for the libirecovery backend with the library's calls replaced (-Wl,--wrap, see
 * test_recovery_irecv.ldflags): the translation of every irecv_error_t, the no-device codes
 * (-1 and -3), "stopped answering" after an open, unset/empty variables, DFU (no getenv),
 * no call ever made with a NULL client, no write call (setenv, saveenv, reboot, send) ever
 * made, and device events from libirecovery's thread through the self-pipe. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libirecovery.h>
#include <libusb.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "recovery/backend.h"
#include "recovery/recovery.h"

/* ---- the fake library ---- */

static struct fake {
	int open_rc;             /* what irecv_open_with_ecid answers */
	bool open_sets_client;   /* also hand back a client on failure (must be closed) */
	int mode;                /* USB PID */
	int mode_rc;
	bool no_info;
	int env_fail_after;      /* getenv's transfer says "no device" from this call on (-1: never) */
	int env_rc;              /* libusb code for every getenv transfer before that (0: data) */
	char env_var[64];        /* the variable the last "getenv" command named */
	int calls_getenv, calls_close, calls_open, calls_write;
	irecv_device_event_cb_t cb;
	void *cb_user;
	int subscribed, unsubscribed;
	int reported_at_unsubscribe; /* arrivals the fake library had reported by then */
	int answer_timeouts;         /* answers (0xC0) that time out before one comes */
	int reported;
} F;

static struct irecv_device_info fake_info;
static unsigned char nonce[4] = { 0xde, 0xad, 0xbe, 0xef };
static int client_token; /* its address is the fake client */
#define FAKE_CLIENT ((irecv_client_t)(void *)&client_token)

static void reset(void)
{
	/* no sysfs to look at: the backend must try the (fake) open */
	setenv("BENCHTRIAGE_USB_SYSFS", "/nonexistent/bt-sysfs", 1);
	memset(&F, 0, sizeof F);
	F.mode = IRECV_K_RECOVERY_MODE_2;
	F.env_fail_after = -1;
	memset(&fake_info, 0, sizeof fake_info);
	fake_info.cpid = 0x8015;
	fake_info.cprv = 0x11;
	fake_info.bdid = 0x06;
	fake_info.ecid = 0x001A4C2B3D4E5F60ULL;
	fake_info.cpfm = 3;
	fake_info.srtg = (char *)"iBoot-3332.0.0.1.23";
	fake_info.srnm = NULL;
	/* the string libirecovery parsed the fields from (no SCEP in it) */
	fake_info.serial_string = (char *)"CPID:8015 CPRV:11 CPFM:03 BDID:06 ECID:001A4C2B3D4E5F60 "
					  "SRTG:[iBoot-3332.0.0.1.23]";
	fake_info.ap_nonce = nonce;
	fake_info.ap_nonce_size = sizeof nonce;
}

irecv_error_t __wrap_irecv_open_with_ecid(irecv_client_t *client, unsigned long long ecid);
irecv_error_t __wrap_irecv_open_with_ecid(irecv_client_t *client, unsigned long long ecid)
{
	assert_non_null(client); /* a NULL here crashes the real library */
	assert_true(ecid == 0);
	F.calls_open++;
	*client = NULL;
	if (F.open_rc == IRECV_E_SUCCESS || F.open_sets_client)
		*client = FAKE_CLIENT;
	return (irecv_error_t)F.open_rc;
}

irecv_error_t __wrap_irecv_open_with_ecid_and_attempts(irecv_client_t *c, unsigned long long e, int a);
irecv_error_t __wrap_irecv_open_with_ecid_and_attempts(irecv_client_t *c, unsigned long long e, int a)
{
	(void)c; (void)e; (void)a;
	fail_msg("the retrying open sleeps a second per attempt and must never be used");
	return IRECV_E_UNKNOWN_ERROR;
}

irecv_error_t __wrap_irecv_close(irecv_client_t client);
irecv_error_t __wrap_irecv_close(irecv_client_t client)
{
	assert_ptr_equal(client, FAKE_CLIENT);
	F.calls_close++;
	return IRECV_E_SUCCESS;
}

irecv_error_t __wrap_irecv_get_mode(irecv_client_t client, int *mode);
irecv_error_t __wrap_irecv_get_mode(irecv_client_t client, int *mode)
{
	assert_ptr_equal(client, FAKE_CLIENT);
	if (F.mode_rc)
		return (irecv_error_t)F.mode_rc;
	*mode = F.mode;
	return IRECV_E_SUCCESS;
}

const struct irecv_device_info *__wrap_irecv_get_device_info(irecv_client_t client);
const struct irecv_device_info *__wrap_irecv_get_device_info(irecv_client_t client)
{
	assert_ptr_equal(client, FAKE_CLIENT);
	return F.no_info ? NULL : &fake_info;
}

irecv_error_t __wrap_irecv_getenv(irecv_client_t client, const char *var, char **value);
irecv_error_t __wrap_irecv_getenv(irecv_client_t client, const char *var, char **value)
{
	(void)client; (void)var; (void)value;
	fail_msg("1.0.0's irecv_getenv hides every error and waits 10 s: must not be used");
	return IRECV_E_UNKNOWN_ERROR;
}

/* iBoot's command interface as the backend drives it: "getenv NAME" out (0x40), the answer in
 * (0xC0). Anything else on the control pipe fails the test: the probe is read-only. */
int __wrap_irecv_usb_control_transfer(irecv_client_t client, uint8_t type, uint8_t req, uint16_t val,
				      uint16_t idx, unsigned char *data, uint16_t len, unsigned int timeout);
int __wrap_irecv_usb_control_transfer(irecv_client_t client, uint8_t type, uint8_t req, uint16_t val,
				      uint16_t idx, unsigned char *data, uint16_t len, unsigned int timeout)
{
	assert_ptr_equal(client, FAKE_CLIENT);
	assert_int_equal(req, 0);
	assert_int_equal(val, 0);
	assert_int_equal(idx, 0);
	assert_true(timeout > 0 && timeout <= 2000); /* bounded: the bench's loop waits on it */
	if (type == 0x40) {
		assert_non_null(data);
		assert_memory_equal(data, "getenv ", 7);
		assert_int_equal(len, strlen((const char *)data) + 1);
		snprintf(F.env_var, sizeof F.env_var, "%s", (const char *)data + 7);
		int n = F.calls_getenv++;
		if (F.env_fail_after >= 0 && n >= F.env_fail_after)
			return LIBUSB_ERROR_NO_DEVICE;
		if (F.env_rc)
			return F.env_rc;
		/* names this fake iBoot does not know: it stalls the request */
		if (strcmp(F.env_var, "auto-boot") != 0 && strcmp(F.env_var, "boot-args") != 0 &&
		    strcmp(F.env_var, "restore-step-names") != 0)
			return LIBUSB_ERROR_PIPE;
		return len;
	}
	assert_int_equal(type, 0xC0);
	assert_true(len >= 255);
	if (F.answer_timeouts > 0) {
		F.answer_timeouts--;
		return LIBUSB_ERROR_TIMEOUT;
	}
	const char *v = strcmp(F.env_var, "auto-boot") == 0 ? "false"
		      : strcmp(F.env_var, "restore-step-names") == 0 ? "{0x1103060D:wait_for_storage}"
		      : "";
	memset(data, 0, len);
	memcpy(data, v, strlen(v));
	return (int)strlen(v);
}

/* Writes: none may ever be called. */
irecv_error_t __wrap_irecv_setenv(irecv_client_t c, const char *v, const char *x);
irecv_error_t __wrap_irecv_setenv(irecv_client_t c, const char *v, const char *x)
{
	(void)c; (void)v; (void)x;
	F.calls_write++;
	return IRECV_E_SUCCESS;
}
irecv_error_t __wrap_irecv_saveenv(irecv_client_t c);
irecv_error_t __wrap_irecv_saveenv(irecv_client_t c)
{
	(void)c;
	F.calls_write++;
	return IRECV_E_SUCCESS;
}
irecv_error_t __wrap_irecv_reboot(irecv_client_t c);
irecv_error_t __wrap_irecv_reboot(irecv_client_t c)
{
	(void)c;
	F.calls_write++;
	return IRECV_E_SUCCESS;
}
irecv_error_t __wrap_irecv_send_command(irecv_client_t c, const char *cmd);
irecv_error_t __wrap_irecv_send_command(irecv_client_t c, const char *cmd)
{
	(void)c; (void)cmd;
	F.calls_write++;
	return IRECV_E_SUCCESS;
}
irecv_error_t __wrap_irecv_send_file(irecv_client_t c, const char *f, int n);
irecv_error_t __wrap_irecv_send_file(irecv_client_t c, const char *f, int n)
{
	(void)c; (void)f; (void)n;
	F.calls_write++;
	return IRECV_E_SUCCESS;
}

irecv_error_t __wrap_irecv_device_event_subscribe(irecv_device_event_context_t *ctx,
						  irecv_device_event_cb_t cb, void *user);
irecv_error_t __wrap_irecv_device_event_subscribe(irecv_device_event_context_t *ctx,
						  irecv_device_event_cb_t cb, void *user)
{
	F.cb = cb;
	F.cb_user = user;
	F.subscribed++;
	*ctx = (irecv_device_event_context_t)(void *)&client_token;
	return IRECV_E_SUCCESS;
}

irecv_error_t __wrap_irecv_device_event_unsubscribe(irecv_device_event_context_t ctx);
irecv_error_t __wrap_irecv_device_event_unsubscribe(irecv_device_event_context_t ctx)
{
	assert_non_null(ctx);
	F.unsubscribed++;
	F.reported_at_unsubscribe = __atomic_load_n(&F.reported, __ATOMIC_SEQ_CST);
	return IRECV_E_SUCCESS;
}

/* ---- tests ---- */

static struct bt_recovery *usb_handle(void)
{
	struct bt_recovery *h = NULL;
	char err[128];
	assert_int_equal(bt_recovery_new(&h, NULL, err, sizeof err), BT_OK);
	return h;
}

static void translation_table(void **state)
{
	(void)state;
	static const struct { int irecv, bt; } rows[] = {
		{ IRECV_E_SUCCESS, BT_OK },
		{ IRECV_E_NO_DEVICE, BT_ERR_NODEV },
		{ IRECV_E_OUT_OF_MEMORY, BT_ERR_NOMEM },
		{ IRECV_E_UNABLE_TO_CONNECT, BT_ERR_NODEV },
		{ IRECV_E_INVALID_INPUT, BT_ERR_ARG },
		{ IRECV_E_FILE_NOT_FOUND, BT_ERR_IO },
		{ IRECV_E_USB_UPLOAD, BT_ERR_IO },
		{ IRECV_E_USB_STATUS, BT_ERR_IO },
		{ IRECV_E_USB_INTERFACE, BT_ERR_IO },
		{ IRECV_E_USB_CONFIGURATION, BT_ERR_IO },
		{ IRECV_E_PIPE, BT_ERR_NA },
		{ IRECV_E_TIMEOUT, BT_ERR_TIMEOUT },
		{ IRECV_E_UNSUPPORTED, BT_ERR_NA },
		{ IRECV_E_UNKNOWN_ERROR, BT_ERR },
		{ -77, BT_ERR },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (bt_irecv_translate(rows[i].irecv) != rows[i].bt)
			fail_msg("irecv %d -> %d, want %d", rows[i].irecv, bt_irecv_translate(rows[i].irecv), rows[i].bt);
}

static void no_device_codes(void **state)
{
	(void)state;
	static const int codes[] = { IRECV_E_NO_DEVICE, IRECV_E_UNABLE_TO_CONNECT, IRECV_E_USB_INTERFACE,
				     IRECV_E_TIMEOUT };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		reset();
		F.open_rc = codes[i];
		struct bt_recovery *h = usb_handle();
		assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
		/* Nothing may be asked of a phone we never opened (read retries the open once). */
		assert_int_equal(bt_recovery_read(h), BT_ERR_NODEV);
		assert_int_equal(F.calls_open, 2);
		assert_int_equal(F.calls_getenv, 0);
		bt_recovery_close(h);
		assert_int_equal(F.calls_close, 0);
	}
	/* A client handed back with a failure is closed, not leaked or used. */
	reset();
	F.open_rc = IRECV_E_UNABLE_TO_CONNECT;
	F.open_sets_client = true;
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
	assert_int_equal(F.calls_close, 1);
	assert_int_equal(bt_recovery_read(h), BT_ERR_NODEV); /* retries: closes that one too */
	assert_int_equal(F.calls_close, 2);
	assert_int_equal(F.calls_getenv, 0);
	bt_recovery_close(h);
	assert_int_equal(F.calls_close, 2); /* nothing kept, nothing closed twice */
}

static void reads_recovery_phone(void **state)
{
	(void)state;
	reset();
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_connect(h), BT_OK); /* already open: no second open */
	assert_int_equal(F.calls_open, 1);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	const struct bt_rec_info *in = bt_recovery_info(h);
	assert_int_equal(in->mode, BT_REC_MODE_RECOVERY);
	assert_int_equal(in->pid, 0x1281);
	assert_int_equal(in->cpid, 0x8015);
	assert_int_equal(in->bdid, 0x06);
	assert_true(in->fields & BT_REC_F_CPRV);
	assert_false(in->fields & BT_REC_F_SCEP); /* 0: not reported */
	assert_string_equal(in->ecid, "0x001A4C2B3D4E5F60");
	assert_string_equal(in->srtg, "iBoot-3332.0.0.1.23");
	assert_string_equal(in->srnm, "");
	assert_string_equal(in->ap_nonce, "deadbeef");
	assert_string_equal(bt_recovery_env(h, "auto-boot")->value, "false");
	assert_int_equal(bt_recovery_env(h, "auto-boot")->state, BT_REC_ENV_VALUE);
	assert_int_equal(bt_recovery_env(h, "boot-args")->state, BT_REC_ENV_EMPTY);
	assert_int_equal(bt_recovery_env(h, "radio-error")->state, BT_REC_ENV_UNSET);
	assert_true(F.calls_getenv > 10);
	assert_int_equal(F.calls_write, 0);
	/* the phone is let go once read: a restore tool can claim it; the next read opens again */
	assert_int_equal(F.calls_close, 1);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(F.calls_open, 2);
	assert_int_equal(F.calls_close, 2);
	bt_recovery_close(h);
	assert_int_equal(F.calls_close, 2);
}

/* Fields count when the serial string names them; a string without CPID/ECID (1.0.0 parses a
 * stale buffer when the read fails mid-open) gives no identity at all. */
static void identity_from_the_serial_string(void **state)
{
	(void)state;
	reset();
	fake_info.cpfm = 0;
	fake_info.serial_string = (char *)"CPID:8015 CPRV:11 CPFM:00 BDID:06 ECID:001A4C2B3D4E5F60";
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_true(bt_recovery_info(h)->fields & BT_REC_F_CPFM); /* a real 0: dev-fused */
	assert_int_equal(bt_recovery_info(h)->cpfm, 0);
	assert_string_equal(bt_recovery_info(h)->pwnd, ""); /* no PWND tag: none */
	bt_recovery_close(h);

	/* a boot-ROM exploit's tag (gaster, ipwndfu), kept whole, and cut at the field's size */
	reset();
	fake_info.serial_string = (char *)"CPID:8010 CPRV:11 CPFM:03 SCEP:01 BDID:0C ECID:001A4C2B3D4E5F60 "
					  "IBFL:3C SRTG:[iBoot-2696.0.0.1.33] PWND:[checkm8]";
	h = usb_handle();
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_string_equal(bt_recovery_info(h)->pwnd, "checkm8");
	bt_recovery_close(h);
	reset();
	fake_info.serial_string = (char *)"CPID:8010 ECID:001A4C2B3D4E5F60 PWND:[unterminated";
	h = usb_handle();
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_string_equal(bt_recovery_info(h)->pwnd, "unterminated");
	bt_recovery_close(h);

	reset();
	fake_info.serial_string = NULL;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_false(bt_recovery_info(h)->fields & BT_REC_F_CPID);
	assert_string_equal(bt_recovery_info(h)->ecid, "");
	bt_recovery_close(h);
}

/* sysfs shows no phone: no open at all (1.0.0 leaks libusb's list on each failed one). */
static void no_phone_in_sysfs_no_open(void **state)
{
	(void)state;
	reset();
	char dir[] = "/tmp/bt-sysfs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	setenv("BENCHTRIAGE_USB_SYSFS", dir, 1);
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
	assert_int_equal(F.calls_open, 0);
	bt_recovery_close(h);
	rmdir(dir);
}

static void stall_is_unknown_not_gone(void **state)
{
	(void)state;
	reset();
	F.env_rc = LIBUSB_ERROR_PIPE;
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(bt_recovery_env(h, "auto-boot")->state, BT_REC_ENV_UNSET);
	bt_recovery_close(h);
}

static void dfu_asks_no_variables(void **state)
{
	(void)state;
	reset();
	F.mode = IRECV_K_DFU_MODE;
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(bt_recovery_info(h)->mode, BT_REC_MODE_DFU);
	assert_int_equal(F.calls_getenv, 0);
	assert_int_equal(bt_recovery_env(h, "auto-boot")->state, BT_REC_ENV_NA);
	bt_recovery_close(h);

	reset();
	F.mode = IRECV_K_WTF_MODE;
	F.no_info = true;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(bt_recovery_info(h)->mode, BT_REC_MODE_WTF);
	assert_false(bt_recovery_info(h)->fields & BT_REC_F_CPID);
	assert_int_equal(F.calls_getenv, 0);
	bt_recovery_close(h);
}

/* A fake sysfs with one phone in recovery mode on it; the caller removes it. */
static void sysfs_with_phone(char *dir)
{
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/1-1", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	const char *attr[2][2] = { { "idVendor", "05ac\n" }, { "idProduct", "1281\n" } };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/1-1/%s", dir, attr[i][0]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(attr[i][1], f);
		fclose(f);
	}
	setenv("BENCHTRIAGE_USB_SYSFS", dir, 1);
}

static void sysfs_remove(const char *dir)
{
	char path[256];
	snprintf(path, sizeof path, "%s/1-1/idVendor", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/1-1/idProduct", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/1-1", dir);
	rmdir(path);
	rmdir(dir);
}

static void stops_answering(void **state)
{
	(void)state;
	reset();
	F.env_fail_after = 3;
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_ERR_GONE);
	assert_int_equal(F.calls_getenv, 4); /* stops at the first failure */
	const struct bt_rec_session *s = bt_recovery_session(h);
	assert_true(s->gone_t >= 0);
	assert_int_equal(s->nenv, 3);
	bt_recovery_close(h);

	/* a transfer that times out: stopped answering, and nothing more is asked */
	reset();
	F.env_rc = LIBUSB_ERROR_TIMEOUT;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_ERR_GONE);
	assert_int_equal(F.calls_getenv, 1);
	bt_recovery_close(h);

	/* a slow answer while the phone is still on the bus: asked once more, not "gone" */
	reset();
	char dir[] = "/tmp/bt-sysfs-XXXXXX";
	sysfs_with_phone(dir);
	F.answer_timeouts = 1;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_true(bt_recovery_session(h)->gone_t < 0);
	const struct bt_rec_env *ab = bt_rec_session_env(bt_recovery_session(h), "auto-boot");
	assert_non_null(ab);
	assert_int_equal(ab->state, BT_REC_ENV_VALUE);
	bt_recovery_close(h);
	/* ... but twice in a row is a phone that stopped answering */
	reset();
	setenv("BENCHTRIAGE_USB_SYSFS", dir, 1);
	F.answer_timeouts = 2;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_ERR_GONE);
	bt_recovery_close(h);
	sysfs_remove(dir);

	reset();
	F.mode_rc = IRECV_E_USB_STATUS;
	h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_ERR_GONE);
	assert_null(bt_recovery_info(h));
	bt_recovery_close(h);
}

struct fire {
	int n;
};

static void *fire_events(void *arg)
{
	struct fire *f = arg;
	struct irecv_device_info info = { .cpid = 0x8030, .bdid = 0x04 };
	for (int i = 0; i < f->n; i++) {
		irecv_device_event_t ev = { .type = i % 2 ? IRECV_DEVICE_REMOVE : IRECV_DEVICE_ADD,
					    .mode = i == 2 ? IRECV_K_DFU_MODE : IRECV_K_RECOVERY_MODE_1,
					    .device_info = i % 2 ? NULL : &info };
		F.cb(&ev, F.cb_user);
	}
	return NULL;
}

static void device_events_through_pipe(void **state)
{
	(void)state;
	reset();
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_watch(h), BT_OK);
	assert_int_equal(F.subscribed, 1);
	assert_non_null(F.cb);
	struct fire f = { 5 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, fire_events, &f), 0);
	pthread_join(th, NULL);
	struct pollfd pfd = { .fd = bt_recovery_fd(h), .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	assert_int_equal(bt_recovery_handle(h), 5);
	struct bt_rec_event ev;
	double last_t = -1;
	for (int i = 0; i < 5; i++) {
		assert_true(bt_recovery_next_event(h, &ev));
		assert_int_equal(ev.type, i % 2 ? BT_REC_EV_LEAVE : BT_REC_EV_ARRIVE);
		if (ev.type == BT_REC_EV_ARRIVE) {
			assert_int_equal(ev.mode, i == 2 ? BT_REC_MODE_DFU : BT_REC_MODE_RECOVERY);
			assert_true(ev.has_chip);
			assert_int_equal(ev.cpid, 0x8030);
		}
		assert_true(ev.t >= last_t); /* monotonic */
		last_t = ev.t;
	}
	assert_false(bt_recovery_next_event(h, &ev));
	assert_int_equal(bt_recovery_session(h)->nevents, 5);
	/* The departure closed the dead client once; the next read opens a new one. */
	assert_int_equal(F.calls_close, 1);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(F.calls_open, 2);
	bt_recovery_close(h);
	assert_int_equal(F.calls_close, 2);
	assert_int_equal(F.unsubscribed, 1); /* the thread is stopped before the pipe closes */
	assert_int_equal(F.calls_write, 0);
}

/* The library's arrival thread: reports a phone after a delay, as 1.0.0 does once it has
 * opened it and read its serial string. */
static void *late_arrival(void *arg)
{
	(void)arg;
	const struct timespec d = { 0, 400 * 1000000L };
	nanosleep(&d, NULL);
	struct irecv_device_info info = { .cpid = 0x8030, .bdid = 0x04 };
	irecv_device_event_t ev = { .type = IRECV_DEVICE_ADD, .mode = IRECV_K_RECOVERY_MODE_1,
				    .device_info = &info };
	F.cb(&ev, F.cb_user);
	__atomic_add_fetch(&F.reported, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Quitting while the library is still handling a phone's arrival (TESTPLAN 5c): the watch
 * ends only after the arrival was reported; with no phone on the bus it ends at once. */
static void quit_waits_for_an_arrival_in_progress(void **state)
{
	(void)state;
	reset();
	char dir[] = "/tmp/bt-sysfs-XXXXXX";
	sysfs_with_phone(dir);
	struct bt_recovery *h = usb_handle();
	assert_int_equal(bt_recovery_watch(h), BT_OK);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, late_arrival, NULL), 0);
	bt_recovery_close(h); /* right after the plug-in */
	assert_int_equal(F.unsubscribed, 1);
	assert_int_equal(F.reported_at_unsubscribe, 1);
	pthread_join(th, NULL);
	sysfs_remove(dir);

	reset(); /* no sysfs: nothing to wait for */
	h = usb_handle();
	assert_int_equal(bt_recovery_watch(h), BT_OK);
	bt_recovery_close(h);
	assert_int_equal(F.unsubscribed, 1);
	assert_int_equal(F.reported_at_unsubscribe, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(translation_table),
		cmocka_unit_test(no_device_codes),
		cmocka_unit_test(reads_recovery_phone),
		cmocka_unit_test(identity_from_the_serial_string),
		cmocka_unit_test(no_phone_in_sysfs_no_open),
		cmocka_unit_test(stall_is_unknown_not_gone),
		cmocka_unit_test(dfu_asks_no_variables),
		cmocka_unit_test(stops_answering),
		cmocka_unit_test(device_events_through_pipe),
		cmocka_unit_test(quit_waits_for_an_arrival_in_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
