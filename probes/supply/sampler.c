/* sampler.c — see sampler.h. */
#include "supply/sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/transport.h"

#define RETRY_MS 250
#define STALE_S 0.8
#define STALE_N 5

struct bt_sampler {
	struct bt_supply *s;
	double t0;
	bool absent;
	unsigned long values, missed, unplugs, stale;
	double first_t, last_t;
	double run_i, run_v, run_start;
	unsigned run_n;
	pthread_t thread;
	bool thread_on;
	atomic_int stop;
	int pipe_r, pipe_w;
};

struct bt_sampler *bt_sampler_new(struct bt_supply *s)
{
	struct bt_sampler *sm = bt_xcalloc(1, sizeof *sm);
	sm->s = s;
	sm->t0 = bt_mono_now();
	sm->first_t = sm->last_t = -1;
	sm->pipe_r = sm->pipe_w = -1;
	return sm;
}

const struct bt_supply_info *bt_sampler_info(const struct bt_sampler *sm)
{
	return bt_supply_get_info(sm->s);
}

static bool same(double a, double b)
{
	return (isnan(a) && isnan(b)) || fabs(a - b) < 1e-9;
}

int bt_sampler_step(struct bt_sampler *sm, struct bt_sample *out)
{
	memset(out, 0, sizeof *out);
	out->voltage_v = NAN;
	out->cc = -1;
	if (sm->absent) {
		bt_sleep_ms(RETRY_MS);
		int rc = bt_supply_reconnect(sm->s);
		out->t = bt_mono_now() - sm->t0;
		if (rc == BT_OK) {
			sm->absent = false;
			out->kind = BT_SAMPLE_RECONNECTED;
		} else {
			out->kind = BT_SAMPLE_ABSENT;
		}
		return BT_OK;
	}
	struct bt_supply_reading r;
	int rc = bt_supply_read(sm->s, &r);
	/* Stamp at the end of the exchange: the device measured during it. */
	out->t = bt_mono_now() - sm->t0;
	if (rc == BT_ERR_GONE) {
		sm->absent = true;
		sm->unplugs++;
		out->kind = BT_SAMPLE_UNPLUGGED;
		return BT_OK;
	}
	if (rc != BT_OK) {
		sm->missed++;
		out->kind = BT_SAMPLE_MISSED;
		return BT_OK;
	}
	out->kind = BT_SAMPLE_VALUE;
	out->current_a = r.current_a;
	out->voltage_v = r.voltage_v;
	out->cc = r.cc;
	/* A run of identical readings: voltage compared only when both carry one. */
	bool v_same = isnan(r.voltage_v) || isnan(sm->run_v) || same(r.voltage_v, sm->run_v);
	if (sm->run_n > 0 && same(r.current_a, sm->run_i) && v_same) {
		sm->run_n++;
		if (!isnan(r.voltage_v))
			sm->run_v = r.voltage_v;
	} else {
		sm->run_n = 1;
		sm->run_i = r.current_a;
		sm->run_v = r.voltage_v;
		sm->run_start = out->t;
	}
	/* A reading pinned at the current limit is constant by physics, not a frozen ADC. */
	const struct bt_supply_info *info = bt_supply_get_info(sm->s);
	bool at_limit = r.cc == 1 ||
		(info->limit_a > 0 && fabs(r.current_a - info->limit_a) <= fmax(info->resolution_a, 1e-6));
	if (sm->run_n >= STALE_N && out->t - sm->run_start >= STALE_S && r.current_a > 0 && !at_limit) {
		out->stale = true;
		sm->stale++;
	}
	if (sm->first_t < 0)
		sm->first_t = out->t;
	sm->last_t = out->t;
	sm->values++;
	return BT_OK;
}

void bt_sampler_get_stats(const struct bt_sampler *sm, struct bt_sampler_stats *st)
{
	memset(st, 0, sizeof *st);
	st->values = sm->values;
	st->missed = sm->missed;
	st->unplugs = sm->unplugs;
	st->stale = sm->stale;
	if (sm->values >= 2 && sm->last_t > sm->first_t)
		st->rate_hz = (double)(sm->values - 1) / (sm->last_t - sm->first_t);
	st->last_age_s = sm->last_t < 0 ? -1 : bt_mono_now() - sm->t0 - sm->last_t;
	st->resolution_a = bt_supply_get_info(sm->s)->resolution_a;
}

static void *sampler_thread(void *arg)
{
	struct bt_sampler *sm = arg;
	while (!atomic_load(&sm->stop)) {
		struct bt_sample smp;
		bt_sampler_step(sm, &smp);
		const char *p = (const char *)&smp;
		size_t left = sizeof smp;
		while (left > 0 && !atomic_load(&sm->stop)) {
			ssize_t w = write(sm->pipe_w, p, left);
			if (w > 0) {
				p += w;
				left -= (size_t)w;
			} else if (w < 0 && errno != EINTR && errno != EAGAIN) {
				return NULL;
			} else if (w < 0 && errno == EAGAIN) {
				bt_sleep_ms(10); /* the reader is behind; keep the record, wait */
			}
		}
	}
	return NULL;
}

int bt_sampler_start_thread(struct bt_sampler *sm, int *fd)
{
	int p[2];
	if (sm->thread_on || pipe(p) != 0)
		return BT_ERR_IO;
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	sm->pipe_r = p[0];
	sm->pipe_w = p[1];
	if (pthread_create(&sm->thread, NULL, sampler_thread, sm) != 0) {
		close(p[0]);
		close(p[1]);
		sm->pipe_r = sm->pipe_w = -1;
		return BT_ERR_IO;
	}
	sm->thread_on = true;
	*fd = p[0];
	return BT_OK;
}

int bt_sampler_read_fd(int fd, struct bt_sample *out)
{
	/* Records are smaller than PIPE_BUF, so each write and read moves a whole one. */
	ssize_t r = read(fd, out, sizeof *out);
	if (r == (ssize_t)sizeof *out)
		return 1;
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return BT_ERR_GONE;
}

void bt_sampler_free(struct bt_sampler *sm)
{
	if (!sm)
		return;
	if (sm->thread_on) {
		atomic_store(&sm->stop, 1);
		pthread_join(sm->thread, NULL);
	}
	if (sm->pipe_r >= 0)
		close(sm->pipe_r);
	if (sm->pipe_w >= 0)
		close(sm->pipe_w);
	bt_supply_close(sm->s);
	free(sm);
}
