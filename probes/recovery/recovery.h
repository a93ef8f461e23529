/* recovery.h — the recovery/DFU probe: what a phone in DFU, Recovery or WTF mode answers over USB.
 *
 * A handle reads one phone through a backend — libirecovery (a live USB bus) or the replay of a
 * recorded session file (docs/recording-format.md) — and keeps everything read in a session
 * (identity, iBoot variables, arrivals/departures/mode changes with monotonic times). Nothing
 * here ever writes to the phone: no setenv, saveenv, reboot or file sending.
 *
 * Watch mode: device events arrive on a libirecovery thread; they are handed to the caller's
 * thread through a pipe. Put bt_recovery_fd() in a poll() set; when it is readable call
 * bt_recovery_handle(), then take events with bt_recovery_next_event().
 *
 * Ownership: the handle owns its session, its pipe and its backend; pointers it returns stay
 * valid until the next call that changes the session, or bt_recovery_close(). Nothing prints. */
#ifndef BT_PROBES_RECOVERY_H
#define BT_PROBES_RECOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "recovery/session.h"

struct bt_recovery; /* opaque */

struct bt_recovery_opts {
	const char *replay_path; /* NULL: the live USB bus (libirecovery) */
};

/* Creates a handle. With replay_path the file is parsed now: BT_ERR_IO (unreadable) or
 * BT_ERR_DATA with errbuf "file:line: message". The USB backend touches no device here. */
int bt_recovery_new(struct bt_recovery **out, const struct bt_recovery_opts *opts,
		    char *errbuf, size_t errlen);
void bt_recovery_close(struct bt_recovery *h);

/* One attempt to find a phone, without waiting (instant; never the retrying open).
 * BT_OK or BT_ERR_NODEV. */
int bt_recovery_connect(struct bt_recovery *h);
/* Reads identity and (in Recovery) the iBoot variables into the session, connecting first (one
 * instant attempt) when not connected, and lets the live phone go afterwards (a restore tool
 * must be able to claim it). BT_OK, BT_ERR_NODEV (no phone) or BT_ERR_GONE (the phone stopped
 * answering). */
int bt_recovery_read(struct bt_recovery *h);

/* Starts following arrivals, departures and mode changes. BT_OK or a bt_err. */
int bt_recovery_watch(struct bt_recovery *h);
/* Read end of the event pipe (non-blocking), for poll(); -1 before bt_recovery_watch. */
int bt_recovery_fd(const struct bt_recovery *h);
/* Drains the pipe into the queue (call when the fd is readable; harmless otherwise).
 * Returns the number of events queued, or a negative bt_err. */
int bt_recovery_handle(struct bt_recovery *h);
/* Pops the oldest queued event into ev (also appended to the session). A departure drops the
 * connection, so call bt_recovery_connect() again on the next arrival. false when none. */
bool bt_recovery_next_event(struct bt_recovery *h, struct bt_rec_event *ev);
/* Events lost because the pipe was full (the watcher never blocks its thread). */
unsigned long bt_recovery_dropped(const struct bt_recovery *h);
/* Seconds since the handle was created, on the monotonic clock (replay: recording time). */
double bt_recovery_now(const struct bt_recovery *h);

const struct bt_rec_info *bt_recovery_info(const struct bt_recovery *h); /* NULL if none read */
/* The variable as read, NULL when it was not asked. */
const struct bt_rec_env *bt_recovery_env(const struct bt_recovery *h, const char *name);
/* Everything read so far (for evidence and --record). Marks the end time when asked. */
const struct bt_rec_session *bt_recovery_session(const struct bt_recovery *h);
void bt_recovery_mark_end(struct bt_recovery *h);
/* "usb" or "replay". */
const char *bt_recovery_backend_name(const struct bt_recovery *h);

#endif
