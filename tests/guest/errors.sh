#!/bin/sh
# User errors and clean-up, on a real kernel: each error's exit status and
# message, --wait, --dev, escaping of a hostile device name, and that
# nothing stays attached after kill -9; exit 3 and the missing
# capabilities named for root with too few of them.
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh

res() { echo "result $1 $2"; }
# run NAME CMD...: exit status and the first stderr line.
run() {
	name=$1
	shift
	"$@" >/tmp/run.out 2>/tmp/run.err
	rc=$?
	res "$name" $rc
	echo "stderr $name $(head -n 1 /tmp/run.err)"
}

# dm_mod is not loaded yet.
run no-dm dmswap-trace --duration 1
run no-dm-coverage dmswap-trace coverage
run bad-option dmswap-trace --bogus
run bad-duration dmswap-trace --duration -3
run unknown-command dmswap-trace frobnicate
run no-btf env DMSWAP_VMLINUX_BTF=/nonexistent dmswap-trace --duration 1
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null || echo 'nogroup:x:65534:' >>/etc/group
run unprivileged su -s /bin/sh nobody -c "dmswap-trace --duration 1"

# --wait while dm_mod never comes: --duration ends the wait (exit 0, an
# orderly stop), and so does SIGTERM; the metrics say "not armed" meanwhile
# (before: no metrics at all, --duration ignored, SIGTERM exit 5).
mkdir -p /tmp/wm
run wait-duration dmswap-trace --wait --duration 1 --metrics /tmp/wm/w.prom
res wait-duration-not-armed "$(grep -c '^dmswap_armed 0$' /tmp/wm/w.prom 2>/dev/null)"
dmswap-trace --wait 2>/dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
res wait-sigterm $?

# --wait: armed only once dm_mod is there, then traces.
zoned_nullb 1
dmswap-trace --wait --json >/tmp/wait.json 2>/tmp/wait.err &
pid=$!
sleep 1
kill -0 $pid; res wait-still-waiting $?
grep -q armed /tmp/wait.json; res wait-not-armed-early $?
modprobe dm-mod
i=0
until grep -q armed /tmp/wait.json || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
dmsetup create w --table "0 1048576 linear /dev/nullb0 0"
sleep 0.3
kill -INT $pid; wait $pid; res wait-rc $?
emit wait /tmp/wait.json
dmsetup remove w

run unknown-dev dmswap-trace --dev nosuch --duration 1

# Privileges: root with only some capabilities, as a systemd unit's
# CapabilityBoundingSet leaves it (before: exit 8 and a libbpf message).
# busybox sh runs its own setpriv applet for "setpriv": util-linux's by path.
# caps NAME SET ARGS...: the tool under bounding set SET; whether it armed.
caps() {
	caps_name=caps-$1 set=$2
	shift 2
	run "$caps_name" /usr/bin/setpriv --inh-caps=-all --bounding-set=-all"$set" -- \
		dmswap-trace --duration 1 "$@"
	res "$caps_name-armed" "$(grep -c 'dmswap-trace: armed: ' /tmp/run.err)"
	echo "stderr $caps_name-all $(tr '\n' '|' </tmp/run.err)"
}
caps all ",+bpf,+perfmon,+sys_admin,+syslog"
caps all-kprobe ",+bpf,+perfmon,+sys_admin,+syslog" --force-kprobe
caps unit-set ",+bpf,+perfmon,+syslog"
caps unit-set-kprobe ",+bpf,+perfmon,+syslog" --force-kprobe
caps perfmon-only ",+perfmon,+syslog"
caps none ""
# CAP_SYS_ADMIN covers CAP_BPF and CAP_PERFMON; without CAP_SYSLOG, a warning.
caps sys-admin-only ",+sys_admin"
# The unit's own securebits: root gets no capability at all from exec.
run caps-noroot /usr/bin/setpriv --inh-caps=-all --bounding-set=-all,+bpf,+perfmon,+syslog \
	--securebits=+noroot,+noroot_locked -- dmswap-trace --duration 1
# Every hook absent (dm_mod's BTF, kallsyms and the ftrace list hidden in a
# private mount namespace): exit 8, never "armed" with 0 hooks (before).
cat >/tmp/hide.sh <<'EOF'
for f in /sys/kernel/btf/dm_mod /proc/kallsyms /sys/kernel/tracing/available_filter_functions \
	/sys/kernel/debug/tracing/available_filter_functions; do
	[ -e "$f" ] && mount --bind /dev/null "$f"
done
exec dmswap-trace --duration 1
EOF
run no-hooks unshare -m sh /tmp/hide.sh
res no-hooks-armed "$(grep -c 'armed' /tmp/run.err)"
echo "stderr no-hooks-all $(tr '\n' '|' </tmp/run.err)"
# In a user namespace every capability is in the effective set but counts
# for nothing in the kernel (before: exit 8, "cannot target dm_suspend: No
# such process", libbpf having skipped the module BTFs it may not read).
run caps-userns unshare -Ur dmswap-trace --duration 1
echo "stderr caps-userns-all $(tr '\n' '|' </tmp/run.err)"
run unknown-dev-wait dmswap-trace --wait --dev nosuch --duration 0.5

# --dev filters, by name, while another device swaps too.
dmsetup create a --table "0 1048576 linear /dev/nullb0 0"
dmsetup create b --table "0 1048576 linear /dev/nullb0 1048576"
trace_start /tmp/filter.json --json --dev a || exit 1
for d in a b; do dmsetup suspend "$d"; dmsetup resume "$d"; done
trace_stop
res filter-rc "$TRACE_RC"
emit filter /tmp/filter.json

# A device name with an escape sequence, in text and JSON output.
evil=$(printf 'ev\033[2Jil')
trace_start /tmp/evil.txt || exit 1
dmsetup --manglename none create "$evil" --table "0 1048576 linear /dev/nullb0 0"
res evil-create $?
trace_stop
emit evil-text /tmp/evil.txt
trace_start /tmp/evil.json --json || exit 1
dmsetup --manglename none suspend "$evil"
dmsetup --manglename none resume "$evil"
trace_stop
emit evil-json /tmp/evil.json

# --log: created 0600, appended, reopened on SIGHUP (logrotate).
run unwritable-log dmswap-trace --log /proc/nope.log --duration 1
trace_start /tmp/l.json --json --log /tmp/dm.log || exit 1
dmsetup suspend a && dmsetup resume a
mv /tmp/dm.log /tmp/dm.log.1
kill -HUP "$TRACE_PID"
sleep 1
dmsetup suspend b && dmsetup resume b
trace_stop
res log-hup-rc "$TRACE_RC"
res log-mode "$(stat -c %a /tmp/dm.log)"
emit log-before-hup /tmp/dm.log.1
emit log-after-hup /tmp/dm.log

# Outputs: a FIFO as the log is refused at once (it used to wait for a
# reader); a stdout that cannot be written, or a closed pipe, is said and
# exits 7 (--json: the error is the only line on stderr).
mkfifo /tmp/fifo.log
run fifo-log timeout 10 dmswap-trace --log /tmp/fifo.log --duration 1
run stdout-full sh -c 'exec dmswap-trace --json --duration 1 >/dev/full'
{
	dmswap-trace --json --duration 2 2>/tmp/pipe.err
	echo $? >/tmp/pipe.rc
} | true
res stdout-closed-pipe "$(cat /tmp/pipe.rc)"
echo "stderr stdout-closed-pipe $(head -n 1 /tmp/pipe.err)"

# kill -9: the kernel detaches everything (no pinned links or programs).
trace_start /tmp/k.json --json || exit 1
links=$(bpftool link list | grep -c 'prog ')
res links-while-armed-nonzero "$([ "$links" -gt 0 ] && echo 0 || echo 1)"
kill -9 "$TRACE_PID"
wait "$TRACE_PID" 2>/dev/null
sleep 1
after=$(bpftool link list | grep -c 'prog ')
progs=$(bpftool prog list | grep -c 'dm_\|blk_')
res links-after-kill "$after"
res progs-after-kill "$progs"
res pins-after-kill "$(find /sys/fs/bpf -mindepth 1 | wc -l)"
exit 0
