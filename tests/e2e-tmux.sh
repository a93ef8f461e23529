# Shared by the TUI end-to-end tests (sourced after tests/e2e-lib.sh, with NAME set to the
# test's name): an own tmux socket with no user config, valgrind when BT_VALGRIND=1 (slower,
# so every wait scales), cleanup of the server, its socket file and the scratch directory on
# any exit, and screen polling with timeouts. A missing tmux ends the test with nothing checked.
if ! command -v tmux >/dev/null 2>&1; then
	echo "$NAME: tmux is not installed; nothing checked" >&2
	finish
	exit $?
fi

SOCK="bt-$NAME-$$"
SCALE=1
RUN="$BT_BIN"
if [ "${BT_VALGRIND:-0}" = 1 ]; then
	RUN="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=tests/valgrind.supp $BT_BIN"
	SCALE=6
fi
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
# The server goes, its socket file too (tmux leaves it), and the scratch directory; a signal
# (or a closed pipe on our output) ends the script through the same cleanup.
cleanup() {
	T kill-server >/dev/null 2>&1
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

screen() { T capture-pane -t "$1" -p 2>/dev/null; }
# wait_for NAME TEXT SECONDS: polls the screen until TEXT shows up.
wait_for() {
	tries=$(($3 * 10 * SCALE))
	while [ "$tries" -gt 0 ]; do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	echo "--- screen of $1 while waiting for '$2':" >&2
	screen "$1" >&2
	return 1
}
