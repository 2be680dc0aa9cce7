#!/bin/sh
# A failed zone revalidation inside a table swap (docs/upstream/zone-state.md).
#
# A dm-linear table over a zoned null_blk (native zone append: no zone write
# plugs) is live; a table whose zone revalidation fails (two dm-crypt
# segments on zoned null_blks of different zone capacity: "Invalid variable
# zone capacity") is loaded and resumed.  The resume fails and the dm-linear
# table stays live, as it should, but the failed revalidation has freed the
# zone state of the disk under it (zones_cond, zone_capacity): every zone of
# the live device then looks conventional to bdev_zone_is_seq(), so zone
# append BIOs to it fail (blk_check_zone_append()) and zoned file systems
# see no sequential zones.  User space has no zone append of its own: the
# freed state is what a tracer sees (dmswap-trace run -- sh THIS, INV-4), or
# a zoned file system on the device after the failed swap.  Needs root,
# null_blk (configfs), dm-crypt, dmsetup.
#
# Exit status: 0 the sequence ran (the swap failed and the old table is
# live), 1 it did not go as described (the bad table was accepted, or the
# old table is gone), 2 the setup failed.
set -u
CFS=/sys/kernel/config/nullb
KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
DM=rpzone
SIZE=524288 # sectors: 256 MiB, four 64 MiB zones

die() {
	echo "setup: $*" >&2
	cleanup
	exit 2
}
cleanup() {
	dmsetup resume "$DM" >/dev/null 2>&1
	dmsetup remove "$DM" >/dev/null 2>&1
	for n in rpzlive rpza rpzb; do
		[ -d "$CFS/$n" ] || continue
		echo 0 >"$CFS/$n/power"
		rmdir "$CFS/$n"
	done
}
# nullb NAME KEY=VALUE...: a memory-backed null_blk, powered on.
nullb() {
	n=$1
	shift
	mkdir "$CFS/$n" || return 1
	for kv in memory_backed=1 "$@" power=1; do
		echo "${kv#*=}" >"$CFS/$n/${kv%%=*}" || return 1
	done
	[ -b "/dev/$n" ] || sleep 1
	[ -b "/dev/$n" ]
}

modprobe null_blk nr_devices=0 || die "no null_blk"
modprobe dm-crypt || die "no dm-crypt"
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config
cleanup
nullb rpzlive size=256 zoned=1 zone_size=64 zone_nr_conv=1 || die "null_blk rpzlive"
nullb rpza size=256 zoned=1 zone_size=64 zone_capacity=48 zone_nr_conv=1 || die "null_blk rpza"
nullb rpzb size=256 zoned=1 zone_size=64 zone_capacity=64 zone_nr_conv=1 || die "null_blk rpzb"

dmsetup create "$DM" --table "0 $SIZE linear /dev/rpzlive 0" || die "dmsetup create"
dmsetup suspend "$DM" || die "suspend"
printf '%s\n' \
	"0 $SIZE crypt aes-xts-plain64 $KEY 0 /dev/rpza 0 1 sector_size:4096" \
	"$SIZE $SIZE crypt aes-xts-plain64 $KEY 0 /dev/rpzb 0 1 sector_size:4096" |
	dmsetup load "$DM" || die "load"
rc=0
if dmsetup resume "$DM"; then
	echo "the table of variable zone capacity was accepted: not the case described"
	rc=1
else
	dmsetup resume "$DM" || rc=1
	echo "live table: $(dmsetup table "$DM")"
	# The kernel's view of the failure; the freed zone state has no log line.
	dmesg | grep -E 'zone capacity|revalidate' | tail -n 3
fi
cleanup
exit $rc
