/* The libserialport backend on a pseudo-terminal. libserialport 0.1.1 cannot open a pty: it
 * wants a sysfs tty entry and reads the modem lines with TIOCMGET, which ptys lack. Two test-only
 * workarounds (research: dependencies §3) make it possible here: the port is named
 * "/dev/../../..<symlink>" so the sysfs lookup lands on the simulator's symlink, and this file
 * interposes ioctl() so modem-line requests on pty slaves succeed with made-up lines. Then the
 * production backend's open, configure, exclusive lock, write, read, flush and "device gone" paths
 * run for real against a simulated Korad. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/err.h"
#include "supply/korad_proto.h"
#include "supply/sim.h"
#include "supply/transport.h"

static int modem_lines = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
static int shim_hits;

static int pty_slave(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode))
		return 0;
	unsigned maj = major(st.st_rdev);
	return maj >= 136 && maj <= 143;
}

/* Interposes libc's ioctl for this executable and for libserialport.so. */
int ioctl(int fd, unsigned long request, ...);
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	long r = syscall(SYS_ioctl, fd, request, arg);
	if (r == -1 && (errno == ENOTTY || errno == EINVAL) && pty_slave(fd)) {
		int *lines = arg;
		shim_hits++;
		if (request == TIOCMGET) {
			*lines = modem_lines;
			return 0;
		}
		if (request == TIOCMSET) {
			modem_lines = *lines;
			return 0;
		}
		if (request == TIOCMBIS) {
			modem_lines |= *lines;
			return 0;
		}
		if (request == TIOCMBIC) {
			modem_lines &= ~*lines;
			return 0;
		}
		errno = ENOTTY;
	}
	return (int)r;
}

static void sp_backend_on_a_pty(void **state)
{
	(void)state;
	struct bt_sim_opts o;
	bt_sim_opts_default(&o);
	o.driver = "korad";
	o.scenario = BT_SCN_SHORT; /* pinned at the 3 A limit from the start */
	o.faults = BT_SIM_UNPLUG;
	o.unplug_at_s = 1.5;
	o.unplug_for_s = 5;
	struct bt_supply_sim *sim;
	char err[200];
	assert_int_equal(bt_supply_sim_start_opts(&o, &sim, err, sizeof err), BT_OK);
	double t0 = bt_mono_now();
	char name[700];
	snprintf(name, sizeof name, "/dev/../../..%s", bt_supply_sim_path(sim));
	const struct bt_transport_ops *ops;
	void *impl;
	int rc = bt_transport_sp_open(name, 9600, &ops, &impl, err, sizeof err);
	if (rc != BT_OK)
		fail_msg("sp open: %s", err);
	assert_true(shim_hits > 0); /* libserialport asked for modem lines and got them */
	assert_int_equal(ops->set_baud(impl, 9600), BT_OK);
	/* two stop bits, parity and a handshake reach the port (a pty has no DTR/DSR), then back
	 * to 8N1 for the simulator */
	struct bt_serial_frame e36 = { 2, BT_PARITY_EVEN, BT_FLOW_RTSCTS }, plain = { 1, BT_PARITY_NONE, BT_FLOW_NONE };
	assert_non_null(ops->set_frame);
	assert_int_equal(ops->set_frame(impl, &e36), BT_OK);
	assert_int_equal(ops->set_frame(impl, &plain), BT_OK);
	assert_int_equal(ops->flush_input(impl), BT_OK);
	assert_int_equal(ops->write(impl, "IOUT1?", 6, 200), BT_OK);
	unsigned char buf[8];
	size_t got = 0;
	double end = bt_mono_now() + 1;
	while (got < 5 && bt_mono_now() < end) {
		long r = ops->read_some(impl, buf + got, 5 - got, 300);
		assert_true(r >= 0);
		got += (size_t)r;
	}
	assert_int_equal(got, 5);
	double amps;
	assert_int_equal(bt_korad_parse_number(buf, 5, &amps), BT_OK);
	assert_true(amps > 2.99 && amps < 3.01);
	/* silence is a zero-length read after the timeout, not an error */
	assert_int_equal(ops->read_some(impl, buf, 1, 100), 0);
	assert_true(bt_mono_now() - t0 < 1.5); /* still before the unplug */
	/* the simulator "unplugs" at 1.5 s: the hang-up becomes BT_ERR_GONE, not endless silence */
	long r = 0;
	end = bt_mono_now() + 3;
	while (r >= 0 && bt_mono_now() < end)
		r = ops->read_some(impl, buf, 1, 200);
	assert_int_equal(r, BT_ERR_GONE);
	ops->close(impl);
	bt_supply_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sp_backend_on_a_pty),
	};
	return cmocka_run_group_tests_name("supply_sp", tests, NULL, NULL);
}
