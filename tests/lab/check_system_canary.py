#!/usr/bin/env python3
"""Check a run of tests/guest/system-canary.sh: the canary as deployed (the
package, systemd, journald, node_exporter, Prometheus and its alerting
rules, logrotate), against the violations it logged.

Usage: check_system_canary.py KERNEL OUTPUT
"""
import re
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
# The zoned crypt -> error -> crypt cycle breaks INV-8 (and INV-9) there.
NEW = KERNEL in ("6.12", "latest") or KERNEL.startswith("lab-")
c = Checker(f"system-canary/{KERNEL}")
out = LabOutput(OUTPUT)
r = out.results


def said(key):
    """Value of the guest's "KEY value" line."""
    m = re.search(rf"^{re.escape(key)} (.*)$", out.text, re.M)
    return m.group(1) if m else None


def ok(name, detail=""):
    c.check(name, r.get(name) == 0, detail or f"{name}: {r.get(name)}")


ok("dpkg-install")
c.check("not-started-by-the-package", r.get("active-after-install") == 0, r)
ok("prometheus-ready")
c.check("shipped-rules-loaded", "rule DmswapInvariantViolated" in out.text, said("rule"))
ok("enable")
c.check("dm_mod-absent-at-enable", r.get("dm-loaded-at-enable") == 0, r)
ok("waits-for-dm")
c.check("running-while-waiting", r.get("active-while-waiting") == 1, r)
ok("exporter-not-armed-while-waiting")
ok("armed-in-journal")
c.check("bpf-attached-when-armed", r.get("bpf-progs-armed", 0) > 0, r)

# The unit as installed, no drop-in (6.1 included: it used to need one).
c.check("no-drop-in", said("drop-ins") == "0", said("drop-ins"))
# The capabilities: while waiting for dm_mod, the unit's own (effective
# within its bounding set, CAP_BPF among them); once armed, none at all
# (permitted, effective, inheritable, ambient all 0), no new privileges.
waiting = dict(re.findall(r"^waiting (\w+):\s+(\S+)$", out.text, re.M))
c.check("caps-held-while-waiting", waiting and int(waiting["CapEff"], 16) >> 39 & 1 and
        int(waiting["CapEff"], 16) & ~int(waiting["CapBnd"], 16) == 0, waiting)
caps = dict(re.findall(r"^proc (\w+):\s+(\S+)$", out.text, re.M))
c.check("no-new-privileges", caps.get("NoNewPrivs") == "1", caps)
for s in ("CapPrm", "CapEff", "CapInh", "CapAmb"):
    c.check(f"armed-{s}-0", caps.get(s) is not None and int(caps[s], 16) == 0, caps)
journal_all = out.blocks.get("journal", [])
c.check("armed-line-says-dropped",
        any("armed:" in l and "capabilities dropped: " in l and "none held now" in l
            for l in journal_all), [l for l in journal_all if "armed:" in l][:2])

log = out.json_lines("log")
violations = [l for l in log if l.get("kind") == "violation"]
events = [l for l in log if l.get("kind") == "event"]
summaries = [l for l in log if l.get("kind") == "summary"]
sent = len(violations)
# 6.12 and 7.x: the crypt -> error -> crypt cycle (INV-8, INV-9); 6.1: R13's
# dm-error swap under an open device (INV-13), and nothing else.
invs = sorted({v.get("inv") for v in violations})
c.check("violations-logged", sent == (r.get("violations-logged") or 0) and
        (sent >= 5 if NEW else sent >= 1 and invs == ["INV-13"]),
        f"{sent} logged ({invs}), guest saw {r.get('violations-logged')}")
stacks = [f for v in violations for f in v.get("stack", [])]
c.check("stacks-symbolized", violations and any("+0x" in f and "[dm_mod]" in f for f in stacks),
        stacks[:4])
c.check("log-mode-0600", (said("log-mode") or "").startswith("600 root"), said("log-mode"))

# journald: every violation at priority err, up to the rate limit (5 per
# invariant and device), the rest counted at exit.
journal_err = out.blocks.get("journal-err", [])
shown = [l for l in journal_err if "VIOLATION" in l]
per_key = {}
for v in violations:
    per_key[(v["inv"], v["dev"])] = per_key.get((v["inv"], v["dev"]), 0) + 1
want_shown = sum(min(n, 5) for n in per_key.values())
c.check("journal-err-has-violations", len(shown) == want_shown,
        f"{len(shown)} VIOLATION lines at -p err, want {want_shown} of {sent}")
journal = out.blocks.get("journal", [])
c.check("journal-no-libbpf-noise", not any("libbpf" in l for l in journal),
        [l for l in journal if "libbpf" in l][:3])

# Metrics: the textfile (0644, valid), node_exporter, Prometheus.
ok("textfile-current")
c.check("textfile-mode-0644", (said("textfile-mode") or "").startswith("644 "), said("textfile-mode"))
ok("exporter-current")
exporter = {}
for line in out.blocks.get("exporter", []):
    name, value = line.rsplit(" ", 1)
    exporter[name] = float(value)
c.check("textfile-scrape-ok", exporter.get("node_textfile_scrape_error") == 0, exporter)
c.check("exporter-armed", exporter.get("dmswap_armed") == 1, exporter)
ok("prometheus-current")
c.check("prometheus-sum-equals-log", said("prometheus-sum") == str(sent),
        f"prometheus {said('prometheus-sum')}, log {sent}")
alerts = [l for l in out.blocks.get("alerts", []) if '"DmswapInvariantViolated"' in l and "firing" in l]
if sent:
    ok("alert-firing")
    c.check("alert-per-violated-series", len(alerts) == len(per_key), (alerts, per_key))
else:
    c.check("no-violation-alert", not alerts, alerts)

# logrotate: nothing lost across the rotation.
ok("logrotate")
ok("reopened-after-rotate")
c.check("rotated-file-kept", any(re.search(r"events\.jsonl\.1$", l) for l in out.text.splitlines()
                                 if l.startswith("logdir ")), said("logdir"))
c.check("events-after-rotate", len(events) > int(said("events-before-rotate") or 0),
        f"{len(events)} events in both files, {said('events-before-rotate')} before")
# The summary counts every record it received, violations too (by_event);
# the log has one line per event, and an armed line of its own.
summary = summaries[-1] if summaries else {}
received = sum(n for e, n in summary.get("by_event", {}).items() if e != "violation")
swap_events = [e for e in events if e.get("event") != "armed"]
c.check("events-counted-across-rotation", summary and received == len(swap_events)
        and summary.get("dropped") == 0,
        f"summary {summary}, {len(swap_events)} event lines in both files")

# Stopping and killing leave nothing attached.
ok("stop")
c.check("detached-after-stop", r.get("bpf-progs-after-stop") == 0, r)
c.check("attached-before-kill", r.get("bpf-progs-before-kill", 0) > 0, r)
ok("killed")
c.check("detached-after-kill", r.get("bpf-progs-after-kill") == 0, r)
c.exit()
