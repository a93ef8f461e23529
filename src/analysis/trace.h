/* trace.h — a current trace (time, current, voltage) and what it shows.
 *
 * The analysis reads the shape of the boot current the way a technician reads the supply's
 * display (research: fault-knowledge 6, fault-rules-draft C): nothing drawn; a short drawing at
 * plug-in; a plateau (the boot stops at one level); a boot loop (current returns to zero again
 * and again); a normal boot staircase. It states the sample rate and resolution it saw, and
 * claims nothing finer than they allow: no period shorter than four sample intervals, no level
 * held for fewer than two samples. Per-board expectations come only from a profile's sourced
 * take-off level (bt_trace_board_evidence). Pure: no I/O, no printing. */
#ifndef BT_ANALYSIS_TRACE_H
#define BT_ANALYSIS_TRACE_H

#include <stddef.h>

#include "core/evidence.h"

#define BT_TRACE_MAX_SAMPLES 2000000 /* about 2.3 days at 10 Hz; more is refused */

struct bt_trace; /* opaque; owns its samples */

struct bt_trace *bt_trace_new(void);
void bt_trace_free(struct bt_trace *t);
/* Appends a sample (voltage may be NAN). BT_OK, or BT_ERR_DATA past BT_TRACE_MAX_SAMPLES. */
int bt_trace_add(struct bt_trace *t, double time_s, double current_a, double voltage_v);
size_t bt_trace_count(const struct bt_trace *t);

struct bt_trace_result {
	const char *pattern;   /* off|normal_boot|plateau|boot_loop|short|unknown (static) */
	size_t samples;
	double duration_s;
	double rate_hz;        /* samples per second over the trace; 0 when under 2 samples */
	double resolution_ma;  /* smallest step between readings, snapped to 0.1/1/10; NAN unknown */
	double peak_ma;
	double prepress_ma;    /* draw at plug-in (first half second); 0 when none */
	double level_ma;       /* plateau or short level; NAN when none */
	double level_start_s;
	double plateau_s;      /* how long the level held; NAN when none */
	double period_s;       /* boot-loop period; NAN when none or not claimable */
	int cycles;            /* boot-loop rises seen */
	int stage;             /* stable levels reached after the rise (staircase steps) */
	double stage_ma;       /* the last stable level */
	int period_too_fast;   /* 1: cycles seen but the rate cannot support a period claim */
	double takeoff_ma;     /* first stable level after the first rise; NAN when none */
};

/* limit_a: the supply's current limit when known (< 0 otherwise); a flat draw within 3 % of it
 * from plug-in is a short even below the generic 300 mA level. */
void bt_trace_analyze(const struct bt_trace *t, double limit_a, struct bt_trace_result *r);
/* Adds supply.* evidence for r (source: a file path or "supply"). */
void bt_trace_evidence(const struct bt_trace_result *r, const char *source, struct bt_evset *set);

struct bt_board;
/* Board-relative evidence, only where the board profile gives a sourced take-off level
 * (boards/<name>.ini [current.takeoff] typical_ma): supply.takeoff_low = yes|no, "yes" when
 * the take-off level is under half the board's normal one (the "small current" fault of
 * research [62]). Adds nothing when board is NULL or gives no level. */
void bt_trace_board_evidence(const struct bt_trace_result *r, const struct bt_board *board,
			     const char *source, struct bt_evset *set);

#endif
