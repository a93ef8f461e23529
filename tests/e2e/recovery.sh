#!/bin/sh
# `benchtriage probe recovery`: no phone on this machine's (absent) USB bus, every shipped
# recording replayed, --json, --record round trip, bad recordings and bad arguments.
. tests/e2e-lib.sh
R=tests/data/recordings

now_ms() { date +%s%3N; }

# No phone: one stderr line, exit 3, nothing on stdout, well within a second.
t0=$(now_ms)
bt probe recovery >"$TMPD/out" 2>"$TMPD/err"; rc=$?
t1=$(now_ms)
check "no device: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "no device: one stderr line starting benchtriage:" sh -c "[ \$(wc -l <'$TMPD/err') -eq 1 ] && grep -q '^benchtriage: ' '$TMPD/err'"
check "no device: stdout empty" [ ! -s "$TMPD/out" ]
if [ "${BT_VALGRIND:-0}" != 1 ]; then
	check "no device: answered in $((t1 - t0)) ms (< 1000)" [ $((t1 - t0)) -lt 1000 ]
fi

# --wait keeps looking for that long, then gives up the same way.
t0=$(now_ms)
bt probe recovery --wait 1 >/dev/null 2>"$TMPD/err"; rc=$?
t1=$(now_ms)
check "--wait 1: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "--wait 1: waited about a second ($((t1 - t0)) ms)" [ $((t1 - t0)) -ge 950 ] && [ $((t1 - t0)) -lt 4000 ]
check "--wait 1: one stderr line" [ "$(wc -l <"$TMPD/err")" -eq 1 ]

# --watch with --wait on an empty bus: watches, then says no phone appeared.
bt probe recovery --watch --wait 0.5 >/dev/null 2>"$TMPD/err"; rc=$?
check "--watch --wait 0.5 with no device: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "--watch no device: message says so" grep -q '^benchtriage: .*no phone' "$TMPD/err"

# Every recording replays with the exit status it stands for and the evidence it holds.
replay() { # file, expected status, evidence line...
	f=$1; want=$2; shift 2
	bt probe recovery --replay "$R/$f" >"$TMPD/out" 2>"$TMPD/err"; rc=$?
	check "$f: exit $want (got $rc)" [ "$rc" -eq "$want" ]
	for line in "$@"; do
		check "$f: '$line'" grep -qxF "  $line" "$TMPD/out"
	done
}
replay iphonex-recovery-storage.rec 0 "iboot.mode = Recovery" "iboot.cpid = 0x8015" "iboot.bdid = 0x06" \
	"device.product_type = iPhone10,3" "iboot.restore_step = wait_for_storage" \
	"iboot.restore_subsystem = storage" "iboot.restore_outcome = initial_engine_no_return"
check "iphonex: empty boot-args is unknown, not a value" sh -c "! grep -q 'iboot.env.boot-args' '$TMPD/out'"
check "iphonex: variable meanings are printed" grep -q 'meaning: false keeps the phone in recovery' "$TMPD/out"
replay iphone7-radio-error.rec 0 "iboot.radio_error = 512" "device.product_type = iPhone9,3" \
	"iboot.env.radio-error-string = Communication failure"
check "iphone7: no restore step from a cleared list" sh -c "! grep -q 'iboot.restore_step ' '$TMPD/out'"
replay iphone8-dfu-only.rec 0 "iboot.mode = DFU" "iboot.pattern = dfu_only" "device.product_type = iPhone10,1"
check "iphone8: says getenv does not apply in DFU" grep -q 'not readable in DFU mode' "$TMPD/out"
replay iphone11-bootloop.rec 0 "iboot.pattern = boot_loop" "iboot.reenumerations = 3" "device.product_type = iPhone12,1"
replay iphone13pro-newer-than-table.rec 0 "iboot.cpid = 0x8110" "iboot.restore_step = install_splat"
check "iphone13pro: no board from libirecovery's table" sh -c "! grep -q 'libirecovery)' '$TMPD/out'"
replay iphone6s-stopped-answering.rec 4
check "stopped answering: one stderr line" sh -c "[ \$(wc -l <'$TMPD/err') -eq 1 ] && grep -q '^benchtriage: .*stopped answering' '$TMPD/err'"
replay no-device-watch.rec 3
check "empty recording: one stderr line" [ "$(wc -l <"$TMPD/err")" -eq 1 ]

# The board comes from boards/ first; with no profiles, libirecovery 1.0.0's table is the
# fallback, and it cannot name a phone newer than iPhone12,8.
mkdir -p "$TMPD/noboards"
cp boards/common.ini "$TMPD/noboards/" # rules only, no board identities
BENCHTRIAGE_BOARDS="$TMPD/noboards" bt probe recovery --replay "$R/iphonex-recovery-storage.rec" >"$TMPD/out" 2>/dev/null
check "no profiles: libirecovery names the iPhone X" grep -q '^Board  *d22ap (iPhone10,3).*libirecovery' "$TMPD/out"
BENCHTRIAGE_BOARDS="$TMPD/noboards" bt probe recovery --replay "$R/iphone13pro-newer-than-table.rec" >"$TMPD/out" 2>/dev/null
check "no profiles: iPhone14,2 stays unknown" grep -q '^Board  *unknown' "$TMPD/out"
check "no profiles: no product type invented" sh -c "! grep -q 'device.product_type' '$TMPD/out'"
bt probe recovery --replay "$R/iphone13pro-newer-than-table.rec" >"$TMPD/out" 2>/dev/null
check "with profiles: iPhone14,2 named from boards/" grep -q 'device.product_type = iPhone14,2' "$TMPD/out"

# analyze --recording combines the recording with the diagnosis (file:line cited).
bt analyze --recording "$R/iphonex-recovery-storage.rec" >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "analyze --recording: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "analyze --recording: cites the recording line" grep -q 'iphonex-recovery-storage.rec:[0-9]' "$TMPD/out"
printf 'benchtriage-recovery 1\nbogus\n' >"$TMPD/bad2.rec"
bt analyze --recording "$TMPD/bad2.rec" >/dev/null 2>"$TMPD/err"; rc=$?
check "analyze --recording bad file: exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "analyze --recording bad file: names file:line" grep -q 'bad2.rec:2: ' "$TMPD/err"

# --json is one JSON object with the documented parts.
for f in "$R"/*.rec; do
	bt probe recovery --replay "$f" --json >"$TMPD/json" 2>/dev/null
	case $f in *stopped*|*no-device*) continue ;; esac
	check "$(basename "$f") --json parses" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "benchtriage.probe.recovery/1"
assert d["backend"] == "replay"
assert d["mode"] in ("DFU", "Recovery", "WTF")
assert d["identity"]["cpid"].startswith("0x")
assert isinstance(d["variables"], list) and isinstance(d["evidence"], list)
keys = {e["key"] for e in d["evidence"]}
assert "iboot.cpid" in keys
for v in d["variables"]:
    assert v["state"] in ("value", "empty", "no_answer", "not_applicable")
    assert (v["value"] is None) == (v["state"] != "value")
' "$TMPD/json"
done
bt probe recovery --replay "$R/iphone11-bootloop.rec" --json >"$TMPD/json"
check "bootloop --json: watch pattern and period" python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))["watch"]
assert w["pattern"] == "boot_loop" and w["reenumerations"] == 3
assert 18.0 < w["period_s"] < 18.4
' "$TMPD/json"

# --record of a replay writes a recording that replays to the same evidence.
for f in iphonex-recovery-storage.rec iphone11-bootloop.rec iphone8-dfu-only.rec; do
	bt probe recovery --replay "$R/$f" --record "$TMPD/again.rec" >"$TMPD/a" 2>/dev/null
	bt probe recovery --replay "$TMPD/again.rec" >"$TMPD/b" 2>/dev/null
	sed -n '/^Evidence/,$p' "$TMPD/a" >"$TMPD/a.ev"
	sed -n '/^Evidence/,$p' "$TMPD/b" >"$TMPD/b.ev"
	check "$f: --record then --replay gives the same evidence" cmp -s "$TMPD/a.ev" "$TMPD/b.ev"
	check "$f: recorded file starts with the version line" sh -c "head -1 '$TMPD/again.rec' | grep -qx 'benchtriage-recovery 1'"
done

bt probe recovery --replay "$R/iphone6s-stopped-answering.rec" --record "$TMPD/gone.rec" >/dev/null 2>&1; rc=$?
check "stopped answering: still recorded, exit 4" [ "$rc" -eq 4 ]
bt probe recovery --replay "$TMPD/gone.rec" >/dev/null 2>&1; rc=$?
check "stopped answering: the re-recording replays to exit 4 too" [ "$rc" -eq 4 ]

# A broken recording: exit 2, one line naming file and line.
printf 'benchtriage-recovery 1\ninfo mode Recovery\nenv v bad\\q\n' >"$TMPD/bad.rec"
bt probe recovery --replay "$TMPD/bad.rec" >"$TMPD/out" 2>"$TMPD/err"; rc=$?
check "bad recording: exit 2 (got $rc)" [ "$rc" -eq 2 ]
check "bad recording: names file:line" grep -q "^benchtriage: .*bad.rec:3: " "$TMPD/err"
printf 'benchtriage-recovery 9\n' >"$TMPD/new.rec"
bt probe recovery --replay "$TMPD/new.rec" >/dev/null 2>"$TMPD/err"; rc=$?
check "newer format: exit 2" [ "$rc" -eq 2 ]
check "newer format: says so" grep -q 'format 9 is not understood' "$TMPD/err"
bt probe recovery --replay "$TMPD/missing.rec" >/dev/null 2>"$TMPD/err"; rc=$?
check "missing recording: exit 2" [ "$rc" -eq 2 ]

# Usage errors.
bt probe recovery --wait soon >/dev/null 2>&1; rc=$?
check "--wait soon: exit 1" [ "$rc" -eq 1 ]
bt probe recovery --wait -1 >/dev/null 2>&1; rc=$?
check "--wait -1: exit 1" [ "$rc" -eq 1 ]
bt probe recovery --frobnicate >/dev/null 2>&1; rc=$?
check "unknown flag: exit 1" [ "$rc" -eq 1 ]
bt probe recovery --replay >/dev/null 2>&1; rc=$?
check "--replay without a file: exit 1" [ "$rc" -eq 1 ]
# A replay and `analyze --recording` read the same file the same way: the same evidence, each
# variable citing the same line (board_config comes from analyze's board step, not the probe).
ev_of() { # json file, key filter -> sorted (key, value, line)
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(sorted((e["key"], str(e["value"]), e.get("line")) for e in d["evidence"]
             if e["key"].startswith(("iboot", "device")) and e["key"] != "device.board_config"))' "$1"
}
for f in tests/data/recordings/*.rec; do
	bt probe recovery --replay "$f" --json >"$TMPD/rp.json" 2>/dev/null || continue
	bt analyze --recording "$f" --json >"$TMPD/ar.json" 2>/dev/null
	check "$(basename "$f"): replay and analyze --recording give the same evidence" \
		[ "$(ev_of "$TMPD/rp.json")" = "$(ev_of "$TMPD/ar.json")" ]
done

finish
