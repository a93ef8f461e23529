#!/bin/sh
# analyze --json over every labelled log of a folder (tests/data/corpus, or the one named by
# BT_CORPUS, e.g. tests/data/real): outcome, failed step, step id, subsystem, status code,
# product type and format (family) must match its labels.tsv; a log whose labelled cause is
# host, firmware, user data or none must not get a board fault as top hypothesis; a restore
# that failed in a storage step ranks nand first. The folder's known-misses.tsv (file, field, why) lists
# fields known to differ: those are reported, and one that starts to match fails the test
# until the list is updated.
. tests/e2e-lib.sh
corpus=${BT_CORPUS:-tests/data/corpus}
labels=$corpus/labels.tsv
misses=$corpus/known-misses.tsv
[ -f "$labels" ] || { fail "no $labels"; finish; exit 1; }

# Under valgrind a third of the logs (each is checked natively and under ASan+UBSan anyway):
# memcheck costs about 1.5 s a log.
rows() { tail -n +2 "$labels" | awk -v v="${BT_VALGRIND:-0}" 'v != 1 || NR % 3 == 1'; }
k=0
: >"$TMPD/manifest"
rows | while IFS='	' read -r file fam pt outcome step stepid subsys status cause basis; do
	k=$((k + 1))
	out=$TMPD/$k.json
	if ! bt analyze --json "$corpus/$file" >"$out" 2>"$TMPD/err"; then
		echo "FAIL: $file: analyze exited non-zero: $(cat "$TMPD/err")"
		continue
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$out" "$file" "$pt" "$outcome" "$step" \
		"$stepid" "$subsys" "$status" "$cause" "$fam" >>"$TMPD/manifest"
done >"$TMPD/report"
# one interpreter checks every log's output against its labels
python3 - "$TMPD/manifest" "$misses" <<'PY' >>"$TMPD/report"
import json, os, sys
manifest, misses = sys.argv[1:3]
known_all = {}
if os.path.exists(misses):
    for line in open(misses):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 2 and not line.startswith("#"):
            known_all.setdefault(f[0], set()).add(f[1])
def want(label):
    return None if label == "-" else label
board_faults = {"nand", "earpiece_flex", "audio_ic", "baseband", "nfc_se", "charge_port",
                "logic_board", "touchid_sensor", "touch_ic", "receiver_module", "vdd_boost_short"}
for row in open(manifest):
    path, name, pt, outcome, step, stepid, subsys, status, cause, fam = row.rstrip("\n").split("\t")
    known = known_all.get(name, set())
    d = json.load(open(path))
    r = d["restore"]
    fs = r["failed_step"]
    checks = [
        ("outcome", r["outcome"], outcome),
        ("failed_step.name", fs["name"], want(step)),
        ("failed_step.id", fs["id"], want(stepid)),
        ("subsystem", r["subsystem"], subsys),
        ("status", None if r["status"] is None else str(r["status"]), want(status)),
        ("product_type", d["device"]["product_type"], want(pt)),
        ("format", r["family"], want(fam)),
    ]
    bad = [f"{k}: got {g!r}, want {w!r}" for k, g, w in checks if g != w and k not in known]
    for k, g, w in checks:
        if k in known and g == w:
            bad.append(f"{k} is listed in known-misses.tsv but now matches: take it out")
        elif k in known:
            print(f"KNOWN: {name}: {k}: got {g!r}, want {w!r}", file=sys.stderr)
    hyps = d["hypotheses"]
    if not hyps:
        bad.append("no hypotheses")
    else:
        total = sum(h["probability"] for h in hyps)
        if abs(total - 1.0) > 1e-6:
            bad.append(f"probabilities sum to {total}")
        top = hyps[0]["id"]
        if cause in ("host", "firmware", "user_data", "none") and top in board_faults:
            bad.append(f"cause {cause} but top hypothesis {top}")
        if r["outcome"] == "failed" and r["subsystem"] == "storage" and top != "nand":
            bad.append(f"failed in a storage step but top hypothesis {top}")
    for b in bad:
        print(f"FAIL: {name}: {b}")
    if not bad:
        print(f"PASS: {name}")
PY
n=$(rows | wc -l)
grep '^FAIL' "$TMPD/report" >&2
for f in $(grep '^PASS' "$TMPD/report" | cut -d' ' -f2); do ok; done
for f in $(grep '^FAIL' "$TMPD/report" | cut -d' ' -f2 | sort -u); do T_FAIL=$((T_FAIL + 1)); done
check "every labelled log was checked ($n)" [ $((T_PASS + T_FAIL)) -eq "$n" ]
finish
