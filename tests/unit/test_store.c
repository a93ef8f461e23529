/* Unit tests for src/store: every kind of item written and read back, ids and errors, schema
 * version, a full disk (RLIMIT_FSIZE) and a read-only home give BT_ERR_IO and leave the store
 * intact, export -> import round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "core/evidence.h"
#include "store/case_data.h"
#include "store/case_attach.h"
#include "store/case_pack.h"
#include "store/store.h"

static char home[512];

static int setup(void **state)
{
	(void)state;
	snprintf(home, sizeof home, "%s/bt-store-test.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(home))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
	return system(cmd) == 0 ? 0 : -1;
}

static struct bt_store *open_ok(const char *dir)
{
	char err[1024] = "";
	struct bt_store *st = NULL;
	int rc = bt_store_open(dir, &st, err, sizeof err);
	if (rc != BT_OK)
		fail_msg("open %s: %s", dir, err);
	return st;
}

static void subdir(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", home, name);
}

static void write_read_everything(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	subdir(dir, sizeof dir, "a/b/c"); /* created on open, parents too */
	struct bt_store *st = open_ok(dir);
	int64_t id = 0, id2 = 0;
	assert_int_equal(bt_store_case_new(st, "iPhone X no boot", &id), BT_OK);
	assert_int_equal(bt_store_case_new(st, NULL, &id2), BT_OK);
	assert_true(id > 0 && id2 > id);
	assert_int_equal(bt_store_case_set(st, id, "ecid", "0x001A2B3C4D5E6F"), BT_OK);
	assert_int_equal(bt_store_case_set(st, id, "board", "iphonex"), BT_OK);
	assert_int_equal(bt_store_case_set(st, id, "nonsense", "x"), BT_ERR_ARG);
	struct bt_evidence e = { "restore.status", "6", "restore.log", 42, -1, "Status: 6" };
	assert_int_equal(bt_store_add_evidence(st, id, &e), BT_OK);
	struct bt_evset *set = bt_evset_new();
	bt_evset_add(set, "supply.pattern", "boot_loop", "supply", 0, 12.5, "");
	bt_evset_add(set, "iboot.mode", "Recovery", "recovery", 0, 3.0, "MODE: Recovery");
	assert_int_equal(bt_store_add_evset(st, id, set), BT_OK);
	bt_evset_free(set);
	static const char log[] = "line one\nline\0two\n";
	int64_t att = 0;
	assert_int_equal(bt_store_add_attempt(st, id, "restore.log", 1000.0, log, sizeof log - 1, &att),
			 BT_OK);
	assert_int_equal(bt_store_attempt_append(st, att, "three\n", 6), BT_OK);
	assert_int_equal(bt_store_attempt_append(st, 999999, "x", 1), BT_ERR_DATA);
	int64_t rec = 0, tr = 0;
	assert_int_equal(bt_store_add_recording(st, id, "dfu.rec", -1, "MODE DFU\n", 9, &rec), BT_OK);
	assert_int_equal(bt_store_trace_new(st, id, "psu", 1000.0, 10.0, &tr), BT_OK);
	struct bt_sample s[250];
	for (size_t i = 0; i < 250; i++)
		s[i] = (struct bt_sample){ (double)i / 10.0, 0.05 + (double)(i % 20) / 100.0, 5.0 };
	assert_int_equal(bt_store_trace_add(st, tr, s, 100), BT_OK);
	assert_int_equal(bt_store_trace_add(st, tr, s + 100, 150), BT_OK);
	assert_int_equal(bt_store_add_marker(st, tr, 4.5, "wait_for_storage"), BT_OK);
	assert_int_equal(bt_store_add_test(st, id, "front_flex_disconnect", "restore_passed", 10, 20,
					   "flex off"), BT_OK);
	assert_int_equal(bt_store_add_test(st, id, "", "x", 0, 0, NULL), BT_ERR_ARG);
	assert_int_equal(bt_store_add_symptom(st, id, "no_boot"), BT_OK);
	assert_int_equal(bt_store_add_note(st, id, "customer dropped it"), BT_OK);
	assert_int_equal(bt_store_set_verdict(st, id, "nand", 0, "first try"), BT_OK);
	assert_int_equal(bt_store_set_verdict(st, id, "earpiece_flex", 1, NULL), BT_OK);
	const char *rk[] = { "nand", "earpiece_flex" };
	const double rp[] = { 0.4, 0.3 };
	assert_int_equal(bt_store_add_ranking(st, id, "iphonex", 2, rk, rp), BT_OK);
	rk[0] = "earpiece_flex";
	rk[1] = "nand";
	assert_int_equal(bt_store_add_ranking(st, id, "iphonex", 2, rk, rp), BT_OK);
	assert_int_equal(bt_store_check(st), BT_OK);
	bt_store_close(st);

	/* Reopen: everything is there, in order. */
	st = open_ok(dir);
	struct bt_case *c = NULL;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	assert_string_equal(c->label, "iPhone X no boot");
	assert_string_equal(c->ecid, "0x001A2B3C4D5E6F");
	assert_string_equal(c->board, "iphonex");
	assert_null(c->serial);
	assert_int_equal(bt_evset_count(c->evidence), 3);
	const struct bt_evidence *got = bt_evset_at(c->evidence, 0);
	assert_string_equal(got->key, "restore.status");
	assert_int_equal(got->line, 42);
	assert_string_equal(got->excerpt, "Status: 6");
	assert_true(bt_evset_at(c->evidence, 1)->time_s > 12.4);
	assert_int_equal(c->nattempts, 1);
	assert_string_equal(c->attempts[0].log, "line one\nline two\nthree\n"); /* NUL became space */
	assert_int_equal(c->nrecordings, 1);
	assert_int_equal(c->ntraces, 1);
	assert_int_equal(c->traces[0].nsamples, 250);
	assert_true(c->traces[0].samples[249].t > 24.8);
	assert_int_equal(c->traces[0].nmarkers, 1);
	assert_int_equal(c->ntests, 1);
	assert_string_equal(c->tests[0].note, "flex off");
	assert_int_equal(c->nsymptoms, 1);
	assert_int_equal(c->nnotes, 1);
	assert_string_equal(c->verdict_part, "earpiece_flex"); /* the newest verdict counts */
	assert_int_equal(c->verdict_fixed, 1);
	assert_int_equal(c->nrankings, 2); /* the latest analysis only, in rank order */
	assert_string_equal(c->rankings[0].hyp, "earpiece_flex");
	assert_string_equal(c->rankings[1].hyp, "nand");
	bt_case_free(c);
	/* No such case: a clear error, and writes referring to it are refused. */
	assert_int_equal(bt_store_load(st, 12345, &c), BT_ERR_DATA);
	assert_non_null(strstr(bt_store_error(st), "no such case"));
	assert_int_equal(bt_store_case_check(st, 12345), BT_ERR_DATA);
	assert_int_equal(bt_store_add_note(st, 12345, "x"), BT_ERR_DATA);
	int64_t *ids;
	size_t n;
	assert_int_equal(bt_store_verdict_cases(st, &ids, &n), BT_OK);
	assert_int_equal(n, 1);
	assert_true(ids[0] == id);
	free(ids);
	bt_store_close(st);
}

static void ids_parse(void **state)
{
	(void)state;
	int64_t id;
	assert_int_equal(bt_case_id_parse("17", &id), BT_OK);
	assert_true(id == 17);
	assert_int_equal(bt_case_id_parse("0", &id), BT_ERR_ARG);
	assert_int_equal(bt_case_id_parse("-3", &id), BT_ERR_ARG);
	assert_int_equal(bt_case_id_parse("12a", &id), BT_ERR_ARG);
	assert_int_equal(bt_case_id_parse("", &id), BT_ERR_ARG);
	assert_int_equal(bt_case_id_parse("99999999999999999999999", &id), BT_ERR_ARG);
}

static void schema_version_and_newer_store(void **state)
{
	(void)state;
	char dir[PATH_MAX], db[PATH_MAX + 16];
	subdir(dir, sizeof dir, "ver");
	bt_store_close(open_ok(dir));
	snprintf(db, sizeof db, "%s/cases.db", dir);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), BT_STORE_SCHEMA_VERSION);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	char err[1024] = "";
	struct bt_store *st = NULL;
	assert_int_equal(bt_store_open(dir, &st, err, sizeof err), BT_ERR_DATA);
	assert_null(st);
	assert_non_null(strstr(err, "newer"));
	/* Not a database at all. */
	subdir(dir, sizeof dir, "junk");
	mkdir(dir, 0700);
	snprintf(db, sizeof db, "%s/cases.db", dir);
	FILE *f = fopen(db, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not sqlite\n", f);
	fclose(f);
	assert_int_equal(bt_store_open(dir, &st, err, sizeof err), BT_ERR_DATA);
}

/* Reads exactly n bytes unless EOF. */
static size_t read_all(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)r;
	}
	return got;
}

static void disk_full_is_clean_error(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	subdir(dir, sizeof dir, "full");
	struct bt_store *st = open_ok(dir);
	int64_t id;
	assert_int_equal(bt_store_case_new(st, "full disk", &id), BT_OK);
	bt_store_close(st);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 512 * 1024, 512 * 1024 };
		setrlimit(RLIMIT_FSIZE, &rl);
		struct bt_store *cst = open_ok(dir);
		static char log[64 * 1024];
		for (size_t i = 0; i < sizeof log; i++)
			log[i] = (char)('a' + i % 26);
		int rc = BT_OK;
		for (int32_t i = 0; i < 1000; i++) {
			log[0] = (char)('A' + i % 26);
			rc = bt_store_add_attempt(cst, id, "big.log", -1, log, sizeof log, NULL);
			if (rc != BT_OK)
				break;
			if (write(fds[1], &i, sizeof i) != sizeof i)
				_exit(3);
		}
		int32_t end = -1;
		if (write(fds[1], &end, sizeof end) < 0 || write(fds[1], &rc, sizeof rc) < 0)
			_exit(3);
		const char *msg = bt_store_error(cst);
		if (write(fds[1], msg, strlen(msg) + 1) < 0)
			_exit(3);
		_exit(0); /* as if the program gave up: no clean close */
	}
	close(fds[1]);
	int32_t v, committed = 0;
	while (read_all(fds[0], &v, sizeof v) == sizeof v && v >= 0)
		committed = v + 1;
	int rc = 0;
	char msg[2048] = "";
	assert_int_equal(read_all(fds[0], &rc, sizeof rc), sizeof rc);
	read_all(fds[0], msg, sizeof msg - 1);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("disk full after %d attempts: %s\n", (int)committed, msg);
	assert_int_equal(rc, BT_ERR_IO);
	assert_true(committed > 0 && committed < 1000);
	assert_non_null(strstr(msg, "disk full"));
	/* Everything committed before the failure is there, whole. */
	st = open_ok(dir);
	assert_int_equal(bt_store_check(st), BT_OK);
	struct bt_case *c;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	assert_int_equal(c->nattempts, (size_t)committed);
	for (size_t i = 0; i < c->nattempts; i++) {
		assert_int_equal(c->attempts[i].len, 64 * 1024);
		assert_int_equal(c->attempts[i].log[0], 'A' + (int)(i % 26));
	}
	bt_case_free(c);
	/* And the store still takes writes once there is room. */
	assert_int_equal(bt_store_add_note(st, id, "room again"), BT_OK);
	bt_store_close(st);
}

/* Runs fn in a child without root's override of file permissions. */
static int as_nobody(void (*fn)(const char *dir, int fd), const char *dir, int *rc, char *msg,
		     size_t msglen)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(5);
		fn(dir, fds[1]);
		_exit(0);
	}
	close(fds[1]);
	read_all(fds[0], rc, sizeof *rc);
	size_t got = read_all(fds[0], msg, msglen - 1);
	msg[got] = '\0';
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void try_write(const char *dir, int fd)
{
	char err[1024] = "";
	struct bt_store *st = NULL;
	int rc = bt_store_open(dir, &st, err, sizeof err);
	if (rc == BT_OK) {
		int64_t id;
		rc = bt_store_case_new(st, "should not land", &id);
		snprintf(err, sizeof err, "%s", bt_store_error(st));
		bt_store_close(st);
	}
	if (write(fd, &rc, sizeof rc) < 0 || write(fd, err, strlen(err) + 1) < 0)
		_exit(3);
}

static void read_only_home(void **state)
{
	(void)state;
	char dir[PATH_MAX], fresh[PATH_MAX + 8];
	subdir(dir, sizeof dir, "ro");
	struct bt_store *st = open_ok(dir);
	int64_t id;
	assert_int_equal(bt_store_case_new(st, "before", &id), BT_OK);
	bt_store_close(st);
	/* Writable by its owner only: for another user this home is read-only. */
	assert_int_equal(chmod(home, 0755), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	int rc = 0;
	char msg[1024];
	assert_int_equal(as_nobody(try_write, dir, &rc, msg, sizeof msg), 0);
	print_message("read-only home: %s\n", msg);
	assert_int_equal(rc, BT_ERR_IO);
	assert_true(strlen(msg) > 10);
	/* A home that cannot even be created. */
	snprintf(fresh, sizeof fresh, "%s/sub", dir);
	assert_int_equal(as_nobody(try_write, fresh, &rc, msg, sizeof msg), 0);
	assert_int_equal(rc, BT_ERR_IO);
	assert_non_null(strstr(msg, "cannot create"));
	assert_int_equal(chmod(dir, 0700), 0);
	st = open_ok(dir);
	assert_int_equal(bt_store_check(st), BT_OK);
	struct bt_case *c;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	assert_string_equal(c->label, "before");
	bt_case_free(c);
	assert_int_equal(bt_store_load(st, id + 1, &c), BT_ERR_DATA);
	bt_store_close(st);
}

static void export_import_round_trip(void **state)
{
	(void)state;
	char dir[PATH_MAX], pack[PATH_MAX + 8];
	subdir(dir, sizeof dir, "pack-store");
	snprintf(pack, sizeof pack, "%s/pack", home);
	struct bt_store *st = open_ok(dir);
	int64_t id;
	assert_int_equal(bt_store_case_new(st, "round trip", &id), BT_OK);
	assert_int_equal(bt_store_case_set(st, id, "serial", "F2LXK0ABCDEF"), BT_OK);
	static const char log[] = "ERROR: Unable to restore device\nStatus: 6\n";
	assert_int_equal(bt_store_add_attempt(st, id, "r.log", 1000, log, sizeof log - 1, NULL), BT_OK);
	struct bt_evidence tech = { "restore.error", "4013", "technician", 0, -1, "" };
	assert_int_equal(bt_store_add_evidence(st, id, &tech), BT_OK);
	struct bt_evidence sym = { "symptom.no_boot", "yes", "technician", 0, -1, "" };
	assert_int_equal(bt_store_add_evidence(st, id, &sym), BT_OK);
	int64_t tr;
	assert_int_equal(bt_store_trace_new(st, id, "psu", 1000, 5, &tr), BT_OK);
	struct bt_sample s[3] = { { 0, 0.01, 5 }, { 0.2, 0.25, 5 }, { 0.4, 0.07, -1 } };
	assert_int_equal(bt_store_trace_add(st, tr, s, 3), BT_OK);
	assert_int_equal(bt_store_add_marker(st, tr, 0.2, "power button"), BT_OK);
	assert_int_equal(bt_store_add_test(st, id, "dfu_restore", "restore_failed", 1, 2, NULL), BT_OK);
	assert_int_equal(bt_store_add_symptom(st, id, "no_boot"), BT_OK);
	assert_int_equal(bt_store_add_note(st, id, "note <&>"), BT_OK);
	assert_int_equal(bt_store_set_verdict(st, id, "nand", 1, "replaced"), BT_OK);
	char err[1024] = "";
	assert_int_equal(bt_case_export(st, id, pack, err, sizeof err), BT_OK);
	/* A second export into the same directory is refused rather than mixed. */
	assert_int_equal(bt_case_export(st, id, pack, err, sizeof err), BT_ERR_ARG);
	int64_t id2 = 0;
	assert_int_equal(bt_case_import(st, pack, NULL, &id2, NULL, NULL, err, sizeof err), BT_OK);
	assert_true(id2 != id);
	struct bt_case *a, *b;
	assert_int_equal(bt_store_load(st, id, &a), BT_OK);
	assert_int_equal(bt_store_load(st, id2, &b), BT_OK);
	assert_string_equal(b->label, a->label);
	assert_string_equal(b->serial, "F2LXK0ABCDEF");
	assert_int_equal(b->nattempts, 1);
	assert_string_equal(b->attempts[0].log, a->attempts[0].log);
	assert_string_equal(b->attempts[0].name, "r.log");
	assert_int_equal(b->ntraces, 1);
	assert_int_equal(b->traces[0].nsamples, 3);
	assert_true(b->traces[0].samples[1].current_a > 0.2499 && b->traces[0].samples[1].current_a < 0.2501);
	assert_true(b->traces[0].samples[2].voltage_v < 0); /* unknown stays unknown */
	assert_int_equal(b->traces[0].nmarkers, 1);
	assert_string_equal(b->traces[0].markers[0].label, "power button");
	assert_int_equal(b->ntests, 1);
	assert_int_equal(b->nsymptoms, 1);
	assert_int_equal(b->nnotes, 1);
	assert_string_equal(b->notes[0].text, "note <&>");
	assert_string_equal(b->verdict_part, "nand");
	assert_int_equal(b->verdict_fixed, 1);
	/* The technician's typed items survive; log evidence is derived again, not copied. */
	assert_string_equal(bt_evset_value(b->evidence, "restore.error"), "4013");
	assert_string_equal(bt_evset_value(b->evidence, "symptom.no_boot"), "yes");
	bt_case_free(a);
	bt_case_free(b);
	/* A directory without case.json, and a case.json of something else. */
	char junk[PATH_MAX + 16];
	snprintf(junk, sizeof junk, "%s/junkpack", home);
	mkdir(junk, 0700);
	assert_int_equal(bt_case_import(st, junk, NULL, &id2, NULL, NULL, err, sizeof err), BT_ERR_IO);
	char jf[PATH_MAX + 32];
	snprintf(jf, sizeof jf, "%s/case.json", junk);
	FILE *f = fopen(jf, "w");
	assert_non_null(f);
	fputs("{\"schema\": \"something/else\"}", f);
	fclose(f);
	assert_int_equal(bt_case_import(st, junk, NULL, &id2, NULL, NULL, err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, "not a benchtriage evidence pack"));
	/* A pack naming a file outside itself. */
	f = fopen(jf, "w");
	assert_non_null(f);
	fputs("{\"schema\": \"benchtriage.case/1\", \"attempts\": [{\"file\": \"../../etc/passwd\"}]}", f);
	fclose(f);
	assert_int_equal(bt_case_import(st, junk, NULL, &id2, NULL, NULL, err, sizeof err), BT_ERR_DATA);
	bt_store_close(st);
}

static void attach_from_analyze(void **state)
{
	(void)state;
	char dir[PATH_MAX], log[PATH_MAX + 16], csv[PATH_MAX + 16], rec[PATH_MAX + 16];
	subdir(dir, sizeof dir, "attach");
	setenv("BENCHTRIAGE_HOME", dir, 1);
	struct bt_store *st = open_ok(NULL);
	int64_t id;
	assert_int_equal(bt_store_case_new(st, "analyze", &id), BT_OK);
	bt_store_close(st);
	snprintf(log, sizeof log, "%s/r.log", home);
	snprintf(csv, sizeof csv, "%s/t.csv", home);
	snprintf(rec, sizeof rec, "%s/s.rec", home);
	FILE *f = fopen(log, "w");
	fputs("ERROR: Unable to restore device\n", f);
	fclose(f);
	f = fopen(csv, "w");
	fputs("time_s,current_a,voltage_v\n0.0,0.010,5.0\n0.1,0.120,5.0\n0.2,0.300,\n", f);
	fclose(f);
	f = fopen(rec, "w");
	fputs("MODE Recovery\n", f);
	fclose(f);
	struct bt_evset *ev = bt_evset_new();
	bt_evset_add(ev, "restore.outcome", "failed", log, 1, -1, "ERROR: Unable to restore device");
	const struct bt_hypothesis hyp[] = { { .id = "nand", .probability = 0.6 },
					     { .id = "usb_link", .probability = 0.4 } };
	const struct bt_diagnosis d = { .board = "iphone8", .nhyp = 2, .hyp = hyp };
	char idstr[32], err[1024] = "";
	snprintf(idstr, sizeof idstr, "%lld", (long long)id);
	const char *logs[] = { log };
	assert_int_equal(bt_case_attach_analysis(idstr, logs, 1, ev, &d, err, sizeof err), BT_OK);
	assert_int_equal(bt_case_attach_files(idstr, rec, csv, err, sizeof err), BT_OK);
	assert_int_equal(bt_case_attach_analysis("999", logs, 1, ev, &d, err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, "no such case"));
	assert_int_equal(bt_case_attach_analysis("x1", logs, 1, ev, &d, err, sizeof err), BT_ERR_DATA);
	const char *missing[] = { "/nonexistent/restore.log" };
	assert_int_equal(bt_case_attach_analysis(idstr, missing, 1, ev, &d, err, sizeof err), BT_ERR_IO);
	assert_non_null(strstr(err, "/nonexistent/restore.log"));
	f = fopen(csv, "w");
	fputs("time_s,current_a\n0.0,abc\n", f);
	fclose(f);
	assert_int_equal(bt_case_attach_files(idstr, NULL, csv, err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, ":2:")); /* names file and line */
	bt_evset_free(ev);
	st = open_ok(NULL);
	struct bt_case *c;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	assert_int_equal(c->nattempts, 1);
	assert_string_equal(c->attempts[0].log, "ERROR: Unable to restore device\n");
	assert_int_equal(bt_evset_count(c->evidence), 1);
	assert_int_equal(c->nrankings, 2);
	assert_string_equal(c->rankings[0].hyp, "nand");
	assert_int_equal(c->nrecordings, 1);
	assert_int_equal(c->ntraces, 2); /* the second, bad CSV left an empty trace */
	assert_int_equal(c->traces[0].nsamples, 3);
	assert_true(c->traces[0].samples[2].voltage_v < 0);
	bt_case_free(c);
	bt_store_close(st);
	unsetenv("BENCHTRIAGE_HOME");
}

static void trace_csv_lines(void **state)
{
	(void)state;
	char dir[PATH_MAX], csv[PATH_MAX + 16], err[1024];
	subdir(dir, sizeof dir, "csv");
	snprintf(csv, sizeof csv, "%s/c.csv", home);
	struct bt_store *st = open_ok(dir);
	int64_t id, tr;
	assert_int_equal(bt_store_case_new(st, NULL, &id), BT_OK);
	static const struct {
		const char *text;
		int rc;
		size_t samples;
	} cases[] = {
		{ "time_s,current_a,voltage_v\r\n0,0.1,5\r\n\r\n0.1,0.2\n0.2,0.3,\n", BT_OK, 3 },
		{ "0,0.1,5\n0.1,,5\n", BT_ERR_DATA, 0 },
		{ "0,0.1\nnan,0.2\n", BT_ERR_DATA, 0 },
		{ "0,0.1,5,extra\n", BT_ERR_DATA, 0 },
		{ "0;0.1\n", BT_ERR_DATA, 0 },
		{ "", BT_OK, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		FILE *f = fopen(csv, "w");
		assert_non_null(f);
		fputs(cases[i].text, f);
		fclose(f);
		assert_int_equal(bt_store_trace_new(st, id, "t", -1, 0, &tr), BT_OK);
		err[0] = '\0';
		assert_int_equal(bt_case_store_trace_csv(st, tr, csv, err, sizeof err), cases[i].rc);
		if (cases[i].rc != BT_OK)
			assert_non_null(strstr(err, "c.csv:"));
	}
	struct bt_case *c;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	assert_int_equal(c->traces[0].nsamples, cases[0].samples);
	assert_true(c->traces[0].samples[1].voltage_v < 0);
	assert_int_equal(c->traces[5].nsamples, 0);
	bt_case_free(c);
	assert_int_equal(bt_case_store_trace_csv(st, tr, "/nonexistent.csv", err, sizeof err), BT_ERR_IO);
	bt_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_read_everything),
		cmocka_unit_test(ids_parse),
		cmocka_unit_test(schema_version_and_newer_store),
		cmocka_unit_test(disk_full_is_clean_error),
		cmocka_unit_test(read_only_home),
		cmocka_unit_test(export_import_round_trip),
		cmocka_unit_test(attach_from_analyze),
		cmocka_unit_test(trace_csv_lines),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
