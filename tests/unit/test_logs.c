/* Unit tests for src/logs: each line shape and family on synthetic lines, the rules learned
 * from real logs (0x648 trap, IMMED_RETRY, Disk Failure, DONE, noise), decimal id masking,
 * chunked feeding, bounded memory and hostile input, and the data tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/linereader.h"
#include "core/xalloc.h"
#include "logs/devices.h"
#include "logs/lex.h"
#include "logs/logscan.h"
#include "logs/steps.h"

/* Scans text fed as one chunk; the caller frees. */
static struct bt_logscan *scan(const char *text)
{
	struct bt_logscan *sc = bt_logscan_new();
	bt_logscan_begin(sc, "t.log");
	bt_logscan_feed(sc, text, strlen(text));
	bt_logscan_end(sc);
	return sc;
}

static const char *ev(struct bt_logscan *sc, const char *key, char *out, size_t outn)
{
	struct bt_evset *set = bt_evset_new();
	bt_logscan_evidence(sc, set);
	const char *v = bt_evset_value(set, key);
	snprintf(out, outn, "%s", v ? v : "(none)");
	bt_evset_free(set);
	return out;
}

static void hex_checkpoints_and_abort(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("Checkpoint started   id: 0x60D (wait_for_storage)\n"
				     "Checkpoint completed id: 0x60D (wait_for_storage) result=0\n"
				     "Checkpoint started   id: 0x60E (update_NAND_firmware)\n"
				     "Checkpoint completed id: 0x60E (update_NAND_firmware) result=5\n"
				     "ERROR: Unable to restore device\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "update_NAND_firmware");
	assert_int_equal(r->failed_step.id, 0x60E);
	assert_string_equal(r->subsystem, "storage");
	assert_false(r->has_status); /* a checkpoint result is not a restore status */
	assert_string_equal(r->family, "idevicerestore");
	assert_true(r->nsteps >= 2);
	assert_int_equal(r->steps[0].id, 0x60D);
	assert_int_equal(r->steps[0].state, BT_STEP_DONE);
	char buf[64];
	assert_string_equal(ev(sc, "restore.failed_step_id", buf, sizeof buf), "0x060E");
	bt_logscan_free(sc);
}

static void decimal_ids_are_masked(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("Checkpoint 94489282059 complete with code 0\n"
				     "Checkpoint 18446744069414585938 complete with code 0\n"
				     "Checkpoint 4294968884 complete with code 53\n"
				     "Checkpoint 1608 complete with code 0\n"
				     "ERROR: Unable to restore device\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->steps[0].id, 0x60B); /* 0x16_0000060B */
	assert_string_equal(r->steps[0].name, "update_ticket");
	assert_int_equal(r->steps[1].id, 0x652); /* 0xFFFFFFFF_00000652 */
	assert_string_equal(r->failed_step.name, "fdr_recover");
	assert_int_equal(r->failed_step.id, 0x634);
	assert_int_equal(r->failed_step.result, 53);
	assert_string_equal(r->subsystem, "fdr");
	bt_logscan_free(sc);

	/* Digits past 2^64 keep their low bits right; no overflow trap. */
	sc = scan("Checkpoint 340282366920938463463374607431768211456 complete with code "
		  "999999999999999999999999999999999\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_int_equal(r->steps[0].id, 0); /* 2^128 mod 2^32 */
	bt_logscan_free(sc);
}

static void cleanup_0x648_names_only_cleanup(void **state)
{
	(void)state;
	/* The failing step is in the text, never 0x648 itself. */
	struct bt_logscan *sc = scan("ERROR: Unable to successfully restore device\n"
				     "Checkpoint FAILURE id: 0x648 result=0: [0]D(failed to install splat)\n"
				     "ERROR: Unable to restore device\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "install_splat");
	assert_int_equal(r->failed_step.id, -1); /* not printed */
	assert_false(r->has_status);             /* result=0 is not a status */
	bt_logscan_free(sc);

	sc = scan("Checkpoint FAILURE id: 0x648 result=0: [0]D(something unheard of)\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_null(r->failed_step.name);
	assert_string_equal(r->subsystem, "unknown");
	bt_logscan_free(sc);

	/* The deepest named step of a chain wins over its parent's wording. */
	sc = scan("Checkpoint FAILURE id: 0x648 result=0: [0]D(failed to update device firmware)"
		  "[1]D(ramrod firmware update failed) [2]D(update_stockholm: NfRestore Failed. "
		  "NfResult: 5)[3]LD(Error 0x0009 at NFRestoreNfcForController:1009)\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "update_stockholm");
	assert_string_equal(r->subsystem, "secure_element");
	bt_logscan_free(sc);
}

static void device_first_failure_is_root(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"[10:19:54.0306-GMT]{4>7} CHECKPOINT BEGIN: RESTORED:[0x0634] fdr_recover\n"
		"restore-step-error = {0x11070634:\"[0]D(Failed to copy proxy information and proxy is enabled.)\"}\n"
		"[10:19:55.0306-GMT]{4>7} CHECKPOINT NOTICE: (NVRAM set) restore-step-user-progress=51 [sync=true] (first failure)\n"
		"[10:19:55.0307-GMT]{4>7} CHECKPOINT FAILURE:(FAILURE:53) RESTORED:[0x067B] perform_restore_installing D(x)\n"
		"[10:19:55.0308-GMT]{4>7} CHECKPOINT BEGIN: RESTORED:[0x0647] cleanup_check_result\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "fdr_recover");
	assert_int_equal(r->failed_step.id, 0x634);
	assert_true(r->has_status);
	assert_int_equal(r->status, 53);
	assert_string_equal(r->family, "restored");
	assert_true(r->failed_step.time_s >= 0.0);
	char buf[64];
	assert_string_equal(ev(sc, "restore.signature.fdr_proxy", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* Parent failure first: the child id in restore-step-results pins the step (f20). */
	sc = scan("[06:59:59.0603-GMT]{3>7} CHECKPOINT FAILURE:(FAILURE:100) RESTORED:[0x067B] perform_restore_installing [0]D(failed to install splat)\n"
		  "restore-step-results = {0x1107067B:{0:100};0x110706A6:{0:100}}\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "install_splat");
	assert_int_equal(r->failed_step.id, 0x6A6);
	assert_int_equal(r->status, 100);
	bt_logscan_free(sc);
}

static void immed_retry_is_not_a_verdict(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"[10:00:00.0001-GMT]{4>7} CHECKPOINT BEGIN: FIRMWARE:[0x1303] update_baseband\n"
		"[10:00:01.0001-GMT]{4>7} CHECKPOINT IMMED_RETRY:(FAILURE:-1) FIRMWARE:[0x1303] update_baseband [0]D(bbupdater failed)\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->failed_step.name, "update_baseband"); /* its own error */
	assert_false(r->has_status);
	assert_string_equal(r->subsystem, "baseband");
	bt_logscan_free(sc);

	/* A retried updater followed by a real failure elsewhere: the failure is the root (f09). */
	sc = scan("[10:00:01.0001-GMT]{4>7} CHECKPOINT IMMED_RETRY:(FAILURE:-1) FIRMWARE:[0x1303] update_baseband [0]D(x)\n"
		  "[10:00:09.0001-GMT]{4>7} CHECKPOINT FAILURE:(FAILURE:53) RESTORED:[0x063C] verify_fdr_data [0]D(y)\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "verify_fdr_data");
	assert_int_equal(r->status, 53);
	assert_string_equal(r->subsystem, "fdr");
	bt_logscan_free(sc);

	/* An updater's own error line alone is not a verdict either. */
	sc = scan("bbupdater: \t\tCreating transport, attempts remaining 1...bbupdater: \t\tFAILED(kBBUReturnIOError)\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	char buf[64];
	assert_string_equal(ev(sc, "restore.signature.bbupdater_transport", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
}

static void status_texts(void **state)
{
	(void)state;
	/* A text idevicerestore never prints is no verdict. */
	struct bt_logscan *u = scan("Status: Restoring the moon\n");
	assert_int_equal(bt_logscan_result(u)->outcome, BT_OUTCOME_UNKNOWN);
	bt_logscan_free(u);
	static const struct { const char *line; long status; enum bt_outcome o; } cases[] = {
		{ "Status: Restore Finished\n", 0, BT_OUTCOME_SUCCEEDED },
		{ "Status: Disk Failure\n", 6, BT_OUTCOME_FAILED },
		{ "Status: Verification Error\n", -1, BT_OUTCOME_FAILED },
		{ "Status: Failed to recover FDR data.\n", 53, BT_OUTCOME_FAILED },
		{ "Status: Failed to mount filesystems.\n", 27, BT_OUTCOME_FAILED },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bt_logscan *sc = scan(cases[i].line);
		const struct bt_restore *r = bt_logscan_result(sc);
		assert_int_equal(r->outcome, cases[i].o);
		assert_true(r->has_status);
		assert_int_equal(r->status, cases[i].status);
		bt_logscan_free(sc);
	}
	/* "Disk Failure" is only status 6's wording: no storage verdict from it alone. */
	struct bt_logscan *sc = scan("Status: Disk Failure\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "unknown");
	bt_logscan_free(sc);
	sc = scan("Status: Restore Finished\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "none");
	bt_logscan_free(sc);
}

static void done_alone_is_not_success(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("Installing kernelcache (27)\nCleaning up...\nDONE\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	bt_logscan_free(sc);
	sc = scan("Installing kernelcache (27)\nNot sending NORData... Quitting...\nCleaning up...\nDONE\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_nordata");
	assert_string_equal(r->failed_step.subsystem, "host");
	assert_string_equal(r->subsystem, "host");
	bt_logscan_free(sc);
}

static void progress_keyed_on_number(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("Waiting for NAND (28)\nidevicerestore Updating NAND Firmware (58)\n"
				     "ERROR: Could not read data (-256). Aborting.\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "update_NAND_firmware");
	assert_int_equal(r->failed_step.id, -1);
	assert_string_equal(r->subsystem, "storage");
	char buf[64];
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "58");
	assert_string_equal(ev(sc, "restore.signature.usb_read_error", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* An old table's number with today's text: the text names the row, the number stays. */
	sc = scan("Certifying Savage (61)\n");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "61");
	assert_string_equal(ev(sc, "restore.last_step", buf, sizeof buf), "Certifying Savage");
	bt_logscan_free(sc);

	/* Not progress: a byte count, a path, a number too long, code-like text. */
	sc = scan("Extracting x (Firmware/a.im4p)...\nFoo (12345)\nx = f(3)\nretrying (2)\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_UNKNOWN);
	bt_logscan_free(sc);
	/* an upload's byte count is no operation either, though the upload means a restore */
	sc = scan("Sending iBEC (872331 bytes)...\n");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "(none)");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE);
	bt_logscan_free(sc);
	/* A newer tool's operation we have no row for still counts. */
	sc = scan("Updating Baobab (86)\nUnknown operation (80)\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "80");
	bt_logscan_free(sc);
}

static void identity_lines(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("Identified device as d111ap, iPhone9,4\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_string_equal(r->product_type, "iPhone9,4");
	assert_string_equal(r->board_config, "d111ap");
	bt_logscan_free(sc);
	static const struct { const char *line, *product; } hints[] = {
		{ "Extracting iBEC.d54p.RELEASE.im4p (Firmware/dfu/iBEC.d54p.RELEASE.im4p)...\n", "iPhone13,4" },
		{ "Found firmware path Firmware/all_flash/all_flash.n56ap.production\n", "iPhone7,1" },
		{ "Extracting sep-firmware.n61.RELEASE.im4p...\n", "iPhone7,2" },
		{ "Extracting kernelcache.release.j2a...\n", "iPad3,3" },
		{ "15:09:20.675:  Checking iDevice firmware C:\\3uTools\\Firmware\\iPhone11,8_16.2_20C65_Restore.ipsw\n", "iPhone11,8" },
	};
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		sc = scan(hints[i].line);
		r = bt_logscan_result(sc);
		assert_non_null(r->product_type);
		assert_string_equal(r->product_type, hints[i].product);
		bt_logscan_free(sc);
	}
	/* A kernelcache named after the product family is no board. */
	sc = scan("Extracting kernelcache.release.iphone10 (kernelcache.release.iphone10)...\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	/* The Identified line beats a file-name hint. */
	sc = scan("Extracting sep-firmware.n61.RELEASE.im4p...\nIdentified device as n71ap, iPhone8,1\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone8,1");
	bt_logscan_free(sc);
	sc = scan("Previous restore exit status: 0x100\n");
	char buf[64];
	assert_string_equal(ev(sc, "restore.previous_exit_status", buf, sizeof buf), "0x100");
	bt_logscan_free(sc);
}

static void mobiledevice_family(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"[06:44:01.0282] <Restore Device 0000025762236D20>: operation 59 progress 0\n"
		"[06:44:02.0316] Completed checkpoint id: 0x635\n"
		"[06:45:01.7655] Restore completed, status: 4013\n"
		"[06:45:01.7655] Failure Description:\n"
		"[06:45:01.7655] Depth:0 Code:4013 Error:device disconnected\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_int_equal(r->host_error, 4013);
	assert_int_equal(r->status, 4013);
	assert_string_equal(r->family, "itunes");
	assert_string_equal(r->failed_step.name, "update_se"); /* operation 59 was running */
	char buf[64];
	assert_string_equal(ev(sc, "restore.error", buf, sizeof buf), "4013");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "59");
	bt_logscan_free(sc);

	sc = scan("17:05:40.406: <Restore Device 012ACCF0>: operation 58 progress -1\n"
		  "17:05:46.345: AMRestoreErrorDomain error 4014\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->host_error, 4014);
	assert_string_equal(r->family, "itunes");
	bt_logscan_free(sc);

	/* the MobileRestore state machine's lines are every Apple host's (iTunes on Windows
	 * prints them too): they say nothing about Configurator; its agent's lines do */
	sc = scan("[17:59:01.7505] Changing state from 'Restoring' to 'Transitioning'\n"
		  "[18:09:01.7655] Restore completed, status: 0\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_string_equal(r->family, "itunes");
	bt_logscan_free(sc);
	sc = scan("[17:59:01.7501] Finished DFU Restore Phase: Successful\n"
		  "[17:59:01.7505] Changing state from 'Restoring' to 'Transitioning'\n"
		  "[18:09:01.7655] Restore completed, status: 0\n");
	assert_string_equal(bt_logscan_result(sc)->family, "configurator");
	bt_logscan_free(sc);
	/* iTunes naming itself keeps its log iTunes' whatever follows */
	sc = scan("2019-03-15 13:49:58.641 [13992:3548]: iTunes: iTunes 12.9.3.3\n"
		  "[17:59:01.7501] Finished DFU Restore Phase: Successful\n"
		  "[18:09:01.7655] Restore completed, status: 0\n");
	assert_string_equal(bt_logscan_result(sc)->family, "itunes");
	bt_logscan_free(sc);
}

static void tool_prefixes(void **state)
{
	(void)state;
	/* 3uTools: step names without numbers. */
	struct bt_logscan *sc = scan("15:09:46.468:  Waiting for NAND\n15:09:46.479:  Updating NAND Firmware\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "3utools");
	char buf[64];
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "58");
	assert_true(r->steps[1].time_s > 0.0);
	bt_logscan_free(sc);

	/* A wrapper quoting each line with "...\n". */
	sc = scan("2017-11-10 13:50:57.204 \"ERROR: Unable to successfully restore device\\n\"\n"
		  "2017-11-10 13:50:57.205 \"Status: Disk Failure\\n\"\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->family, "wrapper");
	assert_int_equal(r->status, 6);
	bt_logscan_free(sc);

	/* Newer idevicerestore: a time and level before each line. */
	sc = scan("12:00:01.100 <Info> Waiting for NAND (28)\n12:00:09.300 <Error> ERROR: Unable to restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "wait_for_storage");
	assert_string_equal(r->family, "idevicerestore");
	bt_logscan_free(sc);

	/* usbmuxd / libusb debug output. */
	sc = scan("[1591617000.123456][3] libusb: error [submit_bulk_transfer] submiturb failed status=-71\n");
	assert_string_equal(ev(sc, "restore.signature.usb_transfer_error", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* futurerestore endings and the host network failure. */
	sc = scan("[Error] failed to download file from=https://x CURLcode=28\n"
		  "futurerestore: failed with exception:\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(ev(sc, "restore.signature.tss_network", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* A second run that succeeds replaces the first run's failure. */
	sc = scan("futurerestore: failed with exception:\nVersion: v2.0.0\nStatus: Restore Finished\n"
		  "Done: restoring succeeded!\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_string_equal(r->family, "futurerestore");
	assert_int_equal(r->nerrors, 0);
	bt_logscan_free(sc);
	/* Even without a run header, a success after a failure forgets the failed run. */
	sc = scan("[Error] failed to download file from=https://x CURLcode=28\n"
		  "futurerestore: failed with exception:\nStatus: Restore Finished\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_int_equal(r->status, 0);
	assert_string_equal(ev(sc, "restore.signature.tss_network", buf, sizeof buf), "(none)");
	bt_logscan_free(sc);
}

static void old_nvram_style_and_signatures(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"Received response without expected RESTORED_FDR_TRUST_DATA\n"
		"ramrod_ticket_copy_data_object_property: failed to get data property from Img4 manifest\n"
		"executing /usr/sbin/nvram -s restore-step-error={0x11070616:\"[0]D(fatal FDR Error returned from RestoredFDRCreate())\"}\n"
		"[03:56:42.0002-GMT]{5>18} CHECKPOINT NOTICE: (NVRAM set) restore-step-error={...} [sync=true](first failure)\n"
		"[03:56:42.0003-GMT]{5>18} CHECKPOINT BEGIN: RESTORED:[0x0647] cleanup_check_result\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED); /* error record, then cleanup */
	assert_string_equal(r->failed_step.name, "fdr_create");
	assert_int_equal(r->failed_step.id, 0x616);
	char buf[64];
	assert_string_equal(ev(sc, "restore.signature.fdr_trust_missing", buf, sizeof buf), "yes");
	assert_string_equal(ev(sc, "restore.signature.img4_manifest", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	sc = scan("ASR: Could not restore - No space left on device\n"
		  "CHECKPOINT_INTERNAL_ERROR(checkpoint_nvram_set): failed ... 0xe00002db ((iokit/common) no space for data)\n"
		  "Found NAND service: AppleEmbeddedNVMeController\n");
	assert_string_equal(ev(sc, "restore.signature.asr_no_space", buf, sizeof buf), "yes");
	assert_string_equal(ev(sc, "restore.signature.nvram_full", buf, sizeof buf), "yes");
	assert_string_equal(ev(sc, "restore.nand_service", buf, sizeof buf), "AppleEmbeddedNVMeController");
	bt_logscan_free(sc);
	sc = scan("restore-outcome = initial_engine_no_return\n"
		  "executing /usr/sbin/nvram restore-outcome=initial_monitor_no_return\n");
	assert_string_equal(ev(sc, "restore.device_outcome", buf, sizeof buf), "initial_monitor_no_return");
	bt_logscan_free(sc);
}

/* Line shapes met in real logs outside the corpus (sources in docs/log-formats.md). */
/* Line shapes from the fourth and fifth batches of real logs (tests/data/real/INDEX-d.md,
 * INDEX-e.md), each with the case that must not change. */
static void shapes_from_batches_d_e(void **state)
{
	(void)state;
	char buf[96];
	/* ASR validation: the first host error names the step, its callers' errors do not */
	struct bt_logscan *sc = scan("About to send filesystem...\nConnected to ASR\n"
				     "Validating the filesystem\n"
				     "ERROR: ASR was unable to validate the filesystem\n"
				     "ERROR: Unable to send filesystem\n"
				     "ERROR: Unable to successfully restore device\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "validate_filesystem");
	assert_string_equal(r->subsystem, "filesystem");
	bt_logscan_free(sc);
	sc = scan("About to send filesystem...\nERROR: Unable to send filesystem\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "send_filesystem");
	bt_logscan_free(sc);

	/* host aborts before any upload: the IPSW, the signature */
	sc = scan("Custom firmware requested. Disabled TSS request.\n"
		  "ERROR: could not extract Firmware/all_flash/all_flash.n49ap.production/manifest from IPSW\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host");
	assert_string_equal(ev(sc, "restore.signature.host_prepare_failed", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	sc = scan("ERROR: TSS request failed (status=94, message=This device isn't eligible for the requested build.)\n"
		  "ERROR: Unable to get SHSH blobs for this device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host");
	bt_logscan_free(sc);
	sc = scan("ERROR: Unable to get SHSH blobs for this device\n"); /* no reason given */
	assert_string_equal(bt_logscan_result(sc)->subsystem, "unknown");
	bt_logscan_free(sc);

	/* the host could not serve the baseband step: the step is named, the host blamed */
	sc = scan("ERROR: Unable to fetch Baseband TSS\nERROR: Unable to send baseband data\n"
		  "ERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "update_baseband");
	assert_string_equal(ev(sc, "restore.signature.host_prepare_failed", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* a filesystem check that gave up explains a Disk Failure status; the device says it */
	sc = scan("** The volume Data could not be repaired.\nfsck failed on /dev/disk0s1s2\n"
		  "patchd: patch(2311): system and data partition mounted.\n"
		  "Status: Disk Failure\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->status, 6);
	assert_string_equal(r->subsystem, "filesystem");
	assert_string_equal(r->family, "restored");
	bt_logscan_free(sc);
	sc = scan("Status: Disk Failure\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "unknown");
	bt_logscan_free(sc);

	/* ASR losing the host's stream is evidence of its own; the step keeps its class */
	sc = scan("ASR: Socket unexpectedly closed while trying to read() offset 0x10BC00000\n"
		  "[15:03:50.0582-GMT]{4>8} CHECKPOINT FAILURE:(FAILURE:14) (null):[0x065B] "
		  "asr_and_invert_image [0]D(failed to restore APFS image)\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "filesystem");
	assert_string_equal(ev(sc, "restore.signature.asr_stream_lost", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* an error printed after a progress bar, on the bar's line, behind a debug prefix */
	sc = scan("[==========================                        ]  50.0%02:57:20 idevice.c:332 "
		  "internal_connection_send(): ERROR: usbmuxd_send returned -104 (Connection reset by peer)\n"
		  "ERROR: Unable to restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->nerrors, 2);
	assert_string_equal(r->subsystem, "usb");
	bt_logscan_free(sc);
	sc = scan("[==================================================] 100.0%\n");
	assert_int_equal(bt_logscan_result(sc)->nerrors, 0);
	bt_logscan_free(sc);

	/* futurerestore's own lines make idevicerestore's words futurerestore's output */
	sc = scan("ERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->family, "idevicerestore");
	bt_logscan_free(sc);
	sc = scan("ERROR: Unable to successfully restore device\nwhat=ERROR: Unable to restore device\n"
		  "Done: restoring failed!\n");
	assert_string_equal(bt_logscan_result(sc)->family, "futurerestore");
	bt_logscan_free(sc);
	sc = scan("Found device product iPad4,4\nFound device board j85ap\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPad4,4");
	bt_logscan_free(sc);

	/* iTunes on Windows: AMR error, DFU Device progress, AMAuthInstall's ids */
	sc = scan("2012-03-11 18:00:09.037 [3132:e4]: device returned AMR error 37\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_int_equal(r->status, 37);
	bt_logscan_free(sc);
	sc = scan("[11:50:14.0860] personalizing: <AMAuthInstall 000001E0C99526A0>{ap=(personalize=YES "
		  "n71ap ecid=0x1, chipid=0x8000, boardid=0x4, isProduction=YES\n"
		  "[11:50:15.0846] <DFU Device 000001E0C9D70F20>: operation 0 progress 0\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->product_type, "iPhone8,1");
	bt_logscan_free(sc);

	/* Vieux's own last lines: a wrapper's verdict, not idevicerestore's words */
	sc = scan("[==================================================] 100.0%\nERROR..\n"
		  "Return code: -11\nRestore Failed.\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->family, "wrapper");
	bt_logscan_free(sc);
	/* wrappers: LeetDown's GUI log, a GUI quoting tool lines after a bare time */
	sc = scan("[+]  Sending bootchain\n[+]  Restore failed\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->family, "wrapper");
	bt_logscan_free(sc);
	sc = scan("14:02:07.603 \"Extracting sep-firmware.d10.RELEASE.im4p (Firmware/all_flash/sep-firmware.d10.RELEASE.im4p)... \"\n"
		  "14:02:07.609 \"Sending RestoreSEP (1386971 bytes)... \"\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "wrapper");
	assert_string_equal(r->product_type, "iPhone9,1");
	bt_logscan_free(sc);

	/* pymobiledevice3: its root logger (2021), the board it names, a traceback that ends the
	 * task; a helper thread's traceback does not */
	sc = scan("2024-12-28 01:09:48 host Task-1-pymobiledevice3.restore.restore[20390] INFO connected "
		  "device: <Device ecid: 1 hardware_model: d16ap image4-support: 4>\n"
		  "2024-12-28 01:10:37 host Task-1-pymobiledevice3.restore.restore[20390] ERROR unknown error\n"
		  "Traceback (most recent call last):\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->product_type, "iPhone14,4");
	bt_logscan_free(sc);
	sc = scan("2021-10-07 22:58:24 HOSTNAME root[12156] INFO validating the filesystem\n"
		  "Exception in thread Thread-4:\nTraceback (most recent call last):\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "pymobiledevice3");
	bt_logscan_free(sc);
	sc = scan("Traceback (most recent call last):\n"); /* no Python restore tool around it */
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_UNKNOWN);
	bt_logscan_free(sc);

	/* usbmuxd -v: a restore tool connected; hotplug notes are not transfer errors */
	sc = scan("[09:51:42.017][3] usbmuxd v1.1.1 starting up\n"
		  "[09:52:09.020][4] Client 11 accepted: idevicerestore[2254]\n"
		  "libusb: error [udev_hotplug_event] ignoring udev action bind\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "usbmuxd");
	assert_string_equal(r->subsystem, "unknown");
	bt_logscan_free(sc);
}

/* Line shapes from batches g and h of real logs (tests/data/real/INDEX-g.md, INDEX-h.md). */
static void shapes_from_batches_g_h(void **state)
{
	(void)state;
	/* 3uTools running Apple's restore library: two spaces are 3uTools', one Apple's */
	struct bt_logscan *sc = scan("00:31:58.930:  Run the flash program of iTunes\n"
				     "00:32:04.867: personalizing: <AMAuthInstall 0x7f9603c471a0>{ap=(personalize=YES "
				     "d421ap ecid=0x1, chipid=0x8030, boa\n"
				     "00:41:36.361: device returned success\n"
				     "00:41:36.463: <Restore Device 0x7f9603d65960>: Restore succeeded\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->family, "itunes");
	assert_string_equal(r->product_type, "iPhone12,3");
	bt_logscan_free(sc);
	sc = scan("00:31:58.930:  Start flash\n00:41:36.463: <Restore Device 0x7f96>: Restore failed\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
	sc = scan("15:09:46.468:  Waiting for NAND\n15:09:46.479:  Updating NAND Firmware\n");
	assert_string_equal(bt_logscan_result(sc)->family, "3utools");
	bt_logscan_free(sc);

	/* idevicerestore's FDR proxy thread runs only during a restore */
	sc = scan("FDR 0xb3b62e80 waiting for message...\nFDR 0xb3a02548 terminating...\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "idevicerestore");
	bt_logscan_free(sc);

	/* ASR losing the image with no step named: the filesystem restore failed */
	sc = scan("ASR STATUS: restore\nASR: Socket unexpectedly closed while trying to read() offset 0x420000\n"
		  "ASR: Could not restore - Bad file descriptor\nASR STATUS: fail\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->subsystem, "filesystem");
	bt_logscan_free(sc);

	/* the host failed to serve the step it had started: that step, with its printed id,
	 * also across the gap that ends the excerpt */
	sc = scan("Checkpoint started   id: 0x130D (update_savage)\nUpdating Savage (60)\n"
		  "Sending Savage TSS request...\nERROR: Unable to fetch Savage ticket\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->failed_step.name, "update_savage");
	assert_int_equal(r->failed_step.id, 0x130D);
	bt_logscan_free(sc);
	sc = scan("Checkpoint started   id: 0x130D (update_savage)\nUpdating Savage (60)\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n");
	assert_null(bt_logscan_result(sc)->failed_step.name); /* no error of its own */
	bt_logscan_free(sc);

	/* futurerestore's exception quotes idevicerestore's error: a bootstrap upload */
	sc = scan("Sending iBSS (164898 bytes)...\n[exception]:\n"
		  "what=ERROR: Unable to send iBSS component: Unable to upload data to device\n"
		  "Done: restoring failed!\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_bootstrap");
	assert_string_equal(r->subsystem, "usb");
	assert_string_equal(r->family, "futurerestore");
	bt_logscan_free(sc);

	/* futurerestore's exception: its own verdict; its text is read as an error line
	 * ("Device did not reconnect" after iBEC is the bootstrap); the patcher failing on the
	 * host is the host's preparation */
	sc = scan("Sending iBEC (282844 bytes)...\n[exception]:\n"
		  "what=Device did not reconnect. Possibly invalid iBEC. Reset device and try again\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_bootstrap");
	bt_logscan_free(sc);
	sc = scan("Patching iBSS\n[exception]:\nwhat=assure failed\ncode=21757967\nline=332\n"
		  "file=libipatcher.cpp\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host");
	bt_logscan_free(sc);
	sc = scan("[exception]:\nwhat=assure failed\nfile=futurerestore.cpp\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "unknown"); /* where is not said */
	bt_logscan_free(sc);
	/* the answer to a TSS request is printed on the request's line */
	sc = scan("Sending TSS request attempt 1... [Error] baseband firmware isn't signed\n"
		  "Failed with errorcode=-3\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "host");
	bt_logscan_free(sc);
	/* the tool cannot run on this macOS: the host failed; a crash after another abort is not */
	sc = scan("Extracting BuildManifest from IPSW\n"
		  "dyld: lazy symbol binding failed: Symbol not found: ____chkstk_darwin\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host");
	bt_logscan_free(sc);
	sc = scan("ERROR: Could not read data (-256). Aborting.\nSegmentation fault\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "unknown");
	bt_logscan_free(sc);
	sc = scan("Sending iBEC (282844 bytes)...\n[Error] ERROR: Unable to connect to recovery device\n"
		  "Failed with errorcode=-94\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "send_bootstrap");
	bt_logscan_free(sc);

	/* idevicerestore 1.0.1+ prints errors without "ERROR: " (batch j) */
	sc = scan("Trying to fetch new SHSH blob\nresponse == NULL\nERROR: Unable to send TSS request\n"
		  "Unable to get SHSH blobs for this device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host"); /* the signing server was not reached */
	bt_logscan_free(sc);
	sc = scan("ipsw_extract_send: Sending file data for 094-96570-085.dmg.aea failed (sent 148430848/2013265920)\n"
		  "Failed to send component Cryptex1,SystemOS\nUnable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "usb");
	bt_logscan_free(sc);
	/* the iBEC upload failing ends the run; its component error alone does not */
	sc = scan("Sending iBEC (731057 bytes)...\n"
		  "ERROR: Unable to send iBEC component: Unable to upload data to device\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE);
	bt_logscan_free(sc);
	sc = scan("Sending iBEC (731057 bytes)...\n"
		  "ERROR: Unable to send iBEC component: Unable to upload data to device\n"
		  "ERROR: Unable to send iBEC to device.\nERROR: Unable to send iBEC\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_bootstrap");
	assert_string_equal(r->subsystem, "usb");
	bt_logscan_free(sc);
	/* a progress bar cut by the next message still means a transfer to the phone */
	sc = scan("[===============               Sending Baseband TSS request...\n"
		  "[===============                                   ]  31.0% restore_send_firmware_updater_data: "
		  "Got unknown updater name 'Centauri'\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "idevicerestore");
	bt_logscan_free(sc);
	sc = scan("[... corpus: gap - text between retrieved excerpts not available ...]\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_UNKNOWN); /* a marker is no bar */
	bt_logscan_free(sc);

	/* batch k: an old ramdisk names the step it enters, a driver error after it fails it */
	sc = scan("Flashing firmware (18)\nentering update_NOR\nentering img3_update_NOR\n"
		  "img3_flash_NOR_image: flashing LLB data (length = 0x13984)\n"
		  "IOConnectCallStructMethod(0) failed: 0xe00002e2\n"
		  "ERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "update_iBoot");
	assert_string_equal(r->family, "restored");
	bt_logscan_free(sc);
	sc = scan("Flashing firmware (18)\nentering update_NOR\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n"
		  "IOConnectCallStructMethod(0) failed: 0xe00002e2\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_null(bt_logscan_result(sc)->failed_step.name); /* what ran in the gap is unknown */
	bt_logscan_free(sc);
	/* pre-2013 idevicerestore names only the product (its comma is no separator) */
	sc = scan("Identified device as iPhone4,1\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone4,1");
	assert_string_equal(bt_logscan_result(sc)->board_config, "n94ap");
	bt_logscan_free(sc);
	sc = scan("Identified device as d111ap, iPhone9,4\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone9,4");
	assert_string_equal(bt_logscan_result(sc)->board_config, "d111ap");
	bt_logscan_free(sc);
	sc = scan("Identified device as iPhone8,1\n"); /* two boards: none guessed */
	assert_null(bt_logscan_result(sc)->board_config);
	bt_logscan_free(sc);
	/* the device refusing BasebandData is the baseband update, whatever the host sent last */
	sc = scan("About to send BasebandData...\nSending BasebandData now...\nDone sending BasebandData\n"
		  "ERROR: device didn't accept BasebandData\nERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "update_baseband");
	bt_logscan_free(sc);

	/* a blob named product-version on a command line names the phone; a multi-model IPSW
	 * does not */
	sc = scan("$ futurerestore -t blobs/iPhone8,4-13.3.shsh2 ipsw/iPhone_4.0_64bit_13.3_17C54_Restore.ipsw\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone8,4");
	bt_logscan_free(sc);
	sc = scan("$ futurerestore -t blobs/x.shsh2 ipsw/iPhone_4.0_64bit_13.3_17C54_Restore.ipsw\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
}

static void shapes_from_unseen_logs(void **state)
{
	(void)state;
	char buf[96];
	/* a gap after the verdict keeps what the host was doing */
	struct bt_logscan *sc = scan("Updating baseband (19)\n"
				     "ERROR: Could not read data (-256). Aborting.\n"
				     "[... corpus: gap - text between retrieved excerpts not available ...]\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_non_null(r->failed_step.name);
	assert_string_equal(r->subsystem, "baseband");
	bt_logscan_free(sc);
	/* ... but a gap before it still forgets */
	sc = scan("Updating baseband (19)\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n"
		  "ERROR: Could not read data (-256). Aborting.\n");
	assert_null(bt_logscan_result(sc)->failed_step.name);
	bt_logscan_free(sc);

	/* idevicerestore's "Unhandled status message (N)" is status N, not operation N */
	sc = scan("Unhandled status message (68)\nERROR: Unable to restore device\n");
	r = bt_logscan_result(sc);
	assert_true(r->has_status);
	assert_int_equal(r->status, 68);
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "(none)");
	bt_logscan_free(sc);

	/* old CFError list: failed, deepest named step; a parent never replaces its child */
	sc = scan("restore failed with CFError:\n"
		  "0: AMRestoreErrorDomain/ffffffff: failed to update device firmware\n"
		  "1: AMRestoreErrorDomain/ffffffff: ramrod firmware update failed\n"
		  "2: RamrodErrorDomain/3: update_iBoot: request for LLB data returned NULL\n"
		  "3: AMRestoreErrorDomain/ffffffff: failed to update device firmware\n"
		  "executing /usr/sbin/nvram restore-step-uptime=205\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "update_iBoot");
	assert_int_equal(r->nerrors, 5);
	bt_logscan_free(sc);

	/* restored's panic log; the storage words make it a storage panic */
	sc = scan("Panic log is available:\n"
		  "panic(cpu 0 caller 0x9a0dbac5): \"Failed _ReplaceBadBlock CE 1 PBN 437\"\n");
	assert_string_equal(ev(sc, "restore.signature.device_panic", buf, sizeof buf), "yes");
	assert_string_equal(ev(sc, "restore.signature.panic_storage", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	sc = scan("Panic log is available:\npanic(cpu 1 caller 0x1): \"watchdog timeout\"\n");
	assert_string_equal(ev(sc, "restore.signature.device_panic", buf, sizeof buf), "yes");
	assert_string_equal(ev(sc, "restore.signature.panic_storage", buf, sizeof buf), "(none)");
	bt_logscan_free(sc);

	/* FDR chatter after the verdict is not a silent device; before it, it is */
	sc = scan("ERROR: Unable to successfully restore device\n"
		  "FDR 0x557213e9e960 timeout waiting for command\nNo data to read (timeout)\n");
	assert_string_equal(ev(sc, "restore.signature.device_silent", buf, sizeof buf), "(none)");
	bt_logscan_free(sc);
	sc = scan("FDR 0x557213e9e960 timeout waiting for command\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_string_equal(ev(sc, "restore.signature.device_silent", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* a host error naming a step; the wrappers' verdicts; FDR server refusal; crashes */
	sc = scan("ERROR: restore_send_firmware_updater_data: Couldn't get Rose firmware data\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "update_rose");
	bt_logscan_free(sc);
	sc = scan("ERROR..\nReturn code: -11\nRestore Failed.\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
	sc = scan("AMFDRCreateError: _AMFDRHttpRequestSendSyncNoRetry returned status 403.\n");
	assert_string_equal(ev(sc, "restore.signature.fdr_server_refused", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	sc = scan("Status: Restore Finished\nSegmentation fault (core dumped)\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_SUCCEEDED);
	assert_string_equal(ev(sc, "restore.signature.host_crash", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	sc = scan("Checking filesystems (15)\nSpeicherzugriffsfehler (Speicherabzug geschrieben)\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
	sc = scan("RestoredFDRCreate() returned 0\nRestoredFDRCreate() returned -1\n");
	assert_int_equal(bt_logscan_result(sc)->nerrors, 1);
	bt_logscan_free(sc);

	/* MobileDevice's Windows log: thread tag peeled, recovery-mode operations, pipe stalls */
	sc = scan("2019-10-11 23:39:54.207 [3184:77c]: <Recovery Mode Device 00414BF0>: operation 4 progress -1\n"
		  "2019-10-11 23:39:56.296 [3184:77c]: AMDeviceIoControl: pipe stall\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->family, "itunes");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "4");
	assert_string_equal(ev(sc, "restore.signature.usb_transfer_error", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* a plain step open under cleanup is the candidate; a multi-model IPSW names no model */
	sc = scan("restore-step-names = {0x11030655:is_host_compatible;0x11030648:cleanup_send_final_status}\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "is_host_compatible");
	bt_logscan_free(sc);
	sc = scan("restore-step-names = {0x11030655:is_host_compatible;0x11030656:other_step}\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_null(bt_logscan_result(sc)->failed_step.name);
	bt_logscan_free(sc);
	sc = scan("Extracting filesystem from IPSW: iPhone13,2,iPhone13,3_17.1.1_21B91_Restore.ipsw\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	sc = scan("Extracting filesystem from IPSW: iPhone13,2_17.1.1_21B91_Restore.ipsw\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone13,2");
	bt_logscan_free(sc);
	/* LeetDown's own words; a word that is not a product type is not taken */
	sc = scan("Your device is an iPad4,5\nYour boardconfig is j86ap\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPad4,5");
	assert_string_equal(bt_logscan_result(sc)->board_config, "j86ap");
	bt_logscan_free(sc);
	sc = scan("Your device is a iPhone10,x\nYour device is an iPhone\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	sc = scan("Your boardconfig is n71ap\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone8,1");
	bt_logscan_free(sc);
	/* idevicerestore's Hardware Information block: chip id + board id name the device */
	sc = scan("Hardware Information:\nBoardID: 14\nChipID: 32784\nProductionMode: true\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone9,4");
	assert_string_equal(bt_logscan_result(sc)->board_config, "d111ap");
	bt_logscan_free(sc);
	sc = scan("BoardID: 8\nChipID: 12345\n"); /* no such pair */
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	sc = scan("Identified device as n71ap, iPhone8,1\nBoardID: 14\nChipID: 32784\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone8,1");
	bt_logscan_free(sc);
	/* pymobiledevice3: restored's messages as Python dicts, read as idevicerestore's */
	sc = scan("2026-06-08 18:30:08 mac Task-2-pymobiledevice3.restore.restore[20152] INFO hardware info: {'BoardID': 14, 'ChipID': 32784, 'UniqueChipID': 1}\n"
		  "2026-06-08 18:30:08 mac Task-2-pymobiledevice3.restore.restore[20152] DEBUG checkpoint: {'CHECKPOINT_COMPLETE': False, 'CHECKPOINT_RESULT': 0, 'CHECKPOINT_NAME': 'fdr_create', 'CHECKPOINT_ID': 1558, 'MsgType': 'CheckpointMsg'}\n"
		  "2026-06-08 18:30:10 mac Task-2-pymobiledevice3.restore.restore[20152] DEBUG progress-bar: {'Progress': 23, 'Operation': 'RESTORE_IMAGE', 'MsgType': 'ProgressMsg'}\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->family, "pymobiledevice3");
	assert_string_equal(r->product_type, "iPhone9,4");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "13");
	bt_logscan_free(sc);
	sc = scan("2026-06-08 18:31:00 mac Task-2-pymobiledevice3.restore.restore[1] DEBUG checkpoint: {'CHECKPOINT_COMPLETE': True, 'CHECKPOINT_RESULT': 0, 'CHECKPOINT_ERROR': '[0]LD(Server error: 400)', 'CHECKPOINT_NAME': 'migrate_user_fsevents', 'CHECKPOINT_ID': 1599}\n"
		  "2026-06-08 18:31:01 mac Task-2-pymobiledevice3.restore.restore[1] DEBUG checkpoint: {'CHECKPOINT_COMPLETE': True, 'CHECKPOINT_RESULT': 14, 'CHECKPOINT_ERROR': '[0]D(failed to restore APFS image)', 'CHECKPOINT_NAME': 'asr_and_invert_image', 'CHECKPOINT_ID': 1627}\n"
		  "2026-06-08 18:31:02 mac Task-2-pymobiledevice3.restore.restore[1] DEBUG status message: {'MsgType': 'StatusMsg', 'Status': 14}\n"
		  "2026-06-08 18:31:02 mac Task-2-pymobiledevice3.restore.restore[1] ERROR fail\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "asr_and_invert_image");
	assert_int_equal(r->status, 14);
	bt_logscan_free(sc);
	sc = scan("2026-06-08 18:31:02 mac Task-2-pymobiledevice3.restore.restore[1] DEBUG status message: {'MsgType': 'StatusMsg', 'Status': 0}\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_SUCCEEDED);
	bt_logscan_free(sc);
	sc = scan("2026-06-08 18:31:02 mac some.other.logger[1] ERROR checkpoint: {'CHECKPOINT_ID': 1608}\n");
	assert_null(bt_logscan_result(sc)->family); /* only pymobiledevice3's own loggers */
	bt_logscan_free(sc);
	/* a wrapped restore-step-names prints the id of a step the failure names only by text */
	sc = scan("restore-step-names =\n"
		  "                     {0x1103067B:perform_restore_installing;0x110306A6:install_splat}\n"
		  "Checkpoint FAILURE id: 0x648 result=0: [0]D(failed to install splat)\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->failed_step.name, "install_splat");
	assert_int_equal(r->failed_step.id, 0x6A6);
	bt_logscan_free(sc);
	sc = scan("Checkpoint FAILURE id: 0x648 result=0: [0]D(failed to install splat)\n");
	assert_int_equal(bt_logscan_result(sc)->failed_step.id, -1); /* not printed: not given */
	bt_logscan_free(sc);
	/* idevicerestore's own "[HH:MM:SS.mmm][tid] : " prefix: the content says the family */
	sc = scan("[13:12:58.146][8272] : idevicerestore 1.0.1 (libirecovery 1.2.1)\n"
		  "[13:12:58.348][8272] : Identified device as v59ap, iPhone17,5\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone17,5");
	assert_string_equal(bt_logscan_result(sc)->family, "idevicerestore");
	bt_logscan_free(sc);
	/* an updater's own failure names its step; connect and restore-mode failures are host aborts */
	sc = scan("update_generic_firmware: Operation failed: Error Domain=RamrodErrorDomain Code=1017 "
		  "\"update_generic_firmware: failed to execute performNextStage on SE updater\"\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->failed_step.name, "update_se");
	bt_logscan_free(sc);
	sc = scan("ERROR: Unable to connect to device in DFU mode\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "send_bootstrap");
	bt_logscan_free(sc);
	sc = scan("ERROR: Failed to place device in restore mode\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
	sc = scan("DeviceClass : d201ap\nwhat=APTicket can't be used for this restore\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone10,4");
	assert_string_equal(ev(sc, "restore.signature.tss_refused", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	/* restored's error list without its header; the id is given only where the log prints it */
	sc = scan("0: RamrodErrorDomain/3e9: update_iBoot_image3_NOR_access: error writing image\n"
		  "1: RamrodErrorDomain/3: write_image3_data: Unexpected imageType in Firmware\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "update_iBoot");
	assert_int_equal(r->failed_step.id, -1);
	assert_string_equal(r->family, "restored");
	assert_int_equal(r->nerrors, 2); /* each entry once */
	bt_logscan_free(sc);
	sc = scan("1: 2 3\n10: not an error list\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_UNKNOWN);
	bt_logscan_free(sc);
	/* the restore command line names the IPSW */
	sc = scan("$ idevicerestore -R -dd iPhone14,7_18.3.2_22D82_Restore.ipsw\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone14,7");
	bt_logscan_free(sc);
	/* 3uTools' own words for two operations */
	sc = scan("05:08:58.758:  Checking logs\n05:08:58.818:  Unmounting Filesystem\n");
	assert_string_equal(ev(sc, "restore.op", buf, sizeof buf), "29");
	assert_string_equal(bt_logscan_result(sc)->family, "3utools");
	bt_logscan_free(sc);
	/* a refused FDR request with nothing else is an FDR failure */
	sc = scan("AMFDRCreateError: _AMFDRPermissionsRequest: AMFDRPermissionsRequest failed: code=8\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_string_equal(bt_logscan_result(sc)->subsystem, "fdr");
	bt_logscan_free(sc);
}

/* Shapes met in batches l, m, n and o (and g06's wrapper output, kept aside before). */
/* Batch q (tests/data/real/INDEX-q.md): Legacy iOS Kit's device line. */
static void shapes_from_batch_q(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("[Log] Getting device info...\n"
				     "* Device: iPhone 4S (iPhone4,1 - n94ap) in DFU mode\n"
				     "* iOS Version: Unknown\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone4,1");
	assert_string_equal(bt_logscan_result(sc)->board_config, "n94ap");
	bt_logscan_free(sc);
	/* the model's own brackets come first */
	sc = scan("* Device: iPhone 7 (GSM) (iPhone9,3 - d101ap) in Recovery mode\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone9,3");
	bt_logscan_free(sc);
	/* near misses: no brackets, or words that are no product and no board */
	sc = scan("* Device: iPhone4,1 in DFU mode\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	sc = scan("* Device: phone (unknown - none) in DFU mode\n* Device: ( - )\n* Device: (a -\n");
	assert_null(bt_logscan_result(sc)->product_type);
	assert_null(bt_logscan_result(sc)->board_config);
	bt_logscan_free(sc);
}

static void shapes_from_batches_l_to_o(void **state)
{
	(void)state;
	char buf[64];
	/* a wrapper printing the tool's output as one string with escaped newlines: each piece
	 * is a line; a refusal to go on is a host abort before any upload */
	struct bt_logscan *sc = scan("Code: 255\n"
				     "NOTE: using cached version data\\nFound device in Recovery mode\\n"
				     "Identified device as n61ap, iPhone7,2\\nExtracting BuildManifest from IPSW\\n\n"
				     "opening device 05ac:1281...\\nERROR: Could not make sure this firmware is "
				     "suitable for the current device. Refusing to continue.\\n\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_string_equal(r->product_type, "iPhone7,2");
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "host");
	assert_int_equal(r->nerrors, 2); /* the exit status and the refusal */
	assert_int_equal(r->verdict_line, 3); /* the tool's own words, not the exit status */
	bt_logscan_free(sc);
	/* one escaped newline at the end only: the line itself, not split */
	sc = scan("Identified device as n61ap, iPhone7,2\\n\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone7,2");
	bt_logscan_free(sc);
	/* a Windows path with a backslash-n in it is not split unless the line ends so */
	sc = scan("Extracting C:\\new\\iPhone_5.5_11.4.1_15G77_Restore.ipsw\n"
		  "ERROR: Unable to successfully restore device\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);

	/* macOS logs of Finder / Apple Devices (AMPDevicesAgent), iTunes, Configurator: each
	 * style's process says the family; other processes' lines are not read */
	sc = scan("Timestamp                       Thread     Type        Activity             PID    TTL  \n"
		  "2024-03-01 10:15:32.123456+0100 0x2f3c5    Default     0x0                  812    0    "
		  "AMPDevicesAgent: (MobileDevice) [com.apple.mobiledevice:restore] <Restore Device 0x6000>: "
		  "operation 42 progress 50\n"
		  "2024-03-01 10:15:40.000001+0100 0x2f3c5    Default     0x0                  0      0    "
		  "kernel: ERROR: Unable to successfully restore device\n"
		  "2024-03-01 10:16:32.123456+0100 0x2f3c5    Error       0x0                  812    0    "
		  "AMPDevicesAgent: (MobileDevice) [com.apple.mobiledevice:restore] "
		  "AMRestorePerformRestoreModeRestoreWithError failed with error: 4013\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->family, "itunes");
	assert_int_equal(r->host_error, 4013);
	assert_int_equal(r->nerrors, 1); /* the kernel's line was not read */
	assert_int_equal(r->verdict_line, 4);
	bt_logscan_free(sc);
	sc = scan("2024-03-01 10:15:32.123 Df Apple Configurator 2[812:2f3c5] Restore completed, status: 0\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_string_equal(r->family, "configurator");
	bt_logscan_free(sc);
	sc = scan("Jan  5 10:16:32 mbp iTunes[812]: <Restore Device 0x7f>: operation 42 progress 50\n"
		  "Jan  5 10:17:32 mbp iTunes[812]: <Restore Device 0x7f>: Restore failed\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->family, "itunes");
	bt_logscan_free(sc);
	/* an app's NSLog lines are its own output: the content says the family */
	sc = scan("2020-06-23 15:42:43.334 n1ghtshade[1978:455367] Identified device as n94ap, iPhone4,1\n"
		  "2020-06-23 15:42:50.334 n1ghtshade[1978:455367] Status: Restore Finished\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_string_equal(r->product_type, "iPhone4,1");
	assert_string_equal(r->family, "idevicerestore");
	bt_logscan_free(sc);
	/* turdusra1n's stamps and level tags */
	sc = scan("[2026/03/24 16:20:23] <Log> Identified device as n94ap, iPhone4,1\n"
		  "- <Error> ERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->product_type, "iPhone4,1");
	assert_int_equal(r->verdict_line, 2);
	bt_logscan_free(sc);
	/* a system log with no restore process in it: no line of a known family */
	sc = scan("Jan  5 10:16:32 mbp kernel[0]: USB device reset\n");
	assert_int_equal(bt_logscan_recognised(sc), 0);
	bt_logscan_free(sc);
	/* the escaped output inside a quoted string with a comma after it */
	sc = scan("Code: 255,\nMessage: NOTE: using cached version data\\nIdentified device as n56ap, "
		  "iPhone7,1\\nExtracting BuildManifest from IPSW\\n\",\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->product_type, "iPhone7,1");
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED); /* the tool's exit status, 255 */
	bt_logscan_free(sc);
	sc = scan("Code: 0\nIdentified device as n56ap, iPhone7,1\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE);
	bt_logscan_free(sc);
	sc = scan("Code: 255 (see above)\nIdentified device as n56ap, iPhone7,1\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE); /* not the shape */
	bt_logscan_free(sc);

	/* a debug build's plist dump names the board */
	sc = scan("<plist version=\"1.0\">\n<dict>\n        <key>HardwareModel</key>\n"
		  "        <string>N53AP</string>\n</dict>\nWaiting for NAND (28)\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone6,2");
	bt_logscan_free(sc);
	sc = scan("<key>HardwareModel</key>\n<integer>15</integer>\n<string>N53AP</string>\n");
	assert_null(bt_logscan_result(sc)->product_type); /* only the value right after the key */
	bt_logscan_free(sc);

	/* bootloader images are shared: iBEC.d22 serves iPhone10,3 and iPhone10,6; the SEP
	 * firmware and the DeviceTree name one board */
	sc = scan("Extracting iBEC.d22.RELEASE.im4p...\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	sc = scan("Extracting sep-firmware.d221.RELEASE.im4p (Firmware/all_flash/sep-firmware.d221.RELEASE.im4p)...\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone10,6");
	bt_logscan_free(sc);
	sc = scan("Extracting iBEC.j317.RELEASE.im4p (Firmware/dfu/iBEC.j317.RELEASE.im4p)...\n");
	assert_null(bt_logscan_result(sc)->product_type); /* j317ap or the 1 TB j317xap */
	bt_logscan_free(sc);
	sc = scan("Extracting DeviceTree.j317xap.im4p (Firmware/all_flash/DeviceTree.j317xap.im4p)...\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPad8,2");
	bt_logscan_free(sc);
	sc = scan("Extracting iBEC.n71.RELEASE.im4p...\n"); /* n71ap and n71map: one product */
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone8,1");
	bt_logscan_free(sc);

	/* the ticket lacks the bootloader's entry: the host could not make it, nothing was sent */
	sc = scan("Sending TSS request... received SHSH blobs\n"
		  "ERROR: Unable to find iBEC entry in TSS response\n"
		  "ERROR: Unable to get SHSH blob for TSS iBEC.n94.RELEASE.dfu entry\n"
		  "ERROR: Unable to get component: iBEC\nERROR: Unable to send iBEC to device.\n"
		  "ERROR: Unable to send iBEC\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_null(r->failed_step.name);
	assert_string_equal(r->subsystem, "host");
	bt_logscan_free(sc);

	/* the phone in no known mode after iBEC was sent: it did not come back */
	sc = scan("Sending iBEC (912902 bytes)...\nwaiting for device to reconnect... ......\n"
		  "Getting SepNonce failed\nERROR: Device is in an invalid state\n"
		  "Getting ApNonce failed\nERROR: Device is in an invalid state\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->failed_step.name, "send_bootstrap");
	bt_logscan_free(sc);
	sc = scan("ERROR: Unable to connect to device\nERROR: Device is in an invalid state\n");
	assert_null(bt_logscan_result(sc)->failed_step.name); /* before any upload: no step */
	bt_logscan_free(sc);
	/* futurerestore's own checks of the blob say whose log it is */
	sc = scan("checking APTicket to be valid for this restore...\n"
		  "Verified ECID in APTicket matches device ECID\nSending iBEC (912902 bytes)...\n");
	assert_string_equal(bt_logscan_result(sc)->family, "futurerestore");
	bt_logscan_free(sc);

	/* the device log printed after the host gave up ("Log is available:") does not replace
	 * what the host was doing: its last BEGIN before a cut is not the failing step */
	sc = scan("Sending filesystem now...\n"
		  "[=============                                     ]  24.0%ERROR: Unable to send data to ASR. "
		  "Sent 0 of 20 bytes.\nERROR: Unable to send filesystem\n"
		  "ERROR: Unable to successfully restore device\nGot status message\nStatus: Fail\n"
		  "Log is available:\n"
		  "[03:22:31.0134-GMT]{3>4} CHECKPOINT BEGIN: (null):[0x0659] find_volumes_after_format\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_filesystem");
	assert_string_equal(r->subsystem, "usb");
	bt_logscan_free(sc);
	/* with no host step known, the device log's last step still says where it stopped */
	sc = scan("ERROR: Unable to successfully restore device\nLog is available:\n"
		  "[03:22:31.0134-GMT]{3>4} CHECKPOINT BEGIN: RESTORED:[0x060E] update_NAND_firmware\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "update_NAND_firmware");
	bt_logscan_free(sc);

	/* apfs_invert's check finds the container inconsistent: the invert step's own error */
	sc = scan("restore_apfs_image : finished restoring an APFS image\n"
		  "invert_apfs_image : inverting : /System/Library/Filesystems/apfs.fs/apfs_invert /dev/disk0s1 0 x\n"
		  "ASR: nx_check:335: cib 0 ci 24 free count 4960 doesn't match free bits in bitmap block 4919\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_string_equal(r->failed_step.name, "restore_invert");
	bt_logscan_free(sc);
	sc = scan("invert_apfs_image : inverting : /System/Library/Filesystems/apfs.fs/apfs_invert\n"
		  "ASR: nx_mount:1027: sanity checking all nx state... please be patient.\n");
	assert_null(bt_logscan_result(sc)->failed_step.name); /* no error: no step */
	bt_logscan_free(sc);

	/* a wrapper runs futurerestore again only to leave recovery mode: not a new restore */
	sc = scan("Connecting now...\nERROR: Unable to open device in restore mode\n"
		  "[Error] ERROR: Unable to restore device\nDone: restoring failed.\n"
		  "Failed with errorcode=-11\n[Log] Exiting recovery mode\n"
		  "Version: 536fee9e67dbc2842b2e461bb0d23cfd0f6cf903 - 246\nOdysseus support: no\n"
		  "Exiting recovery mode\nERROR: Device is in an invalid state\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "send_bootstrap");
	bt_logscan_free(sc);
	/* ... but a second restore run does start over */
	sc = scan("Done: restoring failed.\nVersion: 536fee9e67dbc2842b2e461bb0d23cfd0f6cf903 - 246\n"
		  "Odysseus support: no\n[INFO] 64-bit device detected\nfuturerestore init done\n");
	assert_int_equal(bt_logscan_result(sc)->outcome, BT_OUTCOME_INCOMPLETE);
	bt_logscan_free(sc);

	/* a phone told to reboot from normal into recovery that never comes back: no upload
	 * step failed; futurerestore 173 names the phone on one line */
	sc = scan("Found device iPad4,1 j71ap\nFound device in Normal mode\nEntering recovery mode...\n"
		  "ERROR: Unable to connect to device in recovery mode\nERROR: Unable to enter recovery mode\n"
		  "Failed with errorcode=-2\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_null(r->failed_step.name);
	assert_string_equal(r->product_type, "iPad4,1");
	assert_string_equal(r->board_config, "j71ap");
	bt_logscan_free(sc);
	sc = scan("Sending iBEC (912902 bytes)...\nERROR: Unable to connect to device in recovery mode\n");
	assert_string_equal(bt_logscan_result(sc)->failed_step.name, "send_bootstrap"); /* after an upload */
	bt_logscan_free(sc);

	/* the command line after a shell prompt names the phone, its comma escaped */
	sc = scan("MacBook-Pro:desktop name$ ./futurerestore_macos -t blob.shsh2 --use-pwndfu "
		  "/Users/name/Desktop/iPad2\\,5_8.4.1_12H321_Restore.ipsw\n[Error] can't init, no device found\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPad2,5");
	bt_logscan_free(sc);
	sc = scan("line one\nline two\nline three\nline four: iPad2\\,5_8.4.1_12H321_Restore.ipsw\n");
	assert_null(bt_logscan_result(sc)->product_type); /* only a log's first lines are its command */
	bt_logscan_free(sc);
	/* an escaped comma with no digits after it (found by fuzz_logscan: it copied with a
	 * negative length) names nothing */
	sc = scan("host:dir user$ ./futurerestore -t ECID_iPad2\\,\xff\xff" "5_8.4.1.shsh2 x.ipsw\n"
		  "user$ ./futurerestore ECID_iPhone10\\,_x.ipsw iPad2\\,5\n");
	assert_null(bt_logscan_result(sc)->product_type);
	bt_logscan_free(sc);
	/* ... or a command a script traced with set -x printed, wherever it is */
	sc = scan("one\ntwo\nthree\n+ ../bin/idevicerestore -e -y ./iPhone9,3_15.7.5_19H332_Restore.ipsw\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone9,3");
	bt_logscan_free(sc);

	/* the phone asks for an updater the tool does not know: a tool older than the device */
	sc = scan("ERROR: restore_send_firmware_updater_data: Got unknown updater name 'AppleTypeCRetimer'.\n"
		  "ERROR: Unable to send FirmwareUpdater data\nERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->subsystem, "firmware_updater");
	assert_string_equal(ev(sc, "restore.signature.updater_unknown", buf, sizeof buf), "yes");
	bt_logscan_free(sc);

	/* two phones restored one after the other into one log: another ECID is another phone,
	 * and an identity printed before the previous ECID was the previous phone's */
	sc = scan("Identified device as d101ap, iPhone9,3\nFound ECID 1234567890\n"
		  "ERROR: Unable to successfully restore device\nFound device in Recovery mode\n"
		  "Found ECID 9876543210\nSending filesystem now...\nERROR: Unable to send filesystem\n"
		  "ERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_null(r->product_type);
	assert_string_equal(r->failed_step.name, "send_filesystem");
	assert_int_equal(r->verdict_line, 8);
	bt_logscan_free(sc);
	sc = scan("Identified device as d101ap, iPhone9,3\nFound ECID 1234567890\n"
		  "ERROR: Unable to successfully restore device\n"
		  "Identified device as d221ap, iPhone10,6\nFound ECID 9876543210\n");
	assert_string_equal(bt_logscan_result(sc)->product_type, "iPhone10,6"); /* its own, kept */
	bt_logscan_free(sc);
	sc = scan("Identified device as d101ap, iPhone9,3\nFound ECID 1234567890\nFound ECID 1234567890\n"
		  "Found ECID XXXXXXXXXXXXX\nERROR: Unable to successfully restore device\n");
	r = bt_logscan_result(sc);
	assert_string_equal(r->product_type, "iPhone9,3"); /* the same phone, or a masked id */
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
}

static void previous_restore_log_is_not_this_one(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"Previous Restore Log Received:\n"
		"[10:19:54.0306-GMT]{4>7} CHECKPOINT FAILURE:(FAILURE:14) RESTORED:[0x065B] asr_and_invert_image [0]D(x)\n"
		"restore-step-error = {0x1107065B:\"[0]D(x)\"}\n"
		"[10:19:54.0307-GMT]{4>7} CHECKPOINT NOTICE: (NVRAM set) (first failure)\n"
		"Waiting for NAND (28)\n"
		"Updating NAND Firmware (58)\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_INCOMPLETE);
	assert_null(r->failed_step.name);
	assert_false(r->has_status);
	char buf[64];
	assert_string_equal(ev(sc, "restore.previous_log", buf, sizeof buf), "yes");
	bt_logscan_free(sc);
	/* After host output, device lines count again (the log printed after a failure). */
	sc = scan("Previous Restore Log Received:\nWaiting for NAND (28)\n"
		  "[10:19:54.0306-GMT]{4>7} CHECKPOINT FAILURE:(FAILURE:14) RESTORED:[0x065B] asr_and_invert_image [0]D(x)\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "asr_and_invert_image");
	bt_logscan_free(sc);
}

static void noise_in_a_good_restore(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan(
		"ERROR: build identity info does not contain a MacOSVariant\n"
		"ERROR: Unable to receive message from FDR 10E97BF8 (-4). 0/2 bytes\n"
		"[00:00:01.0001-GMT]{4>7} CHECKPOINT WARNING: gasgauge_start_update_thread failed: -1\n"
		"recv(13, 4) failed: connection closed\n"
		"Status: Restore Finished\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_SUCCEEDED);
	assert_int_equal(r->nerrors, 0);
	bt_logscan_free(sc);
}

static void line_endings_gap_and_nul(void **state)
{
	(void)state;
	/* CRLF, lone CR, tabs, a NUL inside a line. */
	static const char text[] = "\tWaiting for NAND (28)\r\nUpdating NAND Firmware (58)\rjunk\0junk\r\n"
				   "ERROR: Unable to restore device\r\n";
	struct bt_logscan *sc = bt_logscan_new();
	bt_logscan_begin(sc, "crlf.log");
	bt_logscan_feed(sc, text, sizeof text - 1);
	bt_logscan_end(sc);
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->lines, 4);
	assert_string_equal(r->failed_step.name, "update_NAND_firmware");
	bt_logscan_free(sc);

	/* After a gap marker the host's phase is unknown. */
	sc = scan("Updating baseband (19)\n"
		  "[... corpus: gap - text between retrieved excerpts not available ...]\n"
		  "ERROR: Unable to restore device\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_null(r->failed_step.name);
	bt_logscan_free(sc);

	/* A device FAILURE cut before its step still fails the restore. */
	sc = scan("[23:23:18.0212-GMT]{5>7} CHECKPOINT FAILURE:(FAILURE:6) RESTORED:[0x06");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_int_equal(r->status, 6);
	assert_null(r->failed_step.name);
	bt_logscan_free(sc);

	/* A line cut mid-way, at the end without a newline. */
	sc = scan("Status: Restore Fini");
	r = bt_logscan_result(sc);
	assert_int_equal(r->lines, 1);
	assert_false(r->has_status);
	bt_logscan_free(sc);
}

/* Feeding in chunks of any size and line by line gives what feeding the whole file gives. */
struct linefeed {
	struct bt_logscan *sc;
};

static int feed_line(const struct bt_line *line, void *user)
{
	bt_logscan_line(((struct linefeed *)user)->sc, line);
	return 0;
}

static void summary(struct bt_logscan *sc, char *out, size_t n)
{
	struct bt_evset *set = bt_evset_new();
	bt_logscan_evidence(sc, set);
	size_t o = 0;
	for (size_t i = 0; i < bt_evset_count(set) && o < n; i++) {
		const struct bt_evidence *e = bt_evset_at(set, i);
		int w = snprintf(out + o, n - o, "%s=%s@%ld|%s\n", e->key, e->value, e->line, e->excerpt);
		if (w < 0)
			break;
		o += (size_t)w;
	}
	const struct bt_restore *r = bt_logscan_result(sc);
	if (o < n)
		snprintf(out + o, n - o, "steps=%zu errors=%zu lines=%ld", r->nsteps, r->nerrors, r->lines);
	bt_evset_free(set);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = bt_xmalloc((size_t)sz + 1);
	*len = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	return buf;
}

static void chunked_equals_whole(void **state)
{
	(void)state;
	static const char *const files[] = {
		"01-iphone10,2-futurerestore-success.log", "16-unknown-fdr_recover-53-proxy.log",
		"20-iphone13,4-install_splat-100.log", "27-iphone11,8-3utools-fdr-after-nordata.log",
		"35-mac-configurator-dfu-4042.log", "37-iphone10,x-gui-wrapper-fdr-timeout.log",
		"15-iphone4,1-bbupdater-transport-fail.log",
	};
	const char *dir = getenv("BT_CORPUS_DIR") ? getenv("BT_CORPUS_DIR") : "tests/data/corpus";
	static char whole[65536], part[65536];
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		size_t len = 0;
		char *buf = slurp(path, &len);
		assert_non_null(buf);
		struct bt_logscan *a = bt_logscan_new();
		bt_logscan_begin(a, "x");
		bt_logscan_feed(a, buf, len);
		bt_logscan_end(a);
		summary(a, whole, sizeof whole);
		static const size_t sizes[] = { 1, 2, 3, 7, 64, 4095, 4097 };
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			struct bt_logscan *b = bt_logscan_new();
			bt_logscan_begin(b, "x");
			for (size_t i = 0; i < len; i += sizes[s])
				bt_logscan_feed(b, buf + i, len - i < sizes[s] ? len - i : sizes[s]);
			bt_logscan_end(b);
			summary(b, part, sizeof part);
			assert_string_equal(part, whole);
			bt_logscan_free(b);
		}
		/* Line by line through core/linereader. */
		struct linefeed lf = { bt_logscan_new() };
		bt_logscan_begin(lf.sc, "x");
		struct bt_linereader *lr = bt_linereader_new(8192, feed_line, &lf);
		bt_linereader_feed(lr, buf, len);
		bt_linereader_finish(lr);
		bt_linereader_free(lr);
		summary(lf.sc, part, sizeof part);
		assert_string_equal(part, whole);
		bt_logscan_free(lf.sc);
		bt_logscan_free(a);
		free(buf);
	}
}

/* A log captured from a terminal carries colour sequences: the same log coloured line by line
 * (CSI before and after, an OSC title on the first line) gives the same evidence as plain. */
static void terminal_colours_are_ignored(void **state)
{
	(void)state;
	static const char *const files[] = {
		"20-iphone13,4-install_splat-100.log", "16-unknown-fdr_recover-53-proxy.log",
		"05-iphone8,1-updating-nand-firmware-58-fdr-timeout.log",
	};
	const char *dir = getenv("BT_CORPUS_DIR") ? getenv("BT_CORPUS_DIR") : "tests/data/corpus";
	static char plain[65536], coloured[65536];
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		size_t len = 0;
		char *buf = slurp(path, &len);
		assert_non_null(buf);
		buf[len] = '\0';
		struct bt_logscan *a = bt_logscan_new();
		bt_logscan_begin(a, "x");
		bt_logscan_feed(a, buf, len);
		bt_logscan_end(a);
		summary(a, plain, sizeof plain);
		/* Colour every line. */
		char *col = bt_xmalloc(len * 4 + 64);
		size_t o = 0;
		o += (size_t)snprintf(col + o, len * 4 + 64 - o, "\x1b]0;idevicerestore\x07");
		for (size_t i = 0; i < len; i++) {
			if (i == 0 || buf[i - 1] == '\n')
				o += (size_t)snprintf(col + o, len * 4 + 64 - o, "\x1b[1;3%dm", (int)(i % 7));
			if (buf[i] == '\n')
				o += (size_t)snprintf(col + o, len * 4 + 64 - o, "\x1b[0m");
			col[o++] = buf[i];
		}
		struct bt_logscan *b = bt_logscan_new();
		bt_logscan_begin(b, "x");
		bt_logscan_feed(b, col, o);
		bt_logscan_end(b);
		summary(b, coloured, sizeof coloured);
		assert_string_equal(coloured, plain);
		bt_logscan_free(a);
		bt_logscan_free(b);
		free(col);
		free(buf);
	}
}

static void hostile_input(void **state)
{
	(void)state;
	/* Empty. */
	struct bt_logscan *sc = scan("");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_UNKNOWN);
	assert_int_equal(r->lines, 0);
	assert_string_equal(r->subsystem, "unknown");
	bt_logscan_free(sc);

	/* Random bytes, with newlines now and then. */
	unsigned seed = 12345;
	size_t n = 1 << 20;
	char *buf = bt_xmalloc(n);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
		}
		sc = bt_logscan_new();
		bt_logscan_begin(sc, "random");
		bt_logscan_feed(sc, buf, n);
		bt_logscan_end(sc);
		r = bt_logscan_result(sc);
		assert_true(r->nsteps <= 64 && r->nerrors <= 16);
		struct bt_evset *set = bt_evset_new();
		bt_logscan_evidence(sc, set);
		bt_evset_free(set);
		bt_logscan_free(sc);
	}
	free(buf);

	/* A 20 MB line, NULs included, between two real lines; fed in pieces. */
	sc = bt_logscan_new();
	bt_logscan_begin(sc, "long");
	bt_logscan_feed(sc, "Waiting for NAND (28)\nStatus: ", 30);
	static char piece[1 << 16];
	memset(piece, 'A', sizeof piece);
	piece[100] = '\0';
	for (int i = 0; i < 320; i++)
		bt_logscan_feed(sc, piece, sizeof piece);
	bt_logscan_feed(sc, "\nUpdating NAND Firmware (58)\nERROR: Unable to restore device\n", 61);
	bt_logscan_end(sc);
	r = bt_logscan_result(sc);
	assert_int_equal(r->lines, 4);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_string_equal(r->failed_step.name, "update_NAND_firmware");
	for (size_t i = 0; i < r->nerrors; i++)
		assert_true(strlen(r->errors[i]) < 400);
	bt_logscan_free(sc);

	/* Absurd numbers everywhere. */
	sc = scan("Updating baseband (999)\nStatus: 99999999999999999999999\n"
		  "Restore completed, status: -99999999999999999999999999\n"
		  "[01:02:03.4444-GMT]{9>9} CHECKPOINT FAILURE:(FAILURE:999999999999999999999) X:[0xFFFFFFFFFFFFFFFFFFFF] y\n"
		  "restore-step-results = {0xFFFFFFFFFFFFFFFFFFFFFFFF:{0:99999999999999999999}}\n"
		  "<Restore Device 0>: operation 99999999999999999 progress -1\n");
	r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	bt_logscan_free(sc);
}

static void bounded_timeline_and_errors(void **state)
{
	(void)state;
	struct bt_logscan *sc = bt_logscan_new();
	bt_logscan_begin(sc, "many");
	char line[128];
	for (int i = 0; i < 20000; i++) {
		int k = snprintf(line, sizeof line,
				 "Checkpoint %d complete with code 0\nERROR: thing %d went wrong\n", 0x600 + (i % 0x300), i);
		bt_logscan_feed(sc, line, (size_t)k);
	}
	bt_logscan_end(sc);
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->nsteps, 64);
	assert_int_equal(r->nerrors, 16);
	assert_string_equal(r->errors[15], "ERROR: thing 19999 went wrong"); /* newest kept */
	assert_int_equal(r->lines, 40000);
	bt_logscan_free(sc);
}

static const char *const subsystems[] = { "usb", "storage", "filesystem", "baseband", "fdr",
					  "secure_element", "firmware_updater", "nvram", "host",
					  "none", "unknown" };

static bool known_subsystem(const char *s)
{
	for (size_t i = 0; i < sizeof subsystems / sizeof subsystems[0]; i++)
		if (s && strcmp(s, subsystems[i]) == 0)
			return true;
	return false;
}

static void tables_are_sound(void **state)
{
	(void)state;
	int prev = -1;
	bool ids_done = false;
	for (size_t i = 0; i < bt_steps_count(); i++) {
		const struct bt_step_info *s = bt_steps_at(i);
		assert_true(known_subsystem(s->subsystem));
		assert_true(s->source && s->source[0]);
		if (s->id < 0) {
			ids_done = true;
			continue;
		}
		assert_false(ids_done);   /* id rows first ... */
		assert_true(s->id > prev); /* ... sorted, no duplicates (binary search) */
		prev = s->id;
		assert_ptr_equal(bt_steps_by_id(s->id), s);
	}
	assert_int_equal(bt_steps_by_name("update_s3e_firmware")->id, 0x60E);
	assert_string_equal(bt_steps_by_id(0x1107067B)->name, "perform_restore_installing");
	assert_string_equal(bt_steps_subsystem("wait_for_storage"), "storage");
	assert_string_equal(bt_steps_subsystem("no_such_step"), "unknown");
	assert_null(bt_steps_by_id(0x7FFF));
	assert_null(bt_steps_by_name_n("umask\0xyz", 9)); /* a NUL inside is no shorter name */
	assert_null(bt_steps_by_name_n("umas", 4));
	assert_int_equal(bt_steps_by_name_n("UMASK", 5)->id, 0x400);
	for (size_t i = 0; i < bt_ops_count(); i++) {
		const struct bt_op_info *o = bt_ops_at(i);
		assert_true(i == 0 || o->op > bt_ops_at(i - 1)->op); /* sorted: binary search */
		assert_ptr_equal(bt_ops_by_number(o->op), o);
		assert_true(known_subsystem(o->subsystem));
		assert_true(o->source && o->source[0]);
		if (o->step)
			assert_non_null(bt_steps_by_name(o->step));
	}
	assert_string_equal(bt_ops_by_number(58)->step, "update_NAND_firmware");
	assert_int_equal(bt_ops_by_text("waiting for nand", 16)->op, 28);
	for (size_t i = 0; i < bt_status_count(); i++)
		assert_true(known_subsystem(bt_status_at(i)->subsystem));
	assert_int_equal(bt_status_by_text("Failed to recover FDR data.", 27)->status, 53);
	for (size_t i = 0; i < bt_host_error_count(); i++) {
		const struct bt_host_error_info *h = bt_host_error_at(i);
		assert_true(known_subsystem(h->subsystem));
		assert_true(h->source && h->source[0] && h->meaning && h->meaning[0]);
	}
	static const long codes[] = { 4013, 4014, 4005, 9, 1413, 14, 40, 53, 56, 3194, 1013, 4042 };
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		assert_non_null(bt_host_error_info(codes[i]));
	assert_non_null(strstr(bt_host_error_info(1413)->meaning, "no sourced meaning"));
	assert_null(bt_host_error_info(123456));
	/* Boards from file names. */
	assert_string_equal(bt_devices_by_board("d54p")->product, "iPhone13,4");
	assert_string_equal(bt_devices_by_board("n61")->product, "iPhone7,2");
	assert_string_equal(bt_devices_by_board("J2A")->product, "iPad3,3");
	assert_string_equal(bt_devices_by_board("n71ap")->product, "iPhone8,1");
	assert_string_equal(bt_devices_by_board("d111ap")->product, "iPhone9,4");
	assert_null(bt_devices_by_board("iphone10"));
	assert_string_equal(bt_devices_by_product("iPhone17,1")->board, "d93ap");
}

/* True when s is valid UTF-8 without control bytes. */
static bool clean_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		if (*u < 0x20 || *u == 0x7F)
			return false;
		size_t k = *u < 0x80 ? 1 : (*u & 0xE0) == 0xC0 ? 2 : (*u & 0xF0) == 0xE0 ? 3 :
			   (*u & 0xF8) == 0xF0 ? 4 : 0;
		if (k == 0)
			return false;
		for (size_t i = 1; i < k; i++)
			if ((u[i] & 0xC0) != 0x80)
				return false;
		u += k;
	}
	return true;
}

static void non_utf8_is_cleaned(void **state)
{
	(void)state;
	struct bt_logscan *sc = scan("ERROR: Unable to restore device \xff\xfe \xe6\xad\x01 \xe6\xad\xa3\n"
				     "Status: Disk Failure \xc0\xaf\n");
	const struct bt_restore *r = bt_logscan_result(sc);
	assert_int_equal(r->outcome, BT_OUTCOME_FAILED);
	assert_true(r->nerrors >= 1);
	for (size_t i = 0; i < r->nerrors; i++)
		assert_true(clean_utf8(r->errors[i]));
	assert_non_null(strstr(r->errors[0], "\xe6\xad\xa3")); /* a valid character stays */
	struct bt_evset *set = bt_evset_new();
	bt_logscan_evidence(sc, set);
	for (size_t i = 0; i < bt_evset_count(set); i++)
		assert_true(clean_utf8(bt_evset_at(set, i)->excerpt));
	bt_evset_free(set);
	bt_logscan_free(sc);

	/* Cutting never splits a character: 3-byte characters into a 8-byte buffer. */
	char out[8];
	bt_lex_copy(out, sizeof out, "\xe6\xad\xa3\xe6\xad\xa3\xe6\xad\xa3", 9);
	assert_string_equal(out, "\xe6\xad\xa3\xe6\xad\xa3");
}

static void lex_numbers(void **state)
{
	(void)state;
	uint64_t v;
	struct bt_lex x = { "18446744069414585938 rest", 25 };
	assert_true(bt_lex_u64(&x, &v));
	assert_true(v == 18446744069414585938u);
	assert_int_equal(x.n, 5);
	x = (struct bt_lex){ "0x1107067B:", 11 };
	assert_true(bt_lex_u64(&x, &v));
	assert_true(v == 0x1107067Bu);
	long l;
	x = (struct bt_lex){ "-99999999999999999999999", 24 };
	assert_true(bt_lex_long(&x, &l));
	assert_true(l < -1000000000L); /* saturated, not wrapped to something small */
	x = (struct bt_lex){ "abc", 3 };
	assert_false(bt_lex_u64(&x, &v));
	assert_null(bt_lex_find("abc", 3, "abcd"));
	assert_non_null(bt_lex_find_ci("xx FaIlEd", 9, "failed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_checkpoints_and_abort),
		cmocka_unit_test(decimal_ids_are_masked),
		cmocka_unit_test(cleanup_0x648_names_only_cleanup),
		cmocka_unit_test(device_first_failure_is_root),
		cmocka_unit_test(immed_retry_is_not_a_verdict),
		cmocka_unit_test(status_texts),
		cmocka_unit_test(done_alone_is_not_success),
		cmocka_unit_test(progress_keyed_on_number),
		cmocka_unit_test(identity_lines),
		cmocka_unit_test(mobiledevice_family),
		cmocka_unit_test(tool_prefixes),
		cmocka_unit_test(old_nvram_style_and_signatures),
		cmocka_unit_test(shapes_from_unseen_logs),
		cmocka_unit_test(shapes_from_batches_d_e),
		cmocka_unit_test(shapes_from_batches_g_h),
		cmocka_unit_test(shapes_from_batches_l_to_o),
		cmocka_unit_test(shapes_from_batch_q),
		cmocka_unit_test(noise_in_a_good_restore),
		cmocka_unit_test(previous_restore_log_is_not_this_one),
		cmocka_unit_test(line_endings_gap_and_nul),
		cmocka_unit_test(chunked_equals_whole),
		cmocka_unit_test(terminal_colours_are_ignored),
		cmocka_unit_test(hostile_input),
		cmocka_unit_test(bounded_timeline_and_errors),
		cmocka_unit_test(tables_are_sound),
		cmocka_unit_test(non_utf8_is_cleaned),
		cmocka_unit_test(lex_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
