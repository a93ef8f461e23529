# Compares pairs of `analyze --json` outputs that must tell the same story: one row per pair
# in the file named by argv[1], "what\twant.json\tgot.json". Prints "ok WHAT" or
# "FAIL WHAT: want ... got ..." for each row. Used by tests/e2e-lib.sh's same_readings.
import json
import sys


def key(d):
    r = d["restore"]
    fs = r["failed_step"]
    v = r.get("verdict") or {}
    top = d["hypotheses"][0]["id"] if d["hypotheses"] else None
    return (r["outcome"], fs["name"], fs["id"], (fs.get("origin") or {}).get("line"),
            r["subsystem"], r["status"], r["family"], d["device"]["product_type"],
            v.get("line"), top)


for row in open(sys.argv[1]):
    what, want, got = row.rstrip("\n").split("\t")
    ka, kb = (key(json.load(open(p))) for p in (want, got))
    print(f"ok {what}" if ka == kb else f"FAIL {what}: want {ka} got {kb}")
