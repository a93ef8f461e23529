#!/bin/sh
# Nothing shown is lost: the demo dashboard records into a case as it goes; killing it with
# SIGKILL mid-restore must leave the attempt's log so far, the current samples and the
# checkpoint markers in the case, and the store must open cleanly afterwards.
. tests/e2e-lib.sh

# Under valgrind the kill would land in valgrind, not in our process: the ASan and plain
# runs cover this test.
if [ "${BT_VALGRIND:-0}" = 1 ]; then
	finish
	exit $?
fi
NAME=tui_crash
. tests/e2e-tmux.sh
export BENCHTRIAGE_HOME="$TMPD/home"

id=$("$BT_BIN" case new --label crash)
check "case created" test -n "$id"
T new-session -d -s crash -x 120 -y 40 -c "$PWD" -e LANG=C.UTF-8 \
	-e "BENCHTRIAGE_HOME=$BENCHTRIAGE_HOME" "$BT_BIN demo --case $id --speed 2; sleep 600"
pid=""
for _ in $(seq 1 100); do
	pid=$(T list-panes -t crash -F '#{pane_pid}' 2>/dev/null | head -1)
	child=$(pgrep -P "$pid" -f "benchtriage" 2>/dev/null | head -1)
	[ -n "$child" ] && break
	sleep 0.1
done
check "the dashboard runs" test -n "$child"

# Wait until the case holds part of the log and some samples, while the restore still runs.
got=0
for _ in $(seq 1 200); do
	"$BT_BIN" case show "$id" >"$TMPD/show" 2>/dev/null
	# Part of the log and samples are in, and the attempt has not ended yet (its evidence,
	# written at the end, is not there).
	if grep -Eq '[1-9][0-9]* bytes of log' "$TMPD/show" &&
		grep -Eq '[1-9][0-9]* samples' "$TMPD/show" &&
		! grep -qF '  restore.outcome = ' "$TMPD/show"; then
		got=1
		break
	fi
	sleep 0.1
done
check "log and samples reach the case while it runs" test "$got" = 1
[ -n "$child" ] && kill -9 "$child" 2>/dev/null
sleep 0.3
"$BT_BIN" case show "$id" >"$TMPD/after" 2>"$TMPD/after.err"
check "the store opens after SIGKILL" test $? -eq 0
check "the attempt's log so far is kept" grep -Eq '#1 .*, [1-9][0-9]* bytes of log' "$TMPD/after"
check "the current samples are kept" grep -Eq '[1-9][0-9]* samples over' "$TMPD/after"
finish
