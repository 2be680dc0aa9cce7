#!/bin/sh
# dmswap-trace run: exit statuses, signal forwarding, --summary, and an
# xfstests-style script (dm-error swapped in and out under I/O) wrapped.
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
res() { echo "result $1 $2"; }

zoned_nullb 2
# dm_mod not loaded: run loads it before arming, so a command (a suite)
# that would load it itself is traced from its first swap (before: exit 2,
# and with --wait a deadlock: run waited for the module its command loads).
dmswap-trace run --summary /tmp/load.json -- \
	dmsetup create early --table "0 1048576 linear /dev/nullb0 0" 2>/tmp/load.err
res loads-dm $?
emit load-summary /tmp/load.json
emit load-stderr /tmp/load.err
dmsetup remove early
modprobe dm-mod
modprobe dm-crypt

dmswap-trace run -- true; res true $?
dmswap-trace run -- sh -c 'exit 3'; res exit3 $?
dmswap-trace run -- /nonexistent/cmd 2>/dev/null; res notfound $?
dmswap-trace run --bogus -- true 2>/dev/null; res bad-option $?
dmswap-trace run 2>/dev/null; res no-command $?
dmswap-trace run --summary /nonexistent/dir/s.json -- true 2>/dev/null; res bad-summary $?
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null || echo 'nogroup:x:65534:' >>/etc/group
su -s /bin/sh nobody -c "dmswap-trace run -- true" 2>/dev/null; res unprivileged $?

# The command starts only once armed: its very first swap is seen.
dmswap-trace run --summary /tmp/first.json -- \
	dmsetup create first --table "0 1048576 linear /dev/nullb0 0"
res first $?
emit first /tmp/first.json
dmsetup remove first

# Signals go to the command; its status comes back.
dmswap-trace run --events -- sleep 60 2>/tmp/sig.err &
pid=$!
until grep -q armed /tmp/sig.err 2>/dev/null; do sleep 0.1; done
sleep 0.5
kill -TERM $pid
wait $pid; res sigterm $?

# An xfstests-style test: dm-error swapped in and out of a zoned dm-crypt
# device under fio writes: violations on every kernel (6.12 and 7.x: the
# zone write plugs kept on dm-error, INV-8/9; 6.1: dm-error cannot be zoned,
# the device stops being zoned under fio, INV-13).
cat >/tmp/xfs-style.sh <<'EOT'
#!/bin/sh
. /lab/guest/lib.sh
dmsetup create scratch --table "$(crypt_table $NULLB_SECTORS /dev/nullb1)" || exit 10
fio --name=w --filename=/dev/mapper/scratch --direct=1 --zonemode=zbd --rw=write --bs=64k \
	--max_open_zones=2 --time_based --runtime=4 --continue_on_error=all >/dev/null 2>&1 &
# The swaps start once fio has written (its zones open), not after a fixed
# 1 s: on one core beside a kernel build, fio had not written by then, the
# swaps met no open zone, and the violation this test is about never came.
# shellcheck disable=SC2317 # called through wait_for
fio_wrote() { [ "$(awk '{ print $5 }' "/sys/block/$(dm_dev scratch)/stat")" -gt 0 ]; }
wait_for 60 fio_wrote || echo "fio had not written after 60 s" >&2
# "own": the crypt table instead of dm-error (a clean test).
out="0 $NULLB_SECTORS error"
[ "${1:-}" = own ] && out=$(crypt_table $NULLB_SECTORS /dev/nullb1)
for i in 1 2; do
	dmsetup load scratch --table "$out" && dmsetup resume scratch
	dmsetup load scratch --table "$(crypt_table $NULLB_SECTORS /dev/nullb1)"
	if ! dmsetup resume scratch 2>/dev/null; then
		# Refused (6.12, 7.x): go on with dm-error live, not suspended.
		echo "crypt table refused"
		dmsetup resume scratch
	fi
done
wait
# Not --force: when anything (udev's probe after the last resume) still has
# the device open, dmsetup --force swaps in a bare error table first, and on
# 6.12 that swap leaves the zone write plugs of a non-zoned disk (INV-9): a
# real violation, not the one this test is about.
udevadm settle 2>/dev/null
dmsetup remove --retry scratch 2>/dev/null
exit 0
EOT
chmod +x /tmp/xfs-style.sh
dmswap-trace run --summary /tmp/xfs.json --log /tmp/xfs.log --log-level violations \
	-- /tmp/xfs-style.sh 2>/tmp/xfs.err
res xfs-style $?
emit xfs-summary /tmp/xfs.json
emit xfs-stderr /tmp/xfs.err
emit xfs-log /tmp/xfs.log

# Harness integration: the status a violation gives (--error-exitcode), and
# each violation in the kernel log as a WARNING: line (--kmsg).
dmesg -c >/dev/null
dmswap-trace run --error-exitcode 42 --kmsg -- /tmp/xfs-style.sh >/dev/null 2>&1
res error-exitcode-42 $?
dmesg >/tmp/kmsg.txt
emit kmsg /tmp/kmsg.txt
# The same harness options around a clean test (the crypt device reloaded
# with its own table under the writes, no dm-error): the command's status,
# and nothing in the kernel log.
dmesg -c >/dev/null
dmswap-trace run --error-exitcode 42 --kmsg --summary /tmp/clean.json -- /tmp/xfs-style.sh own \
	>/dev/null 2>&1
res clean-style-42 $?
emit clean-summary /tmp/clean.json
dmesg >/tmp/kmsg-clean.txt
emit kmsg-clean /tmp/kmsg-clean.txt
dmswap-trace run --error-exitcode 0 -- /tmp/xfs-style.sh >/dev/null 2>&1
res error-exitcode-0 $?
dmswap-trace run --error-exitcode 256 -- true 2>/dev/null; res error-exitcode-256 $?

# A hung command: --kill-after, or a second signal, kills it; the summary
# is still written and nothing stays attached.
dmswap-trace run --kill-after 1 --summary /tmp/hung.json -- sh -c 'trap "" TERM; sleep 30' \
	2>/tmp/hung.err &
pid=$!
until grep -q armed /tmp/hung.err 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.1; done
sleep 1 # the command's trap is set
kill -TERM $pid
wait $pid; res kill-after $?
res kill-after-summary "$(grep -c '"command_status":137' /tmp/hung.json 2>/dev/null)"
dmswap-trace run -- sh -c 'trap "" INT TERM; sleep 30' 2>/tmp/hung2.err &
pid=$!
until grep -q armed /tmp/hung2.err 2>/dev/null || ! kill -0 $pid 2>/dev/null; do sleep 0.1; done
sleep 1
kill -TERM $pid
sleep 0.5
kill -TERM $pid
wait $pid; res second-signal $?
res attached-after-kills "$(bpftool prog show 2>/dev/null | grep -cE 'name (dm_|blk_)')"
exit 0
