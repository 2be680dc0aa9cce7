#!/bin/sh
# race: swaps that revalidate zones, against loops of zone reports by other
# tasks: the workload of INV-1 and INV-2 (CVE-2025-38141).
#   Device "race" alternates between dm-linear on a conventional null_blk and
#   dm-linear on a zoned one: every swap into the zoned table revalidates
#   the zones inside dm_swap_table() with md->zone_revalidate_map set, while
#   REPORTERS loops run `blkzone report` on the device without pause.
# dmswap-trace --json runs throughout with its output going straight to
# stdout (lines starting with '{'), so that what it reported reaches the
# host even if the kernel hangs or dies afterwards: on the pre-fix code a
# report that drops an SRCU read lock it never took leaves the next
# synchronize_srcu() (in dm_suspend) waiting forever.  Every dmsetup runs
# under a timeout; a hang ends the loop ("hang NAME").
# Usage: race.sh [SECONDS] [REPORTERS] [--no-trace]   (default 60 s, 2 report
# loops; --no-trace: without dmswap-trace, for the debug-kernel comparison)
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin race || exit 1
SECS=60
REPORTERS=2
TRACE=1
nums=0
for a in "$@"; do
	case $a in
	--no-trace) TRACE=0 ;;
	*)
		nums=$((nums + 1))
		if [ $nums -eq 1 ]; then SECS=$a; else REPORTERS=$a; fi
		;;
	esac
done
S=524288
nullb rc size=256 || exit 1
nullb rz size=256 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
T_conv="0 $S linear /dev/rc 0"
T_zlin="0 $S linear /dev/rz 0"
sc_remove race
run create dmsetup create race --table "$T_conv" || exit 1
D=$(dm_dev race)

# tee: the records reach the host as they come, and a file to wait on.
if [ $TRACE = 1 ]; then
	dmswap-trace --json | tee /tmp/race.trace &
	i=0
	until grep -q '"armed"' /tmp/race.trace 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 600 ] || { echo "dmswap-trace not armed after 60 s" >&2; exit 1; }
		sleep 0.1
	done
fi

rm -f /tmp/race.stop /tmp/sc.bg.race.err
r=0
while [ $r -lt "$REPORTERS" ]; do
	(
		while [ ! -f /tmp/race.stop ]; do
			blkzone report -c 2 "/dev/$D" >/dev/null 2>&1
			echo $? 
		done >/tmp/race.b.$r
	) &
	r=$((r + 1))
done

step swap-loop
START=$(cut -d. -f1 /proc/uptime)
i=0
hang=""
while :; do
	now=$(cut -d. -f1 /proc/uptime)
	[ $((now - START)) -ge "$SECS" ] && break
	if [ $((i % 2)) -eq 0 ]; then tab=$T_zlin; else tab=$T_conv; fi
	printf '%s\n' "$tab" >/tmp/race.table
	# Under a watchdog each (scenario-lib's sc_timed): a hang ends the loop.
	sc_timed 20 race dmsetup suspend race || [ "$SC_HUNG" = 0 ] || { hang=suspend; break; }
	sc_timed 20 race dmsetup load race /tmp/race.table || [ "$SC_HUNG" = 0 ] || { hang=load; break; }
	sc_timed 20 race dmsetup resume race || [ "$SC_HUNG" = 0 ] || { hang=resume; break; }
	i=$((i + 1))
done
touch /tmp/race.stop
res swaps "$i"
[ -n "$hang" ] && echo "hang $hang after $i swaps"
sort /tmp/sc.bg.race.err 2>/dev/null | uniq -c | head -n 5 | sed 's/^ */swap-stderr /'
# Reporters blocked in the kernel are not waited for.
sleep 2
for f in /tmp/race.b.*; do
	echo "reports $(wc -l <"$f") ok=$(grep -c '^0$' "$f")"
done
W=$(dmesg | grep -c -E 'WARNING|BUG|Oops|INFO: task|blocked for more than|rcu.*stall')
res dmesg-warnings "$W"
dmesg | grep -E 'WARNING|BUG|Oops|blocked for more than' | head -n 5 | sed 's/^/dmesg-warning /'
# Runs of the tool's programs that the trampolines' recursion guard skipped
# (bpftool prints only non-zero counts): a get or put the tool never saw.
# On a preemptible kernel a program preempted on a CPU makes the next run of
# it there be skipped; a false INV-1 on latest (1 of 647 reports, put seen,
# get not) is suspected of it.
[ $TRACE = 1 ] && bpftool prog show 2>/dev/null |
	sed -n 's/^[0-9]*: [a-z_]*  name \([^ ]*\) .*recursion_misses \([0-9]*\).*/recursion-misses \1 \2/p'
[ $TRACE = 1 ] && killall -INT dmswap-trace
i=0
while pidof dmswap-trace >/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
pidof dmswap-trace >/dev/null && echo "note tracer still running"
sleep 0.5
[ -z "$hang" ] && sc_remove race
echo "race done"
exit 0
