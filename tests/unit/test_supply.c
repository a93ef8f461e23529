/* Integration tests: every driver against its simulator over a pseudo-terminal, every fault
 * injected, auto-detection, unplug and reconnection, the sampler's thread mode, the TCP backend
 * against a loopback listener, and the libserialport backend's no-device path. Real time: the
 * simulators pace bytes like the hardware, so runs go in parallel threads to keep the suite near 20 seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "core/err.h"
#include "supply/sampler.h"
#include "supply/sim.h"
#include "supply/supply.h"
#include "supply/transport.h"

struct run {
	unsigned long values, missed, unplugs, stale, reconnects, bad_values;
	unsigned long sim_dropped;
	unsigned long sim_settings; /* setting-changing commands the device received */
	double rate;
	char driver[8];
	char model[64];
	double resolution_a;
	bool coarse;
};

/* Runs a simulator with the plateau scenario (70 mA after 1.5 scenario seconds, here sped up
 * 4x) and counts samples; a VALUE further than tol_a from 70 mA once the plateau is reached is
 * a bad value (a timeout read as 0 A would be one). */
static int run_sim(const char *driver, const char *want_driver, const char *model, unsigned faults,
		   double seconds, double tol_a, struct run *out)
{
	memset(out, 0, sizeof *out);
	struct bt_sim_opts o;
	bt_sim_opts_default(&o);
	o.driver = driver;
	o.model = model;
	o.faults = faults;
	o.scenario = BT_SCN_PLATEAU;
	o.time_scale = 4;
	o.unplug_at_s = 1.0;
	o.unplug_for_s = 1.0;
	o.fault_every = 3;
	struct bt_supply_sim *sim;
	char err[200];
	int rc = bt_supply_sim_start_opts(&o, &sim, err, sizeof err);
	if (rc != BT_OK)
		return rc;
	struct bt_supply_opts so = { want_driver, NULL, 0 };
	struct bt_supply *s;
	rc = bt_supply_open(bt_supply_sim_path(sim), &so, &s, err, sizeof err);
	if (rc != BT_OK) {
		bt_supply_sim_stop(sim);
		return rc;
	}
	const struct bt_supply_info *info = bt_supply_get_info(s);
	snprintf(out->driver, sizeof out->driver, "%s", info->driver);
	snprintf(out->model, sizeof out->model, "%s", info->model);
	out->resolution_a = info->resolution_a;
	out->coarse = info->coarse;
	struct bt_sampler *sm = bt_sampler_new(s);
	double end = bt_mono_now() + seconds;
	while (bt_mono_now() < end) {
		struct bt_sample x;
		bt_sampler_step(sm, &x);
		if (x.kind == BT_SAMPLE_RECONNECTED)
			out->reconnects++;
		/* plateau from scenario 2.5 s = 0.625 s real, counted from after identification */
		if (x.kind == BT_SAMPLE_VALUE && x.t > 0.8 && fabs(x.current_a - 0.070) > tol_a)
			out->bad_values++;
	}
	struct bt_sampler_stats st;
	bt_sampler_get_stats(sm, &st);
	out->values = st.values;
	out->missed = st.missed;
	out->unplugs = st.unplugs;
	out->stale = st.stale;
	out->rate = st.rate_hz;
	bt_supply_sim_counts(sim, NULL, &out->sim_dropped);
	out->sim_settings = bt_supply_sim_settings(sim);
	bt_sampler_free(sm);
	bt_supply_sim_stop(sim);
	return BT_OK;
}


/* Several simulator runs at once (each has its own pty and threads), to keep the suite short. */
struct job {
	const char *driver, *want, *model;
	unsigned faults;
	double seconds, tol;
	struct run r;
	int rc;
	pthread_t th;
};

static struct job mkjob(const char *driver, const char *want, const char *model, unsigned faults,
			double seconds, double tol)
{
	struct job j;
	memset(&j, 0, sizeof j);
	j.driver = driver;
	j.want = want;
	j.model = model;
	j.faults = faults;
	j.seconds = seconds;
	j.tol = tol;
	return j;
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	j->rc = run_sim(j->driver, j->want, j->model, j->faults, j->seconds, j->tol, &j->r);
	return NULL;
}

static void run_jobs(struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pthread_create(&jobs[i].th, NULL, job_main, &jobs[i]), 0);
	for (size_t i = 0; i < n; i++)
		pthread_join(jobs[i].th, NULL);
	for (size_t i = 0; i < n; i++)
		if (jobs[i].rc != BT_OK)
			fail_msg("%s (model %s, faults 0x%x): %s", jobs[i].driver,
				 jobs[i].model ? jobs[i].model : "default", jobs[i].faults, bt_strerror(jobs[i].rc));
}

static void each_driver_reads_its_simulator(void **state)
{
	(void)state;
	static const struct {
		const char *driver, *model;
		double tol, res, min_rate;
	} cases[] = {
		{ "korad", NULL, 0.003, 0.001, 5.0 },     { "riden", NULL, 0.003, 0.001, 7.0 },
		{ "riden", "RD6006P", 0.003, 0.0001, 7.0 }, { "riden", "RD6018", 0.010, 0.01, 7.0 },
		{ "dps", NULL, 0.003, 0.001, 1.8 },       { "um", NULL, 0.003, 0.001, 5.0 },
		{ "um", "UM25C", 0.003, 0.0001, 5.0 },    { "scpi", NULL, 0.003, 0.001, 15.0 },
	};
	enum { N = sizeof cases / sizeof cases[0] };
	struct job jobs[N];
	for (size_t i = 0; i < N; i++)
		jobs[i] = mkjob(cases[i].driver, cases[i].driver, cases[i].model, 0, 2.5, cases[i].tol);
	run_jobs(jobs, N);
	for (size_t i = 0; i < N; i++) {
		const struct run *r = &jobs[i].r;
		if (r->bad_values || r->missed || r->rate < cases[i].min_rate)
			fail_msg("%s %s: %lu values, %lu bad, %lu missed, %.2f Hz", cases[i].driver,
				 r->model, r->values, r->bad_values, r->missed, r->rate);
		assert_true(fabs(r->resolution_a - cases[i].res) < 1e-12);
		assert_int_equal(r->coarse, cases[i].res >= 0.01);
		assert_int_equal(r->sim_dropped, 0);
	}
}

static void korad_personalities_identify(void **state)
{
	(void)state;
	static const struct {
		const char *model, *expect;
	} p[] = { { "KA3005P-V2.0", "Korad KA3005P V2.0" }, { "72-2540", "Tenma 72-2540 V2.1" },
		  { "RND", "RND KA3005P V5.5" }, { "S-LS-31", "Stamos S-LS-31 V2.0" },
		  { "PS3005D-V1.3", "Velleman PS3005D V1.3" } };
	enum { N = sizeof p / sizeof p[0] };
	struct job jobs[N];
	for (size_t i = 0; i < N; i++)
		jobs[i] = mkjob("korad", "korad", p[i].model, 0, 1.0, 0.003);
	run_jobs(jobs, N);
	for (size_t i = 0; i < N; i++) {
		assert_string_equal(jobs[i].r.model, p[i].expect);
		assert_int_equal(jobs[i].r.bad_values, 0);
		/* the slow unit's busy window is honoured: nothing sent too soon */
		assert_int_equal(jobs[i].r.sim_dropped, 0);
	}
}

static void auto_detects_each_family(void **state)
{
	(void)state;
	static const char *const drv[] = { "korad", "riden", "dps", "um" };
	enum { N = sizeof drv / sizeof drv[0] };
	struct job jobs[N];
	for (size_t i = 0; i < N; i++)
		jobs[i] = mkjob(drv[i], "auto", NULL, 0, 0.5, 0.003);
	run_jobs(jobs, N);
	for (size_t i = 0; i < N; i++) {
		assert_string_equal(jobs[i].r.driver, drv[i]);
		/* read-only: the other families' probes changed nothing on this device (a Modbus
		 * frame's CRC bytes are a UM meter's threshold commands) */
		assert_int_equal(jobs[i].r.sim_settings, 0);
	}
}


/* Writes text to a fresh temporary file named from tmpl ("/tmp/bt-x-XXXXXX"); the caller
 * unlinks it. */
static void temp_profile(char *tmpl, const char *text)
{
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void auto_with_scpi_profile(void **state)
{
	(void)state;
	char path[] = "/tmp/bt-owon-XXXXXX";
	temp_profile(path, "# Owon SPE\nbaud = 115200\nidentify_match = SPE\ncurrent_query = MEAS:CURR?\n");
	struct bt_supply_sim *sim;
	const char *port;
	assert_int_equal(bt_supply_sim_start("scpi", BT_SCN_SHORT, 0, &sim, &port), BT_OK);
	struct bt_supply_opts so = { "auto", path, 0 };
	struct bt_supply *s;
	char err[200];
	/* korad, um, riden and dps probes go first and leave bytes in the device's line buffer */
	assert_int_equal(bt_supply_open(port, &so, &s, err, sizeof err), BT_OK);
	assert_string_equal(bt_supply_get_info(s)->driver, "scpi");
	assert_non_null(strstr(bt_supply_get_info(s)->model, "OWON,SPE3103"));
	struct bt_supply_reading r;
	assert_int_equal(bt_supply_read(s, &r), BT_OK);
	assert_true(fabs(r.current_a - 3.0) < 0.002);
	bt_supply_close(s);
	bt_supply_sim_stop(sim);
	unlink(path);
}

/* A profile's SYST:REM is given back (SYST:LOC) when benchtriage lets the port go: the
 * front panel works again. */
/* A profile's frame reaches the port: on a pseudo-terminal stop bits, parity and RTS/CTS do;
 * DTR/DSR (not a termios mode) is refused with a message, not ignored. */
static void scpi_profile_frame_on_a_pty(void **state)
{
	(void)state;
	struct bt_supply_sim *sim;
	const char *port;
	assert_int_equal(bt_supply_sim_start("scpi", BT_SCN_SHORT, 0, &sim, &port), BT_OK);
	const char *profiles[2] = { "stop_bits = 2\nparity = even\nflow = rtscts\n",
				    "stop_bits = 2\nflow = dtrdsr\n" };
	for (int i = 0; i < 2; i++) {
		char path[] = "/tmp/bt-frame-XXXXXX";
		temp_profile(path, profiles[i]);
		struct bt_supply_opts so = { "scpi", path, 0 };
		struct bt_supply *s = NULL;
		char err[200];
		int rc = bt_supply_open(port, &so, &s, err, sizeof err);
		if (i == 0) {
			assert_int_equal(rc, BT_OK);
			/* the line settings are the tty's, seen from any descriptor on it (a Linux pty
			 * keeps stop bits and handshake; it forces 8 bits without parity) */
			int fd = open(port, O_RDWR | O_NOCTTY);
			assert_true(fd >= 0);
			struct termios tio;
			assert_int_equal(tcgetattr(fd, &tio), 0);
			assert_true(tio.c_cflag & CSTOPB);
			assert_true(tio.c_cflag & CRTSCTS);
			close(fd);
			bt_supply_close(s);
		} else {
			assert_int_equal(rc, BT_ERR_DATA);
			assert_non_null(strstr(err, "DTR/DSR"));
		}
		unlink(path);
	}
	bt_supply_sim_stop(sim);
}

static void scpi_remote_mode_is_given_back(void **state)
{
	(void)state;
	char path[] = "/tmp/bt-scpi-XXXXXX";
	temp_profile(path, "init = SYST:REM\nidentify_match = SPE\ncurrent_query = MEAS:CURR?\n");
	struct bt_supply_sim *sim;
	const char *port;
	assert_int_equal(bt_supply_sim_start("scpi", BT_SCN_SHORT, 0, &sim, &port), BT_OK);
	struct bt_supply_opts so = { "scpi", path, 0 };
	struct bt_supply *s;
	char err[200];
	assert_int_equal(bt_supply_open(port, &so, &s, err, sizeof err), BT_OK);
	struct bt_supply_reading r;
	assert_int_equal(bt_supply_read(s, &r), BT_OK);
	assert_true(bt_supply_sim_remote(sim));
	bt_supply_close(s);
	/* the simulator hears SYST:LOC on its own thread */
	for (int i = 0; i < 50 && bt_supply_sim_remote(sim); i++)
		usleep(10000);
	assert_false(bt_supply_sim_remote(sim));
	assert_int_equal(bt_supply_sim_settings(sim), 0);
	bt_supply_sim_stop(sim);
	unlink(path);
}

/* Faults: replies that are cut, garbled, dropped, carry a stray byte or a bad CRC become missed
 * samples or are resynchronised, and never a wrong value. */
static void faults_never_become_values(void **state)
{
	(void)state;
	static const struct {
		const char *driver;
		unsigned fault;
		bool expect_missed;
	} cases[] = {
		{ "korad", BT_SIM_TRUNCATE, true }, { "korad", BT_SIM_GARBAGE, true },
		{ "korad", BT_SIM_DROP, true },     { "korad", BT_SIM_STRAY, false },
		{ "riden", BT_SIM_BADCRC, true },   { "riden", BT_SIM_TRUNCATE, true },
		{ "riden", BT_SIM_GARBAGE, true },  { "riden", BT_SIM_DROP, true },
		{ "riden", BT_SIM_STRAY, false },   { "riden", BT_SIM_SLOW, false },
		{ "um", BT_SIM_TRUNCATE, true },    { "um", BT_SIM_GARBAGE, true },
		{ "um", BT_SIM_STRAY, false },      { "um", BT_SIM_DROP, true },
		{ "scpi", BT_SIM_TRUNCATE, true },  { "scpi", BT_SIM_GARBAGE, true },
		{ "scpi", BT_SIM_STRAY, false },    { "scpi", BT_SIM_DROP, true },
	};
	enum { N = sizeof cases / sizeof cases[0] };
	struct job jobs[N];
	for (size_t i = 0; i < N; i++)
		jobs[i] = mkjob(cases[i].driver, cases[i].driver, NULL, cases[i].fault, 3.0, 0.003);
	run_jobs(jobs, N);
	for (size_t i = 0; i < N; i++) {
		const struct run *r = &jobs[i].r;
		if (r->bad_values || r->values < 4 || (cases[i].expect_missed ? r->missed == 0 : r->missed != 0))
			fail_msg("%s fault 0x%x: %lu values, %lu bad, %lu missed", cases[i].driver,
				 cases[i].fault, r->values, r->bad_values, r->missed);
	}
}

static void stale_values_are_flagged(void **state)
{
	(void)state;
	struct job jobs[2] = { mkjob("korad", "korad", NULL, BT_SIM_STALE, 3.0, 0.003),
			       mkjob("korad", "korad", NULL, 0, 3.0, 0.003) };
	run_jobs(jobs, 2);
	if (jobs[0].r.stale < 3 || jobs[0].r.stale <= jobs[1].r.stale)
		fail_msg("stale flagged %lu with the fault, %lu without", jobs[0].r.stale, jobs[1].r.stale);
}

static void unplug_is_survived(void **state)
{
	(void)state;
	static const char *const drv[] = { "korad", "riden", "um" };
	struct job jobs[3];
	for (size_t i = 0; i < 3; i++)
		jobs[i] = mkjob(drv[i], drv[i], NULL, BT_SIM_UNPLUG, 3.5, 0.003);
	run_jobs(jobs, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct run *r = &jobs[i].r;
		if (r->unplugs != 1 || r->reconnects != 1 || r->bad_values || r->values < 5)
			fail_msg("%s: %lu unplugs, %lu reconnects, %lu values, %lu bad", drv[i], r->unplugs,
				 r->reconnects, r->values, r->bad_values);
	}
}

/* The slow Korad personality silently drops a command sent inside its busy window. */
static void slow_korad_drops_hurried_commands(void **state)
{
	(void)state;
	struct bt_supply_sim *sim;
	const char *path;
	assert_int_equal(bt_supply_sim_start("korad", BT_SCN_PLATEAU, BT_SIM_SLOW, &sim, &path), BT_OK);
	struct bt_transport *t;
	char err[200];
	assert_int_equal(bt_transport_open(path, 9600, &t, err, sizeof err), BT_OK);
	assert_int_equal(bt_transport_kind(t), BT_TRANSPORT_PTY);
	unsigned char buf[16];
	assert_int_equal(bt_transport_write(t, "STATUS?", 7, 200), BT_OK);
	assert_int_equal(bt_transport_read_exact(t, buf, 1, 300), 1);
	/* at once, without the 80 + 450 ms the unit needs */
	assert_int_equal(bt_transport_write(t, "IOUT1?", 6, 200), BT_OK);
	assert_int_equal(bt_transport_read_exact(t, buf, 5, 300), 0);
	unsigned long dropped;
	bt_supply_sim_counts(sim, NULL, &dropped);
	assert_true(dropped >= 1);
	/* after the window it answers again */
	bt_sleep_ms(600);
	assert_int_equal(bt_transport_write(t, "IOUT1?", 6, 200), BT_OK);
	assert_int_equal(bt_transport_read_exact(t, buf, 5, 300), 5);
	bt_transport_close(t);
	bt_supply_sim_stop(sim);
}

static void sampler_thread_mode(void **state)
{
	(void)state;
	struct bt_supply_sim *sim;
	const char *path;
	assert_int_equal(bt_supply_sim_start("riden", BT_SCN_SHORT, 0, &sim, &path), BT_OK);
	struct bt_supply_opts so = { "riden", NULL, 0 };
	struct bt_supply *s;
	char err[200];
	assert_int_equal(bt_supply_open(path, &so, &s, err, sizeof err), BT_OK);
	struct bt_sampler *sm = bt_sampler_new(s);
	int fd;
	assert_int_equal(bt_sampler_start_thread(sm, &fd), BT_OK);
	int values = 0, cc = 0;
	double end = bt_mono_now() + 3;
	while (values < 12 && bt_mono_now() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 500) <= 0)
			continue;
		struct bt_sample x;
		while (bt_sampler_read_fd(fd, &x) == 1) {
			if (x.kind == BT_SAMPLE_VALUE) {
				values++;
				cc += x.cc == 1;
				/* a short: the supply holds its 3 A limit, constant by nature, not stale */
				assert_true(fabs(x.current_a - 3.0) < 0.002);
				assert_false(x.stale);
			}
		}
	}
	assert_true(values >= 12);
	assert_int_equal(cc, values);
	bt_sampler_free(sm);
	bt_supply_sim_stop(sim);
}

static void *echo_server(void *arg)
{
	int ls = *(int *)arg;
	int c = accept(ls, NULL, NULL);
	if (c < 0)
		return NULL;
	char buf[64];
	ssize_t n = read(c, buf, sizeof buf);
	if (n > 0 && write(c, buf, (size_t)n) != n) {
		/* the test will see the short echo */
	}
	bt_sleep_ms(100);
	close(c);
	return NULL;
}

static void tcp_backend_loopback(void **state)
{
	(void)state;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(ls, 1), 0);
	socklen_t len = sizeof a;
	getsockname(ls, (struct sockaddr *)&a, &len);
	pthread_t th;
	pthread_create(&th, NULL, echo_server, &ls);
	char spec[64], err[200];
	snprintf(spec, sizeof spec, "tcp:127.0.0.1:%u", ntohs(a.sin_port));
	struct bt_transport *t;
	assert_int_equal(bt_transport_open(spec, 9600, &t, err, sizeof err), BT_OK);
	assert_int_equal(bt_transport_kind(t), BT_TRANSPORT_TCP);
	assert_int_equal(bt_transport_write(t, "IOUT1?", 6, 200), BT_OK);
	char buf[16];
	assert_int_equal(bt_transport_read_exact(t, buf, 6, 1000), 6);
	assert_memory_equal(buf, "IOUT1?", 6);
	/* the bridge closes: a vanished device, not a timeout, and writing to it is no SIGPIPE */
	assert_int_equal(bt_transport_read_some(t, buf, sizeof buf, 1000), BT_ERR_GONE);
	int w1 = bt_transport_write(t, "IOUT1?", 6, 200);
	bt_sleep_ms(50);
	int w2 = bt_transport_write(t, "IOUT1?", 6, 200);
	assert_true(w1 == BT_ERR_GONE || w2 == BT_ERR_GONE);
	bt_transport_close(t);
	pthread_join(th, NULL);
	close(ls);
	/* nothing listening any more, and malformed specs */
	assert_int_equal(bt_transport_open(spec, 9600, &t, err, sizeof err), BT_ERR_NODEV);
	assert_int_equal(bt_transport_open("tcp:nohostport", 9600, &t, err, sizeof err), BT_ERR_ARG);
	assert_int_equal(bt_transport_open("tcp::1", 9600, &t, err, sizeof err), BT_ERR_ARG);
}

static void serial_backend_no_device(void **state)
{
	(void)state;
	struct bt_transport *t;
	char err[200];
	/* no such path */
	assert_int_equal(bt_transport_open("/dev/ttyUSB_bt_absent", 9600, &t, err, sizeof err), BT_ERR_NODEV);
	assert_non_null(strstr(err, "no such port"));
	/* a character device that is not a tty goes to libserialport, which finds no port */
	assert_int_equal(bt_transport_open("/dev/null", 9600, &t, err, sizeof err), BT_ERR_NODEV);
	assert_non_null(strstr(err, "/dev/null"));
	/* straight into the backend with a name libserialport cannot resolve */
	const struct bt_transport_ops *ops;
	void *impl;
	assert_int_equal(bt_transport_sp_open("/dev/ttyS_bt_absent", 9600, &ops, &impl, err, sizeof err),
			 BT_ERR_NODEV);
	struct bt_supply *s;
	struct bt_supply_opts so = { "auto", NULL, 0 };
	assert_int_equal(bt_supply_open("/dev/ttyUSB_bt_absent", &so, &s, err, sizeof err), BT_ERR_NODEV);
	so.driver = "nonsense";
	assert_int_equal(bt_supply_open("/dev/null", &so, &s, err, sizeof err), BT_ERR_ARG);
}

/* With the output off a Korad's CV/CC bit means nothing: no CC claim, output reported off. */
static void korad_output_off_claims_no_cc(void **state)
{
	(void)state;
	struct bt_sim_opts o;
	bt_sim_opts_default(&o);
	o.driver = "korad";
	o.output_off = true;
	struct bt_supply_sim *sim;
	struct bt_supply *s;
	char err[200];
	assert_int_equal(bt_supply_sim_start_opts(&o, &sim, err, sizeof err), BT_OK);
	const char *path = bt_supply_sim_path(sim);
	struct bt_supply_opts so = { "korad", NULL, 0 };
	assert_int_equal(bt_supply_open(path, &so, &s, err, sizeof err), BT_OK);
	int statuses = 0;
	for (int i = 0; i < 16; i++) {
		struct bt_supply_reading r;
		if (bt_supply_read(s, &r) != BT_OK || r.output < 0)
			continue;
		statuses++;
		assert_int_equal(r.output, 0);
		assert_int_equal(r.cc, -1);
	}
	assert_true(statuses >= 1); /* STATUS? comes every 8th reading */
	assert_int_equal(bt_supply_sim_settings(sim), 0);
	bt_supply_close(s);
	bt_supply_sim_stop(sim);
}

static void nothing_answers_on_a_silent_port(void **state)
{
	(void)state;
	/* a pty whose other end never answers: every driver reports "no device", none hangs
	 * (a Korad named by the technician is asked twice, 1.5 s each) */
	struct bt_supply_sim *sim;
	const char *path;
	assert_int_equal(bt_supply_sim_start("um", BT_SCN_OFF, BT_SIM_DROP, &sim, &path), BT_OK);
	struct bt_supply *s;
	char err[200];
	struct bt_supply_opts so = { "korad", NULL, 0 };
	double t0 = bt_mono_now();
	assert_int_equal(bt_supply_open(path, &so, &s, err, sizeof err), BT_ERR_NODEV);
	assert_true(bt_mono_now() - t0 < 4.5);
	bt_supply_sim_stop(sim);
}

static void auto_detect_never_sets_a_silent_um(void **state)
{
	(void)state;
	/* A UM meter that misses its own probe hears every later family's probe: none of their
	 * bytes may be one of its setting commands (0xB0-0xCE set its recording threshold) */
	struct bt_sim_opts o;
	bt_sim_opts_default(&o);
	o.driver = "um";
	o.scenario = BT_SCN_OFF;
	o.faults = BT_SIM_DROP;
	o.fault_every = 1; /* every dump request goes unanswered */
	struct bt_supply_sim *sim;
	char err[200];
	assert_int_equal(bt_supply_sim_start_opts(&o, &sim, err, sizeof err), BT_OK);
	const char *path = bt_supply_sim_path(sim);
	struct bt_supply *s;
	struct bt_supply_opts so = { NULL, NULL, 0 };
	assert_int_equal(bt_supply_open(path, &so, &s, err, sizeof err), BT_ERR_NODEV);
	assert_int_equal(bt_supply_sim_settings(sim), 0);
	bt_supply_sim_stop(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_driver_reads_its_simulator),
		cmocka_unit_test(korad_personalities_identify),
		cmocka_unit_test(auto_detects_each_family),
		cmocka_unit_test(auto_with_scpi_profile),
		cmocka_unit_test(scpi_remote_mode_is_given_back),
		cmocka_unit_test(scpi_profile_frame_on_a_pty),
		cmocka_unit_test(faults_never_become_values),
		cmocka_unit_test(stale_values_are_flagged),
		cmocka_unit_test(unplug_is_survived),
		cmocka_unit_test(slow_korad_drops_hurried_commands),
		cmocka_unit_test(sampler_thread_mode),
		cmocka_unit_test(tcp_backend_loopback),
		cmocka_unit_test(serial_backend_no_device),
		cmocka_unit_test(korad_output_off_claims_no_cc),
		cmocka_unit_test(nothing_answers_on_a_silent_port),
		cmocka_unit_test(auto_detect_never_sets_a_silent_um),
	};
	return cmocka_run_group_tests_name("supply", tests, NULL, NULL);
}
