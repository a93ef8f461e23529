/* um_proto.h — RDTech UM24C/UM25C/UM34C USB meters: a 0xF0 byte asks for a 130-byte big-endian
 * dump (research 6.1). Pure parsers shared by driver, simulator and fuzzer. */
#ifndef BT_SUPPLY_UM_PROTO_H
#define BT_SUPPLY_UM_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define BT_UM_FRAME_LEN 130
#define BT_UM_CMD_DUMP 0xF0
#define BT_UM_ID_24C 0x0963
#define BT_UM_ID_25C 0x09C9
#define BT_UM_ID_34C 0x0D4C

struct bt_um_frame {
	unsigned model_id;
	const char *model;     /* "UM24C", "UM25C", "UM34C" (static) */
	double voltage_v;
	double current_a;
	double power_w;
	int temp_c;
	double dplus_v, dminus_v;
	unsigned charge_mode;  /* 0 normal, 1 QC2, 2 QC3, 3-6 Apple 2.4/2.1/1.0/0.5 A, 7 DCP, 8 Samsung */
	double resolution_a;   /* 0.0001 on the UM25C, 0.001 otherwise */
};

/* Decodes exactly one frame at buf (n >= 130): model id known and trailer (24C/25C: 0xFFF1) or
 * checksum (34C) right. BT_OK or BT_ERR_DATA. */
int bt_um_parse_frame(const uint8_t *buf, size_t n, struct bt_um_frame *out);
/* Resynchronises after lost bytes: offset of the first valid frame in buf, or -1. */
long bt_um_find_frame(const uint8_t *buf, size_t n);
/* The UM34C XOR checksum over its documented byte positions (for byte 129). */
uint8_t bt_um34c_checksum(const uint8_t *frame);
/* Human name of a charge-mode index ("Apple 2.4A", ...); "unknown" past the table. */
const char *bt_um_charge_mode_name(unsigned mode);

#endif
