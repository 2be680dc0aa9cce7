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

	local tests=("$@") nodev=() t f
	[ ${#tests[@]} -gt 0 ] || tests=(dm zbd)
	# The test() tests of the selection, by name.
	for t in "${tests[@]}"; do
		for f in tests/"$t" tests/"$t"/[0-9]*; do
			[ -f "$f" ] && [[ $f != *.out ]] && grep -q '^test()' "$f" && nodev+=("${f#tests/}")
		done
	done
	echo "== pass 1: test devices"
	./check -d -c /tmp/devs.config -o "$out/results" "${tests[@]}"
	echo "check-devices $?" >>"$out/status"
	dmsetup remove bt-zlinear bt-zcrypt bt-loop
	losetup -d "$loop"
	modprobe -r null_blk
	if [ ${#nodev[@]} -gt 0 ]; then
		echo "== pass 2: no test device: ${nodev[*]}"
		./check -c /tmp/nodev.config -o "$out/results" "${nodev[@]}"
		echo "check-nodev $?" >>"$out/status"
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
(cd "$out/results" && find . -type f ! -name '*.*' -printf '%T@ %P\n') >"$out/times"
dmesg >"$out/dmesg.txt"
cat "$out/status"
