/* guided.c — the guided-test state machine and the A/B comparison. */
#include "guided/guided.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"

/* ---- the built-in catalogue ------------------------------------------------------------ */

#define RETRY_OUTCOMES                                                                       \
	{ { "restore_passed", "Restore passed after the change" },                           \
	  { "got_further", "Got further after the change, then failed" },                    \
	  { "same_failure", "Same failure either way" },                                     \
	  { "different_failure", "A different failure (inconclusive)" } }

static const struct bt_guided_def builtins[] = {
	{
		.id = "front_flex_disconnect",
		.title = "Disconnect the front (earpiece) flex and retry the restore",
		.kind = BT_GUIDED_RETRY_COMPARE,
		.a_label = "flex connected",
		.b_label = "flex disconnected",
		.risk = "none",
		.nsafety = 3,
		.safety = {
			"Disconnect the battery (or switch off the bench supply) before touching any flex.",
			"ESD: wrist strap on, board on the mat.",
			"Lift connectors straight up with a plastic spudger; no metal near the board.",
		},
		.nsteps = 4,
		.steps = {
			{ BT_STEP_OBSERVE_A, "Attempt A, flex connected: keep the restore just run, "
					     "or start one now and let it end." },
			{ BT_STEP_DO, "Power off. Disconnect the battery, then the front (earpiece / "
				      "front-sensor) flex connector." },
			{ BT_STEP_DO, "Reconnect power (battery or supply) and put the phone in "
				      "recovery or DFU mode." },
			{ BT_STEP_OBSERVE_B, "Attempt B, flex disconnected: start the same restore "
					     "again and let it run." },
		},
		.noutcomes = 4,
		.outcomes = RETRY_OUTCOMES,
	},
	{
		.id = "cable_port_computer_swap",
		.title = "Swap the cable, the USB port and the computer, then retry",
		.kind = BT_GUIDED_RETRY_COMPARE,
		.a_label = "old cable/port/host",
		.b_label = "new cable/port/host",
		.risk = "none",
		.nsafety = 1,
		.safety = { "Use a known-good cable straight into the computer: no hub, no front port." },
		.nsteps = 4,
		.steps = {
			{ BT_STEP_OBSERVE_A, "Attempt A: the restore on the current cable, port and "
					     "computer." },
			{ BT_STEP_DO, "Change the cable; use a rear USB port on the computer; if you "
				      "can, use another computer." },
			{ BT_STEP_DO, "Update the restore tool; turn off proxy and security software." },
			{ BT_STEP_OBSERVE_B, "Attempt B: restore again on the new cable, port and "
					     "computer." },
		},
		.noutcomes = 4,
		.outcomes = RETRY_OUTCOMES,
	},
	{
		.id = "dfu_restore",
		.title = "Restore from DFU mode",
		.kind = BT_GUIDED_RESTORE,
		.a_label = "last restore",
		.b_label = "DFU restore",
		.risk = "erases data",
		.nsafety = 2,
		.safety = {
			"WARNING: a DFU restore ERASES ALL DATA on the phone. Get the customer's "
			"consent first.",
			"If the phone still boots, back it up first (data shops boot with the front "
			"flex unplugged).",
		},
		.nsteps = 3,
		.steps = {
			{ BT_STEP_OBSERVE_A, "Attempt A: the last restore (recovery mode)." },
			{ BT_STEP_DO, "Put the phone in DFU mode (the screen stays black)." },
			{ BT_STEP_OBSERVE_B, "Attempt B: run the restore from DFU and let it run." },
		},
		.noutcomes = 4,
		.outcomes = RETRY_OUTCOMES,
	},
	{
		.id = "symptom_checklist",
		.title = "Symptom checklist",
		.kind = BT_GUIDED_CHECKLIST,
		.risk = "none",
		.nsafety = 0,
		.nsteps = 1,
		.steps = { { BT_STEP_CHECKLIST, "Tick what the phone shows (Space), Enter when done." } },
		.noutcomes = 2,
		.outcomes = {
			{ "symptoms_seen", "Symptoms ticked" },
			{ "none_seen", "None of these" },
		},
		.nitems = 9,
		.items = {
			{ "speaker_button_greyed", "Speaker button greyed out in calls" },
			{ "voice_memos_greyed", "Voice Memos greyed out / will not record" },
			{ "no_service", "No service / IMEI missing" },
			{ "wifi_greyed", "Wi-Fi greyed out" },
			{ "faceid_unavailable", "Face ID unavailable" },
			{ "true_tone_missing", "True Tone missing" },
			{ "boot_loop", "Boot loop on the Apple logo" },
			{ "slow_boot", "Slow boot (minutes on the logo)" },
			{ "no_charging", "Does not charge" },
		},
	},
};

size_t bt_guided_builtin_count(void)
{
	return sizeof builtins / sizeof builtins[0];
}

const struct bt_guided_def *bt_guided_builtin_at(size_t i)
{
	return i < bt_guided_builtin_count() ? &builtins[i] : NULL;
}

const struct bt_guided_def *bt_guided_builtin(const char *id)
{
	for (size_t i = 0; id && i < bt_guided_builtin_count(); i++)
		if (strcmp(builtins[i].id, id) == 0)
			return &builtins[i];
	return NULL;
}

/* ---- attempts and the comparison ------------------------------------------------------- */

void bt_attempt_init(struct bt_attempt *a)
{
	memset(a, 0, sizeof *a);
	a->progress = -1;
	a->level_ma = a->peak_ma = a->period_s = a->duration_s = -1;
}

void bt_attempt_set(char *dst, size_t cap, const char *src)
{
	if (cap == 0)
		return;
	snprintf(dst, cap, "%s", src ? src : "");
}

static bool is_ok(const struct bt_attempt *a)
{
	return strcmp(a->outcome, "succeeded") == 0;
}

/* The step an attempt stopped at: the failing one if named, else the last reached. */
static const char *stop_step(const struct bt_attempt *a)
{
	return a->failed_step[0] ? a->failed_step : a->last_step;
}

static bool supply_differs(const struct bt_attempt *a, const struct bt_attempt *b)
{
	/* "unknown" means the analysis could not tell: no claim of a change either way. */
	bool ka = a->supply_pattern[0] && strcmp(a->supply_pattern, "unknown") != 0;
	bool kb = b->supply_pattern[0] && strcmp(b->supply_pattern, "unknown") != 0;
	if (ka && kb && strcmp(a->supply_pattern, b->supply_pattern) != 0)
		return true;
	if (a->level_ma >= 0 && b->level_ma >= 0) {
		double d = fabs(a->level_ma - b->level_ma);
		double rel = fmax(a->level_ma, b->level_ma) * 0.15;
		return d > fmax(20.0, rel);
	}
	return false;
}

/* Outcome ids a profile may use for what the comparison concludes. */
static const char *const synonyms[][5] = {
	{ "restore_passed", "restore_completes", "passed", "restore_ok", NULL },
	{ "got_further", "progressed", "further", "later_failure", NULL },
	{ "same_failure", "same_error", "no_change", "unchanged", NULL },
	{ "different_failure", "different_error", "inconclusive", "other", NULL },
	{ "symptoms_seen", NULL },
	{ "none_seen", NULL },
};

static const char *pick(const struct bt_guided_def *def, const char *want)
{
	for (size_t s = 0; s < sizeof synonyms / sizeof synonyms[0]; s++) {
		if (strcmp(synonyms[s][0], want) != 0)
			continue;
		for (size_t k = 0; k < 5 && synonyms[s][k]; k++)
			for (size_t i = 0; i < def->noutcomes; i++)
				if (strcmp(def->outcomes[i].id, synonyms[s][k]) == 0)
					return def->outcomes[i].id;
	}
	return NULL;
}

/* Bounded concatenation: keeps what fits, always terminated. */
static void append(char *dst, size_t cap, const char *s)
{
	size_t len = strlen(dst);
	size_t n = strlen(s);
	if (len + 1 >= cap)
		return;
	if (n > cap - len - 1)
		n = cap - len - 1;
	memcpy(dst + len, s, n);
	dst[len + n] = 0;
}

static void describe(char *buf, size_t cap, const struct bt_attempt *a)
{
	const char *step = stop_step(a);
	int n = snprintf(buf, cap, "%s", a->outcome[0] ? a->outcome : "unknown");
	if (n < 0 || (size_t)n >= cap)
		return;
	if (step[0])
		n += snprintf(buf + n, cap - (size_t)n, " at %s", step);
	if (n >= 0 && (size_t)n < cap && a->host_error)
		snprintf(buf + n, cap - (size_t)n, " (error %ld)", a->host_error);
	else if (n >= 0 && (size_t)n < cap && a->has_status)
		snprintf(buf + n, cap - (size_t)n, " (status %ld)", a->status);
}

void bt_guided_compare(const struct bt_guided_def *def, const struct bt_attempt *a,
		       const struct bt_attempt *b, struct bt_compare *out)
{
	memset(out, 0, sizeof *out);
	const char *bl = def->b_label ? def->b_label : "B";
	if (!b->valid) {
		snprintf(out->text, sizeof out->text, "Attempt B (%s) was not observed: choose the "
			 "outcome you saw.", bl);
		return;
	}
	out->step_differs = strcmp(stop_step(a), stop_step(b)) != 0;
	out->error_differs = a->host_error != b->host_error || a->has_status != b->has_status ||
			     (a->has_status && a->status != b->status);
	out->supply_differs = supply_differs(a, b);
	out->b_further = (is_ok(b) && !is_ok(a)) ||
			 (a->progress >= 0 && b->progress > a->progress && out->step_differs);
	char da[120], db[120];
	describe(da, sizeof da, a);
	describe(db, sizeof db, b);
	const char *want;
	const char *meaning;
	if (is_ok(b)) {
		want = "restore_passed";
		meaning = is_ok(a) ? "Both restores passed: the first failure did not repeat."
				   : "The change made the difference: what was changed is implicated.";
	} else if (!a->valid) {
		want = "different_failure";
		meaning = "Attempt A was not observed, so nothing to compare with.";
	} else if (!out->step_differs && !out->error_differs) {
		want = "same_failure";
		meaning = "The change made no difference: what was changed is unlikely to be the cause.";
	} else if (out->b_further) {
		want = "got_further";
		meaning = "It got further after the change: involved, but something else fails too.";
	} else {
		want = "different_failure";
		meaning = "It failed differently: inconclusive, repeat attempt B once.";
	}
	out->outcome = pick(def, want);
	if (!out->outcome && strcmp(want, "got_further") == 0)
		out->outcome = pick(def, "different_failure"); /* the profile does not split them */
	const char *parts[] = { "A (", def->a_label ? def->a_label : "before", "): ", da, ". B (",
				bl, "): ", db, ". ", meaning,
				out->supply_differs ? " The current signature changed too." : "" };
	out->text[0] = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		append(out->text, sizeof out->text, parts[i]);
}

/* ---- the run ---------------------------------------------------------------------------- */

struct bt_guided {
	const struct bt_guided_def *def;
	enum bt_guided_state state;
	size_t step;
	bool observing;      /* the current observe step is watching an attempt */
	bool a_live;         /* attempt A is the restore still running when the test began */
	struct bt_attempt att[2];
	size_t cursor;       /* outcome in PROPOSE, item in a checklist step */
	bool checked[BT_GUIDED_MAX_ITEMS];
	struct bt_compare cmp;
	const char *proposed;
	double done_at;
};

struct bt_guided *bt_guided_new(const struct bt_guided_def *def)
{
	if (!def || def->nsteps == 0 || def->nsteps > BT_GUIDED_MAX_STEPS ||
	    def->noutcomes == 0 || def->noutcomes > BT_GUIDED_MAX_OUTCOMES ||
	    def->nitems > BT_GUIDED_MAX_ITEMS || def->nsafety > BT_GUIDED_MAX_SAFETY)
		return NULL;
	struct bt_guided *g = bt_xcalloc(1, sizeof *g);
	g->def = def;
	g->state = def->nsafety ? BT_GS_SAFETY : BT_GS_STEP;
	bt_attempt_init(&g->att[0]);
	bt_attempt_init(&g->att[1]);
	g->done_at = -1;
	return g;
}

void bt_guided_free(struct bt_guided *g)
{
	free(g);
}

const struct bt_guided_def *bt_guided_def_of(const struct bt_guided *g) { return g->def; }
enum bt_guided_state bt_guided_state(const struct bt_guided *g) { return g->state; }
size_t bt_guided_step_index(const struct bt_guided *g) { return g->step; }
size_t bt_guided_cursor(const struct bt_guided *g) { return g->cursor; }
const struct bt_compare *bt_guided_comparison(const struct bt_guided *g) { return &g->cmp; }
const char *bt_guided_proposed(const struct bt_guided *g) { return g->proposed; }
double bt_guided_done_time(const struct bt_guided *g) { return g->done_at; }

const char *bt_guided_state_name(enum bt_guided_state s)
{
	switch (s) {
	case BT_GS_SAFETY: return "safety";
	case BT_GS_STEP: return "step";
	case BT_GS_PROPOSE: return "propose";
	case BT_GS_DONE: return "done";
	case BT_GS_CANCELLED: return "cancelled";
	}
	return "?";
}

const struct bt_guided_step *bt_guided_current_step(const struct bt_guided *g)
{
	return g->state == BT_GS_STEP ? &g->def->steps[g->step] : NULL;
}

const struct bt_attempt *bt_guided_attempt(const struct bt_guided *g, int which)
{
	return which == 0 || which == 1 ? &g->att[which] : NULL;
}

static int observe_slot(const struct bt_guided *g)
{
	const struct bt_guided_step *s = bt_guided_current_step(g);
	if (!s)
		return -1;
	if (s->action == BT_STEP_OBSERVE_A)
		return 0;
	if (s->action == BT_STEP_OBSERVE_B)
		return 1;
	return -1;
}

bool bt_guided_observing(const struct bt_guided *g, int *which)
{
	int slot = observe_slot(g);
	if (which)
		*which = slot;
	return slot >= 0 && g->observing;
}

bool bt_guided_item_checked(const struct bt_guided *g, size_t i)
{
	return i < g->def->nitems && g->checked[i];
}

const char *bt_guided_chosen(const struct bt_guided *g)
{
	if (g->state != BT_GS_PROPOSE && g->state != BT_GS_DONE)
		return NULL;
	return g->def->outcomes[g->cursor].id;
}

bool bt_guided_corrected(const struct bt_guided *g)
{
	const char *c = bt_guided_chosen(g);
	return c && (!g->proposed || strcmp(c, g->proposed) != 0);
}

static void enter_propose(struct bt_guided *g)
{
	g->state = BT_GS_PROPOSE;
	g->observing = false;
	g->proposed = NULL;
	memset(&g->cmp, 0, sizeof g->cmp);
	if (g->def->kind == BT_GUIDED_CHECKLIST) {
		size_t n = 0;
		for (size_t i = 0; i < g->def->nitems; i++)
			n += g->checked[i];
		g->proposed = pick(g->def, n ? "symptoms_seen" : "none_seen");
		snprintf(g->cmp.text, sizeof g->cmp.text, "%zu symptom%s ticked.", n,
			 n == 1 ? "" : "s");
	} else if (g->def->kind == BT_GUIDED_MANUAL) {
		snprintf(g->cmp.text, sizeof g->cmp.text, "Choose the outcome you saw.");
	} else {
		bt_guided_compare(g->def, &g->att[0], &g->att[1], &g->cmp);
		g->proposed = g->cmp.outcome;
	}
	g->cursor = 0;
	for (size_t i = 0; g->proposed && i < g->def->noutcomes; i++)
		if (strcmp(g->def->outcomes[i].id, g->proposed) == 0)
			g->cursor = i;
}

static void enter_step(struct bt_guided *g, size_t i)
{
	g->state = BT_GS_STEP;
	g->step = i;
	g->cursor = 0;
	/* A restore already running when the test began is watched as attempt A, not restarted. */
	g->observing = g->a_live && g->def->steps[i].action == BT_STEP_OBSERVE_A;
}

static void advance(struct bt_guided *g)
{
	if (g->step + 1 < g->def->nsteps)
		enter_step(g, g->step + 1);
	else
		enter_propose(g);
}

unsigned bt_guided_ack(struct bt_guided *g, double now_s)
{
	switch (g->state) {
	case BT_GS_SAFETY:
		enter_step(g, 0);
		return BT_GUIDED_CHANGED;
	case BT_GS_STEP: {
		int slot = observe_slot(g);
		if (slot < 0) {
			advance(g);
			return BT_GUIDED_CHANGED;
		}
		struct bt_attempt *a = &g->att[slot];
		if (!g->observing && a->valid && a->finished) {
			advance(g); /* A taken from the restore already on screen */
			return BT_GUIDED_CHANGED;
		}
		if (!g->observing) {
			bt_attempt_init(a);
			g->observing = true;
			return BT_GUIDED_CHANGED | BT_GUIDED_WANT_RESTART;
		}
		/* Enter while watching: the technician says the attempt is over. */
		a->finished = true;
		if (slot == 0)
			g->a_live = false;
		advance(g);
		return BT_GUIDED_CHANGED;
	}
	case BT_GS_PROPOSE:
		g->state = BT_GS_DONE;
		g->done_at = now_s;
		return BT_GUIDED_CHANGED | BT_GUIDED_WANT_RECORD;
	case BT_GS_DONE:
	case BT_GS_CANCELLED:
		break;
	}
	return 0;
}

unsigned bt_guided_back(struct bt_guided *g)
{
	if (g->state == BT_GS_PROPOSE) {
		enter_step(g, g->def->nsteps - 1);
		return BT_GUIDED_CHANGED;
	}
	if (g->state != BT_GS_STEP)
		return 0;
	if (g->step > 0)
		enter_step(g, g->step - 1);
	else if (g->def->nsafety)
		g->state = BT_GS_SAFETY;
	else
		return 0;
	return BT_GUIDED_CHANGED;
}

unsigned bt_guided_cancel(struct bt_guided *g)
{
	if (g->state == BT_GS_DONE || g->state == BT_GS_CANCELLED)
		return 0;
	g->state = BT_GS_CANCELLED;
	g->observing = false;
	return BT_GUIDED_CHANGED;
}

static size_t wrap(size_t cur, int delta, size_t n)
{
	long v = (long)cur + delta;
	long ln = (long)n;
	v %= ln;
	if (v < 0)
		v += ln;
	return (size_t)v;
}

unsigned bt_guided_move(struct bt_guided *g, int delta)
{
	if (g->state == BT_GS_PROPOSE) {
		g->cursor = wrap(g->cursor, delta, g->def->noutcomes);
		return BT_GUIDED_CHANGED;
	}
	const struct bt_guided_step *s = bt_guided_current_step(g);
	if (s && s->action == BT_STEP_CHECKLIST && g->def->nitems) {
		g->cursor = wrap(g->cursor, delta, g->def->nitems);
		return BT_GUIDED_CHANGED;
	}
	return 0;
}

unsigned bt_guided_toggle(struct bt_guided *g)
{
	const struct bt_guided_step *s = bt_guided_current_step(g);
	if (!s || s->action != BT_STEP_CHECKLIST || g->cursor >= g->def->nitems)
		return 0;
	g->checked[g->cursor] = !g->checked[g->cursor];
	return BT_GUIDED_CHANGED;
}

void bt_guided_prefill_a(struct bt_guided *g, const struct bt_attempt *a)
{
	if (!a || !a->valid)
		return;
	g->att[0] = *a;
	g->a_live = !a->finished;
	if (g->state == BT_GS_STEP)
		enter_step(g, g->step);
}

unsigned bt_guided_observe(struct bt_guided *g, const struct bt_attempt *a)
{
	int slot = observe_slot(g);
	if (slot < 0 || !g->observing || !a)
		return 0;
	g->att[slot] = *a;
	g->att[slot].valid = true;
	if (a->finished) {
		if (slot == 0)
			g->a_live = false;
		advance(g);
	}
	return BT_GUIDED_CHANGED;
}

int bt_guided_record(const struct bt_guided *g, struct bt_evset *set, double time_s)
{
	if (g->state != BT_GS_DONE)
		return BT_ERR_NA;
	char key[128], excerpt[BT_EVIDENCE_EXCERPT_MAX];
	snprintf(key, sizeof key, "test.%s", g->def->id);
	const char *chosen = bt_guided_chosen(g);
	excerpt[0] = 0;
	append(excerpt, sizeof excerpt, g->cmp.text);
	if (bt_guided_corrected(g)) {
		append(excerpt, sizeof excerpt, " Technician chose ");
		append(excerpt, sizeof excerpt, chosen);
		append(excerpt, sizeof excerpt, " (tool proposed ");
		append(excerpt, sizeof excerpt, g->proposed ? g->proposed : "nothing");
		append(excerpt, sizeof excerpt, ").");
	} else {
		append(excerpt, sizeof excerpt, " Confirmed by the technician.");
	}
	double t = time_s;
	bt_evset_put(set, key, chosen, "technician", 0, t, excerpt);
	for (size_t i = 0; i < g->def->nitems; i++) {
		if (!g->checked[i])
			continue;
		snprintf(key, sizeof key, "symptom.%s", g->def->items[i].id);
		bt_evset_put(set, key, "yes", "technician", 0, t, g->def->items[i].label);
	}
	return BT_OK;
}
