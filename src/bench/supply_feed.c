/* supply_feed.c — the supply sampling thread and its hand-off queue. */
#include "bench/supply_feed.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"

#define RATE_WINDOW 32 /* samples the measured rate is taken over */

struct bt_supply_feed {
	struct bt_supply *sup;
	pthread_t thread;
	bool started;
	atomic_bool stop;
	atomic_bool alive;
	int pipe_r, pipe_w;
	pthread_mutex_t mu;
	struct bt_feed_sample q[BT_FEED_QUEUE];
	size_t head, count;
	atomic_ulong dropped;
	double recent[RATE_WINDOW]; /* times of the last samples handed out */
	size_t nrecent;
};

double bt_bench_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };
	nanosleep(&ts, NULL);
}

static void push(struct bt_supply_feed *f, const struct bt_feed_sample *s)
{
	pthread_mutex_lock(&f->mu);
	if (f->count == BT_FEED_QUEUE) {
		f->head = (f->head + 1) % BT_FEED_QUEUE;
		f->count--;
		f->dropped++;
	}
	f->q[(f->head + f->count) % BT_FEED_QUEUE] = *s;
	f->count++;
	pthread_mutex_unlock(&f->mu);
	char one = 1;
	/* A full pipe already says "there is something"; never block the sampler. */
	if (write(f->pipe_w, &one, 1) < 0 && errno != EAGAIN)
		atomic_store(&f->alive, false);
}

static void *run(void *arg)
{
	struct bt_supply_feed *f = arg;
	while (!atomic_load(&f->stop)) {
		struct bt_supply_reading r;
		int rc = bt_supply_read(f->sup, &r);
		if (rc == BT_OK) {
			struct bt_feed_sample s = { bt_bench_clock(), r.current_a, r.voltage_v };
			atomic_store(&f->alive, true);
			push(f, &s);
		} else if (rc == BT_ERR_GONE) {
			atomic_store(&f->alive, false);
			char one = 0;
			if (write(f->pipe_w, &one, 1) < 0) {
				/* the loop will notice on its next look */
			}
			for (int i = 0; i < 10 && !atomic_load(&f->stop); i++)
				nap(0.05);
			if (!atomic_load(&f->stop) && bt_supply_reconnect(f->sup) == BT_OK)
				atomic_store(&f->alive, true);
		} else {
			nap(0.01); /* no sample this time; never invent one */
		}
	}
	return NULL;
}

int bt_supply_feed_start(struct bt_supply_feed **out, const char *port,
			 const struct bt_supply_opts *o, char *errbuf, size_t errlen)
{
	struct bt_supply *sup = NULL;
	int rc = bt_supply_open(port, o, &sup, errbuf, errlen);
	if (rc != BT_OK)
		return rc;
	struct bt_supply_feed *f = bt_xcalloc(1, sizeof *f);
	f->sup = sup;
	int p[2];
	if (pipe(p) != 0) {
		snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
		bt_supply_close(sup);
		free(f);
		return BT_ERR_IO;
	}
	f->pipe_r = p[0];
	f->pipe_w = p[1];
	for (int i = 0; i < 2; i++) {
		fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK);
		fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&f->mu, NULL);
	atomic_init(&f->stop, false);
	atomic_init(&f->alive, true);
	if (pthread_create(&f->thread, NULL, run, f) != 0) {
		snprintf(errbuf, errlen, "cannot start the sampling thread");
		bt_supply_feed_stop(f);
		return BT_ERR_IO;
	}
	f->started = true;
	*out = f;
	return BT_OK;
}

void bt_supply_feed_stop(struct bt_supply_feed *f)
{
	if (!f)
		return;
	atomic_store(&f->stop, true);
	if (f->started)
		pthread_join(f->thread, NULL);
	bt_supply_close(f->sup);
	close(f->pipe_r);
	close(f->pipe_w);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

int bt_supply_feed_fd(const struct bt_supply_feed *f)
{
	return f->pipe_r;
}

size_t bt_supply_feed_take(struct bt_supply_feed *f, struct bt_feed_sample *out, size_t max)
{
	char buf[256];
	while (read(f->pipe_r, buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&f->mu);
	size_t n = 0;
	while (n < max && f->count) {
		out[n++] = f->q[f->head];
		f->head = (f->head + 1) % BT_FEED_QUEUE;
		f->count--;
	}
	pthread_mutex_unlock(&f->mu);
	for (size_t i = 0; i < n; i++) {
		if (f->nrecent == RATE_WINDOW) {
			memmove(f->recent, f->recent + 1, (RATE_WINDOW - 1) * sizeof *f->recent);
			f->nrecent--;
		}
		f->recent[f->nrecent++] = out[i].t;
	}
	return n;
}

const struct bt_supply_info *bt_supply_feed_info(const struct bt_supply_feed *f)
{
	return bt_supply_get_info(f->sup);
}

double bt_supply_feed_rate(const struct bt_supply_feed *f)
{
	if (f->nrecent < 2)
		return -1;
	double span = f->recent[f->nrecent - 1] - f->recent[0];
	return span > 0 ? (double)(f->nrecent - 1) / span : -1;
}

bool bt_supply_feed_alive(const struct bt_supply_feed *f)
{
	return atomic_load(&f->alive);
}

unsigned long bt_supply_feed_dropped(struct bt_supply_feed *f)
{
	return atomic_load(&f->dropped);
}
