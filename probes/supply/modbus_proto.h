/* modbus_proto.h — Modbus RTU framing for the Riden RD60xx and RDTech DPS supplies, plus both
 * register maps and the per-model scaling table (research sections 2-4). Pure functions over
 * bytes, shared by driver, simulator and fuzzer. Only function 0x03 (read) is built here: the
 * driver is read-only and never writes a register. */
#ifndef BT_SUPPLY_MODBUS_PROTO_H
#define BT_SUPPLY_MODBUS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define BT_MODBUS_MAX_REGS 32   /* per read; DPS documents 1-32 */
#define BT_MODBUS_REQ_LEN 8

/* Riden register numbers. */
enum { BT_RD_REG_ID = 0, BT_RD_REG_FW = 3, BT_RD_REG_VSET = 8, BT_RD_REG_ISET = 9,
       BT_RD_REG_VOUT = 10, BT_RD_REG_IOUT = 11, BT_RD_REG_PROTECT = 16, BT_RD_REG_CVCC = 17,
       BT_RD_REG_OUTPUT = 18, BT_RD_REG_RANGE = 20 };
/* DPS register numbers. */
enum { BT_DPS_REG_USET = 0, BT_DPS_REG_ISET = 1, BT_DPS_REG_UOUT = 2, BT_DPS_REG_IOUT = 3,
       BT_DPS_REG_CVCC = 8, BT_DPS_REG_OUTPUT = 9, BT_DPS_REG_MODEL = 11, BT_DPS_REG_FW = 12 };

enum bt_modbus_family { BT_MODBUS_RIDEN, BT_MODBUS_DPS };

struct bt_modbus_model {
	enum bt_modbus_family family;
	unsigned id_lo, id_hi;   /* register 0 (Riden) / 0x0B (DPS) value range */
	const char *name;
	double v_div, i_div;     /* raw / div = volts, amps */
	double i_div_range1;     /* RD6012P high range (register 20 = 1); 0 when single range */
};

/* Standard Modbus CRC-16 (poly 0xA001 reflected, init 0xFFFF); sent low byte first. */
uint16_t bt_modbus_crc16(const uint8_t *p, size_t n);
/* Builds a 0x03 read request (8 bytes) into out. */
void bt_modbus_read_request(uint8_t addr, uint16_t start, uint16_t count, uint8_t out[BT_MODBUS_REQ_LEN]);
/* Bytes a reply to a read of count registers will have, judged from what arrived so far:
 * 5 for an exception (byte 1 has 0x80), else 5 + 2 * count. */
size_t bt_modbus_reply_len(const uint8_t *buf, size_t n, uint16_t count);
/* Checks and decodes a 0x03 reply for count registers from addr. BT_OK (regs filled),
 * BT_ERR_NA (exception reply, code in *exc), BT_ERR_DATA (wrong length, address, function,
 * byte count or CRC). */
int bt_modbus_parse_read_reply(const uint8_t *buf, size_t n, uint8_t addr, uint16_t count,
			       uint16_t *regs, uint8_t *exc);
/* Request frame checks (simulator side): BT_OK with fields, or BT_ERR_DATA. */
int bt_modbus_parse_request(const uint8_t *buf, size_t n, uint8_t *addr, uint8_t *fn,
			    uint16_t *start, uint16_t *count);

/* Model lookup by identification register; NULL if unknown. */
const struct bt_modbus_model *bt_modbus_model_find(enum bt_modbus_family fam, unsigned id);
/* Current resolution in amps for a model (and range). */
double bt_modbus_model_resolution(const struct bt_modbus_model *m, unsigned range);

#endif
