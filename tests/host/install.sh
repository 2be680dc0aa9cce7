#!/bin/bash
# make install with PREFIX and DESTDIR, and the systemd unit it installs:
# least privilege, read-only system, checked by systemd-analyze where present.
set -u
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

if make -s install DESTDIR="$dest" PREFIX=/opt/dmswap >/dev/null 2>&1 &&
	[ -x "$dest/opt/dmswap/sbin/dmswap-trace" ]; then
	pass install-honours-prefix-and-destdir
else
	fail install-honours-prefix-and-destdir "no $dest/opt/dmswap/sbin/dmswap-trace"
fi
unit="$dest/opt/dmswap/lib/systemd/system/dmswap-trace.service"
if grep -q '^ExecStart=/opt/dmswap/sbin/dmswap-trace watch ' "$unit" 2>/dev/null; then
	pass unit-installed-with-its-path
else
	fail unit-installed-with-its-path "$(grep ExecStart "$unit" 2>&1)"
fi
want="CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_SYSLOG CAP_SYS_ADMIN"
caps=$(grep '^CapabilityBoundingSet=' "$unit" 2>/dev/null)
if [ "$caps" = "$want" ] && grep -q '^NoNewPrivileges=yes' "$unit" &&
	grep -q '^ProtectSystem=strict' "$unit" && grep -q '^LogsDirectory=dmswap-trace' "$unit"; then
	pass unit-least-privilege
else
	fail unit-least-privilege "capabilities: $caps"
fi
if command -v systemd-analyze >/dev/null; then
	score=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 4.0) }'; then
		echo "  systemd-analyze security: exposure $score"
		pass unit-exposure-at-most-4
	else
		fail unit-exposure "systemd-analyze security: '${score:-no score}' (want <= 4.0)"
	fi
fi

# The rest of what make install installs.
man8="$dest/opt/dmswap/share/man/man8/dmswap-trace.8"
if [ -f "$man8" ] && [ -f "$dest/opt/dmswap/share/dmswap-trace/dmswap-trace.rules.yml" ] &&
	[ -f "$dest/etc/logrotate.d/dmswap-trace" ] &&
	[ -f "$dest/opt/dmswap/share/bash-completion/completions/dmswap-trace" ] &&
	[ -z "$(find "$man8" "$dest/etc/logrotate.d/dmswap-trace" -perm /0133)" ] &&
	MANWIDTH=80 man -l "$man8" 2>/dev/null | grep -q '^NAME'; then
	pass install-man-page-rules-logrotate
else
	fail install-man-page-rules-logrotate "$(cd "$dest" && find . -type f | tr '\n' ' ')"
fi
# The page's FILES name where this install put them (PREFIX), not a default.
files=$(MANWIDTH=200 man -l "$man8" 2>/dev/null | sed -n '/^FILES/,/^[A-Z]/p')
if grep -q '^ */opt/dmswap/sbin/dmswap-trace$' <<<"$files" &&
	grep -q '^ */opt/dmswap/lib/systemd/system/dmswap-trace.service$' <<<"$files" &&
	grep -q '^ */opt/dmswap/share/dmswap-trace/dmswap-trace.rules.yml$' <<<"$files" &&
	grep -q '^ */etc/logrotate.d/dmswap-trace$' <<<"$files" && ! grep -q '/usr/local' <<<"$files"; then
	pass man-page-files-at-prefix
else
	fail man-page-files-at-prefix "$(grep '^ */' <<<"$files" | tr -s ' \n' ' ')"
fi
if grep -qx 'Documentation=man:dmswap-trace(8)' "$unit" 2>/dev/null; then
	pass unit-documentation-is-the-man-page
else
	fail unit-documentation-is-the-man-page "$(grep Documentation= "$unit" 2>&1)"
fi

# What the service writes is where its sandbox lets it write: --metrics in
# a ReadWritePaths directory, --log in its LogsDirectory, and that log is
# the one the logrotate file rotates.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" 2>/dev/null)
metrics=$(sed -n 's/.* --metrics \([^ ]*\).*/\1/p' <<<"$exec_start")
log=$(sed -n 's/.* --log \([^ ]*\).*/\1/p' <<<"$exec_start")
rw=$(sed -n 's/^ReadWritePaths=-\?//p' "$unit" 2>/dev/null)
logs_dir=$(sed -n 's/^LogsDirectory=//p' "$unit" 2>/dev/null)
if [ -n "$metrics" ] && [ "$(dirname "$metrics")" = "$rw" ] &&
	[ "$(dirname "$log")" = "/var/log/$logs_dir" ] &&
	grep -q "^$log {" "$dest/etc/logrotate.d/dmswap-trace" 2>/dev/null; then
	pass unit-writes-where-sandbox-allows
else
	fail unit-writes-where-sandbox-allows "metrics $metrics, ReadWritePaths $rw, log $log, LogsDirectory $logs_dir"
fi
