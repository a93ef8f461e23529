#!/bin/sh
# Runs each libFuzzer target given for FUZZ_SECONDS, seeded from tests/fuzz/corpus/<target>
# (fuzz_logscan also from tests/data/corpus and tests/data/real)
# (copied to a scratch dir so runs never write into the repo) and its .dict if present.
# A crash leaves its reproducer in build-fuzz/crashes/ and fails the run.
set -u
secs=${FUZZ_SECONDS:-8}
fail=0
mkdir -p build-fuzz/crashes
for bin in "$@"; do
	name=$(basename "$bin")
	seeds=tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d)
	[ -d "$seeds" ] && cp -r "$seeds"/. "$work"/ 2>/dev/null
	# the log scanner also starts from every real log the tests hold
	[ "$name" = fuzz_logscan ] && cp tests/data/corpus/*.log tests/data/real/*.log "$work"/ 2>/dev/null
	dict=tests/fuzz/${name#fuzz_}.dict
	set -- -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=build-fuzz/crashes/"$name"- -print_final_stats=0
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	printf '=== fuzz %s (%ss)\n' "$name" "$secs"
	if ! LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp" "$bin" "$@" "$work" >"$work.log" 2>&1; then
		tail -40 "$work.log"
		fail=1
	else
		grep -E '^(#[0-9]+ +DONE|Done)' "$work.log" | tail -1
	fi
	rm -rf "$work" "$work.log"
done
exit $fail
