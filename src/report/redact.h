/* redact.h — hiding device identifiers in customer-facing text.
 *
 * ECID, serial number, IMEI and UDID are cut to their last four characters ("****6F3A"):
 * the values a case knows (added with bt_redact_add) wherever they appear, and anything that
 * looks like one — a value after a keyword (ECID, SRNM, serial, IMEI, MEID, UDID, UniqueChipID),
 * a 15-digit number (IMEI), a 40-hex-digit or 8-16 hex UDID. It errs on hiding too much.
 * The redactor owns copies of the values; returned strings are the caller's. Pure. */
#ifndef BT_REPORT_REDACT_H
#define BT_REPORT_REDACT_H

#include <stddef.h>

struct bt_redact; /* opaque */

struct bt_redact *bt_redact_new(void);
void bt_redact_free(struct bt_redact *r);
/* A known identifier value; values shorter than 5 characters are ignored. */
void bt_redact_add(struct bt_redact *r, const char *value);
/* A new string with every identifier masked; the caller frees. s NULL gives NULL. */
char *bt_redact(const struct bt_redact *r, const char *s);

#endif
