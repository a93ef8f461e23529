/* um_proto.c — see um_proto.h. */
#include "supply/um_proto.h"

#include "core/err.h"

static unsigned be16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }
static unsigned long be32(const uint8_t *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Byte positions the UM34C folds into its checksum (sigrok wiki, research 6.1). */
static const uint8_t um34c_pos[] = { 1, 3, 7, 9, 15, 17, 19, 23, 31, 39, 41, 45, 49, 53, 55, 57,
				     59, 63, 67, 69, 73, 79, 83, 89, 97, 99, 109, 111, 113, 119,
				     121, 127 };

uint8_t bt_um34c_checksum(const uint8_t *frame)
{
	uint8_t x = 0;
	for (size_t i = 0; i < sizeof um34c_pos; i++)
		x ^= frame[um34c_pos[i]];
	return x;
}

int bt_um_parse_frame(const uint8_t *buf, size_t n, struct bt_um_frame *out)
{
	if (n < BT_UM_FRAME_LEN)
		return BT_ERR_DATA;
	unsigned id = be16(buf);
	double vdiv, idiv;
	const char *name;
	switch (id) {
	case BT_UM_ID_24C: name = "UM24C"; vdiv = 100; idiv = 1000; break;
	case BT_UM_ID_25C: name = "UM25C"; vdiv = 1000; idiv = 10000; break;
	case BT_UM_ID_34C: name = "UM34C"; vdiv = 100; idiv = 1000; break;
	default: return BT_ERR_DATA;
	}
	if (id == BT_UM_ID_34C) {
		if (buf[129] != bt_um34c_checksum(buf))
			return BT_ERR_DATA;
	} else if (be16(buf + 128) != 0xFFF1) {
		return BT_ERR_DATA;
	}
	out->model_id = id;
	out->model = name;
	out->voltage_v = be16(buf + 2) / vdiv;
	out->current_a = be16(buf + 4) / idiv;
	out->power_w = (double)be32(buf + 6) / 1000.0;
	out->temp_c = (int)be16(buf + 10);
	out->dplus_v = be16(buf + 96) / 100.0;
	out->dminus_v = be16(buf + 98) / 100.0;
	out->charge_mode = be16(buf + 100);
	out->resolution_a = 1.0 / idiv;
	return BT_OK;
}

long bt_um_find_frame(const uint8_t *buf, size_t n)
{
	struct bt_um_frame f;
	for (size_t i = 0; i + BT_UM_FRAME_LEN <= n; i++)
		if (bt_um_parse_frame(buf + i, n - i, &f) == BT_OK)
			return (long)i;
	return -1;
}

const char *bt_um_charge_mode_name(unsigned mode)
{
	static const char *const names[] = { "normal", "QC2", "QC3", "Apple 2.4A", "Apple 2.1A",
					     "Apple 1.0A", "Apple 0.5A", "DCP 1.5A", "Samsung" };
	return mode < sizeof names / sizeof names[0] ? names[mode] : "unknown";
}
