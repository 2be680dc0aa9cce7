#!/bin/sh
# Memory stays flat: thousands of swaps with concurrent I/O and zone report
# loops under `dmswap-trace watch`, RSS and BPF map memory sampled along the
# way.  Usage: soak.sh [SWAPS] (default 2000).  Prints "sample" lines:
#   sample SWAPS RSS_KB MAP_BYTES_MEMLOCK EVENTS_IN_LOG
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
total=${1:-2000}
every=$((total / 10))

zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
dmsetup create s --table "0 $NULLB_SECTORS linear /dev/nullb0 0"
dmsetup create io --table "0 $NULLB_SECTORS linear /dev/nullb1 0"
trace_start /tmp/soak.out --log /tmp/soak.log --metrics /tmp/soak.prom --rate-limit 5 || exit 1

fio --name=io --filename=/dev/mapper/io --direct=1 --zonemode=zbd --rw=write --bs=64k \
	--max_open_zones=2 --time_based --runtime=100000 >/dev/null 2>&1 &
fio_pid=$!
(while :; do blkzone report /dev/mapper/s >/dev/null 2>&1; done) &
rep_pid=$!

map_bytes() {
	# Sum of memlock over our maps (ids of the maps our programs use).
	bpftool -j map show | grep -o '"bytes_memlock":[0-9]*' | awk -F: '{ s += $2 } END { print s }'
}
sample() {
	rss=$(awk '/VmRSS/ { print $2 }' /proc/"$TRACE_PID"/status)
	echo "sample $1 $rss $(map_bytes) $(wc -l </tmp/soak.log)"
}

sample 0
i=0
while [ $i -lt "$total" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		dmsetup load s --table "0 $NULLB_SECTORS error"
	else
		dmsetup load s --table "0 $NULLB_SECTORS linear /dev/nullb0 0"
	fi
	dmsetup resume s
	i=$((i + 1))
	[ $((i % every)) -eq 0 ] && sample $i
done
kill $rep_pid $fio_pid 2>/dev/null
wait $fio_pid 2>/dev/null
trace_stop
echo "result tracer $TRACE_RC"
grep -E '^dmswap_(swaps|events_dropped|calls_untracked)' /tmp/soak.prom
# The violations (a clean soak has none) and the summary.
grep '"kind":"violation"' /tmp/soak.log | head -n 5
tail -n 1 /tmp/soak.log
exit 0
