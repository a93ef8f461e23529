#!/bin/sh
# A log saved by Windows PowerShell (`tool > log.txt`: UTF-16LE with a BOM), as "Unicode" big
# endian, as UTF-16 without its BOM, or as UTF-8 with a BOM must be read as the UTF-8 original:
# same outcome, failed step and id, subsystem, status, product type, family, verdict line and
# top hypothesis, for every log of tests/data/corpus and tests/data/real. Logs that are not
# valid UTF-8 have no UTF-16 twin and are skipped (counted). Under valgrind every 8th log.
. tests/e2e-lib.sh
i=0
skipped=0
for f in tests/data/corpus/*.log tests/data/real/*.log; do
	i=$((i + 1))
	if [ "${BT_VALGRIND:-0}" = 1 ] && [ $((i % 8)) -ne 0 ]; then continue; fi
	# the encodings to try for this log: all four on every 5th, else PowerShell's
	encs=utf-16le-bom
	[ $((i % 5)) -eq 0 ] && encs="utf-16le-bom utf-16be-bom utf-16le utf-8-bom"
	if ! python3 - "$f" "$TMPD" $encs <<'PY'
import sys
src, out, encs = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    text = open(src, "rb").read().decode("utf-8")
except UnicodeDecodeError:
    sys.exit(3)
for e in encs:
    if e == "utf-8-bom":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif e.endswith("-bom"):
        data = ("\ufeff" + text).encode(e[:-4])
    else:
        data = text.encode(e)
    open(f"{out}/{e}.log", "wb").write(data)
PY
	then
		skipped=$((skipped + 1))
		continue
	fi
	bt analyze --json "$f" >"$TMPD/want.json" 2>/dev/null
	for e in $encs; do
		if ! bt analyze --json "$TMPD/$e.log" >"$TMPD/got.json" 2>"$TMPD/err"; then
			fail "$f as $e: analyze exited non-zero: $(cat "$TMPD/err")"
			continue
		fi
		check "$f as $e reads as the UTF-8 original" python3 - "$TMPD/want.json" "$TMPD/got.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def key(d):
    r = d["restore"]
    fs = r["failed_step"]
    top = d["hypotheses"][0]["id"] if d["hypotheses"] else None
    return (r["outcome"], fs["name"], fs["id"], (fs.get("origin") or {}).get("line"),
            r["subsystem"], r["status"], r["family"], d["device"]["product_type"], top)
ka, kb = key(a), key(b)
if ka != kb:
    print(f"  want {ka}\n  got  {kb}", file=sys.stderr)
    sys.exit(1)
PY
	done
done
check "some logs were compared (skipped $skipped of $i)" [ "$T_PASS" -gt 0 ]
finish
