#!/bin/sh
# The command-line contract of main.c: help, version, unknown verbs.
. tests/e2e-lib.sh
bt --help >"$TMPD/help" 2>&1; rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help lists analyze" grep -q "benchtriage analyze" "$TMPD/help"
bt --version >"$TMPD/ver"
check "--version prints a version" grep -Eq "^benchtriage [0-9]+\.[0-9]+" "$TMPD/ver"
bt no-such-verb >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "unknown verb exits 1" [ "$rc" -eq 1 ]
check "unknown verb: one stderr line" [ "$(wc -l <"$TMPD/err")" -eq 1 ]
check "unknown verb: line starts benchtriage:" grep -q '^benchtriage: ' "$TMPD/err"
check "unknown verb prints nothing on stdout" [ ! -s "$TMPD/out" ]
bt probe >/dev/null 2>"$TMPD/err"; rc=$?
check "probe without a kind is a usage error" [ "$rc" -eq 1 ]
for v in analyze boards "probe recovery" "probe supply" probe case report stats demo; do
	# shellcheck disable=SC2086
	bt $v --help >"$TMPD/vh" 2>"$TMPD/vh.err"; rc=$?
	check "$v --help exits 0" [ "$rc" -eq 0 ]
	check "$v --help prints its usage on stdout" grep -q "^usage: benchtriage" "$TMPD/vh"
	check "$v --help is quiet on stderr" [ ! -s "$TMPD/vh.err" ]
done
finish
