/* libFuzzer target: SCPI profile lines and reply parsing. Input: profile text, a NUL byte, then
 * a reply. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "supply/scpi_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	struct bt_scpi_config c;
	bt_scpi_config_default(&c);
	char line[300], err[200];
	size_t start = 0;
	for (size_t i = 0; i <= plen; i++) {
		if (i == plen || data[i] == '\n') {
			size_t n = i - start;
			if (n >= sizeof line)
				n = sizeof line - 1;
			memcpy(line, data + start, n);
			line[n] = '\0';
			bt_scpi_config_line(&c, line, err, sizeof err);
			start = i + 1;
		}
	}
	if (nul) {
		double v;
		bt_scpi_parse_reply(&c, (const char *)nul + 1, size - plen - 1, &v);
	}
	return 0;
}
