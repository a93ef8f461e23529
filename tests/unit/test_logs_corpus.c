/* Every labelled corpus log against its label (tests/data/corpus/labels.tsv).
 *
 * The labels are data written outside this project: one cmocka test per row, built at run
 * time, so a new row is tested without touching this file. For each log the scanner's
 * result and its evidence must give the labelled format, product type, outcome, failed step,
 * step id, subsystem and status code. BT_CORPUS_DIR overrides the directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/evidence.h"
#include "core/xalloc.h"
#include "logs/logscan.h"

enum { C_FILE, C_FORMAT, C_PRODUCT, C_OUTCOME, C_STEP, C_STEP_ID, C_SUBSYSTEM, C_STATUS, C_MIN };

struct row {
	char *cols[C_MIN];
	char path[1024];
};

static const char *corpus_dir(void)
{
	const char *d = getenv("BT_CORPUS_DIR");
	return d && *d ? d : "tests/data/corpus";
}

/* "-" in a label means "none". */
static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void check_row(void **state)
{
	const struct row *r = *state;
	struct bt_logscan *sc = bt_logscan_new();
	assert_int_equal(bt_logscan_file(sc, r->path), 0);
	const struct bt_restore *res = bt_logscan_result(sc);
	char id[16] = "-", st[32] = "-";
	if (res->failed_step.name && res->failed_step.id >= 0)
		snprintf(id, sizeof id, "0x%04X", (unsigned)res->failed_step.id);
	if (res->has_status)
		snprintf(st, sizeof st, "%ld", res->status);
	print_message("%s: got %s %s %s %s %s %s %s\n", r->cols[C_FILE], or_dash(res->family),
		      or_dash(res->product_type), bt_outcome_name(res->outcome),
		      or_dash(res->failed_step.name), id, res->subsystem, st);
	assert_string_equal(or_dash(res->family), r->cols[C_FORMAT]);
	assert_string_equal(or_dash(res->product_type), r->cols[C_PRODUCT]);
	assert_string_equal(bt_outcome_name(res->outcome), r->cols[C_OUTCOME]);
	assert_string_equal(or_dash(res->failed_step.name), r->cols[C_STEP]);
	assert_string_equal(id, r->cols[C_STEP_ID]);
	assert_string_equal(res->subsystem, r->cols[C_SUBSYSTEM]);
	assert_string_equal(st, r->cols[C_STATUS]);

	/* The evidence says the same, with an origin in this file for what the log showed. */
	struct bt_evset *set = bt_evset_new();
	bt_logscan_evidence(sc, set);
	assert_string_equal(bt_evset_value(set, "restore.outcome"), r->cols[C_OUTCOME]);
	assert_string_equal(or_dash(bt_evset_value(set, "restore.failed_step")), r->cols[C_STEP]);
	assert_string_equal(or_dash(bt_evset_value(set, "restore.failed_step_id")), r->cols[C_STEP_ID]);
	assert_string_equal(bt_evset_value(set, "restore.subsystem"), r->cols[C_SUBSYSTEM]);
	assert_string_equal(or_dash(bt_evset_value(set, "restore.status")), r->cols[C_STATUS]);
	assert_string_equal(or_dash(bt_evset_value(set, "device.product_type")), r->cols[C_PRODUCT]);
	const struct bt_evidence *fs = bt_evset_find(set, "restore.failed_step");
	if (fs) {
		assert_string_equal(fs->source, r->path);
		assert_true(fs->line > 0);
		assert_true(fs->excerpt[0] != '\0');
	}
	bt_evset_free(set);
	bt_logscan_free(sc);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = bt_xmalloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len - 1 == 0)
			buf = bt_xrealloc(buf, cap *= 2);
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int main(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/labels.tsv", corpus_dir());
	char *text = read_all(path);
	if (!text) {
		fprintf(stderr, "test_logs_corpus: cannot read %s\n", path);
		return 1;
	}
	struct CMUnitTest *tests = NULL;
	struct row *rows = NULL;
	size_t n = 0, alloc = 0;
	bool header = true;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (header) { /* first line: column names */
			header = false;
			continue;
		}
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			rows = bt_xrealloc(rows, alloc * sizeof *rows);
		}
		struct row *r = &rows[n];
		memset(r, 0, sizeof *r);
		char *p = line;
		int c = 0;
		while (c < C_MIN && p) {
			r->cols[c++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (c < C_MIN) {
			fprintf(stderr, "test_logs_corpus: short row in labels.tsv: %s\n", line);
			return 1;
		}
		snprintf(r->path, sizeof r->path, "%s/%s", corpus_dir(), r->cols[C_FILE]);
		n++;
	}
	if (n < 20) {
		fprintf(stderr, "test_logs_corpus: only %zu labelled logs found\n", n);
		return 1;
	}
	tests = bt_xcalloc(n, sizeof *tests);
	for (size_t i = 0; i < n; i++) {
		tests[i].name = rows[i].cols[C_FILE];
		tests[i].test_func = check_row;
		tests[i].initial_state = &rows[i];
	}
	int rc = _cmocka_run_group_tests("logs_corpus", tests, n, NULL, NULL);
	free(tests);
	free(rows);
	free(text);
	return rc;
}
