#!/bin/sh
# case: the case commands end to end — new prints the id alone, add/list/show, verdicts,
# export -> import round trip (re-scored), stats from verdicts, and clean errors for a
# missing case, bad arguments and a home that cannot be written.
. tests/e2e-lib.sh
export BENCHTRIAGE_HOME="$TMPD/home"
LOG=tests/data/corpus/05-iphone8,1-updating-nand-firmware-58-fdr-timeout.log
LOG2=tests/data/corpus/01-iphone10,2-futurerestore-success.log

id=$(bt case new --label "iPhone 8 no boot")
check "case new prints only a number" sh -c "echo '$id' | grep -qx '[0-9][0-9]*'"
id2=$(bt case new)
check "ids increase" test "$id2" -gt "$id"
check "store created under BENCHTRIAGE_HOME" test -f "$BENCHTRIAGE_HOME/cases.db"

bt case add "$id" --log "$LOG" --symptom no_boot --test cable_port_computer_swap=same_failure \
	--note "customer: dropped" --set serial=F2LXK0ABCDEF --evidence restore.error=4013
check "case add exits 0" test $? -eq 0
bt case add "$id2" --log "$LOG2"
bt case list >"$TMPD/list"
check "list shows the label" grep -q 'iPhone 8 no boot' "$TMPD/list"
check "list shows both cases" test "$(grep -c '^[0-9]' "$TMPD/list")" -eq 2
bt case list --json >"$TMPD/list.json"
check "list --json parses" python3 -c "import json,sys; d=json.load(open('$TMPD/list.json')); sys.exit(0 if len(d)==2 and d[1]['label']=='iPhone 8 no boot' else 1)"
bt case show "$id" >"$TMPD/show"
check "show lists evidence from the log" grep -q 'restore.outcome = failed' "$TMPD/show"
check "show keeps the typed error" grep -q 'restore.error = 4013' "$TMPD/show"
check "show ranks hypotheses" grep -q 'Diagnosis' "$TMPD/show"
check "show lists the attempt" grep -q '05-iphone8,1' "$TMPD/show"

# analyze --case records the log, its evidence and the ranking into the case.
bt analyze --case "$id2" --error 4013 "$LOG2" >/dev/null
check "analyze --case exits 0" test $? -eq 0
bt case show "$id2" >"$TMPD/show2a"
check "analyze --case stored a second attempt" test "$(grep -c '^  #[0-9]' "$TMPD/show2a")" -eq 2
check "analyze --case stored the typed error" grep -q 'restore.error = 4013' "$TMPD/show2a"
bt analyze --case 424242 "$LOG2" >/dev/null 2>"$TMPD/e"
check "analyze --case on a missing case exits 2" test $? -eq 2

bt case verdict "$id" --part nand --fixed yes --note "replaced NAND"
check "verdict recorded" test $? -eq 0
bt case verdict "$id2" --part none --fixed yes
bt case verdict "$id" --part nand --fixed maybe 2>"$TMPD/e"
check "bad --fixed is a usage error" test $? -eq 1
bt case verdict 424242 --part nand --fixed yes 2>"$TMPD/e"
check "verdict on a missing case exits 2" test $? -eq 2
check "missing case message" grep -q '^benchtriage: case 424242: no such case' "$TMPD/e"
bt case show abc 2>/dev/null
check "non-numeric id is a usage error" test $? -eq 1
bt case frobnicate 2>/dev/null
check "unknown subcommand is a usage error" test $? -eq 1
bt case add "$id" --log "$TMPD/missing.log" 2>"$TMPD/e"
check "unreadable log exits 2" test $? -eq 2
check "unreadable log names the file" grep -q 'missing.log' "$TMPD/e"

# Export -> import: raw data identical, evidence re-derived, diagnosis the same.
bt case export "$id" -o "$TMPD/pack"
check "export exits 0" test $? -eq 0
check "pack has case.json" test -s "$TMPD/pack/case.json"
check "pack log is the raw log" cmp -s "$LOG" "$TMPD/pack/logs/attempt-1.log"
bt case export "$id" -o "$TMPD/pack" 2>/dev/null
check "export refuses a non-empty directory" test $? -ne 0
new=$(bt case import "$TMPD/pack" 2>"$TMPD/imp.err")
check "import prints a new id" sh -c "echo '$new' | grep -qx '[0-9][0-9]*' && test '$new' != '$id'"
bt report "$id" --format json >"$TMPD/a.json"
bt report "$new" --format json >"$TMPD/b.json"
cat >"$TMPD/same.py" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def ev(d): return sorted((e["key"], e["value"]) for e in d["evidence"])
def hy(d): return [(h["id"], round(h["probability"], 6)) for h in d["diagnosis"]["hypotheses"]]
errs = []
if ev(a) != ev(b): errs.append("evidence differs: %s" % (set(ev(a)) ^ set(ev(b))))
if hy(a) != hy(b): errs.append("ranking differs")
if a["verdict"]["part"] != b["verdict"]["part"] or not b["verdict"]["fixed"]: errs.append("verdict lost")
if a["case"]["identifiers"] != b["case"]["identifiers"]: errs.append("identifiers lost")
if [t["id"] for t in a["tests"]] != [t["id"] for t in b["tests"]]: errs.append("tests lost")
if a["attempts"][0]["log"] != b["attempts"][0]["log"]: errs.append("log differs")
for e in errs: print("round trip:", e)
sys.exit(1 if errs else 0)
EOF
check "round trip keeps evidence, ranking, verdict, tests, log" python3 "$TMPD/same.py" "$TMPD/a.json" "$TMPD/b.json"
# An old pack's derived evidence is replaced by today's reading of the raw log.
python3 - "$TMPD/pack/case.json" <<'EOF'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
for e in d["evidence"]:
    if e["key"] == "restore.outcome": e["value"] = "stale-old-rule"
json.dump(d, open(p, "w"))
EOF
new2=$(bt case import "$TMPD/pack" 2>/dev/null)
bt case show "$new2" >"$TMPD/show2"
check "import re-scores the log" sh -c "grep -q 'restore.outcome = failed' '$TMPD/show2' && ! grep -q stale-old-rule '$TMPD/show2'"
bt case import "$TMPD/nowhere" 2>"$TMPD/e"
check "import of a missing pack exits 2" test $? -eq 2

# Stats from verdicts: three judged cases (original, two imports) plus the success.
bt stats --json >"$TMPD/stats.json"
check "stats --json counts the verdicts" python3 -c "
import json,sys; d=json.load(open('$TMPD/stats.json'))
ok = d['cases']==4 and d['fixed']==4 and sum(t['judged'] for t in d['top'])+d['undetermined']==4
ok = ok and all(0 <= t['right'] <= t['judged'] for t in d['top'] + d['rules']) and len(d['rules']) > 0
sys.exit(0 if ok else 1)"
bt stats >"$TMPD/stats.txt"
check "stats text has a table" grep -q 'HYPOTHESIS' "$TMPD/stats.txt"

# A home that cannot be created is a clean error, not a crash.
: >"$TMPD/afile"
BENCHTRIAGE_HOME="$TMPD/afile/home" bt case new >/dev/null 2>"$TMPD/e"
check "unusable home exits 2" test $? -eq 2
check "unusable home says why" grep -q '^benchtriage: .*cannot create' "$TMPD/e"
# A read-only home (another user's store), when we can drop privileges to check it.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$TMPD" && chmod 0555 "$BENCHTRIAGE_HOME"
	setpriv --reuid=65534 --regid=65534 --clear-groups env BENCHTRIAGE_HOME="$BENCHTRIAGE_HOME" \
		"$BT_BIN" case new >/dev/null 2>"$TMPD/e"
	check "read-only home exits 2" test $? -eq 2
	check "read-only home says so" grep -q 'read-only\|cannot write' "$TMPD/e"
	chmod 0700 "$BENCHTRIAGE_HOME"
fi
check "store still lists every case" test "$(bt case list | grep -c '^[0-9]')" -eq 4
# analyze --case keeps the raw recording and trace with the case, not only their evidence.
id3=$(bt case new --label "attach")
bt analyze --case "$id3" --recording tests/data/recordings/iphone11-bootloop.rec \
	--trace tests/data/traces/sim-dps-plateau.csv >/dev/null
check "analyze --case with recording and trace exits 0" test $? -eq 0
bt case show "$id3" >"$TMPD/show3"
check "the recording is kept in the case" grep -q 'iphone11-bootloop.rec, [0-9]* bytes' "$TMPD/show3"
check "the trace is kept in the case" grep -Eq 'sim-dps-plateau.csv: [1-9][0-9]* samples' "$TMPD/show3"
check "the trace's rate is measured, not 0" grep -Eq 'samples over [0-9.]+ s at [1-9]' "$TMPD/show3"
check "their evidence is in the case" grep -q 'supply.pattern = plateau' "$TMPD/show3"

finish
