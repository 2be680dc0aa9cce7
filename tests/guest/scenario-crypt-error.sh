#!/bin/sh
# crypt-error (INV-8, INV-9): a zoned dm-crypt device (emulated zone append,
# zone write plugs on 6.12+) with written zones is swapped to a device-less
# `error` table and back to the identical crypt table.  Characterises: the
# zone state the error table leaves (sysfs), whether the identical crypt
# table is accepted again, the device's state after a refusal (suspended?
# which table is live?), which other routes lead back (a zoned linear
# table, a non-zoned linear table, remove + create), and on 6.1 which write
# pointers the device uses after going back: while the error table is live
# the zones are changed behind dm's back (zone 1 reset, zone 3 written on
# the raw null_blk), so a cached write pointer shows up as failing writes.
# Usage: scenario-crypt-error.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin crypt-error "$@" || exit 1
sc_remove ce
sc_nullb_del cez cen

nullb cez size=512 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
nullb cen size=512 || exit 1
SIZE=1048576
Z=131072
CRYPT=$(crypt_seg 0 $SIZE /dev/cez)

# to_error LABEL: swap ce to the error table (if it is not on it already).
to_error() {
	dmsetup table ce | grep -q ' error' && return 0
	run "$1-suspend" dmsetup suspend ce
	run "$1-load-error" dmsetup load ce --table "0 $SIZE error"
	run "$1-resume-error" dmsetup resume ce
}
# try_table NAME TABLE: suspend, load, resume; on a refusal record the state
# and resume the old table.
try_table() {
	run "$1-suspend" dmsetup suspend ce
	run "$1-load" dmsetup load ce --table "$2"
	run "$1-resume" dmsetup resume ce
	_r=$?
	snap "$1" ce
	if [ $_r -ne 0 ]; then
		run "$1-resume-old" dmsetup resume ce
		sc_info "$1-after-resume-old" ce
	fi
	return $_r
}

step create
run create-crypt dmsetup create ce --table "$CRYPT"
D=$(dm_dev ce)
run write-zone1 zwrite "$D" $Z 1024
run write-zone2 zwrite "$D" $((2 * Z)) 2048
sc_zones crypt "$D" 4
snap crypt ce

step to-error
to_error to-error
snap on-error ce
sc_zones on-error "$D" 2
res report-on-error $?
run read-on-error dd if="/dev/$D" of=/dev/null bs=4096 count=1 iflag=direct
# Change the zones behind dm's back while no table holds the null_blk.
run raw-reset-zone1 blkzone reset -o $Z -c 1 /dev/cez
run raw-write-zone3 zwrite cez $((3 * Z)) 512
sc_zones raw "cez" 4

step back-identical
try_table back-identical "$CRYPT"
BACK=$?
if [ $BACK -eq 0 ]; then
	note identical crypt table accepted again
	sc_zones back-via-dm "$D" 4
	# dm's cached write pointers (from before the error swap) vs the device's
	run write-zone1-start zwrite "$D" $Z 64
	run write-zone1-old-wp zwrite "$D" $((Z + 2048)) 64
	run write-zone3-start zwrite "$D" $((3 * Z)) 64
	run write-zone3-device-wp zwrite "$D" $((3 * Z + 1024)) 64
	# after a device error in zone 1, is the write pointer re-read?
	run write-zone1-start-after-error zwrite "$D" $Z 64
	sc_zones raw-after-writes "cez" 4
	sc_dmesg back-writes
fi

step route-linear-zoned
to_error route-linear-zoned-pre
try_table route-linear-zoned "0 $SIZE linear /dev/cez 0"

step route-linear-nonzoned
to_error route-linear-nonzoned-pre
try_table route-linear-nonzoned "0 $SIZE linear /dev/cen 0"

step route-error-again
to_error route-error-again-pre
try_table route-error-again "0 $SIZE error"

step route-remove-create
run remove dmsetup remove ce
run create-again dmsetup create ce --table "$CRYPT"
D=$(dm_dev ce)
snap recreated ce
sc_zones recreated "$D" 4
run write-zone1-device-wp-recreated zwrite "$D" "$(zwp cez $Z)" 64
run write-zone3-device-wp-recreated zwrite "$D" "$(zwp cez $((3 * Z)))" 64

step remove
run remove-final dmsetup remove ce
sc_end
exit 0
