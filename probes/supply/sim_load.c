/* sim_load.c — see sim_load.h. SIMULATION DATA: staircase after research 7 [64], take-off
 * current and boot-loop cycle after fault-knowledge 6 [S87], short after [S83]. */
#include "supply/sim_load.h"

#include <string.h>

#include "core/err.h"

#define PRESS_S 2.0
#define STEP_S 1.5

/* Boot staircase of an iPhone 6/6S-class board as described in [64] (mA). */
static const double normal_steps[] = { 40, 80, 120, 220, 350, 500, 200, 700, 1000 };
/* One boot-loop cycle [S87]: level (mA) and how long it lasts (s); period 4 s. */
static const double loop_cycle[][2] = { { 50, 1.0 }, { 100, 0.8 }, { 180, 1.2 }, { 0, 1.0 } };
#define PLATEAU_MA 70.0
#define SHORT_MA 5000.0

static const char *const names[BT_SCN_COUNT] = { "off", "normal", "plateau", "bootloop", "short" };

int bt_scenario_parse(const char *name, enum bt_scenario *out)
{
	for (int i = 0; i < BT_SCN_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum bt_scenario)i;
			return BT_OK;
		}
	if (strcmp(name, "boot_loop") == 0 || strcmp(name, "normal_boot") == 0) {
		*out = name[0] == 'b' ? BT_SCN_BOOTLOOP : BT_SCN_NORMAL;
		return BT_OK;
	}
	return BT_ERR_ARG;
}

const char *bt_scenario_name(enum bt_scenario s)
{
	return (s >= 0 && s < BT_SCN_COUNT) ? names[s] : "?";
}

const char *bt_scenario_names(void) { return "off, normal, plateau, bootloop, short"; }

double bt_scenario_current(enum bt_scenario s, double t)
{
	if (t < 0)
		return 0;
	switch (s) {
	case BT_SCN_NORMAL: {
		if (t < PRESS_S)
			return 0;
		size_t k = (size_t)((t - PRESS_S) / STEP_S);
		size_t n = sizeof normal_steps / sizeof normal_steps[0];
		return normal_steps[k < n ? k : n - 1] / 1000.0;
	}
	case BT_SCN_PLATEAU:
		if (t < PRESS_S)
			return 0;
		return (t < PRESS_S + 0.5 ? 40.0 : PLATEAU_MA) / 1000.0;
	case BT_SCN_BOOTLOOP: {
		if (t < PRESS_S)
			return 0;
		double period = 0;
		for (size_t i = 0; i < 4; i++)
			period += loop_cycle[i][1];
		double ph = t - PRESS_S;
		ph -= period * (double)(long)(ph / period);
		for (size_t i = 0; i < 4; i++) {
			if (ph < loop_cycle[i][1])
				return loop_cycle[i][0] / 1000.0;
			ph -= loop_cycle[i][1];
		}
		return 0;
	}
	case BT_SCN_SHORT:
		return SHORT_MA / 1000.0;
	case BT_SCN_OFF:
	default:
		return 0;
	}
}

void bt_scenario_truth(enum bt_scenario s, struct bt_scenario_truth *out)
{
	memset(out, 0, sizeof *out);
	out->pattern = s == BT_SCN_NORMAL ? "normal_boot" : s == BT_SCN_PLATEAU ? "plateau"
		: s == BT_SCN_BOOTLOOP ? "boot_loop" : s == BT_SCN_SHORT ? "short" : "off";
	out->press_s = (s == BT_SCN_SHORT || s == BT_SCN_OFF) ? 0 : PRESS_S;
	switch (s) {
	case BT_SCN_NORMAL:
		out->peak_ma = 1000;
		out->steps = (int)(sizeof normal_steps / sizeof normal_steps[0]);
		break;
	case BT_SCN_PLATEAU:
		out->level_ma = PLATEAU_MA;
		out->peak_ma = PLATEAU_MA;
		out->steps = 2;
		break;
	case BT_SCN_BOOTLOOP:
		out->period_s = 4.0;
		out->peak_ma = 180;
		out->steps = 3;
		break;
	case BT_SCN_SHORT:
		out->peak_ma = SHORT_MA;
		out->steps = 1;
		break;
	default:
		break;
	}
}
