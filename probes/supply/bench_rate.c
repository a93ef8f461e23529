/* bench_rate.c — see bench_rate.h. */
#include "supply/bench_rate.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "supply/sampler.h"
#include "supply/sim.h"
#include "supply/transport.h"

int bt_supply_bench_rate(const char *driver, double seconds, struct bt_supply_rate *out,
			 char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct bt_sim_opts o;
	bt_sim_opts_default(&o);
	o.driver = driver;
	o.scenario = BT_SCN_PLATEAU;
	struct bt_supply_sim *sim;
	int rc = bt_supply_sim_start_opts(&o, &sim, err, errlen);
	if (rc != BT_OK)
		return rc;
	struct bt_supply_opts so = { driver, NULL, 0 };
	struct bt_supply *s;
	rc = bt_supply_open(bt_supply_sim_path(sim), &so, &s, err, errlen);
	if (rc != BT_OK) {
		bt_supply_sim_stop(sim);
		return rc;
	}
	const struct bt_supply_info *info = bt_supply_get_info(s);
	snprintf(out->driver, sizeof out->driver, "%s", info->driver);
	snprintf(out->model, sizeof out->model, "%s", info->model);
	out->nominal_hz = info->nominal_rate_hz;
	struct bt_sampler *sm = bt_sampler_new(s);
	double end = bt_mono_now() + seconds;
	while (bt_mono_now() < end) {
		struct bt_sample x;
		bt_sampler_step(sm, &x);
	}
	struct bt_sampler_stats st;
	bt_sampler_get_stats(sm, &st);
	out->achieved_hz = st.rate_hz;
	out->values = st.values;
	out->missed = st.missed;
	out->max_hz = bt_supply_sim_max_rate(sim);
	bt_sampler_free(sm);
	bt_supply_sim_stop(sim);
	return BT_OK;
}
