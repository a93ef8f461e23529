/* interpret.h — turns a recovery session into evidence (DESIGN.md keys, iboot.* namespace) and
 * explains each variable's value in plain words.
 *
 * Board and step knowledge come through a resolver so this file depends on neither the board
 * profiles nor the log step table; bt_rec_resolver_default() wires both (resolve.c).
 * Evidence is never invented from absence: an empty or unanswered variable adds nothing, an
 * unknown board adds no board. Nothing here prints; strings returned are static. */
#ifndef BT_PROBES_RECOVERY_INTERPRET_H
#define BT_PROBES_RECOVERY_INTERPRET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/evidence.h"
#include "recovery/session.h"

struct bt_rec_board {
	char name[64];          /* profile name ("iphonex") or hardware model ("d22ap") */
	char product_type[32];  /* "iPhone10,3", "" unknown */
	const char *source;     /* "boards" or "libirecovery" */
};

struct bt_rec_resolver {
	/* Board for a chip; false when nobody knows it. */
	bool (*board)(void *user, unsigned cpid, unsigned bdid, struct bt_rec_board *out);
	/* Subsystem of a restore step name ("wait_for_storage" -> "storage"); NULL or "unknown"
	 * when not known. */
	const char *(*step_subsystem)(void *user, const char *step);
	void *user;
};

/* The default resolver: our boards/ (bt_boards_load_default, loaded once), libirecovery's table
 * as a fallback, and the logs step table. Lives until exit. */
const struct bt_rec_resolver *bt_rec_resolver_default(void);

/* What watch mode saw. pattern is NULL when the session has no events. */
struct bt_rec_watch {
	const char *pattern;     /* "boot_loop", "dfu_only", "stable", "gone" */
	unsigned arrivals, departures, mode_changes;
	unsigned reenumerations; /* appearances after the first */
	double period_s;         /* mean time between appearances in a boot loop, < 0 otherwise */
	double span_s;           /* first to last event (or end) */
};
#define BT_REC_LOOP_MIN 2    /* re-appearances in one mode that make a boot loop */
void bt_rec_watch_summary(const struct bt_rec_session *s, struct bt_rec_watch *out);

/* The last step named in a restore-step-names value such as
 * "{0x1103060D:wait_for_storage}" or "{0x11070600:restore_images;0x1107067B:install_splat}".
 * Copies the name (cut at cap) and returns true; *id gets the checkpoint id or -1. false for
 * "{}", empty or unparseable values. */
bool bt_rec_last_step(const char *value, char *name, size_t cap, long *id);

/* Adds the session's evidence to set; `source` names where it came from (a file path or
 * "recovery"). r may be NULL (no board or subsystem lookups). */
void bt_rec_evidence(const struct bt_rec_session *s, const struct bt_rec_resolver *r,
		     const char *source, struct bt_evset *set);

/* A plain-words reading of a variable's value ("the restore died in wait_for_storage: the
 * storage"), written into buf; returns false (buf "") when there is nothing to add. */
bool bt_rec_env_note(const struct bt_rec_env *e, const struct bt_rec_resolver *r,
		     char *buf, size_t cap);

#endif
