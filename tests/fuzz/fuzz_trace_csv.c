/* libFuzzer target: the trace CSV reader, then the analysis and evidence over whatever it
 * accepted. */
#include <stddef.h>
#include <stdint.h>

#include "analysis/trace.h"
#include "analysis/trace_csv.h"
#include "core/evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bt_trace *t = bt_trace_new();
	char err[256];
	bt_trace_csv_parse("fuzz.csv", (const char *)data, size, t, err, sizeof err);
	struct bt_trace_result r;
	bt_trace_analyze(t, size > 0 ? (double)(data[0] % 4) : -1, &r);
	struct bt_evset *set = bt_evset_new();
	bt_trace_evidence(&r, "fuzz.csv", set);
	bt_evset_free(set);
	bt_trace_free(t);
	return 0;
}
