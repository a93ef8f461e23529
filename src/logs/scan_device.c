/* scan_device.c — lines of the device-side restored log: CHECKPOINT lines, the NVRAM
 * restore-step-* maps (also the old "executing /usr/sbin/nvram" style) and restore-outcome. */
#include "logs/scan_priv.h"

#include <stdio.h>

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
	if (!bt_lex_u64(&x, &v) || !EAT(&x, "]"))
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
		bt_ls_add_error(sc);
		if (!retry && fc) {
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
			if (!sc->has_dev_status) {
				sc->has_dev_status = true;
				sc->dev_status = code;
				bt_ls_mark_here(sc, &sc->dev_status_m, FAM_RESTORED);
			}
		}
		return;
	}
	const struct bt_step_info *si = bt_steps_by_id(id);
	if (si) {
		name = si->name;
		nn = bt_ls_step_name_len(si);
	}
	bt_ls_add_error(sc);
	bt_ls_tl_add(sc, id, -1, name, nn, retry ? BT_STEP_RETRIED : BT_STEP_FAILED, code);
	if (retry) {
		/* Retried in place: the updater's own error, never a verdict. */
		if (!(si && (si->flags & (BT_STEPF_CLEANUP | BT_STEPF_PARENT))))
			bt_ls_cand_set(sc, &sc->own_err, id, name, nn, code, FAM_RESTORED);
		return;
	}
	bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
	if (!sc->has_dev_status) {
		sc->has_dev_status = true;
		sc->dev_status = code;
		bt_ls_mark_here(sc, &sc->dev_status_m, FAM_RESTORED);
	}
	if (si && (si->flags & BT_STEPF_CLEANUP))
		return;
	struct cand c;
	memset(&c, 0, sizeof c);
	bt_ls_cand_set(sc, &c, id, name, nn, code, FAM_RESTORED);
	if (si && (si->flags & BT_STEPF_PARENT)) {
		/* A parent inherits its child's failure: the text may name the child. */
		const struct bt_step_info *child = bt_ls_step_from_chain(rest, rn);
		if (child && !(child->flags & BT_STEPF_PARENT)) {
			c.id = -1;
			c.parent = 0;
			bt_lex_copy(c.name, sizeof c.name, child->name, bt_ls_step_name_len(child));
		}
	}
	sc->recent = c;
	if (!sc->dev_first.set)
		sc->dev_first = c;
}

void bt_ls_device_checkpoint(struct bt_logscan *sc, const char *s, size_t n)
{
	sc->seen_restore = true;
	sc->fam_count[FAM_RESTORED]++;
	struct bt_lex x = { s + 10, n - 10 }; /* after "CHECKPOINT" */
	if (EAT(&x, "_INTERNAL_ERROR")) {
		if (FIND(x.s, x.n, "no space for data"))
			bt_ls_signature(sc, SIG_NVRAM_FULL, FAM_RESTORED);
		bt_ls_add_error(sc);
		return;
	}
	bt_lex_skip_space(&x);
	int id = -1;
	const char *name, *rest;
	size_t nn, rn;
	if (EAT(&x, "BEGIN:")) {
		if (parse_group_step(x.s, x.n, &id, &name, &nn, &rest, &rn)) {
			const struct bt_step_info *si = bt_steps_by_id(id);
			if (!si)
				bt_ls_remember_name(sc, id, name, nn);
			bt_ls_tl_add(sc, id, -1, si ? si->name : name, si ? bt_ls_step_name_len(si) : nn,
			       BT_STEP_STARTED, 0);
			if (si && (si->flags & BT_STEPF_CLEANUP)) {
				/* An error record followed by cleanup is a verdict. */
				if (sc->recent.set && !sc->verdict)
					bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
				if (sc->recent.set && !sc->dev_first.set)
					sc->dev_first = sc->recent;
			} else if (!(si && (si->flags & BT_STEPF_PARENT)) &&
				   !(sc->verdict && sc->phase.set && sc->phase.m.fam != FAM_RESTORED)) {
				/* (a device log printed after the host's verdict, "Log is available:",
				 * does not replace what the host was doing when it gave up) */
				bt_ls_cand_set(sc, &sc->phase, id, si ? si->name : name,
					 si ? bt_ls_step_name_len(si) : nn, 0, FAM_RESTORED);
			}
		}
	} else if (EAT(&x, "END:")) {
		if (parse_group_step(x.s, x.n, &id, &name, &nn, &rest, &rn)) {
			const struct bt_step_info *si = bt_steps_by_id(id);
			bt_ls_tl_add(sc, id, -1, si ? si->name : name, si ? bt_ls_step_name_len(si) : nn,
			       BT_STEP_DONE, 0);
		}
	} else if (EAT(&x, "FAILURE:")) {
		device_failure(sc, x.s, x.n, false);
	} else if (EAT(&x, "IMMED_RETRY:")) {
		device_failure(sc, x.s, x.n, true);
	} else if (EAT(&x, "NOTICE:")) {
		if (FIND(x.s, x.n, "(first failure)") && sc->recent.set && !sc->dev_root.set)
			sc->dev_root = sc->recent;
	}
	/* PROGRESS, WARNING, ANOMALY: context only. */
}

/* The bytes that end or nest a map value. */
static const unsigned char map_special[256] = { ['"'] = 1, ['{'] = 1, ['}'] = 1, [';'] = 1 };

/* "restore-step-xxx = {0x11070616:{0:6};...}" (also the old "executing /usr/sbin/nvram
 * restore-step-xxx={...}"). */
void bt_ls_step_map(struct bt_logscan *sc, const char *s, size_t n)
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
	/* restore-step-names lists the steps open now: a plain step still open while a
	 * cleanup step runs has ended abnormally (idevicerestore#735: is_host_compatible open
	 * under cleanup_send_final_status). */
	bool cleanup_open = false;
	int open_id = -1;
	const char *open_name = NULL;
	size_t open_len = 0;
	/* Whether each candidate is a parent step: looked up once per line, not per key. */
	bool parents[2] = { false, false };
	if (kind == M_RESULTS) {
		parents[0] = sc->dev_first.set && bt_ls_cand_parent(&sc->dev_first);
		parents[1] = sc->dev_root.set && bt_ls_cand_parent(&sc->dev_root);
	}
	while (i < n) {
		struct bt_lex x = { s + i, n - i };
		uint64_t key;
		if (!EAT(&x, "0x") && !EAT(&x, "0X"))
			break;
		/* re-parse with the prefix for bt_lex_u64 */
		x.s -= 2;
		x.n += 2;
		if (!bt_lex_u64(&x, &key) || !EAT(&x, ":"))
			break;
		unsigned tag = (unsigned)((key >> 16) & 0xFFFF);
		int id = (int)(key & 0xFFFF);
		/* The value runs to the next ';' outside braces and quotes. */
		size_t depth = 0, k = 0;
		bool quote = false;
		while (k < x.n) {
			while (k < x.n && !map_special[(unsigned char)x.s[k]])
				k++; /* most bytes are none of the four */
			if (k == x.n)
				break;
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
		if (kind == M_NAMES) {
			if (tag == 0x1103)
				bt_ls_remember_name(sc, id, val, vn);
			/* the device printed this step's id: a failing step named only by its text
			 * may show it (failed_step_id is what the log prints) */
			if (si && bt_ls_step_name_len(si) == vn && memcmp(si->name, val, vn) == 0)
				sc->printed_ids[sc->nprinted++ % 16] = id;
			if ((si && (si->flags & BT_STEPF_CLEANUP)) || (!si && STARTS(val, vn, "cleanup_"))) {
				cleanup_open = true;
			} else if (!(si && (si->flags & BT_STEPF_PARENT)) && vn > 0) {
				open_id = id;
				open_name = si ? si->name : val;
				open_len = si ? bt_ls_step_name_len(si) : vn;
			}
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
					bt_lex_copy(c->name, sizeof c->name, si->name, bt_ls_step_name_len(si));
				}
			}
		} else if (kind == M_ERROR && tag == 0x1107) {
			if (!error_logged) {
				bt_ls_add_error(sc);
				error_logged = true;
			}
			if (FIND(val, vn, "proxy is enabled") || FIND(val, vn, "copy proxy information"))
				bt_ls_signature(sc, SIG_FDR_PROXY, FAM_RESTORED);
			if (!(si && (si->flags & (BT_STEPF_PARENT | BT_STEPF_CLEANUP)))) {
				const char *nm = si ? si->name : bt_ls_cached_name(sc, id);
				const struct bt_step_info *tx = nm ? NULL : bt_ls_step_from_chain(val, vn);
				if (tx)
					nm = tx->name;
				bt_ls_cand_set(sc, &sc->recent, id, nm ? nm : "", nm ? strlen(nm) : 0, 0,
					 FAM_RESTORED);
				if (!nm)
					snprintf(sc->recent.name, sizeof sc->recent.name, "0x%04X", (unsigned)id);
			}
		}
		i = (size_t)(x.s - s) + k + 1;
	}
	if (cleanup_open && open_name && !sc->recent.set && !sc->dev_first.set) {
		/* a candidate only: whether the restore failed is for the verdict lines to say */
		bt_ls_cand_set(sc, &sc->recent, open_id, open_name, open_len, 0, FAM_RESTORED);
		sc->dev_first = sc->recent;
	}
}

/* "restore-outcome = initial_engine_no_return": the device's own restore state machine. */
void bt_ls_device_outcome(struct bt_logscan *sc, const char *s, size_t n)
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
	bt_ls_mark_here(sc, &sc->dev_outcome_m, FAM_RESTORED);
}

/* ---- blocks spanning lines: old-style CFError lists, panic logs ---------------------- */

/* "restore failed with CFError:" then "0: AMRestoreErrorDomain/ffffffff: failed to update
 * device firmware", ..., "2: RamrodErrorDomain/3: update_iBoot: request for LLB data returned
 * NULL" (idevicerestore#130): outer error first, the deepest last. */
void bt_ls_cferror_start(struct bt_logscan *sc, bool header)
{
	sc->seen_restore = true;
	if (header) { /* the entries count and quote themselves */
		sc->fam_count[FAM_RESTORED]++;
		bt_ls_add_error(sc);
	}
	bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_RESTORED);
	sc->cferror = true;
	sc->cf_best = NULL;
	sc->cf_first = !sc->dev_first.set;
}

static bool cferror_entry(struct bt_logscan *sc, const char *s, size_t n)
{
	/* "<n>: <Domain>/<code>: <text>" */
	struct bt_lex x = { s, n };
	long idx;
	if (!ls_long(&x, &idx) || !EAT(&x, ": "))
		return false;
	const char *slash = memchr(x.s, '/', x.n);
	if (!slash)
		return false;
	const char *colon = memchr(slash, ':', x.n - (size_t)(slash - x.s));
	if (!colon)
		return false;
	const char *t = colon + 1;
	size_t tn = n - (size_t)(t - s);
	bt_lex_trim(&t, &tn);
	sc->fam_count[FAM_RESTORED]++;
	bt_ls_add_error(sc);
	const struct bt_step_info *si = bt_steps_by_text(t, tn);
	if (!si || (sc->cf_best && (si->flags & BT_STEPF_PARENT)))
		return true; /* a parent never replaces the child below it */
	sc->cf_best = si;
	struct cand c;
	memset(&c, 0, sizeof c);
	/* the entry names the step, not its id: an id the log prints elsewhere is added later */
	bt_ls_cand_step(sc, &c, si, -1, 0, FAM_RESTORED);
	bt_ls_tl_add(sc, si->id, -1, si->name, bt_ls_step_name_len(si), BT_STEP_FAILED, 0);
	sc->recent = c;
	if (sc->cf_first)
		sc->dev_first = c;
	return true;
}

/* Words of a kernel panic string that point at the storage stack (NAND FTL, ASP, NVMe). */
static bool storage_panic(const char *s, size_t n)
{
	static const char *const words[] = { "BadBlock", "NAND", "nand", "FTL", "ASP", "NVMe",
					     "AppleANS", "IOFlashController" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (bt_lex_find(s, n, words[i]))
			return true;
	return false;
}

bool bt_ls_device_block_line(struct bt_logscan *sc, const char *s, size_t n)
{
	if (sc->panic_next) {
		/* idevicerestore prints restored's PanicLog: a panic of the device's last boot */
		sc->panic_next = false;
		if (!STARTS(s, n, "panic("))
			return false;
		sc->fam_count[FAM_RESTORED]++;
		bt_ls_add_error(sc);
		bt_ls_signature(sc, SIG_DEVICE_PANIC, FAM_RESTORED);
		if (storage_panic(s, n))
			bt_ls_signature(sc, SIG_PANIC_STORAGE, FAM_RESTORED);
		return true;
	}
	if (sc->cferror && cferror_entry(sc, s, n))
		return true;
	sc->cferror = false;
	return false;
}
