/* guided.h — guided bench tests as small state machines (DESIGN.md "Guided tests").
 *
 * A test definition (from a board profile, or the built-in catalogue when the profile has
 * none) is a list of steps with safety notes and a list of outcomes. A run walks the steps:
 * the technician acknowledges each one; "observe" steps watch a restore attempt live (the
 * bench feeds attempt snapshots in); at the end the run proposes the outcome the tool saw
 * (comparing attempt A with attempt B for the retry tests) and the technician confirms or
 * corrects it. The result is recorded as evidence test.<id> = <outcome> with a time.
 *
 * Pure: no I/O, no clock (times are passed in), no curses. A definition's strings are
 * borrowed: they must outlive every run made from it (built-ins are static; profile strings
 * live as long as the board set). A run owns everything else it holds. */
#ifndef BT_GUIDED_GUIDED_H
#define BT_GUIDED_GUIDED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"

#define BT_GUIDED_MAX_STEPS 10
#define BT_GUIDED_MAX_OUTCOMES 8
#define BT_GUIDED_MAX_SAFETY 4
#define BT_GUIDED_MAX_ITEMS 24 /* checklist items */

enum bt_guided_kind {
	BT_GUIDED_RETRY_COMPARE, /* change one thing, retry the restore, compare A with B */
	BT_GUIDED_RESTORE,       /* run one (risky) restore and judge it against the last one */
	BT_GUIDED_CHECKLIST,     /* technician ticks symptoms */
	BT_GUIDED_MANUAL         /* steps, then the technician picks the outcome */
};

enum bt_step_action {
	BT_STEP_DO,        /* instructions; Enter when done */
	BT_STEP_OBSERVE_A, /* watch attempt A (may be taken from the restore already on screen) */
	BT_STEP_OBSERVE_B, /* watch attempt B (the retry after the change) */
	BT_STEP_CHECKLIST  /* tick the symptom items */
};

struct bt_guided_step {
	enum bt_step_action action;
	const char *text;
};

struct bt_guided_outcome {
	const char *id;    /* e.g. "restore_passed" */
	const char *label; /* e.g. "Restore passed with the flex disconnected" */
};

struct bt_guided_item {
	const char *id;    /* symptom id, e.g. "speaker_button_greyed" */
	const char *label;
};

struct bt_guided_def {
	const char *id;    /* "front_flex_disconnect" */
	const char *title;
	enum bt_guided_kind kind;
	const char *a_label; /* "flex connected" (retry tests) */
	const char *b_label; /* "flex disconnected" */
	const char *risk;    /* "none", "erases data", ... */
	size_t nsafety;
	const char *safety[BT_GUIDED_MAX_SAFETY];
	size_t nsteps;
	struct bt_guided_step steps[BT_GUIDED_MAX_STEPS];
	size_t noutcomes;
	struct bt_guided_outcome outcomes[BT_GUIDED_MAX_OUTCOMES];
	size_t nitems;
	struct bt_guided_item items[BT_GUIDED_MAX_ITEMS];
};

/* The built-in catalogue: front_flex_disconnect, cable_port_computer_swap, dfu_restore,
 * symptom_checklist. Used when a board profile declares no test of that id. */
size_t bt_guided_builtin_count(void);
const struct bt_guided_def *bt_guided_builtin_at(size_t i);
const struct bt_guided_def *bt_guided_builtin(const char *id);

/* Builds a run definition from a board profile's guided test (engine/board.h). The shape
 * (kind, A/B labels, observe steps) comes from the built-in of the same id when there is one;
 * otherwise a test whose text mentions a restore becomes a retry comparison, any other a
 * manual test. Strings are borrowed from t (the board set must outlive the definition). */
struct bt_guided_test;
struct bt_symptom;
void bt_guided_def_from_board(const struct bt_guided_test *t, struct bt_guided_def *out);
/* The symptom checklist with the profile's symptoms (at most BT_GUIDED_MAX_ITEMS). */
void bt_guided_def_checklist(const struct bt_symptom *const *symptoms, size_t n,
			     struct bt_guided_def *out);

/* What one restore attempt showed: filled by the bench from the log scanner and the
 * supply analysis. Text fields are copied in (bounded); "" means unknown. */
struct bt_attempt {
	bool valid;         /* something was observed */
	bool finished;      /* the restore reached a verdict (or the source ended) */
	char outcome[16];   /* succeeded|failed|incomplete|unknown */
	char last_step[64]; /* last step reached */
	char failed_step[64];
	char subsystem[24];
	int progress;       /* steps reached (monotonic within a log family), -1 unknown */
	bool has_status;
	long status;
	long host_error;    /* 0 when none */
	char error_line[160]; /* the line that shows the failure, "" when none */
	char supply_pattern[16]; /* off|normal_boot|plateau|boot_loop|short|unknown or "" */
	double level_ma;    /* < 0 unknown */
	double peak_ma;     /* < 0 unknown */
	double period_s;    /* < 0 unknown */
	double duration_s;  /* < 0 unknown */
};
void bt_attempt_init(struct bt_attempt *a);
/* Bounded copy helper for the text fields (NULL copies ""). */
void bt_attempt_set(char *dst, size_t cap, const char *src);

/* Comparing A (before the change) with B (after it). */
struct bt_compare {
	const char *outcome;  /* proposed outcome id (one of the def's when it has it) */
	bool step_differs, error_differs, supply_differs;
	bool b_further;       /* B got further than A */
	char text[320];       /* what the difference shows, one or two sentences */
};
void bt_guided_compare(const struct bt_guided_def *def, const struct bt_attempt *a,
		       const struct bt_attempt *b, struct bt_compare *out);

enum bt_guided_state {
	BT_GS_SAFETY,   /* safety notes shown; Enter acknowledges */
	BT_GS_STEP,     /* a step is shown (see bt_guided_step_index) */
	BT_GS_PROPOSE,  /* proposed outcome shown; Enter confirms, Up/Down corrects */
	BT_GS_DONE,     /* recorded */
	BT_GS_CANCELLED
};

/* What a run asks of the bench after an input. */
enum {
	BT_GUIDED_CHANGED = 1 << 0,       /* redraw */
	BT_GUIDED_WANT_RESTART = 1 << 1,  /* start a new restore attempt now (B, or the DFU one) */
	BT_GUIDED_WANT_RECORD = 1 << 2    /* the result is ready: call bt_guided_record */
};

struct bt_guided; /* opaque run */

struct bt_guided *bt_guided_new(const struct bt_guided_def *def);
void bt_guided_free(struct bt_guided *g);

const struct bt_guided_def *bt_guided_def_of(const struct bt_guided *g);
enum bt_guided_state bt_guided_state(const struct bt_guided *g);
const char *bt_guided_state_name(enum bt_guided_state s);
size_t bt_guided_step_index(const struct bt_guided *g);    /* valid in BT_GS_STEP */
const struct bt_guided_step *bt_guided_current_step(const struct bt_guided *g); /* or NULL */
/* Attempt 0 = A, 1 = B. */
const struct bt_attempt *bt_guided_attempt(const struct bt_guided *g, int which);
bool bt_guided_observing(const struct bt_guided *g, int *which); /* in an observe step */
size_t bt_guided_cursor(const struct bt_guided *g);   /* outcome (PROPOSE) or item (checklist) */
bool bt_guided_item_checked(const struct bt_guided *g, size_t i);
const struct bt_compare *bt_guided_comparison(const struct bt_guided *g); /* valid from PROPOSE */
const char *bt_guided_proposed(const struct bt_guided *g); /* outcome id the tool proposed */
const char *bt_guided_chosen(const struct bt_guided *g);   /* outcome id under the cursor/confirmed */
bool bt_guided_corrected(const struct bt_guided *g); /* technician chose another than proposed */

/* Inputs; each returns BT_GUIDED_* flags. */
unsigned bt_guided_ack(struct bt_guided *g, double now_s);   /* Enter */
unsigned bt_guided_back(struct bt_guided *g);                /* Backspace: previous step */
unsigned bt_guided_cancel(struct bt_guided *g);              /* Esc */
unsigned bt_guided_move(struct bt_guided *g, int delta);     /* Up/Down: outcome or item */
unsigned bt_guided_toggle(struct bt_guided *g);              /* Space: tick a checklist item */
/* Prefills attempt A from the restore already on screen when the test starts: a finished one
 * is taken as A (Enter moves on); one still running is watched live as A. */
void bt_guided_prefill_a(struct bt_guided *g, const struct bt_attempt *a);
/* Live observation for the attempt being watched; when a->finished the observe step ends
 * by itself and the run moves on. */
unsigned bt_guided_observe(struct bt_guided *g, const struct bt_attempt *a);

/* Adds test.<id> = <outcome> (source "technician", time time_s on the caller's session clock,
 * excerpt = the comparison), and for a checklist symptom.<item> = yes for each ticked item.
 * Returns BT_OK, or BT_ERR_NA when the run is not done. */
int bt_guided_record(const struct bt_guided *g, struct bt_evset *set, double time_s);
double bt_guided_done_time(const struct bt_guided *g); /* when confirmed, < 0 before */

#endif
