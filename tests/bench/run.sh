#!/bin/sh
# make bench: every claim about speed and memory, as ratios against a reference measured on
# the same machine in the same run. Results and how to repeat them: docs/PERFORMANCE.md.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
BIN=./benchtriage
PEAK=$BUILD/bench/peakrss
SIZE_MB=${BENCH_LOG_MB:-256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Best wall time of three runs of a command (stdout discarded), in seconds.
best_of3() {
	best=""
	for _ in 1 2 3; do
		# Output to a real file: GNU grep stops at the first match when stdout is /dev/null.
		t=$("$PEAK" "$@" 2>&1 >"$work/out" | sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' | tail -1)
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
	done
	echo "$best"
}
peak_kib() { "$PEAK" "$@" 2>&1 >"$work/out" | sed -n 's/.*peakrss_kib=\([0-9]*\).*/\1/p' | tail -1; }

echo "== 1. log analysis throughput (${SIZE_MB} MiB log built from the corpus)"
big=$work/big.log
: >"$big"
while [ "$(stat -c %s "$big")" -lt $((SIZE_MB * 1024 * 1024)) ]; do
	cat tests/data/corpus/*.log >>"$big"
	# Double the file once it holds a full round of the corpus: reaches 256 MiB quickly.
	if [ "$(stat -c %s "$big")" -lt $((SIZE_MB * 512 * 1024)) ]; then cat "$big" "$big" >"$big.2" && mv "$big.2" "$big"; fi
done
bytes=$(stat -c %s "$big")
cat "$big" >/dev/null # warm the page cache for both contestants
t_grep=$(best_of3 grep -c CHECKPOINT "$big")
t_bt=$(best_of3 "$BIN" analyze --json "$big")
awk -v g="$t_grep" -v b="$t_bt" -v n="$bytes" 'BEGIN{
	printf "grep -c CHECKPOINT: %.3f s (%.0f MiB/s)\n", g, n/1048576/g;
	printf "benchtriage analyze: %.3f s (%.0f MiB/s)\n", b, n/1048576/b;
	printf "ratio analyze/grep time: %.2f (target <= 1.00)\n", b/g }'

echo "== 2. peak memory (bounded whatever the log size)"
small=$work/small.log
head -c $((16 * 1024 * 1024)) "$big" >"$small"
k_small=$(peak_kib "$BIN" analyze --json "$small")
k_big=$(peak_kib "$BIN" analyze --json "$big")
k_grep=$(peak_kib grep -c CHECKPOINT "$big")
echo "analyze 16 MiB log: ${k_small} KiB peak; ${SIZE_MB} MiB log: ${k_big} KiB peak (target < 16384 KiB)"
awk -v s="$k_small" -v b="$k_big" -v g="$k_grep" 'BEGIN{
	printf "ratio peak(big)/peak(small): %.2f (bounded: ~1.0)\n", b/s;
	printf "ratio peak(analyze)/peak(grep): %.2f\n", b/g }'

echo "== 3. time to first output on a live log"
if [ -x "$BUILD/bench/bench_live" ]; then
	"$BUILD/bench/bench_live" tests/data/corpus/01-iphone10,2-futurerestore-success.log
else
	echo "bench_live not built (tests/bench/bench_live.c missing)"
fi

echo "== 4. supply sampling rate against each simulator's maximum"
"$BIN" probe supply --bench-rate --seconds "${BENCH_SUPPLY_SECONDS:-5}"

echo "== 5. TUI redraw cost"
if [ -x "$BUILD/bench/bench_tui" ]; then
	"$BUILD/bench/bench_tui"
else
	echo "bench_tui not built"
fi
