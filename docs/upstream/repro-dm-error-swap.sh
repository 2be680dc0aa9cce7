#!/bin/sh
# A zoned dm-crypt device swapped to dm-error and back (docs/upstream/dm-error-swap.md).
#
# A dm-crypt table on a zoned null_blk (dm-crypt emulates zone append, so the
# device gets zone write plugs), a few writes, then the table is replaced by
# a device-less error table and the dm-crypt table is loaded again, then the
# error table once more.  Needs root, null_blk (configfs), dm-crypt,
# dmsetup, blkzone (util-linux).
#
# Exit status: 0 both swaps back succeed and the dm-crypt table takes writes
# again where zone 1 was left (fixed kernel), 1 a swap back is refused (the
# defect) or that write fails, 2 the setup failed.
set -u
CFS=/sys/kernel/config/nullb
NB=rpdmerr
DM=rpdmerr
# A fixed test key: nothing is kept on the device.
KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ZONE=131072 # sectors: zone_size=64 (MiB)

die() {
	echo "setup: $*" >&2
	cleanup
	exit 2
}
cleanup() {
	dmsetup resume "$DM" >/dev/null 2>&1
	dmsetup remove "$DM" >/dev/null 2>&1
	if [ -d "$CFS/$NB" ]; then
		echo 0 >"$CFS/$NB/power"
		rmdir "$CFS/$NB"
	fi
}
# swap TABLE: suspend, load, resume; on a refusal the old table is resumed.
swap() {
	dmsetup suspend "$DM" || return 1
	if ! dmsetup load "$DM" --table "$1" || ! dmsetup resume "$DM"; then
		dmsetup resume "$DM"
		return 1
	fi
}
state() {
	q=/sys/block/dm-$(dmsetup info -c --noheadings -o minor "$DM" | tr -d ' ')/queue
	echo "$1: table '$(dmsetup table "$DM" | cut -d' ' -f3)'," \
		"zoned=$(cat "$q/zoned") chunk_sectors=$(cat "$q/chunk_sectors") nr_zones=$(cat "$q/nr_zones")"
}

modprobe null_blk nr_devices=0 || die "no null_blk"
modprobe dm-crypt || die "no dm-crypt"
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs configfs /sys/kernel/config
cleanup
mkdir "$CFS/$NB" || die "no null_blk configfs"
for kv in memory_backed=1 size=512 zoned=1 zone_size=64 zone_nr_conv=1 power=1; do
	echo "${kv#*=}" >"$CFS/$NB/${kv%%=*}" || die "null_blk: cannot set $kv"
done
udevadm settle 2>/dev/null
[ -b /dev/$NB ] || sleep 1
SIZE=$(blockdev --getsz /dev/$NB) || die "no /dev/$NB"
CRYPT="0 $SIZE crypt aes-xts-plain64 $KEY 0 /dev/$NB 0 1 sector_size:4096"
ERROR="0 $SIZE error"

dmsetup create "$DM" --table "$CRYPT" || die "dmsetup create"
# Partially written sequential zones: the zone write plugs have work to do.
dd if=/dev/zero of=/dev/mapper/$DM bs=4096 count=256 seek=$((ZONE / 8)) oflag=direct 2>/dev/null ||
	die "write zone 1"
dd if=/dev/zero of=/dev/mapper/$DM bs=4096 count=512 seek=$((2 * ZONE / 8)) oflag=direct 2>/dev/null ||
	die "write zone 2"
state crypt

rc=0
swap "$ERROR" || die "the swap to the error table was refused"
state error
if swap "$CRYPT"; then
	state "crypt again"
else
	echo "DEFECT: the device's own dm-crypt table is refused after dm-error"
	rc=1
fi
if swap "$ERROR"; then
	state "error again"
else
	echo "DEFECT: an error table is refused"
	rc=1
fi
if [ $rc = 0 ] && swap "$CRYPT"; then
	# The zones written before the round trip are still where they were,
	# and zone 1 takes the next write at its write pointer (1 MiB in).
	blkzone report -o $ZONE -c 2 /dev/mapper/$DM
	if dd if=/dev/zero of=/dev/mapper/$DM bs=4096 count=64 seek=$((ZONE / 8 + 256)) \
		oflag=direct 2>/dev/null; then
		echo "crypt again: zone 1 written at its write pointer"
	else
		echo "DEFECT: the write at zone 1's write pointer fails after the round trip"
		rc=1
	fi
fi
dmesg | grep -E 'zone write plug|Cannot|WARNING' | tail -n 5
cleanup
exit $rc
