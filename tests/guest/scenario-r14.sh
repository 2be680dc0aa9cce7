#!/bin/sh
# lab-mode: --system
# R14 (INV-3 rule 2, 31f0656a4ab7): a zoned btrfs allocates a block group
# while its dm device is suspended with --nolockfs, the sequence of fstests'
# generic/475 (dm-error cycles under fsstress).  A new block group's zone is
# read with blkdev_report_zones(): on 6.1 and 6.12 that reaches
# dm_blk_report_zones(), which fails with -EAGAIN on a suspended device, and
# btrfs cannot retry ("failed to read zone", the write fails or the
# transaction aborts).  Since 6.19 btrfs reads the block layer's zone cache
# (blkdev_report_zones_cached()) where the disk has one, and the report
# need not reach dm at all.
# Control (silent everywhere): `blkzone report` on the suspended device, user
# space's BLKREPORTZONE, which gets EAGAIN and may retry.  Before it, a
# plain (lockfs) suspend with dirty data: btrfs's reports made inside
# dm_suspend() must carry that suspend's swap cycle.
# Runs in the Debian userland (btrfs-progs, the btrfs module): the line
# "lab-mode" above is read by scripts/truth-table and tests/run.
# Usage: scenario-r14.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r14 "$@" || exit 1
modprobe btrfs || exit 1
M=/mnt/r14
umount "$M" 2>/dev/null
sc_remove r14
sc_nullb_del r14z

nullb r14z size=1024 zoned=1 zone_size=16 zone_nr_conv=0 || exit 1
S=2097152
run create dmsetup create r14 --table "0 $S linear /dev/r14z 0"
D=$(dm_dev r14)
sc_sysfs created "$D"

step mkfs
run mkfs mkfs.btrfs -f -m single -d single /dev/mapper/r14
mkdir -p "$M"
run mount mount -t btrfs /dev/mapper/r14 "$M"
run first-write dd if=/dev/zero of="$M/first" bs=1M count=8 oflag=direct
sync
sc_dmesg mounted

step lockfs-suspend
# A plain suspend freezes the file system first: the flush it forces
# allocates block groups and reads their zones inside dm_suspend(), before
# DMF_SUSPENDED is set (those reports succeed).  The tool's swap cycle
# starts at dm_suspend() entry: they belong to it.
run write-before-lockfs dd if=/dev/zero of="$M/before-lockfs" bs=1M count=32
run suspend-lockfs dmsetup suspend r14
run resume-lockfs dmsetup resume r14

step user-report
run suspend-user dmsetup suspend --nolockfs r14
run user-report blkzone report -c 1 "/dev/$D"
run resume-user dmsetup resume r14

step suspended-alloc
run suspend-alloc dmsetup suspend --nolockfs r14
# 64 MiB of buffered writes: reserving their space makes btrfs flush and
# allocate new 16 MiB block groups, each read from the device's zone
# report, while dm holds the bios until the resume.  In the background:
# the writer may block until then.
dd if=/dev/zero of="$M/during" bs=1M count=64 >/tmp/r14.dd 2>&1 &
DD=$!
sleep 5
run resume-alloc dmsetup resume r14
wait "$DD"
res write-during-suspend $?
sed 's/^/note dd /' /tmp/r14.dd
run sync-after-resume timeout 60 sync
sc_dmesg suspended-alloc

step remove
run umount umount "$M"
run remove dmsetup remove r14
sc_nullb_del r14z
sc_dmesg end
sc_end
exit 0
