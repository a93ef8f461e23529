/* backend_replay.c — plays a recorded session back through the same interface as the USB
 * backend, so everything above (reading, watching, evidence, printing) runs unchanged on a
 * technician's recording or a test fixture. Events are posted at once, with their recorded
 * times, followed by an END event. */
#include "recovery/backend.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "recovery/recording.h"

struct replay_ctx {
	struct bt_rec_session *rec;
	bool connected;
};

void *bt_rec_replay_new(const char *path, int *err, char *errbuf, size_t errlen)
{
	struct replay_ctx *c = bt_xcalloc(1, sizeof *c);
	c->rec = bt_rec_session_new();
	int rc = bt_rec_parse_file(path, c->rec, errbuf, errlen);
	if (rc != BT_OK) {
		bt_rec_session_free(c->rec);
		free(c);
		*err = rc;
		return NULL;
	}
	*err = BT_OK;
	return c;
}

const char *bt_rec_replay_origin(const void *vctx)
{
	const struct replay_ctx *c = vctx;
	return c->rec->origin;
}

double bt_rec_replay_gone_t(const void *vctx)
{
	const struct replay_ctx *c = vctx;
	return c->rec->gone_t;
}

double bt_rec_replay_end_t(const void *vctx)
{
	const struct replay_ctx *c = vctx;
	return c->rec->end_t;
}

const struct bt_rec_session *bt_rec_replay_session(const void *vctx)
{
	const struct replay_ctx *c = vctx;
	return c->rec;
}

static int replay_connect(void *vctx)
{
	struct replay_ctx *c = vctx;
	if (!c->rec->has_info)
		return BT_ERR_NODEV;
	c->connected = true;
	return BT_OK;
}

static void replay_disconnect(void *vctx)
{
	struct replay_ctx *c = vctx;
	c->connected = false;
}

static int replay_read_info(void *vctx, struct bt_rec_info *info)
{
	struct replay_ctx *c = vctx;
	if (!c->connected)
		return BT_ERR_NODEV;
	*info = c->rec->info;
	return BT_OK;
}

static int replay_read_env(void *vctx, const char *name, enum bt_rec_env_state *state,
			   char *value, size_t cap)
{
	struct replay_ctx *c = vctx;
	if (!c->connected)
		return BT_ERR_NODEV;
	const struct bt_rec_env *e = bt_rec_session_env(c->rec, name);
	value[0] = '\0';
	if (!e) {
		/* Not in the recording: the phone stopped answering before it, or it was never asked. */
		if (c->rec->gone_t >= 0)
			return BT_ERR_GONE;
		*state = BT_REC_ENV_UNSET;
		return BT_OK;
	}
	*state = e->state;
	bt_rec_copy(value, cap, e->value);
	return BT_OK;
}

static int replay_watch(void *vctx, struct bt_rec_sink *sink)
{
	struct replay_ctx *c = vctx;
	double last = 0;
	for (size_t i = 0; i < c->rec->nevents; i++) {
		bt_rec_sink_post(sink, &c->rec->events[i]);
		last = c->rec->events[i].t;
	}
	struct bt_rec_event end = { .type = BT_REC_EV_END, .t = c->rec->end_t >= 0 ? c->rec->end_t : last };
	bt_rec_sink_post(sink, &end);
	return BT_OK;
}

static void replay_unwatch(void *vctx)
{
	(void)vctx;
}

static void replay_free(void *vctx)
{
	struct replay_ctx *c = vctx;
	if (!c)
		return;
	bt_rec_session_free(c->rec);
	free(c);
}

const struct bt_rec_backend bt_rec_replay_backend = {
	.name = "replay",
	.connect = replay_connect,
	.disconnect = replay_disconnect,
	.read_info = replay_read_info,
	.read_env = replay_read_env,
	.watch = replay_watch,
	.unwatch = replay_unwatch,
	.free = replay_free,
};
