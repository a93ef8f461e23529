#!/bin/sh
# report: a case whose log holds markup and device identifiers, reported in every format and
# audience. HTML goes through a parser (balanced tags, no script, nothing external), JSON through
# docs/report-schema.json, and the customer versions must not contain any identifier.
. tests/e2e-lib.sh
export BENCHTRIAGE_HOME="$TMPD/home"
command -v python3 >/dev/null 2>&1 || { echo "report: python3 missing" >&2; exit 1; }

ECID=0x001A2B3C4D5E6F SERIAL=F2LXK0ABCDEF IMEI=356938035643809 UDID=00008030-001A2C3E0A42802E
cat >"$TMPD/markup.log" <<EOF
[00:00:01] Found device in DFU mode, ECID: $ECID
[00:00:02] <script>alert("pwned")</script> & 'quotes' "double"
[00:00:03] Serial Number: $SERIAL  IMEI: $IMEI  UDID: $UDID
[00:00:04] <img src="http://example.com/x.png"> <a href="https://example.com">link</a>
[00:00:05] Waiting for storage device...
[00:00:35] ERROR: Unable to restore device
[00:00:35] ERROR: Unable to successfully restore device
[00:00:36] Status: 6
EOF
# A boot-loop-like current trace: 10 Hz, 30 s.
awk 'BEGIN { print "time_s,current_a,voltage_v";
	for (i = 0; i < 300; i++) { t = i / 10; p = (i % 80);
		a = (p < 60) ? 0.05 + p / 200 : 0.01; printf "%.1f,%.3f,5.0\n", t, a } }' >"$TMPD/trace.csv"

id=$(bt case new --label '<b>Bench 3</b> & "urgent"')
check "case new prints an id" sh -c "echo '$id' | grep -qx '[0-9][0-9]*'"
bt case add "$id" --set ecid="$ECID" --set serial="$SERIAL" --set imei="$IMEI" --set udid="$UDID" \
	--log "$TMPD/markup.log" --trace "$TMPD/trace.csv" --symptom no_boot \
	--test front_flex_disconnect=restore_failed --note "internal note $SERIAL" 2>"$TMPD/add.err"
check "case add works" test $? -eq 0

cat >"$TMPD/check_html.py" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "wbr", "source"}
SVG_SELF = {"rect", "line", "polyline", "path", "circle", "text"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], set(), []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "action", "srcset") or k.startswith("on"):
                self.errors.append("attribute %s=%r on <%s>" % (k, v, tag))
            if k == "style" and v and "url(" in v:
                self.errors.append("url() in style")
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in ("src", "href") or k.startswith("on"):
                self.errors.append("attribute %s on <%s/>" % (k, tag))
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s>, open: %s" % (tag, self.stack[-3:]))
            return
        self.stack.pop()
    def handle_data(self, d):
        self.text.append(d)
doc = open(sys.argv[1], encoding="utf-8").read()
p = P(); p.feed(doc); p.close()
errs = list(p.errors)
if p.stack: errs.append("unclosed: %s" % p.stack)
for banned in ("script", "iframe", "object", "embed", "img", "a", "link", "form"):
    if banned in p.tags: errs.append("<%s> present" % banned)
for need in ("html", "head", "body", "style", "svg", "polyline"):
    if need not in p.tags: errs.append("<%s> missing" % need)
css = doc[doc.find("<style>"):doc.find("</style>")]
if "@page" not in css or "@media print" not in css: errs.append("no print CSS")
if "@import" in css or "url(" in css: errs.append("external CSS")
text = "".join(p.text)
# Text that must come through as visible text (the log's own markup, for instance).
for need in sys.argv[2:]:
    if need not in text: errs.append("%r not shown as text" % need)
for e in errs: print("html:", e)
sys.exit(1 if errs else 0)
EOF

cat >"$TMPD/check_schema.py" <<'EOF'
import json, sys
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
errs = []
def is_type(v, t):
    if t == "integer": return isinstance(v, int) and not isinstance(v, bool)
    if t == "number": return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])
def check(node, sch, path):
    if "$ref" in sch:
        name = sch["$ref"].split("/")[-1]
        sch = schema["$defs"][name]
    types = sch.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if not any(is_type(node, t) for t in types):
            errs.append("%s: %r is not %s" % (path, type(node).__name__, types)); return
    if "enum" in sch and node not in sch["enum"]:
        errs.append("%s: %r not in %s" % (path, node, sch["enum"]))
    if isinstance(node, dict):
        for k in sch.get("required", []):
            if k not in node: errs.append("%s: missing %s" % (path, k))
        for k, sub in sch.get("properties", {}).items():
            if k in node: check(node[k], sub, path + "." + k)
    if isinstance(node, list) and "items" in sch:
        for i, v in enumerate(node): check(v, sch["items"], "%s[%d]" % (path, i))
check(doc, schema, "$")
for e in errs: print("schema:", e)
sys.exit(1 if errs else 0)
EOF

no_ids() { # file: none of the identifiers (nor their long middle parts) appear
	! grep -q -e 001A2B3C4D5E -e F2LXK0AB -e 35693803564 -e 00008030-001A -e 1A2C3E0A4280 "$1"
}

for aud in technician customer; do
	bt report "$id" --format html --audience $aud -o "$TMPD/$aud.html"
	check "html $aud written" test -s "$TMPD/$aud.html"
	if [ $aud = technician ]; then need='<script>alert("pwned")</script>'; else need='Your options'; fi
	check "html $aud parses clean" python3 "$TMPD/check_html.py" "$TMPD/$aud.html" "$need"
	bt report "$id" --format json --audience $aud >"$TMPD/$aud.json"
	check "json $aud matches the schema" python3 "$TMPD/check_schema.py" docs/report-schema.json "$TMPD/$aud.json"
	bt report "$id" --format text --audience $aud >"$TMPD/$aud.txt"
	check "text $aud written" test -s "$TMPD/$aud.txt"
done
for f in customer.html customer.json customer.txt; do
	check "no identifiers in $f" no_ids "$TMPD/$f"
	check "last four kept in $f" grep -q '5E6F' "$TMPD/$f"
done
check "customer html says what could not be tested" grep -q 'What could not be tested' "$TMPD/customer.html"
check "customer html names the DFU risk" grep -q 'DFU restore erases all data' "$TMPD/customer.html"
check "customer html keeps internal notes out" sh -c "! grep -q 'internal note' '$TMPD/customer.html'"
check "technician html carries the raw log, escaped" \
	grep -q '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;' "$TMPD/technician.html"
check "technician json carries identifiers" grep -q "$SERIAL" "$TMPD/technician.json"
check "technician html has the trace chart" grep -q '<polyline' "$TMPD/technician.html"

# Bad arguments and missing cases follow the exit-status contract.
bt report "$id" --format pdf >/dev/null 2>"$TMPD/e1"
check "bad format is a usage error" test $? -eq 1
check "usage error is one benchtriage: line" sh -c "grep -q '^benchtriage: ' '$TMPD/e1' && test \$(wc -l <'$TMPD/e1') -eq 1"
bt report 99999 --format json >/dev/null 2>"$TMPD/e2"
check "unknown case exits 2" test $? -eq 2
check "unknown case says so" grep -q 'no such case' "$TMPD/e2"
bt report "$id" --format html -o "$TMPD/no/such/dir/r.html" 2>/dev/null
check "unwritable output exits 2" test $? -eq 2
finish
