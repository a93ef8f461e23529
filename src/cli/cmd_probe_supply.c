/* cmd_probe_supply.c — `benchtriage probe supply`: stream a supply's current to the terminal and
 * optionally a CSV (`time_s,current_a,voltage_v`, time from the first sample), from a real port,
 * a pty, tcp:HOST:PORT, or a built-in simulator (--simulate). Read-only: it never sets anything.
 *
 *   probe supply --port P [--driver korad|riden|dps|um|scpi|auto] [--baud N] [--seconds N] [--csv FILE]
 *                [--profile FILE] [--simulate SCENARIO [--faults LIST] [--model M]]
 *   probe supply --bench-rate [--seconds N]   achieved rate vs each simulator's ceiling
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/trace.h"
#include "cli/commands.h"
#include "cli/diag.h"
#include "core/err.h"
#include "core/evidence.h"
#include "supply/bench_rate.h"
#include "supply/sampler.h"
#include "supply/sim.h"
#include "supply/supply.h"
#include "supply/transport.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct opts {
	const char *port, *driver, *csv, *simulate, *faults, *model, *profile;
	double seconds;
	unsigned baud;
	bool bench;
};

static int usage(void)
{
	bt_diag("usage: probe supply --port P [--driver %s] [--baud N] [--seconds N] [--csv FILE] "
		"[--profile FILE] [--simulate SCENARIO [--faults LIST] [--model M]] | --bench-rate",
		bt_supply_driver_names());
	return BT_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--bench-rate") == 0) {
			o->bench = true;
			continue;
		}
		const char **dst = !strcmp(a, "--port") ? &o->port : !strcmp(a, "--driver") ? &o->driver
			: !strcmp(a, "--csv") ? &o->csv : !strcmp(a, "--simulate") ? &o->simulate
			: !strcmp(a, "--faults") ? &o->faults : !strcmp(a, "--model") ? &o->model
			: !strcmp(a, "--profile") ? &o->profile : NULL;
		bool secs = !strcmp(a, "--seconds"), baud = !strcmp(a, "--baud");
		if ((!dst && !secs && !baud) || i + 1 >= argc) {
			bt_diag("probe supply: %s '%s'", dst || secs || baud ? "missing value for" : "unknown option", a);
			return usage();
		}
		const char *v = argv[++i];
		if (baud) {
			if (bt_supply_parse_baud(v, &o->baud) != BT_OK) {
				bt_diag("probe supply: --baud wants a line speed (300 to 4000000), not '%s'", v);
				return BT_EXIT_USAGE;
			}
		} else if (secs) {
			char *end;
			errno = 0;
			o->seconds = strtod(v, &end);
			if (errno || *end || !(o->seconds > 0) || o->seconds > 7 * 86400) {
				bt_diag("probe supply: --seconds wants a positive number, not '%s'", v);
				return BT_EXIT_USAGE;
			}
		} else {
			*dst = v;
		}
	}
	if (o->bench)
		return BT_EXIT_OK;
	if (o->simulate && o->port) {
		bt_diag("probe supply: give --port or --simulate, not both");
		return BT_EXIT_USAGE;
	}
	if (!o->simulate && !o->port)
		return usage();
	if ((o->faults || o->model) && !o->simulate) {
		bt_diag("probe supply: --faults and --model only apply to --simulate");
		return BT_EXIT_USAGE;
	}
	return BT_EXIT_OK;
}

static int bench(const struct opts *o)
{
	static const char *const drivers[] = { "korad", "riden", "dps", "um", "scpi" };
	double secs = o->seconds > 0 ? o->seconds : 5;
	printf("# achieved current-sample rate against each simulator's ceiling (%.0f s each)\n", secs);
	printf("%-6s %-34s %9s %9s %6s %9s %7s\n", "driver", "model", "achieved", "sim max", "ratio",
	       "real fam.", "missed");
	int status = BT_EXIT_OK;
	for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
		struct bt_supply_rate r;
		char err[200];
		int rc = bt_supply_bench_rate(drivers[i], secs, &r, err, sizeof err);
		if (rc != BT_OK) {
			bt_diag("bench %s: %s", drivers[i], err);
			status = bt_err_exit_status(rc);
			continue;
		}
		char nominal[16] = "unknown";
		if (r.nominal_hz > 0)
			snprintf(nominal, sizeof nominal, "%.1f Hz", r.nominal_hz);
		printf("%-6s %-34.34s %6.2f Hz %6.2f Hz %5.0f%% %9s %7lu\n", r.driver, r.model, r.achieved_hz,
		       r.max_hz, r.max_hz > 0 ? 100 * r.achieved_hz / r.max_hz : 0, nominal, r.missed);
		fflush(stdout);
	}
	return status;
}

int bt_cmd_probe_supply(int argc, char **argv)
{
	struct opts o;
	int st = parse(argc, argv, &o);
	if (st != BT_EXIT_OK)
		return st;
	if (o.bench)
		return bench(&o);
	char err[300];
	struct bt_supply_sim *sim = NULL;
	const char *port = o.port;
	const char *driver = o.driver;
	if (o.simulate) {
		struct bt_sim_opts so;
		bt_sim_opts_default(&so);
		if (bt_scenario_parse(o.simulate, &so.scenario) != BT_OK) {
			bt_diag("probe supply: unknown scenario '%s' (known: %s)", o.simulate, bt_scenario_names());
			return BT_EXIT_USAGE;
		}
		if (bt_sim_faults_parse(o.faults, &so.faults) != BT_OK) {
			bt_diag("probe supply: unknown fault in '%s' (known: %s)", o.faults, bt_sim_fault_names());
			return BT_EXIT_USAGE;
		}
		so.driver = (!driver || !strcmp(driver, "auto")) ? "korad" : driver;
		so.model = o.model;
		int rc = bt_supply_sim_start_opts(&so, &sim, err, sizeof err);
		if (rc != BT_OK) {
			bt_diag("probe supply: %s", err);
			return rc == BT_ERR_ARG ? BT_EXIT_USAGE : BT_EXIT_NODEV;
		}
		port = bt_supply_sim_path(sim);
	}
	struct bt_supply_opts sopts = { driver ? driver : "auto", o.profile, o.baud };
	struct bt_supply *s;
	int rc = bt_supply_open(port, &sopts, &s, err, sizeof err);
	if (rc != BT_OK) {
		bt_diag("%s", err);
		bt_supply_sim_stop(sim);
		return rc == BT_ERR_ARG ? BT_EXIT_USAGE : rc == BT_ERR_DATA ? BT_EXIT_INPUT : BT_EXIT_NODEV;
	}
	FILE *csv = NULL;
	if (o.csv) {
		csv = fopen(o.csv, "w");
		if (!csv) {
			bt_diag("%s: %s", o.csv, strerror(errno));
			bt_supply_close(s);
			bt_supply_sim_stop(sim);
			return BT_EXIT_INPUT;
		}
		fputs("time_s,current_a,voltage_v\n", csv);
	}
	struct bt_sampler *sm = bt_sampler_new(s);
	const struct bt_supply_info *info = bt_sampler_info(sm);
	printf("# %s%s via %s driver on %s\n", sim ? "SIMULATED " : "", info->model, info->driver,
	       sim ? o.simulate : port);
	printf("# resolution %g mA%s%s; nominal rate %s; read-only (front panel may be locked)\n",
	       info->resolution_a * 1000, info->coarse ? " (too coarse to tell 30/50/80 mA apart)" : "",
	       info->slow ? ", slow unit" : "",
	       info->nominal_rate_hz > 0 ? "from the notes" : "unknown");
	if (info->limit_a > 0)
		printf("# current limit %.3f A\n", info->limit_a);
	printf("#   time_s  current_mA  voltage_V\n");
	fflush(stdout);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct bt_trace *trace = bt_trace_new();
	double t_first = -1, start = bt_mono_now();
	bool absent = false;
	while (!interrupted && (o.seconds <= 0 || bt_mono_now() - start < o.seconds)) {
		struct bt_sample x;
		bt_sampler_step(sm, &x);
		switch (x.kind) {
		case BT_SAMPLE_VALUE: {
			if (t_first < 0)
				t_first = x.t;
			double t = x.t - t_first;
			char vbuf[16] = "";
			if (!isnan(x.voltage_v))
				snprintf(vbuf, sizeof vbuf, "%.3f", x.voltage_v);
			printf("%10.3f  %10.1f  %9s%s%s\n", t, x.current_a * 1000, vbuf[0] ? vbuf : "-",
			       x.cc == 1 ? "  CC (at the limit)" : "", x.stale ? "  stale?" : "");
			if (csv) {
				fprintf(csv, "%.3f,%.4f,%s\n", t, x.current_a, vbuf);
				fflush(csv); /* a pulled plug or a crash keeps what was measured */
			}
			if (bt_trace_count(trace) < BT_TRACE_MAX_SAMPLES)
				bt_trace_add(trace, t, x.current_a, x.voltage_v);
			break;
		}
		case BT_SAMPLE_MISSED:
			printf("%10.3f  no sample (no answer in time)\n", t_first < 0 ? 0 : x.t - t_first);
			break;
		case BT_SAMPLE_UNPLUGGED:
			absent = true;
			printf("# %.3f s: the supply vanished; waiting for it to come back\n",
			       t_first < 0 ? 0 : x.t - t_first);
			break;
		case BT_SAMPLE_RECONNECTED:
			absent = false;
			printf("# %.3f s: the supply is back\n", t_first < 0 ? 0 : x.t - t_first);
			break;
		case BT_SAMPLE_ABSENT:
			break;
		}
		fflush(stdout);
	}
	struct bt_sampler_stats stt;
	bt_sampler_get_stats(sm, &stt);
	printf("# %lu samples, %.2f Hz achieved, %lu missed, %lu stale, %lu unplugged\n", stt.values,
	       stt.rate_hz, stt.missed, stt.stale, stt.unplugs);
	if (stt.rate_hz > 0)
		printf("# events shorter than about %.2f s (two sample intervals) can be missed or mis-shaped\n",
		       2.0 / stt.rate_hz);
	struct bt_trace_result r;
	bt_trace_analyze(trace, info->limit_a, &r);
	struct bt_evset *set = bt_evset_new();
	bt_trace_evidence(&r, "supply", set);
	for (size_t i = 0; i < bt_evset_count(set); i++) {
		const struct bt_evidence *e = bt_evset_at(set, i);
		printf("# %s = %s\n", e->key, e->value);
	}
	bt_evset_free(set);
	bt_trace_free(trace);
	int status = BT_EXIT_OK;
	if (csv && fclose(csv) != 0) {
		bt_diag("%s: %s", o.csv, strerror(errno));
		status = BT_EXIT_INPUT;
	}
	if (absent) {
		bt_diag("%s: the supply stopped answering and did not come back", port);
		status = BT_EXIT_GONE;
	} else if (stt.values == 0 && status == BT_EXIT_OK) {
		bt_diag("%s: the supply gave no readings", port);
		status = BT_EXIT_GONE;
	}
	bt_sampler_free(sm);
	bt_supply_sim_stop(sim);
	return status;
}
