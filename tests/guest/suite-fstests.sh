#!/bin/bash
# fstests (xfstests) on zoned btrfs and zoned XFS in the lab's Debian
# userland (scripts/lab run --system, started by scripts/suite): the suite
# built on the host arrives as /lab/files/fstests.tar.  TEST_DEV is a zoned
# null_blk; each test runs once per configuration: zoned btrfs with
# SCRATCH_DEV a zoned null_blk ("zoned": fstests' dm-error and dm-flakey
# devices are dm-linear over native zone append), zoned btrfs with
# SCRATCH_DEV a zoned dm-crypt ("crypt": they stack on a device that
# emulates zone append), and zoned XFS ("xfs": null_blk devices whose first
# zones are conventional, so mkfs.xfs puts the data section there and an
# internal realtime section on the sequential zones; fstests' dm devices
# span both), zoned XFS with SCRATCH_DEV a dm-crypt over such a device
# ("xfs-crypt": the seed thread's stack, dm-crypt emulating zone append,
# under zoned XFS), with sid's xfsprogs (/lab/files/xfsprogs.tar, from
# scripts/lab.d/suites/xfsprogs-sid) where the kernel allows zoned XFS, and
# every test "not run" with the reason where it does not.  Each test is its
# own `check` so that its start and end are known; /lab/out/times.tsv gets
# "config test start end result".
# Usage: suite-fstests.sh tool|notool [TEST...|all]
#   default: the CI subset below; all: every test that requires the dm-error
#   or dm-flakey target
#        suite-fstests.sh inner [TEST...]   (the run itself)
set -u
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
# Settings from the host's environment (scripts/suite).
# shellcheck disable=SC1091
[ -f /lab/files/suite.env ] && . /lab/files/suite.env
out=/lab/out
src=/var/tmp/suite/xfstests
# The CI subset: tests that swap tables under a mounted zoned btrfs and
# pass on 6.12 within about 30 s each under TCG: dm-flakey's drop-writes
# (generic/034) and dm-error loaded and the working table back (generic/338;
# 484 and 629 too, by name: CI keeps two for time).  generic/475 (the recovery loop where 6.12 lost a zone report to
# a suspend) takes over 8 min per config, generic/753 3 min, generic/322
# fails on this ground (docs/suites.md): run them by name, or `all`.
SUBSET="generic/034 generic/338"
ZONE_MB=${FSTESTS_ZONE_MB:-32}
# Single metadata: with mkfs.btrfs's default DUP on a zoned device, a crash
# that lands between the two copies' writes leaves their zones' write
# pointers apart and the next mount fails ("write pointer offset mismatch of
# zones in DUP profile"): a btrfs limit, not the swap (docs/suites.md).
MKFS=${FSTESTS_MKFS_OPTIONS--m single -d single}
# A test that hangs in the kernel (6.1: umount stuck after the dm-error swap
# oopsed zoned btrfs) is killed after this many seconds and the run stops
# there (its devices are stuck: the next tests could not set up), so that
# the tool still detaches and writes its summary and the results come back.
TEST_TIMEOUT=${FSTESTS_TEST_TIMEOUT:-900}
# The configurations, in order (a subset: e.g. crypt alone after zoned hung).
# scripts/suite ships sid's xfsprogs unless FSTESTS_CONFIGS leaves xfs out.
ALL_CONFIGS="zoned crypt xfs xfs-crypt"
CONFIGS=${FSTESTS_CONFIGS:-$ALL_CONFIGS}
# FSTESTS_SHARD=I/N: only every N-th test of the list, from the I-th (the
# full set in N guests side by side).  FSTESTS_DEADLINE: seconds after the
# start when no further test starts; the rest are listed "not started".
SHARD=${FSTESTS_SHARD:-1/1}
DEADLINE=${FSTESTS_DEADLINE:-0}
# Zoned XFS came with Linux 6.15 and xfsprogs 6.15.
XFS_ZONED_MIN=6.15
# The xfs configuration's conventional zones: the data section and the log
# (mkfs.xfs wants more than 300 MiB: 16 zones of 32 MB); the other 48 zones
# are the realtime section.
XFS_CONV_ZONES=${FSTESTS_XFS_CONV_ZONES:-16}
XFSPROGS=/var/tmp/suite/xfsprogs-sid
NULLB="nr_devices=2 zoned=1 zone_size=$ZONE_MB gb=2 memory_backed=1"

# fstyp NAME: the file system of a configuration.
fstyp() { case $1 in xfs*) echo xfs ;; *) echo btrfs ;; esac; }

# on_crypt NAME: does the configuration's SCRATCH_DEV stack on dm-crypt?
on_crypt() { [[ $1 == *crypt ]]; }

# config NAME: write local.config for a pass.
config() {
	local scratch=/dev/nullb1 fstyp mkfs=$MKFS
	fstyp=$(fstyp "$1")
	on_crypt "$1" && scratch=/dev/mapper/fs-zcrypt
	# mkfs.xfs finds the zones itself (data on the conventional ones).
	[ "$fstyp" = xfs ] && mkfs=${FSTESTS_XFS_MKFS_OPTIONS-}
	cat >"$src/local.config" <<-EOF
		export FSTYP=$fstyp
		export TEST_DEV=/dev/nullb0
		export TEST_DIR=/mnt/test
		export SCRATCH_DEV=$scratch
		export SCRATCH_MNT=/mnt/scratch
		export MKFS_OPTIONS="$mkfs"
	EOF
}

# ver_ge A B: version A is at least B.
ver_ge() {
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# xfs_unsupported: why this kernel or xfsprogs cannot run zoned XFS (one
# line), or nothing.  The last check is the real one: mkfs.xfs and a mount
# of TEST_DEV (null_blk loaded for xfs).
xfs_unsupported() {
	local kver v err
	kver=$(uname -r | sed 's/[^0-9.].*//')
	if ! ver_ge "$kver" "$XFS_ZONED_MIN"; then
		echo "zoned XFS needs Linux $XFS_ZONED_MIN, this kernel is $(uname -r)"
	elif [ -f "/boot/config-$(uname -r)" ] &&
		! grep -q '^CONFIG_XFS_RT=y' "/boot/config-$(uname -r)"; then
		echo "zoned XFS needs CONFIG_XFS_RT=y, $(uname -r) has not"
	elif [ ! -x "$XFSPROGS/bin/mkfs.xfs" ]; then
		echo "no xfsprogs for zoned XFS shipped (scripts/suite's warning says why)"
	elif v=$("$XFSPROGS/bin/mkfs.xfs" -V | awk '{ print $NF }') &&
		! ver_ge "$v" "$XFS_ZONED_MIN"; then
		echo "zoned XFS needs xfsprogs $XFS_ZONED_MIN, shipped $v"
	elif ! err=$(modprobe xfs 2>&1 && "$XFSPROGS/bin/mkfs.xfs" -f -q /dev/nullb0 2>&1 &&
		mount /dev/nullb0 /mnt/test 2>&1); then
		echo "mkfs.xfs or mount of zoned XFS failed: $(echo "$err" | head -n 1)"
	elif ! grep -q . /sys/fs/xfs/nullb0/zoned/max_open_zones 2>/dev/null; then
		umount /mnt/test
		echo "mkfs.xfs made no zoned XFS on TEST_DEV"
	else
		umount /mnt/test
	fi
}

# ground CONFIG: null_blk and TEST_DEV's file system for CONFIG.  null_blk
# is reloaded when its parameters change (xfs's conventional zones), and
# TEST_DEV made again for the new file system type.  Sets why: the reason
# the configuration cannot run, if it cannot; it stays while the ground does
# (xfs-crypt after xfs: the same null_blk, the same reason).
loaded="" why=""
ground() {
	local params=$NULLB fs
	fs=$(fstyp "$1")
	[ "$fs" = xfs ] && params="$NULLB zone_nr_conv=$XFS_CONV_ZONES"
	if [ "$params" != "$loaded" ]; then
		why=""
		umount /mnt/test /mnt/scratch 2>/dev/null
		# A device left over holds it: the old parameters would stay.
		if [ -d /sys/module/null_blk ] && ! modprobe -r null_blk; then
			why="null_blk is in use: cannot reload it for this configuration"
			loaded=""
			return
		fi
		# shellcheck disable=SC2086
		modprobe null_blk $params || exit 2
		loaded=$params
		udevadm settle
		if [ "$fs" = xfs ]; then
			why=$(xfs_unsupported)
		else
			# shellcheck disable=SC2086
			mkfs.btrfs -f -q $MKFS /dev/nullb0 || exit 2
		fi
	fi
}

# times_row CONFIG TEST START END RESULT: one row of /lab/out/times.tsv.
times_row() {
	printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$out/times.tsv"
}

# skip_row CONFIG TEST RESULT: the row of a test that did not run (it
# starts and ends now).
skip_row() {
	local now
	now=$(date +%s.%N)
	times_row "$1" "$2" "$now" "$now" "$3"
}

# result TEST OUTPUT: the suite's verdict from its results directory and
# check's output.
result() {
	local t=$1 log=$2
	if [ -f "$src/results/$t.notrun" ]; then
		echo "not run: $(head -c 80 "$src/results/$t.notrun" | tr '\t\n' '  ')"
	elif grep -q "^Failures:" "$log"; then
		echo fail
	elif grep -q "^Passed all" "$log"; then
		echo pass
	else
		echo "unknown"
	fi
}

inner() {
	cd "$src" || exit 2
	local tests=("$@") t c fs start end log rc res path
	[ ${#tests[@]} -gt 0 ] || read -ra tests <<<"$SUBSET"
	for c in $CONFIGS; do
		[[ " $ALL_CONFIGS " == *" $c "* ]] ||
			{ echo "FSTESTS_CONFIGS: no configuration '$c' ($ALL_CONFIGS)" >&2 && exit 2; }
	done
	if [ "${tests[0]}" = all ]; then
		mapfile -t tests < <(grep -l '_require_dm_target \(error\|flakey\)' tests/*/[0-9]* |
			grep -v '\.out$' | sed 's|^tests/||')
	fi
	local shard_i=${SHARD%/*} shard_n=${SHARD#*/} i kept=()
	case $shard_i/$shard_n in
	[1-9]*/[1-9]*) ;;
	*) echo "FSTESTS_SHARD: '$SHARD' is not I/N" >&2 && exit 2 ;;
	esac
	[ "$shard_i" -le "$shard_n" ] || { echo "FSTESTS_SHARD: $SHARD: I > N" >&2 && exit 2; }
	for i in "${!tests[@]}"; do
		[ $((i % shard_n)) -eq $((shard_i - 1)) ] && kept+=("${tests[$i]}")
	done
	tests=("${kept[@]}")
	echo "shard $SHARD: ${#tests[@]} tests" >>"$out/status"
	local t_begin
	t_begin=$(date +%s)
	modprobe dm_crypt && modprobe dm_flakey && modprobe dm_snapshot || exit 2
	mkdir -p /mnt/test /mnt/scratch
	for c in $CONFIGS; do
		# Memory-backed null_blk: a file system reads back what it wrote.
		fs=$(fstyp "$c")
		ground "$c"
		if [ -n "$why" ]; then
			# Not run, with the reason, test by test (the table's rows).
			echo "$c: not run: $why"
			echo "config-not-run $c: $why" >>"$out/status"
			for t in "${tests[@]}"; do
				skip_row "$c" "$t" "not run: $why"
			done
			continue
		fi
		config "$c"
		# sid's xfsprogs first in PATH for this configuration only: fstests
		# finds its programs by name (common/config, set_prog_path).
		path=$PATH
		[ "$fs" = xfs ] && path=$XFSPROGS/bin:$PATH
		if on_crypt "$c"; then
			dmsetup create fs-zcrypt --table "0 $(blockdev --getsz /dev/nullb1) crypt \
aes-xts-plain64 $(od -An -tx1 -N64 /dev/urandom | tr -d ' \n') 0 /dev/nullb1 0" || exit 2
			udevadm settle
		fi
		for t in "${tests[@]}"; do
			if [ "$DEADLINE" -gt 0 ] && [ $(($(date +%s) - t_begin)) -ge "$DEADLINE" ]; then
				skip_row "$c" "$t" "not started (FSTESTS_DEADLINE=$DEADLINE s)"
				continue
			fi
			# `check` runs a test named on its command line whatever its
			# directory: another file system's tests (xfs/* under btrfs)
			# would fail on the wrong ground, so they are not run here.
			case $t in
			generic/* | "$fs"/*) ;;
			*)
				skip_row "$c" "$t" "not run: a test of ${t%%/*}, this configuration is $fs"
				continue
				;;
			esac
			log=/tmp/check.log
			rm -f "$src/results/$t".*
			start=$(date +%s.%N)
			# timeout signals check's whole process group; a process
			# stuck in the kernel (D state) stays, the rest goes.
			PATH=$path timeout -k 30 "$TEST_TIMEOUT" ./check "$t" >"$log" 2>&1
			rc=$?
			end=$(date +%s.%N)
			sed "s|^|$c |" "$log"
			res=$(result "$t" "$log")
			[ $rc -eq 124 ] || [ $rc -eq 137 ] && res="fail (hung: killed after $TEST_TIMEOUT s)"
			times_row "$c" "$t" "$start" "$end" "$res"
			mkdir -p "$out/results/$c/${t%/*}"
			cp "$src/results/$t".* "$out/results/$c/${t%/*}/" 2>/dev/null
			if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
				echo "$c $t: hung, killed after $TEST_TIMEOUT s; the run stops here"
				ps -eo pid,stat,wchan:32,args | awk '$2 ~ /D/'
				# The blocked tasks' stacks, into the kernel log.
				echo w >/proc/sysrq-trigger
				echo "check-hung $c $t" >>"$out/status"
				exit 0
			fi
		done
		umount /mnt/scratch 2>/dev/null
		on_crypt "$c" && dmsetup remove fs-zcrypt
	done
	exit 0
}

mode=${1:-tool}
shift
[ "$mode" = inner ] && inner "$@"

mkdir -p /var/tmp/suite
# The kernel's configuration where a Debian system has it (scripts/suite).
[ -f /lab/files/config ] && cp /lab/files/config "/boot/config-$(uname -r)"
tar -xf /lab/files/fstests.tar -C /var/tmp/suite || exit 2
if [ -f /lab/files/xfsprogs.tar ]; then
	tar -xf /lab/files/xfsprogs.tar -C /var/tmp/suite || exit 2
fi
: >"$out/status"
: >"$out/times.tsv"
echo "kernel $(uname -r)" >>"$out/status"
suite_run "$mode" "$out" "$0" inner "$@"
dmesg >"$out/dmesg.txt"
cat "$out/status"
