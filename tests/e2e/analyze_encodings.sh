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
			printf '%s\t%s\t%s\t%s\n' "$f" "$e" "$TMPD/$i.want.json" "$TMPD/$i.$e.json" >>"$TMPD/pairs"
		else
			fail "$f as $e: analyze exited non-zero: $(cat "$TMPD/err")"
		fi
		rm -f "$TMPD/$i.$e.log"
	done
done
# one interpreter for all the comparisons: a line per pair, "ok" or what differs
python3 - "$TMPD/pairs" >"$TMPD/verdicts" <<'PY'
import json, sys
def key(d):
    r = d["restore"]
    fs = r["failed_step"]
    v = r.get("verdict") or {}
    top = d["hypotheses"][0]["id"] if d["hypotheses"] else None
    return (r["outcome"], fs["name"], fs["id"], (fs.get("origin") or {}).get("line"),
            r["subsystem"], r["status"], r["family"], d["device"]["product_type"],
            v.get("line"), top)
for row in open(sys.argv[1]):
    f, e, want, got = row.rstrip("\n").split("\t")
    ka, kb = (key(json.load(open(p))) for p in (want, got))
    print(f"ok {f} {e}" if ka == kb else f"FAIL {f} as {e}: want {ka} got {kb}")
PY
while read -r verdict rest; do
	if [ "$verdict" = ok ]; then ok; else fail "$rest"; fi
done <"$TMPD/verdicts"
check "every encoding was compared" [ "$(wc -l <"$TMPD/verdicts")" -eq "$(wc -l <"$TMPD/pairs")" ]
check "some logs were compared (skipped $skipped of $i)" [ "$T_PASS" -gt 1 ]
finish
