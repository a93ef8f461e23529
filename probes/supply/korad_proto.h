/* korad_proto.h — Korad KAxxxxP wire format (and its Tenma/RND/Velleman/Stamos rebrands):
 * pure parsers over reply bytes, shared by the driver, the simulator and the fuzzer.
 * Replies carry no terminator: numbers are 5 characters, STATUS? one raw byte, *IDN? ends
 * in silence and may carry a trailing 0x01/0xBC byte (docs/supply.md, research 1.3-1.7). */
#ifndef BT_SUPPLY_KORAD_PROTO_H
#define BT_SUPPLY_KORAD_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#define BT_KORAD_NUM_LEN 5
#define BT_KORAD_IDN_MAX 64

struct bt_korad_idn {
	char vendor[16];   /* "Korad", "Tenma", "RND", "Velleman", "Stamos" */
	char model[24];    /* e.g. "KA3005P", "72-2540", "PS3005D", "S-LS-31" */
	char version[16];  /* e.g. "5.5", "" when absent */
	bool slow;         /* needs the 450 ms extra wait (Velleman PS3005D V1.3) */
};

/* A 5-byte numeric reply, parsed leniently (leading NUL/space, trailing NUL/CR/LF tolerated).
 * BT_OK or BT_ERR_DATA. */
int bt_korad_parse_number(const unsigned char *buf, size_t n, double *out);
/* An identification reply: loose, case-insensitive vendor/model match. BT_OK or BT_ERR_DATA
 * (not a Korad-family reply, e.g. an Atten-protocol "PS3005D"). */
int bt_korad_parse_idn(const unsigned char *buf, size_t n, struct bt_korad_idn *out);
/* STATUS? byte: bit 0 = constant voltage (else constant current), bit 6 = output on. The other
 * bits are unreliable across firmware and are not decoded. */
static inline bool bt_korad_status_cv(unsigned char st) { return (st & 0x01) != 0; }
static inline bool bt_korad_status_output(unsigned char st) { return (st & 0x40) != 0; }

#endif
