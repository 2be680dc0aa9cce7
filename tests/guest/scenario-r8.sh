#!/bin/sh
# R8 (INV-8): zoned dm-crypt (sector_size:4096) on null_blk A with written
# zones, then a swap to a same-size crypt table on a different zoned
# null_blk B of the same geometry.  Records whether the swap is accepted,
# the zones seen through the dm device, and what writes do afterwards: at
# the start of zone 1 (A's write pointer there was 1 MiB in, B's zone is
# empty), at A's old write pointer, the same again after the error, and in
# a zone that A never wrote; then how the user gets back in sync (a zone
# report, a zone reset).
# Usage: scenario-r8.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r8 "$@" || exit 1
sc_remove r8
sc_nullb_del r8a r8b

nullb r8a size=512 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
nullb r8b size=512 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
SIZE=1048576
Z=131072

step create-on-a
run create-crypt-a dmsetup create r8 --table "$(crypt_seg 0 $SIZE /dev/r8a)"
D=$(dm_dev r8)
run write-zone1 zwrite "$D" $Z 1024
run write-zone2 zwrite "$D" $((2 * Z)) 2048
sc_zones on-a "$D" 4
snap before-swap r8

step swap-to-b
run suspend-r8 dmsetup suspend r8
run load-crypt-b dmsetup load r8 --table "$(crypt_seg 0 $SIZE /dev/r8b)"
run resume-crypt-b dmsetup resume r8
SWAP_RC=$?
snap after-swap r8
[ $SWAP_RC -eq 0 ] || run resume-old dmsetup resume r8
sc_zones via-dm-on-b "$D" 4
sc_zones raw-b r8b 4

step writes-on-b
run write-b-zone1-start zwrite "$D" $Z 64
sc_dmesg write-b-zone1-start
run write-b-zone1-old-wp zwrite "$D" $((Z + 2048)) 64
sc_dmesg write-b-zone1-old-wp
run write-b-zone1-start-retry zwrite "$D" $Z 64
sc_dmesg write-b-zone1-start-retry
run write-b-zone2-start zwrite "$D" $((2 * Z)) 64
sc_dmesg write-b-zone2-start
run write-b-zone4-start zwrite "$D" $((4 * Z)) 64
sc_dmesg write-b-zone4-start
# 6.12+: a failed write leaves the plug needing a write pointer update,
# which only a zone report (or reset/finish) provides; 6.1 re-reads the
# zone itself after an error.  A reset realigns a plug that never failed.
sc_zones report-via-dm "$D" 3 >/dev/null
res report-via-dm $?
# Writes at B's real write pointers (from B itself).
W1=$(zwp r8b $Z)
W2=$(zwp r8b $((2 * Z)))
note B write pointers now: zone1 "$W1" zone2 "$W2"
run write-b-zone1-at-b-wp-after-report zwrite "$D" "$W1" 64
run write-b-zone2-at-b-wp-after-report zwrite "$D" "$W2" 64
run reset-zone2 blkzone reset -o $((2 * Z)) -c 1 "/dev/$D"
run write-b-zone2-start-after-reset zwrite "$D" $((2 * Z)) 64
sc_dmesg after-recovery
sc_zones raw-b-after r8b 5
sc_zones raw-a-after r8a 5

step remove
run remove dmsetup remove r8
sc_end
exit 0
