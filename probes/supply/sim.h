/* sim.h — simulated supplies and meters on pseudo-terminals, for tests and the demo bench.
 *
 * bt_supply_sim_start() creates a pty, runs the chosen device (korad, riden, dps, um, scpi) in a
 * thread on its master side, and gives back a stable path (a symlink in a private temporary
 * directory) that any driver opens like a serial port. The device follows the research notes:
 * wire pacing at its baud rate, reply latency, busy windows on slow units, and the faults below.
 * A load scenario (sim_load.h) decides the current. The sim owns its thread, pty and directory;
 * bt_supply_sim_stop() ends and removes them. Nothing here prints. */
#ifndef BT_SUPPLY_SIM_H
#define BT_SUPPLY_SIM_H

#include <stddef.h>

#include "supply/sim_load.h"

enum bt_sim_fault {
	BT_SIM_UNPLUG = 1u << 0,   /* the device vanishes at unplug_at_s for unplug_for_s, then returns */
	BT_SIM_TRUNCATE = 1u << 1, /* every fault_every-th reply is cut short */
	BT_SIM_STRAY = 1u << 2,    /* every fault_every-th reply gets an extra byte after it */
	BT_SIM_BADCRC = 1u << 3,   /* Modbus: every fault_every-th reply has a wrong CRC */
	BT_SIM_GARBAGE = 1u << 4,  /* every fault_every-th reply is replaced by noise */
	BT_SIM_STALE = 1u << 5,    /* the measurement only updates every stale_s seconds */
	BT_SIM_DROP = 1u << 6,     /* every fault_every-th command gets no reply */
	BT_SIM_SLOW = 1u << 7,     /* Korad: slow V1.3 personality drops commands sent too soon;
				      Modbus: 400-500 ms outliers of firmware 1.4x */
};

struct bt_sim_opts {
	const char *driver;        /* "korad", "riden", "dps", "um", "scpi" */
	enum bt_scenario scenario;
	unsigned faults;           /* bt_sim_fault bits */
	const char *model;         /* personality, NULL for the default of the driver (see docs) */
	double time_scale;         /* scenario seconds per real second; 0 means 1 */
	unsigned fault_every;      /* 0 means 5 */
	double unplug_at_s;        /* 0 means 2.0 */
	double unplug_for_s;       /* 0 means 1.5 */
	double stale_s;            /* 0 means 1.0 */
	double limit_a;            /* current limit; 0 means the driver default (3 A, UM: 2.4 A) */
	bool output_off;           /* the supply's output switched off (Korad, Riden, DPS) */
};

struct bt_supply_sim; /* opaque */

void bt_sim_opts_default(struct bt_sim_opts *o);
/* Parses "unplug,stray,..." (or "none") into fault bits. BT_OK or BT_ERR_ARG. */
int bt_sim_faults_parse(const char *list, unsigned *out);
const char *bt_sim_fault_names(void);

/* Starts a simulator. BT_OK, BT_ERR_ARG (unknown driver/model), BT_ERR_IO (pty). */
int bt_supply_sim_start_opts(const struct bt_sim_opts *o, struct bt_supply_sim **out,
			     char *errbuf, size_t errlen);
/* Short form for the demo bench: default personality and timing. */
int bt_supply_sim_start(const char *driver, enum bt_scenario scenario, unsigned faults,
			struct bt_supply_sim **out, const char **pty_path);
/* The stable port path to open. Valid until stop. */
const char *bt_supply_sim_path(const struct bt_supply_sim *s);
/* Highest current-sample rate this personality can give (Hz), from its timing. */
double bt_supply_sim_max_rate(const struct bt_supply_sim *s);
/* Counters: replies sent, commands dropped on purpose (busy window or DROP fault). */
void bt_supply_sim_counts(const struct bt_supply_sim *s, unsigned long *replies,
			  unsigned long *dropped);
/* Commands received that would have changed a setting of the real unit (a set point, the
 * output, a meter's threshold or screen): the probes are read-only, so this stays 0. */
unsigned long bt_supply_sim_settings(const struct bt_supply_sim *s);
/* True while the device is in remote mode (SCPI SYST:REM / SYST:RWL not yet undone by SYST:LOC). */
bool bt_supply_sim_remote(const struct bt_supply_sim *s);
void bt_supply_sim_stop(struct bt_supply_sim *s);

#endif
