#!/bin/sh
# Runs the test suites and prints one closing line "N passed, N failed".
#   tests/run-all.sh            everything make test runs
#   tests/run-all.sh unit|e2e|san|valgrind|fuzz
# Every suite runs even when an earlier one failed; the exit status is 1 if any failed.
# cmocka prints its own summary on stderr, which is left visible.
set -u
cd "$(dirname "$0")/.." || exit 1
what=${1:-all}
passed=0
failed=0
failures=""

run() { # name, command...
	name=$1; shift
	printf '=== %s\n' "$name"
	t0=$(date +%s)
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures="$failures $name"; fi
	# how long each suite took: what to look at when the whole run nears CI's 30 minutes
	printf -- '--- %s: %d s\n' "$name" $(($(date +%s) - t0))
}

unit_suites() { # dir of binaries
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		run "unit:$(basename "$t")" "$t"
	done
}

e2e_suites() { # binary under test
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		run "e2e:$(basename "$t" .sh)" env BT_BIN="$1" sh "$t"
	done
}

export BENCHTRIAGE_HOME="${TMPDIR:-/tmp}/bt-test-home.$$"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
trap 'rm -rf "$BENCHTRIAGE_HOME"' EXIT INT TERM

case $what in
unit) unit_suites build ;;
e2e) e2e_suites ./benchtriage ;;
san) unit_suites build-san; e2e_suites ./build-san/benchtriage ;;
valgrind) BT_VALGRIND=1 e2e_suites ./benchtriage ;;
all)
	run lint sh tests/lint.sh
	unit_suites build
	e2e_suites ./benchtriage
	if [ "${BT_SKIP_SAN:-0}" != 1 ]; then
		if make --no-print-directory SAN=1 build unit-bins >/tmp/bt-san-build.$$ 2>&1; then
			unit_suites build-san
			e2e_suites ./build-san/benchtriage
		else
			cat /tmp/bt-san-build.$$; failed=$((failed + 1)); failures="$failures san-build"
		fi
		rm -f /tmp/bt-san-build.$$
	fi
	if [ "${BT_SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null 2>&1; then
		BT_VALGRIND=1 e2e_suites ./benchtriage
	fi
	if [ "${BT_SKIP_FUZZ:-0}" != 1 ]; then
		run "fuzz-brief" make --no-print-directory fuzz-brief
	fi
	;;
*) echo "usage: $0 [unit|e2e|san|valgrind]" >&2; exit 1 ;;
esac

[ -n "$failures" ] && printf 'failed suites:%s\n' "$failures"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
