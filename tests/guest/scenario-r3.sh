#!/bin/sh
# R3 (INV-1, INV-2, INV-3; race): loop A swaps device r3 N times
# (suspend, load, resume) while loop B runs `blkzone report` on it without
# pause.  Tables (all 256 MiB):
#   conv   dm-linear on a non-zoned null_blk
#   zlin   dm-linear on a zoned null_blk (native zone append: no zone write
#          plugs, so every swap into it revalidates the zones inside
#          dm_swap_table, with md->zone_revalidate_map set on 6.12+)
#   crypt  dm-crypt on a zoned null_blk (emulated zone append; on 6.12+ the
#          device then has zone write plugs and refuses conv/zlin/resizes)
#   zcap   the R1 table: two crypt segments on zoned null_blks of different
#          zone capacity (fails in revalidation on 6.12+; accepted on 6.1)
#   lowsusp crypt on a zoned dm-linear "r3lo" that is suspended during the
#          resume (the zone report fails with EAGAIN inside the swap; the
#          6.1 failing swap)
# First half of the iterations: conv and zlin alternately, every 4th zlin
# replaced by zcap or lowsusp (in turn);
# second half: conv/crypt (the sequence of INVARIANTS.md R3).  Swaps that are
# refused are counted and the old table is resumed.  Then loop B's results
# are counted (success, EAGAIN, not zoned, EOPNOTSUPP, other), dmesg is
# checked for warnings/hangs, and a final suspend/resume must finish
# (a leaked SRCU read lock hangs it in synchronize_srcu).
# Usage: scenario-r3.sh [--trace] [N]   (N default 50; the loop stops after
# 120 s; 50 swaps take ~25 s under TCG)
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin r3 "$@" || exit 1
# N: the first numeric argument ($2 after --trace, or $1 without it).
N=50
for a in "$@"; do
	case $a in
	'' | *[!0-9]*) ;;
	*)
		N=$a
		break
		;;
	esac
done
sc_remove r3 r3lo
sc_nullb_del r3c r3z r3a r3b r3y

nullb r3c size=256 || exit 1
nullb r3z size=256 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
nullb r3a size=128 zoned=1 zone_size=64 zone_capacity=48 zone_nr_conv=0 || exit 1
nullb r3b size=128 zoned=1 zone_size=64 zone_capacity=64 zone_nr_conv=0 || exit 1
nullb r3y size=256 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1
S=524288
H=262144

T_conv="0 $S linear /dev/r3c 0"
T_zlin="0 $S linear /dev/r3z 0"
T_crypt=$(crypt_seg 0 $S /dev/r3z)
T_zcap="$(crypt_seg 0 $H /dev/r3a)
$(crypt_seg $H $H /dev/r3b)"

run create-lo dmsetup create r3lo --table "0 $S linear /dev/r3y 0"
T_lowsusp=$(crypt_seg 0 $S /dev/mapper/r3lo)
run create dmsetup create r3 --table "$T_conv"
D=$(dm_dev r3)
snap start r3

# Loop B: zone reports without pause until /tmp/r3.stop exists.
rm -f /tmp/r3.stop /tmp/r3.b
(
	while [ ! -f /tmp/r3.stop ]; do
		blkzone report -c 2 "/dev/$D" >/dev/null 2>/tmp/r3.b.err
		rc=$?
		if [ $rc -eq 0 ]; then
			echo ok
		elif grep -q 'Resource temporarily unavailable' /tmp/r3.b.err; then
			echo eagain
		elif grep -q 'unable to determine zone size' /tmp/r3.b.err; then
			echo notzoned
		elif grep -q 'Operation not supported' /tmp/r3.b.err; then
			echo eopnotsupp
		else
			echo "other rc=$rc $(head -n 1 /tmp/r3.b.err)"
		fi
	done >/tmp/r3.b
) &
BPID=$!

step swap-loop
# a CMD...: a swap-loop command under a 30 s watchdog.  On the pre-fix code
# a report can leak or drop an SRCU read lock, and the next suspend then
# waits forever: that is recorded (hang) and ends the loop, so that the
# tracer's records still reach the host.
hang=""
rm -f /tmp/sc.bg.r3a.err
a() {
	sc_timed 30 r3a "$@"
	_rc=$?
	[ "$SC_HUNG" = 1 ] && hang="$*"
	return $_rc
}
START=$(cut -d. -f1 /proc/uptime)
i=0
ok=0
refused=0
failed_cmd=0
: >/tmp/r3.a
while [ $i -lt "$N" ] && [ -z "$hang" ]; do
	now=$(cut -d. -f1 /proc/uptime)
	if [ $((now - START)) -ge 120 ]; then
		note swap loop stopped after 120 s at iteration $i
		break
	fi
	if [ $((i % 2)) -eq 0 ]; then
		name=conv
		tab=$T_conv
	elif [ $i -lt $((N / 2)) ]; then
		k=$((i / 2))
		if [ $((k % 4)) -eq 3 ]; then
			if [ $((k / 4 % 2)) -eq 0 ]; then
				name=zcap
				tab=$T_zcap
			else
				name=lowsusp
				tab=$T_lowsusp
			fi
		else
			name=zlin
			tab=$T_zlin
		fi
	else
		name=crypt
		tab=$T_crypt
	fi
	a dmsetup suspend r3 || failed_cmd=$((failed_cmd + 1))
	[ -n "$hang" ] && break
	printf '%s\n' "$tab" >/tmp/r3.table
	a dmsetup load r3 /tmp/r3.table || failed_cmd=$((failed_cmd + 1))
	[ $name = lowsusp ] && a dmsetup suspend r3lo
	[ -n "$hang" ] && break
	if a dmsetup resume r3; then
		ok=$((ok + 1))
		echo "$i $name ok" >>/tmp/r3.a
	else
		[ -n "$hang" ] && break
		refused=$((refused + 1))
		echo "$i $name refused" >>/tmp/r3.a
		[ $name = lowsusp ] && a dmsetup resume r3lo
		a dmsetup resume r3 || failed_cmd=$((failed_cmd + 1))
	fi
	[ $name = lowsusp ] && a dmsetup resume r3lo
	i=$((i + 1))
done
END=$(cut -d. -f1 /proc/uptime)
touch /tmp/r3.stop
if [ -n "$hang" ]; then
	# Loop B may be blocked in the kernel too: not waited for.
	echo "hang $(echo "$hang" | cut -d' ' -f2) after $i swaps"
	sleep 2
else
	wait $BPID
fi

res swaps-attempted $i
res swaps-ok-count $ok
res swaps-refused-count $refused
res dmsetup-cmd-failures $failed_cmd
note swap loop took $((END - START)) s
for n in conv zlin crypt zcap lowsusp; do
	echo "swaps $n ok=$(grep -c " $n ok" /tmp/r3.a) refused=$(grep -c " $n refused" /tmp/r3.a)"
done
sort /tmp/sc.bg.r3a.err 2>/dev/null | uniq -c | sed 's/^ */swap-stderr /'
for k in ok eagain notzoned eopnotsupp; do
	echo "reports $k $(grep -c "^$k\$" /tmp/r3.b)"
done
echo "reports other $(grep -c '^other' /tmp/r3.b)"
grep '^other' /tmp/r3.b | sort | uniq -c | head -n 5 | sed 's/^ */report-other /'
res reports-total "$(wc -l </tmp/r3.b)"

step after
snap end r3
bg_run 30 final-suspend dmsetup suspend r3
bg_run 30 final-resume dmsetup resume r3
bg_run 30 final-report blkzone report -c 1 "/dev/$D"
W=$(dmesg | grep -c -E 'WARNING|BUG|Oops|INFO: task|blocked for more than|rcu.*stall')
res dmesg-warnings "$W"
dmesg | grep -E 'WARNING|BUG|Oops|INFO: task|blocked for more than|rcu.*stall' | head -n 5 | sed 's/^/dmesg-warning /'
sc_dmesg end

step remove
bg_run 30 remove dmsetup remove r3
bg_run 30 remove-lo dmsetup remove r3lo
sc_end
exit 0
