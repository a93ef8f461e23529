/* readahead.c — a file read a few chunks ahead on a second thread (see readahead.h).
 *
 * A ring of RA_SLOTS chunks: the reading thread fills slots in order, the consumer takes them
 * in order and holds the one it is working on until its next call. One mutex and one
 * condition variable cover both directions (there are only two threads). */
#include "core/readahead.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/eol.h"
#include "core/xalloc.h"

#define RA_SLOTS 4
#define RA_ENDS (BT_READAHEAD_CHUNK / 16) /* line ends listed per chunk (lines of 16 bytes) */

struct slot {
	char *buf;      /* read() buffer, allocated when first needed */
	const char *data; /* buf */
	ssize_t len; /* > 0 bytes, 0 end of file, -1 error */
	int err;
	uint32_t *ends; /* line end offsets (open_lines), RA_ENDS of them at most */
	size_t nends;
	size_t upto;    /* ends lists every line end before this offset */
	bool esc;       /* holds an ESC byte (open_lines) */
};

struct bt_readahead {
	int fd;
	bool lines;   /* list line ends */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slot[RA_SLOTS];
	size_t head;  /* next slot the consumer takes */
	size_t ready; /* filled slots not taken yet */
	bool held;    /* the consumer holds the slot before head */
	bool stop;    /* close() asks the thread to end */
	bool ended;   /* the consumer has seen the end or an error */
	ssize_t end_len;
	int end_err;
};

static void list_ends(struct slot *s);

static ssize_t read_chunk(int fd, char *buf, int *err)
{
	ssize_t n;
	do
		n = read(fd, buf, BT_READAHEAD_CHUNK);
	while (n < 0 && errno == EINTR);
	*err = n < 0 ? errno : 0;
	return n;
}

/* Fills s with the next chunk. read(), not mmap: a log truncated by its writer while mapped
 * would kill the process with SIGBUS, and on this thread the copy costs no wall time (the
 * scanning thread is the slower one; measured: read() as fast as mapping, docs/PERFORMANCE.md). */
static void fill(struct bt_readahead *ra, struct slot *s)
{
	if (!s->buf)
		s->buf = bt_xmalloc(BT_READAHEAD_CHUNK);
	s->data = s->buf;
	s->len = read_chunk(ra->fd, s->buf, &s->err);
	s->nends = s->upto = 0;
	s->esc = false;
	if (ra->lines && s->len > 0) {
		list_ends(s);
		s->esc = memchr(s->data, 0x1B, (size_t)s->len) != NULL;
	}
}

/* Lists the line ends of a chunk, as many as fit. */
static void list_ends(struct slot *s)
{
	size_t len = (size_t)s->len;
	struct bt_eol eol;
	bt_eol_init(&eol, s->data, len);
	size_t k = 0;
	s->upto = len;
	for (;;) {
		size_t e = bt_eol_next(&eol);
		if (e == len)
			break;
		if (k == RA_ENDS) {
			s->upto = e; /* the consumer looks from here on itself */
			break;
		}
		s->ends[k++] = (uint32_t)e;
	}
	s->nends = k;
}

static void *reader(void *arg)
{
	struct bt_readahead *ra = arg;
	pthread_mutex_lock(&ra->mu);
	for (;;) {
		while (!ra->stop && ra->ready + (ra->held ? 1 : 0) >= RA_SLOTS)
			pthread_cond_wait(&ra->cv, &ra->mu);
		if (ra->stop)
			break;
		struct slot *s = &ra->slot[(ra->head + ra->ready) % RA_SLOTS];
		pthread_mutex_unlock(&ra->mu);
		/* this slot is neither ready nor held: the consumer does not touch it */
		fill(ra, s);
		ssize_t n = s->len;
		pthread_mutex_lock(&ra->mu);
		ra->ready++;
		pthread_cond_broadcast(&ra->cv);
		if (n <= 0)
			break;
	}
	pthread_mutex_unlock(&ra->mu);
	return NULL;
}

static struct bt_readahead *ra_open(const char *path, bool lines)
{
	/* "-": standard input (a restore tool piped in), on a descriptor of our own */
	int fd = strcmp(path, "-") == 0 ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
				       : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct bt_readahead *ra = bt_xcalloc(1, sizeof *ra);
	ra->fd = fd;
	ra->lines = lines;
	for (size_t i = 0; i < RA_SLOTS; i++) {
		if (lines)
			ra->slot[i].ends = bt_xmalloc(RA_ENDS * sizeof(uint32_t));
	}
	if (pthread_mutex_init(&ra->mu, NULL) == 0) {
		if (pthread_cond_init(&ra->cv, NULL) == 0) {
			if (pthread_create(&ra->thread, NULL, reader, ra) == 0)
				ra->threaded = true;
			else
				pthread_cond_destroy(&ra->cv);
		}
		if (!ra->threaded)
			pthread_mutex_destroy(&ra->mu);
	}
	return ra;
}

struct bt_readahead *bt_readahead_open(const char *path)
{
	return ra_open(path, false);
}

struct bt_readahead *bt_readahead_open_lines(const char *path)
{
	return ra_open(path, true);
}

ssize_t bt_readahead_next_chunk(struct bt_readahead *ra, struct bt_ra_chunk *c)
{
	memset(c, 0, sizeof *c);
	if (ra->ended) {
		errno = ra->end_err;
		return ra->end_len;
	}
	struct slot *s;
	if (!ra->threaded) {
		s = &ra->slot[0];
		fill(ra, s);
	} else {
		pthread_mutex_lock(&ra->mu);
		if (ra->held) {
			ra->held = false;
			pthread_cond_broadcast(&ra->cv);
		}
		while (ra->ready == 0)
			pthread_cond_wait(&ra->cv, &ra->mu);
		s = &ra->slot[ra->head];
		ra->head = (ra->head + 1) % RA_SLOTS;
		ra->ready--;
		ra->held = true;
		pthread_mutex_unlock(&ra->mu);
	}
	if (s->len <= 0) {
		ra->ended = true;
		ra->end_len = s->len;
		ra->end_err = s->err;
		errno = s->err;
		return s->len;
	}
	c->buf = s->data;
	c->len = (size_t)s->len;
	c->ends = s->ends;
	c->nends = s->nends;
	c->upto = s->upto;
	c->esc = s->esc;
	return s->len;
}

ssize_t bt_readahead_next_lines(struct bt_readahead *ra, const char **buf, const uint32_t **ends,
				size_t *nends, size_t *upto)
{
	struct bt_ra_chunk c;
	ssize_t n = bt_readahead_next_chunk(ra, &c);
	if (n > 0)
		*buf = c.buf;
	*ends = c.ends;
	*nends = c.nends;
	*upto = c.upto;
	return n;
}

ssize_t bt_readahead_next(struct bt_readahead *ra, const char **buf)
{
	const uint32_t *ends;
	size_t nends, upto;
	return bt_readahead_next_lines(ra, buf, &ends, &nends, &upto);
}

void bt_readahead_close(struct bt_readahead *ra)
{
	if (!ra)
		return;
	if (ra->threaded) {
		pthread_mutex_lock(&ra->mu);
		ra->stop = true;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		pthread_join(ra->thread, NULL);
		pthread_cond_destroy(&ra->cv);
		pthread_mutex_destroy(&ra->mu);
	}
	close(ra->fd);
	for (size_t i = 0; i < RA_SLOTS; i++) {
		free(ra->slot[i].buf);
		free(ra->slot[i].ends);
	}
	free(ra);
}
