/* backend.h — internal to probes/recovery: the backend interface behind struct bt_recovery and
 * the event sink the watchers post to. Two backends: libirecovery (backend_irecv.c, the only file
 * that includes <libirecovery.h>) and replay of a recording (backend_replay.c). */
#ifndef BT_PROBES_RECOVERY_BACKEND_H
#define BT_PROBES_RECOVERY_BACKEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "recovery/session.h"

/* Where watch events go: the write end of the handle's self-pipe. Posting never blocks and is
 * safe from any thread; an event that does not fit is counted in `dropped`. */
struct bt_rec_sink {
	int wfd;
	struct timespec t0; /* monotonic start of the session */
	atomic_ulong dropped;
};
void bt_rec_sink_post(struct bt_rec_sink *sink, const struct bt_rec_event *ev);
/* Monotonic seconds since t0. */
double bt_rec_sink_now(const struct bt_rec_sink *sink);

struct bt_rec_backend {
	const char *name;
	/* One instant attempt to reach a phone: BT_OK or BT_ERR_NODEV. */
	int (*connect)(void *ctx);
	/* Forgets the phone (it left the bus): the next connect opens afresh. */
	void (*disconnect)(void *ctx);
	/* Identity of the connected phone: BT_OK, BT_ERR_NODEV (none) or BT_ERR_GONE. */
	int (*read_info)(void *ctx, struct bt_rec_info *info);
	/* One iBoot variable: BT_OK with *state set (value filled when VALUE), or BT_ERR_GONE /
	 * BT_ERR_NODEV. Only called in Recovery mode. */
	int (*read_env)(void *ctx, const char *name, enum bt_rec_env_state *state,
			char *value, size_t cap);
	/* Starts posting events to sink (from any thread) until unwatch. */
	int (*watch)(void *ctx, struct bt_rec_sink *sink);
	void (*unwatch)(void *ctx);
	void (*free)(void *ctx);
};

extern const struct bt_rec_backend bt_rec_irecv_backend;
void *bt_rec_irecv_new(void);

extern const struct bt_rec_backend bt_rec_replay_backend;
/* Parses the recording: NULL with errbuf set and *err = BT_ERR_IO / BT_ERR_DATA on failure. */
void *bt_rec_replay_new(const char *path, int *err, char *errbuf, size_t errlen);
/* The recording's own origin line ("" when it has none). */
const char *bt_rec_replay_origin(const void *ctx);
/* When the recorded phone stopped answering, < 0 never. */
double bt_rec_replay_gone_t(const void *ctx);
/* When the recording ended, < 0 unknown. */
double bt_rec_replay_end_t(const void *ctx);
/* The recorded session itself (owned by the replay context). */
const struct bt_rec_session *bt_rec_replay_session(const void *ctx);

/* libirecovery's irecv_error_t (as an int) to a bt_err: the one place this happens.
 * -1 (no device) and -3 (unable to connect: what a machine with no USB bus answers) are both
 * BT_ERR_NODEV. */
int bt_irecv_translate(int irecv_code);
/* libirecovery 1.0.0's own device table, the fallback when our boards/ have no profile:
 * fills product type and hardware model for (cpid, bdid); false when it does not list it. */
bool bt_irecv_table_lookup(unsigned cpid, unsigned bdid, char *product, size_t plen,
			   char *hwmodel, size_t hlen);

#endif
