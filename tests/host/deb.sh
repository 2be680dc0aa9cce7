#!/bin/bash
# The Debian package: make deb's script builds it (into a temporary
# directory, from the working tree) without touching the source tree;
# lintian has no error or warning on the .changes (source and binary); the
# package holds the binary, unit, manual page, logrotate file and alerting
# rules and no directory of prometheus-node-exporter's; its control fields;
# the unit is not enabled or started on installation; the manual page
# renders without warnings; the logrotate file parses and, run, renames the
# log and signals the service.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

for tool in dpkg-buildpackage dh lintian logrotate; do
	if ! command -v "$tool" >/dev/null; then
		fail deb-tools "no $tool (scripts/install-deps installs it)"
		exit 0
	fi
done

before=$(git status --porcelain 2>&1)
if ! out=$(scripts/build-deb "$tmp/build" 2>&1); then
	fail deb-builds "$(echo "$out" | tail -5)"
	exit 0
fi
version=$(dpkg-parsechangelog -S Version)
deb=$tmp/build/dmswap-trace_${version}_amd64.deb
if [ -f "$deb" ]; then
	pass deb-builds
else
	fail deb-builds "no $deb: $(ls "$tmp/build")"
	exit 0
fi
after=$(git status --porcelain 2>&1)
if [ "$before" = "$after" ]; then
	pass deb-build-leaves-source-tree-alone
else
	fail deb-build-leaves-source-tree-alone "git status changed: $(diff <(echo "$before") <(echo "$after") | tail -3)"
fi

# The .changes names the .dsc and the .debs: lintian checks them all.
lint=$(lintian --pedantic "$tmp"/build/deb-src/*.changes 2>&1 | grep -E '^[EW]: ')
if [ -z "$lint" ]; then
	pass deb-lintian-no-errors-or-warnings
else
	fail deb-lintian-no-errors-or-warnings "$(echo "$lint" | head -5)"
fi

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
missing=""
for f in ./usr/sbin/dmswap-trace ./lib/systemd/system/dmswap-trace.service \
	./usr/share/man/man8/dmswap-trace.8.gz ./etc/logrotate.d/dmswap-trace \
	./usr/share/dmswap-trace/dmswap-trace.rules.yml \
	./usr/share/bash-completion/completions/dmswap-trace; do
	grep -qx -- "$f" <<<"$contents" || missing="$missing $f"
done
if [ -z "$missing" ] && ! grep -q '^\./var/lib/prometheus' <<<"$contents"; then
	pass deb-contents
else
	fail deb-contents "missing:${missing:- none}; $(grep '^\./var/lib/prometheus' <<<"$contents")"
fi

field() { dpkg-deb -f "$deb" "$1"; }
if [ "$(field Package)" = dmswap-trace ] && [ "$(field Version)" = "$version" ] &&
	[ "$(field Architecture)" = amd64 ] && [[ $(field Depends) == *libbpf1* ]] &&
	[[ $(field Recommends) == *prometheus-node-exporter* ]] &&
	[ "$(field Section)" = admin ] &&
	dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/logrotate.d/dmswap-trace; then
	pass deb-control-fields
else
	fail deb-control-fields "$(dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Section)"
fi

mkdir -p "$tmp/root" "$tmp/ctrl"
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/ctrl"
unit=$tmp/root/lib/systemd/system/dmswap-trace.service
# Not enabled, not started: only re-enabled if it was, restarted on upgrade
# only where it runs, stopped on removal.
if ! grep -q 'deb-systemd-invoke \(start\|restart\)' "$tmp/ctrl/postinst" &&
	grep -q 'deb-systemd-invoke try-restart' "$tmp/ctrl/postinst" &&
	grep -q 'deb-systemd-invoke stop dmswap-trace.service' "$tmp/ctrl/prerm" &&
	! grep -q '^[[:space:]]*deb-systemd-helper enable' <(sed '/was-enabled/,/fi/d' "$tmp/ctrl/postinst"); then
	pass deb-unit-not-enabled-or-started
else
	fail deb-unit-not-enabled-or-started "postinst: $(grep -c deb-systemd "$tmp/ctrl/postinst") deb-systemd lines"
fi
if grep -q '^ExecStart=/usr/sbin/dmswap-trace watch ' "$unit" &&
	grep -qx 'Documentation=man:dmswap-trace(8)' "$unit"; then
	pass deb-unit-paths
else
	fail deb-unit-paths "$(grep -E '^(ExecStart|Documentation)=' "$unit")"
fi

warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
	"$tmp/root/usr/share/man/man8/dmswap-trace.8.gz" 2>&1 >/dev/null)
if [ -z "$warn" ] && MANWIDTH=80 man -l "$tmp/root/usr/share/man/man8/dmswap-trace.8.gz" |
	grep -q '^SYNOPSIS'; then
	pass deb-man-page-renders
else
	fail deb-man-page-renders "$(echo "$warn" | head -3)"
fi

lr=$tmp/root/etc/logrotate.d/dmswap-trace
if out=$(logrotate -d -s "$tmp/lr-state-d" "$lr" 2>&1) && ! grep -qi 'error' <<<"$out"; then
	pass deb-logrotate-parses
else
	fail deb-logrotate-parses "$(grep -i error <<<"$out" | head -3)"
fi

# Rotate for real, in a private directory, with a systemctl that records
# what it is asked: the log is renamed (same inode), not copied, and the
# service's main process gets SIGHUP to reopen it.
d=$tmp/lr
mkdir -p "$d/log" "$d/bin"
chmod 0700 "$d/log"
sed "s|/var/log/dmswap-trace/|$d/log/|" "$lr" >"$d/conf"
cat >"$d/bin/systemctl" <<EOF
#!/bin/sh
echo "\$*" >>"$d/calls"
EOF
chmod +x "$d/bin/systemctl"
echo '{"kind":"event"}' >"$d/log/events.jsonl"
inode=$(stat -c %i "$d/log/events.jsonl")
PATH=$d/bin:$PATH logrotate -f -s "$d/state" "$d/conf" 2>"$d/err"
if [ "$(stat -c %i "$d/log/events.jsonl.1" 2>/dev/null)" = "$inode" ] &&
	[ ! -e "$d/log/events.jsonl" ] &&
	grep -qx 'kill -s HUP --kill-whom=main dmswap-trace.service' "$d/calls" 2>/dev/null; then
	pass deb-logrotate-renames-and-signals
else
	fail deb-logrotate-renames-and-signals "files: $(find "$d/log" -type f -printf '%f ' ); calls: $(tr '\n' ';' <"$d/calls" 2>&1) $(head -2 "$d/err")"
fi
