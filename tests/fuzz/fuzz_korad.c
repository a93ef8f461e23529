/* libFuzzer target: Korad reply parsers (numbers, identification) over arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "supply/korad_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double v;
	struct bt_korad_idn idn;
	bt_korad_parse_number(data, size, &v);
	if (size >= BT_KORAD_NUM_LEN)
		bt_korad_parse_number(data, BT_KORAD_NUM_LEN, &v);
	bt_korad_parse_idn(data, size, &idn);
	return 0;
}
