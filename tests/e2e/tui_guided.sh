#!/bin/sh
# End-to-end: the guided "disconnect the front flex and retry" test in the demo dashboard,
# driven through tmux: attempt A (the failed restore on screen), the steps, attempt B (the
# retry), A and B side by side, the proposal, the technician's confirmation, and the result
# in the evidence, the diagnosis and the case store. Then the symptom checklist and the DFU
# warning. Every wait polls with a timeout; the sessions are killed at the end.
. tests/e2e-lib.sh

NAME=tui_guided
. tests/e2e-tmux.sh

export BENCHTRIAGE_HOME="$TMPD/home"
start() {
	name=$1 w=$2 h=$3
	shift 3
	T new-session -d -s "$name" -x "$w" -y "$h" -c "$PWD" -e LANG=C.UTF-8 -e LC_ALL= \
		-e "BENCHTRIAGE_HOME=$BENCHTRIAGE_HOME" "$RUN $*; echo BT-EXIT=\$?; sleep 600"
}
# pick NAME TEXT: moves the menu cursor down until the selected row holds TEXT.
pick() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		screen "$1" | grep -qF -- "> $2" && return 0
		T send-keys -t "$1" Down
		wait_for "$1" "Guided tests" 2 >/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# press_until NAME TEXT: Enter until TEXT shows (at most 8 times).
press_until() {
	for _ in 1 2 3 4 5 6 7 8; do
		screen "$1" | grep -qF -- "$2" && return 0
		T send-keys -t "$1" Enter
		wait_for "$1" "$2" 1 >/dev/null 2>&1 && return 0
	done
	wait_for "$1" "$2" 1
}

T new-session -d -s keep -x 20 -y 5 "sleep 600"
case_id=$(bt case new --label "tui guided e2e" 2>"$TMPD/err" | tr -dc '0-9')
check "a case to record into ($case_id)" test -n "$case_id"

start g 100 30 demo --speed 20 --case "$case_id"
check "A: the restore fails" wait_for g "line 29:" 15
check "A: replayed to its end" wait_for g "failed  51 lines" 15
T send-keys -t g t
check "menu opens" wait_for g "Guided tests" 5
check "menu: the flex test is offered" pick g "Disconnect the front"
T send-keys -t g Enter
check "safety first" wait_for g "Safety first" 5
check "safety: battery" wait_for g "battery" 2
T send-keys -t g Enter
check "A is the failed restore" wait_for g "use this restore as attempt A" 5
check "A/B table" wait_for g "B: flex disconnected" 2
check "A: status of the failure" wait_for g "status 100" 2
check "steps up to the retry" press_until g "start the restore now"
T send-keys -t g Enter
check "B: watched live" wait_for g "Watching the restore live" 5
check "B: header says attempt B" wait_for g "attempt B" 5
check "B: the run moves on by itself when the retry ends" wait_for g "▶ 6." 40
check "B: the retry succeeded, beside A's failure" wait_for g "cleanup_check_result" 2
check "B: proposal after the last step" press_until g "Tool proposes: restore_passed"
check "what the difference shows" wait_for g "The change made the difference" 2
T send-keys -t g Enter
check "recorded" wait_for g "Recorded test.front_flex_disconnect = restore_passed" 5
T send-keys -t g Escape
check "status line says so" wait_for g "recorded test.front_flex_disconnect = restore_passed" 5

# The symptom checklist: tick one, confirm.
T send-keys -t g t
check "menu again" wait_for g "Guided tests" 5
check "menu: the checklist" pick g "Symptom checklist"
T send-keys -t g Enter
check "checklist shown" wait_for g "[ ]" 5
T send-keys -t g Space
check "ticked" wait_for g "[x]" 3
T send-keys -t g Enter
check "checklist proposal" wait_for g "Tool proposes: symptoms_seen" 5
T send-keys -t g Enter
check "checklist recorded" wait_for g "Recorded test.symptom_checklist = symptoms_seen" 5
T send-keys -t g Escape

# The DFU restore warns before anything else; Esc cancels without recording.
T send-keys -t g t
check "menu a third time" wait_for g "Guided tests" 5
check "menu: DFU restore" pick g "DFU restore"
T send-keys -t g Enter
check "DFU: erases data" wait_for g "ERASES ALL DATA" 5
T send-keys -t g Escape
check "DFU: cancelled" wait_for g "Cancelled: nothing recorded" 5
T send-keys -t g Escape q
check "exits 0" wait_for g "BT-EXIT=0" 10
T kill-session -t g

bt case show "$case_id" >"$TMPD/case.txt" 2>&1
[ -n "${BT_E2E_VERBOSE:-}" ] && cat "$TMPD/case.txt"
check "case: the flex test is in the store" grep -q "front_flex_disconnect" "$TMPD/case.txt"
check "case: its outcome" grep -q "restore_passed" "$TMPD/case.txt"
check "case: the symptom ticked" grep -q "symptom\." "$TMPD/case.txt"
check "case: attempt A's log" grep -q "attempt-a.log" "$TMPD/case.txt"
check "case: attempt B's log" grep -q "attempt-b.log" "$TMPD/case.txt"
check "case: a current trace with samples" grep -q "samples over" "$TMPD/case.txt"
check "case: the phone's evidence" grep -q "iboot.mode = Recovery" "$TMPD/case.txt"
if grep -q "test\.dfu_restore" "$TMPD/case.txt"; then fail "case: a cancelled test was recorded"; else ok; fi

start nocase 100 30 demo --case 999999
check "unknown case: refused" wait_for nocase "BT-EXIT=2" 10
T kill-session -t nocase

finish
