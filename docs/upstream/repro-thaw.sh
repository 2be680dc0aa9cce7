#!/bin/sh
# Zoned btrfs turned read-only by a dm suspend/resume (docs/upstream/thaw-while-suspended.md).
#
# A dm-linear table over a zoned null_blk, a zoned btrfs on it, 32 MiB
# written, then `dmsetup suspend` (which freezes the file system) and
# `dmsetup resume` (which thaws it), then one more write.  Needs root,
# null_blk (configfs), dm-mod, btrfs, mkfs.btrfs, dmsetup.
#
# Exit status: 0 the write after the resume succeeds (fixed kernel), 1 it
# fails (the defect: the thaw's zone report got EAGAIN, btrfs went
# read-only), 2 the setup failed.
set -u
CFS=/sys/kernel/config/nullb
NB=rpthaw
DM=rpthaw
MNT=/mnt/rpthaw

cleanup() {
	umount "$MNT" 2>/dev/null
	dmsetup resume "$DM" >/dev/null 2>&1
	dmsetup remove "$DM" >/dev/null 2>&1
	if [ -d "$CFS/$NB" ]; then
		echo 0 >"$CFS/$NB/power"
		rmdir "$CFS/$NB"
	fi
}
die() {
	echo "setup: $*" >&2
	cleanup
	exit 2
}

modprobe configfs 2>/dev/null
[ -d /sys/kernel/config/nullb ] || mount -t configfs configfs /sys/kernel/config 2>/dev/null
modprobe null_blk nr_devices=0 || die "no null_blk"
modprobe dm-mod || die "no dm-mod"
modprobe btrfs || die "no btrfs"
cleanup
# 1 GiB, memory backed, 16 MiB zones, no conventional zone.
mkdir "$CFS/$NB" || die "configfs"
for kv in size=1024 memory_backed=1 zoned=1 zone_size=16 zone_nr_conv=0 power=1; do
	echo "${kv#*=}" >"$CFS/$NB/${kv%%=*}" || die "null_blk $kv"
done
i=0
while [ ! -b "/dev/$NB" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
dmsetup create "$DM" --table "0 2097152 linear /dev/$NB 0" || die "dmsetup create"
mkfs.btrfs -q -f -m single -d single "/dev/mapper/$DM" || die "mkfs.btrfs"
mkdir -p "$MNT"
mount -t btrfs "/dev/mapper/$DM" "$MNT" || die "mount"
dd if=/dev/zero of="$MNT/a" bs=1M count=32 2>/dev/null || die "first write"

dmsetup suspend "$DM" || die "suspend"
dmsetup resume "$DM" || die "resume"
if dd if=/dev/zero of="$MNT/b" bs=1M count=1 2>/dev/null; then
	echo "ok: the file system is writable after the resume"
	rc=0
else
	echo "DEFECT: the file system is read-only after the resume"
	dmesg | grep -i btrfs | tail -n 5
	rc=1
fi
cleanup
exit $rc
