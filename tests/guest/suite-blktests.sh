#!/bin/bash
# blktests' dm and zbd groups in the lab's Debian userland (scripts/lab run
# --system, started by scripts/suite): the suite built on the host arrives as
# /lab/files/blktests.tar.  Devices: dm-linear over a zoned null_blk, dm-crypt
# over a zoned null_blk (zone append emulated), dm-linear over a loop file.
# The tests that take no test device (test()) run in a second pass without
# them: some reload null_blk, which the devices of the first pass hold.
# Results, the tool's summary and JSON log, statuses and wall times go to
# /lab/out/; scripts/lab.d/suites/table.py makes the table.
# Usage: suite-blktests.sh tool|notool [TEST...]   (default: dm zbd)
#        suite-blktests.sh inner [TEST...]         (the run itself)
set -u
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
# Settings from the host's environment (scripts/suite).
# shellcheck disable=SC1091
[ -f /lab/files/suite.env ] && . /lab/files/suite.env
out=/lab/out
src=/var/tmp/suite/blktests
# blktests writes each test's start as local time: make it UTC.
export TZ=UTC

# A test that hangs in the kernel (7.3.4: fio in zbd/009) is killed after
# this many seconds and the run stops there, so that the tool still detaches
# and writes its summary and the results come back.
TEST_TIMEOUT=${BLKTESTS_TEST_TIMEOUT:-900}

# bt_check CHECK-ARGS... TEST: one test in its own `check` (so that a hang
# is one test's), killed after TEST_TIMEOUT; a hung test gets a results file
# of its own (device "hung": which device it was on is not known), the
# kernel's blocked tasks are dumped to its log, and the run stops.
bt_check() {
	local t=${*: -1} start rc
	start=$(date -u '+%Y-%m-%d %H:%M:%S')
	timeout -k 30 "$TEST_TIMEOUT" ./check "$@"
	rc=$?
	[ $rc -eq 124 ] || [ $rc -eq 137 ] || return $rc
	echo "$t: hung, killed after $TEST_TIMEOUT s; the run stops here"
	mkdir -p "$out/results/hung/${t%/*}"
	printf 'date\t%s\nstatus\tfail (hung: killed after %s s)\n' "$start" "$TEST_TIMEOUT" \
		>"$out/results/hung/$t"
	ps -eo pid,stat,wchan:32,args | awk '$2 ~ /D/'
	echo w >/proc/sysrq-trigger
	# The test's mounts are under its TMPDIR in the results: detach them
	# (lazily: they are stuck), or listing and copying the results back
	# would block on them too.
	findmnt -rn -o TARGET | grep "^$out/" | sort -r | xargs -r -n1 umount -l
	echo "check-hung $t" >>"$out/status"
	exit 0
}

inner() {
	cd "$src" || exit 2
	modprobe null_blk nr_devices=2 zoned=1 zone_size=4 gb=1 || exit 2
	modprobe dm_crypt || exit 2
	local sz key loop
	sz=$(blockdev --getsz /dev/nullb0)
	dmsetup create bt-zlinear --table "0 $sz linear /dev/nullb0 0" || exit 2
	# A throwaway key; nothing logs table parameters.
	key=$(od -An -tx1 -N64 /dev/urandom | tr -d ' \n')
	dmsetup create bt-zcrypt --table "0 $sz crypt aes-xts-plain64 $key 0 /dev/nullb1 0" || exit 2
	truncate -s 1G /var/tmp/bt-loop.img
	loop=$(losetup -f --show /var/tmp/bt-loop.img) || exit 2
	dmsetup create bt-loop --table "0 $(blockdev --getsz "$loop") linear $loop 0" || exit 2
	udevadm settle
	echo 'TEST_DEVS=(/dev/mapper/bt-zlinear /dev/mapper/bt-zcrypt /dev/mapper/bt-loop)' >/tmp/devs.config
	: >/tmp/nodev.config

	local tests=("$@") devs=() nodev=() t f rc=0
	[ ${#tests[@]} -gt 0 ] || tests=(dm zbd)
	# The tests of the selection by name: test() ones take no device.
	for t in "${tests[@]}"; do
		for f in tests/"$t" tests/"$t"/[0-9]*; do
			if [ ! -f "$f" ] || [[ $f == *.out ]]; then
				continue
			fi
			if grep -q '^test()' "$f"; then
				nodev+=("${f#tests/}")
			else
				devs+=("${f#tests/}")
			fi
		done
	done
	echo "== pass 1: test devices"
	for t in "${devs[@]}"; do
		bt_check -d -c /tmp/devs.config -o "$out/results" "$t" || rc=1
	done
	echo "check-devices $rc" >>"$out/status"
	dmsetup remove bt-zlinear bt-zcrypt bt-loop
	losetup -d "$loop"
	modprobe -r null_blk
	if [ ${#nodev[@]} -gt 0 ]; then
		echo "== pass 2: no test device: ${nodev[*]}"
		rc=0
		for t in "${nodev[@]}"; do
			bt_check -c /tmp/nodev.config -o "$out/results" "$t" || rc=1
		done
		echo "check-nodev $rc" >>"$out/status"
	fi
	exit 0
}

mode=${1:-tool}
shift
[ "$mode" = inner ] && inner "$@"

# The static binary is /lab/bin/dmswap-trace; configfs (null_blk's devices,
# blktests' fallback devices) is not mounted by systemd until it is loaded.
modprobe configfs
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
mkdir -p /var/tmp/suite
# The kernel's configuration where a Debian system has it (scripts/suite).
[ -f /lab/files/config ] && cp /lab/files/config "/boot/config-$(uname -r)"
tar -xf /lab/files/blktests.tar -C /var/tmp/suite || exit 2
: >"$out/status"
echo "kernel $(uname -r)" >>"$out/status"
suite_run "$mode" "$out" "$0" inner "$@"
# Each test's end: when its results file was written (copying back may not
# keep mtimes).
(cd "$out/results" && find . -xdev -type f ! -name '*.*' -printf '%T@ %P\n') >"$out/times"
dmesg >"$out/dmesg.txt"
cat "$out/status"
