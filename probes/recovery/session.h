/* session.h — what a recovery/DFU session holds: identity, iBoot variables and device events.
 *
 * Plain data with fixed, bounded fields so a session can be filled from a USB read, a recording
 * file or a fuzz input without any allocation driven by input. A session is heap-allocated by
 * bt_rec_session_new() (it is ~40 KB) and owns nothing else. Nothing here prints. */
#ifndef BT_PROBES_RECOVERY_SESSION_H
#define BT_PROBES_RECOVERY_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#define BT_REC_FORMAT_VERSION 1   /* recording format written and the newest read */
#define BT_REC_TEXT_MAX 128       /* srtg, srnm, imei, ecid, origin: bytes kept incl. NUL */
#define BT_REC_NONCE_MAX 132      /* hex nonce (64 bytes = 128 digits) incl. NUL */
#define BT_REC_ENV_NAME_MAX 64    /* iBoot variable name incl. NUL */
#define BT_REC_ENV_VALUE_MAX 256  /* libirecovery reads at most 255 bytes of an answer */
#define BT_REC_ENV_MAX 40         /* variables per session */
#define BT_REC_EVENTS_MAX 512     /* events per session (watch mode) */
#define BT_REC_TIME_MAX 1e7       /* seconds; a recording claiming more is malformed */

enum bt_rec_mode {
	BT_REC_MODE_UNKNOWN = 0,
	BT_REC_MODE_DFU,      /* boot ROM DFU, USB PID 0x1227 */
	BT_REC_MODE_RECOVERY, /* iBoot/iBEC recovery, PIDs 0x1280-0x1283 */
	BT_REC_MODE_WTF       /* PID 0x1222 */
};
const char *bt_rec_mode_name(enum bt_rec_mode m);     /* "DFU", "Recovery", "WTF", "unknown" */
bool bt_rec_mode_parse(const char *s, enum bt_rec_mode *out); /* exact names above */
enum bt_rec_mode bt_rec_mode_from_pid(unsigned pid);

/* Which numeric identity fields were reported. */
enum {
	BT_REC_F_CPID = 1u << 0,
	BT_REC_F_CPRV = 1u << 1,
	BT_REC_F_CPFM = 1u << 2,
	BT_REC_F_SCEP = 1u << 3,
	BT_REC_F_BDID = 1u << 4,
	BT_REC_F_IBFL = 1u << 5,
	BT_REC_F_PID = 1u << 6
};

struct bt_rec_info {
	enum bt_rec_mode mode;
	unsigned fields;                 /* BT_REC_F_* present */
	unsigned pid, cpid, cprv, cpfm, scep, bdid, ibfl;
	char ecid[BT_REC_TEXT_MAX];      /* "0x..." as read; recordings may mask digits with X */
	char srtg[BT_REC_TEXT_MAX];      /* SecureROM tag; "" unknown */
	char srnm[BT_REC_TEXT_MAX];      /* serial number; "" unknown */
	char imei[BT_REC_TEXT_MAX];      /* "" unknown */
	char pwnd[BT_REC_TEXT_MAX];      /* the serial string's PWND:[…] (a bootrom exploit left the
					    phone in pwned DFU: "checkm8"); "" none */
	char ap_nonce[BT_REC_NONCE_MAX]; /* hex, "" unknown */
	char sep_nonce[BT_REC_NONCE_MAX];
};

enum bt_rec_env_state {
	BT_REC_ENV_VALUE = 1, /* answered with a non-empty value */
	BT_REC_ENV_EMPTY,     /* answered with an empty string: unknown, never "fine" */
	BT_REC_ENV_UNSET,     /* no answer (iBoot stalled: unset or refused): unknown */
	BT_REC_ENV_NA         /* not asked because getenv does not apply (DFU/WTF) */
};

struct bt_rec_env {
	char name[BT_REC_ENV_NAME_MAX];
	enum bt_rec_env_state state;
	char value[BT_REC_ENV_VALUE_MAX]; /* "" unless state == VALUE */
	long line;                        /* line in the recording it came from, 0 when live */
};

enum bt_rec_event_type {
	BT_REC_EV_ARRIVE = 1, /* a phone appeared in `mode` */
	BT_REC_EV_LEAVE,      /* it disappeared */
	BT_REC_EV_MODE,       /* it is still there but now in `mode` */
	BT_REC_EV_END         /* a replayed recording has no more events (not stored) */
};
const char *bt_rec_event_name(enum bt_rec_event_type t); /* "arrive", "leave", "mode", "end" */

struct bt_rec_event {
	enum bt_rec_event_type type;
	double t;              /* seconds since the session started, monotonic */
	enum bt_rec_mode mode; /* ARRIVE/MODE */
	bool has_chip;
	unsigned cpid, bdid;   /* when has_chip */
};

struct bt_rec_session {
	char origin[BT_REC_TEXT_MAX]; /* what produced it: "benchtriage 0.1.0 usb", a note... */
	bool has_info;
	struct bt_rec_info info;
	size_t nenv;
	struct bt_rec_env env[BT_REC_ENV_MAX];
	size_t nevents;
	struct bt_rec_event events[BT_REC_EVENTS_MAX];
	double gone_t;  /* when the phone stopped answering a read, < 0 never */
	double end_t;   /* when the session ended, < 0 unknown */
};

struct bt_rec_session *bt_rec_session_new(void); /* zeroed, gone_t = end_t = -1 */
void bt_rec_session_free(struct bt_rec_session *s);

/* Variable lookup; NULL when not in the session. */
const struct bt_rec_env *bt_rec_session_env(const struct bt_rec_session *s, const char *name);
/* Stores a variable (replacing one of the same name) and the recording line it came from (0
 * when live). value is cut to the cap. BT_OK, BT_ERR_DATA (name empty/too long or the table
 * is full). */
int bt_rec_session_set_env(struct bt_rec_session *s, const char *name,
			   enum bt_rec_env_state state, const char *value, long line);
/* Appends an event (END is not stored). BT_OK or BT_ERR_DATA when full. */
int bt_rec_session_add_event(struct bt_rec_session *s, const struct bt_rec_event *ev);

/* Copies src into a fixed field, cutting at the cap. */
void bt_rec_copy(char *dst, size_t cap, const char *src);

/* The iBoot variables worth reading, in the order they are asked; NULL-terminated. */
extern const char *const bt_rec_env_names[];
/* What a variable means, in plain words for a technician; NULL for one we do not know. */
const char *bt_rec_env_meaning(const char *name);

#endif
