#!/bin/sh
# No false alarms: a clean, busy workload must produce zero violations.
# - devices exist before the tool starts (it must pick them up mid-life);
# - fio --zonemode=zbd writes to dm-linear and dm-crypt on zoned null_blk;
# - meanwhile dm-error is swapped in and out under the I/O (the xfstests
#   pattern), a loop runs blkzone report, and devices are created and
#   removed;
# - many devices at once.
# On 6.12 and 7.x, swapping dm-error in and out of the dm-crypt device is a
# real violation (INV-8, INV-9: see docs/truth-table.md), so there the crypt
# device is reloaded with its own table instead; dm-linear gets dm-error.
# Before 6.10 (a951104333bd) dm-error cannot be zoned at all: swapping it
# under fio's zoned writes makes the device non-zoned under its user, a
# real violation too (INV-13), so there both devices are reloaded with their
# own tables.  Usage: clean.sh [SECONDS]
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
secs=${1:-20}
res() { echo "result $1 $2"; }

zoned_nullb 3
modprobe dm-mod
modprobe dm-crypt
# Many devices: 8 linear slices of nullb0 (2 zones each), plus the two under I/O.
i=0
while [ $i -lt 8 ]; do
	dmsetup create "slice$i" --table "0 $((2 * ZONE_SECTORS)) linear /dev/nullb0 $((i * 2 * ZONE_SECTORS))"
	i=$((i + 1))
done
dmsetup create zl --table "0 $NULLB_SECTORS linear /dev/nullb1 0"
dmsetup create zc --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb2)"
# Open the crypt device's zones with writes before the tool starts.
dd if=/dev/zero of=/dev/mapper/zc bs=64k count=4 seek=$((4 * ZONE_SECTORS / 128)) oflag=direct 2>/dev/null

trace_start /tmp/trace.json --json || exit 1
pids=""

for d in zl zc; do
	fio --name="$d" --filename=/dev/mapper/$d --direct=1 --zonemode=zbd --rw=write --bs=64k \
		--max_open_zones=2 --time_based --runtime="$secs" --continue_on_error=all \
		--output-format=json --output=/tmp/fio-$d.json >/dev/null 2>&1 &
	pids="$pids $!"
done

# Zone reports without pause.
(
	n=0
	end=$(($(date +%s) + secs))
	while [ "$(date +%s)" -lt $end ]; do
		blkzone report /dev/mapper/zl >/dev/null 2>&1
		blkzone report /dev/mapper/zc >/dev/null 2>&1
		n=$((n + 2))
	done
	echo "$n" >/tmp/reports
) &
pids="$pids $!"

# Let fio find its zones and write before the first swap takes them away:
# until both devices have completed writes (not a fixed 2 s: with one core
# beside another guest, fio on zl had not written by then, and once dm-error
# was in it wrote nothing at all).
# shellcheck disable=SC2317 # called through wait_for
fio_wrote() {
	for d in zl zc; do
		[ "$(awk '{ print $5 }' "/sys/block/$(dm_dev "$d")/stat")" -gt 0 ] || return 1
	done
}
wait_for 60 fio_wrote || echo "note fio had not written to both devices after 60 s"
# Swaps: dm-error in and out of the linear device where dm-error can be
# zoned (6.10+), its own table before; the crypt device's own table;
# create/remove a device now and then.
kv=$(uname -r | cut -d- -f1)
major=${kv%%.*}
minor=${kv#*.}
minor=${minor%%.*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 10 ]; }; then
	zl_out="0 $NULLB_SECTORS error"
else
	zl_out="0 $NULLB_SECTORS linear /dev/nullb1 0"
fi
echo "note zl swapped to: ${zl_out#* * }"
swaps=0
end=$(($(date +%s) + secs))
k=0
while [ "$(date +%s)" -lt $end ]; do
	dmsetup load zl --table "$zl_out" && dmsetup resume zl
	dmsetup load zl --table "0 $NULLB_SECTORS linear /dev/nullb1 0" && dmsetup resume zl
	dmsetup load zc --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb2)" && dmsetup resume zc
	swaps=$((swaps + 3))
	dmsetup create "tmp$k" --table "0 $ZONE_SECTORS linear /dev/nullb0 $((ZONE_SECTORS * 8))" &&
		dmsetup remove "tmp$k"
	k=$((k + 1))
	sleep 0.2
done
# Not a bare wait: dmswap-trace is a background job too.
# shellcheck disable=SC2086 # a list of pids
wait $pids
# State of removed devices is freed: only zl and zc were swapped while traced.
echo "count devices-map $(bpftool map dump name devices | grep -c '"key":')"
trace_stop
res tracer "$TRACE_RC"
echo "count swaps $swaps"
echo "count creates $k"
echo "count reports $(cat /tmp/reports)"
for d in zl zc; do
	# read + write + trim sections of the job
	ios=$(grep -o '"total_ios" : [0-9]*' /tmp/fio-$d.json | awk '{ s += $3 } END { print s }')
	echo "count ios-$d ${ios:-0}"
done
emit trace /tmp/trace.json
emit stderr /tmp/trace.json.err
exit 0
