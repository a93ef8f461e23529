/* scan_mobiledevice.c — Apple MobileDevice lines (iTunes, Finder, Configurator, iMazing):
 * operation progress, "Restore completed, status", Depth/Code chains, AMRestoreErrorDomain. */
#include "logs/scan_priv.h"

#include <stdio.h>

#include "logs/devices.h"


/* ---- Apple MobileDevice (iTunes / Finder / Configurator / iMazing) ----------------- */

/* The first final status the device returned (success 0, or its AMR error). */
static void first_am_status(struct bt_logscan *sc, long code, enum fam f)
{
	if (sc->has_am_status)
		return;
	sc->has_am_status = true;
	sc->am_status = code;
	bt_ls_mark_here(sc, &sc->am_status_m, f);
}

bool bt_ls_mobiledevice_line(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	/* MobileDevice names the device by its mode: the operation numbers are the same */
	if (STARTS(s, n, "<Restore Device") || STARTS(s, n, "<Recovery Mode Device") ||
	    STARTS(s, n, "<DFU Mode Device") || STARTS(s, n, "<DFU Device")) {
		const char *op = FIND(s, n, "operation ");
		if (!op) {
			/* "<Restore Device 0x7f96…>: Restore succeeded" (Apple's restore library) */
			if (FIND(s, n, ">: Restore succeeded"))
				bt_ls_set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
			else if (FIND(s, n, ">: Restore failed"))
				bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
			return true;
		}
		struct bt_lex x = { op + 10, n - (size_t)(op + 10 - s) };
		long opn;
		if (bt_lex_long(&x, &opn) && opn >= 0 && opn < 1000) {
			sc->seen_restore = true;
			sc->op = (int)opn;
			bt_ls_mark_here(sc, &sc->op_m, f);
			const struct bt_op_info *oi = bt_ops_by_number((int)opn);
			const char *name = oi ? (oi->step ? oi->step : oi->text) : "";
			bt_ls_tl_add(sc, -1, (int)opn, name, strlen(name), BT_STEP_STARTED, 0);
			if (oi)
				bt_ls_cand_set(sc, &sc->phase, -1, name, strlen(name), 0, f);
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
			bt_ls_set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
		} else {
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
			bt_ls_add_error(sc);
			bt_ls_host_error_code(sc, st, f);
		}
		sc->has_am_status = true;
		sc->am_status = st;
		bt_ls_mark_here(sc, &sc->am_status_m, f);
		return true;
	}
	if (STARTS(s, n, "device returned success")) {
		bt_ls_set_verdict(sc, BT_OUTCOME_SUCCEEDED, f);
		first_am_status(sc, 0, f);
		return true;
	}
	if (STARTS(s, n, "device returned AMR error ")) {
		/* "device returned AMR error 37": the error iTunes then reports */
		struct bt_lex x = { s + 26, n - 26 };
		long code;
		if (!bt_lex_long(&x, &code) || code == 0)
			return true;
		bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
		bt_ls_add_error(sc);
		bt_ls_host_error_code(sc, code, f);
		first_am_status(sc, code, f);
		return true;
	}
	if (STARTS(s, n, "Depth:")) {
		const char *c = FIND(s, n, "Code:");
		if (c) {
			struct bt_lex x = { c + 5, n - (size_t)(c + 5 - s) };
			long code;
			if (bt_lex_long(&x, &code))
				bt_ls_host_error_code(sc, code, f);
		}
		if (FIND(s, n, "transition from DFU"))
			bt_ls_signature(sc, SIG_DFU_TRANSITION, f);
		bt_ls_add_error(sc);
		return true;
	}
	if (STARTS(s, n, "Completed checkpoint id:")) {
		struct bt_lex x = { s + 24, n - 24 };
		bt_lex_skip_space(&x);
		uint64_t v;
		if (bt_lex_u64(&x, &v)) {
			int id = bt_ls_mask_id(v);
			const struct bt_step_info *si = bt_steps_by_id(id);
			bt_ls_tl_add(sc, id, -1, si ? si->name : "", si ? bt_ls_step_name_len(si) : 0, BT_STEP_DONE, 0);
			sc->seen_restore = true;
		}
		return true;
	}
	if (!FIND(s, n, "rror"))
		return false; /* each of the three texts below has it: one look instead of three */
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
			bt_ls_host_error_code(sc, code, f);
			bt_ls_add_error(sc);
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, f);
		}
		return true;
	}
	return false;
}

/* The number after "key=" in s ("chipid=0x8000"), or -1. */
static long value_after(const char *s, size_t n, const char *key, size_t kn)
{
	const char *k = bt_lex_find_n(s, n, key, kn);
	if (!k)
		return -1;
	struct bt_lex x = { k + kn, n - (size_t)(k + kn - s) };
	uint64_t v;
	return bt_lex_u64(&x, &v) && v <= 0xFFFFF ? (long)v : -1;
}

void bt_ls_amai_ids(struct bt_logscan *sc, const char *s, size_t n, enum fam f)
{
	/* AMAuthInstall names the phone by its chip and board ids, in hex */
	long cpid = value_after(s, n, "chipid=", 7), bdid = value_after(s, n, "boardid=", 8);
	sc->fam_count[f]++;
	sc->seen_restore = true; /* personalizing firmware for this phone */
	if (sc->product_identified || sc->product[0])
		return;
	const struct bt_device_row *row =
		cpid > 0 && bdid >= 0 ? bt_devices_by_chip((unsigned)cpid, (unsigned)bdid) : NULL;
	const char *b = row ? NULL : bt_lex_find_n(s, n, "personalize=YES ", 16);
	if (b) {
		/* the ids cut off (a wrapped line): the board config just before them */
		b += 16;
		size_t bn = 0;
		while (b + bn < s + n && b[bn] != ' ' && b[bn] != ',' && bn < 16)
			bn++;
		row = bt_devices_by_board_n(b, bn);
	}
	if (!row)
		return;
	snprintf(sc->product, sizeof sc->product, "%s", row->product);
	bt_ls_mark_here(sc, &sc->product_m, f);
	if (!sc->board[0]) {
		snprintf(sc->board, sizeof sc->board, "%s", row->board);
		bt_ls_mark_here(sc, &sc->board_m, f);
	}
}
