/* bench_rate.h — the sampling-rate benchmark (issue 7): each driver against its simulator,
 * achieved current-sample rate versus the simulator's own ceiling. Runs in real time. */
#ifndef BT_SUPPLY_BENCH_RATE_H
#define BT_SUPPLY_BENCH_RATE_H

#include <stddef.h>

struct bt_supply_rate {
	char driver[8];
	char model[64];
	double achieved_hz;   /* values per second the sampler got */
	double max_hz;        /* the simulator personality's ceiling for current samples */
	double nominal_hz;    /* what the research notes give for the real family (0 unknown) */
	unsigned long values, missed;
};

/* Measures one driver ("korad", "riden", "dps", "um", "scpi") for seconds. BT_OK or an error
 * with a message in err. */
int bt_supply_bench_rate(const char *driver, double seconds, struct bt_supply_rate *out,
			 char *err, size_t errlen);

#endif
