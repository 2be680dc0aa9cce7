#!/bin/sh
# R12 (INV-12, 8ca719b81987): a request-based dm-multipath device on a blk-mq
# null_blk is reloaded with a second path that is not request-stackable: a
# bio-based dm-linear device.
# Fixed kernels refuse the load ("including non-request-stackable
# devices"); before the fix, iterate_devices() stopped at the first path,
# blk-mq, and the table was accepted and bound.  No I/O goes through the
# mixed table (a clone sent to a bio-based queue is not what this tests);
# the device is reloaded with its own table and removed.
# Usage: scenario-r12.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r12 "$@" || exit 1
sc_remove r12 r12l
rq_nullb r12m r12n || exit 1
S=$RQ_SECTORS
# reload NAME TABLE: suspend, load, resume; the old table back if refused
reload() {
	run "$1-suspend" dmsetup suspend r12
	run "$1-load" dmsetup load r12 --table "$2"
	run "$1-resume" dmsetup resume r12
	sc_table "$1" r12
}

step create
run create-linear dmsetup create r12l --table "0 $S linear /dev/r12n 0"
run create dmsetup create r12 --table "$(mp_table /dev/r12m)"
D=$(dm_dev r12)
echo "queue mq-dir $([ -d /sys/block/"$D"/mq ] && echo yes || echo no)"

step bio-based-path
reload bio-path "$(mp_table /dev/r12m /dev/mapper/r12l)"
sc_dmesg bio-path

step back
reload back "$(mp_table /dev/r12m)"
run read-back dd if="/dev/$D" of=/dev/null bs=64k count=16 iflag=direct

step remove
run remove dmsetup remove r12
run remove-linear dmsetup remove r12l
sc_dmesg end
sc_end
exit 0
