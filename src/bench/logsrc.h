/* logsrc.h — where the restore log of the bench comes from: a recorded log replayed at its own
 * pace (demo), a file another program is writing (followed), or a restore command run under a
 * pseudo-terminal (so it line-buffers and prints its progress as on a terminal).
 *
 * Driven from the caller's poll() loop: put bt_logsrc_fd() in the set (command), and call
 * bt_logsrc_service() when it is readable or when bt_logsrc_deadline() has passed. Lines come
 * out through the callback with their line numbers. Never blocks; never writes to the command
 * (the restore tool's stdin is the pty, left alone). The source owns its file descriptors and
 * its child process; bt_logsrc_free() ends the child (SIGTERM, then reaps it). Nothing prints. */
#ifndef BT_BENCH_LOGSRC_H
#define BT_BENCH_LOGSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/linereader.h"

#define BT_LOGSRC_LINE_CAP 4096      /* bytes kept of one line */
#define BT_LOGSRC_REPLAY_MAX 200000  /* lines a replayed file may have */

enum bt_logsrc_kind { BT_LOGSRC_REPLAY, BT_LOGSRC_FOLLOW, BT_LOGSRC_COMMAND };

struct bt_logsrc;

/* Replays a finished log; speed multiplies the pace (1 = the log's own pace). BT_OK, BT_ERR_IO
 * (errbuf names the file), BT_ERR_DATA (too many lines). */
int bt_logsrc_replay(struct bt_logsrc **out, const char *path, double speed, double now,
		     char *errbuf, size_t errlen);
/* Follows a file being written; from_start reads what is already there first. The file may
 * not exist yet. */
int bt_logsrc_follow(struct bt_logsrc **out, const char *path, bool from_start,
		     char *errbuf, size_t errlen);
/* Runs argv[0] (PATH search) with argv under a new pseudo-terminal. BT_OK or BT_ERR_IO. */
int bt_logsrc_command(struct bt_logsrc **out, char *const argv[], char *errbuf, size_t errlen);
void bt_logsrc_free(struct bt_logsrc *s);

enum bt_logsrc_kind bt_logsrc_kind(const struct bt_logsrc *s);
const char *bt_logsrc_name(const struct bt_logsrc *s); /* path or the command line */
int bt_logsrc_fd(const struct bt_logsrc *s);           /* -1 when it has none to poll */
/* Absolute time (same clock as `now`) of the next call it wants, < 0 for none. */
double bt_logsrc_deadline(const struct bt_logsrc *s);
/* Reads what is there now and hands out the lines. BT_OK, or the callback's code. */
int bt_logsrc_service(struct bt_logsrc *s, double now, bt_line_cb cb, void *user);
/* Delivers everything left at once: the rest of a replayed file, what a followed file holds
 * now, or a command's whole output (this waits until the command ends). */
int bt_logsrc_drain(struct bt_logsrc *s, bt_line_cb cb, void *user);
bool bt_logsrc_ended(const struct bt_logsrc *s);
/* Exit status of the command (-1 while running or for other kinds). */
int bt_logsrc_exit_status(const struct bt_logsrc *s);
/* A new attempt: replay starts over (from `path` when not NULL), a command runs again, a
 * followed file continues from where it is. BT_OK or BT_ERR_IO. */
int bt_logsrc_restart(struct bt_logsrc *s, const char *path, double now, char *errbuf,
		      size_t errlen);

/* Replay only: seconds the rest of the log takes at speed 1, and changing the speed (> 0)
 * from now on. */
double bt_logsrc_remaining(const struct bt_logsrc *s);
void bt_logsrc_set_speed(struct bt_logsrc *s, double speed);

/* The replay pace: seconds to wait after this line before the next one, at speed 1. Lines
 * where a restore really waits (waiting for the device, sending images, checkpoints, status)
 * take longer than chatter. Pure. */
double bt_replay_delay(const char *line);

#endif
