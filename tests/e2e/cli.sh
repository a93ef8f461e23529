#!/bin/sh
# The command-line contract of main.c: help, version, unknown verbs.
. tests/e2e-lib.sh
check "--help exits 0 and lists analyze" sh -c 'bt --help | grep -q "benchtriage analyze"'
check "--version prints a version" sh -c 'bt --version | grep -Eq "^benchtriage [0-9]+\.[0-9]+"'
bt no-such-verb >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "unknown verb exits 1" [ "$rc" -eq 1 ]
check "unknown verb: one stderr line starting benchtriage:" sh -c "[ \$(wc -l <'$TMPD/err') -eq 1 ] && grep -q '^benchtriage: ' '$TMPD/err'"
check "unknown verb prints nothing on stdout" [ ! -s "$TMPD/out" ]
bt probe >/dev/null 2>"$TMPD/err"; rc=$?
check "probe without a kind is a usage error" [ "$rc" -eq 1 ]
finish
