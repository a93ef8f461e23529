/* libFuzzer target: UM meter dump decoding and re-alignment over arbitrary byte streams. */
#include <stddef.h>
#include <stdint.h>

#include "supply/um_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bt_um_frame f;
	long at = bt_um_find_frame(data, size);
	if (at >= 0 && bt_um_parse_frame(data + at, size - (size_t)at, &f) != 0)
		__builtin_trap(); /* find said a frame starts here */
	bt_um_parse_frame(data, size, &f);
	return 0;
}
