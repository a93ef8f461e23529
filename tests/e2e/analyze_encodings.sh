#!/bin/sh
# A log saved by Windows PowerShell (`tool > log.txt`: UTF-16LE with a BOM), as "Unicode" big
# endian, as UTF-16 without its BOM, or as UTF-8 with a BOM must be read as the UTF-8 original:
# same outcome, failed step and id, subsystem, status, product type, family, verdict line and
# top hypothesis, for every log of tests/data/corpus and tests/data/real. Logs that are not
# valid UTF-8 have no UTF-16 twin and are skipped (counted). Under valgrind every 8th log.
. tests/e2e-lib.sh
i=0
skipped=0
: >"$TMPD/pairs"
for f in tests/data/corpus/*.log tests/data/real/*.log; do
	i=$((i + 1))
	if [ "${BT_VALGRIND:-0}" = 1 ] && [ $((i % 8)) -ne 0 ]; then continue; fi
	if ! iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1; then
		skipped=$((skipped + 1))
		continue
	fi
	# the encodings to try for this log: all four on every 5th, else PowerShell's
	encs=utf-16le-bom
	[ $((i % 5)) -eq 0 ] && encs="utf-16le-bom utf-16be-bom utf-16le utf-8-bom"
	bt analyze --json "$f" >"$TMPD/$i.want.json" 2>/dev/null
	for e in $encs; do
		case $e in
		utf-16le-bom) printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$f" ;;
		utf-16be-bom) printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$f" ;;
		utf-16le) iconv -f UTF-8 -t UTF-16LE "$f" ;;
		utf-8-bom) printf '\357\273\277'; cat "$f" ;;
		esac >"$TMPD/$i.$e.log"
		if bt analyze --json "$TMPD/$i.$e.log" >"$TMPD/$i.$e.json" 2>"$TMPD/err"; then
			printf '%s\t%s\t%s\n' "$f as $e" "$TMPD/$i.want.json" "$TMPD/$i.$e.json" >>"$TMPD/pairs"
		else
			fail "$f as $e: analyze exited non-zero: $(cat "$TMPD/err")"
		fi
		rm -f "$TMPD/$i.$e.log"
	done
done
same_readings "$TMPD/pairs"
check "some logs were compared (skipped $skipped of $i)" [ "$T_PASS" -gt 1 ]
finish
