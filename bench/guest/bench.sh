#!/bin/bash
# Guest side of `make bench` (scripts/bench): the overhead of dmswap-trace,
# and of a bpftrace peer, on the I/O path and the swap path, and the tool's
# start-up cost.  Runs in the lab guest (bash, busybox, fio, bpftrace).
#
#   bench.sh ROUNDS RUNTIME SWAP_SECS PEER STARTS STATS SETTLE
#
# Every measurement is printed as one line "@bench {JSON}" for
# bench/report.py.  In one boot, ROUNDS rounds each measure every workload in
# every arm: off (nothing traces), on (dmswap-trace in its default watch
# mode, armed) and peer (bench/peer.bt under bpftrace); per workload the arms
# alternate (off, on, peer, then peer, on, off), the tracer is started before
# and stopped after each measurement, and every measurement starts from the
# same device state (zones reset).  Workloads:
#   zbd-linear  fio 4k sequential writes, --zonemode=zbd, 3 jobs, dm-linear
#               over a zoned null_blk (memory_backed=0)
#   zbd-crypt   the same on dm-crypt over another zoned null_blk
#   randread    fio 4k random reads, libaio iodepth 16, 2 jobs, dm-linear
#               over a conventional null_blk
#   swap        suspend/load/resume cycles of a zoned dm-linear device
# Then STARTS start-ups of `dmswap-trace --json` (exec to armed, the phases,
# RSS, BPF map and program memory) and, if STATS=1, one pass of each
# workload with kernel.bpf_stats_enabled=1 for per-program run time.
# shellcheck disable=SC1091
. /lab/guest/lib.sh

ROUNDS=${1:-5}
RUNTIME=${2:-5}
SWAP_SECS=${3:-5}
PEER=${4:-1}
STARTS=${5:-5}
STATS=${6:-1}
SETTLE=${7:-3}
RAMP=1
PEER_BT=/lab/guest/peer.bt

out() { echo "@bench $*"; }
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# ---- devices ----
fail() {
	echo "bench: $*" >&2
	exit 1
}
modprobe configfs 2>/dev/null
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config
modprobe null_blk nr_devices=0 || fail "no null_blk"
modprobe dm-mod || fail "no dm-mod"
modprobe dm-crypt || fail "no dm-crypt"

# mk_nullb NAME ATTR=VALUE...: a null_blk through configfs; prints /dev/nullbN.
mk_nullb() {
	local name=$1 d=/sys/kernel/config/nullb/$1 a i dev
	shift
	mkdir "$d" || return 1
	for a in "$@"; do echo "${a#*=}" >"$d/${a%%=*}" || return 1; done
	echo 1 >"$d/power" || return 1
	# The disk is named after the configfs directory (6.12, 7.x) or nullbN.
	for ((i = 0; i < 100; i++)); do
		for dev in "/dev/$name" "/dev/nullb$(cat "$d/index" 2>/dev/null)"; do
			if [[ -b $dev ]]; then
				echo "$dev"
				return 0
			fi
		done
		sleep 0.1
	done
	echo "null_blk $name: no disk" >&2
	return 1
}

# 64 zones of 64 MiB each; nothing is stored (memory_backed=0).
ZONED=(size=4096 blocksize=4096 zoned=1 zone_size=64 zone_nr_conv=0 memory_backed=0)
ZL_DEV=$(mk_nullb nbzl "${ZONED[@]}") || fail "cannot make null_blk zl"
ZC_DEV=$(mk_nullb nbzc "${ZONED[@]}") || fail "cannot make null_blk zc"
CL_DEV=$(mk_nullb nbcl size=4096 blocksize=4096 memory_backed=0) || fail "cannot make null_blk cl"
SW_DEV=$(mk_nullb nbsw size=1024 blocksize=4096 zoned=1 zone_size=64 zone_nr_conv=0 memory_backed=0) ||
	fail "cannot make null_blk sw"
sectors() { blockdev --getsz "$1"; }
# The crypt table carries a key: never echoed.
dmsetup create zl --table "0 $(sectors "$ZL_DEV") linear $ZL_DEV 0" || fail "cannot create zl"
dmsetup create zc --table "$(crypt_table "$(sectors "$ZC_DEV")" "$ZC_DEV")" || fail "cannot create zc"
dmsetup create cl --table "0 $(sectors "$CL_DEV") linear $CL_DEV 0" || fail "cannot create cl"
SW_SECTORS=$(sectors "$SW_DEV")
dmsetup create sw --table "0 $SW_SECTORS linear $SW_DEV 0" || fail "cannot create dm device sw"

kernel_release=$(uname -r)
ncpu=$(grep -c ^processor /proc/cpuinfo)
out "{\"kind\":\"config\",\"kernel\":\"$kernel_release\",\"label\":\"$LAB_KERNEL\",\"cpus\":$ncpu,\"rounds\":$ROUNDS,\"runtime_s\":$RUNTIME,\"ramp_s\":$RAMP,\"swap_s\":$SWAP_SECS,\"settle_s\":$SETTLE,\"peer\":$PEER,\"bpftrace\":\"$(bpftrace --version 2>/dev/null | tr -d '\n')\",\"tool\":\"$(dmswap-trace --version 2>/dev/null | head -n 1 | tr -d '\n"')\"}"

# ---- workloads: each prints its rate ----
# fio under a watchdog: a hung job fails the measurement, not the run.
fio() { timeout $((RUNTIME + RAMP + 60)) fio "$@"; }
FIO_COMMON=(--direct=1 --bs=4k --time_based --runtime="$RUNTIME" --ramp_time="$RAMP"
	--group_reporting --output-format=terse --terse-version=3)

# 3 jobs, each writing its own third of the zones sequentially (21 zones).
zbd_write() {
	local dev=/dev/mapper/$1
	blkzone reset "$dev" || return 1
	fio --name=zbd --filename="$dev" --zonemode=zbd --rw=write --ioengine=psync --numjobs=3 \
		--offset=0 --size=1344M --offset_increment=1344M --max_open_zones=6 --job_max_open_zones=2 \
		"${FIO_COMMON[@]}" 2>/tmp/fio.err | awk -F';' 'NR == 1 { print $49 }'
}

randread() {
	fio --name=rr --filename=/dev/mapper/cl --rw=randread --ioengine=libaio --iodepth=16 \
		--numjobs=2 --norandommap --randrepeat=1 "${FIO_COMMON[@]}" 2>/tmp/fio.err |
		awk -F';' 'NR == 1 { print $8 }'
}

# Cycles per second of dmsetup suspend, load, resume (two tables in turn).
swap_cycles() {
	local n=0 t0 t1 off
	dmsetup load sw --table "0 $SW_SECTORS linear $SW_DEV 0" && dmsetup resume sw
	t0=$(now_us)
	t1=$((t0 + SWAP_SECS * 1000000))
	while :; do
		dmsetup suspend sw || return 1
		if ((n % 2)); then off=error; else off="linear $SW_DEV 0"; fi
		dmsetup load sw --table "0 $SW_SECTORS $off" || return 1
		dmsetup resume sw || return 1
		n=$((n + 1))
		(($(now_us) < t1)) || break
	done
	awk -v n="$n" -v us="$(($(now_us) - t0))" 'BEGIN { printf "%.3f\n", n * 1e6 / us }'
}

WORKLOADS=(zbd-linear zbd-crypt randread swap)
run_workload() {
	case $1 in
	zbd-linear) zbd_write zl ;;
	zbd-crypt) zbd_write zc ;;
	randread) randread ;;
	swap) swap_cycles ;;
	esac
}

# ---- arms ----
TOOL_PID="" PEER_PID=""

# Start dmswap-trace in the default mode (text timeline on stdout); wait
# until armed.  Sets START_US: exec to armed as seen from here.
tool_start() {
	local t0 i=0
	# Not only truncated by the redirections below: the loop could see the
	# last run's "armed" before the new process truncates the files.
	rm -f /tmp/tool.out /tmp/tool.err
	t0=$(now_us)
	dmswap-trace "$@" >/tmp/tool.out 2>/tmp/tool.err &
	TOOL_PID=$!
	until grep -q armed /tmp/tool.err /tmp/tool.out 2>/dev/null; do
		kill -0 "$TOOL_PID" 2>/dev/null || { cat /tmp/tool.err >&2; return 1; }
		i=$((i + 1))
		((i < 3000)) || return 1
		sleep 0.01
	done
	START_US=$(($(now_us) - t0))
}

# stop_pid PID: SIGINT, up to 20 s for an orderly exit, then SIGKILL (a
# tracer that hangs on exit must not stall the whole run).
stop_pid() {
	local i
	kill -INT "$1" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "bench: pid $1 ($(cat "/proc/$1/comm" 2>/dev/null)) still running 20 s after SIGINT: killed" >&2
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}

tool_stop() {
	stop_pid "$TOOL_PID"
	TOOL_PID=""
}

peer_start() {
	local t0 i=0
	rm -f /tmp/peer.out /tmp/peer.err
	t0=$(now_us)
	bpftrace "$PEER_BT" >/tmp/peer.out 2>/tmp/peer.err &
	PEER_PID=$!
	# bpftrace runs BEGIN (which prints "armed") once every probe is attached.
	until grep -q armed /tmp/peer.out 2>/dev/null; do
		kill -0 "$PEER_PID" 2>/dev/null || { cat /tmp/peer.err >&2; return 1; }
		i=$((i + 1))
		((i < 12000)) || return 1
		sleep 0.01
	done
	START_US=$(($(now_us) - t0))
}

peer_stop() {
	stop_pid "$PEER_PID"
	PEER_PID=""
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# CPU time (user + system, ms) that process PID has used so far.
cpu_ms() { awk -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

# measure ARM ROUND WORKLOAD: start the arm's tracer, run the workload once,
# stop it; each measurement of a round starts from the same state.
measure() {
	local arm=$1 round=$2 w=$3 v pid="" rss="" cpu0=0
	case $arm in
	on)
		tool_start || fail "dmswap-trace did not arm"
		pid=$TOOL_PID
		;;
	peer)
		peer_start || fail "bpftrace did not start"
		pid=$PEER_PID
		;;
	esac
	# Every arm waits as long after its (possible) start: what follows an
	# attach (RCU tasks grace periods for the replaced trampolines, freed
	# verifier state) settles before the workload.
	sleep "$SETTLE"
	read -r _ u0 n0 s0 i0 w0 q0 sq0 _ </proc/stat
	if [[ -n $pid ]]; then
		rss=$(rss_kb "$pid")
		cpu0=$(cpu_ms "$pid")
		out "{\"kind\":\"start\",\"arm\":\"$arm\",\"round\":$round,\"workload\":\"$w\",\"exec_to_armed_us\":$START_US,\"rss_kb\":${rss:-null}}"
	fi
	v=$(run_workload "$w")
	if [[ -z $v || $v == 0 ]]; then
		echo "workload $w failed in arm $arm: $(tail -n 3 /tmp/fio.err 2>/dev/null)" >&2
		v=null
	fi
	out "{\"kind\":\"rate\",\"workload\":\"$w\",\"arm\":\"$arm\",\"round\":$round,\"value\":$v}"
	# Where the guest's CPU time went meanwhile (USER_HZ ticks, both CPUs).
	read -r _ u1 n1 s1 i1 w1 q1 sq1 _ </proc/stat
	out "{\"kind\":\"guest_cpu\",\"arm\":\"$arm\",\"round\":$round,\"workload\":\"$w\",\"user\":$((u1 + n1 - u0 - n0)),\"system\":$((s1 - s0)),\"idle\":$((i1 + w1 - i0 - w0)),\"irq\":$((q1 + sq1 - q0 - sq0))}"
	if [[ -n $pid ]]; then
		# What the tracer's own process used while the workload ran.
		out "{\"kind\":\"tracer_cpu\",\"arm\":\"$arm\",\"round\":$round,\"workload\":\"$w\",\"cpu_ms\":$(awk -v a="$cpu0" -v b="$(cpu_ms "$pid")" 'BEGIN { print b - a }'),\"rss_kb_end\":$(rss_kb "$pid")}"
	fi
	case $arm in
	on) tool_stop ;;
	peer) peer_stop ;;
	esac
}

ARMS=(off on)
((PEER)) && ARMS+=(peer)
# Warm-up: page cache, module code, first-time allocations.
((ROUNDS)) && for w in "${WORKLOADS[@]}"; do run_workload "$w" >/dev/null; done

# Each workload is measured in every arm back to back (off, on, peer; the
# next round peer, on, off), so that slow drifts of the host hit all arms.
for ((r = 1; r <= ROUNDS; r++)); do
	order=("${ARMS[@]}")
	if ((r % 2 == 0)); then
		order=()
		for ((j = ${#ARMS[@]} - 1; j >= 0; j--)); do order+=("${ARMS[j]}"); done
	fi
	for w in "${WORKLOADS[@]}"; do
		for arm in "${order[@]}"; do measure "$arm" "$r" "$w"; done
	done
done

# ---- start-up: exec to armed, phases, memory ----
# Sum of a numeric field over bpftool's JSON list.
bpftool_sum() { bpftool -j "$1" show 2>/dev/null | grep -o "\"$2\":[0-9]*" | awk -F: '{ s += $2 } END { print s + 0 }'; }
# fdinfo_memlock PID KIND: memlock of PID's BPF objects whose fdinfo has KIND.
fdinfo_memlock() {
	local f s=0 m
	for f in /proc/"$1"/fdinfo/*; do
		grep -q "^$2:" "$f" 2>/dev/null || continue
		m=$(awk '/^memlock:/ { print $2 }' "$f")
		s=$((s + ${m:-0}))
	done
	echo "$s"
}
maps0=$(bpftool_sum map bytes_memlock)
progs0=$(bpftool_sum prog bytes_memlock)
for ((i = 1; i <= STARTS; i++)); do
	tool_start --json || fail "dmswap-trace did not arm"
	ext=$START_US
	armed=$(grep -m1 '"event":"armed"' /tmp/tool.out)
	s2a=$(echo "$armed" | grep -o '"start_to_armed_ns":[0-9]*' | cut -d: -f2)
	phases=$(echo "$armed" | grep -o '"startup_ns":{[^}]*}' | cut -d: -f2-)
	status=/proc/$TOOL_PID/status
	rss=$(awk '/^VmRSS/ { print $2 }' "$status")
	hwm=$(awk '/^VmHWM/ { print $2 }' "$status")
	maps=$(($(bpftool_sum map bytes_memlock) - maps0))
	progs=$(($(bpftool_sum prog bytes_memlock) - progs0))
	# bpftool shows no memlock for maps on 7.x: the process's fdinfo has it.
	((maps > 0)) || maps=$(fdinfo_memlock "$TOOL_PID" map_type)
	((progs > 0)) || progs=$(fdinfo_memlock "$TOOL_PID" prog_type)
	xlated=$(bpftool_sum prog bytes_xlated)
	jited=$(bpftool_sum prog bytes_jited)
	nprogs=$(bpftool -j prog show | grep -o '"id":' | wc -l)
	nmaps=$(bpftool -j map show | grep -o '"id":' | wc -l)
	out "{\"kind\":\"startup\",\"run\":$i,\"exec_to_armed_us\":$ext,\"start_to_armed_ns\":${s2a:-null},\"phases_ns\":${phases:-null},\"rss_kb\":$rss,\"hwm_kb\":$hwm,\"map_memlock\":$maps,\"prog_memlock\":$progs,\"prog_xlated\":$xlated,\"prog_jited\":$jited,\"progs\":$nprogs,\"maps\":$nmaps}"
	tool_stop
done
if ((PEER)); then
	peer_start || fail "bpftrace did not start"
	ext=$START_US
	out "{\"kind\":\"peer_startup\",\"exec_to_armed_us\":${ext:-null},\"rss_kb\":$(rss_kb "$PEER_PID"),\"hwm_kb\":$(awk '/^VmHWM/ { print $2 }' "/proc/$PEER_PID/status"),\"map_memlock\":$(($(bpftool_sum map bytes_memlock) - maps0)),\"prog_memlock\":$(($(bpftool_sum prog bytes_memlock) - progs0))}"
	peer_stop
fi

# ---- where the time goes: per-program run time with bpf_stats ----
prog_stats() {
	local who=$1 w=$2
	bpftool -j prog show | tr '{' '\n' | grep '"run_cnt"' | while read -r l; do
		name=$(echo "$l" | grep -o '"name":"[^"]*"' | cut -d'"' -f4)
		cnt=$(echo "$l" | grep -o '"run_cnt":[0-9]*' | cut -d: -f2)
		ns=$(echo "$l" | grep -o '"run_time_ns":[0-9]*' | cut -d: -f2)
		out "{\"kind\":\"prog_stats\",\"arm\":\"$who\",\"workload\":\"$w\",\"prog\":\"$name\",\"run_cnt\":${cnt:-0},\"run_time_ns\":${ns:-0}}"
	done
}
if ((STATS)); then
	sysctl -qw kernel.bpf_stats_enabled=1
	arms=(on)
	((PEER)) && arms+=(peer)
	for arm in "${arms[@]}"; do
		for w in "${WORKLOADS[@]}"; do
			if [[ $arm == on ]]; then tool_start; else peer_start; fi || fail "$arm did not start"
			t0=$(now_us)
			v=$(run_workload "$w")
			out "{\"kind\":\"stats_window\",\"arm\":\"$arm\",\"workload\":\"$w\",\"wall_us\":$(($(now_us) - t0)),\"value\":${v:-null}}"
			prog_stats "$arm" "$w"
			if [[ $arm == on ]]; then tool_stop; else peer_stop; fi
		done
	done
	sysctl -qw kernel.bpf_stats_enabled=0
fi
out '{"kind":"done"}'
exit 0
