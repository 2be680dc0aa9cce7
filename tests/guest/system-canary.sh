#!/bin/bash
# The canary as an operator deploys it (run with `scripts/lab run --system`,
# LAB_FILES=the .deb): the package installed with dpkg, the unit enabled
# before dm_mod is loaded, node_exporter and Prometheus (with the shipped
# alerting rules) scraping it, logrotate rotating its log, systemctl stopping
# and killing it.  Prints facts and copies files between markers;
# tests/lab/check_system_canary.py judges them.
# Functions run through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
UNIT=dmswap-trace.service
LOG=/var/log/dmswap-trace/events.jsonl
PROM=http://localhost:9090
journal() { journalctl -q -u "$UNIT" -o cat --no-pager "$@"; }
journal_has() { journal | grep -q "$1"; }
# Our BPF programs and links (bpftool lists them by program name).
bpf_ours() { bpftool prog show 2>/dev/null | grep -cE 'name (dm_|blk_|dmswap)' || true; }
bpf_links() { bpftool link show 2>/dev/null | grep -c 'prog' || true; }
prom_value() { # prom_value QUERY: the first sample's value, or nothing
	curl -sf --get "$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

step install
dpkg -i /lab/files/dmswap-trace_*.deb >/tmp/dpkg.log 2>&1
res dpkg-install $?
cat /tmp/dpkg.log
# The package does not start the canary by itself: an operator opts in.
res active-after-install "$(systemctl is-active --quiet "$UNIT" && echo 1 || echo 0)"

step prometheus
# Scrape every 2 s, evaluate the shipped rules every 2 s.
cat >/etc/prometheus/prometheus.yml <<'YML'
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - /usr/share/dmswap-trace/dmswap-trace.rules.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['localhost:9100']
YML
systemctl restart prometheus
wait_for 120 curl -sf -o /dev/null "$PROM/-/ready"
res prometheus-ready $?
curl -sf "$PROM/api/v1/rules" | jq -r '.data.groups[].rules[].name' | sed 's/^/rule /'

step enable-before-dm
# The unit as installed, on every kernel: no drop-in.
echo "drop-ins $(find /etc/systemd/system/$UNIT.d -type f 2>/dev/null | wc -l)"
modprobe -r dm_mod 2>/dev/null
res dm-loaded-at-enable "$([ -d /sys/module/dm_mod ] && echo 1 || echo 0)"
systemctl enable --now "$UNIT"
res enable $?
wait_for 30 journal_has "waiting for dm_mod"
res waits-for-dm $?
res active-while-waiting "$(systemctl is-active --quiet "$UNIT" && echo 1 || echo 0)"
# Waiting, it still holds the unit's capabilities (to arm with).
pid=$(systemctl show -p MainPID --value "$UNIT")
grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' "/proc/$pid/status" | sed 's/^/waiting /'
if command -v capsh >/dev/null; then
	capsh --decode="$(sed -n 's/^CapEff:\s*//p' "/proc/$pid/status")" | sed 's/^/waiting-decoded /'
fi
# Meanwhile the metrics say so (an alert: DmswapNotArmed).
not_armed() { curl -sf http://localhost:9100/metrics | grep -qx 'dmswap_armed 0'; }
wait_for 20 not_armed
res exporter-not-armed-while-waiting $?

step load-dm
zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
wait_for 120 journal_has "armed"
res armed-in-journal $?
pid=$(systemctl show -p MainPID --value "$UNIT")
grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)' "/proc/$pid/status" | sed 's/^/proc /'
echo "unit-bounding $(systemctl show -p CapabilityBoundingSet --value "$UNIT")"
res bpf-progs-armed "$(bpf_ours)"

step workload
# The canary suites' workload (lib.sh): violations on 6.12 and 7.x.
canary_workload
# R13's swap (tests/guest/scenario-r13.sh), fstests' dm-error under a user:
# a zoned dm-linear held open, swapped to `error DEV OFFSET`.  6.1's dm-error
# makes it non-zoned under its user: INV-13, so the canary reports a
# violation there too (silent on 6.12 and 7.3, where dm-error keeps the zones).
dmsetup create e --table "0 524288 linear /dev/nullb0 1048576"
exec 3</dev/mapper/e
dmsetup suspend e
dmsetup load e --table "0 524288 error /dev/nullb0 1048576" && dmsetup resume e
dmsetup suspend e
dmsetup load e --table "0 524288 linear /dev/nullb0 1048576" && dmsetup resume e
exec 3<&-
dmsetup remove e
udevadm settle
violations() { jq -c 'select(.kind == "violation")' "$LOG" | wc -l; }
res violations-logged "$(violations)"

step metrics
# The unit's interval is 10 s: wait for the violations in the textfile,
# then in node_exporter's answer, then in Prometheus.
TEXTFILE=/var/lib/prometheus/node-exporter/dmswap.prom
sent=$(violations)
textfile_sum() { awk '/^dmswap_violations_total/ { s += $2 } END { print s + 0 }' "$TEXTFILE"; }
# (Functions, so that each retry reads the value again.)
textfile_current() { [ "$(textfile_sum 2>/dev/null)" = "$sent" ]; }
wait_for 40 textfile_current
res textfile-current $?
echo "textfile-mode $(stat -c '%a %U:%G' "$TEXTFILE")"
exporter_sum() {
	curl -sf http://localhost:9100/metrics |
		awk '/^dmswap_violations_total/ { s += $2 } END { print s + 0 }'
}
exporter_current() { [ "$(exporter_sum)" = "$sent" ]; }
wait_for 20 exporter_current
res exporter-current $?
curl -sf http://localhost:9100/metrics | grep -E '^(dmswap_|node_textfile_scrape_error)' >/tmp/exporter.txt
emit exporter /tmp/exporter.txt
# No series before the first violation: 0 then.
prom_sum() { prom_value 'sum(dmswap_violations_total) or vector(0)'; }
prometheus_current() { [ "$(prom_sum)" = "$sent" ]; }
wait_for 40 prometheus_current
res prometheus-current $?
echo "prometheus-sum $(prom_sum)"
echo "prometheus-armed $(prom_value 'dmswap_armed')"
# Every violated series (Prometheus's own count) has its alert firing: the
# rule evaluation that turns them from inactive to firing does not take
# them all in the same round.
alert_firing() {
	series=$(prom_value 'count(dmswap_violations_total > 0) or vector(0)')
	curl -sf "$PROM/api/v1/alerts" |
		jq -e --argjson n "$series" '$n > 0 and ([.data.alerts[] | select(.labels.alertname == "DmswapInvariantViolated" and .state == "firing")] | length) == $n' >/dev/null
}
if [ "$sent" -gt 0 ]; then
	wait_for 40 alert_firing
	res alert-firing $?
fi
curl -sf "$PROM/api/v1/alerts" | jq -c '.data.alerts[] | {name: .labels.alertname, inv: .labels.inv, dev: .labels.dev, state}' >/tmp/alerts.txt
emit alerts /tmp/alerts.txt

step rotate
events_before=$(jq -c 'select(.kind == "event")' "$LOG" | wc -l)
logrotate -f /etc/logrotate.d/dmswap-trace
res logrotate $?
# shellcheck disable=SC2012 # a listing for the reader, modes and sizes
ls -l /var/log/dmswap-trace/ | sed 's/^/logdir /'
# Events after the rotation must land in the new file.
for _ in 1 2 3 4 5; do dmsetup suspend c && dmsetup resume c; done
wait_for 20 test -s "$LOG"
res reopened-after-rotate $?

step stop
systemctl stop "$UNIT"
res stop $?
res bpf-progs-after-stop "$(bpf_ours)"
# Every file of the log, the rotated one first; the summary is the last line.
for f in "$LOG".1 "$LOG"; do [ -f "$f" ] && cat "$f"; done >/tmp/all.jsonl
echo "events-before-rotate $events_before"
emit log /tmp/all.jsonl
echo "log-mode $(stat -c '%a %U:%G' "$LOG")"
journal -p err >/tmp/journal-err.txt
emit journal-err /tmp/journal-err.txt
journal >/tmp/journal.txt
emit journal /tmp/journal.txt

step kill
armed_before=$(journal | grep -c "armed")
armed_again() { [ "$(journal | grep -c "armed")" -gt "$armed_before" ]; }
systemctl start "$UNIT"
wait_for 60 armed_again
before=$(bpf_ours)
pid_before=$(systemctl show -p MainPID --value "$UNIT")
systemctl kill -s KILL "$UNIT"
echo "kill-rc $?"
gone() { ! kill -0 "$pid_before" 2>/dev/null; }
wait_for 10 gone
res killed $?
sleep 1
systemctl status --no-pager "$UNIT" 2>&1 | head -12 | sed 's/^/status /'
bpftool prog show 2>/dev/null | grep -E 'name (dm_|blk_|dmswap)' | head -3 | sed 's/^/left /' 
# Restart=on-failure brings it back after RestartSec; read before that.
res bpf-progs-before-kill "$before"
res bpf-progs-after-kill "$(bpf_ours)"
res state-after-kill "$(systemctl is-active "$UNIT" | grep -qE 'activating|failed|inactive' && echo 1 || echo 0)"
systemctl stop "$UNIT"
dmsetup remove c
dmsetup remove --force z 2>/dev/null
exit 0
