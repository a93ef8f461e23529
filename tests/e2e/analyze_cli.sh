#!/bin/sh
# analyze command line: observations without a log, the Face ID 4013 rule of thumb, exit
# statuses for missing files and bad arguments, JSON shape, and bad input that must not crash.
. tests/e2e-lib.sh

json_get() { # file, python expression over d
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# A Face ID board with 4013 and nothing else: the front-flex test comes first.
for b in d22ap iPhone11,2 iphone12 D53GAP d16ap d73ap d83ap d93ap; do
	bt analyze --json --board "$b" --error 4013 >"$TMPD/f.json" 2>"$TMPD/err"
	check "$b 4013 exits 0" [ $? -eq 0 ]
	check "$b 4013: front_flex_disconnect first" \
		[ "$(json_get "$TMPD/f.json" 'd["next_tests"][0]["id"]')" = front_flex_disconnect ]
	check "$b 4013: earpiece_flex leads" \
		[ "$(json_get "$TMPD/f.json" 'd["hypotheses"][0]["id"]')" = earpiece_flex ]
done

# The same error on a Touch ID board does not propose the front-flex test at all.
bt analyze --json --board d10ap --error 4013 >"$TMPD/t.json"
check "iPhone 7 4013: no front-flex test" \
	[ "$(json_get "$TMPD/t.json" '"front_flex_disconnect" in [t["id"] for t in d["next_tests"]]')" = False ]
check "iPhone 7: audio_ic is a hypothesis" \
	[ "$(json_get "$TMPD/t.json" '"audio_ic" in [h["id"] for h in d["hypotheses"]]')" = True ]

# iPhone 7 audio symptoms put the audio IC first, with the evidence behind it.
bt analyze --json --board iPhone9,3 --symptom speaker_button_greyed --symptom voice_memos_greyed >"$TMPD/a.json"
check "audio symptoms: audio_ic first" [ "$(json_get "$TMPD/a.json" 'd["hypotheses"][0]["id"]')" = audio_ic ]
check "audio symptoms: one grouped contribution" \
	[ "$(json_get "$TMPD/a.json" 'len(d["hypotheses"][0]["evidence"])')" = 1 ]
check "audio symptoms: evidence names its source" \
	[ "$(json_get "$TMPD/a.json" '"[S51]" in d["hypotheses"][0]["evidence"][0]["source"]')" = True ]

# Symptoms alone (no restore): the board fault they point at leads, and host/cable tests are not offered.
bt analyze --json --board iphone6 --symptom grey_bar_top >"$TMPD/s.json"
check "grey bar: touch_ic first" [ "$(json_get "$TMPD/s.json" 'd["hypotheses"][0]["id"]')" = touch_ic ]
check "grey bar: no cable swap offered" \
	[ "$(json_get "$TMPD/s.json" '"cable_port_computer_swap" in [t["id"] for t in d["next_tests"]]')" = False ]
bt analyze --json --board d421ap --symptom restarts_every_3_minutes >"$TMPD/s3.json"
check "three-minute restarts: sensor_flex first" [ "$(json_get "$TMPD/s3.json" 'd["hypotheses"][0]["id"]')" = sensor_flex ]

# A recorded test outcome is applied and the test is not proposed again.
bt analyze --json --board d22ap --error 4013 >"$TMPD/b.json"
p_before=$(json_get "$TMPD/b.json" '[h["probability"] for h in d["hypotheses"] if h["id"]=="earpiece_flex"][0]')
check "JSON schema and sections" [ "$(json_get "$TMPD/b.json" 'sorted(d.keys())')" = \
	"['device', 'evidence', 'hypotheses', 'inputs', 'next_tests', 'restore', 'schema']" ]
check "probabilities sum to 1" [ "$(json_get "$TMPD/b.json" 'abs(sum(h["probability"] for h in d["hypotheses"]) - 1) < 1e-4')" = True ]
check "observations only: outcome unknown" [ "$(json_get "$TMPD/b.json" 'd["restore"]["outcome"]')" = unknown ]
check "device from --board" [ "$(json_get "$TMPD/b.json" 'd["device"]["product_type"]')" = iPhone10,3 ]
check "earpiece_flex probability is a number in (0,1)" python3 -c "import sys; p=float(sys.argv[1]); sys.exit(not 0 < p < 1)" "$p_before"

# Text view for a person names device, causes and next test.
bt analyze --board d22ap --error 4013 >"$TMPD/t.txt"
check "text: device line" grep -q '^Device: .*iPhone X' "$TMPD/t.txt"
check "text: next test line" grep -q '^Next test: *front_flex_disconnect' "$TMPD/t.txt"
check "text: causes with percentages" grep -q '%  earpiece_flex' "$TMPD/t.txt"

# A log file: failing step with its line.
bt analyze tests/data/corpus/08-iphone7,x-fdr_create-failure-6.log >"$TMPD/l.txt"
check "text: failing step and subsystem" grep -q 'failed in step fdr_create (0x0616), subsystem fdr' "$TMPD/l.txt"

# Exit statuses.
bt analyze "$TMPD/does-not-exist.log" >/dev/null 2>"$TMPD/e"
check "missing file exits 2" [ $? -eq 2 ]
check "missing file: one line starting benchtriage:" [ "$(wc -l <"$TMPD/e")" -eq 1 ] && grep -q '^benchtriage: ' "$TMPD/e"
mkdir -p "$TMPD/dir.log"
bt analyze "$TMPD/dir.log" >/dev/null 2>&1
check "a directory is unreadable input (exit 2)" [ $? -eq 2 ]
bt analyze --bogus >/dev/null 2>&1
check "unknown option exits 1" [ $? -eq 1 ]
bt analyze --error 12x >/dev/null 2>&1
check "non-numeric --error exits 1" [ $? -eq 1 ]
bt analyze --error 99999999999999999999 >/dev/null 2>&1
check "absurd --error exits 1" [ $? -eq 1 ]
bt analyze --board nosuchboard --error 9 >/dev/null 2>&1
check "unknown board exits 1" [ $? -eq 1 ]
bt analyze --symptom no_such_symptom >/dev/null 2>&1
check "unknown symptom exits 1" [ $? -eq 1 ]
bt analyze >/dev/null 2>&1
check "nothing to analyse exits 1" [ $? -eq 1 ]

# Hooks: a recording adds iboot.* evidence and the board; unreadable hook inputs exit 2.
rec=tests/data/recordings/iphone7-radio-error.rec
if [ -f "$rec" ]; then
	bt analyze --json --recording "$rec" >"$TMPD/r.json"
	check "recording: board from CPID/BDID" [ "$(json_get "$TMPD/r.json" 'd["device"]["board_config"]')" = d101ap ]
	check "recording: radio error moves baseband" [ "$(json_get "$TMPD/r.json" \
		'[c["rule"] for h in d["hypotheses"] if h["id"]=="baseband" for c in h["evidence"]]')" = "['radio_error']" ]
fi
bt analyze --recording "$TMPD/none.rec" >/dev/null 2>"$TMPD/e"
check "missing recording exits 2" [ $? -eq 2 ]
bt analyze --board d10ap --trace "$TMPD/none.csv" >/dev/null 2>"$TMPD/e"
check "missing trace exits 2" [ $? -eq 2 ]
check "missing trace: one line naming it" grep -q "^benchtriage: .*none.csv" "$TMPD/e"

# Bad input must not crash or hang: empty file, random bytes, NUL bytes, one long line.
: >"$TMPD/empty.log"
head -c 200000 /dev/urandom >"$TMPD/random.log"
printf 'Status: Disk\000 Failure\n\000\000\000\nCheckpoint FAILURE id: 0x99999999999999999999 result=-99999999999999999999\n' >"$TMPD/nul.log"
python3 -c "import sys; sys.stdout.write('Checkpoint ' + 'A' * (20 * 1024 * 1024) + '\\nStatus: Disk Failure\\n')" >"$TMPD/long.log"
for f in empty random nul long; do
	timeout 20 "$BT_BIN" analyze --json "$TMPD/$f.log" >"$TMPD/$f.json" 2>/dev/null
	check "$f input exits 0" [ $? -eq 0 ]
	check "$f input gives valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$TMPD/$f.json"
done
check "the line after a 20 MB line is still read" [ "$(json_get "$TMPD/long.json" 'd["restore"]["status"]')" = 6 ]

# "-" reads the log from standard input, as the same file would be read; once, never into a case
f39=tests/data/corpus/39-iphone7,2-could-not-read-data-256.log
bt analyze --json "$f39" >"$TMPD/file.json"
bt analyze --json - <"$f39" >"$TMPD/stdin.json"
check "stdin: exits 0" [ $? -eq 0 ]
check "stdin: same restore as the file" python3 -c "
import json,sys
a,b=(json.load(open(p))['restore'] for p in sys.argv[1:3])
for r in (a, b):
    r['failed_step'].pop('origin', None); r['verdict'].pop('file', None)
sys.exit(a!=b)" "$TMPD/file.json" "$TMPD/stdin.json"
check "stdin: origin named (standard input)" grep -q '(standard input)' "$TMPD/stdin.json"
bt analyze - - </dev/null >/dev/null 2>"$TMPD/e"
check "stdin twice exits 1" [ $? -eq 1 ]
bt analyze --case c1 - <"$f39" >/dev/null 2>"$TMPD/e"
check "stdin into a case exits 1" [ $? -eq 1 ]
check "stdin into a case: one line saying why" [ "$(grep -c "^benchtriage: analyze: a log from standard input" "$TMPD/e")" -eq 1 ]

# A file with no line of any restore-log family (the wrong file picked) is said so in one
# stderr line naming it; the analysis of the other inputs goes on and exits 0. A real log
# beside it gets no such line.
good=tests/data/corpus/05-iphone8,1-updating-nand-firmware-58-fdr-timeout.log
bt analyze "$TMPD/random.log" "$good" >"$TMPD/o" 2>"$TMPD/e"
check "wrong file beside a log exits 0" [ $? -eq 0 ]
check "wrong file: one warning line naming it" [ "$(grep -c "^benchtriage: warning: $TMPD/random.log: no line" "$TMPD/e")" -eq 1 ]
check "wrong file: the log beside it is still analysed" grep -q "update_NAND_firmware" "$TMPD/o"
check "wrong file: nothing said about the real log" [ "$(wc -l <"$TMPD/e")" -eq 1 ]
finish
