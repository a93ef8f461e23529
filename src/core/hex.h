/* hex.h — the value of one hexadecimal digit, shared by every parser that reads hex
 * (log lines, recordings). Pure. */
#ifndef BT_CORE_HEX_H
#define BT_CORE_HEX_H

/* 0-15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else. */
static inline int bt_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
