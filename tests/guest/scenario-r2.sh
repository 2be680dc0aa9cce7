#!/bin/sh
# R2 (INV-7, INV-8): dm-crypt (sector_size:4096, emulated zone append) on a
# zoned null_blk (512 MiB, 64 MiB zones, zone 0 conventional).  The table
# maps the first 256 MiB (4 zones); zones 1 and 2 are written; then the
# same table with twice the size (8 zones) is swapped in.  Control: swap in
# dm-error (`0 SIZE error`) and back to the identical crypt table.
# Usage: scenario-r2.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r2 "$@" || exit 1
sc_remove r2
sc_nullb_del r2z

nullb r2z size=512 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
SMALL=524288
BIG=1048576
Z=131072

step create
run create-crypt dmsetup create r2 --table "$(crypt_seg 0 $SMALL /dev/r2z)"
D=$(dm_dev r2)
run write-zone1 zwrite "$D" $Z 1024
run write-zone2 zwrite "$D" $((2 * Z)) 2048
sc_zones written "$D" 4
snap before-grow r2

step grow
run suspend-grow dmsetup suspend r2
run load-grow dmsetup load r2 --table "$(crypt_seg 0 $BIG /dev/r2z)"
run resume-grow dmsetup resume r2
GROW_RC=$?
snap after-grow r2
if [ $GROW_RC -ne 0 ]; then
	run resume-old dmsetup resume r2
	snap recovered-grow r2
fi
sc_zones after-grow "$D" 8
# The write pointer of zone 1 is 1 MiB in; zone 5 exists only if grown.
run write-zone1-wp zwrite "$D" $((Z + 2048)) 64
run write-zone5 zwrite "$D" $((5 * Z)) 64
sc_zones after-grow-writes "$D" 8
sc_dmesg after-grow-writes

step error-control
SIZE=$(cat /sys/block/"$D"/size)
note crypt size before the error swap: "$SIZE"
run suspend-err dmsetup suspend r2
run load-error dmsetup load r2 --table "0 $SIZE error"
run resume-error dmsetup resume r2
snap on-error r2
sc_zones on-error "$D" 2
run suspend-back dmsetup suspend r2
run load-crypt-again dmsetup load r2 --table "$(crypt_seg 0 "$SIZE" /dev/r2z)"
run resume-crypt-again dmsetup resume r2
BACK_RC=$?
snap after-back r2
if [ $BACK_RC -ne 0 ]; then
	run resume-after-refusal dmsetup resume r2
	snap after-refusal-resume r2
fi
sc_zones after-back "$D" 4
run write-zone1-wp-after-back zwrite "$D" $((Z + 2048 + 128)) 64
sc_zones after-back-write "$D" 3
sc_dmesg end

step remove
run remove dmsetup remove r2
sc_end
exit 0
