/* supply.c — the bt_supply handle: transport + driver, auto-detection, reconnection. */
#include "supply/supply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "supply/driver.h"

struct bt_supply {
	char *port;
	char *profile;
	struct bt_supply_opts opts;
	const struct bt_supply_driver *drv;
	struct bt_transport *t;
	void *state;
	struct bt_supply_info info;
};

/* Auto-detection order matters: a UM meter takes bytes 0xA0-0xF4 as settings (0xB0-0xCE set its
 * recording threshold [49]), and a Modbus read frame carries such bytes (the DPS probe's CRC is
 * B5 C9). So the UM probe (one 0xF0, which a Korad or a Modbus unit ignores as garbage) runs
 * right after Korad's ASCII query and before any Modbus frame. */
static const struct bt_supply_driver *const drivers[] = { &bt_drv_korad, &bt_drv_um, &bt_drv_riden,
							  &bt_drv_dps, &bt_drv_scpi };

const char *bt_supply_driver_names(void) { return "korad, um, riden, dps, scpi, auto"; }

int bt_supply_parse_baud(const char *s, unsigned *out)
{
	unsigned long v = 0;
	if (!s || !*s)
		return BT_ERR_ARG;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > 4000000)
			return BT_ERR_ARG;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 300 || v > 4000000)
		return BT_ERR_ARG;
	*out = (unsigned)v;
	return BT_OK;
}

static int try_driver(struct bt_supply *s, const struct bt_supply_driver *d, char *err, size_t errlen)
{
	bt_transport_set_baud(s->t, s->opts.baud ? s->opts.baud : d->baud);
	memset(&s->info, 0, sizeof s->info);
	int rc = d->probe(s->t, &s->opts, &s->state, &s->info, err, errlen);
	if (rc == BT_OK) {
		s->drv = d;
		snprintf(s->info.driver, sizeof s->info.driver, "%s", d->name);
		if (s->info.resolution_a >= 0.01 - 1e-9)
			s->info.coarse = true;
	}
	return rc;
}

int bt_supply_open(const char *port, const struct bt_supply_opts *o, struct bt_supply **out,
		   char *errbuf, size_t errlen)
{
	*out = NULL;
	const char *want = (o && o->driver) ? o->driver : "auto";
	const struct bt_supply_driver *only = NULL;
	if (strcmp(want, "auto") != 0) {
		for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
			if (strcmp(want, drivers[i]->name) == 0)
				only = drivers[i];
		if (!only) {
			snprintf(errbuf, errlen, "unknown driver '%s' (known: %s)", want, bt_supply_driver_names());
			return BT_ERR_ARG;
		}
	}
	struct bt_supply *s = bt_xcalloc(1, sizeof *s);
	s->port = bt_xstrdup(port);
	s->profile = bt_xstrdup(o ? o->scpi_profile : NULL);
	s->opts.driver = want;
	s->opts.scpi_profile = s->profile;
	s->opts.baud = o ? o->baud : 0;
	int rc = bt_transport_open(port, only ? only->baud : 9600, &s->t, errbuf, errlen);
	if (rc != BT_OK) {
		bt_supply_close(s);
		return rc;
	}
	if (only) {
		rc = try_driver(s, only, errbuf, errlen);
	} else {
		/* Read-only identification queries, one family after another. SCPI only when the
		 * technician gave a profile: guessing text commands at an unknown device is not
		 * read-only enough. */
		char msg[160];
		rc = BT_ERR_NODEV;
		for (size_t i = 0; i < sizeof drivers / sizeof drivers[0] && rc != BT_OK; i++) {
			if (drivers[i] == &bt_drv_scpi && !s->profile)
				continue;
			rc = try_driver(s, drivers[i], msg, sizeof msg);
			if (rc == BT_ERR_GONE || rc == BT_ERR_IO || rc == BT_ERR_DATA) {
				snprintf(errbuf, errlen, "%s: %s", port, msg);
				break;
			}
			bt_transport_flush_input(s->t, 60);
		}
		if (rc == BT_ERR_NODEV)
			snprintf(errbuf, errlen, "%s: no known supply or meter answered (tried %s)", port,
				 s->profile ? "korad, um, riden, dps, scpi" : "korad, um, riden, dps");
	}
	if (rc != BT_OK) {
		if (only && rc != BT_ERR_DATA) {
			char tmp[200];
			snprintf(tmp, sizeof tmp, "%s", errbuf);
			snprintf(errbuf, errlen, "%s: %s", port, tmp);
		}
		bt_supply_close(s);
		return rc;
	}
	*out = s;
	return BT_OK;
}

void bt_supply_close(struct bt_supply *s)
{
	if (!s)
		return;
	if (s->drv && s->state) {
		if (s->drv->release && s->t)
			s->drv->release(s->state, s->t);
		s->drv->free(s->state);
	}
	bt_transport_close(s->t);
	free(s->port);
	free(s->profile);
	free(s);
}

const struct bt_supply_info *bt_supply_get_info(const struct bt_supply *s) { return &s->info; }

int bt_supply_read(struct bt_supply *s, struct bt_supply_reading *r)
{
	if (!s->t)
		return BT_ERR_GONE;
	int rc = s->drv->read(s->state, s->t, r);
	if (rc == BT_ERR_GONE || rc == BT_ERR_IO) {
		bt_transport_close(s->t);
		s->t = NULL;
		return BT_ERR_GONE;
	}
	return rc;
}

int bt_supply_reconnect(struct bt_supply *s)
{
	char err[200];
	if (s->t) {
		bt_transport_close(s->t);
		s->t = NULL;
	}
	int rc = bt_transport_open(s->port, s->drv->baud, &s->t, err, sizeof err);
	if (rc != BT_OK)
		return rc;
	void *state = NULL;
	struct bt_supply_info info;
	memset(&info, 0, sizeof info);
	rc = s->drv->probe(s->t, &s->opts, &state, &info, err, sizeof err);
	if (rc != BT_OK) {
		bt_transport_close(s->t);
		s->t = NULL;
		return rc == BT_ERR_NODEV ? BT_ERR_NODEV : BT_ERR_IO;
	}
	s->drv->free(s->state);
	s->state = state;
	return BT_OK;
}
