/* sampler.h — turns a supply into a timed stream of samples, honestly.
 *
 * Each sample carries a monotonic timestamp (seconds since the sampler started). A timeout or a
 * garbled reply is a MISSED sample, never 0 A. Pulling the plug produces one UNPLUGGED event;
 * the sampler then retries the port every 250 ms (ABSENT samples while it waits) and reports
 * RECONNECTED when the device answers again; nothing already sampled is lost. Readings that
 * repeat exactly for a while (and are neither 0 A nor pinned at the current limit, both steady
 * by nature) are flagged stale (the supply's ADC may not have updated).
 *
 * Two ways to drive it: call bt_sampler_step() from your own loop (it blocks for one exchange,
 * typically 0.1-0.5 s), or bt_sampler_start_thread() and poll() the returned descriptor, reading
 * records with bt_sampler_read_fd(). The sampler owns the supply handed to it. */
#ifndef BT_SUPPLY_SAMPLER_H
#define BT_SUPPLY_SAMPLER_H

#include <stdbool.h>

#include "supply/supply.h"

enum bt_sample_kind {
	BT_SAMPLE_VALUE,        /* a reading */
	BT_SAMPLE_MISSED,       /* the device did not answer in time, or garbled its reply */
	BT_SAMPLE_UNPLUGGED,    /* the port vanished (once per loss) */
	BT_SAMPLE_ABSENT,       /* still gone; a reconnection attempt failed */
	BT_SAMPLE_RECONNECTED,  /* the device answers again */
};

struct bt_sample {
	double t;               /* seconds since the sampler started */
	enum bt_sample_kind kind;
	double current_a;       /* VALUE only */
	double voltage_v;       /* NAN when not read in this exchange */
	int cc;                 /* 1 at the current limit, 0 not, -1 unknown */
	bool stale;             /* identical to the readings of the last STALE_S or more */
};

struct bt_sampler_stats {
	unsigned long values, missed, unplugs, stale;
	double rate_hz;         /* achieved value rate over the run, 0 until two values */
	double last_age_s;      /* time since the last value, < 0 when none */
	double resolution_a;
};

struct bt_sampler; /* opaque */

struct bt_sampler *bt_sampler_new(struct bt_supply *s);
void bt_sampler_free(struct bt_sampler *sm); /* stops the thread if any, closes the supply */
const struct bt_supply_info *bt_sampler_info(const struct bt_sampler *sm);
/* One exchange (or one reconnection attempt). Always fills out; BT_OK. */
int bt_sampler_step(struct bt_sampler *sm, struct bt_sample *out);
void bt_sampler_get_stats(const struct bt_sampler *sm, struct bt_sampler_stats *st);

/* Runs the sampler in a thread that writes struct bt_sample records into a pipe; *fd is its
 * non-blocking read end (owned by the sampler). BT_OK or BT_ERR_IO. While the thread runs, only
 * bt_sampler_read_fd and bt_sampler_free may be called. */
int bt_sampler_start_thread(struct bt_sampler *sm, int *fd);
/* 1 when a record was read, 0 when none is waiting, BT_ERR_GONE when the thread ended. */
int bt_sampler_read_fd(int fd, struct bt_sample *out);

#endif
