#!/bin/sh
# R5 (INV-9): dm-linear "r5u" on top of a dm-crypt device "r5c" (sector_size
# 4096, emulated zone append, zone write plugs on 6.12+) on a zoned
# null_blk.  sysfs has no zone_wplugs_hash: whether a dm disk gets zone
# write plugs is read from dm's own "using emulated|native zone append"
# message (dm_revalidate_zones allocates plugs only for emulation) and
# zone_append_max_bytes; writes, resets and a fio zbd job show that the
# stack works.  Then the lower crypt device is swapped to dm-error and the
# same is recorded; the upper table is reloaded; the lower is swapped back.
# Usage: scenario-r5.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r5 "$@" || exit 1
sc_remove r5u r5c
sc_nullb_del r5z

nullb r5z size=512 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
SIZE=1048576
Z=131072

step create
run create-crypt dmsetup create r5c --table "$(crypt_seg 0 $SIZE /dev/r5z)"
run create-linear dmsetup create r5u --table "0 $SIZE linear /dev/mapper/r5c 0"
U=$(dm_dev r5u)
snap lower-created r5c
snap upper-created r5u

step io-upper
run write-upper-zone1 zwrite "$U" $Z 1024
run write-upper-zone1-cont zwrite "$U" $((Z + 2048)) 64
run write-upper-zone1-not-at-wp zwrite "$U" $Z 64
run reset-upper-zone1 blkzone reset -o $Z -c 1 "/dev/$U"
run write-upper-zone1-after-reset zwrite "$U" $Z 64
if command -v fio >/dev/null 2>&1; then
	run fio-zbd-upper fio --name=r5 --filename="/dev/$U" --direct=1 --zonemode=zbd \
		--rw=write --bs=64k --offset=$((3 * Z * 512)) --size=$((2 * Z * 512)) \
		--io_size=4m --ioengine=psync --output-format=terse
else
	note fio not in the guest
fi
sc_zones upper "$U" 5
sc_sysfs upper-after-io "$U"
sc_dmesg upper-after-io

# The upper linear reloaded with its own table while the lower is still
# crypt: on 7.3 it holds zone write plugs without emulating zone append
# (INV-9's defect); the same native table keeps that configuration, so
# INV-8 must stay silent for it (fstests' dm-flakey reloads over a zoned
# dm-crypt are this case).
step upper-reload-native
run suspend-upper-native dmsetup suspend r5u
run load-upper-native dmsetup load r5u --table "0 $SIZE linear /dev/mapper/r5c 0"
run resume-upper-native dmsetup resume r5u
dmsetup info r5u | grep -q SUSPENDED && run resume-upper-native-old dmsetup resume r5u

step lower-to-error
run suspend-lower dmsetup suspend r5c
run load-lower-error dmsetup load r5c --table "0 $SIZE error"
run resume-lower-error dmsetup resume r5c
snap lower-on-error r5c
snap upper-over-error r5u
run write-upper-over-error zwrite "$U" $((2 * Z)) 64
sc_zones upper-over-error "$U" 2
res report-upper-over-error $?
sc_dmesg upper-over-error

step upper-reload
run suspend-upper dmsetup suspend r5u
run load-upper-same dmsetup load r5u --table "0 $SIZE linear /dev/mapper/r5c 0"
run resume-upper-same dmsetup resume r5u
snap upper-reloaded r5u
dmsetup info r5u | grep -q SUSPENDED && run resume-upper-old dmsetup resume r5u

step lower-back
run suspend-lower-back dmsetup suspend r5c
run load-lower-crypt dmsetup load r5c --table "$(crypt_seg 0 $SIZE /dev/r5z)"
run resume-lower-crypt dmsetup resume r5c
snap lower-back r5c
dmsetup info r5c | grep -q SUSPENDED && run resume-lower-old dmsetup resume r5c
sc_sysfs upper-final "$U"

step remove
run remove-upper dmsetup remove r5u
run remove-lower dmsetup remove r5c
sc_end
exit 0
