#!/bin/sh
# End-to-end: the dashboard in tmux (own socket, no user config). The demo bench, help,
# search, resize (down to too-small and back), quit, an 80x24 NO_COLOR run, the ASCII
# fallback, --max-seconds, hang-up (the terminal goes away) and the text mode off a terminal.
# Every wait polls the screen with a timeout; every session is killed at the end.
. tests/e2e-lib.sh

NAME=tui
. tests/e2e-tmux.sh

# start NAME WIDTH HEIGHT LANG ARGS...: the program in a fresh session; its exit status is
# printed as BT-EXIT=N when it ends, and the pane stays for the check.
start() {
	name=$1 w=$2 h=$3 lang=$4
	shift 4
	T new-session -d -s "$name" -x "$w" -y "$h" -c "$PWD" -e "LANG=$lang" -e "LC_ALL=" \
		-e "BENCHTRIAGE_HOME=${BENCHTRIAGE_HOME:-$TMPD/home}" ${NOCOLOR:+-e NO_COLOR=1} \
		"echo \$\$ > $TMPD/$name.pid; $RUN $*; echo BT-EXIT=\$?; sleep 600"
}
wait_gone() {
	tries=$(($3 * 10 * SCALE))
	while [ "$tries" -gt 0 ]; do
		screen "$1" | grep -qF -- "$2" || return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# A session that lives for the whole test, so killing the others never stops the server
# while the next one is being created.
T new-session -d -s keep -x 20 -y 5 "sleep 600"

# --- the demo at 100x30, UTF-8 ---
start demo 100 30 C.UTF-8 demo --speed 20
check "demo: panes drawn" wait_for demo "Diagnosis" 10
check "demo: marked SIMULATED" wait_for demo "SIMULATED" 5
check "demo: the recorded phone" wait_for demo "Mode Recovery" 5
check "demo: the restore fails at its step" wait_for demo "install_splat" 15
check "demo: the failing line" wait_for demo "line 29:" 5
check "demo: measured rate shown" wait_for demo " Hz" 10
check "demo: box drawing in UTF-8" wait_for demo "┌" 2
check "demo: next test listed" wait_for demo "Next test" 5

T send-keys -t demo '?'
check "help: opens" wait_for demo "this help" 5
T send-keys -t demo x
check "help: closes on a key" wait_gone demo "this help" 5

check "restore pane follows the newest line" wait_for demo "   51 [... corpus" 10
T send-keys -t demo PageUp
check "PgUp scrolls the log back" wait_gone demo "   51 [... corpus" 5
T send-keys -t demo End
check "End follows again" wait_for demo "   51 [... corpus" 5
T send-keys -t demo Tab Tab
sel() { screen demo | sed -n 's/.*▸\([a-z_]*\).*/\1/p' | head -n 1; }
before=$(sel)
T send-keys -t demo Down
tries=30
while [ "$tries" -gt 0 ] && [ "$(sel)" = "$before" ]; do sleep 0.1; tries=$((tries - 1)); done
after=$(sel)
check "Tab to the diagnosis, Down moves the cursor ($before -> $after)" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$1" != "$2" ]' _ "$before" "$after"
T send-keys -t demo Enter
check "Enter: why (the prior and what moved it)" wait_for demo "prior" 5
T send-keys -t demo Enter
check "Enter again: why closes" wait_gone demo ": prior" 5

T send-keys -t demo / s p l a t Enter
check "search: reports the match" wait_for demo "/splat  (n: older" 5

T resize-window -t demo -x 80 -y 24
check "resize 80x24: redrawn" wait_for demo "Diagnosis" 5
w=$(screen demo | while IFS= read -r l; do printf '%s' "$l" | LC_ALL=C.UTF-8 wc -m; done | sort -n | tail -n 1)
check "resize 80x24: nothing wider than 80 ($w)" test "$w" -le 80
T resize-window -t demo -x 50 -y 12
check "resize 50x12: says it is too small" wait_for demo "needs 60x16" 5
T resize-window -t demo -x 100 -y 30
check "resize back: panes again" wait_for demo "Current" 5

T send-keys -t demo r
check "r: a new attempt replays B" wait_for demo "attempt B: attempt-b.log" 5
check "r: said on the status line" wait_for demo "new restore attempt B started" 5

T send-keys -t demo q
check "quit: exits 0" wait_for demo "BT-EXIT=0" 10
T kill-session -t demo

# --- 80x24 from the start, NO_COLOR: no colour escapes, the layout fits ---
NOCOLOR=1 start mono 80 24 C.UTF-8 demo --speed 20
check "80x24 NO_COLOR: drawn" wait_for mono "Diagnosis" 10
check "80x24 NO_COLOR: restore pane" wait_for mono "attempt A" 5
T capture-pane -t mono -p -e > "$TMPD/mono.ansi"
if grep -q "$(printf '\033')\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\|48;5\)m" "$TMPD/mono.ansi"; then
	fail "80x24 NO_COLOR: colour escapes on screen"
else
	ok
fi
check "80x24 NO_COLOR: attributes still mark meaning" grep -q "$(printf '\033')\[[0-9;]*[17]m" "$TMPD/mono.ansi"
T send-keys -t mono q
check "80x24 NO_COLOR: exits 0" wait_for mono "BT-EXIT=0" 10
T kill-session -t mono

# --- a colour run does use colour ---
start colour 100 30 C.UTF-8 demo --speed 20
check "colour: drawn" wait_for colour "Diagnosis" 10
T capture-pane -t colour -p -e > "$TMPD/colour.ansi"
check "colour: colour escapes present" grep -q "$(printf '\033')\[[0-9;]*3[0-7]m" "$TMPD/colour.ansi"
T kill-session -t colour

# --- ASCII fallback when the locale is not UTF-8 ---
start ascii 100 30 C demo --speed 20
check "ascii: drawn" wait_for ascii "Diagnosis" 10
check "ascii: plain box corners" wait_for ascii "+ Phone" 5
if screen ascii | grep -q "┌"; then fail "ascii: UTF-8 box drawing in a C locale"; else ok; fi
T send-keys -t ascii q
check "ascii: exits 0" wait_for ascii "BT-EXIT=0" 10
T kill-session -t ascii

# --- --max-seconds ends the run by itself ---
start timed 100 30 C.UTF-8 demo --max-seconds 2
check "max-seconds: exits 0 on its own" wait_for timed "BT-EXIT=0" 15
T kill-session -t timed

# --- the wrong file followed: the restore pane says so; a real log does not get the line ---
head -c 3000 /dev/urandom | base64 >"$TMPD/notalog.bin" # 53 lines of noise
start wrong 100 30 C.UTF-8 --log "$TMPD/notalog.bin"
check "wrong file: the restore pane says it is no restore log" wait_for wrong "known restore-log family" 10
T kill-session -t wrong
start right 100 30 C.UTF-8 --log tests/data/corpus/39-iphone7,2-could-not-read-data-256.log
check "right file: analysed" wait_for right "send_nordata" 10
if screen right | grep -q "known restore-log family"; then fail "right file: said to be no log"; else ok; fi
T kill-session -t right

# --- the terminal goes away: the program ends instead of spinning ---
start gone 100 30 C.UTF-8 demo --speed 20
check "hang-up: started" wait_for gone "Diagnosis" 10
pid=$(cat "$TMPD/gone.pid" 2>/dev/null)
T kill-session -t gone
left=1
tries=$((50 * SCALE))
while [ "$tries" -gt 0 ]; do
	if ! pgrep -P "$pid" >/dev/null 2>&1 && ! kill -0 "$pid" 2>/dev/null; then left=0; break; fi
	sleep 0.1
	tries=$((tries - 1))
done
check "hang-up: no process left behind" test "$left" = 0

# --- a restore command under a pty, run again with r ---
cat > "$TMPD/fake-restore.sh" <<'EOF2'
#!/bin/sh
# Prints a real corpus log with colour escapes, a line at a time, and fails like the tool.
while IFS= read -r line; do printf '\033[1m%s\033[0m\n' "$line"; sleep 0.01; done \
	< "tests/data/corpus/39-iphone7,2-could-not-read-data-256.log"
exit 1
EOF2
start cmd 100 30 C.UTF-8 --run "'sh $TMPD/fake-restore.sh'"
check "--run: the command's log in the restore pane" wait_for cmd "Could not read data (-256)" 10
check "--run: the failing step" wait_for cmd "send_nordata" 10
if screen cmd | grep -q '\[1m\|\[0m'; then fail "--run: escape sequences on screen"; else ok; fi
check "--run: no phone is not a simulated one" wait_for cmd "No phone in recovery/DFU mode" 5
if screen cmd | grep -q SIMULATED; then fail "--run: a real bench marked SIMULATED"; else ok; fi
T send-keys -t cmd r
check "--run: r runs it again as attempt B" wait_for cmd "attempt B: fake-restore.sh" 5
check "--run: and it fails again" wait_for cmd "attempt B: fake-restore.sh  failed  11 lines" 10
check "--run: the command ended" wait_gone cmd "lines  live" 10
T send-keys -t cmd q
check "--run: exits 0" wait_for cmd "BT-EXIT=0" 10
T kill-session -t cmd

# --- quitting while a restore command runs asks first, then stops it ---
cat > "$TMPD/slow-restore.sh" <<EOF2
#!/bin/sh
echo \$\$ > "$TMPD/slow.pid"
echo "Waiting for device in restore mode..."
exec sleep 300
EOF2
start slow 100 30 C.UTF-8 -- sh "$TMPD/slow-restore.sh"
check "running command: shown" wait_for slow "Waiting for device" 10
T send-keys -t slow q
check "running command: q asks first" wait_for slow "q again stops it" 5
if screen slow | grep -q "BT-EXIT"; then fail "running command: one q quit"; else ok; fi
T send-keys -t slow x
check "running command: another key goes on" wait_gone slow "q again stops it" 5
T send-keys -t slow q q
check "running command: q q quits" wait_for slow "BT-EXIT=0" 10
slow_pid=$(cat "$TMPD/slow.pid" 2>/dev/null)
check "running command: its pid was seen ($slow_pid)" test -n "$slow_pid"
left=1
tries=30
while [ -n "$slow_pid" ] && [ "$tries" -gt 0 ]; do
	kill -0 "$slow_pid" 2>/dev/null || { left=0; break; }
	sleep 0.1
	tries=$((tries - 1))
done
check "running command: stopped when quitting" test "$left" = 0
T kill-session -t slow

# --- following a log another program writes ---
: > "$TMPD/live.log"
start follow 100 30 C.UTF-8 --log "$TMPD/live.log"
check "--log: waiting" wait_for follow "live.log" 10
head -n 2 "tests/data/corpus/39-iphone7,2-could-not-read-data-256.log" >> "$TMPD/live.log"
check "--log: new lines appear" wait_for follow "    2 " 5
tail -n +3 "tests/data/corpus/39-iphone7,2-could-not-read-data-256.log" >> "$TMPD/live.log"
check "--log: the failure when it is written" wait_for follow "Could not read data (-256)" 5
T send-keys -t follow q
check "--log: exits 0" wait_for follow "BT-EXIT=0" 10
T kill-session -t follow

# --- a terminal curses cannot use: the text analysis instead, exit 0 ---
T new-session -d -s badterm -x 120 -y 80 -c "$PWD" -e LANG=C.UTF-8 \
	"TERM=no-such-terminal-xyz $RUN demo --speed 50 2>$TMPD/badterm.err; echo BT-EXIT=\$?; sleep 600"
check "bad TERM: falls back to text" wait_for badterm "No usable terminal" 15
check "bad TERM: exits 0" wait_for badterm "BT-EXIT=0" 15
check "bad TERM: says so on stderr" grep -q "^benchtriage: cannot start the dashboard" "$TMPD/badterm.err"
T kill-session -t badterm

# --- off a terminal: a one-shot text analysis, exit 0 ---
out=$(bt demo </dev/null 2>"$TMPD/err")
rc=$?
check "text mode: exit 0 ($rc)" test "$rc" = 0
check "text mode: says why" sh -c 'printf "%s" "$1" | grep -q "Not a terminal"' _ "$out"
check "text mode: the failing step" sh -c 'printf "%s" "$1" | grep -q "failing step install_splat"' _ "$out"
check "text mode: a diagnosis" sh -c 'printf "%s" "$1" | grep -q "Diagnosis"' _ "$out"
check "text mode: no curses escapes" sh -c 'printf "%s" "$1" | grep -qv "$(printf "\033")\["' _ "$out"

# --- bad arguments ---
bt demo --speed nope >/dev/null 2>"$TMPD/err"
check "usage: bad --speed is exit 1" test "$?" = 1
check "usage: one-line diagnostic" grep -q "^benchtriage: --speed" "$TMPD/err"
bt --recording /nonexistent/x.rec </dev/null >/dev/null 2>"$TMPD/err"
check "missing recording: exit 2" test "$?" = 2
check "missing recording: names the file" grep -q "x.rec" "$TMPD/err"

finish
