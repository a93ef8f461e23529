/* logscan.c — the streaming restore-log scanner (see logscan.h and docs/log-formats.md).
 *
 * Each line is split off a read buffer without copying (memchr), its prefix (device or tool
 * timestamp, wrapper quotes) is peeled, and a dispatch on its first bytes decides whether it
 * is worth a closer look; most lines cost a few compares. The scanner keeps only fixed-size
 * state: candidates for the failing step, a bounded timeline and error list, and the lines
 * (capped) that evidence will quote. The verdict is worked out when the result is asked for,
 * following the conventions of tests/data/corpus/labels-notes.md.
 *
 * This file: dispatch, feeding, the verdict and evidence. A line is trimmed and its prefix
 * peeled in scan_line.c; the line handlers of each family are in scan_device.c, scan_host.c,
 * scan_mobiledevice.c and scan_pmd3.c; shared state in scan_priv.h and scan_state.c. */
#include "logs/scan_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/eol.h"
#include "core/err.h"
#include "core/hex.h"
#include "core/readahead.h"
#include "core/xalloc.h"
#include "logs/lex.h"
#include "logs/steps.h"

static const char *const fam_names[FAM_COUNT] = {
	NULL, "idevicerestore", "futurerestore", "restored", "itunes", "configurator", "3utools",
	"wrapper", "usbmuxd", "pymobiledevice3"
};

/* Evidence key restore.signature.<id> for each enum sig. */
static const char *const sig_names[SIG_COUNT] = {
	"usb_read_error", "usb_transfer_error", "bbupdater_transport", "fdr_proxy", "asr_no_space",
	"asr_checksum", "tss_network", "tss_refused", "host_quit", "nvram_full",
	"fdr_trust_missing", "img4_manifest", "dfu_transition", "device_silent", "device_panic",
	"panic_storage", "fdr_server_refused", "host_crash", "fsck_failed", "asr_stream_lost",
	"host_prepare_failed", "updater_unknown"
};

/* ---- dispatch --------------------------------------------------------------------- */

/* A line of the device log (as opposed to host output). */
static bool device_line(const char *s, size_t n, enum fam pf)
{
	return pf == FAM_RESTORED || STARTS(s, n, "CHECKPOINT") || STARTS(s, n, "restore-") ||
	       STARTS(s, n, "executing ") || STARTS(s, n, "entering ") || STARTS(s, n, "ramrod") ||
	       STARTS(s, n, "ASR") || STARTS(s, n, "bbupdater") || STARTS(s, n, "update_") ||
	       STARTS(s, n, "Received response") || STARTS(s, n, "RestoredFDRCreate") ||
	       STARTS(s, n, "Found NAND") || STARTS(s, n, "SYSLOG") || STARTS(s, n, "NVMe");
}

/* A device error under the step an old ramdisk said it entered: that step's own error. */
static void entered_error(struct bt_logscan *sc, enum fam dev)
{
	size_t en = strlen(sc->entered);
	const struct bt_step_info *si = en ? bt_steps_by_name_n(sc->entered, en) : NULL;
	if (!si && en)
		si = bt_steps_by_text(sc->entered, en); /* update_NOR: update_iBoot */
	if (si)
		bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
	bt_ls_add_error(sc);
}

/* "Code: 255": a wrapper reporting the restore tool's exit status (libimobiledevice#724,
 * idevicerestore#227) — the whole line, a number 1-255: idevicerestore exits with -1 (255)
 * when it gives up. 0 proves nothing on its own (the tool's own verdict says more). */
static bool wrapper_exit(struct bt_logscan *sc, const char *s, size_t n, enum fam pf)
{
	struct bt_lex x = { s, n };
	long code;
	if (!ls_long(&x, &code) || code < 0 || code > 255)
		return false;
	EAT(&x, ",");
	if (x.n != 0)
		return false;
	enum fam w = pf != FAM_NONE ? pf : FAM_WRAPPER;
	sc->fam_count[w]++;
	if (code != 0) {
		/* the verdict only when the tool's own lines give none (verdict_mark) */
		bt_ls_add_error(sc);
		bt_ls_mark_here(sc, &sc->exit_m, w);
	}
	return true;
}

/* idevicerestore's "Found ECID 1234567890" (decimal; printed after "Identified device as").
 * Another phone's ECID in the same log (a shop appending restores to one file) starts a new
 * run, and an identity printed before the previous ECID was the previous phone's. */
static void found_ecid(struct bt_logscan *sc, const char *s, size_t n)
{
	struct bt_lex x = { s, n };
	uint64_t e;
	bt_lex_skip_space(&x);
	if (!ls_u64(&x, &e) || e == 0)
		return; /* masked ("XXXX") or not a number */
	if (sc->ecid && e != sc->ecid && sc->ecid_src == sc->src) {
		bt_ls_new_run(sc);
		/* the identity is the product's mark, or the board's when only a board was named */
		const struct mark *id = sc->product_m.set ? &sc->product_m : &sc->board_m;
		if (id->set && id->source == sc->src && id->line < sc->ecid_line) {
			sc->product[0] = sc->board[0] = '\0';
			sc->product_identified = false;
			memset(&sc->product_m, 0, sizeof sc->product_m);
			memset(&sc->board_m, 0, sizeof sc->board_m);
			sc->hw_cpid = sc->hw_bdid = -1;
		}
	}
	sc->ecid = e;
	sc->ecid_line = sc->cur_line;
	sc->ecid_src = sc->src;
}

/* A line the previous one said something about (sc->expect): true when it was used up. */
static bool expected_line(struct bt_logscan *sc, const char *s, size_t n, enum fam host)
{
	if (sc->expect == EXPECT_HW_VALUE) {
		/* "<key>HardwareModel</key>" then "<string>N53AP</string>": a debug build's dump
		 * of restored's or the recovery device's info names the board */
		sc->expect = EXPECT_NONE;
		if (STARTS(s, n, "<string>") && n > 17 && s[n - 1] == '>') {
			const char *b = s + 8, *e = memchr(b, '<', n - 8);
			if (e)
				bt_ls_board_word(sc, b, (size_t)(e - b), host);
			return true;
		}
		return false;
	}
	/* EXPECT_RUN: futurerestore's banner; the run it starts is a restore unless its first
	 * line after the banner takes the phone out of recovery mode */
	if (STARTS(s, n, "Libipatcher") || STARTS(s, n, "Odysseus"))
		return false;
	sc->expect = EXPECT_NONE;
	if (STARTS(s, n, "Exiting recovery mode")) {
		sc->fam_count[FAM_FR]++; /* futurerestore --exit-recovery: not a restore */
		return true;
	}
	bt_ls_new_run(sc);
	return false;
}

void bt_ls_dispatch(struct bt_logscan *sc, const char *s, size_t n, enum fam pf)
{
	/* pf: the family the prefix said, FAM_NONE for a bare line. */
	enum fam host = pf != FAM_NONE ? pf : FAM_IDR;
	enum fam dev = pf != FAM_NONE && pf != FAM_RESTORED ? pf : FAM_RESTORED;
	enum fam md = pf != FAM_NONE ? pf : FAM_ITUNES; /* an Apple MobileDevice host's line */
	if (n == 0)
		return;
	if (sc->expect != EXPECT_NONE && expected_line(sc, s, n, host))
		return;
	if (sc->prev_log && device_line(s, n, pf)) {
		/* The previous restore's device log, printed at the start of this one: its
		 * failures are not this restore's. Host output ends the block. */
		sc->fam_count[FAM_RESTORED]++;
		return;
	}
	if ((sc->cferror || sc->panic_next) && bt_ls_device_block_line(sc, s, n))
		return;
	if (s[0] >= '0' && s[0] <= '9' && n > 16 && FIND(s, n < 40 ? n : 40, "ErrorDomain/")) {
		/* "0: RamrodErrorDomain/3e9: update_iBoot_image3_NOR_access: ..." — restored's error
		 * list without its "restore failed with CFError:" line (Legacy-iOS-Kit#348) */
		bt_ls_cferror_start(sc, false);
		if (bt_ls_device_block_line(sc, s, n))
			return;
	}
	if (sc->map_key[0]) {
		/* a capture that wrapped "restore-step-names =" before its "{...}" value */
		char key[sizeof sc->map_key];
		memcpy(key, sc->map_key, sizeof key);
		sc->map_key[0] = '\0';
		if (s[0] == '{') {
			char joined[LS_CAP];
			size_t k = strlen(key);
			size_t m = n < sizeof joined - k - 4 ? n : sizeof joined - k - 4;
			memcpy(joined, key, k);
			memcpy(joined + k, " = ", 3);
			memcpy(joined + k + 3, s, m);
			bt_ls_step_map(sc, joined, k + 3 + m);
			return;
		}
	}
	switch (s[0]) {
	case 'C':
		if (STARTS(s, n, "CHECKPOINT")) {
			bt_ls_device_checkpoint(sc, s, n);
			return;
		}
		if (STARTS(s, n, "Checkpoint ")) {
			sc->fam_count[host]++;
			bt_ls_host_checkpoint(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "ChipID:")) {
			sc->fam_count[host]++;
			bt_ls_hardware_id(sc, true, s + 7, n - 7, host);
			return;
		}
		if (STARTS(s, n, "Could not read data")) {
			sc->fam_count[host]++;
			bt_ls_error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Completed checkpoint")) {
			bt_ls_mobiledevice_line(sc, s, n, md);
			return;
		}
		if (STARTS(s, n, "Checking iDevice firmware"))
			bt_ls_name_hints(sc, s, n, host);
		if (STARTS(s, n, "Client ") && (FIND(s, n, " accepted: ") || FIND(s, n, " connection closed") ||
						   FIND(s, n, "going to be disconnected"))) {
			/* usbmuxd -v: "Client 11 accepted: idevicerestore[2254]" */
			sc->fam_count[FAM_USBMUXD]++;
			if (FIND(s, n, "restore["))
				sc->seen_restore = true; /* a restore tool was talking to the phone */
			return;
		}
		if (STARTS(s, n, "Code: ") && wrapper_exit(sc, s + 6, n - 6, pf))
			return;
		if (STARTS(s, n, "Connected to com.apple.mobile.restored")) {
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		break;
	case 'r':
		if (STARTS(s, n, "restore-step-")) {
			if (s[n - 1] == '=' && n < sizeof sc->map_key) {
				/* the value comes on the next line: remember the key without " =" */
				size_t k = n - 1;
				while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
					k--;
				memcpy(sc->map_key, s, k);
				sc->map_key[k] = '\0';
				sc->fam_count[FAM_RESTORED]++;
				return;
			}
			bt_ls_step_map(sc, s, n);
			return;
		}
		if (STARTS(s, n, "restore-outcome")) {
			bt_ls_device_outcome(sc, s, n);
			return;
		}
		if (STARTS(s, n, "ramrod") || STARTS(s, n, "restore_")) {
			sc->fam_count[FAM_RESTORED]++;
			if (STARTS(s, n, "ramrod_ticket") && FIND(s, n, "Img4 manifest"))
				bt_ls_signature(sc, SIG_IMG4, dev);
			if (STARTS(s, n, "restore_apfs_image") && FIND(s, n, "failed"))
				bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "restore failed with CFError")) {
			bt_ls_cferror_start(sc, true);
			return;
		}
		if (STARTS(s, n, "reading signing ticket"))
			bt_ls_name_hints(sc, s, n, FAM_FR);
		if (STARTS(s, n, "recv(") && FIND(s, n, "connection closed"))
			return; /* noise */
		break;
	case 'e':
		if (STARTS(s, n, "executing /usr/sbin/nvram ")) {
			struct bt_lex x = { s + 26, n - 26 };
			EAT(&x, "-s ");
			if (STARTS(x.s, x.n, "restore-step-"))
				bt_ls_step_map(sc, x.s, x.n);
			else if (STARTS(x.s, x.n, "restore-outcome"))
				bt_ls_device_outcome(sc, x.s, x.n);
			else
				sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "entering ")) {
			/* old ramdisks (iOS 4-9) name each step they enter: the one a device error
			 * follows is the failing one (looked up only then) */
			bt_lex_copy(sc->entered, sizeof sc->entered, s + 9, n - 9);
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "executing ")) {
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		break;
	case 'I':
		if (STARTS(s, n, "IOConnectCallStructMethod") && FIND(s, n, "failed")) {
			/* a device driver refused the step's call ("... failed: 0xe00002e2") */
			sc->fam_count[FAM_RESTORED]++;
			entered_error(sc, dev);
			return;
		}
		if (STARTS(s, n, "Identified device as ")) {
			sc->fam_count[host]++;
			bt_ls_identified(sc, s, n, host);
			return;
		}
		break;
	case 'S':
		if (STARTS(s, n, "Segmentation fault") || STARTS(s, n, "Speicherzugriffsfehler")) {
			/* the shell reports the restore tool crashing (glibc's English and German) */
			bt_ls_add_error(sc);
			bt_ls_signature(sc, SIG_HOST_CRASH, host);
			if (!sc->verdict) /* a crash after "Restore Finished" leaves the phone restored */
				bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, host);
			return;
		}
		if (STARTS(s, n, "Status: ")) {
			sc->fam_count[host]++;
			bt_ls_status_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "SYSLOG:") || STARTS(s, n, "Searching for NAND")) {
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (bt_ls_transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Sending TSS request")) {
			/* "Sending TSS request attempt 1... " waits for the answer on the same line,
			 * so what went wrong is printed after it */
			sc->fam_count[host]++;
			if (FIND(s, n, "isn't signed") || FIND(s, n, "isn't eligible"))
				bt_ls_signature(sc, SIG_TSS_REFUSED, host);
			if (FIND(s, n, "ERROR") || FIND(s, n, "[Error]"))
				bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "Sending ") && FIND(s, n, " bytes)")) {
			/* "Sending iBEC (1234 bytes)...": components go to the phone */
			sc->fam_count[host]++;
			sc->seen_restore = true;
			return;
		}
		if (STARTS(s, n, "Start flash")) {
			bt_ls_new_run(sc);
			sc->seen_restore = true; /* 3uTools: the flash has begun */
		}
		break;
	case 's':
		if (bt_ls_transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		break;
	case 'E':
		if (STARTS(s, n, "Exception in thread ")) {
			sc->thread_exc = true;
			return;
		}
		if (STARTS(s, n, "ERROR")) {
			sc->fam_count[host]++;
			bt_ls_error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Extracting ")) {
			sc->fam_count[host]++;
			bt_ls_name_hints(sc, s, n, host);
			return;
		}
		break;
	case 'P':
		if (STARTS(s, n, "Previous Restore Log Received")) {
			sc->prev_log = true;
			bt_ls_mark_here(sc, &sc->prev_log_m, host);
			return;
		}
		if (STARTS(s, n, "Previous restore exit status")) {
			const char *c = memchr(s, ':', n);
			if (c) {
				const char *v = c + 1;
				size_t vn = n - (size_t)(v - s);
				bt_lex_trim(&v, &vn);
				bt_lex_copy(sc->prev_exit, sizeof sc->prev_exit, v, vn);
				bt_ls_mark_here(sc, &sc->prev_exit_m, host);
			}
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Panic log is available")) {
			sc->fam_count[host]++;
			sc->panic_next = true;
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
			bt_ls_mark_here(sc, &sc->done_m, host);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Done: restoring ")) {
			sc->fam_count[FAM_FR]++;
			if (FIND(s, n, "succeeded"))
				bt_ls_set_verdict(sc, BT_OUTCOME_SUCCEEDED, FAM_FR);
			else if (FIND(s, n, "failed"))
				bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		if (STARTS(s, n, "Done sending ") && bt_ls_transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "DeviceClass")) {
			/* futurerestore: "DeviceClass : d201ap" */
			const char *c = memchr(s, ':', n);
			if (c)
				bt_ls_board_word(sc, c + 1, n - (size_t)(c + 1 - s), host);
			return;
		}
		if (STARTS(s, n, "Depth:")) {
			bt_ls_mobiledevice_line(sc, s, n, md);
			return;
		}
		if (STARTS(s, n, "Device did not") || STARTS(s, n, "Device failed")) {
			bt_ls_error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "DFU mode device"))
			sc->configurator = !sc->itunes_named;
		break;
	case 'N':
		if (STARTS(s, n, "Not sending NORData") && FIND(s, n, "Quitting")) {
			/* Printed only with -x/--exclude: the host stops before the NOR flash. */
			sc->fam_count[host]++;
			bt_ls_host_phase(sc, "send_nordata", host);
			sc->host_quit = true;
			bt_ls_signature(sc, SIG_HOST_QUIT, host);
			bt_ls_add_error(sc);
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, host);
			return;
		}
		if (STARTS(s, n, "NfRestore") && FIND(s, n, "ail")) {
			const struct bt_step_info *si = bt_steps_by_name("update_stockholm");
			if (si)
				bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "No data to read")) {
			/* After a verdict the host is shutting down: its FDR thread idles. */
			sc->fam_count[host]++;
			if (!sc->verdict)
				bt_ls_signature(sc, SIG_DEVICE_SILENT, host);
			return;
		}
		break;
	case 'F':
		if (STARTS(s, n, "Found NAND service:")) {
			const char *v = s + 19;
			size_t vn = n - 19;
			bt_lex_trim(&v, &vn);
			bt_lex_copy(sc->nand_service, sizeof sc->nand_service, v, vn);
			bt_ls_mark_here(sc, &sc->nand_m, dev);
			sc->fam_count[FAM_RESTORED]++;
			return;
		}
		if (STARTS(s, n, "Found device product ")) {
			/* futurerestore: "Found device product iPad4,4" / "Found device board j85ap" */
			sc->fam_count[FAM_FR]++;
			bt_ls_product_word(sc, s + 21, n - 21, FAM_FR);
			return;
		}
		if (STARTS(s, n, "Found ECID ")) {
			found_ecid(sc, s + 11, n - 11);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "Found device iP")) {
			/* futurerestore 173: "Found device iPad4,1 j71ap" */
			struct bt_lex x = { s + 13, n - 13 };
			size_t k = 0;
			while (k < x.n && x.s[k] != ' ')
				k++;
			if (k < x.n) {
				sc->fam_count[FAM_FR]++;
				bt_ls_product_word(sc, x.s, k, FAM_FR);
				bt_ls_board_word(sc, x.s + k, x.n - k, FAM_FR);
				return;
			}
		}
		if (STARTS(s, n, "Found device board ")) {
			sc->fam_count[FAM_FR]++;
			bt_ls_board_word(sc, s + 19, n - 19, FAM_FR);
			return;
		}
		if (STARTS(s, n, "Found firmware path")) {
			bt_ls_name_hints(sc, s, n, host);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "FDR ") && FIND(s, n, "timeout waiting")) {
			if (!sc->verdict)
				bt_ls_signature(sc, SIG_DEVICE_SILENT, host);
			sc->fam_count[host]++;
			return;
		}
		if (STARTS(s, n, "FDR ") && (FIND(s, n, "waiting for message") || FIND(s, n, "terminating"))) {
			/* idevicerestore's FDR proxy thread: it runs only while a restore does */
			sc->fam_count[host]++;
			sc->seen_restore = true;
			return;
		}
		if (STARTS(s, n, "Finished DFU Restore Phase"))
			sc->configurator = !sc->itunes_named;
		if (STARTS(s, n, "Failed to send component ")) {
			sc->fam_count[host]++; /* the same, without "ERROR: " */
			bt_ls_error_line(sc, s, n, host);
			return;
		}
		if (STARTS(s, n, "Failed with errorcode=")) {
			sc->fam_count[FAM_FR]++;
			bt_ls_add_error(sc);
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		break;
	case 'G':
		if (STARTS(s, n, "Getting firmware manifest"))
			bt_ls_name_hints(sc, s, n, host);
		break;
	case 'U':
		if (STARTS(s, n, "Using cached filesystem"))
			bt_ls_name_hints(sc, s, n, host);
		if (STARTS(s, n, "Update[") && bt_lex_find_ci(s, n, "error")) {
			/* an updater's own error: retried, not a verdict */
			const struct bt_step_info *si = bt_steps_by_text(s, n);
			if (si)
				bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "Unhandled status message (")) {
			struct bt_lex x = { s + 26, n - 26 };
			long v;
			sc->fam_count[host]++;
			if (ls_long(&x, &v))
				bt_ls_status_number(sc, v, host);
			return;
		}
		if (STARTS(s, n, "USBControlTransfer: error")) {
			bt_ls_signature(sc, SIG_USB_TRANSFER, md);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "Unhandled progress operation") || STARTS(s, n, "Unknown operation"))
			break; /* falls to the progress parser below */
		if (STARTS(s, n, "Unable to ") && pf != FAM_3U && pf != FAM_WRAPPER) {
			/* idevicerestore 1.0.1+ logs errors without the "ERROR: " prefix
			 * (idevicerestore#789): "Unable to get SHSH blobs for this device" */
			sc->fam_count[host]++;
			bt_ls_error_line(sc, s, n, host);
			return;
		}
		break;
	case 'V':
		if (STARTS(s, n, "Verified ECID in APTicket") || STARTS(s, n, "Verified APTicket to be valid")) {
			sc->fam_count[FAM_FR]++; /* futurerestore's own check of the blob it was given */
			return;
		}
		if (STARTS(s, n, "Validating the filesystem")) {
			/* idevicerestore asr.c: ASR checks the image before the stream */
			sc->fam_count[host]++;
			bt_ls_host_phase(sc, "validate_filesystem", host);
			return;
		}
		if (STARTS(s, n, "Version: ")) {
			/* futurerestore's banner: a new run, unless it only takes the phone out of
			 * recovery mode (a wrapper's clean-up after a failed restore) */
			sc->expect = EXPECT_RUN;
			sc->fam_count[FAM_FR]++;
			return;
		}
		break;
	case 'A':
		if (STARTS(s, n, "ASR")) {
			sc->fam_count[FAM_RESTORED]++;
			sc->seen_restore = true; /* the image is being restored */
			if (FIND(s, n, "No space left on device"))
				bt_ls_signature(sc, SIG_ASR_NO_SPACE, dev);
			if (FIND(s, n, "nx_check") && FIND(s, n, "doesn't match"))
				/* apfs_invert's check found the container inconsistent ("free count …
				 * doesn't match free bits in bitmap block") */
				entered_error(sc, dev);
			if (FIND(s, n, "Checksum failed"))
				bt_ls_signature(sc, SIG_ASR_CHECKSUM, dev);
			/* ASR lost the image stream the host sends (the USB side of the step) */
			if (FIND(s, n, "Socket unexpectedly closed") || FIND(s, n, "Failed to read the stream"))
				bt_ls_signature(sc, SIG_ASR_STREAM, dev);
			if (FIND(s, n, "Could not") || FIND(s, n, "STATUS: fail"))
				bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "AMPDevicesAgent"))
			sc->configurator = !sc->itunes_named;
		if (STARTS(s, n, "AMDeviceIoControl") && FIND(s, n, "pipe stall")) {
			bt_ls_signature(sc, SIG_USB_TRANSFER, md);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "AMFDRCreateError")) {
			/* the host's FDR library: Apple's FDR server answered with an error */
			bt_ls_add_error(sc);
			if (FIND(s, n, "status 4") || FIND(s, n, "Permission"))
				bt_ls_signature(sc, SIG_FDR_SERVER, host);
			return;
		}
		if (STARTS(s, n, "About to restore device")) {
			sc->seen_restore = true;
			sc->fam_count[host]++;
			return;
		}
		if (bt_ls_transfer_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
		if (bt_ls_mobiledevice_line(sc, s, n, md))
			return;
		break;
	case 'b':
		if (STARTS(s, n, "bbupdater")) {
			sc->fam_count[FAM_RESTORED]++;
			sc->seen_restore = true;
			if (FIND(s, n, "kBBUReturnIOError") || FIND(s, n, "communication transport"))
				bt_ls_signature(sc, SIG_BB_TRANSPORT, dev);
			if (FIND(s, n, "FAILED") || FIND(s, n, "rror")) {
				const struct bt_step_info *si = bt_steps_by_id(0x1303) /* update_baseband */;
				if (si) /* the log prints no id here */
					bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
				bt_ls_add_error(sc);
			}
			return;
		}
		break;
	case 'u':
		if (STARTS(s, n, "update_stockholm:") && FIND(s, n, "ail")) {
			/* the NFC updater's own error: may be retried, not a verdict */
			const struct bt_step_info *si = bt_steps_by_name("update_stockholm");
			if (si)
				bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "update_generic_firmware:") && FIND(s, n, "fail")) {
			/* an updater's own error ("... on SE updater", idevicerestore#217): names
			 * the step, not a verdict */
			const struct bt_step_info *si = bt_steps_by_text(s, n);
			sc->fam_count[FAM_RESTORED]++;
			sc->seen_restore = true;
			if (si)
				bt_ls_cand_step(sc, &sc->own_err, si, -1, 0, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "update_baseband:")) {
			sc->fam_count[FAM_RESTORED]++;
			if (FIND(s, n, "error")) /* "update_baseband: bbupdater error: ..." */
				bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "usbmuxd v")) {
			sc->fam_count[FAM_USBMUXD]++; /* "usbmuxd v1.1.1 starting up" */
			return;
		}
		if (STARTS(s, n, "usbmuxd") && FIND(s, n, "-104")) {
			bt_ls_signature(sc, SIG_USB_TRANSFER, FAM_USBMUXD);
			bt_ls_add_error(sc);
			return;
		}
		break;
	case 'B':
		if (STARTS(s, n, "BoardID:")) {
			sc->fam_count[host]++;
			bt_ls_hardware_id(sc, false, s + 8, n - 8, host);
			return;
		}
		break;
	case 'Y':
		/* LeetDown: "Your device is an iPad4,5", "Your boardconfig is j86ap" */
		if (STARTS(s, n, "Your device is a"))
			bt_ls_product_word(sc, s + 16, n - 16, host);
		else if (STARTS(s, n, "Your boardconfig is "))
			bt_ls_board_word(sc, s + 20, n - 20, host);
		break;
	case 'i':
		if (STARTS(s, n, "invert_apfs_image")) {
			/* "invert_apfs_image : inverting : …apfs_invert /dev/disk0s1 …": iOS 10.3+
			 * ramdisks turn the restored image into the system volume */
			sc->fam_count[FAM_RESTORED]++;
			bt_lex_copy(sc->entered, sizeof sc->entered, "restore_invert", 14);
			if (FIND(s, n, "fail"))
				entered_error(sc, dev);
			return;
		}
		if (STARTS(s, n, "inflating: ") || STARTS(s, n, "extracting: ")) {
			bt_ls_name_hints(sc, s, n, host); /* unzip of "iPhone3,1_4.3_8F190_Custom…" */
			return;
		}
		if (STARTS(s, n, "ipsw_extract_send: ") && FIND(s, n, "failed")) {
			/* "Sending file data for X failed (sent 148430848/2013265920)": the stream
			 * to the phone broke off */
			sc->fam_count[host]++;
			bt_ls_signature(sc, SIG_USB_TRANSFER, host);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "iTunes: ")) {
			/* "iTunes: iTunes 12.9.3.3" heads iTunes' own restore log (Windows): its
			 * MobileRestore state-machine lines are not Configurator's */
			sc->itunes_named = true;
			sc->configurator = false;
			sc->fam_count[FAM_ITUNES]++;
			return;
		}
		if (STARTS(s, n, "idevicerestore ") && n > 15 && s[15] >= '0' && s[15] <= '9')
			bt_ls_new_run(sc);
		else if (STARTS(s, n, "idevicerestore ") && FIND(s, n, ".ipsw"))
			bt_ls_name_hints(sc, s, n, host); /* the command line names the IPSW */
		break;
	case 'c':
		if (STARTS(s, n, "checking APTicket to be valid")) {
			sc->fam_count[FAM_FR]++;
			return;
		}
		break;
	case '$':
	case '#':
	case '+': /* "+ idevicerestore -e ./iPhone9,3_…": a script traced with set -x (Legacy iOS Kit) */
		if (FIND(s, n, ".ipsw")) /* a shell prompt and the restore command line */
			bt_ls_name_hints(sc, s, n, host);
		break;
	case 'f':
		if (STARTS(s, n, "file=") && (FIND(s, n, "libipatcher") || FIND(s, n, "img4tool"))) {
			/* the exception came from the host's firmware patcher or image tool */
			sc->fam_count[FAM_FR]++;
			bt_ls_signature(sc, SIG_HOST_PREP, FAM_FR);
			return;
		}
		if (STARTS(s, n, "fsck failed on") || STARTS(s, n, "fsck_apfs failed")) {
			/* the ramdisk's filesystem check gave up on a volume */
			sc->fam_count[FAM_RESTORED]++;
			bt_ls_signature(sc, SIG_FSCK, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "futurerestore: failed")) {
			sc->fam_count[FAM_FR]++;
			bt_ls_add_error(sc);
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		break;
	case '*':
		if (STARTS(s, n, "* Device: ")) {
			/* Legacy iOS Kit, from the phone itself: "* Device: iPhone 7 (GSM)
			 * (iPhone9,3 - d101ap) in Recovery mode" */
			const char *dash = FIND(s, n, " - ");
			const char *open = dash;
			while (open && open > s && open[0] != '(')
				open--;
			const char *close = dash ? memchr(dash, ')', n - (size_t)(dash - s)) : NULL;
			if (open && open[0] == '(' && close) {
				sc->fam_count[FAM_WRAPPER]++;
				bt_ls_product_word(sc, open + 1, (size_t)(dash - open - 1), FAM_WRAPPER);
				bt_ls_board_word(sc, dash + 3, (size_t)(close - dash - 3), FAM_WRAPPER);
				return;
			}
		}
		if (STARTS(s, n, "** The volume ") && FIND(s, n, "could not be repaired")) {
			sc->fam_count[FAM_RESTORED]++; /* fsck_hfs / fsck_apfs, on the phone */
			bt_ls_signature(sc, SIG_FSCK, dev);
			bt_ls_add_error(sc);
			return;
		}
		break;
	case 'd':
		if (STARTS(s, n, "dyld: ") && (FIND(s, n, "Symbol not found") || FIND(s, n, "Library not loaded") ||
					       FIND(s, n, "symbol binding failed"))) {
			/* macOS cannot run the restore tool's binary (built for a newer macOS) */
			bt_ls_add_error(sc);
			bt_ls_signature(sc, SIG_HOST_CRASH, host);
			if (!sc->verdict)
				bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, host);
			return;
		}
		if (STARTS(s, n, "device returned ")) {
			/* MobileDevice's final status: "success", or "AMR error N" (what iTunes shows) */
			bt_ls_mobiledevice_line(sc, s, n, md);
			return;
		}
		break;
	case 'p':
		if (STARTS(s, n, "personalizing: ") && FIND(s, n, "chipid=0x")) {
			/* MobileDevice's AMAuthInstall: "... chipid=0x8000, boardid=0x4, ..." */
			bt_ls_amai_ids(sc, s, n, md);
			return;
		}
		if (STARTS(s, n, "patchd: ")) {
			sc->fam_count[FAM_RESTORED]++; /* the update ramdisk's patcher */
			return;
		}
		break;
	case 'l':
		if (STARTS(s, n, "libusb: ")) {
			/* usbmuxd's libusb messages; hotplug notes ("ignoring udev action bind") are
			 * not transfer errors */
			sc->fam_count[FAM_USBMUXD]++;
			return;
		}
		break;
	case 'T':
		if (STARTS(s, n, "Traceback (most recent call last)")) {
			/* A Python tool died of an exception: pymobiledevice3's restore task ends
			 * here. One printed after "Exception in thread" is a helper thread's. */
			if (sc->fam_count[FAM_PMD3] > 0 && !sc->thread_exc && !sc->verdict) {
				bt_ls_add_error(sc);
				bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_PMD3);
			}
			sc->thread_exc = false;
			return;
		}
		break;
	case 'w':
		if (STARTS(s, n, "what=")) {
			/* futurerestore's exception text, often idevicerestore's error quoted
			 * ("ERROR: Unable to send iBSS component", "Device did not reconnect"): the
			 * same rules */
			sc->fam_count[FAM_FR]++;
			bt_ls_error_line(sc, s + 5, n - 5, FAM_FR);
			if (FIND(s, n, "[TSSC]") || FIND(s, n, "firmware.json"))
				bt_ls_signature(sc, SIG_TSS_NETWORK, FAM_FR);
			if (FIND(s, n, "APTicket can't be used"))
				bt_ls_signature(sc, SIG_TSS_REFUSED, FAM_FR); /* the blob does not fit */
			return;
		}
		break;
	case '[':
		if (STARTS(s, n, "[exception]:")) {
			/* futurerestore prints it only from the handler that ends a failed run */
			sc->fam_count[FAM_FR]++;
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, FAM_FR);
			return;
		}
		if (STARTS(s, n, "[Error]") || STARTS(s, n, "[WARNING]") || STARTS(s, n, "[TSS")) {
			sc->fam_count[FAM_FR]++;
			if (FIND(s, n, "CURLcode") || (STARTS(s, n, "[TSS") && FIND(s, n, "fail")))
				bt_ls_signature(sc, SIG_TSS_NETWORK, FAM_FR);
			if (STARTS(s, n, "[Error]") && (FIND(s, n, "failed to load") || FIND(s, n, "failed to read")))
				bt_ls_signature(sc, SIG_HOST_PREP, FAM_FR); /* "failed to load SEPManifest" */
			if (STARTS(s, n, "[Error]") && bt_lex_find_ci(s, n, "apnonce"))
				bt_ls_signature(sc, SIG_HOST_PREP, FAM_FR); /* "can't check apnonce" */
			if (STARTS(s, n, "[Error]") && FIND(s, n, "isn't signed"))
				bt_ls_signature(sc, SIG_TSS_REFUSED, FAM_FR); /* "baseband firmware isn't signed" */
			if (STARTS(s, n, "[Error]")) {
				const char *p = s + 7;
				size_t pn = n - 7;
				bt_lex_trim(&p, &pn);
				if (STARTS(p, pn, "ERROR"))
					bt_ls_error_line(sc, p, pn, FAM_FR);
				else
					bt_ls_add_error(sc);
			}
			return;
		}
		break;
	case 'R':
		if (STARTS(s, n, "Received response without expected RESTORED_FDR_TRUST_DATA")) {
			sc->fam_count[FAM_RESTORED]++;
			bt_ls_signature(sc, SIG_FDR_TRUST, dev);
			bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "RestoredFDRCreate() returned")) {
			/* "returned 0" is success; anything else is the FDR error */
			struct bt_lex x = { s + 28, n - 28 };
			long rv;
			bt_lex_skip_space(&x);
			sc->fam_count[FAM_RESTORED]++;
			if (!ls_long(&x, &rv) || rv != 0)
				bt_ls_add_error(sc);
			return;
		}
		if (STARTS(s, n, "Restore Failed") || STARTS(s, n, "Restore failed")) {
			/* wrappers (Vieux, LeetDown) end a failed run with it; neither restore tool
			 * prints it, so the line is the wrapper's whatever its prefix */
			enum fam w = pf != FAM_NONE ? pf : FAM_WRAPPER;
			sc->fam_count[w]++;
			bt_ls_add_error(sc);
			bt_ls_set_verdict(sc, BT_OUTCOME_FAILED, w);
			return;
		}
		if (STARTS(s, n, "Return code: ")) {
			sc->fam_count[pf != FAM_NONE ? pf : FAM_WRAPPER]++; /* Vieux: the tool's exit code */
			return;
		}
		if (STARTS(s, n, "Restore completed")) {
			bt_ls_mobiledevice_line(sc, s, n, md);
			return;
		}
		break;
	case '<':
		if (STARTS(s, n, "<key>HardwareModel</key>")) {
			sc->expect = EXPECT_HW_VALUE;
			return;
		}
		if (bt_ls_mobiledevice_line(sc, s, n, md)) {
			sc->fam_count[md]++;
			return;
		}
		break;
	default:
		break;
	}
	if (s[n - 1] == ')' || pf == FAM_3U) {
		if (bt_ls_progress_line(sc, s, n, host)) {
			sc->fam_count[host]++;
			return;
		}
	}
	if (pf == FAM_3U && STARTS(s, n, "Sending ") && bt_ls_transfer_line(sc, s, n, pf))
		return;
	/* the command a log starts with, after any shell prompt ("C:\…>futurerestore.exe …",
	 * "host:dir user$ …"): its IPSW or blob names the phone */
	if (sc->cur_line <= 3 && FIND(s, n, ".ipsw"))
		bt_ls_name_hints(sc, s, n, host);
}

/* ---- feeding ---------------------------------------------------------------------- */

struct bt_logscan *bt_logscan_new(void)
{
	struct bt_logscan *sc = bt_xcalloc(1, sizeof *sc);
	sc->op = -1;
	sc->src = "";
	sc->last_t = -1.0;
	sc->hw_cpid = sc->hw_bdid = -1;
	sc->dec = bt_textdec_new();
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
	bt_textdec_free(sc->dec);
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
	bt_textdec_reset(sc->dec);
	sc->lineno = 0;
	sc->have_t0 = false; /* each source has its own clock */
	sc->last_t = -1.0;
	sc->hw_cpid = sc->hw_bdid = -1; /* a block's two ids come from one source */
	sc->cferror = sc->panic_next = false;
	sc->thread_exc = false;
	sc->entered[0] = '\0';
	sc->expect = EXPECT_NONE;
	memset(&sc->phase, 0, sizeof sc->phase);
}

void bt_logscan_line(struct bt_logscan *sc, const struct bt_line *line)
{
	if (!line || !line->text)
		return;
	sc->lineno = line->lineno;
	bt_ls_scan_line(sc, line->text, line->len, line->lineno);
	bt_ls_marks_keep(sc); /* the line is the caller's, valid during this call only */
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
	bt_ls_scan_line(sc, p, n, sc->lineno);
}

/* emit() for a line of a chunk known to hold no ESC byte: no escapes to look for. */
static inline void emit_plain(struct bt_logscan *sc, const char *p, size_t n)
{
	sc->lineno++;
	bt_ls_scan_plain(sc, p, n, sc->lineno);
}

/* The line ending at buf[e] (an LF or CR); *p is where it starts. */
static inline void line_end(struct bt_logscan *sc, const char *buf, size_t len, size_t *p, size_t e)
{
	if (e < *p)
		return; /* the LF of a CRLF, already passed */
	if (sc->carry_len > 0 || sc->carry_over) {
		/* only the first line of a buffer: the start of it came with the last one */
		carry_add(sc, buf + *p, e - *p);
		emit(sc, sc->carry, sc->carry_len);
		sc->carry_len = 0;
		sc->carry_over = false;
	} else {
		emit(sc, buf + *p, e - *p);
	}
	*p = e + 1;
	if (buf[e] == '\r') {
		if (*p == len)
			sc->after_cr = true;
		else if (buf[*p] == '\n')
			(*p)++;
	}
}

/* line_end for the lines after the first one of a buffer (nothing carried). */
static inline void line_end_plain(struct bt_logscan *sc, const char *buf, size_t len, size_t *p,
				  size_t e, bool esc)
{
	if (e < *p)
		return;
	if (esc)
		emit(sc, buf + *p, e - *p);
	else
		emit_plain(sc, buf + *p, e - *p);
	*p = e + 1;
	if (buf[e] == '\r') {
		if (*p == len)
			sc->after_cr = true;
		else if (buf[*p] == '\n')
			(*p)++;
	}
}

/* Feeds buf whose line ends before `upto` are listed in ends[0..nends) (by the thread that
 * read it); the rest are found here. Lines that lie wholly inside buf are scanned where they
 * are, without a copy. */
static void feed_listed(struct bt_logscan *sc, const char *buf, size_t len, const uint32_t *ends,
			size_t nends, size_t upto, bool esc)
{
	size_t p = 0;
	if (len == 0)
		return;
	if (sc->after_cr) {
		sc->after_cr = false;
		if (buf[0] == '\n')
			p = 1;
	}
	size_t i = 0;
	/* The first line end may finish a carried line; after it nothing is carried. */
	while (i < nends && (sc->carry_len > 0 || sc->carry_over))
		line_end(sc, buf, len, &p, ends[i++]);
	if (esc)
		for (; i < nends; i++)
			line_end_plain(sc, buf, len, &p, ends[i], true);
	else
		for (; i < nends; i++)
			line_end_plain(sc, buf, len, &p, ends[i], false);
	if (upto < len) {
		/* Line ends come from a bit mask of each 64-byte block (core/eol.h). */
		struct bt_eol eol;
		bt_eol_init(&eol, buf + upto, len - upto);
		for (;;) {
			size_t e = bt_eol_next(&eol);
			if (e == len - upto)
				break;
			line_end(sc, buf, len, &p, upto + e);
		}
	}
	bt_ls_marks_keep(sc); /* before buf, or the carry below, changes */
	if (p < len)
		carry_add(sc, buf + p, len - p);
}

static int feed_piece(void *user, const char *buf, size_t len)
{
	feed_listed(user, buf, len, NULL, 0, 0, true);
	return 0;
}

/* Bytes that are not UTF-8 as they stand, or not known yet to be: decoded in pieces. */
static void feed_decoded(struct bt_logscan *sc, const char *buf, size_t len)
{
	bt_textdec_pour(sc->dec, buf, len, feed_piece, sc);
}

void bt_logscan_feed(struct bt_logscan *sc, const char *buf, size_t len)
{
	if (bt_textdec_raw(sc->dec))
		feed_listed(sc, buf, len, NULL, 0, 0, true);
	else
		feed_decoded(sc, buf, len);
}

void bt_logscan_end(struct bt_logscan *sc)
{
	char tail[BT_TEXTDEC_MIN_OUT];
	size_t t = bt_textdec_finish(sc->dec, tail, sizeof tail);
	if (t > 0)
		feed_listed(sc, tail, t, NULL, 0, 0, true);
	if (sc->carry_len > 0 || sc->carry_over)
		emit(sc, sc->carry, sc->carry_len);
	bt_ls_marks_keep(sc);
	sc->carry_len = 0;
	sc->carry_over = false;
	sc->after_cr = false;
}

int bt_logscan_file(struct bt_logscan *sc, const char *path)
{
	/* The next chunk is read, and its line ends listed, on a second thread while this one
	 * is scanned. */
	struct bt_readahead *ra = bt_readahead_open_lines(path);
	if (!ra)
		return BT_ERR_IO;
	bt_logscan_begin(sc, strcmp(path, "-") == 0 ? "(standard input)" : path);
	int rc = BT_OK;
	for (;;) {
		struct bt_ra_chunk c;
		ssize_t got = bt_readahead_next_chunk(ra, &c);
		if (got < 0) {
			rc = BT_ERR_IO;
			break;
		}
		if (got == 0)
			break;
		if (bt_textdec_raw(sc->dec))
			feed_listed(sc, c.buf, c.len, c.ends, c.nends, c.upto, c.esc != 0);
		else
			feed_decoded(sc, c.buf, c.len); /* the first chunk, and all of a UTF-16 log */
	}
	int saved = errno;
	bt_readahead_close(ra);
	bt_logscan_end(sc);
	errno = saved;
	return rc;
}

long bt_logscan_recognised(const struct bt_logscan *sc)
{
	long n = 0;
	for (int f = 0; f < FAM_COUNT; f++)
		n += sc->fam_count[f];
	return n;
}

/* ---- the verdict ------------------------------------------------------------------ */

/* A failed restore that names no step, and whose status (if any) says nothing about what
 * failed: what a concrete error signature shows, else "unknown". */
static const char *subsystem_from_signatures(const struct bt_logscan *sc, enum fam *fam)
{
	static const struct { enum sig sig; const char *subsystem; } order[] = {
		{ SIG_FDR_SERVER, "fdr" }, /* Apple's FDR server refusing is still an FDR failure */
		{ SIG_USB_TRANSFER, "usb" },
		{ SIG_FSCK, "filesystem" },
		{ SIG_ASR_STREAM, "filesystem" }, /* ASR's restore of the image failed (d07's step class) */
		{ SIG_TSS_REFUSED, "host" }, /* the host never had a signed firmware to send */
		{ SIG_HOST_PREP, "host" },
		/* the phone asked for a firmware updater the tool has no code for */
		{ SIG_UPDATER_UNKNOWN, "firmware_updater" },
		{ SIG_TSS_NETWORK, "host" }, /* ... or could not reach Apple's signing server */
	};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (sc->sig[order[i].sig].set) {
			*fam = sc->sig[order[i].sig].fam; /* whose line shows it */
			return order[i].subsystem;
		}
	/* the host tool dying is what failed only when its death is the verdict (i08's dyld
	 * error), not when it crashed after another abort (b06) */
	if (sc->sig[SIG_HOST_CRASH].set && sc->verdict_m.set &&
	    sc->sig[SIG_HOST_CRASH].line == sc->verdict_m.line &&
	    sc->sig[SIG_HOST_CRASH].source == sc->verdict_m.source) {
		*fam = sc->sig[SIG_HOST_CRASH].fam;
		return "host";
	}
	return "unknown";
}

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
	if (o == BT_OUTCOME_INCOMPLETE) {
		if (sc->own_err.set)
			return &sc->own_err;
		/* a host error that named the step it was serving is that step's own error */
		if (sc->phase.set && sc->phase.m.line == sc->phase_err_line &&
		    bt_steps_by_name(sc->phase.name))
			return &sc->phase;
		return NULL;
	}
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
	/* What the host was doing names the step only when it is a step: a progress text with
	 * no step ("Checking filesystems") says where, not what failed (labels-notes). */
	if (sc->phase.set && bt_steps_by_name(sc->phase.name))
		return &sc->phase;
	return NULL;
}

/* The line that decided the outcome: the tool's verdict, else a wrapper's non-zero exit
 * status of the tool; NULL when neither. */
static struct mark *verdict_mark(struct bt_logscan *sc)
{
	if (sc->verdict_m.set)
		return &sc->verdict_m;
	return !sc->verdict && sc->exit_m.set ? &sc->exit_m : NULL;
}

const struct bt_restore *bt_logscan_result(struct bt_logscan *sc)
{
	bt_ls_marks_keep(sc);
	struct bt_restore *r = &sc->res;
	memset(r, 0, sizeof *r);
	r->failed_step.id = -1;
	r->failed_step.op = -1;
	r->failed_step.time_s = -1.0;
	enum bt_outcome o = BT_OUTCOME_UNKNOWN;
	struct mark *vm = verdict_mark(sc);
	if (sc->verdict)
		o = (enum bt_outcome)sc->verdict;
	else if (vm)
		o = BT_OUTCOME_FAILED; /* the exit status */
	else if (sc->seen_restore)
		o = BT_OUTCOME_INCOMPLETE;
	r->outcome = o;
	struct cand *c = failed_cand(sc, o);
	enum fam fam = FAM_NONE;
	if (c && c->name[0]) {
		bt_lex_copy(sc->res_failed_name, sizeof sc->res_failed_name, c->name, strlen(c->name));
		r->failed_step.name = sc->res_failed_name;
		r->failed_step.id = c->id;
		const struct bt_step_info *tsi = c->id < 0 ? bt_steps_by_name(c->name) : NULL;
		for (size_t q = 0; tsi && q < sc->nprinted && q < 16; q++)
			if (sc->printed_ids[q] == tsi->id)
				r->failed_step.id = tsi->id;
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
			if (strcmp(r->subsystem, "unknown") == 0)
				r->subsystem = subsystem_from_signatures(sc, &fam);
		}
		break;
	default:
		r->subsystem = r->failed_step.name ? r->failed_step.subsystem : "unknown";
		/* no step, but a concrete error shows what failed: the USB transfers themselves
		 * (labels-notes: f40), ASR losing the image (the filesystem restore), ... */
		if (!r->failed_step.name) {
			enum fam unused = FAM_NONE;
			r->subsystem = subsystem_from_signatures(sc, &unused);
		}
		break;
	}
	if (!r->subsystem)
		r->subsystem = "unknown";
	r->recognised = bt_logscan_recognised(sc);
	r->product_type = sc->product[0] ? sc->product : NULL;
	r->board_config = sc->board[0] ? sc->board : NULL;
	if (fam == FAM_NONE && vm)
		fam = vm->fam;
	if (fam == FAM_NONE)
		fam = dominant(sc);
	/* futurerestore runs idevicerestore's code and prints its words; its own lines (what=,
	 * "Done: restoring", errorcode) say whose output the host lines are */
	if (fam == FAM_IDR && sc->fam_count[FAM_FR] > 0)
		fam = FAM_FR;
	r->family = fam != FAM_NONE ? fam_name(sc, fam) : NULL;
	if (vm) {
		r->verdict_source = vm->source;
		r->verdict_line = vm->line;
		r->verdict_text = bt_ls_mark_text(vm);
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

/* An item with the line that shows it, or just the file when no single line does. */
static void ev_mark(struct bt_logscan *sc, struct bt_evset *set, const char *key,
		    const char *value, struct mark *m)
{
	if (m && m->set)
		bt_evset_put(set, key, value, m->source, m->line, m->t, bt_ls_mark_text(m));
	else
		bt_evset_put(set, key, value, sc->src, 0, -1.0, NULL);
}

void bt_logscan_evidence(struct bt_logscan *sc, struct bt_evset *set)
{
	const struct bt_restore *r = bt_logscan_result(sc);
	char buf[64];
	/* Without a verdict, the origin is where the log stops: the last thing the host did. */
	struct mark *vm = verdict_mark(sc);
	struct mark *om = vm ? vm : sc->phase.set ? &sc->phase.m : sc->op_m.set ? &sc->op_m : NULL;
	ev_mark(sc, set, "restore.outcome", bt_outcome_name(r->outcome), om);
	struct cand *c = failed_cand(sc, r->outcome);
	struct mark *fm = (c && c->name[0]) ? &c->m : NULL;
	if (r->failed_step.name) {
		ev_mark(sc, set, "restore.failed_step", r->failed_step.name, fm);
		if (r->failed_step.id >= 0) {
			snprintf(buf, sizeof buf, "0x%04X", (unsigned)r->failed_step.id);
			ev_mark(sc, set, "restore.failed_step_id", buf, fm);
		}
	}
	if (r->outcome != BT_OUTCOME_UNKNOWN)
		ev_mark(sc, set, "restore.subsystem", r->subsystem, fm ? fm : vm);
	if (r->has_status) {
		snprintf(buf, sizeof buf, "%ld", r->status);
		struct mark *sm = sc->has_status_text ? &sc->status_m :
					sc->has_dev_status ? &sc->dev_status_m : &sc->am_status_m;
		ev_mark(sc, set, "restore.status", buf, sm);
	}
	if (r->host_error) {
		snprintf(buf, sizeof buf, "%ld", r->host_error);
		ev_mark(sc, set, "restore.error", buf, &sc->host_error_m);
	}
	if (sc->op >= 0) {
		snprintf(buf, sizeof buf, "%d", sc->op);
		ev_mark(sc, set, "restore.op", buf, &sc->op_m);
	}
	for (size_t i = r->nsteps; i > 0; i--) {
		const struct bt_step *st = &r->steps[i - 1];
		if (!st->name[0] || bt_ls_name_is(st->name, BT_STEPF_CLEANUP) || bt_ls_id_is(st->id, BT_STEPF_CLEANUP))
			continue;
		bt_evset_put(set, "restore.last_step", st->name, st->source, st->line, st->time_s, NULL);
		break;
	}
	for (int i = 0; i < SIG_COUNT; i++) {
		if (!sc->sig[i].set)
			continue;
		snprintf(buf, sizeof buf, "restore.signature.%s", sig_names[i]);
		ev_mark(sc, set, buf, "yes", &sc->sig[i]);
	}
	if (r->product_type)
		ev_mark(sc, set, "device.product_type", r->product_type, &sc->product_m);
	if (r->board_config)
		ev_mark(sc, set, "device.board_config", r->board_config, &sc->board_m);
	if (r->family)
		bt_evset_put(set, "restore.family", r->family, sc->src, 0, -1.0, NULL);
	if (sc->nand_service[0])
		ev_mark(sc, set, "restore.nand_service", sc->nand_service, &sc->nand_m);
	if (sc->dev_outcome[0])
		ev_mark(sc, set, "restore.device_outcome", sc->dev_outcome, &sc->dev_outcome_m);
	if (sc->prev_log_m.set)
		ev_mark(sc, set, "restore.previous_log", "yes", &sc->prev_log_m);
	if (sc->prev_exit[0])
		ev_mark(sc, set, "restore.previous_exit_status", sc->prev_exit, &sc->prev_exit_m);
	if (sc->done_seen && r->outcome != BT_OUTCOME_SUCCEEDED)
		ev_mark(sc, set, "restore.done_without_success", "yes", &sc->done_m);
}
