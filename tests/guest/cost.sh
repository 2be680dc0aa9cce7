#!/bin/sh
# cost: what a kernel configuration (and dmswap-trace) costs on the I/O path
# and on the swap path, for the debug-kernel comparison (scripts/debug-compare).
#   fio 4k random reads on dm-linear over null_blk (memory_backed=0), and
#   suspend/load/resume cycles of that device, SECONDS each.
# Usage: cost.sh [--trace] [SECONDS]   (default 10)
# Output: "cost iops N", "cost swaps_per_s N", "result tracer N" with --trace.
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin cost "$@" || exit 1
SECS=${SC_ARG1:-10}
S=2097152
sc_remove cost
sc_nullb_del costb
mkdir "$SC_CFS/costb" && echo 1024 >"$SC_CFS/costb/size" && echo 1 >"$SC_CFS/costb/power" || exit 1
sleep 0.5
T1="0 $S linear /dev/costb 0"
T2="0 $((S / 2)) linear /dev/costb 0
$((S / 2)) $((S / 2)) linear /dev/costb $((S / 2))"
run create dmsetup create cost --table "$T1" || exit 1

fio --name=cost --filename=/dev/mapper/cost --rw=randread --bs=4k --direct=1 \
	--ioengine=psync --numjobs=2 --time_based --runtime="$SECS" --ramp_time=1 \
	--group_reporting --output-format=json --output=/tmp/cost.fio >/dev/null 2>&1
res fio $?
echo "cost iops $(grep -m 1 '"iops"' /tmp/cost.fio | sed 's/[^0-9.]//g')"

END=$(($(cut -d. -f1 /proc/uptime) + SECS))
n=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $END ]; do
	if [ $((n % 2)) -eq 0 ]; then printf '%s\n' "$T2"; else printf '%s\n' "$T1"; fi >/tmp/cost.table
	# shellcheck disable=SC2015 # any step failing ends the loop
	dmsetup suspend cost && dmsetup load cost /tmp/cost.table && dmsetup resume cost || break
	n=$((n + 1))
done
echo "cost swaps_per_s $(awk -v n=$n -v s="$SECS" 'BEGIN { printf "%.2f", n / s }')"
sc_remove cost
sc_nullb_del costb
sc_end
