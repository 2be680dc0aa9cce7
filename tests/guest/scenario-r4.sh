#!/bin/sh
# R4 (INV-5): a request-based dm-multipath table (one path, round-robin) on a
# blk-mq null_blk (queue_mode=2), reloaded several times (plain suspend,
# noflush suspend as multipathd does, a feature change), with I/O between
# the reloads; a reload that tries to change the queue mode (refused at
# load); a reload to a path with 4096-byte blocks under a noflush suspend
# (7.3 keeps the old queue limits then: dm.c "update_limits = false").
# Usage: scenario-r4.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r4 "$@" || exit 1
modprobe dm-multipath || exit 1
modprobe dm-round-robin || exit 1
sc_remove r4
sc_nullb_del r4m r4n

nullb r4m size=256 queue_mode=2 blocksize=512 || exit 1
nullb r4n size=256 queue_mode=2 blocksize=4096 || exit 1
S=524288
mp() { # mp DEV [FEATURES...]: a one-path multipath table
	_dev=$1
	shift
	echo "0 $S multipath $# $* 0 1 1 round-robin 0 1 1 $_dev 1"
}
io() { # io NAME: 1 MiB direct write and read
	run "$1-write" dd if=/dev/urandom of="/dev/$D" bs=64k count=16 oflag=direct
	run "$1-read" dd if="/dev/$D" of=/dev/null bs=64k count=16 iflag=direct
}
# reload NAME TABLE [SUSPEND-OPTIONS]
reload() {
	_n=$1
	_t=$2
	shift 2
	run "$_n-suspend" dmsetup suspend "$@" r4
	run "$_n-load" dmsetup load r4 --table "$_t"
	run "$_n-resume" dmsetup resume r4 ||
		{ sc_info "$_n-refused" r4; run "$_n-resume-old" dmsetup resume r4; }
}

step create
run create dmsetup create r4 --table "$(mp /dev/r4m)"
D=$(dm_dev r4)
echo "queue-mode $(cat /sys/block/"$D"/dm/use_blk_mq 2>/dev/null || echo NA) mq-dir $([ -d /sys/block/"$D"/mq ] && echo yes || echo no)"
snap created r4
io created

step reloads
for i in 1 2 3; do
	reload "same-$i" "$(mp /dev/r4m)"
	io "same-$i"
done
for i in 1 2; do
	reload "noflush-$i" "$(mp /dev/r4m)" --noflush
	io "noflush-$i"
done
reload queue-if-no-path "$(mp /dev/r4m queue_if_no_path)"
io queue-if-no-path
snap reloaded r4

step type-change
run suspend-type dmsetup suspend r4
run load-bio-mode dmsetup load r4 --table "$(mp /dev/r4m queue_mode bio)"
run resume-type dmsetup resume r4
snap type-change r4

step path-4k-noflush
reload path-4k "$(mp /dev/r4n)" --noflush
snap path-4k r4
sc_sysfs path-r4n r4n
io path-4k
sc_dmesg path-4k-io
reload path-back "$(mp /dev/r4m)"
snap path-back r4
io path-back

step remove
run remove dmsetup remove r4
sc_dmesg end
sc_end
exit 0
