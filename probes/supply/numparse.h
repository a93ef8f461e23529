/* numparse.h — locale-independent decimal parsing for device replies (a German locale must not
 * turn "0.125" into 0). Pure functions over bytes; never read past n. */
#ifndef BT_SUPPLY_NUMPARSE_H
#define BT_SUPPLY_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Parses [+-]digits[.digits][e[+-]digits] starting exactly at s. Returns bytes used (0 when
 * there is no number). At most 18 significant digits are kept; the exponent is clamped. */
size_t bt_parse_decimal(const char *s, size_t n, double *out);
/* Finds the first number in s[0..n) (skipping anything before it). Returns true if found. */
bool bt_find_decimal(const char *s, size_t n, double *out, size_t *end);

#endif
