#!/bin/sh
# R11T (INV-11 rule 1, 8d33a030c566): a dm device created without a table is
# suspended while its first table, request-based (dm-multipath on a blk-mq
# null_blk), is being loaded.  The load makes the queue request-based
# (q->mq_ops) before it sets its tag set (q->tag_set).  Before the fix,
# __dm_suspend() stopped the queue of a request-based device even with no
# table bound, and blk_mq_quiesce_queue() dereferenced the NULL tag set (the
# suspend oopses); with it, a suspend with no table stops nothing.
# The window between the two stores is a few instructions:
# lab-unfixed13 widens it on demand (dm_mod.lab_init_delay_ms, 3 s here).
# On the other kernels the parameter does not exist, the load is over
# before the suspend starts, and the fix makes the suspend stop nothing.
# Usage: scenario-r11t.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r11t "$@" || exit 1
sc_remove r11t
rq_nullb r11tm || exit 1
MP=$(mp_table /dev/r11tm)
DELAY=/sys/module/dm_mod/parameters/lab_init_delay_ms

step suspend-during-first-load
run create-notable dmsetup create r11t --notable
if [ -w "$DELAY" ]; then
	echo 3000 >"$DELAY"
	note "lab kernel: the mq_ops/tag_set window widened to 3000 ms"
fi
rm -f /tmp/r11t.load.rc
(dmsetup load r11t --table "$MP" 2>/tmp/r11t.load.err; echo $? >/tmp/r11t.load.rc) &
load_pid=$!
sleep 1
# Before the fix this suspend oopses (its task dies holding the device's
# suspend lock): it is waited for with a bound.
bg_run 20 suspend-during-load dmsetup suspend r11t
wait $load_pid
res load-first "$(cat /tmp/r11t.load.rc)"
[ -w "$DELAY" ] && echo 0 >"$DELAY"
sc_dmesg suspend-during-load
if dmesg | grep -q -E 'Oops|BUG: kernel NULL pointer'; then
	# The device's suspend lock is held by a dead task: leave it alone.
	note "the suspend oopsed: r11t is left as it is"
	sc_end
	exit 0
fi

step first-table
run resume-first dmsetup resume r11t
D=$(dm_dev r11t)
run write-back dd if=/dev/urandom of="/dev/$D" bs=64k count=16 oflag=direct
run read-back dd if="/dev/$D" of=/dev/null bs=64k count=16 iflag=direct
sc_dmesg first-table

step remove
run remove dmsetup remove r11t
sc_nullb_del r11tm
sc_end
exit 0
