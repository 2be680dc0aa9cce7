#!/bin/bash
# The table of scripts/suite (scripts/lab.d/suites/table.py) on made-up
# results: blktests' results files (start to the second, end from the
# guest's times file) and fstests' times.tsv, against a JSON log with swaps
# and violations inside a test, between tests and in a test's first second.
# Prints PASS/FAIL lines; outputs in $TEST_OUT.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${TEST_OUT:-$top/tests/out}/suite-table
table=$top/scripts/lab.d/suites/table.py
rm -rf "$out"
mkdir -p "$out"

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}
# row NAME FILE ROW: FILE has the table row ROW
row() {
	if grep -qxF -- "$3" "$2"; then pass "$1"; else fail "$1" "no row: $3 in $(cat "$2")"; fi
}
# status NAME RC WANT: the table exited WANT
status() {
	if [ "$2" -eq "$3" ]; then pass "$1"; else fail "$1" "exit $2, not $3"; fi
}
# epoch 'YYYY-mm-dd HH:MM:SS': seconds (UTC)
epoch() { date -u -d "$1" +%s; }
swap() { # swap TS OLD_SECTORS
	printf '{"kind":"event","ts":"%sZ","mono_ns":1,"event":"swap","dev":"d","devt":"253:0","old_sectors":%s}\n' "$1" "$2"
}
viol() { # viol TS INV
	printf '{"kind":"violation","ts":"%sZ","mono_ns":1,"inv":"%s","dev":"d","devt":"253:0"}\n' "$1" "$2"
}

# blktests: zbd/001 from 10:00:00 (really .5) to 10:00:05.2, zbd/011 from
# 10:00:06 to 10:00:09.
b=$out/blktests
mkdir -p "$b/results/bt-zlinear/zbd" "$b/results/nodev/zbd"
printf 'status\tpass\ndate\t2026-11-28 10:00:00\n' >"$b/results/bt-zlinear/zbd/001"
printf 'status\tfail\nreason\tdmesg\ndate\t2026-11-28 10:00:06\n' >"$b/results/nodev/zbd/011"
printf 'status\tnot run\n' >"$b/results/nodev/zbd/012"
{
	echo "$(epoch '2026-11-28 10:00:05').2 bt-zlinear/zbd/001"
	echo "$(epoch '2026-11-28 10:00:09') nodev/zbd/011"
} >"$b/times"
{
	swap 2026-11-28T09:59:59.000000 0   # the devices' set-up
	swap 2026-11-28T10:00:00.600000 0   # zbd/001
	swap 2026-11-28T10:00:04.000000 100 # zbd/001, a reload
	viol 2026-11-28T10:00:05.500000 INV-9 # between the two tests
	swap 2026-11-28T10:00:06.100000 100 # zbd/011
	viol 2026-11-28T10:00:08.000000 INV-4
	viol 2026-11-28T10:00:08.500000 INV-4
} >"$b/trace.jsonl"
echo '{"violations":3,"swaps":4,"events":7,"dropped":0,"command_status":1}' >"$b/summary.json"
python3 "$table" blktests "$b" >"$out/blktests.md" 2>&1
rc=$?
status suite-table-violation-exit-1 $rc 1
row suite-table-in-test "$out/blktests.md" '| zbd/001 | bt-zlinear | pass | 1/1 | - |'
row suite-table-violations-to-test "$out/blktests.md" '| zbd/011 | nodev | fail (dmesg) | 0/1 | INV-4 x2 |'
row suite-table-between-tests "$out/blktests.md" '| (outside any test) |  | - | 1/0 | INV-9 x1 |'
row suite-table-not-run "$out/blktests.md" '| zbd/012 | nodev | not run | 0/0 | - |'
row suite-table-counts "$out/blktests.md" 'results: 1 fail, 1 not run, 1 pass'
row suite-table-swaps "$out/blktests.md" 'swaps: 2 binds, 2 reloads'

# fstests: clean, every test passed or not run: exit 0.
f=$out/fstests
mkdir -p "$f"
s=$(epoch '2026-11-28 11:00:00')
printf 'zoned\tgeneric/034\t%s.1\t%s.9\tpass\n' "$s" "$((s + 10))" >"$f/times.tsv"
printf 'crypt\tgeneric/441\t%s.0\t%s.0\tnot run: btrfs has a specialized test for this\n' \
	"$((s + 11))" "$((s + 12))" >>"$f/times.tsv"
{
	swap 2026-11-28T11:00:01.000000 0
	swap 2026-11-28T11:00:02.000000 200
} >"$f/trace.jsonl"
echo '{"violations":0,"swaps":2,"events":2,"dropped":0,"command_status":0}' >"$f/summary.json"
python3 "$table" fstests "$f" >"$out/fstests.md" 2>&1
rc=$?
status suite-table-clean-exit-0 $rc 0
row suite-table-fstests-row "$out/fstests.md" '| generic/034 | zoned | pass | 1/1 | - |'
# A run whose tool never wrote its summary is not clean.
rm "$f/summary.json"
python3 "$table" fstests "$f" >"$out/fstests-nosummary.md" 2>&1
rc=$?
status suite-table-no-summary-exit-1 $rc 1
# A harness that stopped before its first test (lab-fixed without
# dm_snapshot: fstests' modprobe failed) is not a pass either.
e=$out/empty
mkdir -p "$e"
: >"$e/times.tsv"
echo '{"violations":0,"swaps":0,"events":0,"dropped":0,"command_status":2}' >"$e/summary.json"
python3 "$table" fstests "$e" >"$out/empty.md" 2>&1
rc=$?
status suite-table-nothing-ran-exit-1 $rc 1

# A test the guest killed as hung (suite-fstests.sh, suite-blktests.sh) is a
# failure of the run, whatever the tool said.
h=$out/hung
mkdir -p "$h"
printf 'zoned\tgeneric/338\t%s.0\t%s.0\tfail (hung: killed after 300 s)\n' "$s" "$((s + 300))" >"$h/times.tsv"
swap 2026-11-28T11:00:01.000000 0 >"$h/trace.jsonl"
echo '{"violations":0,"swaps":1,"events":1,"dropped":0,"command_status":0}' >"$h/summary.json"
python3 "$table" fstests "$h" >"$out/hung.md" 2>&1
rc=$?
status suite-table-hung-exit-1 $rc 1
row suite-table-hung-row "$out/hung.md" '| generic/338 | zoned | fail (hung: killed after 300 s) | 1/0 | - |'
row suite-table-hung-counts "$out/hung.md" 'results: 1 fail'

# A configuration the kernel cannot run (suite-fstests.sh: zoned XFS before
# 6.15): each of its tests "not run" with the reason, none a pass, the
# reason on the status line; the run is clean.
x=$out/xfs-not-run
mkdir -p "$x"
why='zoned XFS needs Linux 6.15, this kernel is 6.12.118+deb13-amd64'
printf 'zoned\tgeneric/034\t%s.0\t%s.0\tpass\n' "$s" "$((s + 10))" >"$x/times.tsv"
for t in generic/034 generic/338; do
	printf 'xfs\t%s\t%s.0\t%s.0\tnot run: %s\n' "$t" "$((s + 11))" "$((s + 11))" "$why" >>"$x/times.tsv"
done
echo "config-not-run xfs: $why" >"$x/status"
swap 2026-11-28T11:00:01.000000 0 >"$x/trace.jsonl"
echo '{"violations":0,"swaps":1,"events":1,"dropped":0,"command_status":0}' >"$x/summary.json"
python3 "$table" fstests "$x" >"$out/xfs-not-run.md" 2>&1
rc=$?
status suite-table-config-not-run-exit-0 $rc 0
row suite-table-config-not-run-row "$out/xfs-not-run.md" "| generic/338 | xfs | not run: $why | 0/0 | - |"
row suite-table-config-not-run-counts "$out/xfs-not-run.md" 'results: 2 not run, 1 pass'
row suite-table-config-not-run-status "$out/xfs-not-run.md" "config-not-run: xfs: $why"
