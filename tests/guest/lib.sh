# shellcheck shell=sh
# Helpers for guest scripts (sourced; busybox sh).  The lab copies this
# directory to /lab/guest; LAB_KERNEL is the kernel label (6.1, 6.12, latest).

# 64 MiB zones, 16 per 1 GiB device, the first 4 conventional.
# shellcheck disable=SC2034 # used by the scripts that source this
ZONE_SECTORS=131072
# shellcheck disable=SC2034
NULLB_SECTORS=2097152
# A throwaway dm-crypt key: tables carry keys, the tool must never print them.
CRYPT_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# zoned_nullb N: N zoned memory-backed null_blk devices, /dev/nullb0..N-1.
zoned_nullb() {
	modprobe null_blk nr_devices="$1" zoned=1 zone_size=64 gb=1 memory_backed=1 \
		zone_nr_conv=4 zone_max_open=8
}

crypt_table() { # crypt_table SECTORS DEV
	echo "0 $1 crypt aes-xts-plain64 $CRYPT_KEY 0 $2 0 1 sector_size:4096"
}

# trace_start OUT [ARGS...]: start dmswap-trace, wait until it is armed.
trace_start() {
	TRACE_OUT=$1
	shift
	dmswap-trace "$@" >"$TRACE_OUT" 2>"$TRACE_OUT.err" &
	TRACE_PID=$!
	i=0
	until grep -q armed "$TRACE_OUT" "$TRACE_OUT.err" 2>/dev/null; do
		if ! kill -0 "$TRACE_PID" 2>/dev/null; then
			echo "dmswap-trace exited before arming:" >&2
			cat "$TRACE_OUT.err" >&2
			return 1
		fi
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "dmswap-trace not armed after 60 s" >&2; return 1; }
		sleep 0.1
	done
}

# trace_stop: SIGINT, wait, and leave its exit status in TRACE_RC.
trace_stop() {
	sleep 0.3
	kill -INT "$TRACE_PID"
	wait "$TRACE_PID"
	# shellcheck disable=SC2034 # read by the callers
	TRACE_RC=$?
}

# emit NAME FILE: copy FILE to stdout between markers, for the host checker.
emit() {
	echo "=== begin $1"
	cat "$2"
	echo "=== end $1"
}

# step NAME: a marker in the output, to line the trace up with the workload.
step() {
	echo "--- step $*"
}

# res NAME STATUS: a result line for the host checker.
res() { echo "result $1 $2"; }

# dm_dev NAME: the kernel name dm-N of a dm device (empty if none).
dm_dev() {
	_m=$(dmsetup info -c --noheadings -o minor "$1" 2>/dev/null | tr -d ' ')
	[ -n "$_m" ] && echo "dm-$_m"
}

# wait_for SECONDS COMMAND...: retry COMMAND once a second.
wait_for() {
	wait_n=$1
	shift
	until "$@"; do
		wait_n=$((wait_n - 1))
		[ "$wait_n" -gt 0 ] || return 1
		sleep 1
	done
}

# canary_workload: what the canary suites count: device c (dm-linear on
# nullb0) suspended and resumed three times, then a misaligned reload that
# fails; device z (zoned dm-crypt on nullb1) swapped to dm-error, then its
# own table refused five times on 6.12 and 7.x (INV-8 each time, INV-9 once).
canary_workload() {
	dmsetup create c --table "0 1048576 linear /dev/nullb0 0"
	for _ in 1 2 3; do dmsetup suspend c && dmsetup resume c; done
	dmsetup load c --table "0 1000 linear /dev/nullb0 0" && dmsetup resume c 2>/dev/null
	dmsetup resume c
	dmsetup create z --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
	dmsetup load z --table "0 $NULLB_SECTORS error" && dmsetup resume z
	for _ in 1 2 3 4 5; do
		dmsetup load z --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
		dmsetup resume z 2>/dev/null || dmsetup resume z
	done
}

# suite_run MODE OUT COMMAND...: a suite's run, under `dmswap-trace run`
# (MODE tool: its summary and JSON log in OUT) or not (notool), with "run"
# (the tool's status) and "wall" (seconds) appended to OUT/status.
# --kmsg: each violation is also a "dmswap-trace: WARNING: ..." line in the
# kernel log, which blktests' and fstests' own dmesg checks fail the running
# test on: the suite itself names the test that caused it.
suite_run() {
	suite_mode=$1 suite_out=$2
	shift 2
	suite_t0=$(date +%s.%N)
	if [ "$suite_mode" = tool ]; then
		dmswap-trace run --kmsg --summary "$suite_out/summary.json" \
			--log "$suite_out/trace.jsonl" -- "$@"
		echo "run $?" >>"$suite_out/status"
	else
		"$@"
	fi
	echo "wall $(echo "$(date +%s.%N) - $suite_t0" | bc)" >>"$suite_out/status"
}
