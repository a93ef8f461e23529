#!/bin/sh
# boards: the shipped profiles load and check clean, boards --json lists every iPhone family
# with identity rows and symptoms, and boards check names file:line for each kind of error.
. tests/e2e-lib.sh

bt boards check boards/*.ini >"$TMPD/ok" 2>"$TMPD/err"
check "shipped profiles check clean" [ $? -eq 0 ]
check "no diagnostics for shipped profiles" [ ! -s "$TMPD/err" ]

bt boards --json >"$TMPD/b.json"
check "boards --json exits 0" [ $? -eq 0 ]
python3 - "$TMPD/b.json" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = {b["name"] for b in d["boards"]}
need = {"iphone6", "iphone6s", "iphone7", "iphone8", "iphonex", "iphonexs", "iphone11", "iphonese2",
        "iphone12", "iphone13", "iphonese3", "iphone14", "iphone15", "iphone16"}
assert need <= names, need - names
products = {v["product_type"] for b in d["boards"] for v in b["variants"]}
for p in ["iPhone7,2", "iPhone8,4", "iPhone9,1", "iPhone10,6", "iPhone12,8", "iPhone13,2",
          "iPhone14,6", "iPhone15,3", "iPhone16,2", "iPhone17,5"]:
    assert p in products, p
pairs = [(v["cpid"], v["bdid"]) for b in d["boards"] for v in b["variants"]]
assert len(pairs) == len(set(pairs)), "two identity rows share a (cpid, bdid)"
b7 = [b for b in d["boards"] if b["name"] == "iphone7"][0]
ids = {s["id"] for s in b7["symptoms"]}
assert {"speaker_button_greyed", "voice_memos_greyed", "liquid_exposure", "no_service"} <= ids, ids
assert all(s["source"] for b in d["boards"] for s in b["symptoms"])
tests7 = {t["id"] for t in b7["tests"]}
assert "audio_ic_check" in tests7 and "front_flex_disconnect" not in tests7, tests7
bx = [b for b in d["boards"] if b["name"] == "iphonex"][0]
assert "front_flex_disconnect" in {t["id"] for t in bx["tests"]}
dfu = [t for t in bx["tests"] if t["id"] == "dfu_restore"][0]
assert dfu["data_loss"] is True and "erase" in dfu["risk"]
print("ok")
PY
check "boards --json content ($(tail -1 "$TMPD/py"))" [ "$(tail -1 "$TMPD/py")" = ok ]

# Each kind of error names file:line.
bad() { # name, expected line, expected text, ini text
	printf '%s' "$4" >"$TMPD/$1.ini"
	bt boards check "$TMPD/$1.ini" >/dev/null 2>"$TMPD/$1.err"
	st=$?
	check "$1: exit 2" [ "$st" -eq 2 ]
	check "$1: names file:$2 and '$3'" grep -q "^benchtriage: $TMPD/$1.ini:$2: .*$3" "$TMPD/$1.err"
}
HEAD='format = 1
[board]
name = t
title = T
source = s
[variant.t1ap]
product_type = iPhone9,1
cpid = 0x8010
bdid = 0x08
title = T
source = s
'
bad unknown_key 7 "unknown key 'colour'" "format = 1
[board]
name = t
title = T
source = s
[variant.t1ap]
colour = red
"
bad unknown_section 12 "unknown section \[gadget\]" "$HEAD[gadget]
x = 1
"
bad bad_number 15 "lr = 'two': not a number" "$HEAD[rule.r]
when = restore.error = 9
hypothesis = nand
lr = two
confidence = single
source = s
why = w
"
bad range 15 "out of range" "$HEAD[rule.r]
when = restore.error = 9
hypothesis = nand
lr = 1000
confidence = single
source = s
why = w
"
bad missing_source 12 "lacks required key 'source'" "$HEAD[rule.r]
when = restore.error = 9
hypothesis = nand
lr = 2
confidence = single
why = w
"
bad unverified_weight 12 "unverified but has lr = 2" "$HEAD[rule.r]
when = restore.error = 9
hypothesis = nand
lr = 2
confidence = unverified
source = s
why = w
"
bad bad_when 13 "when = " "$HEAD[rule.r]
when = restore.error ~ 9
hypothesis = nand
lr = 2
confidence = single
source = s
why = w
"
bad format_version 1 "format = 2" "format = 2
"
bad not_ini 3 "not an INI line" "format = 1
[board]
this line is not ini
"
bt boards check "$TMPD/nope.ini" >/dev/null 2>"$TMPD/nope.err"
check "unreadable profile exits 2" [ $? -eq 2 ]
check "unreadable profile: one line" [ "$(wc -l <"$TMPD/nope.err")" -eq 1 ]
finish
