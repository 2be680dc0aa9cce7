#!/bin/sh
# R1 (INV-4, INV-6): a swap whose zone revalidation fails inside
# dm_swap_table, leaving the old table live.  Records the disk's limits and
# zone state before, right after the failed resume, and after resuming the
# old table; then one 4 KiB write to each device (last, as it may oops).
#
# Step zcap: live linear table on a non-zoned null_blk (256 MiB, 512-byte
#   blocks); new table = two dm-crypt segments (sector_size:4096) on two
#   zoned null_blks with equal zone size (64 MiB) and different zone capacity
#   (48 / 64 MiB).  6.12+: "Invalid variable zone capacity" in
#   blk_revalidate_disk_zones.  6.1 has no capacity check (accepted).
# Step zcap-from-zoned: the same new table over a live zoned dm-linear.
# Step lower-suspended: live linear table (128 MiB) on the non-zoned null_blk;
#   new table (256 MiB) = dm-crypt on a zoned dm-linear device "r1lo" (native
#   zone append, no zone write plugs) that is suspended when
#   the upper device resumes: the revalidation's zone report on "lo" fails
#   with -EAGAIN (all kernels; the 6.1 trigger).
# Usage: scenario-r1.sh [--trace] [nowrite]
#   nowrite: skip the final writes.  On 6.1 the write to r1up oopses (NULL
#   pointer in dm_zone_map_bio) and leaves the device unremovable, so the
#   scenario can be re-run in the same guest only with nowrite.
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r1 "$@" || exit 1
sc_remove r1 r1n r1up r1lo
sc_nullb_del r1c r1a r1b r1z r1y

nullb r1c size=512 blocksize=512 || exit 1
nullb r1a size=256 zoned=1 zone_size=64 zone_capacity=48 zone_nr_conv=1 || exit 1
nullb r1b size=256 zoned=1 zone_size=64 zone_capacity=64 zone_nr_conv=1 || exit 1
nullb r1z size=256 zoned=1 zone_size=64 zone_nr_conv=1 zone_max_open=3 zone_max_active=3 || exit 1
nullb r1y size=256 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1

OLD=524288 # 256 MiB, the live tables

# ---------------------------------------------------------------- zcap
step zcap
run create-r1 dmsetup create r1 --table "0 $OLD linear /dev/r1c 0"
snap before-zcap r1
run suspend-r1 dmsetup suspend r1
{
	crypt_seg 0 $OLD /dev/r1a
	crypt_seg $OLD $OLD /dev/r1b
} >/tmp/r1.bad
run load-zcap dmsetup load r1 /tmp/r1.bad
run resume-zcap dmsetup resume r1
ZCAP_RC=$?
snap after-zcap r1
if [ $ZCAP_RC -ne 0 ]; then
	run resume-old dmsetup resume r1
	snap recovered-zcap r1
else
	note zcap swap accepted: the new crypt table is live
	sc_zones zcap-live "$(dm_dev r1)" 10
fi

# ------------------------------------------------------ zcap-from-zoned
# The same failing table over a live *zoned* dm-linear (native zone append,
# no zone write plugs): the failed revalidation frees zone state that the
# live table had (7.3: zone_capacity, zones_cond; not visible in sysfs).
step zcap-from-zoned
run create-r1n dmsetup create r1n --table "0 $OLD linear /dev/r1y 0"
snap before-zcap-zoned r1n
run suspend-r1n dmsetup suspend r1n
run load-zcap-zoned dmsetup load r1n /tmp/r1.bad
run resume-zcap-zoned dmsetup resume r1n
ZZ_RC=$?
snap after-zcap-zoned r1n
[ $ZZ_RC -ne 0 ] && run resume-old-zoned dmsetup resume r1n
sc_zones zoned-live "$(dm_dev r1n)" 2
res report-zoned-live $?
sc_sysfs recovered-zcap-zoned "$(dm_dev r1n)"

# ------------------------------------------------------- lower-suspended
step lower-suspended
run create-lo dmsetup create r1lo --table "0 $OLD linear /dev/r1z 0"
run create-up dmsetup create r1up --table "0 262144 linear /dev/r1c $OLD"
snap before-lower r1up
run suspend-up dmsetup suspend r1up
run load-up-crypt dmsetup load r1up --table "$(crypt_seg 0 $OLD /dev/mapper/r1lo)"
run suspend-lo dmsetup suspend r1lo
bg_run 20 resume-up-lower-suspended dmsetup resume r1up
snap after-lower r1up
run resume-lo dmsetup resume r1lo
run resume-up-old dmsetup resume r1up
snap recovered-lower r1up
sc_sysfs lo "$(dm_dev r1lo)"

# ---------------------------------------------------------------- writes
# Last: on 6.1 the failed swap left DMF_EMULATE_ZONE_APPEND set with the
# emulation resources freed; a write may oops (dm_zone_map_bio).
if [ "$SC_ARG1" = nowrite ]; then
	note writes skipped
	sc_end
	exit 0
fi
step writes
D=$(dm_dev r1)
bg_run 15 write-r1 write4k "$D" 0
sc_dmesg write-r1
D=$(dm_dev r1n)
bg_run 15 write-r1n-zone1 write4k "$D" 131072
sc_dmesg write-r1n-zone1
D=$(dm_dev r1up)
bg_run 15 write-up write4k "$D" 0
sc_dmesg write-up
bg_run 15 report-up blkzone report -c 2 "/dev/$D"
sc_dmesg report-up
sc_sysfs final-r1 "$(dm_dev r1)"
sc_sysfs final-up "$D"

sc_end
exit 0
