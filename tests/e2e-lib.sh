# Shared helpers for end-to-end tests: sourced, not run. BT_BIN names the binary; with
# BT_VALGRIND=1 every run goes through valgrind memcheck and a memory error fails it.
BT_BIN=${BT_BIN:-./benchtriage}
T_PASS=0
T_FAIL=0
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
# What the binary makes under TMPDIR (simulator pty links) goes with the test's own directory,
# also when a test kills it with SIGKILL.
export TMPDIR="$TMPD"

bt() {
	if [ "${BT_VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			--suppressions=tests/valgrind.supp "$BT_BIN" "$@"
	else
		"$BT_BIN" "$@"
	fi
}

ok() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); printf 'FAIL: %s\n' "$*" >&2; }
check() { # description, command...
	d=$1; shift
	if "$@"; then ok; else fail "$d"; fi
}
finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$T_PASS" "$T_FAIL"
	[ "$T_FAIL" -eq 0 ]
}

# Pairs of `analyze --json` outputs that must read the same, a row each in the file $1:
# "what<TAB>want.json<TAB>got.json". One interpreter compares them all
# (tests/e2e/helpers/same_reading.py: outcome, failed step, id and line, subsystem, status,
# family, product, verdict line, top hypothesis); each pair passes or fails.
same_readings() {
	python3 tests/e2e/helpers/same_reading.py "$1" >"$TMPD/verdicts"
	while read -r verdict rest; do
		if [ "$verdict" = ok ]; then ok; else fail "$rest"; fi
	done <"$TMPD/verdicts"
	check "every pair was compared" [ "$(wc -l <"$TMPD/verdicts")" -eq "$(wc -l <"$1")" ]
}
