#!/bin/bash
# "dmswap-trace report --html" in a real browser: Debian's chromium, headless,
# renders the page of tests/data/logs/v-6.12.jsonl.  The DOM it built must
# hold a bar per swap cycle and a marker per violation (counted in the log
# with jq, independently of the tool), a pinned tooltip must show a
# violation's evidence, a hostile device name must stay text, and the
# screenshot must be a 1280x800 PNG with the bars' and markers' colours.
# Without chromium this fails: scripts/install-deps installs it.
# Prints PASS/FAIL lines; outputs in $TEST_OUT (tests/out).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DMSWAP_TRACE:-$top/build/dmswap-trace}
out=${TEST_OUT:-$top/tests/out}
log=$top/tests/data/logs/v-6.12.jsonl
hostile=$top/tests/data/logs/hostile.jsonl
mkdir -p "$out"

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

if ! command -v chromium >/dev/null; then
	fail html-chromium "chromium is not installed: run scripts/install-deps"
	exit 0
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# browser ARGS...: headless chromium, offline, its noise in $out/chromium.log.
browser() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --window-size=1280,800 "$@" 2>>"$out/chromium.log"
}

# count WORD FILE: occurrences, not lines.
count() { grep -o -- "$1" "$2" | wc -l; }

page=$out/report.html
"$bin" report --html "$page" "$log" >"$out/report.txt" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ -s "$page" ] && grep -q "4 violations" "$out/report.txt"; then
	pass html-written
else
	fail html-written "exit $rc (want 1), page $(wc -c <"$page" 2>/dev/null) bytes"
fi

want_cycles=$(jq -s '[.[] | select(.kind == "event" and .swap_id != null and
	(.event == "suspend" or .event == "swap" or .event == "resume")) | [.dev, .swap_id]]
	| unique | length' "$log")
want_viols=$(jq -s '[.[] | select(.kind == "violation")] | length' "$log")
browser --dump-dom "file://$page" >"$out/report.dom"
cycles=$(count 'data-kind="cycle"' "$out/report.dom")
viols=$(count 'data-kind="violation"' "$out/report.dom")
if [ "$cycles" -eq "$want_cycles" ] && [ "$viols" -eq "$want_viols" ] && [ "$viols" -gt 0 ]; then
	pass html-bars-and-markers
else
	fail html-bars-and-markers "$cycles bars, $viols markers; want $want_cycles, $want_viols"
fi
# The axis has times; the header has the counts and the file.
if grep -q '>05:34:21.000<' "$out/report.dom" && grep -q '>INV-8<' "$out/report.dom" &&
	grep -q 'v-6.12.jsonl<' "$out/report.dom"; then
	pass html-axis-and-header
else
	fail html-axis-and-header "no time label, count or file name in $out/report.dom"
fi

# #violation-2 (INV-4, the second in time order, as the list numbers it)
# pins its tooltip: evidence and stack.
browser --dump-dom "file://$page#violation-2" >"$out/report-tip.dom"
tip=$(grep -o '<div class="tip" id="tip" role="tooltip"[^>]*>.*' "$out/report-tip.dom")
if [[ $tip != *hidden* && $tip == *"INV-4"* && $tip == *"md.flags.EMULATE_ZONE_APPEND"* &&
	$tip == *"dm_swap_table+0x9 [dm_mod]"* ]]; then
	pass html-tooltip
else
	fail html-tooltip "no INV-4 tooltip with evidence and stack in $out/report-tip.dom"
fi

# #cycle-5 pins the cycle drawn "#5": the anchor is its label (swap 5, with INV-9).
browser --dump-dom "file://$page#cycle-5" >"$out/report-cycle.dom"
tip=$(grep -o '<div class="tip" id="tip" role="tooltip"[^>]*>.*' "$out/report-cycle.dom")
if [[ $tip != *hidden* && $tip == *"cycle #5<"* && $tip == *"1, swap 5<"* &&
	$tip == *"INV-9 zone write plugs"* ]] && grep -q 'id="cycle-5"[^>]*class="pinned"' "$out/report-cycle.dom"; then
	pass html-anchor-is-label
else
	fail html-anchor-is-label "#cycle-5 does not pin the cycle labelled #5 in $out/report-cycle.dom"
fi

# A device named "</script><img src=x onerror=alert(1)>": text, not an element.
"$bin" report --html "$out/hostile.html" "$hostile" >/dev/null 2>&1
browser --dump-dom "file://$out/hostile.html#violation-1" >"$out/hostile.dom"
if [ "$(count '<img' "$out/hostile.dom")" -eq 0 ] &&
	grep -q '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\\x1b' "$out/hostile.dom" &&
	[ "$(count 'data-kind="violation"' "$out/hostile.dom")" -eq 1 ]; then
	pass html-hostile-name-is-text
else
	fail html-hostile-name-is-text "an <img> or no escaped name in $out/hostile.dom"
fi

# A week of 20 hosts (10,000 cycles, a restart a day, tests/host/weeklog.py):
# drawn in bounded elements (narrow cycles counted per column), a row per
# host and device, and an anchor to a cycle hidden in a column zooms in to it.
week=$(mktemp -d)
python3 "$top/tests/host/weeklog.py" "$week" 20 500 7
"$bin" report --html "$out/week.html" "$week"/*.jsonl >/dev/null 2>&1
browser --dump-dom "file://$out/week.html" >"$out/week.dom"
rects=$(count '<rect' "$out/week.dom")
rows=$(count 'font-weight="600"' "$out/week.dom")
browser --dump-dom "file://$out/week.html#cycle-70.40" >"$out/week-pin.dom"
if [ "$rows" -eq 60 ] && [ "$rects" -gt 1000 ] && [ "$rects" -lt 20000 ] &&
	grep -q 'id="cycle-70.40"[^>]*class="pinned"' "$out/week-pin.dom" &&
	! grep -q 'id="cycle-70.40"' "$out/week.dom"; then
	pass html-week-of-a-fleet
else
	fail html-week-of-a-fleet "$rows rows (want 60), $rects rects, #cycle-70.40 not zoomed to in $out/week-pin.dom"
fi
rm -rf "$week"

rm -f "$out/report.png"
browser --screenshot="$out/report.png" "file://$page" >/dev/null
# A real PNG of 1280x800, decoded with the standard library only.
if python3 - "$out/report.png" <<'EOF'; then
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
assert (w, h) == (1280, 800), "%dx%d, not 1280x800" % (w, h)
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG format %r" % (hdr,)
bpp = 4 if ctype == 6 else 3
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, red, green, orange = bytearray(stride), set(), 0, 0, 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x], line[x + 1], line[x + 2]
        colours.add((r, g, bl))
        red += r > 190 and g < 60 and bl < 60  # violation markers, #d7191c
        green += r < 80 and 130 < g < 180 and 60 < bl < 120  # ok bars, #2f9e5b
        orange += r > 200 and 110 < g < 160 and bl < 60  # failed bars, #e8891c
    prev = line
print("  %dx%d, %d colours, %d red, %d green, %d orange pixels" %
      (w, h, len(colours), red, green, orange))
assert len(colours) > 20, "too few colours: a blank page?"
assert red >= 30, "no red violation markers"
assert green >= 200 and orange >= 200, "no ok or failed bars"
EOF
	pass html-screenshot
else
	fail html-screenshot "$out/report.png is not the page"
fi
