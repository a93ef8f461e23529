/* sim_core.h — what a simulated device personality sees of the simulator (internal to
 * probes/supply/sim_*.c). The core owns the pty, the clock, the paced output queue, the load
 * scenario and the fault counters; a device only parses bytes and queues replies. */
#ifndef BT_SUPPLY_SIM_CORE_H
#define BT_SUPPLY_SIM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "supply/sim.h"

struct bt_supply_sim;

struct sim_dev_ops {
	void (*on_byte)(void *dev, struct bt_supply_sim *c, uint8_t b, double now);
	void (*tick)(void *dev, struct bt_supply_sim *c, double now); /* every loop turn */
	void (*free)(void *dev);
};

/* A personality constructor: fills ops, device state, baud and nominal max rate. */
struct sim_dev_init {
	const struct sim_dev_ops *ops;
	void *dev;
	unsigned baud;
	double max_rate_hz;
	double limit_a;
	double resolution_a;
};
typedef int (*sim_dev_new_fn)(const struct bt_sim_opts *o, struct sim_dev_init *out,
			      char *err, size_t errlen);
int bt_sim_korad_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen);
int bt_sim_modbus_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen);
int bt_sim_um_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen);
int bt_sim_scpi_new(const struct bt_sim_opts *o, struct sim_dev_init *out, char *err, size_t errlen);

/* Queues a reply whose first byte leaves latency_s from now, then one byte per character time. */
void sim_reply(struct bt_supply_sim *c, const uint8_t *bytes, size_t n, double latency_s, double now);
/* True when the given fault is on and this reply is the fault_every-th one. Call once per reply
 * for each fault kind that applies. */
bool sim_fault_now(struct bt_supply_sim *c, unsigned fault);
bool sim_fault_on(const struct bt_supply_sim *c, unsigned fault);
/* Counts a command the device ignored (busy window, DROP). */
void sim_count_drop(struct bt_supply_sim *c);
/* A command that would change a setting of the real unit arrived (tests assert none do). */
void sim_count_setting(struct bt_supply_sim *c);
void sim_set_remote(struct bt_supply_sim *c, bool on);
/* The measured output at now: demand from the scenario, limited by limit_a (then CC), plus
 * small noise, held when the STALE fault is on, quantised to resolution_a. */
void sim_measure(struct bt_supply_sim *c, double now, double vset, double limit_a, double resolution_a,
		 bool output_on, double *current_a, double *voltage_v, bool *cc);
/* Deterministic noise source (xorshift), 0..1. */
double sim_rand(struct bt_supply_sim *c);

#endif
