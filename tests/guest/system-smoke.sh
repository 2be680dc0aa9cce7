#!/bin/bash
# The Debian userland of `scripts/lab run --system`: systemd is PID 1 and the
# system is up, journald, udev's dm rules, modules from the kernel's tree,
# node_exporter and Prometheus on localhost, the script's environment, the
# files of LAB_FILES, /lab/out.  Prints facts; tests/lab/check_system.py
# judges them.  Usage: system-smoke.sh STATUS (exit with STATUS) | hang
# Functions run through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh

if [ "${1:-}" = hang ]; then
	# Timeout test: the host must kill the guest and exit 124.
	echo "system-smoke: hanging"
	exec sleep infinity
fi

echo "pid1 $(cat /proc/1/comm)"
echo "uname $(uname -r)"
echo "state $(systemctl is-system-running)"
echo "=== begin failed-units"
systemctl --failed --no-legend --plain
echo "=== end failed-units"
echo "env uid $(id -u)"
echo "env cwd $PWD"
echo "env path $PATH"
echo "env LAB_KERNEL ${LAB_KERNEL:-}"
echo "env LAB_GUEST ${LAB_GUEST:-}"
echo "env DM_DISABLE_UDEV ${DM_DISABLE_UDEV:-unset}"
echo "env dmswap-trace $(command -v dmswap-trace)"
dmswap-trace --version >/dev/null 2>&1
res dmswap-trace-runs $?

token=lab-smoke-$$-$RANDOM
logger -t lab-smoke "$token"
journal_has() { journalctl -q -t lab-smoke -o cat --no-pager | grep -qx "$token"; }
wait_for 20 journal_has
res journal $?

findmnt -n -o SOURCE,FSTYPE,OPTIONS "/usr/lib/modules/$(uname -r)" | sed 's/^/modules-mount /'
modprobe dm_mod
res modprobe-dm_mod $?
modprobe dm_zero
res modprobe-dm_zero $?
dmsetup create lab-smoke-zero --table "0 2048 zero"
res dm-create $?
udevadm settle
# dm's udev rules make the /dev/mapper link and the by-id link.
[ -L /dev/mapper/lab-smoke-zero ]
res dm-mapper-link $?
[ -L /dev/disk/by-id/dm-name-lab-smoke-zero ]
res dm-udev-by-id $?
dmsetup remove lab-smoke-zero
res dm-remove $?

metrics() { curl -sf http://localhost:9100/metrics >/tmp/metrics; }
wait_for 60 metrics
res node-exporter $?
grep '^node_uname_info' /tmp/metrics | sed 's/^/metric /'
wait_for 120 curl -sf -o /dev/null http://localhost:9090/-/ready
res prometheus-ready $?

echo "=== begin files"
(cd /lab/files && sha256sum -- *)
echo "=== end files"

echo "out-token $token"
echo "$token" >/lab/out/system-smoke.txt
exit "${1:-0}"
