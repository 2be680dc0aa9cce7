#!/bin/sh
# R11 (INV-11 rule 0, 7f597c2cdb9d): a dm device created without a table is
# suspended (it has no table, so its queue is not stopped), then given its
# first table, a request-based dm-multipath one on a blk-mq null_blk, and
# resumed.  Before the fix the resume starts the now request-based queue
# that nobody stopped (blk_mq_unquiesce_queue() warns: quiesce_depth 0);
# with it (DMF_QUEUE_STOPPED) the resume starts only a queue its suspend
# stopped.  Then ordinary reloads (balanced stop/start: silent everywhere)
# and I/O.
# Usage: scenario-r11.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r11 "$@" || exit 1
sc_remove r11
rq_nullb r11m || exit 1
MP=$(mp_table /dev/r11m)
io() { # io NAME: 1 MiB direct write and read
	run "$1-write" dd if=/dev/urandom of="/dev/$D" bs=64k count=16 oflag=direct
	run "$1-read" dd if="/dev/$D" of=/dev/null bs=64k count=16 iflag=direct
}

step empty-suspend
run create-notable dmsetup create r11 --notable
D=$(dm_dev r11)
run suspend-empty dmsetup suspend r11
sc_info suspended-empty r11

step first-table
run load-first dmsetup load r11 --table "$MP"
run resume-first dmsetup resume r11
echo "queue mq-dir $([ -d /sys/block/"$D"/mq ] && echo yes || echo no)"
sc_dmesg first-resume
snap first-table r11
io first

step reloads
for i in 1 2; do
	run "reload-$i-suspend" dmsetup suspend r11
	run "reload-$i-load" dmsetup load r11 --table "$MP"
	run "reload-$i-resume" dmsetup resume r11
	io "reload-$i"
done
sc_dmesg reloads

step remove
run remove dmsetup remove r11
sc_dmesg end
sc_end
exit 0
