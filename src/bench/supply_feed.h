/* supply_feed.h — samples a bench supply or USB meter on its own thread and hands the samples
 * to the poll() loop through a pipe (the UI thread never waits on a serial port).
 *
 * The feed owns the supply handle, the thread, the pipe and a bounded sample queue (the
 * oldest samples are dropped when the loop falls behind; the count is kept). Read-only: it
 * only ever calls bt_supply_read. Nothing here prints. */
#ifndef BT_BENCH_SUPPLY_FEED_H
#define BT_BENCH_SUPPLY_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "supply/supply.h"

#define BT_FEED_QUEUE 4096

struct bt_feed_sample {
	double t;          /* monotonic seconds (bt_bench_clock) */
	double current_a;
	double voltage_v;  /* NAN when not read */
};

struct bt_supply_feed;

/* Opens and identifies the device here (so errors come back now), then starts sampling.
 * BT_OK, BT_ERR_NODEV, BT_ERR_IO, BT_ERR_ARG with errbuf. */
int bt_supply_feed_start(struct bt_supply_feed **out, const char *port,
			 const struct bt_supply_opts *o, char *errbuf, size_t errlen);
void bt_supply_feed_stop(struct bt_supply_feed *f);
int bt_supply_feed_fd(const struct bt_supply_feed *f);
/* Drains the pipe and moves up to max queued samples into out (oldest first). */
size_t bt_supply_feed_take(struct bt_supply_feed *f, struct bt_feed_sample *out, size_t max);
const struct bt_supply_info *bt_supply_feed_info(const struct bt_supply_feed *f);
/* Samples per second over the last few seconds, < 0 before there are two. */
double bt_supply_feed_rate(const struct bt_supply_feed *f);
/* true while the port answers; false after it went away (the thread keeps trying). */
bool bt_supply_feed_alive(const struct bt_supply_feed *f);
unsigned long bt_supply_feed_dropped(struct bt_supply_feed *f);

/* The monotonic clock every bench time uses, in seconds. */
double bt_bench_clock(void);

#endif
