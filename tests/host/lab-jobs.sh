#!/bin/bash
# The lab's job scheduler in tests/run, without booting anything: a
# stand-in for scripts/lab (LAB_CMD) replays a real guest's output
# (tests/data/lab-jobs/, recorded from 6.12) and logs when each job ran.
#   - a boot killed by the multi-threaded TCG artefact is booted again and
#     shows as a RERUN line, counted neither as a pass nor as a failure;
#   - a lab kernel whose build failed: one FAIL, its checks not run, and
#     the next build still runs, after it (they share a ccache);
#   - LAB_JOBS=2 runs two boots at once; guests under systemd and the
#     race run after, alone, with multi-threaded TCG.
# Prints PASS/FAIL lines; outputs in $TEST_OUT/lab-jobs.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${TEST_OUT:-$top/tests/out}/lab-jobs
rm -rf "$out"
mkdir -p "$out"

pass() { echo "PASS host/lab-jobs/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/lab-jobs/$1"
}
# has NAME FILE PATTERN: FILE has a line matching the ERE PATTERN
has() {
	if grep -qE -- "$3" "$2"; then pass "$1"; else fail "$1" "no line /$3/ in $2"; fi
}
# hasnt NAME FILE PATTERN: FILE has no line matching the ERE PATTERN
hasnt() {
	if grep -qE -- "$3" "$2"; then fail "$1" "a line /$3/ in $2"; else pass "$1"; fi
}

# The stand-in: `run [--system] KERNEL SCRIPT ARGS...` replays
# tests/data/lab-jobs/SCRIPT.out (the first run of a script named in
# FAKE_ARTEFACT dies of the artefact instead), `build-kernel VARIANT`
# fails for a variant named broken*, `variants` prints FAKE_VARIANTS; every
# call but `variants` logs its start and end.
fake=$out/fake-lab
cat >"$fake" <<'EOF'
#!/bin/bash
log=$FAKE_DIR/calls
cmd=$1
shift
[ "$cmd" = variants ] && printf '%b' "${FAKE_VARIANTS:-}" && exit 0
[ "$1" = --system ] && shift
what=$2
[ "$cmd" = build-kernel ] && what=$1
echo "start $cmd ${what##*/} $(date +%s.%N)" >>"$log"
sleep "${FAKE_SLEEP:-0}"
rc=0
case $cmd in
build-kernel)
	case $1 in broken*) echo "lab: error: the build failed"; rc=125 ;; esac
	;;
run)
	name=${2##*/}
	if [[ " ${FAKE_ARTEFACT:-} " == *" ${name%.sh} "* && ! -f $FAKE_DIR/died-$name ]]; then
		touch "$FAKE_DIR/died-$name"
		echo "lab: artefact: multi-threaded TCG: the guest oopsed on an int3 (RIP: text_poke_bp)"
		rc=125
	else
		cat "$FAKE_DATA/${name%.sh}.out"
	fi
	;;
esac
echo "end $cmd ${what##*/} $(date +%s.%N)" >>"$log"
exit $rc
EOF
chmod +x "$fake"

# tests_run NAME [VAR=VALUE...]: tests/run's lab suite with the stand-in,
# output in $out/NAME.out, its status in $out/NAME.rc.
tests_run() {
	local name=$1
	shift
	mkdir -p "$out/$name.d"
	env TEST_SUITES=lab LAB_CMD="$fake" FAKE_DIR="$out/$name.d" FAKE_DATA="$top/tests/data/lab-jobs" \
		LAB_KERNELS=6.12 LAB_VARIANTS="" LAB_SYSTEM_KERNELS="" SUITE_KERNELS="" \
		TEST_OUT="$out/$name.d" "$@" "$top/tests/run" >"$out/$name.out" 2>&1
	echo $? >"$out/$name.rc"
}

# 1. The artefact: a rerun, then the check's own verdict.
tests_run artefact LAB_CHECKS=explore FAKE_ARTEFACT=explore
has artefact/rerun-line "$out/artefact.out" '^RERUN lab/6\.12/explore: multi-threaded TCG'
has artefact/checks-passed "$out/artefact.out" '^PASS explore/'
hasnt artefact/no-failure "$out/artefact.out" '^FAIL '
has artefact/reruns-said "$out/artefact.out" '^== 1 reruns'
has artefact/summary "$out/artefact.out" '^[1-9][0-9]* passed, 0 failed$'
if [ "$(cat "$out/artefact.rc")" = 0 ]; then pass artefact/exit-0; else
	fail artefact/exit-0 "exit $(cat "$out/artefact.rc")"
fi
if [ "$(grep -c '^start run explore' "$out/artefact.d/calls")" = 2 ]; then pass artefact/booted-twice; else
	fail artefact/booted-twice "$(cat "$out/artefact.d/calls")"
fi
# Without the artefact, one boot and no RERUN.
tests_run plain LAB_CHECKS=explore
hasnt plain/no-rerun "$out/plain.out" '^RERUN |reruns'
if [ "$(grep -c '^start run explore' "$out/plain.d/calls")" = 1 ]; then pass plain/booted-once; else
	fail plain/booted-once "$(cat "$out/plain.d/calls")"
fi

# 2. A lab kernel's failed build: one FAIL, its checks not run, the next
# build after it.
tests_run builds LAB_CHECKS=explore LAB_VARIANTS="broken1 broken2"
has builds/build-fail "$out/builds.out" '^FAIL lab/build-kernel/broken1$'
has builds/checks-not-run "$out/builds.out" '^-- lab lab-broken1 timeline: not run: lab-broken1 build failed'
hasnt builds/no-boot-of-broken "$out/builds.d/calls" '^start run .* lab-broken'
has builds/summary "$out/builds.out" '^[1-9][0-9]* passed, 2 failed$'
if [ "$(cat "$out/builds.rc")" = 1 ]; then pass builds/exit-1; else
	fail builds/exit-1 "exit $(cat "$out/builds.rc")"
fi
# The second build starts once the first has ended.
order=$(awk '/ build-kernel /{ print $1 "-" $3 }' "$out/builds.d/calls" | tr '\n' ' ')
if [ "$order" = "start-broken1 end-broken1 start-broken2 end-broken2 " ]; then pass builds/in-order; else
	fail builds/in-order "builds ran as: $order"
fi

# 2b. Builds of different kinds (built whole, drivers/md only) run side by
# side; two of one kind, one after the other.
tests_run kinds LAB_JOBS=2 FAKE_SLEEP=1 LAB_KERNELS=" " LAB_CHECKS=none LAB_VARIANTS="w1 m1 m2" \
	FAKE_VARIANTS='w1 src whole\nm1 src 6.12\nm2 src 6.12\n'
# Line numbers of each start and end in the calls' log.
at() { grep -n "^$1 build-kernel $2 " "$out/kinds.d/calls" | cut -d: -f1; }
if [ "$(at start w1)" -lt "$(at end m1)" ] && [ "$(at start m1)" -lt "$(at end w1)" ] &&
	[ "$(at start m2)" -gt "$(at end m1)" ]; then
	pass kinds/side-by-side
else
	fail kinds/side-by-side "builds ran as: $(awk '/ build-kernel /{ print $1 "-" $3 }' "$out/kinds.d/calls" | tr '\n' ' ')"
fi

# 3. Two lanes: two boots (explore on two kernels) overlap.
tests_run lanes LAB_JOBS=2 FAKE_SLEEP=2 LAB_KERNELS="6.1 6.12" LAB_CHECKS=explore
if [ "$(awk '{ printf "%s ", $1 }' "$out/lanes.d/calls")" = "start start end end " ]; then
	pass lanes/two-at-once
else
	fail lanes/two-at-once "$(cat "$out/lanes.d/calls")"
fi
has lanes/single-tcg "$out/lanes.out" '^== lab, parallel: 2 jobs, 2 at a time \(TCG threads: single\)'

# 4. Guests under systemd (R14 here) and the race run in a pass of their
# own, one at a time, with both cores (multi-threaded TCG), after the
# parallel pass.
tests_run alone LAB_JOBS=2 LAB_CHECKS="explore race truth-r14"
has alone/parallel-first "$out/alone.out" '^== lab, parallel: 1 jobs, 2 at a time \(TCG threads: single\)'
has alone/alone-pass "$out/alone.out" '^== lab, alone: 2 jobs, 1 at a time \(TCG threads: multi\)'
order=$(awk '$1 == "start" { print $3 }' "$out/alone.d/calls" | tr '\n' ' ')
if [ "$order" = "explore.sh scenario-r14.sh race.sh " ]; then pass alone/r14-after; else
	fail alone/r14-after "boots ran as: $order"
fi
