#!/bin/sh
# The real binary's libirecovery backend against fake USB devices (tests/e2e/helpers/fakeusb.c
# preloaded in place of libusb): libirecovery 1.0.0's open must not walk a freed device list
# whatever the order of devices (it crashed with the phone anywhere but last), two phones at
# once must not crash, and getenv results must keep libusb's meaning (stall = no answer, a
# vanished device = "stopped answering", exit 4).
. tests/e2e-lib.sh
if nm "$BT_BIN" 2>/dev/null | grep -q __asan_init; then
	echo "recovery_usb: skipped (an ASan binary cannot run under another preloaded library)"
	finish
	exit 0
fi
fake=$TMPD/fakeusb.so
# shellcheck disable=SC2046
if ! cc -shared -fPIC -o "$fake" tests/e2e/helpers/fakeusb.c $(pkg-config --cflags libusb-1.0); then
	fail "cannot build the fake libusb"
	finish
	exit 1
fi
# What the kernel shows: one phone in recovery mode (the backend opens only when it sees one).
mkdir -p "$TMPD/sysfs/1-1" "$TMPD/sysfs/usb1"
echo 05ac >"$TMPD/sysfs/1-1/idVendor"
echo 1281 >"$TMPD/sysfs/1-1/idProduct"
echo 1d6b >"$TMPD/sysfs/usb1/idVendor"
echo 0002 >"$TMPD/sysfs/usb1/idProduct"
BENCHTRIAGE_USB_SYSFS=$TMPD/sysfs
export BENCHTRIAGE_USB_SYSFS
run() { # layout ctrl -> stdout json in $TMPD/o.json, exit status in $rc
	FAKE_LAYOUT=$1 FAKE_CTRL=$2 LD_PRELOAD=$fake bt probe recovery --json >"$TMPD/o.json" 2>"$TMPD/e.txt"
	rc=$?
}
for layout in P,H,H H,P,H H,H,P H,P,H,P,H D,H P; do
	run "$layout" 0
	check "$layout: probe exits 0 (got $rc)" [ "$rc" -eq 0 ]
	check "$layout: no read of a freed device list" sh -c "! grep -q 'freed list' '$TMPD/e.txt'"
	check "$layout: identity read" grep -q '"cpid": "0x8015"' "$TMPD/o.json"
done
run P,H 0
check "recovery mode read" grep -q '"mode": "Recovery"' "$TMPD/o.json"
check "variables answered" grep -q '"state": "value"' "$TMPD/o.json"
run D,H 0
check "DFU: no getenv" sh -c "! grep -q '\"state\": \"value\"' '$TMPD/o.json'"
run P,H -9
check "a stalled getenv is no answer, not gone (rc $rc)" [ "$rc" -eq 0 ]
check "stall reported as no answer" grep -q '"state": "no_answer"' "$TMPD/o.json"
run P,H -4
check "a device gone mid-read exits 4 (rc $rc)" [ "$rc" -eq 4 ]
check "one line says so" grep -q "stopped answering" "$TMPD/e.txt"
run P,H -7
check "a timed-out getenv exits 4 (rc $rc)" [ "$rc" -eq 4 ]
# the kernel shows a phone that libusb cannot open (permissions, another tool)
run H,H 0
check "a phone that cannot be opened exits 3 (rc $rc)" [ "$rc" -eq 3 ]
check "and says why it may be" grep -q "could not be opened" "$TMPD/e.txt"
finish
