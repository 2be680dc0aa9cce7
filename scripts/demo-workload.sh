#!/bin/sh
# The demo (make demo): runs in the lab guest.  dmswap-trace reports live on
# the console while a scripted workload swaps tables: dm-linear on a zoned
# null_blk, report zones, suspend/reload/resume, a reload that fails,
# dm-crypt under fio, and a swap to dm-error and back.
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh

say() { printf '\n>>> %s\n' "$*"; sleep 0.2; }

zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
echo "kernel $(uname -r)"
dmswap-trace coverage

dmswap-trace 2>/tmp/trace.err &
pid=$!
until grep -q armed /tmp/trace.err 2>/dev/null; do sleep 0.1; done
cat /tmp/trace.err

say "dm-linear on half of a zoned null_blk, then a zone report"
dmsetup create lin --table "0 1048576 linear /dev/nullb0 0"
blkzone report /dev/mapper/lin >/dev/null

say "suspend: a zone report must fail with EAGAIN; grow the table; resume"
dmsetup suspend lin
blkzone report /dev/mapper/lin >/dev/null 2>&1
dmsetup load lin --table "0 $NULLB_SECTORS linear /dev/nullb0 0"
dmsetup resume lin

say "a table that is not zone-aligned: the swap fails, the old table stays"
dmsetup load lin --table "0 1000 linear /dev/nullb0 0"
dmsetup resume lin 2>/dev/null
dmsetup resume lin

say "dm-crypt (emulated zone append) with fio writing zones"
dmsetup create cr --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
fio --name=zbd --filename=/dev/mapper/cr --direct=1 --zonemode=zbd --rw=write --bs=64k \
	--size=256M --max_open_zones=4 --time_based --runtime=2 >/dev/null 2>&1

say "swap the crypt device to dm-error and back (what xfstests does)"
dmsetup load cr --table "0 $NULLB_SECTORS error"
dmsetup resume cr
dmsetup load cr --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
if dmsetup resume cr 2>/dev/null; then
	echo "(the crypt table is back)"
else
	echo "(refused: this kernel kept the zone write plugs of the crypt table)"
fi

say "tear down"
dmsetup remove lin
dmsetup remove --force cr 2>/dev/null
sleep 0.5
kill -INT "$pid"
wait "$pid"
grep -v armed /tmp/trace.err
