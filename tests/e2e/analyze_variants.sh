#!/bin/sh
# The same log as it reaches the bench by other roads must read the same: saved on Windows
# (CRLF), by an old Mac tool (CR only), quoted in an e-mail or forum reply ("> "), pasted as
# an indented block, with trailing blanks, captured from a terminal in colour, or with a date
# and time before each line (a CI runner's, `ts`'s, a logger's, a Windows GUI's). Same
# outcome, failed step, id and line, subsystem, status, product, family, verdict line and top
# hypothesis as the file as it is, for every log of tests/data/corpus and tests/data/real.
# Each log gets one of the variants in turn (each variant meets a tenth of the logs); under
# valgrind every 8th log.
. tests/e2e-lib.sh
VARIANTS="crlf quoted indented colour cr trailing ci ts bracketed windows"
nvar=10
i=0
: >"$TMPD/pairs"
for f in tests/data/corpus/*.log tests/data/real/*.log; do
	i=$((i + 1))
	if [ "${BT_VALGRIND:-0}" = 1 ] && [ $((i % 8)) -ne 0 ]; then continue; fi
	v=$(echo $VARIANTS | cut -d' ' -f$((i % nvar + 1)))
	case $v in
	crlf) sed 's/$/\r/' "$f" ;;
	cr) tr '\n' '\r' <"$f" ;;
	quoted) sed 's/^/> /' "$f" ;;
	indented) sed 's/^/    /' "$f" ;;
	trailing) sed 's/$/ \t /' "$f" ;;
	colour) sed 's/^/\x1b[0;1m/; s/ERROR/\x1b[31mERROR\x1b[0m/g; s/$/\x1b[0m/' "$f" ;;
	ci) sed 's/^/2024-03-01T10:00:00.1234567Z /' "$f" ;;
	ts) sed 's/^/Nov  2 14:05:01 /' "$f" ;;
	bracketed) sed 's/^/[2024-03-01 10:00:00] /' "$f" ;;
	windows) sed 's|^|3/1/2024 9:05:01 PM - |' "$f" ;;
	esac >"$TMPD/$i.$v.log"
	bt analyze --json "$f" >"$TMPD/$i.want.json" 2>/dev/null
	if bt analyze --json "$TMPD/$i.$v.log" >"$TMPD/$i.got.json" 2>"$TMPD/err"; then
		printf '%s\t%s\t%s\n' "$f $v" "$TMPD/$i.want.json" "$TMPD/$i.got.json" >>"$TMPD/pairs"
	else
		fail "$f $v: analyze exited non-zero: $(cat "$TMPD/err")"
	fi
	rm -f "$TMPD/$i.$v.log"
done
same_readings "$TMPD/pairs"
check "some logs were compared" [ "$T_PASS" -gt 1 ]
finish
