#!/bin/sh
# Include boundaries and banned functions (DESIGN.md, aesthetics-anchors §9.1), made mechanical.
set -u
cd "$(dirname "$0")/.." || exit 1
bad=0
only_in() { # header pattern, allowed path regex
	hits=$(grep -rlE "#include *<$1" src probes tests/unit 2>/dev/null | grep -vE "$2" || true)
	if [ -n "$hits" ]; then echo "lint: <$1> included outside $2: $hits"; bad=1; fi
}
only_in 'n?curses\.h>' '^(src/ui/)'
only_in 'libirecovery\.h>' '^(probes/recovery/|tests/unit/test_recovery)'
only_in 'libusb\.h>' '^(probes/recovery/backend_irecv|tests/)'
only_in 'libserialport\.h>' '^(probes/supply/transport_sp|tests/unit/test_supply)'
only_in 'sqlite3\.h>' '^(src/store/|tests/unit/test_store)'
# Library code never prints: no stdout/stderr writes outside the CLI, the UI and main.
hits=$(grep -rnE '\b(printf|puts|perror)\(|fprintf\((stdout|stderr)' src probes \
	| grep -vE '^(src/cli/|src/ui/|src/main\.c)' | grep -vE ':\s*(/\*|\*)' || true)
if [ -n "$hits" ]; then echo "lint: library code prints:"; echo "$hits"; bad=1; fi
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atof)\(' src probes || true)
if [ -n "$hits" ]; then echo "lint: banned functions:"; echo "$hits"; bad=1; fi
hits=$(grep -rnE '#define +_(XOPEN|POSIX_C|GNU|DEFAULT)_SOURCE' src probes tests || true)
if [ -n "$hits" ]; then echo "lint: feature macros belong in the Makefile:"; echo "$hits"; bad=1; fi
[ $bad -eq 0 ] && echo "lint: clean"
exit $bad
