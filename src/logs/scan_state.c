/* scan_state.c — what the scanner remembers: lines for evidence, failing-step candidates, the
 * bounded timeline and error ring, verdicts and runs, step names. */
#include "logs/scan_priv.h"

#include <stdio.h>

/* ---- small helpers ---------------------------------------------------------------- */


void bt_ls_mark_here(struct bt_logscan *sc, struct mark *m, enum fam f)
{
	m->set = true;
	m->source = sc->src;
	m->line = sc->cur_line;
	m->t = sc->cur_t;
	m->fam = f;
	/* No copy yet: most marks are overwritten by a later line of the same buffer, so the
	 * line is copied when the buffer goes away (bt_ls_marks_keep) and cleaned when someone
	 * reads it. */
	m->len = sc->raw_n < sizeof m->text - 1 ? sc->raw_n : sizeof m->text - 1;
	m->pending = sc->raw;
	m->raw = true;
	sc->marks_pending = true;
}

static void keep(struct mark *m)
{
	if (!m->pending)
		return;
	memcpy(m->text, m->pending, m->len);
	m->text[m->len] = '\0';
	m->pending = NULL;
}

void bt_ls_marks_keep(struct bt_logscan *sc)
{
	if (!sc->marks_pending)
		return;
	struct mark *const all[] = {
		&sc->verdict_m, &sc->prev_log_m, &sc->done_m, &sc->dev_first.m, &sc->dev_root.m,
		&sc->recent.m, &sc->host_fail.m, &sc->host_text.m, &sc->own_err.m, &sc->phase.m,
		&sc->status_m, &sc->dev_status_m, &sc->am_status_m, &sc->host_error_m, &sc->op_m,
		&sc->product_m, &sc->board_m, &sc->nand_m, &sc->dev_outcome_m, &sc->prev_exit_m,
		&sc->exit_m,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		keep(all[i]);
	for (size_t i = 0; i < SIG_COUNT; i++)
		keep(&sc->sig[i]);
	sc->marks_pending = false;
}

const char *bt_ls_mark_text(struct mark *m)
{
	keep(m); /* callers keep the marks first; this covers a mark outside the scanner */
	if (m->raw) {
		char tmp[LS_EXC];
		bt_lex_copy(tmp, sizeof tmp, m->text, m->len);
		memcpy(m->text, tmp, sizeof tmp);
		m->raw = false;
	}
	return m->text;
}

void bt_ls_cand_set(struct bt_logscan *sc, struct cand *c, int id, const char *name, size_t n,
		     long result, enum fam f)
{
	c->set = true;
	c->parent = -1;
	c->id = id;
	/* raw copy: compared with table names as is, cleaned when the result is built */
	if (!name)
		n = 0;
	if (n > sizeof c->name - 1)
		n = sizeof c->name - 1;
	if (n > 0)
		memcpy(c->name, name, n);
	c->name[n] = '\0';
	c->result = result;
	bt_ls_mark_here(sc, &c->m, f);
}

void bt_ls_cand_step(struct bt_logscan *sc, struct cand *c, const struct bt_step_info *si,
		      int id, long result, enum fam f)
{
	bt_ls_cand_set(sc, c, id, si->name, bt_ls_step_name_len(si), result, f);
}

bool bt_ls_id_is(int id, unsigned flag)
{
	const struct bt_step_info *si = bt_steps_by_id(id);
	return si && (si->flags & flag);
}

bool bt_ls_name_is(const char *name, unsigned flag)
{
	const struct bt_step_info *si = bt_steps_by_name(name);
	return si && (si->flags & flag);
}

/* Whether a candidate names a parent step, looked up once per candidate. */
bool bt_ls_cand_parent(struct cand *c)
{
	if (c->parent < 0)
		c->parent = bt_ls_name_is(c->name, BT_STEPF_PARENT) ? 1 : 0;
	return c->parent == 1;
}

void bt_ls_add_error(struct bt_logscan *sc)
{
	size_t slot = (sc->err_head + sc->err_len) % LS_ERRORS;
	if (sc->err_len == LS_ERRORS)
		sc->err_head = (sc->err_head + 1) % LS_ERRORS;
	else
		sc->err_len++;
	size_t len = sc->raw_n < LS_ERR_LEN - 1 ? sc->raw_n : LS_ERR_LEN - 1;
	memcpy(sc->errs[slot], sc->raw, len);
	sc->errs[slot][len] = '\0';
	sc->err_lens[slot] = len + 1; /* cleaned when the result is built */
}

void bt_ls_signature(struct bt_logscan *sc, enum sig s, enum fam f)
{
	if (!sc->sig[s].set)
		bt_ls_mark_here(sc, &sc->sig[s], f);
}

/* Timeline: merge repeats of the same step, keep the newest LS_STEPS. */
void bt_ls_tl_add(struct bt_logscan *sc, int id, int op, const char *name, size_t n,
		   enum bt_step_state st, long result)
{
	/* Raw copy; names are cleaned when the result is built. */
	if (!name)
		n = 0;
	if (n > LS_NAME - 1)
		n = LS_NAME - 1;
	if (sc->tl_len > 0) {
		struct tl_entry *last = &sc->tl[(sc->tl_head + sc->tl_len - 1) % LS_STEPS];
		if (last->s.id == id && last->s.op == op && last->name[n] == '\0' &&
		    (n == 0 || memcmp(last->name, name, n) == 0)) {
			last->s.state = st;
			last->s.result = result;
			last->s.line = sc->cur_line;
			return;
		}
	}
	size_t slot = (sc->tl_head + sc->tl_len) % LS_STEPS;
	if (sc->tl_len == LS_STEPS)
		sc->tl_head = (sc->tl_head + 1) % LS_STEPS;
	else
		sc->tl_len++;
	struct tl_entry *e = &sc->tl[slot];
	if (n > 0)
		memcpy(e->name, name, n);
	e->name[n] = '\0';
	e->s.id = id;
	e->s.op = op;
	e->s.name = e->name;
	e->s.subsystem = NULL; /* looked up when the result is built */
	e->s.state = st;
	e->s.result = result;
	e->s.source = sc->src;
	e->s.line = sc->cur_line;
	e->s.time_s = sc->cur_t;
}

/* Callers set the verdict before recording the status that came with it (a success after
 * a failure forgets the earlier run, statuses included). */
void bt_ls_set_verdict(struct bt_logscan *sc, int v, enum fam f)
{
	sc->seen_restore = true;
	if (v == BT_OUTCOME_SUCCEEDED && sc->verdict == BT_OUTCOME_FAILED)
		bt_ls_new_run(sc); /* a later run in the same file: the failure belonged to the first */
	if (v == BT_OUTCOME_SUCCEEDED || sc->verdict != BT_OUTCOME_FAILED || !sc->verdict_m.set)
		bt_ls_mark_here(sc, &sc->verdict_m, f);
	else
		sc->verdict_m.fam = f; /* keep the first failure line, note the latest family */
	sc->verdict = v;
}

/* A new run of a tool starts: forget the previous run's verdict (not the device). */
void bt_ls_new_run(struct bt_logscan *sc)
{
	if (!sc->verdict)
		return;
	sc->verdict = 0;
	memset(&sc->verdict_m, 0, sizeof sc->verdict_m);
	memset(&sc->exit_m, 0, sizeof sc->exit_m);
	memset(&sc->dev_first, 0, sizeof sc->dev_first);
	memset(&sc->dev_root, 0, sizeof sc->dev_root);
	memset(&sc->recent, 0, sizeof sc->recent);
	memset(&sc->host_fail, 0, sizeof sc->host_fail);
	memset(&sc->host_text, 0, sizeof sc->host_text);
	memset(&sc->own_err, 0, sizeof sc->own_err);
	memset(&sc->phase, 0, sizeof sc->phase);
	memset(sc->sig, 0, sizeof sc->sig);
	sc->host_quit = false;
	sc->boot_sent = false;
	sc->done_seen = false;
	sc->has_status_text = sc->has_dev_status = sc->has_am_status = false;
	sc->host_error = 0;
	sc->err_len = 0;
}

/* ---- step naming ------------------------------------------------------------------ */

const char *bt_ls_cached_name(const struct bt_logscan *sc, int id)
{
	for (size_t i = 0; i < sc->nnames; i++)
		if (sc->names[i].id == id)
			return sc->names[i].name;
	return NULL;
}

void bt_ls_remember_name(struct bt_logscan *sc, int id, const char *name, size_t n)
{
	if (bt_steps_by_id(id) || bt_ls_cached_name(sc, id) || n == 0)
		return;
	size_t slot = sc->nnames < LS_NAMES ? sc->nnames++ : (size_t)id % LS_NAMES;
	sc->names[slot].id = id;
	bt_lex_copy(sc->names[slot].name, LS_NAME, name, n);
}

/* The deepest step named in a `[0]D(...)[1]D(...)` chain (or the text before it). */
const struct bt_step_info *bt_ls_step_from_chain(const char *s, size_t n)
{
	const struct bt_step_info *best = NULL;
	size_t i = 0;
	while (i < n) {
		const char *d = FIND(s + i, n - i, "D(");
		size_t seg_end = d ? (size_t)(d - s) : n;
		if (seg_end > i) {
			const struct bt_step_info *si = bt_steps_by_text(s + i, seg_end - i);
			if (si && (!best || !(si->flags & BT_STEPF_PARENT)))
				best = si;
		}
		if (!d)
			break;
		i = seg_end + 2;
	}
	/* Under post-sealing (0x668, parent of the 0x15xx updaters) an updater runs as its
	 * _postseal step: "failed post-sealing updater ... Rose updater" is update_rose_postseal
	 * (idevicerestore#354, #609). */
	if (best && FIND(s, n, "post-sealing")) {
		char post[LS_NAME + 16];
		size_t k = bt_ls_step_name_len(best);
		if (k + 9 < sizeof post) {
			memcpy(post, best->name, k);
			memcpy(post + k, "_postseal", 10);
			const struct bt_step_info *ps = bt_steps_by_name(post);
			if (ps)
				best = ps;
		}
	}
	return best;
}

/* Decimal checkpoint ids: only the low 32 bits are the id. */
int bt_ls_mask_id(uint64_t v)
{
	uint64_t low = v & 0xFFFFFFFFu; /* decimal ids: only the low 32 bits are the id */
	return low > 0x7FFFFFFF ? -1 : (int)low;
}
