/* libFuzzer target: Modbus RTU reply and request parsing. The first byte picks the register
 * count the "driver" asked for, the rest is the reply as it came off the wire. */
#include <stddef.h>
#include <stdint.h>

#include "supply/modbus_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint16_t count = (uint16_t)(data[0] % (BT_MODBUS_MAX_REGS + 2));
	uint16_t regs[BT_MODBUS_MAX_REGS];
	uint8_t exc;
	(void)bt_modbus_reply_len(data + 1, size - 1, count);
	bt_modbus_parse_read_reply(data + 1, size - 1, 1, count, regs, &exc);
	uint8_t addr, fn;
	uint16_t start, cnt;
	bt_modbus_parse_request(data + 1, size - 1, &addr, &fn, &start, &cnt);
	return 0;
}
