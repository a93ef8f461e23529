/* bench_live — time to first output on a live log.
 *
 * A writer thread sends a restore log into a pipe one line at a time, as a restore running
 * beside us would. The reader feeds what arrives to the log scanner and notes when each new
 * step first shows in the summary. The reference is the same pipe read without analysis, so
 * the printed ratio is the cost the scanner adds to what the technician sees. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logs/logscan.h"

struct writer {
	int fd;
	char **lines;
	size_t n;
	double *sent; /* monotonic time each line was written */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *write_lines(void *arg)
{
	struct writer *w = arg;
	for (size_t i = 0; i < w->n; i++) {
		w->sent[i] = now();
		size_t len = strlen(w->lines[i]);
		if (write(w->fd, w->lines[i], len) != (ssize_t)len)
			break;
		/* A gap between lines so each arrives on its own, as in a live restore. */
		struct timespec gap = { 0, 200000 };
		nanosleep(&gap, NULL);
	}
	close(w->fd);
	return NULL;
}

/* Returns the mean latency (s) from a line's write to its effect being visible. */
static double run(char **lines, size_t n, int analyse, size_t *events)
{
	int p[2];
	if (pipe(p) != 0)
		exit(1);
	double *sent = calloc(n, sizeof *sent);
	struct writer w = { p[1], lines, n, sent };
	pthread_t th;
	pthread_create(&th, NULL, write_lines, &w);
	struct bt_logscan *sc = bt_logscan_new();
	bt_logscan_begin(sc, "live");
	char buf[65536];
	size_t seen_lines = 0, last_steps = 0;
	double total = 0;
	*events = 0;
	for (;;) {
		ssize_t r = read(p[0], buf, sizeof buf);
		if (r <= 0)
			break;
		double t = now();
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] == '\n')
				seen_lines++;
		size_t idx = seen_lines ? seen_lines - 1 : 0;
		if (analyse) {
			bt_logscan_feed(sc, buf, (size_t)r);
			const struct bt_restore *res = bt_logscan_result(sc);
			if (res->nsteps != last_steps) {
				last_steps = res->nsteps;
				total += now() - sent[idx];
				(*events)++;
			}
		} else {
			total += t - sent[idx];
			(*events)++;
		}
	}
	bt_logscan_end(sc);
	bt_logscan_free(sc);
	pthread_join(th, NULL);
	close(p[0]);
	free(sent);
	return *events ? total / (double)*events : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_live LOG\n");
		return 1;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	char **lines = NULL;
	size_t n = 0, alloc = 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			lines = realloc(lines, alloc * sizeof *lines);
		}
		lines[n++] = strdup(line);
	}
	free(line);
	fclose(f);
	size_t ev_ref = 0, ev_scan = 0;
	double ref = run(lines, n, 0, &ev_ref);
	double scan = run(lines, n, 1, &ev_scan);
	printf("live log %s: %zu lines\n", argv[1], n);
	printf("pipe read only (reference): mean %.1f us per line over %zu reads\n", ref * 1e6, ev_ref);
	printf("scanner step visible: mean %.1f us after the line was written (%zu step changes)\n",
	       scan * 1e6, ev_scan);
	if (ref > 0)
		printf("ratio scanner/reference latency: %.2f\n", scan / ref);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return 0;
}
