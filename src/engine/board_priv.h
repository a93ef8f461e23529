/* board_priv.h — the in-memory model of loaded profiles, shared by the loader (board_load.c),
 * the accessors (board.c) and the engine (engine.c). Not for use outside src/engine/.
 *
 * Ownership: a bt_boards owns its boards; a board owns every string and array below. */
#ifndef BT_ENGINE_BOARD_PRIV_H
#define BT_ENGINE_BOARD_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/board.h"

enum bt_pred_op {
	BT_PRED_EQ,       /* key = value (case-insensitive) */
	BT_PRED_NE,       /* key != value: no item of the key equals value (absent counts) */
	BT_PRED_IN,       /* key in a|b|c */
	BT_PRED_RANGE,    /* key in lo..hi (numeric, inclusive) */
	BT_PRED_GE,       /* key >= n */
	BT_PRED_LE,       /* key <= n */
	BT_PRED_GT,
	BT_PRED_LT,
	BT_PRED_CONTAINS, /* key contains text (case-insensitive) */
	BT_PRED_PRESENT,  /* key present */
	BT_PRED_ABSENT    /* key absent (used to gate, never to conclude health) */
};

struct bt_pred {
	char *key;
	enum bt_pred_op op;
	char *text;       /* EQ, NE, CONTAINS */
	char **set;       /* IN */
	size_t nset;
	double lo, hi;    /* RANGE, GE, LE, GT, LT */
};

struct bt_rule {
	char *id;
	struct bt_pred *preds; /* all must hold */
	size_t npreds;
	char *hyp;
	double lr;
	char *source;
	enum bt_confidence confidence;
	char *why;
	char **tags;      /* the board must have every tag ("modem:*" matches any modem) */
	size_t ntags;
	char *group;      /* among matching rules of one group, only the first applies */
	char *origin;     /* "file:line" */
	/* loader bookkeeping */
	bool has_when, has_hyp, has_lr, has_conf;
};

struct bt_hypdef {
	char *id;
	char *title;
	double prior;     /* < 0 when not given */
	char **tags;      /* only on boards with these tags (kept on unknown boards) */
	size_t ntags;
	char *source;
	char *origin;
};

struct bt_prior {
	char *hyp;
	double p;
	char *origin;
};

struct bt_test_priv {
	struct bt_guided_test pub;
	char **tags;
	size_t ntags;
	struct bt_pred *when;  /* offered only while these hold (none: always) */
	size_t nwhen;
	/* owned storage behind pub */
	char **steps;
	struct bt_test_outcome *outcomes;
	bool has_cost, has_risk;
};

struct bt_board {
	char *name, *title, *file, *source;
	bool is_common;
	int format;
	char **tags;
	size_t ntags;
	struct bt_board_variant *variants;
	size_t nvariants;
	struct bt_prior *priors;
	size_t npriors;
	char *priors_source;
	struct bt_hypdef *hyps;
	size_t nhyps;
	struct bt_rule *rules;
	size_t nrules;
	struct bt_test_priv *tests;
	size_t ntests;
	struct bt_symptom *symptoms;
	size_t nsymptoms;
	struct bt_current_level *currents;
	size_t ncurrents;
};

struct bt_boards {
	struct bt_board **boards;
	size_t count;
	struct bt_board *common; /* merged common rules; never NULL */
};

/* True when b has tag; "x:*" matches any tag starting "x:". Variant tags count too. */
bool bt_board_tags_match(const struct bt_board *b, char *const *tags, size_t ntags);
/* Numeric value of evidence text ("0x60D", "4013", "-1", "70.5"); false when not a number. */
bool bt_parse_number(const char *s, double *out);
void bt_board_destroy(struct bt_board *b);

#endif
