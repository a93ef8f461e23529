#!/bin/sh
# End-to-end: `probe supply` against its built-in simulators, the exit-status contract for a
# missing port, and `analyze --trace` over the recorded simulator traces in tests/data/traces.
. tests/e2e-lib.sh
D=tests/data/traces

# --- no such port: exit 3 and exactly one line on stderr
bt probe supply --port /dev/ttyUSB_bt_absent >"$TMPD/out" 2>"$TMPD/err"
check "missing port exits 3" [ $? -eq 3 ]
check "missing port: one stderr line" [ "$(wc -l <"$TMPD/err")" -eq 1 ]
check "missing port: names it" grep -q '^benchtriage: /dev/ttyUSB_bt_absent: no such port' "$TMPD/err"
bt probe supply --port tcp:127.0.0.1:1 >/dev/null 2>"$TMPD/err"
check "refused tcp bridge exits 3" [ $? -eq 3 ]
check "refused tcp: one stderr line" [ "$(wc -l <"$TMPD/err")" -eq 1 ]
bt probe supply --simulate nonsense >/dev/null 2>"$TMPD/err"
check "unknown scenario is a usage error" [ $? -eq 1 ]
bt probe supply --port /dev/null --driver nonsense >/dev/null 2>&1
check "unknown driver is a usage error" [ $? -eq 1 ]
bt probe supply >/dev/null 2>&1
check "no port and no simulation is a usage error" [ $? -eq 1 ]
bt probe supply --port /dev/null --baud fast >/dev/null 2>"$TMPD/err"
check "a baud that is not a line speed is a usage error" [ $? -eq 1 ]
check "bad baud: says what it wants" grep -q -- '--baud wants a line speed' "$TMPD/err"
bt probe supply --simulate plateau --driver riden --baud 19200 --seconds 1 >"$TMPD/out" 2>&1
check "a Riden at a given baud (the menu's 19200) is read" grep -q '^# SIMULATED RD6006' "$TMPD/out"
printf 'baud = 115200\ncolour = blue\n' >"$TMPD/bad.conf"
bt probe supply --simulate plateau --driver scpi --profile "$TMPD/bad.conf" >/dev/null 2>"$TMPD/err"
check "bad SCPI profile exits 2" [ $? -eq 2 ]
check "bad SCPI profile names file:line" grep -q "bad.conf:2: unknown key 'colour'" "$TMPD/err"

# --- a simulated Korad streaming a plateau to CSV
bt probe supply --simulate plateau --driver korad --seconds 4 --csv "$TMPD/p.csv" >"$TMPD/out" 2>"$TMPD/err"
check "simulated korad exits 0" [ $? -eq 0 ]
check "output says SIMULATED" grep -q '^# SIMULATED Korad KA3005P' "$TMPD/out"
check "csv header" [ "$(head -1 "$TMPD/p.csv")" = "time_s,current_a,voltage_v" ]
check "csv time starts at 0" grep -q '^0.000,' "$TMPD/p.csv"
rows=$(($(wc -l <"$TMPD/p.csv") - 1))
check "about 6 Hz for 4 s ($rows rows)" [ "$rows" -ge 15 ] && [ "$rows" -le 40 ]
check "readings reach the 70 mA plateau" grep -Eq '^[0-9.]+,0\.0(69|70|71)' "$TMPD/p.csv"
check "achieved rate reported" grep -Eq '^# [0-9]+ samples, [0-9.]+ Hz achieved' "$TMPD/out"
bt analyze --json --trace "$TMPD/p.csv" >"$TMPD/a.json" 2>"$TMPD/err"
check "analyze --trace on the fresh CSV" grep -q '"supply.rate_hz"' "$TMPD/a.json"

# --- unplugged mid-run and back: reported, survived, trace kept
bt probe supply --simulate plateau --driver riden --faults unplug --seconds 5 --csv "$TMPD/u.csv" >"$TMPD/out" 2>"$TMPD/err"
check "unplug survived, exit 0" [ $? -eq 0 ]
check "unplug reported" grep -q 'supply vanished' "$TMPD/out"
check "return reported" grep -q 'supply is back' "$TMPD/out"
check "trace kept across the unplug" [ "$(wc -l <"$TMPD/u.csv")" -gt 20 ]

# --- the recorded simulator traces give their scenario's evidence
ev() { # file key -> value
	bt analyze --json --trace "$1" | python3 -c "import json,sys
d=json.load(sys.stdin)
print(next((e['value'] for e in d['evidence'] if e['key']=='$2'), ''))"
}
check "off" [ "$(ev $D/sim-korad-off.csv supply.pattern)" = off ]
check "normal boot" [ "$(ev $D/sim-korad-normal.csv supply.pattern)" = normal_boot ]
check "normal boot on a 10 mA supply" [ "$(ev $D/sim-rd6018-normal.csv supply.pattern)" = normal_boot ]
check "10 mA resolution stated" [ "$(ev $D/sim-rd6018-normal.csv supply.resolution_ma)" = 10 ]
check "boot loop (riden)" [ "$(ev $D/sim-riden-bootloop.csv supply.pattern)" = boot_loop ]
p=$(ev $D/sim-riden-bootloop.csv supply.period_s)
check "boot-loop period ~4 s ($p)" awk -v p="$p" 'BEGIN { exit !(p > 3.6 && p < 4.4) }'
check "boot loop (scpi)" [ "$(ev $D/sim-scpi-bootloop.csv supply.pattern)" = boot_loop ]
check "plateau (dps, 2.4 Hz)" [ "$(ev $D/sim-dps-plateau.csv supply.pattern)" = plateau ]
l=$(ev $D/sim-um25c-plateau.csv supply.level_ma)
check "plateau level ~70 mA ($l)" awk -v l="$l" 'BEGIN { exit !(l > 67 && l < 73) }'
check "short" [ "$(ev $D/sim-um-short.csv supply.pattern)" = short ]
check "short draws at plug-in" [ "$(ev $D/sim-um-short.csv supply.prepress_ma)" = 2400 ]

# --- bad traces: exit 2 with file:line
printf 'time_s,current_a,voltage_v\n0,0.1,4.2\n0.5,lots,4.2\n' >"$TMPD/bad.csv"
bt analyze --trace "$TMPD/bad.csv" >/dev/null 2>"$TMPD/err"
check "bad trace exits 2" [ $? -eq 2 ]
check "bad trace names file:line" grep -q "bad.csv:3: current_a" "$TMPD/err"

finish
