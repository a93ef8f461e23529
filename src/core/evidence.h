/* evidence.h — the evidence model (DESIGN.md "Evidence").
 *
 * An evidence item is a namespaced key (`restore.failed_step`, `iboot.env.radio-error`,
 * `supply.pattern`, `symptom.speaker_button_greyed`, `test.front_flex_disconnect`), a value,
 * where it came from (a file and line, or a probe and a time) and the excerpt that shows it.
 * The set owns copies of every string it is given. Evidence is never invented from absence:
 * producers add nothing, or the value "unknown", when they could not tell. */
#ifndef BT_CORE_EVIDENCE_H
#define BT_CORE_EVIDENCE_H

#include <stddef.h>

#define BT_EVIDENCE_EXCERPT_MAX 400 /* bytes of excerpt kept per item */
#define BT_EVIDENCE_VALUE_MAX 1024  /* bytes of value kept per item */

struct bt_evidence {
	const char *key;     /* namespaced, e.g. "restore.status" */
	const char *value;   /* text; numbers are written in decimal, ids as 0x%04X */
	const char *source;  /* file path, "recovery", "supply", "technician", ... ; never NULL */
	long line;           /* 1-based line in source, 0 when not from a file */
	double time_s;       /* seconds (session or trace time), < 0 when none */
	const char *excerpt; /* the text that shows it, "" when none; capped */
};

struct bt_evset; /* opaque; owns its items */

struct bt_evset *bt_evset_new(void);
void bt_evset_free(struct bt_evset *set);

/* Appends an item (copies every string; NULL source becomes "", NULL excerpt ""). */
void bt_evset_add(struct bt_evset *set, const char *key, const char *value,
		  const char *source, long line, double time_s, const char *excerpt);
/* Like add, but replaces the value/origin of the newest item with the same key if any. */
void bt_evset_put(struct bt_evset *set, const char *key, const char *value,
		  const char *source, long line, double time_s, const char *excerpt);
/* Appends copies of every item of src. */
void bt_evset_merge(struct bt_evset *dst, const struct bt_evset *src);

size_t bt_evset_count(const struct bt_evset *set);
/* Item i (0-based, in insertion order); NULL past the end. Valid until the set changes. */
const struct bt_evidence *bt_evset_at(const struct bt_evset *set, size_t i);
/* The newest item with this exact key, or NULL. */
const struct bt_evidence *bt_evset_find(const struct bt_evset *set, const char *key);
/* Value of the newest item with this key, or NULL. */
const char *bt_evset_value(const struct bt_evset *set, const char *key);
/* Removes every item with this key; returns how many. */
size_t bt_evset_remove(struct bt_evset *set, const char *key);

#endif
