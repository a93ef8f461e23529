/* recovery.c — the probe handle: a backend, the self-pipe that carries watch events from the
 * backend's thread to the caller's, and the session of everything read. */
#include "recovery/recovery.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "recovery/backend.h"

#define QUEUE_MAX 64
#ifndef BT_VERSION
#define BT_REC_VERSION "0.1.0"
#else
#define BT_REC_VERSION BT_VERSION
#endif

struct bt_recovery {
	const struct bt_rec_backend *be;
	void *ctx;
	struct bt_rec_sink sink;
	int rfd;
	bool watching, connected, replay;
	double last_t; /* newest event time (replay clock) */
	struct bt_rec_session *s;
	struct bt_rec_event queue[QUEUE_MAX];
	size_t qhead, qlen;
};

double bt_rec_sink_now(const struct bt_rec_sink *sink)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - sink->t0.tv_sec) + (double)(now.tv_nsec - sink->t0.tv_nsec) / 1e9;
}

void bt_rec_sink_post(struct bt_rec_sink *sink, const struct bt_rec_event *ev)
{
	/* One record per write, smaller than PIPE_BUF, so it is atomic and never interleaves. */
	ssize_t n;
	do
		n = write(sink->wfd, ev, sizeof *ev);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof *ev)
		atomic_fetch_add(&sink->dropped, 1UL);
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	int fdfl = fcntl(fd, F_GETFD);
	if (fdfl < 0 || fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

int bt_recovery_new(struct bt_recovery **out, const struct bt_recovery_opts *opts,
		    char *errbuf, size_t errlen)
{
	*out = NULL;
	struct bt_recovery *h = bt_xcalloc(1, sizeof *h);
	h->rfd = -1;
	h->sink.wfd = -1;
	atomic_init(&h->sink.dropped, 0UL);
	clock_gettime(CLOCK_MONOTONIC, &h->sink.t0);
	if (opts && opts->replay_path) {
		int err = BT_OK;
		h->ctx = bt_rec_replay_new(opts->replay_path, &err, errbuf, errlen);
		if (!h->ctx) {
			free(h);
			return err;
		}
		h->be = &bt_rec_replay_backend;
		h->replay = true;
	} else {
		h->ctx = bt_rec_irecv_new();
		h->be = &bt_rec_irecv_backend;
	}
	h->s = bt_rec_session_new();
	/* A replay keeps the recording's origin, so re-recording a replay changes nothing. */
	bt_rec_copy(h->s->origin, sizeof h->s->origin,
		    h->replay ? bt_rec_replay_origin(h->ctx) : "benchtriage " BT_REC_VERSION " usb");
	*out = h;
	return BT_OK;
}

void bt_recovery_close(struct bt_recovery *h)
{
	if (!h)
		return;
	if (h->watching)
		h->be->unwatch(h->ctx); /* the event thread is gone before the pipe closes */
	h->be->free(h->ctx);
	if (h->rfd >= 0)
		close(h->rfd);
	if (h->sink.wfd >= 0)
		close(h->sink.wfd);
	bt_rec_session_free(h->s);
	free(h);
}

int bt_recovery_connect(struct bt_recovery *h)
{
	int rc = h->be->connect(h->ctx);
	h->connected = rc == BT_OK;
	return rc;
}

/* When the phone stopped answering: now, or for a replay the time the recording says. */
static double gone_time(const struct bt_recovery *h)
{
	if (h->replay && bt_rec_replay_gone_t(h->ctx) >= 0)
		return bt_rec_replay_gone_t(h->ctx);
	return bt_recovery_now(h);
}

static int read_phone(struct bt_recovery *h)
{
	if (!h->connected && bt_recovery_connect(h) != BT_OK)
		return BT_ERR_NODEV;
	struct bt_rec_info info;
	int rc = h->be->read_info(h->ctx, &info);
	if (rc == BT_ERR_GONE)
		h->s->gone_t = gone_time(h);
	if (rc != BT_OK)
		return rc;
	h->s->info = info;
	h->s->has_info = true;
	bool ask = info.mode == BT_REC_MODE_RECOVERY; /* getenv needs iBoot; the DFU ROM has none */
	for (size_t i = 0; bt_rec_env_names[i]; i++) {
		const char *name = bt_rec_env_names[i];
		if (!ask) {
			bt_rec_session_set_env(h->s, name, BT_REC_ENV_NA, NULL, 0);
			continue;
		}
		enum bt_rec_env_state st = BT_REC_ENV_UNSET;
		char value[BT_REC_ENV_VALUE_MAX];
		rc = h->be->read_env(h->ctx, name, &st, value, sizeof value);
		if (rc == BT_ERR_GONE) {
			h->s->gone_t = gone_time(h);
			return rc;
		}
		if (rc != BT_OK)
			st = BT_REC_ENV_UNSET;
		/* a replay cites the recording's own line, as analyze --recording does */
		const struct bt_rec_env *rec =
			h->replay ? bt_rec_session_env(bt_rec_replay_session(h->ctx), name) : NULL;
		bt_rec_session_set_env(h->s, name, st, value, rec ? rec->line : 0);
	}
	return BT_OK;
}

/* The live phone is held only while it is read: a restore tool on this computer (the bench's
 * own --run, or idevicerestore in another terminal) must be able to claim it between reads. */
int bt_recovery_read(struct bt_recovery *h)
{
	int rc = read_phone(h);
	if (!h->replay && h->connected) {
		h->be->disconnect(h->ctx);
		h->connected = false;
	}
	return rc;
}

int bt_recovery_watch(struct bt_recovery *h)
{
	if (h->watching)
		return BT_OK;
	int fds[2];
	if (pipe(fds) != 0)
		return BT_ERR_IO;
	if (set_flags(fds[0]) != 0 || set_flags(fds[1]) != 0) {
		close(fds[0]);
		close(fds[1]);
		return BT_ERR_IO;
	}
	h->rfd = fds[0];
	h->sink.wfd = fds[1];
	int rc = h->be->watch(h->ctx, &h->sink);
	if (rc != BT_OK)
		return rc;
	h->watching = true;
	return BT_OK;
}

int bt_recovery_fd(const struct bt_recovery *h)
{
	return h->rfd;
}

int bt_recovery_handle(struct bt_recovery *h)
{
	if (h->rfd < 0)
		return 0;
	int added = 0;
	while (h->qlen < QUEUE_MAX) {
		struct bt_rec_event ev;
		ssize_t n = read(h->rfd, &ev, sizeof ev);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			return BT_ERR_IO;
		if (n == 0)
			break;
		if (n != (ssize_t)sizeof ev)
			return BT_ERR_BUG; /* records are written whole; a torn one means a bug */
		h->queue[(h->qhead + h->qlen) % QUEUE_MAX] = ev;
		h->qlen++;
		added++;
	}
	return added;
}

bool bt_recovery_next_event(struct bt_recovery *h, struct bt_rec_event *ev)
{
	if (h->qlen == 0)
		return false;
	*ev = h->queue[h->qhead];
	h->qhead = (h->qhead + 1) % QUEUE_MAX;
	h->qlen--;
	if (ev->t > h->last_t)
		h->last_t = ev->t;
	if (ev->type == BT_REC_EV_END)
		h->s->end_t = ev->t;
	else
		bt_rec_session_add_event(h->s, ev); /* past the cap the session keeps the first ones */
	if (ev->type == BT_REC_EV_LEAVE && h->connected) {
		h->be->disconnect(h->ctx); /* the old client is dead; a re-arrival opens a new one */
		h->connected = false;
	}
	return true;
}

unsigned long bt_recovery_dropped(const struct bt_recovery *h)
{
	return atomic_load(&((struct bt_recovery *)h)->sink.dropped);
}

double bt_recovery_now(const struct bt_recovery *h)
{
	return h->replay ? h->last_t : bt_rec_sink_now(&h->sink);
}

const struct bt_rec_info *bt_recovery_info(const struct bt_recovery *h)
{
	return h->s->has_info ? &h->s->info : NULL;
}

const struct bt_rec_env *bt_recovery_env(const struct bt_recovery *h, const char *name)
{
	return bt_rec_session_env(h->s, name);
}

const struct bt_rec_session *bt_recovery_session(const struct bt_recovery *h)
{
	return h->s;
}

void bt_recovery_mark_end(struct bt_recovery *h)
{
	if (h->replay && h->s->end_t >= 0)
		return; /* the recording's END event already said */
	double t = bt_recovery_now(h);
	if (h->replay && bt_rec_replay_end_t(h->ctx) > t)
		t = bt_rec_replay_end_t(h->ctx);
	if (h->s->gone_t > t)
		t = h->s->gone_t; /* a session never ends before its last observation */
	h->s->end_t = t;
}

const char *bt_recovery_backend_name(const struct bt_recovery *h)
{
	return h->be->name;
}
