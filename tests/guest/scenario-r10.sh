#!/bin/sh
# R10 (INV-10, 366665416f20): a table destroyed while it is its device's
# live map.  The bug was dm_early_create()'s error path (dm-mod.create= at
# boot): when dm_resume() failed after dm_swap_table() had bound the new
# table, the table was destroyed and md->map kept pointing at it.  That code
# runs before any user-space process, so no tracer sees it; lab-unfixed13
# carries the same error path in do_resume() (see its patch).  The failed
# resume here is a dm-snapshot handover whose source is still live
# (snapshot_preresume(): "Unable to perform snapshot handover until source
# is suspended"), a failure every kernel has.  Elsewhere the bound table
# stays, and the handover completes once the source is suspended.
# Usage: scenario-r10.sh [--trace]
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r10 "$@" || exit 1
modprobe dm-snapshot || exit 1
sc_remove r10s2 r10s1 r10o
sc_nullb_del r10org r10cow

nullb r10org size=64 blocksize=512 || exit 1
nullb r10cow size=64 blocksize=512 || exit 1
S=131072
SNAP="0 $S snapshot /dev/r10org /dev/r10cow P 8"

step create
run create-origin dmsetup create r10o --table "0 $S snapshot-origin /dev/r10org"
run create-snapshot dmsetup create r10s1 --table "$SNAP"
run write-origin dd if=/dev/urandom of="/dev/$(dm_dev r10o)" bs=64k count=16 oflag=direct
snap create r10s1

step handover-refused
# The same COW device in a second snapshot: its table takes the exceptions
# over at resume, which needs the first one suspended.
run create-dest dmsetup create r10s2 --notable
run load-dest dmsetup load r10s2 --table "$SNAP"
run resume-dest-source-live dmsetup resume r10s2
sc_dmesg handover-refused
if dmesg | grep -q 'lab-unfixed13: destroying the live table'; then
	# md->map points at a freed table: leave the device alone.
	note "the live table of r10s2 was destroyed: r10s2 is left as it is"
	sc_end
	exit 0
fi
sc_info handover-refused r10s2

step handover
run suspend-source dmsetup suspend r10s1
run resume-dest dmsetup resume r10s2
run read-dest dd if="/dev/$(dm_dev r10s2)" of=/dev/null bs=64k count=16 iflag=direct
snap handover r10s2

step remove
run remove-source dmsetup remove r10s1
run remove-dest dmsetup remove r10s2
run remove-origin dmsetup remove r10o
sc_nullb_del r10org r10cow
sc_end
exit 0
