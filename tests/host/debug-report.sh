#!/bin/bash
# The debug-kernel comparison's report (scripts/debug-report.py) on recorded
# outputs (tests/data/debug-compare, cut from a real run on lab-debug and
# lab-unfixed): what each side reported, the control boot's tie between
# lockdep's warning and the tool's INV-1 (same task, nearest violation),
# an INV-2 with no kernel report, per-round cost ratios, and a KASAN report
# recognised in a console.  Prints PASS/FAIL lines; outputs in $TEST_OUT.
# The expected lines hold markdown backquotes, not commands.
# shellcheck disable=SC2016
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${TEST_OUT:-$top/tests/out}
data=$top/tests/data/debug-compare
mkdir -p "$out"

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}
has() { # has NAME FILE TEXT: FILE holds TEXT on one line
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "no line with: $3"; fi
}

md=$out/debug-report.md
if ! python3 "$top/scripts/debug-report.py" "$data" race explore >"$md" 2>"$out/debug-report.err"; then
	fail debug-report-runs "$(cat "$out/debug-report.err")"
	exit 0
fi
pass debug-report-runs

has debug-report-kernels "$md" '- `lab-debug`: 6.12.117-lab-debug'
# The race on the debug kernel alone: nothing on its console, no hang.
has debug-report-debug-silent "$md" \
	'| **race**: zone-revalidating swaps against 2 loops of `blkzone report` | nothing<br>script: 92 swaps, no hang |'
has debug-report-tool-hang "$md" 'script: hang suspend after 13 swaps |'
# Control boot: lockdep's warning (task 2304 at 98.447 s) goes to the INV-1
# of the same task 39 ms earlier, not to that task's INV-2 (98.388 s).
has debug-report-tie-inv1 "$md" \
	'| INV-1 | race, race (control) | control boot: lockdep: `WARNING: bad unlock balance detected! (&md->io_barrier)`, same task, +39 ms |'
has debug-report-inv2-untied "$md" \
	'| INV-2 | race, race (control) (2x) | nothing (also nothing in the control boot where the tool saw it) |'
has debug-report-timeline "$md" '| 98.447 | kernel | lockdep: `WARNING: bad unlock balance detected! (&md->io_barrier)` | 2304 |'
has debug-report-inv4 "$md" '| INV-4 | explore (3x) | nothing |'
# Cost: per-round ratios against lab-fi of the same round (fixture: round 1
# 98000/100000, round 2 104000/100000).
has debug-report-cost-tool "$md" '| lab-fi + dmswap-trace | 101000 | **1.01** (0.98-1.04) |'
has debug-report-cost-debug "$md" '| lab-debug, no tool | 4000 | **0.04** (0.03-0.05) |'

# A console with a KASAN report: recognised, and not taken for nothing.
kasan=$out/debug-report-kasan
rm -rf "$kasan"
cp -r "$data" "$kasan"
cat >>"$kasan/debug-explore.console" <<'EOF'
[   61.100000] ==================================================================
[   61.100100] BUG: KASAN: slab-use-after-free in dm_blk_report_zones+0x1a8/0x220 [dm_mod]
[   61.100200] Read of size 8 at addr ffff888012345678 by task blkzone/812
[   61.100300] CPU: 1 UID: 0 PID: 812 Comm: blkzone Not tainted 6.12.117-lab-debug #1
EOF
python3 "$top/scripts/debug-report.py" "$kasan" race explore >"$kasan.md" 2>&1
has debug-report-kasan "$kasan.md" \
	'turn | KASAN: `BUG: KASAN: slab-use-after-free in dm_blk_report_zones+0x1a8/0x220 [dm_mod]` | INV-4'
# ... and not tied to INV-4: no boot shows both.
has debug-report-kasan-untied "$kasan.md" '| INV-4 | explore (3x) | not tied to it; the console held KASAN: `BUG: KASAN:'
