/* Unit tests for the fast paths of log reading: the read-ahead file reader, the 64-byte line
 * end scan, and the indexed step / operation lookups (each must answer exactly what the plain
 * way answers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/eol.h"
#include "core/evidence.h"
#include "core/err.h"
#include "core/linereader.h"
#include "core/readahead.h"
#include "logs/lex.h"
#include "logs/logscan.h"
#include "logs/scan_priv.h"
#include "logs/steps.h"

/* A file of `size` pseudo-random bytes; returns its path (static buffer). */
static const char *temp_file(const unsigned char *data, size_t size)
{
	static char path[512];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/bt_scan_speed_XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	close(fd);
	return path;
}

static void readahead_gives_every_byte_in_order(void **state)
{
	(void)state;
	const size_t C = BT_READAHEAD_CHUNK;
	const size_t sizes[] = { 0, 1, C - 1, C, C + 1, 5 * C + 7, 9 * C };
	unsigned char *data = malloc(9 * C);
	assert_non_null(data);
	uint32_t x = 12345;
	for (size_t i = 0; i < 9 * C; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		const char *path = temp_file(data, sizes[k]);
		struct bt_readahead *ra = bt_readahead_open(path);
		assert_non_null(ra);
		size_t off = 0;
		for (;;) {
			const char *buf;
			ssize_t n = bt_readahead_next(ra, &buf);
			assert_true(n >= 0);
			if (n == 0)
				break;
			assert_true(off + (size_t)n <= sizes[k]);
			assert_memory_equal(buf, data + off, (size_t)n);
			off += (size_t)n;
		}
		assert_int_equal(off, sizes[k]);
		const char *buf;
		assert_int_equal(bt_readahead_next(ra, &buf), 0); /* the end stays the end */
		bt_readahead_close(ra);
		unlink(path);
	}
	free(data);
}

static void readahead_errors(void **state)
{
	(void)state;
	errno = 0;
	assert_null(bt_readahead_open("/nonexistent/bt_scan_speed"));
	assert_int_equal(errno, ENOENT);
	struct bt_readahead *ra = bt_readahead_open("/tmp"); /* a directory: read() fails */
	assert_non_null(ra);
	const char *buf;
	assert_int_equal(bt_readahead_next(ra, &buf), -1);
	assert_int_equal(errno, EISDIR);
	bt_readahead_close(ra);
	/* closing early, with the reading thread still ahead, is fine */
	unsigned char big[4096];
	memset(big, 'x', sizeof big);
	const char *path = temp_file(big, sizeof big);
	ra = bt_readahead_open(path);
	assert_non_null(ra);
	bt_readahead_close(ra);
	unlink(path);
}

static void eol_scan_matches_byte_loop(void **state)
{
	(void)state;
	char buf[300];
	uint32_t x = 7;
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % 300);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = (x >> 16) % 16;
			buf[i] = r == 0 ? '\n' : r == 1 && round % 3 ? '\r' : r == 2 ? '\0' : (char)('a' + r);
		}
		struct bt_eol e;
		bt_eol_init(&e, buf, len);
		size_t want = 0;
		for (;;) {
			while (want < len && buf[want] != '\n' && buf[want] != '\r')
				want++;
			size_t got = bt_eol_next(&e);
			assert_int_equal(got, want);
			if (want == len)
				break;
			want++;
		}
	}
}

static void lookups_match_a_walk(void **state)
{
	(void)state;
	char name[80];
	for (size_t i = 0; i < bt_steps_count(); i++) {
		const struct bt_step_info *row = bt_steps_at(i);
		const char *names[2] = { row->name, row->alias };
		for (int k = 0; k < 2; k++) {
			if (!names[k])
				continue;
			/* the first row whose name or alias matches, case-insensitively */
			const struct bt_step_info *want = NULL;
			for (size_t j = 0; j < bt_steps_count() && !want; j++) {
				const struct bt_step_info *r = bt_steps_at(j);
				if ((r->name && strcasecmp(r->name, names[k]) == 0) ||
				    (r->alias && strcasecmp(r->alias, names[k]) == 0))
					want = r;
			}
			assert_ptr_equal(bt_steps_by_name(names[k]), want);
			snprintf(name, sizeof name, "%s", names[k]);
			for (char *c = name; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
			assert_ptr_equal(bt_steps_by_name(name), want);
			assert_ptr_equal(bt_steps_by_name_n(name, strlen(name) - 1),
					 bt_steps_by_name_n(names[k], strlen(names[k]) - 1));
		}
		if (row->id >= 0) {
			assert_ptr_equal(bt_steps_by_id(row->id), row);
			assert_ptr_equal(bt_steps_by_id(row->id | 0x11070000), row);
		}
	}
	assert_null(bt_steps_by_name("no_such_step"));
	assert_null(bt_steps_by_name(""));
	assert_null(bt_steps_by_id(-1));
	for (size_t i = 0; i < bt_ops_count(); i++) {
		const struct bt_op_info *op = bt_ops_at(i);
		const struct bt_op_info *want = NULL;
		for (size_t j = 0; j < bt_ops_count() && !want; j++)
			if (strcasecmp(bt_ops_at(j)->text, op->text) == 0)
				want = bt_ops_at(j);
		size_t n = strlen(op->text);
		assert_ptr_equal(bt_ops_by_text(op->text, n), n >= 8 && n <= 40 ? want : NULL);
		assert_ptr_equal(bt_ops_by_number(op->op), op);
	}
	assert_null(bt_ops_by_number(-3));
	assert_null(bt_ops_by_number(100000));
	assert_null(bt_ops_by_text("Updating Nothing At All", 23));
}

/* ---- the line reader against a byte-at-a-time model of its contract ---------------------- */

struct got {
	char text[64 * 1024];
	size_t used;
	long lines;
};

/* Each line as "<lineno>:<truncated>:<len>:<text>\n", appended. */
static int record(const struct bt_line *line, void *user)
{
	struct got *g = user;
	assert_int_equal(strlen(line->text), line->len); /* NUL-terminated, no NUL inside */
	int k = snprintf(g->text + g->used, sizeof g->text - g->used, "%ld:%d:%zu:%s\n",
			 line->lineno, line->truncated ? 1 : 0, line->len, line->text);
	assert_true(k > 0 && (size_t)k < sizeof g->text - g->used);
	g->used += (size_t)k;
	g->lines++;
	return BT_OK;
}

/* The contract, one byte at a time: LF, CRLF and CR end lines; NUL becomes a space; the
 * first cap bytes of a longer line are kept and it is marked truncated. */
static void model(const char *in, size_t n, size_t cap, struct got *g)
{
	char line[4096];
	size_t len = 0;
	bool over = false, any = false;
	long no = 0;
	for (size_t i = 0; i <= n; i++) {
		bool end = i == n || in[i] == '\n' || in[i] == '\r';
		if (!end) {
			any = true;
			if (len < cap)
				line[len++] = in[i] == '\0' ? ' ' : in[i];
			else
				over = true;
			continue;
		}
		if (i == n && !any && !over)
			break;
		line[len] = '\0';
		struct bt_line l = { line, len, ++no, over };
		record(&l, g);
		len = 0;
		over = any = false;
		if (i < n && in[i] == '\r' && i + 1 < n && in[i + 1] == '\n')
			i++;
	}
}

static void linereader_matches_model(void **state)
{
	(void)state;
	static char in[3000];
	static struct got want, got;
	uint32_t x = 99;
	for (int round = 0; round < 400; round++) {
		size_t n = (size_t)(round * 7 % 3000);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = (x >> 16) % 64;
			in[i] = r < 3 ? '\n' : r < 5 ? '\r' : r < 6 ? '\0' : (char)('a' + r % 26);
		}
		if (round % 5 == 0) /* some long lines */
			for (size_t i = 0; i < n && i < 700; i++)
				in[i] = 'L';
		size_t cap = 16 + (size_t)(round % 90) * 7;
		memset(&want, 0, sizeof want);
		model(in, n, cap, &want);
		/* fed in pieces of every size from 1 byte to the whole */
		size_t piece = 1 + (size_t)round % (n + 1);
		memset(&got, 0, sizeof got);
		struct bt_linereader *lr = bt_linereader_new(cap, record, &got);
		for (size_t i = 0; i < n; i += piece)
			assert_int_equal(bt_linereader_feed(lr, in + i, n - i < piece ? n - i : piece), BT_OK);
		assert_int_equal(bt_linereader_finish(lr), BT_OK);
		assert_int_equal(bt_linereader_lines(lr), want.lines);
		bt_linereader_free(lr);
		assert_int_equal(got.used, want.used);
		assert_memory_equal(got.text, want.text, want.used);
		/* and from a file, where whole lines are handed out in place */
		const char *path = temp_file((const unsigned char *)in, n);
		memset(&got, 0, sizeof got);
		assert_int_equal(bt_linereader_file(path, cap, record, &got), BT_OK);
		unlink(path);
		assert_int_equal(got.used, want.used);
		assert_memory_equal(got.text, want.text, want.used);
	}
}

/* ---- line ends listed by the reading thread ---------------------------------------------- */

/* A log-like text of n bytes: corpus-shaped lines, runs of tiny lines (more line ends than a
 * chunk's list holds), CRLF and lone CR, a line longer than the scanner's cap. */
static void log_text(char *t, size_t n, uint32_t seed)
{
	static const char *const lines[] = {
		"Checkpoint 1607 complete with code 0\n",
		"[12:00:01.1234-GMT]{4>5} CHECKPOINT BEGIN: RESTORED:[0x0616] fdr_create\r\n",
		"Updating NAND Firmware (58)\n",
		"Sending NORData now...\r",
		"ERROR: Unable to restore device\n",
		"Status: Disk Failure\n",
	};
	size_t i = 0;
	uint32_t x = seed;
	while (i < n) {
		x = x * 1103515245u + 12345u;
		unsigned r = (x >> 16) % 40;
		if (r < 6) {
			for (const char *c = lines[r]; *c && i < n; c++)
				t[i++] = *c;
		} else if (r < 8) {
			for (int k = 0; k < 30000 && i < n; k++) /* tiny lines */
				t[i++] = k % 2 ? '\n' : 'x';
		} else if (r == 8) {
			for (int k = 0; k < 9000 && i < n; k++) /* longer than the cap */
				t[i++] = 'L';
		} else {
			t[i++] = r % 3 ? 'a' : '\n';
		}
	}
}

static size_t ends_at(const uint32_t *ends, size_t nends, size_t k)
{
	assert_true(k < nends);
	return ends[k];
}

/* ends[0..nends) lists exactly the LF and CR offsets of buf[0..upto). */
static void check_ends(const char *buf, size_t upto, const uint32_t *ends, size_t nends)
{
	size_t k = 0;
	for (size_t i = 0; i < upto; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			assert_int_equal(ends_at(ends, nends, k++), i);
	assert_int_equal(k, nends);
}

static void readahead_lists_every_line_end(void **state)
{
	(void)state;
	size_t n = 5 * BT_READAHEAD_CHUNK + 123;
	char *t = malloc(n);
	assert_non_null(t);
	log_text(t, n, 3);
	const char *path = temp_file((const unsigned char *)t, n);
	struct bt_readahead *ra = bt_readahead_open_lines(path);
	assert_non_null(ra);
	size_t off = 0, partial = 0;
	for (;;) {
		const char *buf;
		const uint32_t *ends;
		size_t nends, upto;
		ssize_t got = bt_readahead_next_lines(ra, &buf, &ends, &nends, &upto);
		assert_true(got >= 0);
		if (got == 0)
			break;
		assert_true(upto <= (size_t)got);
		partial += upto < (size_t)got;
		check_ends(buf, upto, ends, nends);
		assert_memory_equal(buf, t + off, (size_t)got);
		off += (size_t)got;
	}
	assert_int_equal(off, n);
	assert_true(partial > 0); /* the tiny-line runs overflowed some lists */
	bt_readahead_close(ra);
	unlink(path);
	free(t);
}


/* A regular file (several chunks, ESC bytes in some) and the same bytes through a pipe
 * give the same bytes, line ends and ESC flags. */
static void check_chunks(const char *path, const char *t, size_t n)
{
	struct bt_readahead *ra = bt_readahead_open_lines(path);
	assert_non_null(ra);
	size_t off = 0, escs = 0;
	for (;;) {
		struct bt_ra_chunk c;
		ssize_t got = bt_readahead_next_chunk(ra, &c);
		assert_true(got >= 0);
		if (got == 0)
			break;
		assert_int_equal(c.len, (size_t)got);
		assert_memory_equal(c.buf, t + off, c.len);
		assert_int_equal(c.esc != 0, memchr(c.buf, 0x1B, c.len) != NULL);
		escs += c.esc != 0;
		check_ends(c.buf, c.upto, c.ends, c.nends);
		off += c.len;
	}
	assert_int_equal(off, n);
	assert_true(escs > 0);
	bt_readahead_close(ra);
}

/* Every chunk's ESC flag and line ends, wherever the ESC byte sits (first byte, 64-byte
 * block edges, the tail after the last whole block, past a full line-end list). */
static void readahead_esc_anywhere(void **state)
{
	(void)state;
	const size_t C = BT_READAHEAD_CHUNK - 7; /* not a whole number of 64-byte blocks */
	const size_t at[] = { 0, 31, 32, 63, 64, C - 64, C - 33, C - 1, C / 2 + 5, (size_t)-1 };
	char *t = malloc(C);
	assert_non_null(t);
	for (int tiny = 0; tiny < 2; tiny++)
		for (size_t a = 0; a < sizeof at / sizeof at[0]; a++) {
			/* tiny: 2-byte lines overflow the list of line ends half-way */
			for (size_t i = 0; i < C; i++)
				t[i] = tiny ? (i % 2 ? '\n' : 'x')
					    : (i % 53 == 52 ? '\n' : (i % 97 == 5 ? '\r' : 'q'));
			if (at[a] != (size_t)-1)
				t[at[a]] = 0x1B;
			const char *path = temp_file((const unsigned char *)t, C);
			struct bt_readahead *ra = bt_readahead_open_lines(path);
			assert_non_null(ra);
			struct bt_ra_chunk c;
			assert_int_equal(bt_readahead_next_chunk(ra, &c), (ssize_t)C);
			assert_int_equal(c.esc != 0, at[a] != (size_t)-1);
			assert_int_equal(c.upto < C, tiny);
			check_ends(c.buf, c.upto, c.ends, c.nends);
			bt_readahead_close(ra);
			unlink(path);
		}
	free(t);
}

static void readahead_file_and_pipe_agree(void **state)
{
	(void)state;
	size_t n = 3 * BT_READAHEAD_CHUNK + 4321;
	char *t = malloc(n);
	assert_non_null(t);
	log_text(t, n, 11);
	t[BT_READAHEAD_CHUNK + 77] = 0x1B; /* only the second chunk holds an ESC */
	const char *path = temp_file((const unsigned char *)t, n);
	check_chunks(path, t, n);
	unlink(path);
	/* the same bytes through a FIFO: read() chunks */
	char fifo[600];
	snprintf(fifo, sizeof fifo, "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f = fopen(fifo, "wb");
		size_t w = f ? fwrite(t, 1, n, f) : 0;
		_exit(f && w == n && fclose(f) == 0 ? 0 : 1);
	}
	check_chunks(fifo, t, n);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	unlink(fifo);
	free(t);
}

static void same_restore(const struct bt_restore *a, const struct bt_restore *b)
{
	assert_int_equal(a->lines, b->lines);
	assert_int_equal(a->outcome, b->outcome);
	assert_int_equal(a->verdict_line, b->verdict_line);
	assert_int_equal(a->failed_step.line, b->failed_step.line);
	assert_int_equal(a->nsteps, b->nsteps);
	for (size_t i = 0; i < a->nsteps; i++) {
		assert_string_equal(a->steps[i].name, b->steps[i].name);
		assert_int_equal(a->steps[i].line, b->steps[i].line);
		assert_int_equal(a->steps[i].state, b->steps[i].state);
	}
	assert_int_equal(a->nerrors, b->nerrors);
	for (size_t i = 0; i < a->nerrors; i++)
		assert_string_equal(a->errors[i], b->errors[i]);
}

static void file_scan_equals_fed_scan(void **state)
{
	(void)state;
	size_t n = 6 * BT_READAHEAD_CHUNK + 77;
	char *t = malloc(n);
	assert_non_null(t);
	for (uint32_t seed = 1; seed <= 3; seed++) {
		log_text(t, n, seed);
		const char *path = temp_file((const unsigned char *)t, n);
		struct bt_logscan *a = bt_logscan_new();
		assert_int_equal(bt_logscan_file(a, path), 0);
		struct bt_logscan *b = bt_logscan_new();
		bt_logscan_begin(b, path);
		for (size_t i = 0; i < n; i += 4093) /* odd pieces: lines and CRLFs cut anywhere */
			bt_logscan_feed(b, t + i, n - i < 4093 ? n - i : 4093);
		bt_logscan_end(b);
		same_restore(bt_logscan_result(a), bt_logscan_result(b));
		/* the evidence quotes lines: the same excerpts whichever way the lines came */
		struct bt_evset *ea = bt_evset_new(), *eb = bt_evset_new();
		bt_logscan_evidence(a, ea);
		bt_logscan_evidence(b, eb);
		assert_int_equal(bt_evset_count(ea), bt_evset_count(eb));
		size_t excerpts = 0;
		for (size_t i = 0; i < bt_evset_count(ea); i++) {
			const struct bt_evidence *x = bt_evset_at(ea, i), *y = bt_evset_at(eb, i);
			assert_string_equal(x->key, y->key);
			assert_string_equal(x->value, y->value);
			assert_int_equal(x->line, y->line);
			assert_true((x->excerpt == NULL) == (y->excerpt == NULL));
			if (x->excerpt && y->excerpt) {
				assert_string_equal(x->excerpt, y->excerpt);
				excerpts += x->excerpt[0] != '\0';
			}
		}
		assert_true(excerpts > 0);
		bt_evset_free(ea);
		bt_evset_free(eb);
		assert_true(bt_logscan_result(a)->lines > 100000);
		bt_logscan_free(a);
		bt_logscan_free(b);
		unlink(path);
	}
	free(t);
}

/* ---- the inline number parsers answer what the lex.c ones answer ------------------------- */

static void inline_numbers_match_lex(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789xXaF-+ 9";
	char buf[32];
	uint32_t x = 5;
	for (int round = 0; round < 200000; round++) {
		x = x * 1103515245u + 12345u;
		size_t n = (x >> 16) % 24;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		if (round % 3 == 0 && n > 0)
			buf[0] = (char)('0' + round % 10);
		struct bt_lex a = { buf, n }, b = { buf, n };
		uint64_t ua = 1, ub = 1;
		assert_int_equal(ls_u64(&a, &ua), bt_lex_u64(&b, &ub));
		assert_true(ua == ub);
		assert_ptr_equal(a.s, b.s);
		assert_int_equal(a.n, b.n);
		struct bt_lex c = { buf, n }, d = { buf, n };
		long la = 1, lb = 1;
		assert_int_equal(ls_long(&c, &la), bt_lex_long(&d, &lb));
		assert_true(la == lb);
		assert_ptr_equal(c.s, d.s);
		assert_int_equal(c.n, d.n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readahead_gives_every_byte_in_order),
		cmocka_unit_test(readahead_errors),
		cmocka_unit_test(eol_scan_matches_byte_loop),
		cmocka_unit_test(lookups_match_a_walk),
		cmocka_unit_test(linereader_matches_model),
		cmocka_unit_test(readahead_lists_every_line_end),
		cmocka_unit_test(readahead_file_and_pipe_agree),
		cmocka_unit_test(readahead_esc_anywhere),
		cmocka_unit_test(file_scan_equals_fed_scan),
		cmocka_unit_test(inline_numbers_match_lex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
