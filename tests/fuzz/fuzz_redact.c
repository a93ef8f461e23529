/* libFuzzer target: the identifier redactor over arbitrary text. Invariants checked: it never
 * crashes, returns a string, and a known identifier never survives in the output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "report/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char known[] = "F2LXK7Q9HG7F";
	char *text = bt_xstrndup((const char *)data, size);
	struct bt_redact *r = bt_redact_new();
	bt_redact_add(r, known);
	/* The input with the known identifier planted in the middle. */
	size_t half = strlen(text) / 2;
	char *planted = bt_xasprintf("%.*s %s %s", (int)half, text, known, text + half);
	char *out = bt_redact(r, planted);
	if (!out || strstr(out, known))
		abort();
	free(out);
	free(planted);
	free(text);
	bt_redact_free(r);
	return 0;
}
