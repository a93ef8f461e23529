/* logsrc.c — replayed, followed and command-run restore logs. */
#include "bench/logsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#define FOLLOW_TICK_S 0.25 /* how often a followed file is looked at */
#define READ_CHUNK 65536   /* bytes read per service call and fd */

struct rline {
	char *text;
	long lineno;
};

struct bt_logsrc {
	enum bt_logsrc_kind kind;
	char *name;
	bool ended;
	/* replay */
	struct rline *lines;
	size_t nlines, alloc, next;
	double speed, due;
	/* follow */
	int fd;
	off_t offset;
	dev_t dev;
	ino_t ino;
	double next_look;
	/* command */
	char **argv;
	pid_t pid;
	int status;
	/* follow and command: bytes to lines */
	struct bt_linereader *lr;
	bt_line_cb cb;   /* set during a service call */
	void *user;
};

/* ---- pacing ------------------------------------------------------------------------- */

static bool has_ci(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return true;
	return false;
}

double bt_replay_delay(const char *line)
{
	if (!line || !*line)
		return 0.03;
	if (has_ci(line, "waiting for") || has_ci(line, "connecting"))
		return 1.2;
	if (has_ci(line, "error") || has_ci(line, "fail") || has_ci(line, "status:"))
		return 0.8;
	if (has_ci(line, "checkpoint"))
		return 0.5;
	if (has_ci(line, "sending") || has_ci(line, "uploading") || has_ci(line, "verifying") ||
	    has_ci(line, "updating") || has_ci(line, "restoring"))
		return 0.45;
	if (strchr(line, '%') || has_ci(line, "[===") || has_ci(line, "progress"))
		return 0.12;
	return 0.06;
}

/* ---- common ------------------------------------------------------------------------- */

static struct bt_logsrc *new_src(enum bt_logsrc_kind kind, const char *name)
{
	struct bt_logsrc *s = bt_xcalloc(1, sizeof *s);
	s->kind = kind;
	s->name = bt_xstrdup(name);
	s->fd = -1;
	s->pid = -1;
	s->status = -1;
	return s;
}

static int relay(const struct bt_line *line, void *user)
{
	struct bt_logsrc *s = user;
	return s->cb ? s->cb(line, s->user) : BT_OK;
}

static void free_lines(struct bt_logsrc *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i].text);
	free(s->lines);
	s->lines = NULL;
	s->nlines = s->alloc = s->next = 0;
}

static void end_child(struct bt_logsrc *s)
{
	if (s->pid > 0) {
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == 0) {
			kill(s->pid, SIGTERM);
			/* Give it a moment to go, then make sure (a restore tool may ignore TERM). */
			for (int i = 0; i < 20; i++) {
				struct timespec ts = { 0, 25 * 1000 * 1000 };
				if (waitpid(s->pid, &st, WNOHANG) != 0)
					break;
				nanosleep(&ts, NULL);
				if (i == 19) {
					kill(s->pid, SIGKILL);
					waitpid(s->pid, &st, 0);
				}
			}
		}
		s->pid = -1;
	}
}

void bt_logsrc_free(struct bt_logsrc *s)
{
	if (!s)
		return;
	end_child(s);
	if (s->fd >= 0)
		close(s->fd);
	free_lines(s);
	bt_linereader_free(s->lr);
	if (s->argv) {
		for (char **a = s->argv; *a; a++)
			free(*a);
		free(s->argv);
	}
	free(s->name);
	free(s);
}

enum bt_logsrc_kind bt_logsrc_kind(const struct bt_logsrc *s) { return s->kind; }
const char *bt_logsrc_name(const struct bt_logsrc *s) { return s->name; }
bool bt_logsrc_ended(const struct bt_logsrc *s) { return s->ended; }
int bt_logsrc_exit_status(const struct bt_logsrc *s) { return s->status; }

int bt_logsrc_fd(const struct bt_logsrc *s)
{
	return s->kind == BT_LOGSRC_COMMAND && !s->ended ? s->fd : -1;
}

double bt_logsrc_deadline(const struct bt_logsrc *s)
{
	if (s->ended)
		return -1;
	switch (s->kind) {
	case BT_LOGSRC_REPLAY: return s->due;
	case BT_LOGSRC_FOLLOW: return s->next_look;
	case BT_LOGSRC_COMMAND: return -1;
	}
	return -1;
}

/* ---- replay ------------------------------------------------------------------------- */

static int collect(const struct bt_line *line, void *user)
{
	struct bt_logsrc *s = user;
	if (s->nlines >= BT_LOGSRC_REPLAY_MAX)
		return BT_ERR_DATA;
	if (s->nlines == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 256;
		s->lines = bt_xrealloc(s->lines, s->alloc * sizeof *s->lines);
	}
	s->lines[s->nlines].text = bt_xstrndup(line->text, line->len);
	s->lines[s->nlines].lineno = line->lineno;
	s->nlines++;
	return BT_OK;
}

static int load_replay(struct bt_logsrc *s, const char *path, double now, char *errbuf,
		       size_t errlen)
{
	free_lines(s);
	int rc = bt_linereader_file(path, BT_LOGSRC_LINE_CAP, collect, s);
	if (rc == BT_ERR_IO) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (rc != BT_OK) {
		snprintf(errbuf, errlen, "%s:%zu: more than %d lines", path, s->nlines,
			 BT_LOGSRC_REPLAY_MAX);
		return rc;
	}
	free(s->name);
	s->name = bt_xstrdup(path);
	s->next = 0;
	s->due = now;
	s->ended = s->nlines == 0;
	return BT_OK;
}

int bt_logsrc_replay(struct bt_logsrc **out, const char *path, double speed, double now,
		     char *errbuf, size_t errlen)
{
	struct bt_logsrc *s = new_src(BT_LOGSRC_REPLAY, path);
	s->speed = speed > 0 ? speed : 1;
	int rc = load_replay(s, path, now, errbuf, errlen);
	if (rc != BT_OK) {
		bt_logsrc_free(s);
		return rc;
	}
	*out = s;
	return BT_OK;
}

static int emit_replay(struct bt_logsrc *s, bt_line_cb cb, void *user)
{
	const struct rline *l = &s->lines[s->next++];
	struct bt_line line = { l->text, strlen(l->text), l->lineno, false };
	s->due += bt_replay_delay(l->text) / s->speed;
	if (s->next >= s->nlines)
		s->ended = true;
	return cb(&line, user);
}

double bt_logsrc_remaining(const struct bt_logsrc *s)
{
	double sum = 0;
	for (size_t i = s->next; s->kind == BT_LOGSRC_REPLAY && i < s->nlines; i++)
		sum += bt_replay_delay(s->lines[i].text);
	return sum;
}

void bt_logsrc_set_speed(struct bt_logsrc *s, double speed)
{
	if (speed > 0)
		s->speed = speed;
}

/* ---- follow ------------------------------------------------------------------------- */

int bt_logsrc_follow(struct bt_logsrc **out, const char *path, bool from_start,
		     char *errbuf, size_t errlen)
{
	(void)errbuf;
	(void)errlen;
	struct bt_logsrc *s = new_src(BT_LOGSRC_FOLLOW, path);
	s->lr = bt_linereader_new(BT_LOGSRC_LINE_CAP, relay, s);
	struct stat st;
	if (!from_start && stat(path, &st) == 0)
		s->offset = st.st_size;
	*out = s;
	return BT_OK;
}

static int follow_read(struct bt_logsrc *s)
{
	struct stat st;
	if (stat(s->name, &st) != 0)
		return BT_OK; /* not there (yet, or moved away): look again later */
	if (s->fd >= 0 && (st.st_ino != s->ino || st.st_dev != s->dev)) {
		close(s->fd); /* replaced: a new log; read it from its start */
		s->fd = -1;
		s->offset = 0;
	}
	if (s->fd < 0) {
		s->fd = open(s->name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (s->fd < 0)
			return BT_OK;
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	if (st.st_size < s->offset)
		s->offset = 0; /* truncated and rewritten */
	char buf[READ_CHUNK];
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = pread(s->fd, buf, sizeof buf, s->offset);
		if (n <= 0)
			break;
		s->offset += n;
		int rc = bt_linereader_feed(s->lr, buf, (size_t)n);
		if (rc != BT_OK)
			return rc;
	}
	return BT_OK;
}

/* ---- command ------------------------------------------------------------------------ */

static char *join_argv(char *const argv[])
{
	struct bt_strbuf b;
	bt_strbuf_init(&b, 1024);
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			bt_strbuf_puts(&b, " ");
		bt_strbuf_puts(&b, argv[i]);
	}
	char *s = bt_strbuf_take(&b);
	bt_strbuf_done(&b);
	return s ? s : bt_xstrdup("");
}

static int spawn(struct bt_logsrc *s, char *errbuf, size_t errlen)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		snprintf(errbuf, errlen, "pseudo-terminal: %s", strerror(errno));
		if (master >= 0)
			close(master);
		return BT_ERR_IO;
	}
	const char *slave = ptsname(master);
	if (!slave) {
		snprintf(errbuf, errlen, "pseudo-terminal: %s", strerror(errno));
		close(master);
		return BT_ERR_IO;
	}
	char slave_path[256];
	snprintf(slave_path, sizeof slave_path, "%s", slave);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(errbuf, errlen, "fork: %s", strerror(errno));
		close(master);
		return BT_ERR_IO;
	}
	if (pid == 0) {
		/* Child: own session, the pty as controlling terminal and stdio. Only
		 * async-signal-safe calls until exec. */
		setsid();
		int fd = open(slave_path, O_RDWR);
		if (fd < 0)
			_exit(127);
		/* No LF -> CRLF: the log's own line endings come through as written. */
		struct termios tio;
		if (tcgetattr(fd, &tio) == 0) {
			tio.c_oflag &= ~(tcflag_t)ONLCR;
			tcsetattr(fd, TCSANOW, &tio);
		}
		close(master);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		execvp(s->argv[0], s->argv);
		_exit(127);
	}
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	s->fd = master;
	s->pid = pid;
	s->status = -1;
	s->ended = false;
	return BT_OK;
}

int bt_logsrc_command(struct bt_logsrc **out, char *const argv[], char *errbuf, size_t errlen)
{
	if (!argv || !argv[0]) {
		snprintf(errbuf, errlen, "no command given");
		return BT_ERR_ARG;
	}
	char *name = join_argv(argv);
	struct bt_logsrc *s = new_src(BT_LOGSRC_COMMAND, name);
	free(name);
	size_t n = 0;
	while (argv[n])
		n++;
	s->argv = bt_xcalloc(n + 1, sizeof *s->argv);
	for (size_t i = 0; i < n; i++)
		s->argv[i] = bt_xstrdup(argv[i]);
	s->lr = bt_linereader_new(BT_LOGSRC_LINE_CAP, relay, s);
	int rc = spawn(s, errbuf, errlen);
	if (rc != BT_OK) {
		bt_logsrc_free(s);
		return rc;
	}
	*out = s;
	return BT_OK;
}

static int command_read(struct bt_logsrc *s)
{
	char buf[READ_CHUNK];
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = read(s->fd, buf, sizeof buf);
		if (n > 0) {
			int rc = bt_linereader_feed(s->lr, buf, (size_t)n);
			if (rc != BT_OK)
				return rc;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return BT_OK;
		/* EOF, or EIO once the child and its children closed the pty. */
		int rc = bt_linereader_finish(s->lr);
		int st;
		if (s->pid > 0 && waitpid(s->pid, &st, 0) == s->pid) {
			s->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			s->pid = -1;
		}
		close(s->fd);
		s->fd = -1;
		s->ended = true;
		return rc;
	}
	return BT_OK;
}

/* ---- service ------------------------------------------------------------------------ */

int bt_logsrc_service(struct bt_logsrc *s, double now, bt_line_cb cb, void *user)
{
	if (s->ended)
		return BT_OK;
	int rc = BT_OK;
	s->cb = cb;
	s->user = user;
	switch (s->kind) {
	case BT_LOGSRC_REPLAY:
		/* A bounded burst per call keeps the screen responsive after a long stall. */
		for (int i = 0; i < 256 && !s->ended && s->due <= now && rc == BT_OK; i++)
			rc = emit_replay(s, cb, user);
		if (s->due < now - 1)
			s->due = now; /* do not race to catch up after a suspend */
		break;
	case BT_LOGSRC_FOLLOW:
		if (now >= s->next_look) {
			s->next_look = now + FOLLOW_TICK_S;
			rc = follow_read(s);
		}
		break;
	case BT_LOGSRC_COMMAND:
		if (s->fd >= 0)
			rc = command_read(s);
		break;
	}
	s->cb = NULL;
	s->user = NULL;
	return rc;
}

int bt_logsrc_drain(struct bt_logsrc *s, bt_line_cb cb, void *user)
{
	int rc = BT_OK;
	if (s->kind == BT_LOGSRC_REPLAY) {
		while (!s->ended && rc == BT_OK)
			rc = emit_replay(s, cb, user);
		return rc;
	}
	s->cb = cb;
	s->user = user;
	if (s->kind == BT_LOGSRC_COMMAND) {
		/* A command is read to its end: the one-shot analysis is of the whole restore. */
		while (rc == BT_OK && s->fd >= 0) {
			struct pollfd p = { s->fd, POLLIN, 0 };
			if (poll(&p, 1, 1000) < 0 && errno != EINTR)
				break;
			rc = command_read(s);
		}
	} else {
		rc = follow_read(s);
	}
	if (rc == BT_OK && s->kind == BT_LOGSRC_FOLLOW)
		rc = bt_linereader_finish(s->lr);
	s->cb = NULL;
	s->user = NULL;
	return rc;
}

int bt_logsrc_restart(struct bt_logsrc *s, const char *path, double now, char *errbuf,
		      size_t errlen)
{
	switch (s->kind) {
	case BT_LOGSRC_REPLAY:
		return load_replay(s, path ? path : s->name, now, errbuf, errlen);
	case BT_LOGSRC_FOLLOW:
		bt_linereader_free(s->lr);
		s->lr = bt_linereader_new(BT_LOGSRC_LINE_CAP, relay, s);
		return BT_OK;
	case BT_LOGSRC_COMMAND:
		end_child(s);
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		bt_linereader_free(s->lr);
		s->lr = bt_linereader_new(BT_LOGSRC_LINE_CAP, relay, s);
		return spawn(s, errbuf, errlen);
	}
	return BT_ERR_BUG;
}
