#!/bin/sh
# Smoke test of the kernel lab: `scripts/lab run KERNEL scripts/lab.d/examples/smoke.sh`.
# Zoned null_blk, dm-linear and dm-crypt over it, a report on a suspended
# device (must fail with EAGAIN), then exits 3 so the caller can check that
# the script's status comes back.
set -eu
KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

uname -r
modprobe null_blk nr_devices=1 zoned=1 zone_size=64 gb=1 memory_backed=1 zone_nr_conv=4 zone_max_open=8
modprobe dm-mod
SECTORS=$(blockdev --getsz /dev/nullb0)
echo "nullb0: $SECTORS sectors, $(cat /sys/block/nullb0/queue/zoned), $(cat /sys/block/nullb0/queue/nr_zones) zones"

dmsetup create lin --table "0 $SECTORS linear /dev/nullb0 0"
blkzone report /dev/dm-0 | head -3
dmsetup remove lin

dmsetup create c --table "0 $SECTORS crypt aes-xts-plain64 $KEY 0 /dev/nullb0 0 1 sector_size:4096"
dmsetup table c | sed "s/$KEY/<key>/"
blkzone report /dev/mapper/c | head -3
dmsetup suspend c
if out=$(blkzone report /dev/mapper/c 2>&1); then
	echo "FAIL: report on a suspended device succeeded"
	exit 1
fi
echo "suspended report: $out"
case $out in
*"Resource temporarily unavailable"*) echo "EAGAIN as expected" ;;
*) echo "FAIL: expected EAGAIN" && exit 1 ;;
esac
dmsetup resume c
dmsetup remove c
echo "smoke done, exiting 3"
exit 3
