/* Unit tests for the supply wire formats: pure parsers over bytes (Korad replies, Modbus RTU
 * frames from the research notes' worked examples, UM meter dumps, SCPI profiles and replies). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "supply/korad_proto.h"
#include "supply/modbus_proto.h"
#include "supply/numparse.h"
#include "supply/scpi_proto.h"
#include "supply/um_proto.h"

static void korad_numbers(void **state)
{
	(void)state;
	double v;
	/* A decimal-comma locale must not change how replies parse. */
	setlocale(LC_NUMERIC, "de_DE.UTF-8");
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"0.125", 5, &v), BT_OK);
	assert_true(fabs(v - 0.125) < 1e-9);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"05.00", 5, &v), BT_OK);
	assert_true(fabs(v - 5.0) < 1e-9);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"\0" "1.23\n", 6, &v), BT_OK);
	assert_true(fabs(v - 1.23) < 1e-9);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"1.2x4", 5, &v), BT_ERR_DATA);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"1.2.3", 5, &v), BT_ERR_DATA);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"   \0\0", 5, &v), BT_ERR_DATA);
	assert_int_equal(bt_korad_parse_number((const unsigned char *)"\x81" "0.07", 5, &v), BT_ERR_DATA);
	setlocale(LC_NUMERIC, "C");
}

static void korad_idn_variants(void **state)
{
	(void)state;
	static const struct {
		const char *reply;
		size_t len;
		const char *vendor, *model, *version;
		bool slow;
	} ok[] = {
		{ "KORADKA3005PV2.0\x01", 17, "Korad", "KA3005P", "2.0", false },
		{ "KORAD KA3005P V5.5 SN:12345678", 30, "Korad", "KA3005P", "5.5", false },
		{ "TENMA 72-2540 V2.1", 18, "Tenma", "72-2540", "2.1", false },
		{ "RND 320-KA3005P V5.5", 20, "RND", "KA3005P", "5.5", false },
		{ "VELLEMANPS3005DV2.0", 19, "Velleman", "PS3005D", "2.0", false },
		{ "VELLEMANPS3005DV1.3", 19, "Velleman", "PS3005D", "1.3", true },
		{ "S-LS-31 V2.0\xBC", 13, "Stamos", "S-LS-31", "2.0", false },
		{ "korad ka6003p v1.0", 18, "Korad", "KA6003P", "1.0", false },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct bt_korad_idn idn;
		assert_int_equal(bt_korad_parse_idn((const unsigned char *)ok[i].reply, ok[i].len, &idn), BT_OK);
		assert_string_equal(idn.vendor, ok[i].vendor);
		assert_string_equal(idn.model, ok[i].model);
		assert_string_equal(idn.version, ok[i].version);
		assert_int_equal(idn.slow, ok[i].slow);
	}
	static const char *const bad[] = { "", "OWON,SPE3103,1,FV:V1", "\xAA\x01\x02\x03KA3005P", "KA30" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct bt_korad_idn idn;
		assert_int_equal(bt_korad_parse_idn((const unsigned char *)bad[i], strlen(bad[i]), &idn),
				 BT_ERR_DATA);
	}
}

static void modbus_worked_frames(void **state)
{
	(void)state;
	/* Frames from research section 2 (CRC computed there with the standard algorithm). */
	static const struct {
		uint16_t start, count;
		uint8_t bytes[8];
	} reqs[] = {
		{ 0x0A, 2, { 0x01, 0x03, 0x00, 0x0A, 0x00, 0x02, 0xE4, 0x09 } },
		{ 0x08, 11, { 0x01, 0x03, 0x00, 0x08, 0x00, 0x0B, 0x85, 0xCF } },
		{ 0x00, 4, { 0x01, 0x03, 0x00, 0x00, 0x00, 0x04, 0x44, 0x09 } },
		{ 0x02, 2, { 0x01, 0x03, 0x00, 0x02, 0x00, 0x02, 0x65, 0xCB } },
		{ 0x00, 10, { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD } },
		{ 0x00, 1, { 0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A } },
	};
	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		uint8_t out[8];
		bt_modbus_read_request(1, reqs[i].start, reqs[i].count, out);
		assert_memory_equal(out, reqs[i].bytes, 8);
		uint8_t a, fn;
		uint16_t st, cnt;
		assert_int_equal(bt_modbus_parse_request(out, 8, &a, &fn, &st, &cnt), BT_OK);
		assert_int_equal(st, reqs[i].start);
		assert_int_equal(cnt, reqs[i].count);
	}
	static const uint8_t write06[] = { 0x01, 0x06, 0x00, 0x12, 0x00, 0x01, 0xE8, 0x0F };
	assert_int_equal(bt_modbus_crc16(write06, 6), 0x0FE8);
	static const uint8_t write10[] = { 0x01, 0x10, 0x00, 0x12, 0x00, 0x01, 0x02, 0x00, 0x01, 0x64, 0xE2 };
	uint8_t a, fn;
	uint16_t st, cnt;
	assert_int_equal(bt_modbus_parse_request(write10, sizeof write10, &a, &fn, &st, &cnt), BT_OK);
	assert_int_equal(fn, 0x10);

	/* 5.00 V and 0.123 A on an RD6006 */
	static const uint8_t reply[] = { 0x01, 0x03, 0x04, 0x01, 0xF4, 0x00, 0x7B, 0xFA, 0x1E };
	uint16_t regs[2];
	uint8_t exc = 0;
	assert_int_equal(bt_modbus_reply_len(reply, 3, 2), sizeof reply);
	assert_int_equal(bt_modbus_parse_read_reply(reply, sizeof reply, 1, 2, regs, &exc), BT_OK);
	assert_int_equal(regs[0], 500);
	assert_int_equal(regs[1], 123);
	uint8_t bad[sizeof reply];
	memcpy(bad, reply, sizeof bad);
	bad[8] ^= 1;
	assert_int_equal(bt_modbus_parse_read_reply(bad, sizeof bad, 1, 2, regs, &exc), BT_ERR_DATA);
	assert_int_equal(bt_modbus_parse_read_reply(reply, sizeof reply, 2, 2, regs, &exc), BT_ERR_DATA);
	assert_int_equal(bt_modbus_parse_read_reply(reply, sizeof reply - 1, 1, 2, regs, &exc), BT_ERR_DATA);
	assert_int_equal(bt_modbus_parse_read_reply(reply, sizeof reply, 1, 3, regs, &exc), BT_ERR_DATA);
	static const uint8_t ex[] = { 0x01, 0x83, 0x02, 0xC0, 0xF1 };
	assert_int_equal(bt_modbus_reply_len(ex, 2, 10), 5);
	assert_int_equal(bt_modbus_parse_read_reply(ex, sizeof ex, 1, 10, regs, &exc), BT_ERR_NA);
	assert_int_equal(exc, 2);
}

static void modbus_models(void **state)
{
	(void)state;
	const struct bt_modbus_model *m = bt_modbus_model_find(BT_MODBUS_RIDEN, 60062);
	assert_non_null(m);
	assert_string_equal(m->name, "RD6006");
	assert_true(fabs(bt_modbus_model_resolution(m, 0) - 0.001) < 1e-12);
	m = bt_modbus_model_find(BT_MODBUS_RIDEN, 60065);
	assert_string_equal(m->name, "RD6006P");
	assert_true(fabs(bt_modbus_model_resolution(m, 0) - 0.0001) < 1e-12);
	m = bt_modbus_model_find(BT_MODBUS_RIDEN, 60127);
	assert_string_equal(m->name, "RD6012P");
	assert_true(fabs(bt_modbus_model_resolution(m, 1) - 0.001) < 1e-12);
	m = bt_modbus_model_find(BT_MODBUS_RIDEN, 60181);
	assert_true(fabs(bt_modbus_model_resolution(m, 0) - 0.01) < 1e-12);
	assert_null(bt_modbus_model_find(BT_MODBUS_RIDEN, 5005));
	m = bt_modbus_model_find(BT_MODBUS_DPS, 5205);
	assert_string_equal(m->name, "DPH5005");
	assert_true(fabs(bt_modbus_model_resolution(bt_modbus_model_find(BT_MODBUS_DPS, 5015), 0) - 0.01) < 1e-12);
}

static void build_um(uint8_t *f, unsigned id, unsigned mv_units, unsigned i_units)
{
	memset(f, 0, BT_UM_FRAME_LEN);
	f[0] = (uint8_t)(id >> 8);
	f[1] = (uint8_t)id;
	f[2] = (uint8_t)(mv_units >> 8);
	f[3] = (uint8_t)mv_units;
	f[4] = (uint8_t)(i_units >> 8);
	f[5] = (uint8_t)i_units;
	f[100] = 0;
	f[101] = 4; /* Apple 2.1 A */
	if (id == BT_UM_ID_34C) {
		f[129] = bt_um34c_checksum(f);
	} else {
		f[128] = 0xFF;
		f[129] = 0xF1;
	}
}

static void um_frames(void **state)
{
	(void)state;
	uint8_t f[BT_UM_FRAME_LEN + 10];
	struct bt_um_frame fr;
	build_um(f, BT_UM_ID_25C, 5123, 712); /* 5.123 V, 71.2 mA */
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN, &fr), BT_OK);
	assert_string_equal(fr.model, "UM25C");
	assert_true(fabs(fr.voltage_v - 5.123) < 1e-9);
	assert_true(fabs(fr.current_a - 0.0712) < 1e-9);
	assert_string_equal(bt_um_charge_mode_name(fr.charge_mode), "Apple 2.1A");
	build_um(f, BT_UM_ID_24C, 512, 71);
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN, &fr), BT_OK);
	assert_true(fabs(fr.current_a - 0.071) < 1e-9);
	assert_true(fabs(fr.voltage_v - 5.12) < 1e-9);
	f[129] = 0xF2;
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN, &fr), BT_ERR_DATA);
	build_um(f, BT_UM_ID_34C, 500, 1000);
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN, &fr), BT_OK);
	f[7] ^= 0x10; /* a checksummed byte changes */
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN, &fr), BT_ERR_DATA);
	assert_int_equal(bt_um_parse_frame(f, BT_UM_FRAME_LEN - 1, &fr), BT_ERR_DATA);
	/* re-alignment after stray bytes in front */
	uint8_t buf[BT_UM_FRAME_LEN + 5];
	memset(buf, 0x09, 5);
	build_um(buf + 5, BT_UM_ID_24C, 500, 80);
	assert_int_equal(bt_um_find_frame(buf, sizeof buf), 5);
	assert_int_equal(bt_um_find_frame(buf, sizeof buf - 1), -1);
}

static void scpi_profiles(void **state)
{
	(void)state;
	struct bt_scpi_config c;
	char err[200];
	bt_scpi_config_default(&c);
	assert_int_equal(bt_scpi_config_line(&c, "  # comment", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "baud = 19200", err, sizeof err), BT_OK);
	assert_int_equal(c.baud, 19200);
	assert_int_equal(bt_scpi_config_line(&c, "rx_framing = fixed:5", err, sizeof err), BT_OK);
	assert_int_equal(c.rx, BT_SCPI_RX_FIXED);
	assert_int_equal(c.frame.stop_bits, 1); /* 8N1 without handshake unless the profile says */
	assert_int_equal(bt_scpi_config_line(&c, "stop_bits = 2", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "flow = dtrdsr", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "parity = odd", err, sizeof err), BT_OK);
	assert_int_equal(c.frame.stop_bits, 2);
	assert_int_equal(c.frame.flow, BT_FLOW_DTRDSR);
	assert_int_equal(c.frame.parity, BT_PARITY_ODD);
	assert_int_equal(bt_scpi_config_line(&c, "stop_bits = 3", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "flow = cts", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "parity = mark", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "tx_terminator = crlf", err, sizeof err), BT_OK);
	assert_string_equal(c.tx_term, "\r\n");
	assert_int_equal(bt_scpi_config_line(&c, "current_query = MEASURE:ALL? CH1", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "field = 2", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "colour = blue", err, sizeof err), BT_ERR_DATA);
	assert_string_equal(err, "unknown key 'colour'");
	assert_int_equal(bt_scpi_config_line(&c, "baud = fast", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "scale = -1", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "no equals sign", err, sizeof err), BT_ERR_DATA);
	/* read-only by construction: queries only, init only remote mode */
	assert_int_equal(bt_scpi_config_line(&c, "current_query = OUTP 1", err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, "not one query"));
	/* a query chained to a setting, or a setting with a '?' in its parameters */
	assert_int_equal(bt_scpi_config_line(&c, "current_query = VOLT 5;:MEAS:CURR?", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "identify = OUTP ON;*IDN?", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "current_query = APPL CH1,5? ", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "current_query = MEAS:CURR? CH2", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "current_query = MEASURE:ALL? CH1", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "voltage_query = VOLT 5", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "identify = *RST", err, sizeof err), BT_ERR_DATA);
	assert_int_equal(bt_scpi_config_line(&c, "init = CURR 0.5", err, sizeof err), BT_ERR_DATA);
	assert_non_null(strstr(err, "never sent"));
	assert_int_equal(bt_scpi_config_line(&c, "init = syst:rem", err, sizeof err), BT_OK);
	assert_int_equal(bt_scpi_config_line(&c, "voltage_query =", err, sizeof err), BT_OK);
	assert_string_equal(c.current_query, "MEASURE:ALL? CH1"); /* the refused lines changed nothing */
	assert_int_equal(bt_scpi_config_line(&c, "voltage_field = 1", err, sizeof err), BT_OK);
	assert_int_equal(c.voltage_field, 1);
	double v;
	assert_int_equal(bt_scpi_parse_reply(&c, "4.20,0.071,0.30", 15, &v), BT_OK);
	assert_true(fabs(v - 0.071) < 1e-9);
	assert_int_equal(bt_scpi_parse_reply(&c, "4.20", 4, &v), BT_ERR_DATA);
	assert_int_equal(bt_scpi_parse_reply(&c, "ERR", 3, &v), BT_ERR_NA);
	bt_scpi_config_default(&c);
	c.scale = 0.001;
	assert_int_equal(bt_scpi_parse_reply(&c, "71.5mA", 6, &v), BT_OK);
	assert_true(fabs(v - 0.0715) < 1e-9);

	/* a profile file: errors name file:line */
	char path[] = "/tmp/bt-scpi-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("# Rigol DP832 on RS-232\nbaud = 9600\nselect = x\n", f);
	fclose(f);
	bt_scpi_config_default(&c);
	assert_int_equal(bt_scpi_config_load(path, &c, err, sizeof err), BT_ERR_DATA);
	char want[300];
	snprintf(want, sizeof want, "%s:3: unknown key 'select'", path);
	assert_string_equal(err, want);
	unlink(path);
	assert_int_equal(bt_scpi_config_load(path, &c, err, sizeof err), BT_ERR_IO);
}

static void decimals(void **state)
{
	(void)state;
	double v;
	assert_int_equal(bt_parse_decimal("-1.5e3x", 7, &v), 6);
	assert_true(fabs(v + 1500) < 1e-9);
	assert_int_equal(bt_parse_decimal(".5", 2, &v), 2);
	assert_int_equal(bt_parse_decimal("e5", 2, &v), 0);
	assert_int_equal(bt_parse_decimal("1e999999", 8, &v), 8);
	assert_true(isfinite(v));
	size_t end;
	assert_true(bt_find_decimal("I: +0.250A", 10, &v, &end));
	assert_int_equal(end, 9);
	assert_true(fabs(v - 0.25) < 1e-9);
	assert_false(bt_find_decimal("no digits", 9, &v, &end));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(korad_numbers),   cmocka_unit_test(korad_idn_variants),
		cmocka_unit_test(modbus_worked_frames), cmocka_unit_test(modbus_models),
		cmocka_unit_test(um_frames),       cmocka_unit_test(scpi_profiles),
		cmocka_unit_test(decimals),
	};
	return cmocka_run_group_tests_name("supply_proto", tests, NULL, NULL);
}
