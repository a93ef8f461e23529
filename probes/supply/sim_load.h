/* sim_load.h — load scenarios for the supply simulators: the current a board on the bench would
 * draw over time. The shapes come from repair-training material (research 7; fault-knowledge 6);
 * every number here is SIMULATION DATA chosen inside those ranges, not a measured fact. */
#ifndef BT_SUPPLY_SIM_LOAD_H
#define BT_SUPPLY_SIM_LOAD_H

#include <stddef.h>

enum bt_scenario {
	BT_SCN_OFF,       /* nothing connected, or a dead board: 0 A */
	BT_SCN_NORMAL,    /* power key at 2 s, then the boot staircase up to about 1 A */
	BT_SCN_PLATEAU,   /* "constant current" fault: rises and sticks at 70 mA */
	BT_SCN_BOOTLOOP,  /* "current jump" fault: 50 -> 100 -> 180 -> 0 mA, every 4 s */
	BT_SCN_SHORT,     /* main-rail short: draws from plug-in, clamped by the current limit */
	BT_SCN_COUNT
};

/* What a scenario should look like to the analysis (for tests and docs). */
struct bt_scenario_truth {
	const char *pattern;  /* supply.pattern value */
	double level_ma;      /* plateau level, 0 when none */
	double period_s;      /* boot-loop period, 0 when none */
	double peak_ma;       /* highest demand (before any limit) */
	double press_s;       /* when the power key is "pressed"; 0 for a short */
	int steps;            /* distinct staircase levels */
};

int bt_scenario_parse(const char *name, enum bt_scenario *out); /* BT_OK or BT_ERR_ARG */
const char *bt_scenario_name(enum bt_scenario s);
/* Comma-separated list of names, for usage text. */
const char *bt_scenario_names(void);
/* Demand in amps at scenario time t (seconds from plug-in), before the supply's limit. */
double bt_scenario_current(enum bt_scenario s, double t);
void bt_scenario_truth(enum bt_scenario s, struct bt_scenario_truth *out);

#endif
