/* Unit tests for probes/recovery: the recording parser and writer, every interpretation of a
 * session into evidence (driven by recordings), watch-pattern detection, the self-pipe event
 * hand-off (including from another thread), and the real libirecovery backend's no-device path
 * (this machine has no USB bus, so libirecovery answers -3). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/evidence.h"
#include "recovery/backend.h"
#include "recovery/interpret.h"
#include "recovery/recording.h"
#include "recovery/recovery.h"
#include "recovery/usb_present.h"
#include "recovery/recovery_evidence.h"

#define REC_DIR "tests/data/recordings/"

/* ---- helpers ---- */

/* 1-based number of the first line of path starting with prefix, 0 when none. */
static long line_of(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[2048];
	long n = 0, found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		n++;
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			found = n;
	}
	fclose(f);
	return found;
}

static int parse_text(const char *text, struct bt_rec_session *s, char *err, size_t errlen)
{
	return bt_rec_parse_buffer("t.rec", text, strlen(text), s, err, errlen);
}

/* Expects text to be refused with a message naming line `line` and containing `what`. */
static void expect_bad(const char *text, long line, const char *what)
{
	struct bt_rec_session *s = bt_rec_session_new();
	char err[256] = "";
	int rc = parse_text(text, s, err, sizeof err);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "t.rec:%ld: ", line);
	if (rc != BT_ERR_DATA || strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, what))
		fail_msg("input %.60s...: rc %d, message '%s' (want %s...%s)", text, rc, err, prefix, what);
	bt_rec_session_free(s);
}

/* A fake resolver so interpretation is tested without board files or the step table. */
static bool fake_board(void *user, unsigned cpid, unsigned bdid, struct bt_rec_board *out)
{
	(void)user;
	if (cpid == 0x8015 && bdid == 0x06) {
		snprintf(out->name, sizeof out->name, "iphonex");
		snprintf(out->product_type, sizeof out->product_type, "iPhone10,3");
		out->source = "boards";
		return true;
	}
	return false;
}

static const char *fake_subsystem(void *user, const char *step)
{
	(void)user;
	if (strcmp(step, "wait_for_storage") == 0)
		return "storage";
	if (strcmp(step, "update_baseband") == 0)
		return "baseband";
	return "unknown";
}

static const struct bt_rec_resolver fake = { fake_board, fake_subsystem, NULL };

static struct bt_evset *evidence_of(const char *text, const struct bt_rec_resolver *r)
{
	struct bt_rec_session *s = bt_rec_session_new();
	char err[256];
	int rc = parse_text(text, s, err, sizeof err);
	if (rc != BT_OK)
		fail_msg("parse failed: %s", err);
	struct bt_evset *set = bt_evset_new();
	bt_rec_evidence(s, r, "t.rec", set);
	bt_rec_session_free(s);
	return set;
}

static void assert_value(const struct bt_evset *set, const char *key, const char *want)
{
	const char *v = bt_evset_value(set, key);
	if (!v || strcmp(v, want) != 0)
		fail_msg("%s = %s, want %s", key, v ? v : "(absent)", want);
}

static void assert_absent(const struct bt_evset *set, const char *key)
{
	const char *v = bt_evset_value(set, key);
	if (v)
		fail_msg("%s = %s, want it absent", key, v);
}

#define HEAD "benchtriage-recovery 1\n"
#define RECOVERY_X HEAD "info mode Recovery\ninfo cpid 0x8015\ninfo bdid 0x06\n"

/* ---- parser ---- */

static void parses_every_shipped_recording(void **state)
{
	(void)state;
	static const char *const files[] = {
		"iphonex-recovery-storage.rec", "iphone7-radio-error.rec", "iphone8-dfu-only.rec",
		"iphone11-bootloop.rec", "iphone13pro-newer-than-table.rec",
		"iphone6s-stopped-answering.rec", "no-device-watch.rec",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[256], err[256] = "";
		snprintf(path, sizeof path, REC_DIR "%s", files[i]);
		struct bt_rec_session *s = bt_rec_session_new();
		if (bt_rec_parse_file(path, s, err, sizeof err) != BT_OK)
			fail_msg("%s: %s", path, err);
		assert_true(s->origin[0] != '\0');
		bt_rec_session_free(s);
	}
}

static void parser_fields(void **state)
{
	(void)state;
	struct bt_rec_session *s = bt_rec_session_new();
	char err[256];
	assert_int_equal(parse_text(HEAD "# c\n\n  info mode DFU\ninfo pid 0x1227\ninfo cpid 0x8010\n"
				    "info bdid 0x0C\ninfo ecid 0x00123XXXX\ninfo srtg iBoot-2696.0.0.1.33\n"
				    "env boot-args rd=md0 -v  \\x20\nenv auto-boot\nunset radio-error\n"
				    "event 0 arrive DFU cpid=0x8010 bdid=0x0C\ngone 3\nevent 1.5 leave\n"
				    "event 2.5 mode Recovery\nend 4\n", s, err, sizeof err), BT_OK);
	assert_int_equal(s->info.mode, BT_REC_MODE_DFU);
	assert_int_equal(s->info.cpid, 0x8010);
	assert_int_equal(s->info.bdid, 0x0C);
	assert_true(s->info.fields & BT_REC_F_PID);
	assert_false(s->info.fields & BT_REC_F_CPRV);
	assert_string_equal(s->info.ecid, "0x00123XXXX");
	assert_string_equal(bt_rec_session_env(s, "boot-args")->value, "rd=md0 -v   ");
	assert_int_equal(bt_rec_session_env(s, "auto-boot")->state, BT_REC_ENV_EMPTY);
	assert_int_equal(bt_rec_session_env(s, "radio-error")->state, BT_REC_ENV_UNSET);
	assert_int_equal(s->nevents, 3);
	assert_int_equal(s->events[0].type, BT_REC_EV_ARRIVE);
	assert_true(s->events[0].has_chip);
	assert_int_equal(s->events[2].type, BT_REC_EV_MODE);
	assert_int_equal(s->events[2].mode, BT_REC_MODE_RECOVERY);
	assert_true(s->gone_t > 2.9 && s->gone_t < 3.1);
	assert_true(s->end_t > 3.9 && s->end_t < 4.1);
	bt_rec_session_free(s);
}

static void parser_refuses_bad_input(void **state)
{
	(void)state;
	expect_bad("", 1, "empty recording");
	expect_bad("# only a comment\n", 1, "empty recording");
	expect_bad("info mode DFU\n", 1, "not a recovery recording");
	expect_bad("benchtriage-recovery 2\n", 1, "format 2 is not understood");
	expect_bad(HEAD "info mode Sleeping\n", 2, "info mode");
	expect_bad(HEAD "info cpid 0x10000\n", 2, "info cpid");
	expect_bad(HEAD "info cpid -1\n", 2, "info cpid");
	expect_bad(HEAD "info cpid 1\ninfo cpid 2\n", 3, "twice");
	expect_bad(HEAD "info ecid 12345\n", 2, "ecid");
	expect_bad(HEAD "info ecid 0x12345678901234567\n", 2, "ecid");
	expect_bad(HEAD "info nonc zz\n", 2, "nonc");
	expect_bad(HEAD "info colour red\n", 2, "unknown info field");
	expect_bad(HEAD "env a b\nenv a c\n", 3, "twice");
	expect_bad(HEAD "env bad/name x\n", 2, "bad variable name");
	expect_bad(HEAD "env v a\\qb\n", 2, "unknown escape");
	expect_bad(HEAD "env v a\\x0\n", 2, "\\x escape");
	expect_bad(HEAD "env v a\\x00b\n", 2, "NUL");
	expect_bad(HEAD "env v a\tb\n", 2, "control byte");
	expect_bad(HEAD "unset v x\n", 2, "no value");
	expect_bad(HEAD "event 5 leave\nevent 4 leave\n", 3, "goes back");
	expect_bad(HEAD "event -1 leave\n", 2, "time");
	expect_bad(HEAD "event nan leave\n", 2, "time");
	expect_bad(HEAD "event 1e99 leave\n", 2, "time");
	expect_bad(HEAD "event 1 arrive\n", 2, "mode must be");
	expect_bad(HEAD "event 1 arrive DFU cpid=0x8010\n", 2, "together");
	expect_bad(HEAD "event 1 leave now\n", 2, "trailing");
	expect_bad(HEAD "event 1 explode\n", 2, "unknown event");
	expect_bad(HEAD "end 5\nend 6\n", 3, "twice");
	expect_bad(HEAD "gone 9\nend 5\n", 3, "gone time after end");
	expect_bad(HEAD "end 5\nevent 6 leave\n", 3, "end time before the last event");
	expect_bad(HEAD "reboot\n", 2, "unknown directive");

	/* A value past the cap and a line past the cap. */
	char *big = malloc(4096);
	snprintf(big, 4096, HEAD "env v ");
	size_t n = strlen(big);
	memset(big + n, 'a', BT_REC_ENV_VALUE_MAX);
	big[n + BT_REC_ENV_VALUE_MAX] = '\0';
	expect_bad(big, 2, "longer than 255");
	n = strlen(big);
	memset(big + n, 'b', BT_REC_LINE_MAX);
	big[n + BT_REC_LINE_MAX] = '\0';
	expect_bad(big, 2, "line longer than");
	free(big);

	/* Too many events and too many variables. */
	size_t cap = 64 * (BT_REC_EVENTS_MAX + 8);
	char *many = malloc(cap);
	size_t len = (size_t)snprintf(many, cap, HEAD);
	for (int i = 0; i <= BT_REC_EVENTS_MAX; i++)
		len += (size_t)snprintf(many + len, cap - len, "event %d leave\n", i);
	expect_bad(many, BT_REC_EVENTS_MAX + 2, "more than 512 events");
	len = (size_t)snprintf(many, cap, HEAD);
	for (int i = 0; i <= BT_REC_ENV_MAX; i++)
		len += (size_t)snprintf(many + len, cap - len, "env v%d x\n", i);
	expect_bad(many, BT_REC_ENV_MAX + 2, "more than 40 variables");
	free(many);
}

static void parse_file_errors(void **state)
{
	(void)state;
	struct bt_rec_session *s = bt_rec_session_new();
	char err[256];
	assert_int_equal(bt_rec_parse_file("tests/data/recordings/does-not-exist.rec", s, err, sizeof err), BT_ERR_IO);
	assert_non_null(strstr(err, "does-not-exist.rec: "));
	bt_rec_session_free(s);
}

static void writer_round_trip(void **state)
{
	(void)state;
	struct bt_rec_session *a = bt_rec_session_new();
	char err[256];
	assert_int_equal(bt_rec_parse_file(REC_DIR "iphone11-bootloop.rec", a, err, sizeof err), BT_OK);
	/* Values the writer must escape survive the trip. */
	assert_int_equal(bt_rec_session_set_env(a, "boot-args", BT_REC_ENV_VALUE, " a\\b\tc\nd ", 0), BT_OK);
	snprintf(a->info.pwnd, sizeof a->info.pwnd, "%s", "checkm8");
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(bt_rec_write(f, a), BT_OK);
	long size = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)size + 1);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	struct bt_rec_session *b = bt_rec_session_new();
	if (bt_rec_parse_buffer("w.rec", buf, (size_t)size, b, err, sizeof err) != BT_OK)
		fail_msg("written recording does not read back: %s", err);
	assert_string_equal(a->origin, b->origin);
	assert_int_equal(a->info.mode, b->info.mode);
	assert_int_equal(a->info.fields, b->info.fields);
	assert_int_equal(a->info.cpid, b->info.cpid);
	assert_string_equal(a->info.ecid, b->info.ecid);
	assert_string_equal(b->info.pwnd, "checkm8");
	assert_int_equal(a->nenv, b->nenv);
	for (size_t i = 0; i < a->nenv; i++) {
		assert_string_equal(a->env[i].name, b->env[i].name);
		assert_int_equal(a->env[i].state, b->env[i].state);
		assert_string_equal(a->env[i].value, b->env[i].value);
	}
	assert_int_equal(a->nevents, b->nevents);
	for (size_t i = 0; i < a->nevents; i++) {
		assert_int_equal(a->events[i].type, b->events[i].type);
		assert_true(a->events[i].t - b->events[i].t < 0.001 && b->events[i].t - a->events[i].t < 0.001);
		assert_int_equal(a->events[i].has_chip, b->events[i].has_chip);
	}
	free(buf);
	bt_rec_session_free(a);
	bt_rec_session_free(b);
}

/* ---- interpretation ---- */

static void last_step_parsing(void **state)
{
	(void)state;
	char name[64];
	long id;
	assert_true(bt_rec_last_step("{0x1103060D:wait_for_storage}", name, sizeof name, &id));
	assert_string_equal(name, "wait_for_storage");
	assert_int_equal(id, 0x1103060D);
	assert_true(bt_rec_last_step("{0x1103067B:perform_restore_installing;0x110306A6:install_splat}",
				     name, sizeof name, &id));
	assert_string_equal(name, "install_splat");
	assert_int_equal(id & 0xFFFF, 0x06A6);
	assert_true(bt_rec_last_step(" {umask;} ", name, sizeof name, &id));
	assert_string_equal(name, "umask");
	assert_int_equal(id, -1);
	assert_false(bt_rec_last_step("{}", name, sizeof name, &id));
	/* a value cut at 255 bytes ends in half a name: not a step */
	assert_false(bt_rec_last_step("{0x1103060C:partition_nand;0x1103060D:wait_for_sto", name, sizeof name, &id));
	assert_false(bt_rec_last_step("", name, sizeof name, &id));
	assert_false(bt_rec_last_step("{0x1:}", name, sizeof name, &id));
	assert_false(bt_rec_last_step("{0x1:bad name}", name, sizeof name, &id));
	char small[5];
	assert_true(bt_rec_last_step("{wait_for_storage}", small, sizeof small, &id));
	assert_string_equal(small, "wait");
}

static void identity_and_board(void **state)
{
	(void)state;
	struct bt_evset *set = evidence_of(RECOVERY_X "info ecid 0x00AB\ninfo srtg N/A\ninfo cprv 0x11\n", &fake);
	assert_value(set, "iboot.mode", "Recovery");
	assert_value(set, "iboot.cpid", "0x8015");
	assert_value(set, "iboot.bdid", "0x06");
	assert_value(set, "iboot.board", "iphonex");
	assert_value(set, "device.product_type", "iPhone10,3");
	assert_value(set, "iboot.ecid", "0x00AB");
	assert_value(set, "iboot.cprv", "0x11");
	assert_absent(set, "iboot.srtg"); /* "N/A" is libirecovery's "none" */
	bt_evset_free(set);

	/* A chip nobody knows: no board, no product, never a guess. */
	set = evidence_of(HEAD "info mode Recovery\ninfo cpid 0x8110\ninfo bdid 0x0C\n", &fake);
	assert_value(set, "iboot.cpid", "0x8110");
	assert_absent(set, "iboot.board");
	assert_absent(set, "device.product_type");
	bt_evset_free(set);

	/* No resolver at all. */
	set = evidence_of(RECOVERY_X, NULL);
	assert_value(set, "iboot.cpid", "0x8015");
	assert_absent(set, "iboot.board");
	bt_evset_free(set);

	/* Chip only from a watch event, no identity read. */
	set = evidence_of(HEAD "event 0 arrive DFU cpid=0x8015 bdid=0x06\n", &fake);
	assert_value(set, "iboot.board", "iphonex");
	assert_value(set, "iboot.mode", "DFU");
	bt_evset_free(set);
}

static void empty_answers_add_nothing(void **state)
{
	(void)state;
	struct bt_evset *set = evidence_of(RECOVERY_X "env build-version iBoot-8422.141.2\nenv boot-args\n"
					   "unset radio-error\nunset restore-step-names\n", &fake);
	assert_value(set, "iboot.env.build-version", "iBoot-8422.141.2");
	assert_absent(set, "iboot.env.boot-args");
	assert_absent(set, "iboot.env.radio-error");
	assert_absent(set, "iboot.radio_error");
	assert_absent(set, "iboot.restore_step");
	assert_absent(set, "iboot.restore_subsystem");
	assert_absent(set, "iboot.restore_outcome");
	assert_absent(set, "iboot.pattern"); /* no events: no watch pattern */
	bt_evset_free(set);
}

static void restore_step_to_subsystem(void **state)
{
	(void)state;
	struct bt_evset *set = evidence_of(RECOVERY_X
		"env restore-step-names {0x1103067B:perform_restore_installing;0x1103060D:wait_for_storage}\n", &fake);
	assert_value(set, "iboot.restore_step", "wait_for_storage");
	assert_value(set, "iboot.restore_subsystem", "storage");
	assert_value(set, "iboot.restore_step_id", "0x060D");
	bt_evset_free(set);

	set = evidence_of(RECOVERY_X "env restore-step-names {0x11031303:update_baseband}\n", &fake);
	assert_value(set, "iboot.restore_subsystem", "baseband");
	bt_evset_free(set);

	/* Not in the table: subsystem unknown, the step still named. */
	set = evidence_of(RECOVERY_X "env restore-step-names {0x110306A6:install_splat}\n", &fake);
	assert_value(set, "iboot.restore_step", "install_splat");
	assert_value(set, "iboot.restore_subsystem", "unknown");
	bt_evset_free(set);

	/* Cleared: no step, but the raw value is still evidence. */
	set = evidence_of(RECOVERY_X "env restore-step-names {}\n", &fake);
	assert_absent(set, "iboot.restore_step");
	assert_value(set, "iboot.env.restore-step-names", "{}");
	bt_evset_free(set);
}

static void radio_error_and_outcome(void **state)
{
	(void)state;
	struct bt_evset *set = evidence_of(RECOVERY_X "env radio-error 512\nenv radio-error-string Communication failure\n"
					   "env restore-outcome initial_engine_no_return\n", &fake);
	assert_value(set, "iboot.radio_error", "512");
	assert_non_null(strstr(bt_evset_find(set, "iboot.radio_error")->excerpt, "Communication failure"));
	assert_value(set, "iboot.restore_outcome", "initial_engine_no_return");
	bt_evset_free(set);

	set = evidence_of(RECOVERY_X "env radio-error 0x100\n", &fake);
	assert_value(set, "iboot.radio_error", "256");
	bt_evset_free(set);

	set = evidence_of(RECOVERY_X "env radio-error 0\n", &fake);
	assert_absent(set, "iboot.radio_error");
	assert_value(set, "iboot.env.radio-error", "0");
	bt_evset_free(set);

	set = evidence_of(RECOVERY_X "env radio-error garbage\n", &fake);
	assert_absent(set, "iboot.radio_error");
	bt_evset_free(set);
}

static void watch_patterns(void **state)
{
	(void)state;
	struct bt_evset *set = evidence_of(RECOVERY_X "event 0 arrive Recovery\nevent 9 leave\nevent 18 arrive Recovery\n"
					   "event 27 leave\nevent 36 arrive Recovery\nend 40\n", &fake);
	assert_value(set, "iboot.pattern", "boot_loop");
	assert_value(set, "iboot.reenumerations", "2");
	assert_value(set, "iboot.loop_period_s", "18.0");
	bt_evset_free(set);

	/* One re-plug is not a loop. */
	set = evidence_of(RECOVERY_X "event 0 arrive Recovery\nevent 9 leave\nevent 18 arrive Recovery\nend 40\n", &fake);
	assert_value(set, "iboot.pattern", "stable");
	assert_value(set, "iboot.reenumerations", "1");
	assert_absent(set, "iboot.loop_period_s");
	bt_evset_free(set);

	set = evidence_of(HEAD "info mode DFU\nevent 0 arrive DFU\nevent 30 leave\nevent 31 arrive DFU\nend 99\n", &fake);
	assert_value(set, "iboot.pattern", "dfu_only");
	bt_evset_free(set);

	/* DFU then recovery is not DFU-only; the newest mode is the mode. */
	set = evidence_of(HEAD "info mode DFU\nevent 0 arrive DFU\nevent 5 mode Recovery\n", &fake);
	assert_value(set, "iboot.pattern", "stable");
	assert_value(set, "iboot.mode", "Recovery");
	bt_evset_free(set);

	set = evidence_of(RECOVERY_X "event 0 arrive Recovery\nevent 3 leave\nend 60\n", &fake);
	assert_value(set, "iboot.pattern", "gone");
	bt_evset_free(set);

	/* A restore from DFU run by another tool: DFU, then recovery under iBSS, then under
	 * iBEC. Three appearances, but not one mode again and again: no loop. */
	set = evidence_of(HEAD "info mode DFU\nevent 0 arrive DFU\nevent 4 leave\nevent 6 arrive Recovery\n"
			  "event 9 leave\nevent 11 arrive Recovery\nend 30\n", &fake);
	assert_value(set, "iboot.pattern", "stable");
	assert_value(set, "iboot.reenumerations", "2");
	bt_evset_free(set);
	/* ... while recovery three times is one, timed on those appearances */
	set = evidence_of(HEAD "info mode DFU\nevent 0 arrive DFU\nevent 4 leave\nevent 6 arrive Recovery\n"
			  "event 9 leave\nevent 16 arrive Recovery\nevent 19 leave\nevent 26 arrive Recovery\n"
			  "end 30\n", &fake);
	assert_value(set, "iboot.pattern", "boot_loop");
	assert_value(set, "iboot.loop_period_s", "10.0");
	bt_evset_free(set);

	struct bt_rec_session *s = bt_rec_session_new();
	struct bt_rec_watch w;
	bt_rec_watch_summary(s, &w);
	assert_null(w.pattern);
	bt_rec_session_free(s);
}

static void env_notes(void **state)
{
	(void)state;
	struct bt_rec_env e = { .name = "radio-error", .state = BT_REC_ENV_VALUE, .value = "512" };
	char note[256];
	assert_true(bt_rec_env_note(&e, &fake, note, sizeof note));
	assert_non_null(strstr(note, "baseband"));
	struct bt_rec_env st = { .name = "restore-step-names", .state = BT_REC_ENV_VALUE,
				 .value = "{0x1103060D:wait_for_storage}" };
	assert_true(bt_rec_env_note(&st, &fake, note, sizeof note));
	assert_non_null(strstr(note, "storage"));
	struct bt_rec_env un = { .name = "auto-boot", .state = BT_REC_ENV_UNSET };
	assert_true(bt_rec_env_note(&un, &fake, note, sizeof note));
	assert_non_null(strstr(note, "unknown"));
	struct bt_rec_env plain = { .name = "build-style", .state = BT_REC_ENV_VALUE, .value = "RELEASE" };
	assert_false(bt_rec_env_note(&plain, &fake, note, sizeof note));
	/* a stage that reported its failure is not one that never came back */
	struct bt_rec_env fail = { .name = "restore-outcome", .state = BT_REC_ENV_VALUE,
				   .value = "initial_engine_failure_no_return" };
	assert_true(bt_rec_env_note(&fail, &fake, note, sizeof note));
	assert_non_null(strstr(note, "reported a failure"));
	struct bt_rec_env silent = { .name = "restore-outcome", .state = BT_REC_ENV_VALUE,
				     .value = "initial_engine_no_return" };
	assert_true(bt_rec_env_note(&silent, &fake, note, sizeof note));
	assert_non_null(strstr(note, "never reported back"));
	/* boot-stage 1 is what iBSS leaves, 2 what iBEC leaves; both are expected */
	struct bt_rec_env st1 = { .name = "boot-stage", .state = BT_REC_ENV_VALUE, .value = "1" };
	assert_true(bt_rec_env_note(&st1, &fake, note, sizeof note));
	assert_non_null(strstr(note, "iBSS"));
	struct bt_rec_env st3 = { .name = "boot-stage", .state = BT_REC_ENV_VALUE, .value = "3" };
	assert_true(bt_rec_env_note(&st3, &fake, note, sizeof note));
	assert_non_null(strstr(note, "neither"));
	for (size_t i = 0; bt_rec_env_names[i]; i++)
		assert_non_null(bt_rec_env_meaning(bt_rec_env_names[i]));
	assert_null(bt_rec_env_meaning("no-such-variable"));
}

/* The shipped recordings through analyze's entry point (default resolver: real step table). */
static void file_evidence_of_recordings(void **state)
{
	(void)state;
	char err[256];
	struct bt_evset *set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence(REC_DIR "iphonex-recovery-storage.rec", set, err, sizeof err), BT_OK);
	assert_value(set, "iboot.restore_subsystem", "storage");
	assert_value(set, "device.product_type", "iPhone10,3");
	assert_value(set, "iboot.restore_outcome", "initial_engine_no_return");
	const struct bt_evidence *step = bt_evset_find(set, "iboot.restore_step");
	assert_non_null(strstr(step->source, "iphonex-recovery-storage.rec"));
	assert_int_equal(step->line, line_of(REC_DIR "iphonex-recovery-storage.rec", "env restore-step-names "));
	bt_evset_free(set);

	set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence(REC_DIR "iphone7-radio-error.rec", set, err, sizeof err), BT_OK);
	assert_value(set, "iboot.radio_error", "512");
	assert_value(set, "device.product_type", "iPhone9,3");
	assert_absent(set, "iboot.restore_step");
	bt_evset_free(set);

	set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence(REC_DIR "iphone8-dfu-only.rec", set, err, sizeof err), BT_OK);
	assert_value(set, "iboot.pattern", "dfu_only");
	assert_value(set, "iboot.mode", "DFU");
	bt_evset_free(set);

	set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence(REC_DIR "iphone11-bootloop.rec", set, err, sizeof err), BT_OK);
	assert_value(set, "iboot.pattern", "boot_loop");
	assert_value(set, "iboot.reenumerations", "3");
	bt_evset_free(set);

	set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence(REC_DIR "iphone13pro-newer-than-table.rec", set, err, sizeof err), BT_OK);
	assert_value(set, "iboot.cpid", "0x8110");
	assert_value(set, "iboot.restore_step", "install_splat");
	/* Debian's libirecovery does not know this chip: a board, if any, comes from boards/. */
	const struct bt_evidence *b = bt_evset_find(set, "iboot.board");
	if (b)
		assert_null(strstr(b->excerpt, "libirecovery"));
	const char *pt = bt_evset_value(set, "device.product_type");
	if (pt)
		assert_string_equal(pt, "iPhone14,2");
	bt_evset_free(set);

	set = bt_evset_new();
	assert_int_equal(bt_recovery_file_evidence("tests/data/recordings/missing.rec", set, err, sizeof err), BT_ERR_IO);
	assert_int_equal(bt_evset_count(set), 0);
	bt_evset_free(set);
}

/* ---- the handle: replay backend, self-pipe ---- */

static void replay_through_handle(void **state)
{
	(void)state;
	struct bt_recovery *h;
	char err[256];
	struct bt_recovery_opts o = { .replay_path = REC_DIR "iphone11-bootloop.rec" };
	assert_int_equal(bt_recovery_new(&h, &o, err, sizeof err), BT_OK);
	assert_string_equal(bt_recovery_backend_name(h), "replay");
	assert_int_equal(bt_recovery_fd(h), -1);
	assert_int_equal(bt_recovery_read(h), BT_OK); /* connects by itself */
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	assert_int_equal(bt_recovery_info(h)->cpid, 0x8030);
	assert_string_equal(bt_recovery_env(h, "auto-boot")->value, "true");
	assert_int_equal(bt_recovery_env(h, "radio-error")->state, BT_REC_ENV_UNSET);
	/* Asked but not in the recording: no answer, never a value. */
	assert_int_equal(bt_recovery_env(h, "obliteration")->state, BT_REC_ENV_UNSET);

	assert_int_equal(bt_recovery_watch(h), BT_OK);
	int fd = bt_recovery_fd(h);
	assert_true(fd >= 0);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	int types[16], n = 0;
	bool end = false;
	while (!end && n < 16) {
		assert_true(bt_recovery_handle(h) >= 0);
		struct bt_rec_event ev;
		while (bt_recovery_next_event(h, &ev)) {
			if (ev.type == BT_REC_EV_END)
				end = true;
			else
				types[n++] = (int)ev.type;
		}
	}
	assert_int_equal(n, 7);
	for (int i = 0; i < n; i++)
		assert_int_equal(types[i], i % 2 == 0 ? BT_REC_EV_ARRIVE : BT_REC_EV_LEAVE);
	bt_recovery_mark_end(h);
	const struct bt_rec_session *s = bt_recovery_session(h);
	assert_int_equal(s->nevents, 7);
	assert_true(s->end_t > 59.9 && s->end_t < 60.1);
	assert_int_equal(bt_recovery_dropped(h), 0);
	assert_int_equal(bt_recovery_handle(h), 0); /* drained */
	bt_recovery_close(h);
}

static void replay_gone_and_empty(void **state)
{
	(void)state;
	struct bt_recovery *h;
	char err[256];
	struct bt_recovery_opts o = { .replay_path = REC_DIR "iphone6s-stopped-answering.rec" };
	assert_int_equal(bt_recovery_new(&h, &o, err, sizeof err), BT_OK);
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_ERR_GONE);
	assert_true(bt_recovery_session(h)->gone_t > 1.23 && bt_recovery_session(h)->gone_t < 1.25);
	assert_string_equal(bt_recovery_env(h, "build-version")->value, "iBoot-7429.62.1");
	bt_recovery_close(h);

	o.replay_path = REC_DIR "no-device-watch.rec";
	assert_int_equal(bt_recovery_new(&h, &o, err, sizeof err), BT_OK);
	assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
	bt_recovery_close(h);

	o.replay_path = REC_DIR "iphone8-dfu-only.rec";
	assert_int_equal(bt_recovery_new(&h, &o, err, sizeof err), BT_OK);
	assert_int_equal(bt_recovery_connect(h), BT_OK);
	assert_int_equal(bt_recovery_read(h), BT_OK);
	/* DFU: getenv does not apply, every variable says so. */
	assert_int_equal(bt_recovery_env(h, "build-version")->state, BT_REC_ENV_NA);
	bt_recovery_close(h);

	o.replay_path = "tests/data/recordings/missing.rec";
	assert_int_equal(bt_recovery_new(&h, &o, err, sizeof err), BT_ERR_IO);
	assert_null(h);
}

struct poster {
	struct bt_rec_sink *sink;
	int count;
};

static void *post_from_thread(void *arg)
{
	struct poster *p = arg;
	for (int i = 0; i < p->count; i++) {
		struct bt_rec_event ev = { .type = i % 2 ? BT_REC_EV_LEAVE : BT_REC_EV_ARRIVE,
					   .t = (double)i, .mode = BT_REC_MODE_RECOVERY };
		bt_rec_sink_post(p->sink, &ev);
	}
	return NULL;
}

/* Events posted on another thread arrive whole and in order through the pipe. */
static void sink_across_threads(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct bt_rec_sink sink = { .wfd = fds[1] };
	atomic_init(&sink.dropped, 0UL);
	clock_gettime(CLOCK_MONOTONIC, &sink.t0);
	struct poster p = { &sink, 300 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, post_from_thread, &p), 0);
	int got = 0;
	while (got < p.count) {
		struct bt_rec_event ev;
		ssize_t n = read(fds[0], &ev, sizeof ev);
		assert_int_equal(n, (ssize_t)sizeof ev);
		assert_int_equal((int)ev.t, got);
		assert_int_equal(ev.type, got % 2 ? BT_REC_EV_LEAVE : BT_REC_EV_ARRIVE);
		got++;
	}
	pthread_join(th, NULL);
	assert_int_equal(atomic_load(&sink.dropped), 0);
	assert_true(bt_rec_sink_now(&sink) >= 0);
	close(fds[0]);
	/* A closed reader: the post fails and is counted, never blocks or crashes. */
	struct bt_rec_event ev = { .type = BT_REC_EV_LEAVE };
	close(fds[1]);
	sink.wfd = -1;
	bt_rec_sink_post(&sink, &ev);
	assert_int_equal(atomic_load(&sink.dropped), 1);
}

/* ---- the real libirecovery backend with no phone (no USB bus here: -3) ---- */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void real_backend_no_device(void **state)
{
	(void)state;
	struct bt_recovery *h;
	char err[256];
	assert_int_equal(bt_recovery_new(&h, NULL, err, sizeof err), BT_OK);
	assert_string_equal(bt_recovery_backend_name(h), "usb");
	double t0 = mono();
	assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
	assert_int_equal(bt_recovery_connect(h), BT_ERR_NODEV);
	assert_true(mono() - t0 < 1.0); /* never the retrying open */
	assert_int_equal(bt_recovery_read(h), BT_ERR_NODEV);
	assert_null(bt_recovery_info(h));
	/* Watching an empty bus: no events, no crash, the thread stops on close. */
	assert_int_equal(bt_recovery_watch(h), BT_OK);
	struct pollfd pfd = { .fd = bt_recovery_fd(h), .events = POLLIN };
	int n = poll(&pfd, 1, 300);
	if (n > 0)
		bt_recovery_handle(h);
	struct bt_rec_event ev;
	assert_false(bt_recovery_next_event(h, &ev));
	bt_recovery_close(h);
	bt_recovery_close(NULL);
}

static void irecv_table_fallback(void **state)
{
	(void)state;
	char product[32], model[32];
	assert_true(bt_irecv_table_lookup(0x8010, 0x0C, product, sizeof product, model, sizeof model));
	assert_string_equal(product, "iPhone9,3");
	assert_string_equal(model, "d101ap");
	/* Debian's 1.0.0 stops at iPhone12,8. */
	assert_false(bt_irecv_table_lookup(0x8110, 0x0C, product, sizeof product, model, sizeof model));
}

/* The sysfs scan: -1 without a tree, 0 without an Apple recovery device, 1 with one; interface
 * entries and other Apple products (a phone booted normally, 0x12a8) do not count. */
static void usb_present_from_sysfs(void **state)
{
	(void)state;
	assert_int_equal(bt_usb_recovery_present("/nonexistent/bt-sysfs"), -1);
	char dir[] = "/tmp/bt-sysfs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[256];
	struct { const char *dev, *vid, *pid; } devs[] = {
		{ "usb1", "1d6b\n", "0002\n" }, { "1-1", "05ac\n", "12a8\n" }, { "1-1:1.0", "05ac\n", "1281\n" },
	};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, devs[i].dev);
		assert_int_equal(mkdir(p, 0700), 0);
		snprintf(p, sizeof p, "%s/%s/idVendor", dir, devs[i].dev);
		FILE *f = fopen(p, "w");
		fputs(devs[i].vid, f);
		fclose(f);
		snprintf(p, sizeof p, "%s/%s/idProduct", dir, devs[i].dev);
		f = fopen(p, "w");
		fputs(devs[i].pid, f);
		fclose(f);
	}
	assert_int_equal(bt_usb_recovery_present(dir), 0);
	snprintf(p, sizeof p, "%s/1-1/idProduct", dir);
	FILE *f = fopen(p, "w");
	fputs("1227\n", f); /* the same port, now in DFU */
	fclose(f);
	assert_int_equal(bt_usb_recovery_present(dir), 1);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_shipped_recording),
		cmocka_unit_test(parser_fields),
		cmocka_unit_test(parser_refuses_bad_input),
		cmocka_unit_test(parse_file_errors),
		cmocka_unit_test(writer_round_trip),
		cmocka_unit_test(last_step_parsing),
		cmocka_unit_test(usb_present_from_sysfs),
		cmocka_unit_test(identity_and_board),
		cmocka_unit_test(empty_answers_add_nothing),
		cmocka_unit_test(restore_step_to_subsystem),
		cmocka_unit_test(radio_error_and_outcome),
		cmocka_unit_test(watch_patterns),
		cmocka_unit_test(env_notes),
		cmocka_unit_test(file_evidence_of_recordings),
		cmocka_unit_test(replay_through_handle),
		cmocka_unit_test(replay_gone_and_empty),
		cmocka_unit_test(sink_across_threads),
		cmocka_unit_test(real_backend_no_device),
		cmocka_unit_test(irecv_table_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
