/* driver.h — the table every supply driver fills (internal to probes/supply/). A driver keeps
 * its own state; the transport belongs to the bt_supply handle. */
#ifndef BT_SUPPLY_DRIVER_H
#define BT_SUPPLY_DRIVER_H

#include <stddef.h>

#include "supply/supply.h"
#include "supply/transport.h"

struct bt_supply_driver {
	const char *name;
	unsigned baud;
	/* Identify with read-only queries. BT_OK and *state set, or BT_ERR_NODEV when the device
	 * does not answer like this family, BT_ERR_GONE/BT_ERR_IO on transport trouble. */
	int (*probe)(struct bt_transport *t, const struct bt_supply_opts *o, void **state,
		     struct bt_supply_info *info, char *err, size_t errlen);
	/* One reading; see bt_supply_read. */
	int (*read)(void *state, struct bt_transport *t, struct bt_supply_reading *r);
	/* Hands the front panel back before the port closes (SCPI's SYST:LOC after SYST:REM or
	 * SYST:RWL); NULL when the family has nothing to hand back. Never changes a setting. */
	void (*release)(void *state, struct bt_transport *t);
	void (*free)(void *state);
};

extern const struct bt_supply_driver bt_drv_korad;
extern const struct bt_supply_driver bt_drv_riden;
extern const struct bt_supply_driver bt_drv_dps;
extern const struct bt_supply_driver bt_drv_um;
extern const struct bt_supply_driver bt_drv_scpi;

/* Waits until at least gap_ms have passed since *last (monotonic seconds), then leaves *last
 * alone; callers set *last = bt_mono_now() at the end of each exchange. */
void bt_pace(double last, int gap_ms);

#endif
