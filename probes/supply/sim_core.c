/* sim_core.c — the simulator's pty, thread, clock, paced output and fault counters. */
#include "supply/sim_core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/transport.h"
#include "supply/transport_fd.h"

#define OUTQ 8192

struct bt_supply_sim {
	struct bt_sim_opts o;
	char driver[16];
	char model[32];
	struct sim_dev_init dev;
	int master, slave;
	char dir[512];
	char link[576];
	pthread_t thread;
	bool thread_started;
	atomic_int stop;
	double t0;
	uint8_t q[OUTQ];
	double due[OUTQ];
	size_t qhead, qlen;
	double byte_time;
	double last_due;
	unsigned long nth[8];
	atomic_ulong replies, dropped, settings;
	atomic_int remote;       /* the device was put in remote mode and not given back */
	double held_i, held_v, held_at;
	bool held_cc, held_valid;
	uint64_t rng;
	bool unplugged, unplug_done;
};

/* ptsname() is not thread-safe; simulators may start from several threads (tests, TUI). */
static pthread_mutex_t ptsname_lock = PTHREAD_MUTEX_INITIALIZER;

static int bit_index(unsigned fault)
{
	int i = 0;
	while (fault > 1 && i < 7) {
		fault >>= 1;
		i++;
	}
	return i;
}

bool sim_fault_on(const struct bt_supply_sim *c, unsigned fault) { return (c->o.faults & fault) != 0; }

bool sim_fault_now(struct bt_supply_sim *c, unsigned fault)
{
	if (!sim_fault_on(c, fault))
		return false;
	int i = bit_index(fault);
	c->nth[i]++;
	return c->nth[i] % c->o.fault_every == 0;
}

void sim_count_drop(struct bt_supply_sim *c) { atomic_fetch_add(&c->dropped, 1); }

void sim_count_setting(struct bt_supply_sim *c) { atomic_fetch_add(&c->settings, 1); }

void sim_set_remote(struct bt_supply_sim *c, bool on) { atomic_store(&c->remote, on ? 1 : 0); }

double sim_rand(struct bt_supply_sim *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return (double)(c->rng >> 11) / 9007199254740992.0;
}

void sim_reply(struct bt_supply_sim *c, const uint8_t *bytes, size_t n, double latency_s, double now)
{
	double t = now + latency_s;
	if (c->qlen > 0 && c->last_due > t)
		t = c->last_due;
	for (size_t i = 0; i < n && c->qlen < OUTQ; i++) {
		size_t at = (c->qhead + c->qlen) % OUTQ;
		t += c->byte_time;
		c->q[at] = bytes[i];
		c->due[at] = t;
		c->qlen++;
	}
	c->last_due = t;
	atomic_fetch_add(&c->replies, 1);
}

void sim_measure(struct bt_supply_sim *c, double now, double vset, double limit_a, double resolution_a,
		 bool output_on, double *current_a, double *voltage_v, bool *cc)
{
	if (sim_fault_on(c, BT_SIM_STALE) && c->held_valid && now - c->held_at < c->o.stale_s) {
		*current_a = c->held_i;
		*voltage_v = c->held_v;
		*cc = c->held_cc;
		return;
	}
	double demand = output_on ? bt_scenario_current(c->o.scenario, now * c->o.time_scale) : 0;
	double i, v;
	bool is_cc = false;
	if (demand > limit_a) {
		/* constant-current mode: the supply holds the limit and its voltage collapses */
		is_cc = true;
		i = limit_a;
		v = vset * limit_a / demand;
	} else {
		i = demand;
		if (i > 0)
			i += (sim_rand(c) - 0.5) * 0.003; /* about +-1.5 mA of board noise */
		if (i < 0)
			i = 0;
		v = output_on ? vset - i * 0.05 : 0; /* 50 mOhm of leads */
	}
	i = round(i / resolution_a) * resolution_a;
	v = round(v * 1000.0) / 1000.0;
	c->held_i = i;
	c->held_v = v;
	c->held_cc = is_cc;
	c->held_at = now;
	c->held_valid = true;
	*current_a = i;
	*voltage_v = v;
	*cc = is_cc;
}

static int open_pty(struct bt_supply_sim *c, char *err, size_t errlen)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) {
		snprintf(err, errlen, "cannot create a pseudo-terminal: %s", strerror(errno));
		if (m >= 0)
			close(m);
		return BT_ERR_IO;
	}
	char name[128];
	pthread_mutex_lock(&ptsname_lock);
	const char *pn = ptsname(m);
	snprintf(name, sizeof name, "%s", pn ? pn : "");
	pthread_mutex_unlock(&ptsname_lock);
	/* Keep a slave descriptor open ourselves: the master then never sees a hang-up while no
	 * client is connected, and the line discipline is raw before the client arrives. */
	int s = name[0] ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
	if (s < 0 || bt_tty_make_raw(s, c->dev.baud) != BT_OK) {
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(errno));
		close(m);
		if (s >= 0)
			close(s);
		return BT_ERR_IO;
	}
	fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
	fcntl(m, F_SETFD, FD_CLOEXEC);
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s.new", c->link);
	unlink(tmp);
	if (symlink(name, tmp) != 0 || rename(tmp, c->link) != 0) {
		snprintf(err, errlen, "cannot link %s: %s", c->link, strerror(errno));
		close(m);
		close(s);
		return BT_ERR_IO;
	}
	c->master = m;
	c->slave = s;
	return BT_OK;
}

static void close_pty(struct bt_supply_sim *c)
{
	if (c->master >= 0)
		close(c->master);
	if (c->slave >= 0)
		close(c->slave);
	c->master = c->slave = -1;
	c->qlen = 0;
}

static void flush_output(struct bt_supply_sim *c, double now)
{
	uint8_t chunk[256];
	while (c->qlen > 0 && c->due[c->qhead] <= now) {
		size_t n = 0;
		while (n < c->qlen && n < sizeof chunk && c->due[(c->qhead + n) % OUTQ] <= now) {
			chunk[n] = c->q[(c->qhead + n) % OUTQ];
			n++;
		}
		ssize_t w = write(c->master, chunk, n);
		if (w <= 0)
			return; /* nobody reading and the buffer is full: retry next turn */
		c->qhead = (c->qhead + (size_t)w) % OUTQ;
		c->qlen -= (size_t)w;
	}
}

static void *sim_thread(void *arg)
{
	struct bt_supply_sim *c = arg;
	char err[160];
	while (!atomic_load(&c->stop)) {
		double now = bt_mono_now() - c->t0;
		if (sim_fault_on(c, BT_SIM_UNPLUG) && !c->unplug_done) {
			if (!c->unplugged && now >= c->o.unplug_at_s) {
				close_pty(c);
				unlink(c->link);
				c->unplugged = true;
			} else if (c->unplugged && now >= c->o.unplug_at_s + c->o.unplug_for_s) {
				if (open_pty(c, err, sizeof err) == BT_OK) {
					c->unplugged = false;
					c->unplug_done = true;
				}
			}
		}
		if (c->unplugged) {
			bt_sleep_ms(5);
			continue;
		}
		int timeout = 5;
		if (c->qlen > 0) {
			double d = (c->due[c->qhead] - now) * 1000.0;
			timeout = d <= 0 ? 0 : d < 5 ? (int)d + 1 : 5;
		}
		struct pollfd p = { .fd = c->master, .events = POLLIN };
		if (poll(&p, 1, timeout) > 0 && (p.revents & POLLIN)) {
			uint8_t buf[256];
			ssize_t r = read(c->master, buf, sizeof buf);
			now = bt_mono_now() - c->t0;
			for (ssize_t i = 0; i < r; i++)
				c->dev.ops->on_byte(c->dev.dev, c, buf[i], now);
		}
		now = bt_mono_now() - c->t0;
		c->dev.ops->tick(c->dev.dev, c, now);
		flush_output(c, now);
	}
	return NULL;
}

void bt_sim_opts_default(struct bt_sim_opts *o)
{
	memset(o, 0, sizeof *o);
	o->driver = "korad";
	o->scenario = BT_SCN_PLATEAU;
}

static const struct {
	const char *name;
	unsigned bit;
} fault_names[] = {
	{ "unplug", BT_SIM_UNPLUG }, { "truncate", BT_SIM_TRUNCATE }, { "stray", BT_SIM_STRAY },
	{ "badcrc", BT_SIM_BADCRC }, { "garbage", BT_SIM_GARBAGE }, { "stale", BT_SIM_STALE },
	{ "drop", BT_SIM_DROP }, { "slow", BT_SIM_SLOW },
};

const char *bt_sim_fault_names(void)
{
	return "unplug, truncate, stray, badcrc, garbage, stale, drop, slow";
}

int bt_sim_faults_parse(const char *list, unsigned *out)
{
	*out = 0;
	if (!list || !*list || strcmp(list, "none") == 0)
		return BT_OK;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool found = false;
		for (size_t i = 0; i < sizeof fault_names / sizeof fault_names[0]; i++)
			if (strlen(fault_names[i].name) == n && strncmp(p, fault_names[i].name, n) == 0) {
				*out |= fault_names[i].bit;
				found = true;
			}
		if (!found)
			return BT_ERR_ARG;
		p += n;
		if (*p == ',')
			p++;
	}
	return BT_OK;
}

int bt_supply_sim_start_opts(const struct bt_sim_opts *o, struct bt_supply_sim **out,
			     char *errbuf, size_t errlen)
{
	*out = NULL;
	static const struct {
		const char *name;
		sim_dev_new_fn fn;
	} devs[] = {
		{ "korad", bt_sim_korad_new }, { "riden", bt_sim_modbus_new }, { "dps", bt_sim_modbus_new },
		{ "um", bt_sim_um_new }, { "scpi", bt_sim_scpi_new },
	};
	sim_dev_new_fn fn = NULL;
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++)
		if (o->driver && strcmp(o->driver, devs[i].name) == 0)
			fn = devs[i].fn;
	if (!fn) {
		snprintf(errbuf, errlen, "no simulator for driver '%s'", o->driver ? o->driver : "");
		return BT_ERR_ARG;
	}
	struct bt_supply_sim *c = bt_xcalloc(1, sizeof *c);
	c->o = *o;
	snprintf(c->driver, sizeof c->driver, "%s", o->driver);
	snprintf(c->model, sizeof c->model, "%s", o->model ? o->model : "");
	c->o.driver = c->driver;
	c->o.model = o->model ? c->model : NULL;
	if (c->o.time_scale <= 0)
		c->o.time_scale = 1;
	if (c->o.fault_every == 0)
		c->o.fault_every = 5;
	if (c->o.unplug_at_s <= 0)
		c->o.unplug_at_s = 2.0;
	if (c->o.unplug_for_s <= 0)
		c->o.unplug_for_s = 1.5;
	if (c->o.stale_s <= 0)
		c->o.stale_s = 1.0;
	c->master = c->slave = -1;
	c->rng = 0x9E3779B97F4A7C15ull;
	int rc = fn(&c->o, &c->dev, errbuf, errlen);
	if (rc != BT_OK) {
		free(c);
		return rc;
	}
	c->byte_time = 10.0 / (double)c->dev.baud;
	const char *tmpdir = getenv("TMPDIR");
	snprintf(c->dir, sizeof c->dir, "%s/bt-sim-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(c->dir)) {
		snprintf(errbuf, errlen, "cannot create a directory for the simulator: %s", strerror(errno));
		c->dev.ops->free(c->dev.dev);
		free(c);
		return BT_ERR_IO;
	}
	snprintf(c->link, sizeof c->link, "%s/tty-%s", c->dir, c->driver);
	rc = open_pty(c, errbuf, errlen);
	if (rc != BT_OK) {
		rmdir(c->dir);
		c->dev.ops->free(c->dev.dev);
		free(c);
		return rc;
	}
	c->t0 = bt_mono_now();
	if (pthread_create(&c->thread, NULL, sim_thread, c) != 0) {
		snprintf(errbuf, errlen, "cannot start the simulator thread");
		close_pty(c);
		unlink(c->link);
		rmdir(c->dir);
		c->dev.ops->free(c->dev.dev);
		free(c);
		return BT_ERR_IO;
	}
	c->thread_started = true;
	*out = c;
	return BT_OK;
}

int bt_supply_sim_start(const char *driver, enum bt_scenario scenario, unsigned faults,
			struct bt_supply_sim **out, const char **pty_path)
{
	struct bt_sim_opts o;
	char err[200];
	bt_sim_opts_default(&o);
	o.driver = driver;
	o.scenario = scenario;
	o.faults = faults;
	int rc = bt_supply_sim_start_opts(&o, out, err, sizeof err);
	if (rc == BT_OK && pty_path)
		*pty_path = bt_supply_sim_path(*out);
	return rc;
}

const char *bt_supply_sim_path(const struct bt_supply_sim *s)
{
	return s->link;
}

double bt_supply_sim_max_rate(const struct bt_supply_sim *s)
{
	return s->dev.max_rate_hz;
}

void bt_supply_sim_counts(const struct bt_supply_sim *s, unsigned long *replies,
			  unsigned long *dropped)
{
	/* atomic_load needs a non-const object in C11 */
	struct bt_supply_sim *c = (struct bt_supply_sim *)(uintptr_t)s;
	if (replies)
		*replies = atomic_load(&c->replies);
	if (dropped)
		*dropped = atomic_load(&c->dropped);
}

bool bt_supply_sim_remote(const struct bt_supply_sim *s)
{
	struct bt_supply_sim *c = (struct bt_supply_sim *)s;
	return atomic_load(&c->remote) != 0;
}

unsigned long bt_supply_sim_settings(const struct bt_supply_sim *s)
{
	struct bt_supply_sim *c = (struct bt_supply_sim *)(uintptr_t)s;
	return atomic_load(&c->settings);
}

void bt_supply_sim_stop(struct bt_supply_sim *s)
{
	if (!s)
		return;
	struct bt_supply_sim *c = s;
	atomic_store(&c->stop, 1);
	if (c->thread_started)
		pthread_join(c->thread, NULL);
	close_pty(c);
	unlink(c->link);
	rmdir(c->dir);
	c->dev.ops->free(c->dev.dev);
	free(c);
}
