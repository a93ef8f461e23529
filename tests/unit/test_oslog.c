/* Unit tests for src/logs/scan_oslog.c: each macOS log style gives the process and where its
 * message starts; near misses and every cut of a line give no prefix and read no further
 * than the line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "logs/scan_oslog.h"

struct want {
	const char *line;
	const char *proc;    /* NULL: no prefix */
	const char *message; /* what the prefix leaves, sender included */
	double sod;
};

static const struct want styles[] = {
	{ "2022-08-25 15:22:01.008417+0100 0x1590e    Default     0x0                  1766   0    "
	  "AMPDevicesAgent: (MobileDevice) [com.apple.mobiledevice:restore] operation 42",
	  "AMPDevicesAgent", "(MobileDevice) [com.apple.mobiledevice:restore] operation 42", 55321 },
	{ "2022-08-25 15:22:01.008417+0100 0x1590e Signpost 0x0 1766 0 [spid 0x2913, process, begin] "
	  "bluetoothd: [com.apple.bluetooth:HID] Before Dispatch",
	  "bluetoothd", "[com.apple.bluetooth:HID] Before Dispatch", 55321 },
	{ "2022-08-25 15:22:01.008417-0700  localhost Apple Configurator 2[1766]: Restore completed, status: 0",
	  "Apple Configurator 2", "Restore completed, status: 0", 55321 },
	{ "2024-03-01 10:15:32.123 Df AMPDevicesAgent[812:2f3c5] (MobileDevice) x", "AMPDevicesAgent",
	  "(MobileDevice) x", 36932 },
	{ "2024-03-01 10:15:32.123 E  iTunes[812:2f3c5] AMRestore failed", "iTunes", "AMRestore failed", 36932 },
	{ "01/10/2015 18:12:07.089 iTunes[123]: <Restore Device 0x7f>: operation 42", "iTunes",
	  "<Restore Device 0x7f>: operation 42", 65527 },
	{ "Jan 10 18:12:07 mbp iTunes[123]: AMRestore failed", "iTunes", "AMRestore failed", 65527 },
	{ "Jan  5 00:00:09 mbp usbmuxd[93]: libusb error", "usbmuxd", "libusb error", 9 },
	{ "2020-06-23 15:42:43.334 n1ghtshade[1978:455367] Status: Restore Finished", "n1ghtshade",
	  "Status: Restore Finished", 56563 },
	/* near misses: other tools' stamps */
	{ "2024-03-01 10:15:32.123 [1234:5678]: restore library built", NULL, NULL, 0 },
	{ "2019-11-02 13:41:04.597 \"ERROR: Unable to successfully restore device\\n\"", NULL, NULL, 0 },
	{ "2021-04-10 12:00:01 mbp pymobiledevice3.restore[812] INFO x", NULL, NULL, 0 },
	{ "Jan 10 18:12:07 mbp restored line without a tag", NULL, NULL, 0 },
	{ "Checkpoint 1558 complete with code 0", NULL, NULL, 0 },
	/* a stamp put before a Windows MobileDevice line: its "process" would be a number */
	{ "Nov 22 14:05:01 2019-10-11 23:39:54.205 [3184:77c]: unable to open device_map.txt", NULL,
	  NULL, 0 },
};

static void each_style(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		const struct want *w = &styles[i];
		struct bt_ls_oslog o;
		size_t n = strlen(w->line);
		size_t k = bt_ls_oslog_prefix(w->line, n, &o);
		if (!w->proc) {
			assert_int_equal(k, 0);
			continue;
		}
		assert_true(k > 0 && k <= n);
		assert_int_equal(o.proc_n, strlen(w->proc));
		assert_memory_equal(o.proc, w->proc, o.proc_n);
		assert_string_equal(w->line + k, w->message);
		assert_true(o.sod == w->sod);
		/* NSLog is the app's own output, the other styles a system log's */
		assert_int_equal(o.nslog, strcmp(w->proc, "n1ghtshade") == 0);
	}
}

static void sender_is_peeled(void **state)
{
	(void)state;
	const char *a = "(MobileDevice) [com.apple.mobiledevice:restore] AMRestore failed";
	assert_string_equal(a + bt_ls_oslog_sender(a, strlen(a)), "AMRestore failed");
	const char *b = "[com.apple.x:y] text";
	assert_string_equal(b + bt_ls_oslog_sender(b, strlen(b)), "text");
	/* a thread tag, an unclosed bracket, a bracket at the end: not a sender */
	const char *c = "[8272] : Sending iBEC";
	assert_int_equal(bt_ls_oslog_sender(c, strlen(c)), 0);
	const char *d = "(MobileDevice";
	assert_int_equal(bt_ls_oslog_sender(d, strlen(d)), 0);
	const char *e = "[com.apple.x:y]";
	assert_int_equal(bt_ls_oslog_sender(e, strlen(e)), 0);
}

/* Every cut of every line, copied to a buffer of exactly that size (ASan sees a read past
 * it): a prefix is found only where it fits. */
static void cuts_stay_inside(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		size_t n = strlen(styles[i].line);
		for (size_t m = 0; m <= n; m++) {
			char *buf = malloc(m ? m : 1);
			assert_non_null(buf);
			memcpy(buf, styles[i].line, m);
			struct bt_ls_oslog o;
			size_t k = bt_ls_oslog_prefix(buf, m, &o);
			assert_true(k <= m);
			if (k)
				assert_true(o.proc >= buf && o.proc + o.proc_n <= buf + m);
			size_t s = bt_ls_oslog_sender(buf, m);
			assert_true(s <= m);
			free(buf);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_style),
		cmocka_unit_test(sender_is_peeled),
		cmocka_unit_test(cuts_stay_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
