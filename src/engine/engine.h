/* engine.h — the scoring engine (DESIGN.md "The engine").
 *
 * Hypotheses are mutually exclusive primary faults with fixed ids (usb_link, host, firmware,
 * nand, earpiece_flex, audio_ic, baseband, nfc_se, charge_port, logic_board, none, plus
 * board-specific ones). A board's priors times the likelihood ratios of the rules that match
 * the evidence give posteriors; every hypothesis carries the evidence that moved it. Open
 * guided tests are ranked by how well they separate the leaders, weighted by cost and risk.
 * Pure: no I/O, no clock, no globals. The diagnosis owns its memory. */
#ifndef BT_ENGINE_ENGINE_H
#define BT_ENGINE_ENGINE_H

#include <stddef.h>

#include "core/evidence.h"
#include "engine/board.h"

struct bt_contrib {
	const char *rule;      /* rule id */
	const char *key;       /* evidence key that matched */
	const char *value;     /* its value */
	const char *origin;    /* "file:line" or "probe@t" */
	double lr;             /* likelihood ratio applied (>1 raises, <1 lowers) */
	const char *source;    /* the rule's source citation */
	const char *confidence;/* well|single|folklore|unverified */
	const char *why;       /* one sentence for "why?" */
};

struct bt_hypothesis {
	const char *id;        /* "nand" */
	const char *title;     /* "NAND (storage chip or its bus)" */
	double prior;
	double probability;    /* posterior, sums to 1 over all hypotheses */
	size_t ncontribs;
	const struct bt_contrib *contribs;
};

struct bt_next_test {
	const char *id;        /* "front_flex_disconnect" */
	const char *title;
	double value;          /* expected separation per unit cost, higher first */
	const char *cost;      /* "low", "medium", "high" */
	const char *risk;      /* "none", "erases data", ... */
	/* added by the engine helper */
	double gain_bits;      /* expected entropy reduction over the hypotheses, in bits */
	double minutes;        /* rough bench time the profile gives */
	int data_loss;         /* 1 when the test erases user data */
	const char *why;       /* which leaders it separates, one line */
};

struct bt_diagnosis {
	const char *board;           /* profile name used, or NULL when none */
	size_t nhyp;
	const struct bt_hypothesis *hyp;  /* sorted, most probable first */
	size_t ntests;
	const struct bt_next_test *tests; /* ranked */
	/* added by the engine helper */
	size_t ndone;                     /* guided tests already recorded (test.<id> evidence) */
	const char *const *done;          /* their ids */
};

/* board may be NULL (generic priors + common rules). Caller frees with bt_diagnosis_free. */
struct bt_diagnosis *bt_engine_run(const struct bt_boards *set, const struct bt_board *board,
				   const struct bt_evset *evidence);
void bt_diagnosis_free(struct bt_diagnosis *d);

#endif
