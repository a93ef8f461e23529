/* board.h — board profiles (boards/NAME.ini), read with libinih and checked against a schema.
 *
 * A profile holds a board's identity (name, product types, board configs, CPID, BDID), family
 * tags, priors, rules, guided tests, symptoms and expected current levels, every fact with its
 * source. boards/common.ini holds rules for every board. The set owns everything it loaded;
 * pointers stay valid until bt_boards_free. Nothing here prints: problems come back as
 * "file:line: message" diagnostics. */
#ifndef BT_ENGINE_BOARD_H
#define BT_ENGINE_BOARD_H

#include <stdbool.h>
#include <stddef.h>

struct bt_board;  /* opaque: one profile */
struct bt_boards; /* opaque: the loaded set, including common rules */

/* Diagnostics of a load: each "file:line: message". */
struct bt_board_diags {
	size_t count;
	char **msgs; /* owned by the struct; bt_board_diags_done frees */
};
void bt_board_diags_done(struct bt_board_diags *d);

struct bt_boards *bt_boards_new(void);
void bt_boards_free(struct bt_boards *set);
/* Loads one file into the set. BT_OK, BT_ERR_IO (unreadable) or BT_ERR_DATA (diags say why). */
int bt_boards_load_file(struct bt_boards *set, const char *path, struct bt_board_diags *diags);
/* Loads every *.ini of a directory (sorted). */
int bt_boards_load_dir(struct bt_boards *set, const char *dir, struct bt_board_diags *diags);
/* Loads the default directories: $BENCHTRIAGE_BOARDS, else boards/ beside the executable or
 * the current directory, then the technician's own ($BENCHTRIAGE_HOME/boards). */
int bt_boards_load_default(struct bt_boards *set, struct bt_board_diags *diags);

size_t bt_boards_count(const struct bt_boards *set);
const struct bt_board *bt_boards_at(const struct bt_boards *set, size_t i);
/* By profile name, board config ("d10ap", case-insensitive, "ap" optional) or product type. */
const struct bt_board *bt_boards_find(const struct bt_boards *set, const char *what);
const struct bt_board *bt_boards_find_chip(const struct bt_boards *set, unsigned cpid, unsigned bdid);

const char *bt_board_name(const struct bt_board *b);         /* e.g. "iphone7" */
const char *bt_board_title(const struct bt_board *b);        /* e.g. "iPhone 7 / 7 Plus" */
bool bt_board_has_tag(const struct bt_board *b, const char *tag); /* "faceid", "modem:intel" */
/* Product type / marketing name for a (cpid, bdid) of this board, NULL if not listed. */
const char *bt_board_product_for_chip(const struct bt_board *b, unsigned cpid, unsigned bdid);

/* ---- Added by the engine helper: identity rows, tags, guided tests, symptoms, current levels.
 * Every pointer below is owned by the set and valid until bt_boards_free. Functions taking
 * (set, b) merge the board's own entries with boards/common.ini's; b may be NULL (unknown
 * board: common entries that need no tag). */

const char *bt_board_file(const struct bt_board *b);         /* path it was loaded from */
const char *bt_board_source(const struct bt_board *b);       /* source of its identity rows */

/* One identity row: a variant of the board (our own table, see docs/board-format.md). */
struct bt_board_variant {
	const char *board_config;  /* "d10ap" */
	const char *product_type;  /* "iPhone9,1" */
	const char *title;         /* "iPhone 7 (Global)" */
	unsigned cpid, bdid;       /* 0x8010, 0x08 */
	const char *tags;          /* extra tags of this variant ("modem:qualcomm"), "" when none */
	const char *source;
};
size_t bt_board_variant_count(const struct bt_board *b);
const struct bt_board_variant *bt_board_variant_at(const struct bt_board *b, size_t i);
/* The variant matching a board config or product type (case-insensitive), NULL if none. */
const struct bt_board_variant *bt_board_variant_find(const struct bt_board *b, const char *what);

size_t bt_board_tag_count(const struct bt_board *b);
const char *bt_board_tag_at(const struct bt_board *b, size_t i);

/* Confidence of a fact; unverified facts carry no weight. */
enum bt_confidence { BT_CONF_WELL = 0, BT_CONF_SINGLE, BT_CONF_FOLKLORE, BT_CONF_UNVERIFIED };
const char *bt_confidence_name(enum bt_confidence c); /* "well", "single", ... */

/* A guided test's outcome: per-hypothesis likelihood ratios (hypotheses not listed: 1). */
struct bt_outcome_lr {
	const char *hyp;
	double lr;
};
struct bt_test_outcome {
	const char *id;            /* "restore_passed" */
	const char *title;         /* "The restore now completes" */
	double p;                  /* how often this outcome happens under a neutral hypothesis */
	size_t nlr;
	const struct bt_outcome_lr *lr;
	const char *source;
	enum bt_confidence confidence;
};

struct bt_guided_test {
	const char *id;            /* "front_flex_disconnect" */
	const char *title;
	const char *cost;          /* "low" | "medium" | "high" */
	double minutes;            /* rough bench time, for ranking */
	const char *risk;          /* "none", "erases data", "opens the phone", ... */
	int data_loss;             /* 1 when the test erases user data */
	const char *safety;        /* safety notes ("" when none) */
	size_t nsteps;
	const char *const *steps;  /* what to do, in order */
	const char *observe;       /* what to watch for */
	size_t noutcomes;
	const struct bt_test_outcome *outcomes;
	const char *source;
	const char *origin;        /* "file:line" of its section */
};
size_t bt_board_test_count(const struct bt_boards *set, const struct bt_board *b);
const struct bt_guided_test *bt_board_test_at(const struct bt_boards *set,
					      const struct bt_board *b, size_t i);
const struct bt_guided_test *bt_board_test_find(const struct bt_boards *set,
						const struct bt_board *b, const char *id);
const struct bt_test_outcome *bt_test_outcome_find(const struct bt_guided_test *t, const char *id);

/* A symptom a technician can tick (evidence symptom.<id> = yes). */
struct bt_symptom {
	const char *id;            /* "speaker_button_greyed" */
	const char *title;         /* "Speaker button greyed out during calls" */
	const char *source;
};
size_t bt_board_symptom_count(const struct bt_boards *set, const struct bt_board *b);
const struct bt_symptom *bt_board_symptom_at(const struct bt_boards *set,
					     const struct bt_board *b, size_t i);
const struct bt_symptom *bt_board_symptom_find(const struct bt_boards *set,
					       const struct bt_board *b, const char *id);

/* An expected bench-current level, only where a source gives one. NaN when not given. */
struct bt_current_level {
	const char *stage;         /* "takeoff" */
	double typical_ma, min_ma, max_ma;
	const char *note;
	const char *source;
	enum bt_confidence confidence;
};
size_t bt_board_current_count(const struct bt_board *b);
const struct bt_current_level *bt_board_current_at(const struct bt_board *b, size_t i);

/* Title of a hypothesis id: the fixed ones (DESIGN.md) and any a loaded profile declares in
 * set (set may be NULL). Returns id itself when unknown; NULL only for a NULL id. */
const char *bt_hypothesis_title(const struct bt_boards *set, const char *id);

/* Parses a profile from memory (fuzzing, tests); `name` labels diagnostics. */
int bt_boards_load_string(struct bt_boards *set, const char *name, const char *text,
			  struct bt_board_diags *diags);

#endif
