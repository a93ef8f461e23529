/* scan_host.c — host lines of idevicerestore, futurerestore and 3uTools: checkpoints in
 * all three styles, progress operations, data transfers, identity, Status and ERROR lines. */
#include "logs/scan_priv.h"

#include <stdio.h>

#include "logs/devices.h"

/* ---- host (idevicerestore / futurerestore) lines ---------------------------------- */

static void host_checkpoint_fail(struct bt_logscan *sc, int id, const char *name, size_t nn,
				 long result, enum fam f)
{
	const struct bt_step_info *si = bt_steps_by_id(id);
	if (si && (si->flags & BT_STEPF_CLEANUP))
		return;
	if (si) {
		name = si->name;
		nn = bt_ls_step_name_len(si);
	}
	bool parent = si && (si->flags & BT_STEPF_PARENT);
	if (!sc->host_fail.set || (bt_ls_cand_parent(&sc->host_fail) && !parent)) {
		bt_ls_cand_set(sc, &sc->host_fail, id, name, nn, result, f);
		if (!si && nn == 0)
			snprintf(sc->host_fail.name, sizeof sc->host_fail.name, "0x%04X", (unsigned)id);
	}
}


void bt_ls_host_checkpoint(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	sc->prev_log = false; /* host output again */
	sc->seen_restore = true;
	struct bt_lex x = { s + 11, n - 11 }; /* after "Checkpoint " */
	uint64_t v;
	if (x.n > 0 && x.s[0] >= '0' && x.s[0] <= '9') {
		/* "Checkpoint <id> complete with code <n>" */
		if (!ls_u64(&x, &v))
			return;
		int id = bt_ls_mask_id(v);
		long code = 0;
		if (EAT(&x, " complete with code ")) {
			if (!ls_long(&x, &code))
				code = 0;
		}
		const struct bt_step_info *si = bt_steps_by_id(id);
		bt_ls_tl_add(sc, id, -1, si ? si->name : "", si ? bt_ls_step_name_len(si) : 0,
		       code ? BT_STEP_FAILED : BT_STEP_DONE, code);
		if (code != 0 && id >= 0)
			host_checkpoint_fail(sc, id, NULL, 0, code, f);
		return;
	}
	enum { K_START, K_DONE, K_FAIL, K_WARN } k;
	if (EAT(&x, "started"))
		k = K_START;
	else if (EAT(&x, "completed"))
		k = K_DONE;
	else if (EAT(&x, "FAILURE") || EAT(&x, "FAILED"))
		k = K_FAIL;
	else if (EAT(&x, "WARNING"))
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
	int id = bt_ls_mask_id(v);
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
	size_t tnn = si ? bt_ls_step_name_len(si) : nn;
	if (si && (k == K_START || k == K_DONE))
		sc->printed_ids[sc->nprinted++ % 16] = id; /* the host printed this step's id */
	switch (k) {
	case K_START:
		bt_ls_tl_add(sc, id, -1, tn, tnn, BT_STEP_STARTED, 0);
		if (!(si && (si->flags & (BT_STEPF_CLEANUP | BT_STEPF_PARENT))))
			bt_ls_cand_set(sc, &sc->phase, id, tn, tnn, 0, f);
		break;
	case K_DONE:
		bt_ls_tl_add(sc, id, -1, tn, tnn, result ? BT_STEP_FAILED : BT_STEP_DONE, result);
		if (result != 0)
			host_checkpoint_fail(sc, id, name, nn, result, f);
		break;
	case K_WARN:
		break;
	case K_FAIL: {
		bt_ls_add_error(sc);
		bt_ls_tl_add(sc, id, -1, tn, tnn, BT_STEP_FAILED, result);
		if (!(si && (si->flags & BT_STEPF_CLEANUP))) {
			/* Only the final 0x648 FAILURE ends the restore: a step's own FAILURE may be
			 * tolerated (await_update_baseband_legacy in idevicerestore#764, whose restore completed). */
			bt_ls_cand_set(sc, &sc->own_err, id, tn, tnn, result, f);
			if (id >= 0)
				host_checkpoint_fail(sc, id, name, nn, result, f);
			break;
		}
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
		/* 0x648 only carries the error text: the step is named inside it. */
		const char *colon = memchr(x.s, ':', x.n);
		const char *txt = colon ? colon + 1 : x.s;
		size_t tlen = x.n - (size_t)(txt - x.s);
		const struct bt_step_info *named = bt_ls_step_from_chain(txt, tlen);
		if (named && !sc->host_text.set)
			bt_ls_cand_step(sc, &sc->host_text, named, -1, result, f);
		if (id >= 0 && !(si && (si->flags & BT_STEPF_CLEANUP)))
			host_checkpoint_fail(sc, id, name, nn, result, f);
		break;
	}
	}
}

/* "Name (N)": a progress operation keyed on N; 3uTools prints the name alone. */
bool bt_ls_progress_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
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
	if (byn && bt_ls_op_text_len(byn) == tn && memcmp(byn->text, s, tn) == 0)
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
	sc->prev_log = false;
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
	bt_ls_mark_here(sc, &sc->op_m, f);
	const char *name = oi ? (oi->step ? oi->step : oi->text) : NULL;
	if (!name) {
		name = s;
	} else {
		tn = strlen(name);
	}
	bt_ls_tl_add(sc, -1, (int)opn, name, tn, BT_STEP_STARTED, 0);
	bt_ls_cand_set(sc, &sc->phase, -1, name, tn, 0, f);
	return true;
}

void bt_ls_host_phase(struct bt_logscan *sc, const char *step, enum fam f)
{
	sc->prev_log = false;
	sc->seen_restore = true;
	size_t n = strlen(step);
	bt_ls_cand_set(sc, &sc->phase, -1, step, n, 0, f);
	bt_ls_tl_add(sc, -1, -1, step, n, BT_STEP_STARTED, 0);
}

/* Data transfers: "Sending NORData now...", "Done sending NORData", 3uTools "Sending NORData". */
bool bt_ls_transfer_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
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
	if (STARTS(w, wn, "iBEC") || STARTS(w, wn, "iBSS"))
		sc->boot_sent = true; /* the phone now has to come back in another mode */
	const char *step = STARTS(w, wn, "NORData") ? "send_nordata" :
			   STARTS(w, wn, "BasebandData") ? "send_baseband_data" :
			   STARTS(w, wn, "FDR Trust") || STARTS(w, wn, "FDRTrust") ? "send_fdr_trust_data" :
			   STARTS(w, wn, "filesystem") ? "send_filesystem" :
			   STARTS(w, wn, "KernelCache") ? "send_kernelcache" : NULL;
	if (!step)
		return false;
	bt_ls_host_phase(sc, step, f);
	return true;
}

static size_t product_at(const char *s, size_t n);

void bt_ls_identified(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	/* "Identified device as d111ap, iPhone9,4"; before 2013 only "Identified device as
	 * iPhone4,1" (whose own comma is no separator) */
	struct bt_lex x = { s + 21, n - 21 };
	bt_lex_trim(&x.s, &x.n);
	size_t pk = product_at(x.s, x.n);
	if (pk && pk == x.n && pk < sizeof sc->product) {
		bt_lex_copy(sc->product, sizeof sc->product, x.s, pk);
		bt_ls_mark_here(sc, &sc->product_m, f);
		sc->product_identified = true;
		sc->seen_restore = true;
		/* the board too, when only one board is that product (n71ap and n71map are both
		 * iPhone8,1) */
		const struct bt_device_row *row = bt_devices_by_product_only(sc->product);
		if (row && !sc->board[0]) {
			snprintf(sc->board, sizeof sc->board, "%s", row->board);
			bt_ls_mark_here(sc, &sc->board_m, f);
		}
		return;
	}
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
	bt_ls_mark_here(sc, &sc->board_m, f);
	bt_lex_copy(sc->product, sizeof sc->product, p, pn);
	bt_ls_mark_here(sc, &sc->product_m, f);
	sc->product_identified = true;
	sc->seen_restore = true;
}

/* A device table row names the product (and the board, unless one is known already). */
static void take_row(struct bt_logscan *sc, const struct bt_device_row *row, enum fam f)
{
	if (!sc->product[0]) {
		snprintf(sc->product, sizeof sc->product, "%s", row->product);
		bt_ls_mark_here(sc, &sc->product_m, f);
	}
	if (!sc->board[0]) {
		snprintf(sc->board, sizeof sc->board, "%s", row->board);
		bt_ls_mark_here(sc, &sc->board_m, f);
	}
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of the product type at s ("iPhone13,2", "iPad4,5": 1-2 digits each side), 0 when
 * there is none; *sep is the length of its comma: 1, or 2 for a shell command line's
 * escaped "\\," ("iPad2\\,5_8.4.1_…"). */
static size_t product_shape(const char *s, size_t n, size_t *sep)
{
	size_t p = STARTS(s, n, "iPhone") ? 6 : STARTS(s, n, "iPad") || STARTS(s, n, "iPod") ? 4 : 0;
	size_t d1 = p ? bt_lex_digits(s + p, n - p) : 0;
	if (d1 == 0 || d1 > 2 || p + d1 >= n)
		return 0;
	size_t k = s[p + d1] == ',' ? 1 : s[p + d1] == '\\' && p + d1 + 1 < n && s[p + d1 + 1] == ',' ? 2 : 0;
	size_t d2 = k ? bt_lex_digits(s + p + d1 + k, n - p - d1 - k) : 0;
	if (d2 == 0 || d2 > 2)
		return 0; /* *sep is set only for a whole product */
	*sep = k;
	return p + d1 + k + d2;
}

static size_t product_at(const char *s, size_t n)
{
	size_t sep = 0, len = product_shape(s, n, &sep);
	return sep == 1 ? len : 0;
}

/* The product with an escaped comma at s copied to out without its backslash; its length in
 * s, 0 when there is none. */
static size_t product_at_escaped(const char *s, size_t n, char *out, size_t cap)
{
	size_t sep = 0, len = product_shape(s, n, &sep);
	if (sep != 2 || len == 0 || len > cap)
		return 0;
	const char *bs = memchr(s, '\\', len);
	size_t k = (size_t)(bs - s);
	memcpy(out, s, k);
	memcpy(out + k, s + k + 1, len - k - 1);
	out[len - 1] = '\0';
	return len;
}

/* Board or product names inside file names: "iBEC.d54p.RELEASE", "all_flash.n71ap.production",
 * "sep-firmware.n61.RELEASE", "kernelcache.release.j2a", "iPhone11,8_16.2_20C65_Restore.ipsw",
 * "iPhone13,4_20A362". */
void bt_ls_name_hints(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
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
			size_t len = product_at(hit, n - off);
			char esc[16];
			size_t elen = len ? 0 : product_at_escaped(hit, n - off, esc, sizeof esc);
			if (elen && off + elen < n && s[off + elen] == '_') {
				/* "iPad2\,5_8.4.1_12H321_Restore.ipsw" in a command line */
				bt_lex_copy(sc->product, sizeof sc->product, esc, strlen(esc));
				bt_ls_mark_here(sc, &sc->product_m, f);
				return;
			}
			if (len) {
				size_t end = off + len;
				/* "iPhone13,2,iPhone13,3_17.1.1_..." serves two models: neither is sure */
				bool listed = (off > 0 && s[off - 1] == ',') || (end < n && s[end] == ',');
				if (listed) {
					left = n - end;
					p = s + end;
					continue;
				}
				/* "iPhone11,8_16.2_20C65_Restore.ipsw", a blob "iPhone8,4-13.3.shsh2" */
				if (end < n && (s[end] == '_' ||
						(s[end] == '-' && end + 1 < n && s[end + 1] >= '0' && s[end + 1] <= '9'))) {
					bt_lex_copy(sc->product, sizeof sc->product, hit, len);
					bt_ls_mark_here(sc, &sc->product_m, f);
					return;
				}
			}
			left = n - (off + 1);
			p = hit + 1;
		}
	}
	/* A DeviceTree, SEP firmware or all_flash directory names one board (an iPhone X IPSW
	 * has sep-firmware.d22 and .d221); the bootloaders and the kernel may serve two. */
	static const struct { const char *pre; bool one_board; } names[] = {
		{ "iBEC.", false }, { "iBSS.", false }, { "LLB.", false }, { "iBoot.", false },
		{ "sep-firmware.", true }, { "all_flash.", true }, { "DeviceTree.", true },
		{ "kernelcache.release.", false },
	};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		const char *hit = bt_lex_find(s, n, names[k].pre);
		if (!hit)
			continue;
		const char *b = hit + strlen(names[k].pre);
		size_t bn = 0;
		while (b + bn < s + n && is_ident_char(b[bn]) && bn < 16)
			bn++;
		const struct bt_device_row *row = names[k].one_board ? bt_devices_by_board_n(b, bn)
								     : bt_devices_by_image_board(b, bn);
		if (row) {
			take_row(sc, row, f);
			return;
		}
	}
}

void bt_ls_status_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	sc->prev_log = false;
	const char *t = s + 8; /* after "Status: " */
	size_t tn = n - 8;
	bt_lex_trim(&t, &tn);
	const struct bt_status_info *st = bt_status_by_text(t, tn);
	if (!st) {
		/* not from idevicerestore's table (it prints "Unhandled status message" then) */
		bt_ls_add_error(sc);
		return;
	}
	bt_ls_status_number(sc, st->status, f);
}

/* A restore status from the host: "Status: <text>" mapped, or idevicerestore's
 * "Unhandled status message (N)" for values its table lacks (restore.c). */
void bt_ls_status_number(struct bt_logscan *sc, long status, enum fam f)
{
	sc->prev_log = false;
	sc->seen_restore = true;
	if (status == 0) {
		bt_ls_set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
	} else {
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
		bt_ls_add_error(sc);
	}
	sc->has_status_text = true;
	sc->status_text = status;
	bt_ls_mark_here(sc, &sc->status_m, f);
}

void bt_ls_host_error_code(struct bt_logscan *sc, long code, enum fam f)
{
	if (code == 0 || sc->host_error != 0)
		return;
	sc->host_error = code;
	bt_ls_mark_here(sc, &sc->host_error_m, f);
}

void bt_ls_error_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	sc->prev_log = false;
	/* Known noise: seen in successful restores too. */
	if (FIND(s, n, "MacOSVariant") || FIND(s, n, "Unable to receive message from FDR"))
		return;
	bt_ls_add_error(sc);
	if (!sc->verdict && !(sc->phase.set && sc->phase.m.line == sc->phase_err_line)) {
		/* "ERROR: restore_send_firmware_updater_data: Couldn't get Rose firmware data": the
		 * host failed while serving that step. The first such error names it: the lines
		 * after it are its callers giving up ("ASR was unable to validate the filesystem",
		 * then "Unable to send filesystem"). */
		const struct bt_step_info *si = bt_steps_by_text(s, n);
		if (si) {
			bt_ls_cand_step(sc, &sc->phase, si, -1, 0, f);
			sc->phase_err_line = sc->cur_line;
		}
	}
	/* Most rules need "Unable to ..." or "TSS": each is looked for once, and the phrases
	 * only after it (this runs for every error line of a long log). */
	const char *u = FIND(s, n, "Unable to ");
	size_t un = u ? n - (size_t)(u - s) : 0;
#define UFIND(lit) (u && FIND(u, un, lit))
	const bool tss = FIND(s, n, "TSS") != NULL;
	if (UFIND("Unable to successfully restore") || UFIND("Unable to restore dev")) {
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "Could not read data")) {
		bt_ls_signature(sc, SIG_USB_READ, f);
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "didn't accept BasebandData")) {
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if ((UFIND("Unable to send iBEC") || UFIND("Unable to send iBSS")) &&
		   !FIND(s, n, " component")) {
		/* idevicerestore.c returns -1 right after "Unable to send iBEC" (the component's
		 * own error before it is handled below): the upload in DFU/recovery mode failed —
		 * unless the host could not make the component first (nothing was sent) */
		if (!sc->sig[SIG_HOST_PREP].set)
			bt_ls_host_phase(sc, "send_bootstrap", f);
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (UFIND("Unable to get SHSH blobs") || FIND(s, n, "could not extract") ||
		   FIND(s, n, "Refusing to continue")) {
		/* idevicerestore.c returns -1 right after these: the host never got the firmware
		 * or its signature ready (an IPSW member missing, TSS not signing, an IPSW whose
		 * manifest is not for this device: "Could not make sure this firmware is
		 * suitable for the current device. Refusing to continue.") */
		if (FIND(s, n, "could not extract") || FIND(s, n, "Refusing to continue"))
			bt_ls_signature(sc, SIG_HOST_PREP, f);
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	} else if (FIND(s, n, "Device did not disconnect") || FIND(s, n, "did not reconnect") ||
		   UFIND("Unable to connect to device in") || /* restore / DFU / recovery mode */
		   UFIND("Unable to open device in restore mode") || /* restore.c, after the ramdisk */
		   UFIND("Unable to connect to recovery device") || /* futurerestore after iBEC */
		   FIND(s, n, "failed to enter restore mode") ||
		   FIND(s, n, "to place device in restore mode") || /* futurerestore's words */
		   FIND(s, n, "to place device into restore mode")) {
		/* a phone told to reboot from normal into recovery mode that does not come back
		 * was sent nothing: no upload step failed (futurerestore#248) */
		if (sc->boot_sent || !FIND(s, n, "recovery mode"))
			bt_ls_host_phase(sc, "send_bootstrap", f);
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
	}
	if (tss && (FIND(s, n, "fail") || FIND(s, n, "not reachable") || UFIND("Unable to send TSS")))
		bt_ls_signature(sc, SIG_TSS_NETWORK, f);
	if (FIND(s, n, "isn't eligible"))
		bt_ls_signature(sc, SIG_TSS_REFUSED, f);
	if (tss && (UFIND("Unable to add") || UFIND("Unable to create")) && FIND(s, n, "TSS request"))
		bt_ls_signature(sc, SIG_HOST_PREP, f); /* the host could not build the request */
	if (tss && (FIND(s, n, "entry in TSS response") || UFIND("Unable to get SHSH blob for TSS")))
		bt_ls_signature(sc, SIG_HOST_PREP, f); /* the ticket lacks a component (tss.c) */
	if (sc->boot_sent && FIND(s, n, "Device is in an invalid state") && !sc->verdict &&
	    !(sc->phase.set && sc->phase.m.line == sc->phase_err_line)) {
		/* get_ap_nonce/get_sep_nonce find the phone in no known mode after the
		 * bootloader was sent: it did not come back (idevicerestore.c); before any
		 * upload the same words say nothing about a step (LeetDown#17) */
		bt_ls_host_phase(sc, "send_bootstrap", f);
		sc->phase_err_line = sc->cur_line;
	}
	if (UFIND("Unable to fetch") && (tss || FIND(s, n, "ticket")))
		bt_ls_signature(sc, SIG_HOST_PREP, f); /* "... Baseband TSS", "... Savage ticket" */
	if (UFIND("Unable to send ") && FIND(s, n, " component")) {
		/* "Unable to send iBSS component: Unable to upload data to device": the upload
		 * to the phone in DFU/recovery mode failed (dfu.c, recovery.c) */
		bt_ls_host_phase(sc, "send_bootstrap", f);
		if (UFIND("Unable to upload data"))
			bt_ls_signature(sc, SIG_USB_TRANSFER, f);
	}
	if (FIND(s, n, "unknown updater name"))
		/* restore.c: "restore_send_firmware_updater_data: Got unknown updater name
		 * 'AppleTypeCRetimer'" — a tool older than the device's updaters */
		bt_ls_signature(sc, SIG_UPDATER_UNKNOWN, f);
	if (UFIND("Unable to extract") && bt_lex_find_ci(s, n, "from ipsw"))
		bt_ls_signature(sc, SIG_HOST_PREP, f); /* "... baseband firmware from ipsw" */
	/* the USB mux connection to the phone failed under a transfer (asr.c, idevice.c) */
	if (FIND(s, n, "usbmuxd_send returned") || UFIND("Unable to send data to ASR"))
		bt_ls_signature(sc, SIG_USB_TRANSFER, f);
#undef UFIND
	const char *paren = FIND(s, n, "(3194)");
	if (paren)
		bt_ls_host_error_code(sc, 3194, f);
}

/* A product type standing alone as the next word ("an iPad4,5"): taken only when it has the
 * iPhone/iPad/iPod N,M shape, and never over "Identified device as". */
void bt_ls_product_word(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	struct bt_lex x = { s, n };
	EAT(&x, "n");
	bt_lex_skip_space(&x);
	size_t k = 0;
	while (k < x.n && x.s[k] != ' ' && x.s[k] != '\t' && x.s[k] != '.')
		k++;
	if (sc->product_identified || k == 0 || k >= sizeof sc->product)
		return;
	if (product_at(x.s, k) != k) /* the whole word, nothing more */
		return;
	bt_lex_copy(sc->product, sizeof sc->product, x.s, k);
	bt_ls_mark_here(sc, &sc->product_m, f);
}

/* A board config standing alone ("j86ap"): kept when the device table knows it. */
void bt_ls_board_word(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	struct bt_lex x = { s, n };
	bt_lex_trim(&x.s, &x.n);
	const struct bt_device_row *row = bt_devices_by_board_n(x.s, x.n);
	if (row && !sc->product_identified)
		take_row(sc, row, f);
}

/* "BoardID: 8" / "ChipID: 35120" (decimal) from idevicerestore's "Hardware Information:"
 * block: both together name the device when nothing better did. */
void bt_ls_hardware_id(struct bt_logscan *sc, bool chip, const char *s, size_t n, enum fam f)
{
	struct bt_lex x = { s, n };
	bt_lex_skip_space(&x);
	long v;
	if (!ls_long(&x, &v) || v < 0 || v > 0xFFFFF)
		return;
	if (chip)
		sc->hw_cpid = v;
	else
		sc->hw_bdid = v;
	if (sc->hw_cpid < 0 || sc->hw_bdid < 0 || sc->product_identified || sc->product[0])
		return;
	const struct bt_device_row *row = bt_devices_by_chip((unsigned)sc->hw_cpid, (unsigned)sc->hw_bdid);
	if (row)
		take_row(sc, row, f);
}
