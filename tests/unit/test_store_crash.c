/* kill -9 during writes, repeated: a child records items (evidence, restore logs, trace
 * batches, notes) and reports each one after the call returned BT_OK; the parent kills it at a
 * random moment. Afterwards the store must open cleanly, pass PRAGMA integrity_check, and hold
 * every item the child reported — nothing shown is ever lost. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/evidence.h"
#include "store/case_data.h"
#include "store/store.h"

#define ROUNDS 12
#define KINDS 4

static char home[512];

static int setup(void **state)
{
	(void)state;
	snprintf(home, sizeof home, "%s/bt-crash-test.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(home) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
	return system(cmd) == 0 ? 0 : -1;
}

/* The child: writes item after item until killed. Each report is (kind, n) after BT_OK. */
static void writer(int64_t id, int fd)
{
	char err[1024];
	struct bt_store *st;
	if (bt_store_open(home, &st, err, sizeof err) != BT_OK)
		_exit(2);
	int64_t trace;
	if (bt_store_trace_new(st, id, "psu", -1, 100, &trace) != BT_OK)
		_exit(2);
	static char log[8192];
	struct bt_sample batch[64];
	for (int32_t n = 0;; n++) {
		int32_t kind = n % KINDS;
		int rc;
		char key[32], value[32];
		switch (kind) {
		case 0:
			snprintf(key, sizeof key, "test.item_%d", n);
			snprintf(value, sizeof value, "v%d", n);
			rc = bt_store_add_evidence(st, id, &(struct bt_evidence){ key, value, "crash",
										 n, -1, "excerpt" });
			break;
		case 1:
			memset(log, 'a' + n % 26, sizeof log);
			snprintf(log, 32, "attempt %d\n", n);
			rc = bt_store_add_attempt(st, id, "live.log", -1, log, sizeof log, NULL);
			break;
		case 2:
			for (int i = 0; i < 64; i++)
				batch[i] = (struct bt_sample){ n + i / 64.0, 0.1, 5 };
			rc = bt_store_trace_add(st, trace, batch, 64);
			break;
		default:
			snprintf(value, sizeof value, "note %d", n);
			rc = bt_store_add_note(st, id, value);
		}
		if (rc != BT_OK)
			_exit(3);
		int32_t rep[2] = { kind, n };
		if (write(fd, rep, sizeof rep) != sizeof rep)
			_exit(4);
	}
}

static void check_round(int64_t id, const int32_t *reported, size_t nrep)
{
	char err[1024] = "";
	struct bt_store *st;
	assert_int_equal(bt_store_open(home, &st, err, sizeof err), BT_OK);
	assert_int_equal(bt_store_check(st), BT_OK);
	struct bt_case *c;
	assert_int_equal(bt_store_load(st, id, &c), BT_OK);
	size_t want[KINDS] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < nrep; i++) {
		int32_t n = reported[i];
		want[n % KINDS]++;
		if (n % KINDS == 0) {
			char key[32];
			snprintf(key, sizeof key, "test.item_%d", n);
			const struct bt_evidence *e = bt_evset_find(c->evidence, key);
			assert_non_null(e);
			assert_int_equal(e->line, n);
		}
	}
	/* At most one more item than reported can exist: committed, killed before reporting. */
	assert_true(bt_evset_count(c->evidence) >= want[0] && bt_evset_count(c->evidence) <= want[0] + 1);
	assert_true(c->nattempts >= want[1] && c->nattempts <= want[1] + 1);
	for (size_t i = 0; i < c->nattempts; i++)
		assert_int_equal(c->attempts[i].len, 8192); /* never a torn log */
	/* The trace is made before the first report: a child killed early (a busy machine) may
	 * have made none, and then it reported nothing. */
	assert_true(c->ntraces == 1 || (c->ntraces == 0 && nrep == 0));
	size_t samples = c->ntraces ? c->traces[0].nsamples : 0;
	assert_true(samples % 64 == 0); /* batches land whole or not at all */
	assert_true(samples >= want[2] * 64 && samples <= (want[2] + 1) * 64);
	assert_true(c->nnotes >= want[3] && c->nnotes <= want[3] + 1);
	bt_case_free(c);
	bt_store_close(st);
}

static void kill_during_writes(void **state)
{
	(void)state;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	size_t total = 0;
	for (int round = 0; round < ROUNDS; round++) {
		char err[1024] = "";
		struct bt_store *st;
		assert_int_equal(bt_store_open(home, &st, err, sizeof err), BT_OK);
		int64_t id;
		assert_int_equal(bt_store_case_new(st, "crash", &id), BT_OK);
		bt_store_close(st);
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer(id, fds[1]);
		}
		close(fds[1]);
		/* Let it write for 5-150 ms, collecting reports, then kill -9. */
		int32_t *rep = NULL;
		size_t nrep = 0, arep = 0;
		struct timespec t0, now;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		long budget_ms = 5 + rand() % 146;
		int killed = 0;
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long el = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
			if (!killed && el >= budget_ms) {
				kill(pid, SIGKILL);
				killed = 1;
			}
			struct pollfd p = { fds[0], POLLIN, 0 };
			if (poll(&p, 1, killed ? 1000 : 1) < 0 && errno != EINTR)
				break;
			if (!(p.revents & (POLLIN | POLLHUP)))
				continue;
			int32_t r[2];
			ssize_t got = read(fds[0], r, sizeof r);
			if (got == 0)
				break; /* child gone and pipe drained */
			if (got != (ssize_t)sizeof r)
				continue; /* a report torn by the kill: not counted */
			if (nrep == arep) {
				arep = arep ? arep * 2 : 256;
				rep = realloc(rep, arep * sizeof *rep);
				assert_non_null(rep);
			}
			rep[nrep++] = r[1];
		}
		close(fds[0]);
		int status;
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		check_round(id, rep, nrep);
		total += nrep;
		free(rep);
	}
	print_message("%d kills, %zu reported items all present\n", ROUNDS, total);
	assert_true(total > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kill_during_writes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
