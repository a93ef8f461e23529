/* supply.h — a bench supply or USB meter, read-only: open a port, identify the device, read
 * current (and voltage when the device gives it).
 *
 * Drivers: "korad" (KAxxxxP and rebrands), "riden" (RD60xx, Modbus), "dps" (RDTech DPS/DPH,
 * Modbus), "um" (UM24C/25C/34C meters), "scpi" (generic text, configured by a profile file),
 * "auto" (tries them in that order with read-only queries only). No driver ever sets voltage,
 * current or output, or recalls a memory. The handle owns its transport. Nothing here prints. */
#ifndef BT_SUPPLY_SUPPLY_H
#define BT_SUPPLY_SUPPLY_H

#include <stdbool.h>
#include <stddef.h>

struct bt_supply; /* opaque */

struct bt_supply_opts {
	const char *driver;        /* name above; NULL means "auto" */
	const char *scpi_profile;  /* profile file for "scpi"; NULL uses the Owon SPE preset */
	unsigned baud;             /* the line speed set on the unit's menu; 0: each family's own
				      (Riden: 115200, then 9600), or the SCPI profile's */
};

struct bt_supply_info {
	char driver[8];            /* the driver that answered */
	char model[64];            /* e.g. "Korad KA3005P V5.5", "RD6006P", "UM25C" */
	double resolution_a;       /* current resolution (0.001 = 1 mA) */
	double nominal_rate_hz;    /* what the research notes say this family can deliver */
	double limit_a;            /* current limit read from the device, < 0 when unknown */
	bool coarse;               /* resolution too coarse for boot-current levels (>= 10 mA) */
	bool slow;                 /* a unit that needs extra spacing (Korad V1.3) */
};

struct bt_supply_reading {
	double current_a;
	double voltage_v;          /* NAN when not read in this exchange */
	int cc;                    /* 1 constant current (at the limit), 0 constant voltage, -1 unknown */
	int output;                /* 1 on, 0 off, -1 unknown */
};

/* Opens port, identifies the device with read-only queries. BT_OK, BT_ERR_NODEV (no port, or
 * nothing that answers like the asked driver), BT_ERR_IO, BT_ERR_ARG (unknown driver),
 * BT_ERR_DATA (bad SCPI profile; errbuf names file:line). */
/* "9600", "19200", ...: a line speed of 300 to 4000000 baud. BT_OK or BT_ERR_ARG. */
int bt_supply_parse_baud(const char *s, unsigned *out);

int bt_supply_open(const char *port, const struct bt_supply_opts *o, struct bt_supply **out,
		   char *errbuf, size_t errlen);
void bt_supply_close(struct bt_supply *s);
const struct bt_supply_info *bt_supply_get_info(const struct bt_supply *s);
/* One current reading, paced as the device needs (this call may sleep for the pacing gap).
 * BT_OK; BT_ERR_TIMEOUT or BT_ERR_DATA mean "no sample this time" (never a zero);
 * BT_ERR_GONE means the port vanished (call bt_supply_reconnect). */
int bt_supply_read(struct bt_supply *s, struct bt_supply_reading *r);
/* After BT_ERR_GONE: tries once to reopen the same port with the same driver. BT_OK or
 * BT_ERR_NODEV/BT_ERR_IO (try again later). */
int bt_supply_reconnect(struct bt_supply *s);
/* Names accepted by opts.driver, for usage text. */
const char *bt_supply_driver_names(void);

#endif
