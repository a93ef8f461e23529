/* modbus_proto.c — see modbus_proto.h. */
#include "supply/modbus_proto.h"

#include "core/err.h"

uint16_t bt_modbus_crc16(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
	}
	return crc;
}

void bt_modbus_read_request(uint8_t addr, uint16_t start, uint16_t count, uint8_t out[BT_MODBUS_REQ_LEN])
{
	out[0] = addr;
	out[1] = 0x03;
	out[2] = (uint8_t)(start >> 8);
	out[3] = (uint8_t)start;
	out[4] = (uint8_t)(count >> 8);
	out[5] = (uint8_t)count;
	uint16_t crc = bt_modbus_crc16(out, 6);
	out[6] = (uint8_t)crc;
	out[7] = (uint8_t)(crc >> 8);
}

size_t bt_modbus_reply_len(const uint8_t *buf, size_t n, uint16_t count)
{
	if (n >= 2 && (buf[1] & 0x80))
		return 5;
	return 5 + 2 * (size_t)count;
}

static int crc_ok(const uint8_t *buf, size_t len)
{
	uint16_t crc = bt_modbus_crc16(buf, len - 2);
	return buf[len - 2] == (uint8_t)crc && buf[len - 1] == (uint8_t)(crc >> 8);
}

int bt_modbus_parse_read_reply(const uint8_t *buf, size_t n, uint8_t addr, uint16_t count,
			       uint16_t *regs, uint8_t *exc)
{
	if (count == 0 || count > BT_MODBUS_MAX_REGS || n < 5 || buf[0] != addr)
		return BT_ERR_DATA;
	if (buf[1] == (0x03 | 0x80)) {
		if (!crc_ok(buf, 5))
			return BT_ERR_DATA;
		if (exc)
			*exc = buf[2];
		return BT_ERR_NA;
	}
	size_t want = 5 + 2 * (size_t)count;
	if (buf[1] != 0x03 || n != want || buf[2] != 2 * count || !crc_ok(buf, want))
		return BT_ERR_DATA;
	for (size_t i = 0; i < count; i++)
		regs[i] = (uint16_t)((buf[3 + 2 * i] << 8) | buf[4 + 2 * i]);
	return BT_OK;
}

int bt_modbus_parse_request(const uint8_t *buf, size_t n, uint8_t *addr, uint8_t *fn,
			    uint16_t *start, uint16_t *count)
{
	if (n < BT_MODBUS_REQ_LEN)
		return BT_ERR_DATA;
	size_t len = BT_MODBUS_REQ_LEN;
	if (buf[1] == 0x10) { /* write multiple: has a byte count */
		if (n < 9)
			return BT_ERR_DATA;
		len = 9 + (size_t)buf[6];
	}
	if (n != len || !crc_ok(buf, len))
		return BT_ERR_DATA;
	*addr = buf[0];
	*fn = buf[1];
	*start = (uint16_t)((buf[2] << 8) | buf[3]);
	*count = (uint16_t)((buf[4] << 8) | buf[5]);
	return BT_OK;
}

/* libsigrok's rdtech-dps tables and the RD6xxx reference (research 3.3, 4). */
static const struct bt_modbus_model model_table[] = {
	{ BT_MODBUS_RIDEN, 60060, 60064, "RD6006", 100, 1000, 0 },
	{ BT_MODBUS_RIDEN, 60065, 60065, "RD6006P", 1000, 10000, 0 },
	{ BT_MODBUS_RIDEN, 60120, 60124, "RD6012", 100, 100, 0 },
	{ BT_MODBUS_RIDEN, 60125, 60129, "RD6012P", 1000, 10000, 1000 },
	{ BT_MODBUS_RIDEN, 60180, 60189, "RD6018", 100, 100, 0 },
	{ BT_MODBUS_RIDEN, 60240, 60241, "RD6024", 100, 100, 0 },
	{ BT_MODBUS_DPS, 3005, 3005, "DPS3005", 100, 1000, 0 },
	{ BT_MODBUS_DPS, 5005, 5005, "DPS5005", 100, 1000, 0 },
	{ BT_MODBUS_DPS, 5205, 5205, "DPH5005", 100, 1000, 0 },
	{ BT_MODBUS_DPS, 5015, 5015, "DPS5015", 100, 100, 0 },
	{ BT_MODBUS_DPS, 5020, 5020, "DPS5020", 100, 100, 0 },
	{ BT_MODBUS_DPS, 8005, 8005, "DPS8005", 100, 1000, 0 },
};

const struct bt_modbus_model *bt_modbus_model_find(enum bt_modbus_family fam, unsigned id)
{
	for (size_t i = 0; i < sizeof model_table / sizeof model_table[0]; i++)
		if (model_table[i].family == fam && id >= model_table[i].id_lo && id <= model_table[i].id_hi)
			return &model_table[i];
	return NULL;
}

double bt_modbus_model_resolution(const struct bt_modbus_model *m, unsigned range)
{
	double div = (range != 0 && m->i_div_range1 > 0) ? m->i_div_range1 : m->i_div;
	return 1.0 / div;
}
