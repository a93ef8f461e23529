/* logscan.c — the streaming restore-log scanner (see logscan.h and docs/log-formats.md).
 *
 * Each line is split off a read buffer without copying (memchr), its prefix (device or tool
 * timestamp, wrapper quotes) is peeled, and a dispatch on its first bytes decides whether it
 * is worth a closer look; most lines cost a few compares. The scanner keeps only fixed-size
 * state: candidates for the failing step, a bounded timeline and error list, and the lines
 * (capped) that evidence will quote. The verdict is worked out when the result is asked for,
 * following the conventions of tests/data/corpus/labels-notes.md. */
#include "logs/logscan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "logs/devices.h"
#include "logs/lex.h"
#include "logs/steps.h"

#define LS_CAP 4096      /* bytes of one line that are examined; the rest is skipped */
#define LS_STEPS 64      /* timeline entries kept (newest) */
#define LS_ERRORS 16     /* error lines kept (newest) */
#define LS_ERR_LEN 240
#define LS_NAME 48
#define LS_EXC 400       /* excerpt kept per remembered line (BT_EVIDENCE_EXCERPT_MAX) */
#define LS_NAMES 32      /* id -> name pairs remembered from restore-step-names */

enum fam {
	FAM_NONE, FAM_IDR, FAM_FR, FAM_RESTORED, FAM_ITUNES, FAM_CONFIG, FAM_3U, FAM_WRAPPER,
	FAM_USBMUXD, FAM_COUNT
};
static const char *const fam_names[FAM_COUNT] = {
	NULL, "idevicerestore", "futurerestore", "restored", "itunes", "configurator", "3utools",
	"wrapper", "usbmuxd"
};

/* Recognised signatures: evidence key restore.signature.<id>. */
enum sig {
	SIG_USB_READ, SIG_USB_TRANSFER, SIG_BB_TRANSPORT, SIG_FDR_PROXY, SIG_ASR_NO_SPACE,
	SIG_ASR_CHECKSUM, SIG_TSS_NETWORK, SIG_TSS_REFUSED, SIG_HOST_QUIT, SIG_NVRAM_FULL,
	SIG_FDR_TRUST, SIG_IMG4, SIG_DFU_TRANSITION, SIG_DEVICE_SILENT, SIG_COUNT
};
static const char *const sig_names[SIG_COUNT] = {
	"usb_read_error", "usb_transfer_error", "bbupdater_transport", "fdr_proxy", "asr_no_space",
	"asr_checksum", "tss_network", "tss_refused", "host_quit", "nvram_full",
	"fdr_trust_missing", "img4_manifest", "dfu_transition", "device_silent"
};

/* A remembered line: where it was and what it said. */
struct mark {
	bool set;
	const char *source;
	long line;
	double t;
	enum fam fam;
	bool raw;          /* text is a raw copy, cleaned (UTF-8, control bytes) when read */
	size_t len;
	char text[LS_EXC];
};

/* A candidate for the failing step. */
struct cand {
	bool set;
	signed char parent; /* name is a parent step: -1 not looked up yet, 0, 1 */
	int id;             /* -1 when the log did not print one */
	char name[LS_NAME];
	long result;
	struct mark m;
};

struct tl_entry {
	struct bt_step s;
	char name[LS_NAME];
};

struct srcname {
	struct srcname *next;
	char name[];
};

struct bt_logscan {
	/* sources (names live until free: steps and evidence point at them) */
	struct srcname *sources;
	const char *src;
	/* splitting raw bytes */
	char carry[LS_CAP];
	size_t carry_len;
	bool carry_over;
	bool after_cr;
	long lineno;
	/* current line */
	long cur_line;
	const char *raw;
	size_t raw_n;
	double cur_t;
	double last_t;           /* time of the last stamped line, < 0 before the first */
	bool have_t0;
	double t0;
	/* per source */
	int ts_style;            /* HH:MM:SS.mmm: prefix: 0 undecided, FAM_ITUNES or FAM_3U */
	bool configurator;       /* Apple Configurator / AMPDevicesAgent lines seen */
	long fam_count[FAM_COUNT];
	/* what was seen */
	bool seen_restore;
	int verdict;             /* 0, BT_OUTCOME_FAILED or BT_OUTCOME_SUCCEEDED */
	struct mark verdict_m;
	bool done_seen;
	struct cand dev_first;   /* first non-retry device FAILURE (or error record) */
	struct cand dev_root;    /* the one tagged (first failure) */
	struct cand recent;      /* newest device failure line or error record */
	struct cand host_fail;   /* host checkpoint failing (non-zero result, not cleanup) */
	struct cand host_text;   /* step named in the text of a 0x648 FAILURE */
	struct cand own_err;     /* a step's own error line (updater, IMMED_RETRY) */
	struct cand phase;       /* what the host was doing last (progress, data transfer) */
	bool host_quit;
	bool has_status_text;
	long status_text;
	struct mark status_m;
	bool has_dev_status;
	long dev_status;
	struct mark dev_status_m;
	bool has_am_status;
	long am_status;
	struct mark am_status_m;
	long host_error;
	struct mark host_error_m;
	int op;
	struct mark op_m;
	char product[32];
	struct mark product_m;
	bool product_identified;
	char board[32];
	struct mark board_m;
	char nand_service[64];
	struct mark nand_m;
	char dev_outcome[48];
	struct mark dev_outcome_m;
	char prev_exit[32];
	struct mark prev_exit_m;
	struct mark sig[SIG_COUNT];
	struct { int id; char name[LS_NAME]; } names[LS_NAMES];
	size_t nnames;
	/* bounded timeline and errors (rings) */
	struct tl_entry tl[LS_STEPS];
	size_t tl_head, tl_len;
	char errs[LS_ERRORS][LS_ERR_LEN];
	size_t err_lens[LS_ERRORS];        /* raw length until cleaned, 0 once clean */
	size_t err_head, err_len;
	/* the result, rebuilt on demand */
	struct bt_restore res;
	struct bt_step out_steps[LS_STEPS];
	char out_names[LS_STEPS][LS_NAME];
	const char *out_errs[LS_ERRORS];
	char res_failed_name[LS_NAME];
};

/* ---- small helpers ---------------------------------------------------------------- */

/* Literal lengths are compile-time constants, so the common "does not start with" case is a
 * length test and an inlined memcmp. `"" lit` rejects anything but a string literal. */
#define STARTS(s, n, lit) ((n) >= sizeof("" lit) - 1 && memcmp((s), ("" lit), sizeof(lit) - 1) == 0)
#define FIND(s, n, lit) bt_lex_find_n((s), (n), ("" lit), sizeof(lit) - 1)

static void mark_here(struct bt_logscan *sc, struct mark *m, enum fam f)
{
	m->set = true;
	m->source = sc->src;
	m->line = sc->cur_line;
	m->t = sc->cur_t;
	m->fam = f;
	/* A plain copy here; the cleaning waits until someone reads it (most marks are
	 * overwritten long before). */
	m->len = sc->raw_n < sizeof m->text - 1 ? sc->raw_n : sizeof m->text - 1;
	memcpy(m->text, sc->raw, m->len);
	m->text[m->len] = '\0';
	m->raw = true;
}

static const char *mark_text(struct mark *m)
{
	if (m->raw) {
		char tmp[LS_EXC];
		bt_lex_copy(tmp, sizeof tmp, m->text, m->len);
		memcpy(m->text, tmp, sizeof tmp);
		m->raw = false;
	}
	return m->text;
}

static void cand_set(struct bt_logscan *sc, struct cand *c, int id, const char *name, size_t n,
		     long result, enum fam f)
{
	c->set = true;
	c->parent = -1;
	c->id = id;
	bt_lex_copy(c->name, sizeof c->name, name ? name : "", name ? n : 0);
	c->result = result;
	mark_here(sc, &c->m, f);
}

static void cand_step(struct bt_logscan *sc, struct cand *c, const struct bt_step_info *si,
		      int id, long result, enum fam f)
{
	cand_set(sc, c, id, si->name, strlen(si->name), result, f);
}

static bool id_is(int id, unsigned flag)
{
	const struct bt_step_info *si = bt_steps_by_id(id);
	return si && (si->flags & flag);
}

static bool name_is(const char *name, unsigned flag)
{
	const struct bt_step_info *si = bt_steps_by_name(name);
	return si && (si->flags & flag);
}

/* Whether a candidate names a parent step, looked up once per candidate. */
static bool cand_parent(struct cand *c)
{
	if (c->parent < 0)
		c->parent = name_is(c->name, BT_STEPF_PARENT) ? 1 : 0;
	return c->parent == 1;
}

static void add_error(struct bt_logscan *sc)
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

static void signature(struct bt_logscan *sc, enum sig s, enum fam f)
{
	if (!sc->sig[s].set)
		mark_here(sc, &sc->sig[s], f);
}

/* Timeline: merge repeats of the same step, keep the newest LS_STEPS. */
static void tl_add(struct bt_logscan *sc, int id, int op, const char *name, size_t n,
		   enum bt_step_state st, long result)
{
	/* Raw copy; names are cleaned when the result is built. */
	char nm[LS_NAME];
	if (!name)
		n = 0;
	if (n > LS_NAME - 1)
		n = LS_NAME - 1;
	memcpy(nm, name ? name : "", n);
	nm[n] = '\0';
	if (sc->tl_len > 0) {
		struct tl_entry *last = &sc->tl[(sc->tl_head + sc->tl_len - 1) % LS_STEPS];
		if (last->s.id == id && last->s.op == op && memcmp(last->name, nm, n + 1) == 0) {
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
	memcpy(e->name, nm, n + 1);
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

static void new_run(struct bt_logscan *sc);

/* Callers set the verdict before recording the status that came with it (a success after
 * a failure forgets the earlier run, statuses included). */
static void set_verdict(struct bt_logscan *sc, int v, enum fam f)
{
	sc->seen_restore = true;
	if (v == BT_OUTCOME_SUCCEEDED && sc->verdict == BT_OUTCOME_FAILED)
		new_run(sc); /* a later run in the same file: the failure belonged to the first */
	if (v == BT_OUTCOME_SUCCEEDED || sc->verdict != BT_OUTCOME_FAILED || !sc->verdict_m.set)
		mark_here(sc, &sc->verdict_m, f);
	else
		sc->verdict_m.fam = f; /* keep the first failure line, note the latest family */
	sc->verdict = v;
}

/* A new run of a tool starts: forget the previous run's verdict (not the device). */
static void new_run(struct bt_logscan *sc)
{
	if (!sc->verdict)
		return;
	sc->verdict = 0;
	memset(&sc->verdict_m, 0, sizeof sc->verdict_m);
	memset(&sc->dev_first, 0, sizeof sc->dev_first);
	memset(&sc->dev_root, 0, sizeof sc->dev_root);
	memset(&sc->recent, 0, sizeof sc->recent);
	memset(&sc->host_fail, 0, sizeof sc->host_fail);
	memset(&sc->host_text, 0, sizeof sc->host_text);
	memset(&sc->own_err, 0, sizeof sc->own_err);
	memset(&sc->phase, 0, sizeof sc->phase);
	memset(sc->sig, 0, sizeof sc->sig);
	sc->host_quit = false;
	sc->done_seen = false;
	sc->has_status_text = sc->has_dev_status = sc->has_am_status = false;
	sc->host_error = 0;
	sc->err_len = 0;
}

/* ---- step naming ------------------------------------------------------------------ */

static const char *cached_name(const struct bt_logscan *sc, int id)
{
	for (size_t i = 0; i < sc->nnames; i++)
		if (sc->names[i].id == id)
			return sc->names[i].name;
	return NULL;
}

static void remember_name(struct bt_logscan *sc, int id, const char *name, size_t n)
{
	if (bt_steps_by_id(id) || cached_name(sc, id) || n == 0)
		return;
	size_t slot = sc->nnames < LS_NAMES ? sc->nnames++ : (size_t)id % LS_NAMES;
	sc->names[slot].id = id;
	bt_lex_copy(sc->names[slot].name, LS_NAME, name, n);
}

/* The deepest step named in a `[0]D(...)[1]D(...)` chain (or the text before it). */
static const struct bt_step_info *step_from_chain(const char *s, size_t n)
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
	return best;
}

/* ---- device (restored) lines ------------------------------------------------------ */

/* "GROUP:[0x0616] fdr_create [0]D(...)": id, name and the text after the name. */
static bool parse_group_step(const char *s, size_t n, int *id, const char **name, size_t *nn,
			     const char **rest, size_t *rn)
{
	const char *b = FIND(s, n, ":[0x");
	if (!b)
		return false;
	struct bt_lex x = { b + 2, n - (size_t)(b + 2 - s) };
	uint64_t v;
	if (!bt_lex_u64(&x, &v) || !bt_lex_eat(&x, "]"))
		return false;
	*id = (int)(v & 0xFFFF);
	bt_lex_skip_space(&x);
	size_t k = 0;
	while (k < x.n && x.s[k] != ' ' && x.s[k] != '\t')
		k++;
	*name = x.s;
	*nn = k;
	*rest = x.s + k;
	*rn = x.n - k;
	return true;
}

static void device_failure(struct bt_logscan *sc, const char *s, size_t n, bool retry)
{
	/* "FAILURE:(FAILURE:6) RESTORED:[0x0616] fdr_create [0]D(...)" */
	long code = 0;
	const char *fc = FIND(s, n, "(FAILURE:");
	if (fc) {
		struct bt_lex x = { fc + 9, n - (size_t)(fc + 9 - s) };
		if (!bt_lex_long(&x, &code))
			code = 0;
	}
	int id = -1;
	const char *name = NULL, *rest = NULL;
	size_t nn = 0, rn = 0;
	if (!parse_group_step(s, n, &id, &name, &nn, &rest, &rn)) {
		/* A line cut before its step still fails the restore. */
		add_error(sc);
		if (!retry && fc) {
			set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
			if (!sc->has_dev_status) {
				sc->has_dev_status = true;
				sc->dev_status = code;
				mark_here(sc, &sc->dev_status_m, FAM_RESTORED);
			}
		}
		return;
	}
	const struct bt_step_info *si = bt_steps_by_id(id);
	if (si) {
		name = si->name;
		nn = strlen(si->name);
	}
	add_error(sc);
	tl_add(sc, id, -1, name, nn, retry ? BT_STEP_RETRIED : BT_STEP_FAILED, code);
	if (retry) {
		/* Retried in place: the updater's own error, never a verdict. */
		if (!(si && (si->flags & (BT_STEPF_CLEANUP | BT_STEPF_PARENT))))
			cand_set(sc, &sc->own_err, id, name, nn, code, FAM_RESTORED);
		return;
	}
	set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
	if (!sc->has_dev_status) {
		sc->has_dev_status = true;
		sc->dev_status = code;
		mark_here(sc, &sc->dev_status_m, FAM_RESTORED);
	}
	if (si && (si->flags & BT_STEPF_CLEANUP))
		return;
	struct cand c;
	memset(&c, 0, sizeof c);
	cand_set(sc, &c, id, name, nn, code, FAM_RESTORED);
	if (si && (si->flags & BT_STEPF_PARENT)) {
		/* A parent inherits its child's failure: the text may name the child. */
		const struct bt_step_info *child = step_from_chain(rest, rn);
		if (child && !(child->flags & BT_STEPF_PARENT)) {
			c.id = -1;
			c.parent = 0;
			bt_lex_copy(c.name, sizeof c.name, child->name, strlen(child->name));
		}
	}
	sc->recent = c;
	if (!sc->dev_first.set)
		sc->dev_first = c;
}

static void device_checkpoint(struct bt_logscan *sc, const char *s, size_t n)
{
	sc->seen_restore = true;
	sc->fam_count[FAM_RESTORED]++;
	struct bt_lex x = { s + 10, n - 10 }; /* after "CHECKPOINT" */
	if (bt_lex_eat(&x, "_INTERNAL_ERROR")) {
		if (FIND(x.s, x.n, "no space for data"))
			signature(sc, SIG_NVRAM_FULL, FAM_RESTORED);
		add_error(sc);
		return;
	}
	bt_lex_skip_space(&x);
	int id = -1;
	const char *name, *rest;
	size_t nn, rn;
	if (bt_lex_eat(&x, "BEGIN:")) {
		if (parse_group_step(x.s, x.n, &id, &name, &nn, &rest, &rn)) {
			const struct bt_step_info *si = bt_steps_by_id(id);
			if (!si)
				remember_name(sc, id, name, nn);
			tl_add(sc, id, -1, si ? si->name : name, si ? strlen(si->name) : nn,
			       BT_STEP_STARTED, 0);
			if (si && (si->flags & BT_STEPF_CLEANUP)) {
				/* An error record followed by cleanup is a verdict. */
				if (sc->recent.set && !sc->verdict)
					set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
				if (sc->recent.set && !sc->dev_first.set)
					sc->dev_first = sc->recent;
			} else if (!(si && (si->flags & BT_STEPF_PARENT))) {
				cand_set(sc, &sc->phase, id, si ? si->name : name,
					 si ? strlen(si->name) : nn, 0, FAM_RESTORED);
			}
		}
	} else if (bt_lex_eat(&x, "END:")) {
		if (parse_group_step(x.s, x.n, &id, &name, &nn, &rest, &rn)) {
			const struct bt_step_info *si = bt_steps_by_id(id);
			tl_add(sc, id, -1, si ? si->name : name, si ? strlen(si->name) : nn,
			       BT_STEP_DONE, 0);
		}
	} else if (bt_lex_eat(&x, "FAILURE:")) {
		device_failure(sc, x.s, x.n, false);
	} else if (bt_lex_eat(&x, "IMMED_RETRY:")) {
		device_failure(sc, x.s, x.n, true);
	} else if (bt_lex_eat(&x, "NOTICE:")) {
		if (FIND(x.s, x.n, "(first failure)") && sc->recent.set && !sc->dev_root.set)
			sc->dev_root = sc->recent;
	}
	/* PROGRESS, WARNING, ANOMALY: context only. */
}

/* "restore-step-xxx = {0x11070616:{0:6};...}" (also the old "executing /usr/sbin/nvram
 * restore-step-xxx={...}"). */
static void step_map(struct bt_logscan *sc, const char *s, size_t n)
{
	sc->seen_restore = true;
	sc->fam_count[FAM_RESTORED]++;
	enum { M_OTHER, M_RESULTS, M_ERROR, M_NAMES } kind = M_OTHER;
	if (STARTS(s, n, "restore-step-results"))
		kind = M_RESULTS;
	else if (STARTS(s, n, "restore-step-error"))
		kind = M_ERROR;
	else if (STARTS(s, n, "restore-step-names"))
		kind = M_NAMES;
	else
		return;
	const char *brace = memchr(s, '{', n);
	if (!brace)
		return;
	size_t i = (size_t)(brace - s) + 1;
	bool error_logged = false;
	/* Whether each candidate is a parent step: looked up once per line, not per key. */
	bool parents[2] = { false, false };
	if (kind == M_RESULTS) {
		parents[0] = sc->dev_first.set && cand_parent(&sc->dev_first);
		parents[1] = sc->dev_root.set && cand_parent(&sc->dev_root);
	}
	while (i < n) {
		struct bt_lex x = { s + i, n - i };
		uint64_t key;
		if (!bt_lex_eat(&x, "0x") && !bt_lex_eat(&x, "0X"))
			break;
		/* re-parse with the prefix for bt_lex_u64 */
		x.s -= 2;
		x.n += 2;
		if (!bt_lex_u64(&x, &key) || !bt_lex_eat(&x, ":"))
			break;
		unsigned tag = (unsigned)((key >> 16) & 0xFFFF);
		int id = (int)(key & 0xFFFF);
		/* The value runs to the next ';' outside braces and quotes. */
		size_t depth = 0, k = 0;
		bool quote = false;
		while (k < x.n) {
			char c = x.s[k];
			if (c == '"')
				quote = !quote;
			else if (!quote && c == '{')
				depth++;
			else if (!quote && c == '}') {
				if (depth == 0)
					break;
				depth--;
			} else if (!quote && depth == 0 && c == ';')
				break;
			k++;
		}
		const char *val = x.s;
		size_t vn = k;
		const struct bt_step_info *si = bt_steps_by_id(id);
		if (kind == M_NAMES && tag == 0x1103) {
			remember_name(sc, id, val, vn);
		} else if (kind == M_RESULTS && tag == 0x1107) {
			/* "{0:100}": the code after the first ':' */
			const char *colon = memchr(val, ':', vn);
			long code = 0;
			if (colon) {
				struct bt_lex y = { colon + 1, vn - (size_t)(colon + 1 - val) };
				if (!bt_lex_long(&y, &code))
					code = 0;
			}
			/* A child result pins the id of a failure first seen on its parent. */
			struct cand *targets[2] = { &sc->dev_first, &sc->dev_root };
			for (int t = 0; t < 2; t++) {
				struct cand *c = targets[t];
				if (!c->set || !si || (si->flags & (BT_STEPF_PARENT | BT_STEPF_CLEANUP)))
					continue;
				bool parent = parents[t];
				bool same = strcmp(c->name, si->name) == 0;
				if ((parent || (same && c->id < 0)) && (c->result == code || code != 0)) {
					c->id = id;
					c->parent = 0;
					bt_lex_copy(c->name, sizeof c->name, si->name, strlen(si->name));
				}
			}
		} else if (kind == M_ERROR && tag == 0x1107) {
			if (!error_logged) {
				add_error(sc);
				error_logged = true;
			}
			if (FIND(val, vn, "proxy is enabled") || FIND(val, vn, "copy proxy information"))
				signature(sc, SIG_FDR_PROXY, FAM_RESTORED);
			if (!(si && (si->flags & (BT_STEPF_PARENT | BT_STEPF_CLEANUP)))) {
				const char *nm = si ? si->name : cached_name(sc, id);
				const struct bt_step_info *tx = nm ? NULL : step_from_chain(val, vn);
				if (tx)
					nm = tx->name;
				cand_set(sc, &sc->recent, id, nm ? nm : "", nm ? strlen(nm) : 0, 0,
					 FAM_RESTORED);
				if (!nm)
					snprintf(sc->recent.name, sizeof sc->recent.name, "0x%04X", (unsigned)id);
			}
		}
		i = (size_t)(x.s - s) + k + 1;
	}
}

/* "restore-outcome = initial_engine_no_return": the device's own restore state machine. */
static void device_outcome(struct bt_logscan *sc, const char *s, size_t n)
{
	sc->fam_count[FAM_RESTORED]++;
	sc->seen_restore = true;
	const char *eq = memchr(s, '=', n);
	if (!eq)
		return;
	const char *v = eq + 1;
	size_t vn = n - (size_t)(v - s);
	bt_lex_trim(&v, &vn);
	size_t k = 0;
	while (k < vn && v[k] != ' ' && v[k] != '\t')
		k++;
	if (k == 0)
		return;
	bt_lex_copy(sc->dev_outcome, sizeof sc->dev_outcome, v, k);
	mark_here(sc, &sc->dev_outcome_m, FAM_RESTORED);
}

/* ---- host (idevicerestore / futurerestore) lines ---------------------------------- */

static void host_checkpoint_fail(struct bt_logscan *sc, int id, const char *name, size_t nn,
				 long result, enum fam f)
{
	const struct bt_step_info *si = bt_steps_by_id(id);
	if (si && (si->flags & BT_STEPF_CLEANUP))
		return;
	if (si) {
		name = si->name;
		nn = strlen(si->name);
	}
	bool parent = si && (si->flags & BT_STEPF_PARENT);
	if (!sc->host_fail.set || (cand_parent(&sc->host_fail) && !parent)) {
		cand_set(sc, &sc->host_fail, id, name, nn, result, f);
		if (!si && nn == 0)
			snprintf(sc->host_fail.name, sizeof sc->host_fail.name, "0x%04X", (unsigned)id);
	}
}

static int mask_id(uint64_t v)
{
	uint64_t low = v & 0xFFFFFFFFu; /* decimal ids: only the low 32 bits are the id */
	return low > 0x7FFFFFFF ? -1 : (int)low;
}

static void host_checkpoint(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	sc->seen_restore = true;
	struct bt_lex x = { s + 11, n - 11 }; /* after "Checkpoint " */
	uint64_t v;
	if (x.n > 0 && x.s[0] >= '0' && x.s[0] <= '9') {
		/* "Checkpoint <id> complete with code <n>" */
		if (!bt_lex_u64(&x, &v))
			return;
		int id = mask_id(v);
		long code = 0;
		if (bt_lex_eat(&x, " complete with code ")) {
			if (!bt_lex_long(&x, &code))
				code = 0;
		}
		const struct bt_step_info *si = bt_steps_by_id(id);
		tl_add(sc, id, -1, si ? si->name : "", si ? strlen(si->name) : 0,
		       code ? BT_STEP_FAILED : BT_STEP_DONE, code);
		if (code != 0 && id >= 0)
			host_checkpoint_fail(sc, id, NULL, 0, code, f);
		return;
	}
	enum { K_START, K_DONE, K_FAIL, K_WARN } k;
	if (bt_lex_eat(&x, "started"))
		k = K_START;
	else if (bt_lex_eat(&x, "completed"))
		k = K_DONE;
	else if (bt_lex_eat(&x, "FAILURE") || bt_lex_eat(&x, "FAILED"))
		k = K_FAIL;
	else if (bt_lex_eat(&x, "WARNING"))
		k = K_WARN;
	else
		return;
	const char *idp = FIND(x.s, x.n, "id:");
	if (!idp)
		return;
	x.n -= (size_t)(idp + 3 - x.s);
	x.s = idp + 3;
	bt_lex_skip_space(&x);
	if (!bt_lex_u64(&x, &v))
		return;
	int id = mask_id(v);
	const char *name = NULL;
	size_t nn = 0;
	bt_lex_skip_space(&x);
	if (x.n > 0 && x.s[0] == '(') {
		const char *close = memchr(x.s, ')', x.n);
		if (close) {
			name = x.s + 1;
			nn = (size_t)(close - name);
			x.n -= (size_t)(close + 1 - x.s);
			x.s = close + 1;
			if (nn == 7 && memcmp(name, "unknown", 7) == 0)
				nn = 0;
		}
	}
	long result = 0;
	const char *r = FIND(x.s, x.n, "result=");
	if (!r)
		r = FIND(x.s, x.n, "error ");
	if (r) {
		struct bt_lex y = { r, x.n - (size_t)(r - x.s) };
		y.s += (*r == 'r') ? 7 : 6;
		y.n -= (*r == 'r') ? 7 : 6;
		if (!bt_lex_long(&y, &result))
			result = 0;
	}
	const struct bt_step_info *si = bt_steps_by_id(id);
	const char *tn = si ? si->name : name;
	size_t tnn = si ? strlen(si->name) : nn;
	switch (k) {
	case K_START:
		tl_add(sc, id, -1, tn, tnn, BT_STEP_STARTED, 0);
		if (!(si && (si->flags & (BT_STEPF_CLEANUP | BT_STEPF_PARENT))))
			cand_set(sc, &sc->phase, id, tn, tnn, 0, f);
		break;
	case K_DONE:
		tl_add(sc, id, -1, tn, tnn, result ? BT_STEP_FAILED : BT_STEP_DONE, result);
		if (result != 0)
			host_checkpoint_fail(sc, id, name, nn, result, f);
		break;
	case K_WARN:
		break;
	case K_FAIL: {
		add_error(sc);
		tl_add(sc, id, -1, tn, tnn, BT_STEP_FAILED, result);
		set_verdict(sc, BT_OUTCOME_FAILED, f);
		/* 0x648 only carries the error text: the step is named inside it. */
		const char *colon = memchr(x.s, ':', x.n);
		const char *txt = colon ? colon + 1 : x.s;
		size_t tlen = x.n - (size_t)(txt - x.s);
		const struct bt_step_info *named = step_from_chain(txt, tlen);
		if (named && !sc->host_text.set)
			cand_step(sc, &sc->host_text, named, -1, result, f);
		if (id >= 0 && !(si && (si->flags & BT_STEPF_CLEANUP)))
			host_checkpoint_fail(sc, id, name, nn, result, f);
		break;
	}
	}
}

/* "Name (N)": a progress operation keyed on N; 3uTools prints the name alone. */
static bool progress_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	long opn = -1;
	size_t tn = n;
	if (n >= 4 && s[n - 1] == ')') {
		size_t j = n - 1;
		size_t d = 0;
		while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9' && d < 4) {
			j--;
			d++;
		}
		if (d == 0 || d > 3 || j < 2 || s[j - 1] != '(' || s[j - 2] != ' ')
			return false;
		opn = 0;
		for (size_t i = j; i < j + d; i++)
			opn = opn * 10 + (s[i] - '0');
		tn = j - 2;
	} else if (f != FAM_3U) {
		return false;
	}
	const struct bt_op_info *byn = opn >= 0 ? bt_ops_by_number((int)opn) : NULL;
	const struct bt_op_info *byt = NULL;
	if (byn && strlen(byn->text) == tn && memcmp(byn->text, s, tn) == 0)
		byt = byn; /* the usual case: number and text agree */
	else if (tn <= 40 && !STARTS(s, tn, "Unknown operation") && !STARTS(s, tn, "Unhandled"))
		byt = bt_ops_by_text(s, tn);
	/* Tools number differently (±1, old tables): where the printed text names another row,
	 * the text says what the step was; the printed number is kept as restore.op. */
	const struct bt_op_info *oi = byt ? byt : byn;
	if (opn < 0 && !byt)
		return false;
	if (!oi && !STARTS(s, tn, "Unknown operation") && !STARTS(s, tn, "Unhandled progress")) {
		/* A number no table knows: only text shaped like a progress name counts
		 * ("Updating Baobab (86)" from a newer tool, not "x = f(3)"). */
		if (tn == 0 || tn > 40 || s[0] < 'A' || s[0] > 'Z')
			return false;
		for (size_t i = 0; i < tn; i++) {
			char c = s[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '/' ||
			      c == '-'))
				return false;
		}
	}
	if (opn < 0)
		opn = byt->op;
	sc->seen_restore = true;
	if (sc->op == (int)opn && sc->tl_len > 0) {
		/* "Unmounting filesystems (29)" six times: one timeline entry, no new copies */
		struct tl_entry *last = &sc->tl[(sc->tl_head + sc->tl_len - 1) % LS_STEPS];
		if (last->s.op == (int)opn) {
			last->s.line = sc->cur_line;
			return true;
		}
	}
	sc->op = (int)opn;
	mark_here(sc, &sc->op_m, f);
	const char *name = oi ? (oi->step ? oi->step : oi->text) : NULL;
	if (!name) {
		name = s;
	} else {
		tn = strlen(name);
	}
	tl_add(sc, -1, (int)opn, name, tn, BT_STEP_STARTED, 0);
	cand_set(sc, &sc->phase, -1, name, tn, 0, f);
	return true;
}

static void host_phase(struct bt_logscan *sc, const char *step, enum fam f)
{
	sc->seen_restore = true;
	cand_set(sc, &sc->phase, -1, step, strlen(step), 0, f);
	tl_add(sc, -1, -1, step, strlen(step), BT_STEP_STARTED, 0);
}

/* Data transfers: "Sending NORData now...", "Done sending NORData", 3uTools "Sending NORData". */
static bool transfer_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	size_t k;
	if (STARTS(s, n, "Sending ") || STARTS(s, n, "sending "))
		k = 8;
	else if (STARTS(s, n, "Done sending "))
		k = 13;
	else if (STARTS(s, n, "About to send "))
		k = 14;
	else
		return false;
	const char *w = s + k;
	size_t wn = n - k;
	const char *step = STARTS(w, wn, "NORData") ? "send_nordata" :
			   STARTS(w, wn, "BasebandData") ? "send_baseband_data" :
			   STARTS(w, wn, "FDR Trust") ? "send_fdr_trust_data" :
			   STARTS(w, wn, "filesystem") ? "send_filesystem" :
			   STARTS(w, wn, "KernelCache") ? "send_kernelcache" : NULL;
	if (!step)
		return false;
	host_phase(sc, step, f);
	return true;
}

static void identified(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	/* "Identified device as d111ap, iPhone9,4" */
	struct bt_lex x = { s + 21, n - 21 };
	const char *comma = memchr(x.s, ',', x.n);
	if (!comma)
		return;
	size_t bn = (size_t)(comma - x.s);
	const char *p = comma + 1;
	size_t pn = n - (size_t)(p - s);
	bt_lex_trim(&p, &pn);
	if (bn == 0 || bn >= sizeof sc->board || pn == 0 || pn >= sizeof sc->product)
		return;
	bt_lex_copy(sc->board, sizeof sc->board, x.s, bn);
	mark_here(sc, &sc->board_m, f);
	bt_lex_copy(sc->product, sizeof sc->product, p, pn);
	mark_here(sc, &sc->product_m, f);
	sc->product_identified = true;
	sc->seen_restore = true;
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Board or product names inside file names: "iBEC.d54p.RELEASE", "all_flash.n71ap.production",
 * "sep-firmware.n61.RELEASE", "kernelcache.release.j2a", "iPhone11,8_16.2_20C65_Restore.ipsw",
 * "iPhone13,4_20A362". */
static void name_hints(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	if (sc->product_identified || sc->product[0])
		return;
	static const char *const prods[] = { "iPhone", "iPad", "iPod" };
	for (size_t k = 0; k < 3; k++) {
		const char *p = s;
		size_t left = n;
		const char *hit;
		while ((hit = bt_lex_find(p, left, prods[k])) != NULL) {
			size_t off = (size_t)(hit - s);
			size_t j = off + strlen(prods[k]);
			size_t d1 = bt_lex_digits(s + j, n - j);
			if (d1 > 0 && d1 <= 2 && j + d1 < n && s[j + d1] == ',') {
				size_t d2 = bt_lex_digits(s + j + d1 + 1, n - j - d1 - 1);
				size_t end = j + d1 + 1 + d2;
				if (d2 > 0 && d2 <= 2 && end < n && s[end] == '_') {
					bt_lex_copy(sc->product, sizeof sc->product, hit, end - off);
					mark_here(sc, &sc->product_m, f);
					return;
				}
			}
			left = n - (off + 1);
			p = hit + 1;
		}
	}
	static const char *const pre[] = { "iBEC.", "iBSS.", "LLB.", "iBoot.", "sep-firmware.",
					   "all_flash.", "DeviceTree.", "kernelcache.release." };
	for (size_t k = 0; k < sizeof pre / sizeof pre[0]; k++) {
		const char *hit = bt_lex_find(s, n, pre[k]);
		if (!hit)
			continue;
		const char *b = hit + strlen(pre[k]);
		size_t bn = 0;
		while (b + bn < s + n && is_ident_char(b[bn]) && bn < 16)
			bn++;
		const struct bt_device_row *row = bt_devices_by_board_n(b, bn);
		if (row) {
			snprintf(sc->product, sizeof sc->product, "%s", row->product);
			mark_here(sc, &sc->product_m, f);
			if (!sc->board[0]) {
				snprintf(sc->board, sizeof sc->board, "%s", row->board);
				mark_here(sc, &sc->board_m, f);
			}
			return;
		}
	}
}

static void status_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	const char *t = s + 8; /* after "Status: " */
	size_t tn = n - 8;
	bt_lex_trim(&t, &tn);
	const struct bt_status_info *st = bt_status_by_text(t, tn);
	if (!st) {
		/* not from idevicerestore's table (it prints "Unhandled status message" then) */
		add_error(sc);
		return;
	}
	sc->seen_restore = true;
	if (st->status == 0) {
		set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
	} else {
		set_verdict(sc, BT_OUTCOME_FAILED, f);
		add_error(sc);
	}
	sc->has_status_text = true;
	sc->status_text = st->status;
	mark_here(sc, &sc->status_m, f);
}

static void host_error_code(struct bt_logscan *sc, long code, enum fam f)
{
	if (code == 0 || sc->host_error != 0)
		return;
	sc->host_error = code;
	mark_here(sc, &sc->host_error_m, f);
}

static void error_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	/* Known noise: seen in successful restores too. */
	if (FIND(s, n, "MacOSVariant") || FIND(s, n, "Unable to receive message from FDR"))
		return;
	add_error(sc);
	if (FIND(s, n, "Unable to successfully restore") || FIND(s, n, "Unable to restore dev")) {
		set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "Could not read data")) {
		signature(sc, SIG_USB_READ, f);
		set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "didn't accept BasebandData")) {
		set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "Device did not disconnect") || FIND(s, n, "did not reconnect") ||
		   FIND(s, n, "Unable to connect to device in restore mode") ||
		   FIND(s, n, "failed to enter restore mode")) {
		host_phase(sc, "send_bootstrap", f);
		set_verdict(sc, BT_OUTCOME_FAILED, f);
	}
	if (FIND(s, n, "TSS") && (FIND(s, n, "fail") || FIND(s, n, "not reachable")))
		signature(sc, SIG_TSS_NETWORK, f);
	if (FIND(s, n, "isn't eligible"))
		signature(sc, SIG_TSS_REFUSED, f);
	const char *paren = FIND(s, n, "(3194)");
	if (paren)
		host_error_code(sc, 3194, f);
}

/* ---- Apple MobileDevice (iTunes / Finder / Configurator / iMazing) ----------------- */

static bool mobiledevice_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	if (STARTS(s, n, "<Restore Device")) {
		const char *op = FIND(s, n, "operation ");
		if (!op)
			return true;
		struct bt_lex x = { op + 10, n - (size_t)(op + 10 - s) };
		long opn;
		if (bt_lex_long(&x, &opn) && opn >= 0 && opn < 1000) {
			sc->seen_restore = true;
			sc->op = (int)opn;
			mark_here(sc, &sc->op_m, f);
			const struct bt_op_info *oi = bt_ops_by_number((int)opn);
			const char *name = oi ? (oi->step ? oi->step : oi->text) : "";
			tl_add(sc, -1, (int)opn, name, strlen(name), BT_STEP_STARTED, 0);
			if (oi)
				cand_set(sc, &sc->phase, -1, name, strlen(name), 0, f);
		}
		return true;
	}
	if (STARTS(s, n, "Restore completed, status:")) {
		struct bt_lex x = { s + 26, n - 26 };
		bt_lex_skip_space(&x);
		long st;
		if (!bt_lex_long(&x, &st))
			return true;
		if (st == 0) {
			set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
		} else {
			set_verdict(sc, BT_OUTCOME_FAILED, f);
			add_error(sc);
			host_error_code(sc, st, f);
		}
		sc->has_am_status = true;
		sc->am_status = st;
		mark_here(sc, &sc->am_status_m, f);
		return true;
	}
	if (STARTS(s, n, "Depth:")) {
		const char *c = FIND(s, n, "Code:");
		if (c) {
			struct bt_lex x = { c + 5, n - (size_t)(c + 5 - s) };
			long code;
			if (bt_lex_long(&x, &code))
				host_error_code(sc, code, f);
		}
		if (FIND(s, n, "transition from DFU"))
			signature(sc, SIG_DFU_TRANSITION, f);
		add_error(sc);
		return true;
	}
	if (STARTS(s, n, "Completed checkpoint id:")) {
		struct bt_lex x = { s + 24, n - 24 };
		bt_lex_skip_space(&x);
		uint64_t v;
		if (bt_lex_u64(&x, &v)) {
			int id = mask_id(v);
			const struct bt_step_info *si = bt_steps_by_id(id);
			tl_add(sc, id, -1, si ? si->name : "", si ? strlen(si->name) : 0, BT_STEP_DONE, 0);
			sc->seen_restore = true;
		}
		return true;
	}
	const char *e = FIND(s, n, "AMRestoreErrorDomain error ");
	if (!e)
		e = FIND(s, n, "Restore error ");
	if (!e)
		e = FIND(s, n, "RestoreWithError failed with error:");
	if (e) {
		const char *num = e;
		while (num < s + n && !(*num >= '0' && *num <= '9') && *num != '-')
			num++;
		struct bt_lex x = { num, n - (size_t)(num - s) };
		long code;
		if (bt_lex_long(&x, &code)) {
			host_error_code(sc, code, f);
			add_error(sc);
			set_verdict(sc, BT_OUTCOME_FAILED, f);
		}
		return true;
	}
	return false;
}

/* ---- dispatch --------------------------------------------------------------------- */

static bool two_digits(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9';
}

/* "HH:MM:SS" at s (8 bytes available): seconds of the day. */
static bool hms(const char *s, double *out)
{
	if (!two_digits(s) || s[2] != ':' || !two_digits(s + 3) || s[5] != ':' || !two_digits(s + 6))
		return false;
	*out = ((s[0] - '0') * 10 + (s[1] - '0')) * 3600.0 + ((s[3] - '0') * 10 + (s[4] - '0')) * 60.0 +
	       ((s[6] - '0') * 10 + (s[7] - '0'));
	return true;
}

static void stamp(struct bt_logscan *sc, double sec_of_day, const char *frac, size_t fn)
{
	double v = sec_of_day;
	double scale = 0.1;
	for (size_t i = 0; i < fn && i < 6 && frac[i] >= '0' && frac[i] <= '9'; i++, scale /= 10)
		v += (frac[i] - '0') * scale;
	if (!sc->have_t0) {
		sc->have_t0 = true;
		sc->t0 = v;
	}
	double d = v - sc->t0;
	if (d < 0)
		d += 86400.0; /* past midnight */
	sc->cur_t = d;
	sc->last_t = d;
}

static void dispatch(struct bt_logscan *sc, const char *s, size_t n, enum fam pf)
{
	/* pf: the family the prefix said, FAM_NONE for a bare line. */
	enum fam host = pf != FAM_NONE ? pf : FAM_IDR;
	enum fam dev = pf != FAM_NONE && pf != FAM_RESTORED ? pf : FAM_RESTORED;
	if (n == 0)
		return;
	switch (s[0]) {
	case 'C':
		if (STARTS(s, n, "CHECKPOINT")) {
			device_checkpoint(sc, s, n);
			return;
		}
		if (STARTS(s, n, "Checkpoint ")) {
			sc->fam_count[host]++;
			host_checkpoint(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Could not read data")) {
			sc->fam_count[host]++;
			error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Completed checkpoint")) {
			mobiledevice_line(sc, s, n, pf != FAM_NONE ? pf : FAM_ITUNES);
			return;
		}
		if (STARTS(s, n, "Changing state from") || STARTS(s, n, "Creating a timer"))
			sc->configurator = true;
		if (STARTS(s, n, "Checking iDevice firmware"))
			name_hints(sc, s, n, host);
		if (STARTS(s, n, "Connected to com.apple.mobile.restored")) {
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		break;
	case 'r':
		if (STARTS(s, n, "restore-step-")) {
			step_map(sc, s, n);
			return;
		}
		if (STARTS(s, n, "restore-outcome")) {
			device_outcome(sc, s, n);
			return;
		}
		if (STARTS(s, n, "ramrod") || STARTS(s, n, "restore_")) {
			sc->fam_count[FAM_RESTORED]++;
			if (STARTS(s, n, "ramrod_ticket") && FIND(s, n, "Img4 manifest"))
				signature(sc, SIG_IMG4, dev);
			if (STARTS(s, n, "restore_apfs_image") && FIND(s, n, "failed"))
				add_error(sc);
			return;
		}
		if (STARTS(s, n, "reading signing ticket"))
			name_hints(sc, s, n, FAM_FR);
		if (STARTS(s, n, "recv(") && FIND(s, n, "connection closed"))
			return; /* noise */
		break;
	case 'e':
		if (STARTS(s, n, "executing /usr/sbin/nvram ")) {
			struct bt_lex x = { s + 26, n - 26 };
			bt_lex_eat(&x, "-s ");
			if (STARTS(x.s, x.n, "restore-step-"))
				step_map(sc, x.s, x.n);
			else if (STARTS(x.s, x.n, "restore-outcome"))
				device_outcome(sc, x.s, x.n);
			else
				sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "entering ") || STARTS(s, n, "executing ")) {
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		break;
	case 'S':
		if (STARTS(s, n, "Status: ")) {
			sc->fam_count[host]++;
			status_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "SYSLOG:") || STARTS(s, n, "Searching for NAND")) {
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Start flash"))
			new_run(sc);
		break;
	case 's':
		if (transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		break;
	case 'E':
		if (STARTS(s, n, "ERROR")) {
			sc->fam_count[host]++;
			error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Extracting ")) {
			sc->fam_count[host]++;
			name_hints(sc, s, n, host);
			return;
		}
		break;
	case 'I':
		if (STARTS(s, n, "Identified device as ")) {
			sc->fam_count[host]++;
			identified(sc, s, n, host);
			return;
		}
		break;
	case 'P':
		if (STARTS(s, n, "Previous restore exit status")) {
			const char *c = memchr(s, ':', n);
			if (c) {
				const char *v = c + 1;
				size_t vn = n - (size_t)(v - s);
				bt_lex_trim(&v, &vn);
				bt_lex_copy(sc->prev_exit, sizeof sc->prev_exit, v, vn);
				mark_here(sc, &sc->prev_exit_m, host);
			}
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Personalizing")) {
			sc->fam_count[host]++;
			return;
		}
		break;
	case 'D':
		if (n == 4 && memcmp(s, "DONE", 4) == 0) {
			sc->done_seen = true; /* not a success verdict on its own (f42) */
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Done: restoring ")) {
			sc->fam_count[FAM_FR]++;
			if (FIND(s, n, "succeeded"))
				set_verdict(sc, BT_OUTCOME_SUCCEEDED, FAM_FR);
			else if (FIND(s, n, "failed"))
				set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		if (STARTS(s, n, "Done sending ") && transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Depth:")) {
			mobiledevice_line(sc, s, n, pf != FAM_NONE ? pf : FAM_ITUNES);
			return;
		}
		if (STARTS(s, n, "Device did not") || STARTS(s, n, "Device failed")) {
			error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "DFU mode device"))
			sc->configurator = true;
		break;
	case 'N':
		if (STARTS(s, n, "Not sending NORData") && FIND(s, n, "Quitting")) {
			/* Printed only with -x/--exclude: the host stops before the NOR flash. */
			sc->fam_count[host]++;
			host_phase(sc, "send_nordata", host);
			sc->host_quit = true;
			signature(sc, SIG_HOST_QUIT, host);
			add_error(sc);
			set_verdict(sc, BT_OUTCOME_FAILED, host);
			return;
		}
		if (STARTS(s, n, "NfRestore") && FIND(s, n, "ail")) {
			const struct bt_step_info *si = bt_steps_by_name("update_stockholm");
			if (si)
				cand_step(sc, &sc->own_err, si, -1, 0, dev);
			add_error(sc);
			return;
		}
		if (STARTS(s, n, "No data to read")) {
			sc->fam_count[host]++;
			signature(sc, SIG_DEVICE_SILENT, host);
			return;
		}
		break;
	case 'F':
		if (STARTS(s, n, "Found NAND service:")) {
			const char *v = s + 19;
			size_t vn = n - 19;
			bt_lex_trim(&v, &vn);
			bt_lex_copy(sc->nand_service, sizeof sc->nand_service, v, vn);
			mark_here(sc, &sc->nand_m, dev);
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "Found firmware path")) {
			name_hints(sc, s, n, host);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "FDR ") && FIND(s, n, "timeout waiting")) {
			signature(sc, SIG_DEVICE_SILENT, host);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Finished DFU Restore Phase"))
			sc->configurator = true;
		if (STARTS(s, n, "Failed with errorcode=")) {
			sc->fam_count[FAM_FR]++;
			add_error(sc);
			set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		break;
	case 'G':
		if (STARTS(s, n, "Getting firmware manifest"))
			name_hints(sc, s, n, host);
		break;
	case 'U':
		if (STARTS(s, n, "Using cached filesystem"))
			name_hints(sc, s, n, host);
		if (STARTS(s, n, "Update[") && bt_lex_find_ci(s, n, "error")) {
			/* an updater's own error: retried, not a verdict */
			const struct bt_step_info *si = bt_steps_by_text(s, n);
			if (si)
				cand_step(sc, &sc->own_err, si, -1, 0, dev);
			add_error(sc);
			return;
		}
		if (STARTS(s, n, "Unhandled progress operation") || STARTS(s, n, "Unknown operation"))
			break; /* falls to the progress parser below */
		break;
	case 'V':
		if (STARTS(s, n, "Version: ")) {
			new_run(sc);
			sc->fam_count[FAM_FR]++;
			return;
		}
		break;
	case 'A':
		if (STARTS(s, n, "ASR")) {
			sc->fam_count[FAM_RESTORED]++;
			if (FIND(s, n, "No space left on device"))
				signature(sc, SIG_ASR_NO_SPACE, dev);
			if (FIND(s, n, "Checksum failed"))
				signature(sc, SIG_ASR_CHECKSUM, dev);
			if (FIND(s, n, "Could not") || FIND(s, n, "STATUS: fail"))
				add_error(sc);
			return;
		}
		if (STARTS(s, n, "AMPDevicesAgent"))
			sc->configurator = true;
		if (STARTS(s, n, "About to restore device")) {
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		if (transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (mobiledevice_line(sc, s, n, pf != FAM_NONE ? pf : FAM_ITUNES))
			return;
		break;
	case 'b':
		if (STARTS(s, n, "bbupdater")) {
			sc->fam_count[FAM_RESTORED]++;
			sc->seen_restore = true;
			if (FIND(s, n, "kBBUReturnIOError") || FIND(s, n, "communication transport"))
				signature(sc, SIG_BB_TRANSPORT, dev);
			if (FIND(s, n, "FAILED") || FIND(s, n, "rror")) {
				const struct bt_step_info *si = bt_steps_by_name("update_baseband");
				if (si) /* the log prints no id here */
					cand_step(sc, &sc->own_err, si, -1, 0, dev);
				add_error(sc);
			}
			return;
		}
		break;
	case 'u':
		if (STARTS(s, n, "update_stockholm:") && FIND(s, n, "ail")) {
			/* the NFC updater's own error: may be retried, not a verdict */
			const struct bt_step_info *si = bt_steps_by_name("update_stockholm");
			if (si)
				cand_step(sc, &sc->own_err, si, -1, 0, dev);
			add_error(sc);
			return;
		}
		if (STARTS(s, n, "update_baseband:")) {
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "usbmuxd") && FIND(s, n, "-104")) {
			signature(sc, SIG_USB_TRANSFER, FAM_USBMUXD);
			add_error(sc);
			return;
		}
		break;
	case 'i':
		if (STARTS(s, n, "idevicerestore ") && n > 15 && s[15] >= '0' && s[15] <= '9')
			new_run(sc);
		break;
	case 'f':
		if (STARTS(s, n, "futurerestore: failed")) {
			sc->fam_count[FAM_FR]++;
			add_error(sc);
			set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		break;
	case 'w':
		if (STARTS(s, n, "what=")) {
			sc->fam_count[FAM_FR]++;
			add_error(sc);
			if (FIND(s, n, "[TSSC]") || FIND(s, n, "firmware.json"))
				signature(sc, SIG_TSS_NETWORK, FAM_FR);
			return;
		}
		break;
	case '[':
		if (STARTS(s, n, "[Error]") || STARTS(s, n, "[WARNING]") || STARTS(s, n, "[TSS")) {
			sc->fam_count[FAM_FR]++;
			if (FIND(s, n, "CURLcode") || (STARTS(s, n, "[TSS") && FIND(s, n, "fail")))
				signature(sc, SIG_TSS_NETWORK, FAM_FR);
			if (STARTS(s, n, "[Error]")) {
				const char *p = s + 7;
				size_t pn = n - 7;
				bt_lex_trim(&p, &pn);
				if (STARTS(p, pn, "ERROR"))
					error_line(sc, p, pn, FAM_FR);
				else
					add_error(sc);
			}
			return;
		}
		break;
	case 'R':
		if (STARTS(s, n, "Received response without expected RESTORED_FDR_TRUST_DATA")) {
			sc->fam_count[FAM_RESTORED]++;
			signature(sc, SIG_FDR_TRUST, dev);
			add_error(sc);
			return;
		}
		if (STARTS(s, n, "RestoredFDRCreate() returned")) {
			sc->fam_count[FAM_RESTORED]++;
			add_error(sc);
			return;
		}
		if (STARTS(s, n, "Restore completed")) {
			mobiledevice_line(sc, s, n, pf != FAM_NONE ? pf : FAM_ITUNES);
			return;
		}
		break;
	case '<':
		if (mobiledevice_line(sc, s, n, pf != FAM_NONE ? pf : FAM_ITUNES)) {
			sc->fam_count[pf != FAM_NONE ? pf : FAM_ITUNES]++;
			return;
		}
		break;
	default:
		break;
	}
	if (s[n - 1] == ')' || pf == FAM_3U) {
		if (progress_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
	}
	if (pf == FAM_3U && STARTS(s, n, "Sending ") && transfer_line(sc, s, n, pf))
		return;
}

/* One line: peel the prefix, then dispatch. */
static void scan_line(struct bt_logscan *sc, const char *s, size_t n, long lineno)
{
	if (n > LS_CAP)
		n = LS_CAP;
	sc->cur_line = lineno;
	/* A line without its own stamp belongs to the last stamped one (device logs stamp only
	 * CHECKPOINT lines). */
	sc->cur_t = sc->last_t;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	sc->raw = s;
	sc->raw_n = n;
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return;
	enum fam pf = FAM_NONE;
	double sod;
	if (s[0] == '[' && n > 14 && hms(s + 1, &sod) && s[9] == '.') {
		/* "[HH:MM:SS.ffff-GMT]{a>b} " device, "[HH:MM:SS.ffff] " iTunes / Configurator */
		const char *close = memchr(s, ']', n < 24 ? n : 24);
		if (close) {
			stamp(sc, sod, s + 10, (size_t)(close - s - 10));
			bool gmt = close - s >= 4 && memcmp(close - 4, "-GMT", 4) == 0;
			n -= (size_t)(close + 1 - s);
			s = close + 1;
			if (gmt && n > 0 && s[0] == '{') {
				const char *cb = memchr(s, '}', n < 16 ? n : 16);
				if (cb) {
					n -= (size_t)(cb + 1 - s);
					s = cb + 1;
				}
			}
			pf = gmt ? FAM_RESTORED : (sc->configurator ? FAM_CONFIG : FAM_ITUNES);
		}
	} else if (n > 13 && hms(s, &sod) && s[8] == '.' && s[12] == ':') {
		/* "HH:MM:SS.mmm:" — iMazing (one space, "<Restore Device") or 3uTools (two). */
		stamp(sc, sod, s + 9, 3);
		bool two = n > 14 && s[13] == ' ' && s[14] == ' ';
		if (!sc->ts_style)
			sc->ts_style = (two && !FIND(s, n, "<Restore Device")) ? FAM_3U : FAM_ITUNES;
		pf = (enum fam)sc->ts_style;
		s += 13;
		n -= 13;
	} else if (n > 13 && hms(s, &sod) && s[8] == '.' && s[12] == ' ') {
		/* newer idevicerestore builds: "HH:MM:SS.mmm <Level> text" (RLF§1); the content
		 * says the family */
		stamp(sc, sod, s + 9, 3);
		s += 13;
		n -= 13;
		if (n > 2 && (s[0] == '<' || s[0] == '[')) {
			const char *close = memchr(s, s[0] == '<' ? '>' : ']', n < 12 ? n : 12);
			if (close && (size_t)(close + 1 - s) < n && close[1] == ' ') {
				n -= (size_t)(close + 2 - s);
				s = close + 2;
			}
		}
	} else if (n > 24 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && hms(s + 11, &sod) &&
		   s[19] == '.') {
		/* "YYYY-MM-DD HH:MM:SS.mmm "...\n"" — a GUI wrapper quoting the tool's lines */
		stamp(sc, sod, s + 20, 3);
		size_t k = 20;
		while (k < n && s[k] >= '0' && s[k] <= '9')
			k++;
		s += k;
		n -= k;
		bt_lex_trim(&s, &n);
		if (n > 0 && s[0] == '"') {
			s++;
			n--;
			if (n > 0 && s[n - 1] == '"')
				n--;
			if (n >= 2 && s[n - 2] == '\\' && s[n - 1] == 'n')
				n -= 2;
		}
		pf = FAM_WRAPPER;
	} else if (s[0] == '[' && n > 3 && s[1] >= '0' && s[1] <= '9') {
		/* usbmuxd -vv: "[sec.usec][tid] libusb: ... status=-71" */
		const char *close = memchr(s, ']', n < 32 ? n : 32);
		if (close && memchr(s, '.', (size_t)(close - s))) {
			pf = FAM_USBMUXD;
			if (FIND(s, n, "libusb") || FIND(s, n, "usbmuxd")) {
				sc->fam_count[FAM_USBMUXD]++;
				if (FIND(s, n, "status=-71") || FIND(s, n, "-104")) {
					signature(sc, SIG_USB_TRANSFER, FAM_USBMUXD);
					add_error(sc);
				}
				return;
			}
		}
	} else if (STARTS(s, n, "[... corpus: gap")) {
		/* The corpus gap marker: unknown lines here, so what the host was doing is
		 * no longer known. */
		memset(&sc->phase, 0, sizeof sc->phase);
		return;
	}
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return;
	if (pf == FAM_3U || pf == FAM_WRAPPER || pf == FAM_ITUNES || pf == FAM_CONFIG)
		sc->fam_count[pf]++;
	if (pf == FAM_3U && STARTS(s, n, "Checking iDevice firmware")) {
		name_hints(sc, s, n, pf);
		return;
	}
	dispatch(sc, s, n, pf);
}

/* ---- feeding ---------------------------------------------------------------------- */

struct bt_logscan *bt_logscan_new(void)
{
	struct bt_logscan *sc = bt_xcalloc(1, sizeof *sc);
	sc->op = -1;
	sc->src = "";
	sc->last_t = -1.0;
	return sc;
}

void bt_logscan_free(struct bt_logscan *sc)
{
	if (!sc)
		return;
	struct srcname *s = sc->sources;
	while (s) {
		struct srcname *next = s->next;
		free(s);
		s = next;
	}
	free(sc);
}

void bt_logscan_begin(struct bt_logscan *sc, const char *source)
{
	if (!source)
		source = "";
	size_t len = strlen(source);
	if (len > 1024)
		len = 1024;
	struct srcname *s = bt_xmalloc(sizeof *s + len + 1);
	memcpy(s->name, source, len);
	s->name[len] = '\0';
	s->next = sc->sources;
	sc->sources = s;
	sc->src = s->name;
	sc->carry_len = 0;
	sc->carry_over = false;
	sc->after_cr = false;
	sc->lineno = 0;
	sc->ts_style = 0;
	sc->have_t0 = false; /* each source has its own clock */
	sc->last_t = -1.0;
	memset(&sc->phase, 0, sizeof sc->phase);
}

void bt_logscan_line(struct bt_logscan *sc, const struct bt_line *line)
{
	if (!line || !line->text)
		return;
	sc->lineno = line->lineno;
	scan_line(sc, line->text, line->len, line->lineno);
}

static void carry_add(struct bt_logscan *sc, const char *p, size_t n)
{
	size_t room = LS_CAP - sc->carry_len;
	if (n > room) {
		n = room;
		sc->carry_over = true;
	}
	memcpy(sc->carry + sc->carry_len, p, n);
	sc->carry_len += n;
}

static void emit(struct bt_logscan *sc, const char *p, size_t n)
{
	sc->lineno++;
	scan_line(sc, p, n, sc->lineno);
}

void bt_logscan_feed(struct bt_logscan *sc, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	if (len == 0)
		return;
	if (sc->after_cr) {
		sc->after_cr = false;
		if (*p == '\n')
			p++;
	}
	/* One look for CR per chunk: most logs have none, so lines need one memchr each. */
	bool has_cr = memchr(p, '\r', (size_t)(end - p)) != NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		const char *cr = has_cr ? memchr(p, '\r', (size_t)(stop - p)) : NULL;
		if (cr)
			stop = cr;
		if (!nl && !cr) {
			carry_add(sc, p, (size_t)(end - p));
			return;
		}
		if (sc->carry_len > 0 || sc->carry_over) {
			carry_add(sc, p, (size_t)(stop - p));
			emit(sc, sc->carry, sc->carry_len);
			sc->carry_len = 0;
			sc->carry_over = false;
		} else {
			emit(sc, p, (size_t)(stop - p));
		}
		if (cr) {
			p = cr + 1;
			if (p == end)
				sc->after_cr = true;
			else if (*p == '\n')
				p++;
		} else {
			p = nl + 1;
		}
	}
}

void bt_logscan_end(struct bt_logscan *sc)
{
	if (sc->carry_len > 0 || sc->carry_over)
		emit(sc, sc->carry, sc->carry_len);
	sc->carry_len = 0;
	sc->carry_over = false;
	sc->after_cr = false;
}

int bt_logscan_file(struct bt_logscan *sc, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BT_ERR_IO;
	bt_logscan_begin(sc, path);
	enum { CHUNK = 1 << 18 };
	char *buf = bt_xmalloc(CHUNK);
	int rc = BT_OK;
	for (;;) {
		ssize_t got = read(fd, buf, CHUNK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = BT_ERR_IO;
			break;
		}
		if (got == 0)
			break;
		bt_logscan_feed(sc, buf, (size_t)got);
	}
	int saved = errno;
	free(buf);
	close(fd);
	bt_logscan_end(sc);
	errno = saved;
	return rc;
}

/* ---- the verdict ------------------------------------------------------------------ */

const char *bt_outcome_name(enum bt_outcome o)
{
	switch (o) {
	case BT_OUTCOME_INCOMPLETE: return "incomplete";
	case BT_OUTCOME_FAILED: return "failed";
	case BT_OUTCOME_SUCCEEDED: return "succeeded";
	case BT_OUTCOME_UNKNOWN: break;
	}
	return "unknown";
}

static enum fam dominant(const struct bt_logscan *sc)
{
	enum fam best = FAM_NONE;
	long most = 0;
	for (int f = 1; f < FAM_COUNT; f++)
		if (sc->fam_count[f] > most) {
			most = sc->fam_count[f];
			best = (enum fam)f;
		}
	return best;
}

static const char *fam_name(const struct bt_logscan *sc, enum fam f)
{
	if (f == FAM_ITUNES && sc->configurator)
		f = FAM_CONFIG;
	return fam_names[f];
}

/* The failing step by precedence: device root, device first failure, host checkpoint,
 * the step named in a 0x648 text, a step's own error, what the host was doing. */
static struct cand *failed_cand(struct bt_logscan *sc, enum bt_outcome o)
{
	if (o == BT_OUTCOME_INCOMPLETE)
		return sc->own_err.set ? &sc->own_err : NULL;
	if (o != BT_OUTCOME_FAILED)
		return NULL;
	if (sc->dev_root.set)
		return &sc->dev_root;
	if (sc->dev_first.set)
		return &sc->dev_first;
	if (sc->host_fail.set)
		return &sc->host_fail;
	if (sc->host_text.set)
		return &sc->host_text;
	if (sc->own_err.set)
		return &sc->own_err;
	if (sc->phase.set)
		return &sc->phase;
	return NULL;
}

const struct bt_restore *bt_logscan_result(struct bt_logscan *sc)
{
	struct bt_restore *r = &sc->res;
	memset(r, 0, sizeof *r);
	r->failed_step.id = -1;
	r->failed_step.op = -1;
	r->failed_step.time_s = -1.0;
	enum bt_outcome o = BT_OUTCOME_UNKNOWN;
	if (sc->verdict)
		o = (enum bt_outcome)sc->verdict;
	else if (sc->seen_restore)
		o = BT_OUTCOME_INCOMPLETE;
	r->outcome = o;
	struct cand *c = failed_cand(sc, o);
	enum fam fam = FAM_NONE;
	if (c && c->name[0]) {
		snprintf(sc->res_failed_name, sizeof sc->res_failed_name, "%s", c->name);
		r->failed_step.name = sc->res_failed_name;
		r->failed_step.id = c->id;
		r->failed_step.subsystem = bt_steps_subsystem(c->name);
		if (r->failed_step.subsystem == NULL || !bt_steps_by_name(c->name)) {
			const struct bt_op_info *oi = bt_ops_by_text(c->name, strlen(c->name));
			r->failed_step.subsystem = oi ? oi->subsystem : "unknown";
		}
		r->failed_step.state = c == &sc->own_err ? BT_STEP_RETRIED : BT_STEP_FAILED;
		r->failed_step.result = c->result;
		r->failed_step.source = c->m.source;
		r->failed_step.line = c->m.line;
		r->failed_step.time_s = c->m.t;
		fam = c->m.fam;
		/* The host printed the same step first (f16): its family carries the failure. */
		if (c != &sc->host_fail && sc->host_fail.set && sc->host_fail.m.source == c->m.source &&
		    sc->host_fail.m.line < c->m.line && strcmp(sc->host_fail.name, c->name) == 0)
			fam = sc->host_fail.m.fam;
	}
	/* Status: the Status text, else the first non-retry device FAILURE code, else the
	 * MobileDevice "Restore completed, status". */
	if (sc->has_status_text) {
		r->has_status = true;
		r->status = sc->status_text;
	} else if (sc->has_dev_status) {
		r->has_status = true;
		r->status = sc->dev_status;
	} else if (sc->has_am_status) {
		r->has_status = true;
		r->status = sc->am_status;
	}
	r->host_error = sc->host_error;
	switch (o) {
	case BT_OUTCOME_SUCCEEDED:
		r->subsystem = "none";
		break;
	case BT_OUTCOME_FAILED:
		if (sc->host_quit) {
			/* the host stopped on purpose: its step never ran on the phone */
			r->subsystem = "host";
			if (r->failed_step.name)
				r->failed_step.subsystem = "host";
		}
		else if (r->failed_step.name)
			r->subsystem = r->failed_step.subsystem;
		else {
			const struct bt_status_info *st =
				r->has_status ? bt_status_by_number(r->status) : NULL;
			const struct bt_host_error_info *he =
				r->host_error ? bt_host_error_info(r->host_error) : NULL;
			r->subsystem = st ? st->subsystem : he ? he->subsystem : "unknown";
		}
		break;
	default:
		r->subsystem = r->failed_step.name ? r->failed_step.subsystem : "unknown";
		break;
	}
	if (!r->subsystem)
		r->subsystem = "unknown";
	r->product_type = sc->product[0] ? sc->product : NULL;
	r->board_config = sc->board[0] ? sc->board : NULL;
	if (fam == FAM_NONE && sc->verdict_m.set)
		fam = sc->verdict_m.fam;
	if (fam == FAM_NONE)
		fam = dominant(sc);
	r->family = fam != FAM_NONE ? fam_name(sc, fam) : NULL;
	if (sc->verdict_m.set) {
		r->verdict_source = sc->verdict_m.source;
		r->verdict_line = sc->verdict_m.line;
		r->verdict_text = mark_text(&sc->verdict_m);
	}
	for (size_t i = 0; i < sc->err_len; i++)
	{
		size_t slot = (sc->err_head + i) % LS_ERRORS;
		if (sc->err_lens[slot]) {
			char tmp[LS_ERR_LEN];
			bt_lex_copy(tmp, sizeof tmp, sc->errs[slot], sc->err_lens[slot] - 1);
			memcpy(sc->errs[slot], tmp, sizeof tmp);
			sc->err_lens[slot] = 0;
		}
		sc->out_errs[i] = sc->errs[slot];
	}
	r->nerrors = sc->err_len;
	r->errors = sc->out_errs;
	for (size_t i = 0; i < sc->tl_len; i++) {
		const struct tl_entry *e = &sc->tl[(sc->tl_head + i) % LS_STEPS];
		sc->out_steps[i] = e->s;
		bt_lex_copy(sc->out_names[i], LS_NAME, e->name, strlen(e->name));
		sc->out_steps[i].name = sc->out_names[i];
		const struct bt_step_info *si =
			e->s.id >= 0 ? bt_steps_by_id(e->s.id) : bt_steps_by_name(e->name);
		const struct bt_op_info *oi = e->s.op >= 0 ? bt_ops_by_number(e->s.op) : NULL;
		sc->out_steps[i].subsystem = si ? si->subsystem : oi ? oi->subsystem : "unknown";
	}
	r->nsteps = sc->tl_len;
	r->steps = sc->out_steps;
	r->lines = sc->lineno;
	return r;
}

/* ---- evidence --------------------------------------------------------------------- */

static void ev_mark(struct bt_evset *set, const char *key, const char *value, struct mark *m)
{
	if (m && m->set)
		bt_evset_put(set, key, value, m->source, m->line, m->t, mark_text(m));
	else
		bt_evset_put(set, key, value, NULL, 0, -1.0, NULL);
}

void bt_logscan_evidence(struct bt_logscan *sc, struct bt_evset *set)
{
	const struct bt_restore *r = bt_logscan_result(sc);
	char buf[64];
	ev_mark(set, "restore.outcome", bt_outcome_name(r->outcome),
		sc->verdict_m.set ? &sc->verdict_m : NULL);
	struct cand *c = failed_cand(sc, r->outcome);
	struct mark *fm = (c && c->name[0]) ? &c->m : NULL;
	if (r->failed_step.name) {
		ev_mark(set, "restore.failed_step", r->failed_step.name, fm);
		if (r->failed_step.id >= 0) {
			snprintf(buf, sizeof buf, "0x%04X", (unsigned)r->failed_step.id);
			ev_mark(set, "restore.failed_step_id", buf, fm);
		}
	}
	if (r->outcome != BT_OUTCOME_UNKNOWN)
		ev_mark(set, "restore.subsystem", r->subsystem, fm ? fm : (sc->verdict_m.set ? &sc->verdict_m : NULL));
	if (r->has_status) {
		snprintf(buf, sizeof buf, "%ld", r->status);
		struct mark *sm = sc->has_status_text ? &sc->status_m :
					sc->has_dev_status ? &sc->dev_status_m : &sc->am_status_m;
		ev_mark(set, "restore.status", buf, sm);
	}
	if (r->host_error) {
		snprintf(buf, sizeof buf, "%ld", r->host_error);
		ev_mark(set, "restore.error", buf, &sc->host_error_m);
	}
	if (sc->op >= 0) {
		snprintf(buf, sizeof buf, "%d", sc->op);
		ev_mark(set, "restore.op", buf, &sc->op_m);
	}
	for (size_t i = r->nsteps; i > 0; i--) {
		const struct bt_step *st = &r->steps[i - 1];
		if (!st->name[0] || name_is(st->name, BT_STEPF_CLEANUP) || id_is(st->id, BT_STEPF_CLEANUP))
			continue;
		bt_evset_put(set, "restore.last_step", st->name, st->source, st->line, st->time_s, NULL);
		break;
	}
	for (int i = 0; i < SIG_COUNT; i++) {
		if (!sc->sig[i].set)
			continue;
		snprintf(buf, sizeof buf, "restore.signature.%s", sig_names[i]);
		ev_mark(set, buf, "yes", &sc->sig[i]);
	}
	if (r->product_type)
		ev_mark(set, "device.product_type", r->product_type, &sc->product_m);
	if (r->board_config)
		ev_mark(set, "device.board_config", r->board_config, &sc->board_m);
	if (r->family)
		ev_mark(set, "restore.family", r->family, NULL);
	if (sc->nand_service[0])
		ev_mark(set, "restore.nand_service", sc->nand_service, &sc->nand_m);
	if (sc->dev_outcome[0])
		ev_mark(set, "restore.device_outcome", sc->dev_outcome, &sc->dev_outcome_m);
	if (sc->prev_exit[0])
		ev_mark(set, "restore.previous_exit_status", sc->prev_exit, &sc->prev_exit_m);
	if (sc->done_seen && r->outcome != BT_OUTCOME_SUCCEEDED)
		ev_mark(set, "restore.done_without_success", "yes", NULL);
}
