/* libFuzzer target for the restore-log scanner.
 *
 * The first byte picks where the rest of the input is split into two feeds, so lines cut
 * across reads are exercised along with whatever the bytes hold. The result and the
 * evidence are built each time; sanitizers catch the rest. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/evidence.h"
#include "logs/logscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t rest = size - 1;
	size_t split = rest * data[0] / 255u;
	const char *text = (const char *)data + 1;
	struct bt_logscan *sc = bt_logscan_new();
	bt_logscan_begin(sc, "fuzz");
	bt_logscan_feed(sc, text, split);
	bt_logscan_feed(sc, text + split, rest - split);
	bt_logscan_end(sc);
	const struct bt_restore *r = bt_logscan_result(sc);
	/* Touch what callers read so a dangling pointer would show. */
	size_t sum = r->failed_step.name ? strlen(r->failed_step.name) : 0;
	for (size_t i = 0; i < r->nsteps; i++)
		sum += strlen(r->steps[i].name) + strlen(r->steps[i].subsystem);
	for (size_t i = 0; i < r->nerrors; i++)
		sum += strlen(r->errors[i]);
	struct bt_evset *set = bt_evset_new();
	bt_logscan_evidence(sc, set);
	bt_evset_free(set);
	bt_logscan_free(sc);
	return sum == (size_t)-1;
}
