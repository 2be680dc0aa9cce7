#!/bin/bash
# The benchmark's formatter (bench/report.py) on a recorded guest log with
# known numbers (tests/data/bench/bench-sample.log): per-round ratios, their
# min/median/max, the targets, the markdown table, and a log that measured
# nothing.  Prints PASS/FAIL lines; outputs in $TEST_OUT (tests/out).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${TEST_OUT:-$top/tests/out}
log=$top/tests/data/bench/bench-sample.log
mkdir -p "$out"

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}
check() { # check NAME DETAIL COMMAND...
	local name=$1 detail=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$detail"; fi
}

json=$out/bench-sample.json
md=$out/bench-sample.md
if ! "$top/bench/report.py" parse "$log" -o "$json" 2>"$out/bench-parse.err"; then
	fail bench-parse "$(cat "$out/bench-parse.err")"
	exit 0
fi
pass bench-parse
"$top/bench/report.py" markdown "$json" >"$md" 2>"$out/bench-md.err" ||
	fail bench-markdown "$(cat "$out/bench-md.err")"

# The numbers, computed by hand from the fixture: ratios are per round.
q() { python3 -c "import json,sys; d=json.load(open('$json')); print($1)"; }
check bench-ratio-per-round "zbd-crypt on/off: $(q "d['workloads']['zbd-crypt']['on_ratio']")" \
	test "$(q "[round(x, 3) for x in d['workloads']['zbd-crypt']['on_ratios']]")" = "[1.0, 1.0, 0.9]"
check bench-ratio-spread "randread: $(q "d['workloads']['randread']['on_ratio']")" \
	test "$(q "tuple(round(d['workloads']['randread']['on_ratio'][k], 3) for k in ('min', 'median', 'max'))")" \
	= "(0.95, 0.98, 0.985)"
check bench-peer-ratio "zbd-linear peer: $(q "d['workloads']['zbd-linear']['peer_ratio']")" \
	test "$(q "round(d['workloads']['zbd-linear']['peer_ratio']['median'], 3)")" = "0.85"
check bench-targets "$(q "d['targets']")" \
	test "$(q "[d['targets'][k]['met'] for k in ('zbd-linear', 'zbd-crypt', 'randread', 'swap', 'armed', 'rss')]")" \
	= "[True, True, False, True, True, True]"
check bench-startup "$(q "d['startup']['exec_to_armed_ms']")" \
	test "$(q "(d['startup']['exec_to_armed_ms']['median'], d['startup']['load_ms']['median'], d['startup']['hwm_mib']['max'])")" \
	= "(290.0, 196.0, 13.20703125)"
check bench-hooks-skip-idle "$(q "d['hooks']")" \
	test "$(q "[h['prog'] for h in d['hooks']['on']['swap']]")" = "['dm_suspend__fexit', 'dm_swap_table__fexit']"
check bench-markdown-row "$(grep 'rand read' "$md")" \
	grep -qF '| 4k rand read, dm-linear conv. (2 jobs, QD16) (IOPS) | 2,000 | 1,960 | 0.950 / **0.980** / 0.985 | 1,000 | 0.500 / **0.500** / 0.500 | ≥ 0.99: **missed** | – / – |' "$md"
check bench-markdown-startup "$(grep 'exec →' "$md")" \
	grep -qF '| exec → armed, ms (seen by the shell) | 260.0 | 290.0 | 320.0 | < 300: met |' "$md"

# A boot that measured nothing: an error, not an empty table.
printf 'lab: error\n@bench {"kind":"config","kernel":"x"}\n' >"$out/bench-empty.log"
if "$top/bench/report.py" parse "$out/bench-empty.log" -o "$out/bench-empty.json" 2>/dev/null; then
	fail bench-empty-log "a log without measurements was accepted"
else
	pass bench-empty-log
fi
check bench-tracer-cpu "$(grep 'dm-linear (3' "$md")" \
	grep -qF '| ≥ 0.99: met | 50 / – |' "$md"
