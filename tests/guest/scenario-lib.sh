#!/bin/sh
# Helpers sourced by the reproducer scenarios tests/guest/scenario-r*.sh and
# scenario-crypt-error.sh (busybox sh, in the lab guest).  This file is a
# library, not a scenario: run directly, it only says so.
#
# Conventions of every scenario:
#   scenario-X.sh [--trace] [ARGS...]
#     --trace  start `dmswap-trace --json` (trace_start) before the workload
#              and print its output at the end (`emit trace`).
#   Output lines a checker can rely on:
#     --- step NAME              (lib.sh step)
#     result NAME STATUS         exit status of one command (0 = success)
#     state LABEL dm-N k=v ...   sysfs of the dm disk (one line)
#     info LABEL key: value      `dmsetup info` (one line per field)
#     table LABEL ...            `dmsetup table`, crypt arguments never shown
#     zone LABEL ...             `blkzone report` lines
#     dmesg LABEL ...            new kernel messages since the previous dump
#     note ...                   free text
# Crypt keys are never printed: tables are printed through sc_table only.

# shellcheck disable=SC1091
. /lab/guest/lib.sh

SC_CFS=/sys/kernel/config/nullb
SC_DMESG_MARK=0

res() { echo "result $1 $2"; }
note() { echo "note $*"; }

# sc_begin NAME "$@": parse --trace, load modules, clean up what an earlier
# run of the same scenario in this guest left, start the tracer if asked.
# Sets SC_ARG1 (first argument after --trace, may be empty).
sc_begin() {
	SC_NAME=$1
	shift
	SC_TRACE=0
	if [ "${1:-}" = "--trace" ]; then
		SC_TRACE=1
		shift
	fi
	# shellcheck disable=SC2034 # used by the scenarios
	SC_ARG1=${1:-}
	echo "scenario $SC_NAME kernel $(uname -r) label ${LAB_KERNEL:-unknown} trace $SC_TRACE"
	modprobe configfs 2>/dev/null
	if [ ! -d "$SC_CFS" ]; then
		grep -q ' /sys/kernel/config ' /proc/mounts ||
			mount -t configfs configfs /sys/kernel/config
	fi
	modprobe null_blk nr_devices=0 || return 1
	modprobe dm-mod || return 1
	modprobe dm-crypt || return 1
	[ -d "$SC_CFS" ] || { echo "no null_blk configfs at $SC_CFS" >&2; return 1; }
	sc_dmesg_mark
	if [ "$SC_TRACE" = 1 ]; then
		trace_start /tmp/"$SC_NAME".trace.json --json || return 1
	fi
	return 0
}

# sc_end: stop the tracer (if any) and emit its output.
sc_end() {
	if [ "$SC_TRACE" = 1 ]; then
		trace_stop
		res tracer "$TRACE_RC"
		emit trace /tmp/"$SC_NAME".trace.json
		emit stderr /tmp/"$SC_NAME".trace.json.err
	fi
	echo "scenario $SC_NAME done"
}

# sc_remove NAME...: remove dm devices if they exist (best effort, quiet).
sc_remove() {
	for n in "$@"; do
		dmsetup info "$n" >/dev/null 2>&1 || continue
		dmsetup resume "$n" >/dev/null 2>&1
		dmsetup remove --force "$n" >/dev/null 2>&1 ||
			echo "note could not remove dm device $n"
	done
}

# sc_nullb_del NAME...: power off and remove configfs null_blk devices.
sc_nullb_del() {
	for n in "$@"; do
		[ -d "$SC_CFS/$n" ] || continue
		echo 0 >"$SC_CFS/$n/power" 2>/dev/null
		rmdir "$SC_CFS/$n" 2>/dev/null || echo "note could not remove null_blk $n"
	done
}

# nullb NAME ATTR=VALUE...: a configfs null_blk, memory backed, disk /dev/NAME
# (size in MB, zone_size/zone_capacity in MB).  Replaces an existing one.
nullb() {
	_n=$1
	shift
	sc_nullb_del "$_n"
	mkdir "$SC_CFS/$_n" || return 1
	echo 1 >"$SC_CFS/$_n/memory_backed"
	for _kv in "$@"; do
		if ! echo "${_kv#*=}" >"$SC_CFS/$_n/${_kv%%=*}"; then
			echo "nullb $_n: cannot set $_kv" >&2
			return 1
		fi
	done
	echo 1 >"$SC_CFS/$_n/power" || { echo "nullb $_n: power on failed" >&2; return 1; }
	_i=0
	while [ ! -b "/dev/$_n" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -b "/dev/$_n" ] || { echo "nullb $_n: no /dev/$_n" >&2; return 1; }
	_q=/sys/block/$_n/queue
	echo "nullb $_n size=$(cat /sys/block/"$_n"/size) zoned=$(cat "$_q"/zoned)" \
		"lbs=$(cat "$_q"/logical_block_size) chunk_sectors=$(cat "$_q"/chunk_sectors)" \
		"nr_zones=$(cat "$_q"/nr_zones 2>/dev/null) max_open=$(cat "$_q"/max_open_zones 2>/dev/null)" \
		"max_active=$(cat "$_q"/max_active_zones 2>/dev/null)" \
		"zone_append_max_bytes=$(cat "$_q"/zone_append_max_bytes 2>/dev/null)"
}

# rq_nullb NAME...: the dm-multipath modules, and each NAME a blk-mq
# null_blk /dev/NAME of RQ_SECTORS sectors, for request-based tables.
RQ_SECTORS=524288
rq_nullb() {
	modprobe dm-multipath && modprobe dm-round-robin || return 1
	sc_nullb_del "$@"
	for _n in "$@"; do
		nullb "$_n" size=$((RQ_SECTORS / 2048)) queue_mode=2 blocksize=512 || return 1
	done
}

# mp_table PATH...: a multipath table over RQ_SECTORS, one priority group,
# round-robin over the paths, the first one first.
mp_table() {
	_p=""
	for _d in "$@"; do _p="$_p $_d 1"; done
	echo "0 $RQ_SECTORS multipath 0 0 1 1 round-robin 0 $# 1$_p"
}

# crypt_seg START LEN DEV [OFFSET]: one dm-crypt line (4096-byte sectors).
crypt_seg() {
	echo "$1 $2 crypt aes-xts-plain64 $CRYPT_KEY 0 $3 ${4:-0} 1 sector_size:4096"
}

# sc_sysfs LABEL DEV: one `state` line with the disk's size and zone limits.
sc_sysfs() {
	_d=$2
	if [ ! -d "/sys/block/$_d" ]; then
		echo "state $1 $_d absent"
		return
	fi
	_q=/sys/block/$_d/queue
	_l="state $1 $_d size=$(cat /sys/block/"$_d"/size)"
	for _a in zoned logical_block_size physical_block_size chunk_sectors nr_zones \
		max_open_zones max_active_zones zone_append_max_bytes; do
		_v=$(cat "$_q/$_a" 2>/dev/null) || _v=NA
		_l="$_l $_a=$_v"
	done
	echo "$_l"
}

# sc_table LABEL NAME [--inactive]: dmsetup table without crypt arguments.
sc_table() {
	_lab=$1
	shift
	dmsetup table "$@" 2>&1 | awk -v l="$_lab" '
		$3 == "crypt" { print "table " l " " $1 " " $2 " crypt <args not shown>"; next }
		{ print "table " l " " $0 }'
}

# sc_info LABEL NAME: dmsetup info, one line per field, plus the status type.
sc_info() {
	dmsetup info "$2" 2>&1 | grep -v -E '^(UUID|Read Ahead|Major)' |
		sed "s/^/info $1 /; s/  */ /g"
	dmsetup status "$2" 2>&1 | awk -v l="$1" '{ print "status " l " " $0 }'
}

# sc_zones LABEL DEV [N]: the first N (default 6) zones of a zoned device.
sc_zones() {
	_out=$(blkzone report -c "${3:-6}" "/dev/$2" 2>&1)
	_rc=$?
	echo "$_out" | sed "s/^ */zone $1 /"
	return $_rc
}

sc_dmesg_mark() { SC_DMESG_MARK=$(dmesg | wc -l); }

# sc_dmesg LABEL: kernel messages about dm/zones (and any oops/warning)
# logged since the previous call.
sc_dmesg() {
	_total=$(dmesg | wc -l)
	if [ "$_total" -lt "$SC_DMESG_MARK" ]; then SC_DMESG_MARK=0; fi
	dmesg | tail -n +$((SC_DMESG_MARK + 1)) |
		grep -i -E 'device-mapper|zone|dm-|crypt|nullb|bug|oops|warning|rip:|call trace|hung|blocked|error' |
		tail -n 20 | sed "s/^/dmesg $1 /"
	SC_DMESG_MARK=$_total
}

# snap LABEL NAME: everything observable about dm device NAME.
snap() {
	_dev=$(dm_dev "$2")
	sc_sysfs "$1" "${_dev:-none}"
	sc_info "$1" "$2"
	sc_table "$1" "$2"
	sc_table "$1-inactive" --inactive "$2"
	sc_dmesg "$1"
}

# run NAME CMD...: run CMD, print `result NAME rc` and its stderr (first lines).
run() {
	_name=$1
	shift
	"$@" >/tmp/sc.out 2>/tmp/sc.err
	_rc=$?
	res "$_name" $_rc
	grep -v -E 'records (in|out)$|bytes .* copied' /tmp/sc.err | head -n 3 |
		sed "s/^/stderr $_name /"
	return $_rc
}

# sc_timed SECONDS TAG CMD...: run CMD in the background and wait up to
# SECONDS for it.  Returns CMD's status; 124 with SC_HUNG=1 when it has not
# finished: hung in the kernel (a task in D state cannot be killed, so it is
# left behind; busybox `timeout` would wait for it).  Quiet: CMD's output
# goes to /tmp/sc.bg.TAG.out, its stderr is appended to /tmp/sc.bg.TAG.err.
sc_timed() {
	_t=$1
	_tag=$2
	shift 2
	SC_HUNG=0
	rm -f "/tmp/sc.bg.$_tag.rc"
	# The status is renamed into place: the poll must not read a half-made file.
	("$@" >"/tmp/sc.bg.$_tag.out" 2>>"/tmp/sc.bg.$_tag.err"
		echo $? >"/tmp/sc.bg.$_tag.rc.new"
		mv "/tmp/sc.bg.$_tag.rc.new" "/tmp/sc.bg.$_tag.rc") &
	SC_TIMED_PID=$!
	_i=0
	while [ ! -f "/tmp/sc.bg.$_tag.rc" ] && [ $_i -lt $((_t * 50)) ]; do
		usleep 20000
		_i=$((_i + 1))
	done
	if [ ! -f "/tmp/sc.bg.$_tag.rc" ]; then
		SC_HUNG=1
		return 124
	fi
	return "$(cat "/tmp/sc.bg.$_tag.rc")"
}

# bg_run SECONDS NAME CMD...: sc_timed, with a result line (and a note when
# CMD hung).
bg_run() {
	_name=$2
	rm -f "/tmp/sc.bg.$_name.err"
	sc_timed "$@"
	_rc=$?
	[ "$SC_HUNG" = 1 ] && echo "note $_name still running after ${1}s (pid $SC_TIMED_PID): hung"
	res "$_name" "$_rc"
	[ -s "/tmp/sc.bg.$_name.err" ] && head -n 3 "/tmp/sc.bg.$_name.err" | sed "s/^/stderr $_name /"
	return "$_rc"
}

# write4k DEV SECTOR: one 4 KiB direct write at SECTOR (512-byte units).
write4k() {
	dd if=/dev/urandom of="/dev/$1" bs=4096 count=1 seek=$(($2 / 8)) oflag=direct \
		2>/tmp/sc.dd.err
	_rc=$?
	grep -v -E 'records (in|out)|bytes' /tmp/sc.dd.err >&2
	return $_rc
}

# zwrite DEV SECTOR KIB: KIB KiB of direct 4 KiB writes starting at SECTOR.
zwrite() {
	dd if=/dev/urandom of="/dev/$1" bs=4096 count=$(($3 / 4)) seek=$(($2 / 8)) \
		oflag=direct 2>/tmp/sc.dd.err
	_rc=$?
	grep -v -E 'records (in|out)|bytes' /tmp/sc.dd.err >&2
	return $_rc
}

# zwp DEV ZONE_START: the write pointer sector of the zone (from a report).
zwp() {
	_w=$(blkzone report -o "$2" -c 1 "/dev/$1" 2>/dev/null |
		sed -n 's/.*wptr \(0x[0-9a-f]*\).*/\1/p')
	[ -n "$_w" ] && echo $(($2 + _w))
}

case $0 in
*scenario-lib.sh)
	echo "scenario-lib.sh is a library sourced by the scenario scripts; nothing to run"
	exit 0
	;;
esac
