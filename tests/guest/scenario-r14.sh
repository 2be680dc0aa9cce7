#!/bin/sh
# lab-mode: --system
# R14 (INV-3 rule 2): zoned btrfs on a dm-linear whose device is suspended
# under it; two file systems, each on its own device, so that what breaks
# the first does not decide the second.
#   r14 (alloc): `dmsetup suspend --nolockfs`, 64 MiB of buffered writes,
#     resume after 5 s: the sequence of fstests' generic/475.  Reserving the
#     space makes btrfs allocate block groups and read their zones with
#     blkdev_report_zones(); on 6.1 and 6.12 that reaches
#     dm_blk_report_zones(), which fails it with -EAGAIN on the suspended
#     device: "failed to read zone", the write gets ENOSPC.  7.3's btrfs
#     asks blkdev_report_zones_cached() (31f0656a4ab7, 6.19): no report
#     reaches dm.  Control first (silent everywhere): `blkzone report` on
#     the suspended device, user space's BLKREPORTZONE, which gets EAGAIN
#     and may retry.
#   r14t (thaw): a plain (lockfs) suspend with dirty data, then the
#     resume.  The resume thaws the file system (unlock_fs() in __dm_resume()) before it
#     clears DMF_SUSPENDED; where btrfs's thaw reads its superblock through a
#     zone report (check_dev_super()), that report gets -EAGAIN.
#   r14s (slow suspend, no file system): a suspend that waits 2 s for a
#     write in flight, with a `blkzone report` loop: the reports made
#     inside dm_suspend() belong to its swap cycle (the tool opens it at
#     entry).
# Runs in the Debian userland (btrfs-progs, the btrfs module): the line
# "lab-mode" above is read by scripts/truth-table and tests/run.
# Usage: scenario-r14.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r14 "$@" || exit 1
modprobe btrfs || exit 1
S=2097152

# fs_up NAME: zoned null_blk NAMEz (1 GiB, 16 MiB zones), dm-linear NAME,
# btrfs (single profiles) mounted on /mnt/NAME with 8 MiB written.
fs_up() {
	umount "/mnt/$1" 2>/dev/null
	sc_remove "$1"
	sc_nullb_del "${1}z"
	nullb "${1}z" size=1024 zoned=1 zone_size=16 zone_nr_conv=0 || return 1
	run "$1-create" dmsetup create "$1" --table "0 $S linear /dev/${1}z 0"
	run "$1-mkfs" mkfs.btrfs -f -m single -d single "/dev/mapper/$1"
	mkdir -p "/mnt/$1"
	run "$1-mount" mount -t btrfs "/dev/mapper/$1" "/mnt/$1"
	run "$1-first-write" dd if=/dev/zero of="/mnt/$1/first" bs=1M count=8 oflag=direct
	sync
}

# fs_down NAME
fs_down() {
	run "$1-umount" umount "/mnt/$1"
	run "$1-remove" dmsetup remove "$1"
	sc_nullb_del "${1}z"
}

step alloc-setup
fs_up r14 || exit 1
D=$(dm_dev r14)
sc_dmesg alloc-setup

step user-report
run suspend-user dmsetup suspend --nolockfs r14
run user-report blkzone report -c 1 "/dev/$D"
run resume-user dmsetup resume r14

step suspended-alloc
run suspend-alloc dmsetup suspend --nolockfs r14
# In the background: the writer may block until the resume.
dd if=/dev/zero of=/mnt/r14/during bs=1M count=64 >/tmp/r14.dd 2>&1 &
DD=$!
sleep 5
run resume-alloc dmsetup resume r14
wait "$DD"
res write-during-suspend $?
sed 's/^/note dd /' /tmp/r14.dd
run sync-after-resume timeout 60 sync
sc_dmesg suspended-alloc
fs_down r14

step thaw-setup
fs_up r14t || exit 1

step lockfs-suspend

run write-before-lockfs dd if=/dev/zero of=/mnt/r14t/before-lockfs bs=32M count=1
run suspend-lockfs dmsetup suspend r14t
run resume-lockfs dmsetup resume r14t
run write-after-thaw dd if=/dev/zero of=/mnt/r14t/after-thaw bs=1M count=1
sc_dmesg lockfs-suspend
fs_down r14t

step slow-suspend
# A suspend waits for the I/O in flight: on a null_blk that completes each
# request after 2 s, a direct write makes dm_suspend() last that long,
# and a `blkzone report` loop reports inside it (before DMF_SUSPENDED is
# set, so they succeed): they belong to that suspend's swap cycle.
nullb r14sz size=256 zoned=1 zone_size=16 zone_nr_conv=0 irqmode=2 completion_nsec=2000000000 || exit 1
run slow-create dmsetup create r14s --table "0 524288 linear /dev/r14sz 0"
DS=$(dm_dev r14s)
(while :; do blkzone report -c 1 "/dev/$DS" >/dev/null 2>&1; done) &
LOOP=$!
dd if=/dev/zero of=/dev/mapper/r14s bs=64k count=1 oflag=direct 2>/dev/null &
WR=$!
# Suspend once a write is in flight on the null_blk (on a loaded host dd
# may take longer to start than any fixed sleep).
i=0
while [ "$(awk '{ print $1 + $2 }' /sys/block/r14sz/inflight)" -eq 0 ] && [ $i -lt 300 ]; do
	sleep 0.01
	i=$((i + 1))
done
run slow-suspend dmsetup suspend r14s
kill "$LOOP"
wait "$LOOP" 2>/dev/null
run slow-resume dmsetup resume r14s
wait "$WR"
res slow-write $?
run slow-remove dmsetup remove r14s
sc_nullb_del r14sz

sc_dmesg end
sc_end
exit 0
