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
#include <unistd.h>

#include "core/eol.h"
#include "core/xalloc.h"

#define RA_SLOTS 4
#define RA_ENDS (BT_READAHEAD_CHUNK / 16) /* line ends listed per chunk (lines of 16 bytes) */

struct slot {
	char *buf;
	ssize_t len; /* > 0 bytes, 0 end of file, -1 error */
	int err;
	uint32_t *ends; /* line end offsets (open_lines), RA_ENDS of them at most */
	size_t nends;
	size_t upto;    /* ends lists every line end before this offset */
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

static ssize_t read_chunk(int fd, char *buf, int *err)
{
	ssize_t n;
	do
		n = read(fd, buf, BT_READAHEAD_CHUNK);
	while (n < 0 && errno == EINTR);
	*err = n < 0 ? errno : 0;
	return n;
}

/* Lists the line ends of a chunk, as many as fit. */
static void list_ends(struct slot *s)
{
	size_t len = (size_t)s->len;
	struct bt_eol eol;
	bt_eol_init(&eol, s->buf, len);
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
		int err;
		ssize_t n = read_chunk(ra->fd, s->buf, &err);
		s->len = n;
		s->err = err;
		s->nends = s->upto = 0;
		if (ra->lines && n > 0)
			list_ends(s);
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
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct bt_readahead *ra = bt_xcalloc(1, sizeof *ra);
	ra->fd = fd;
	ra->lines = lines;
	for (size_t i = 0; i < RA_SLOTS; i++) {
		ra->slot[i].buf = bt_xmalloc(BT_READAHEAD_CHUNK);
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

ssize_t bt_readahead_next_lines(struct bt_readahead *ra, const char **buf, const uint32_t **ends,
				size_t *nends, size_t *upto)
{
	*ends = NULL;
	*nends = *upto = 0;
	if (ra->ended) {
		errno = ra->end_err;
		return ra->end_len;
	}
	struct slot *s;
	if (!ra->threaded) {
		s = &ra->slot[0];
		s->len = read_chunk(ra->fd, s->buf, &s->err);
		s->nends = s->upto = 0;
		if (ra->lines && s->len > 0)
			list_ends(s);
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
	*buf = s->buf;
	*ends = s->ends;
	*nends = s->nends;
	*upto = s->upto;
	return s->len;
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
