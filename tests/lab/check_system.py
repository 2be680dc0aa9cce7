#!/usr/bin/env python3
"""Check the Debian userland of `scripts/lab run --system`: two runs of
tests/guest/system-smoke.sh, one that exits STATUS with LAB_OUT and
LAB_FILES set, one that hangs under a short LAB_TIMEOUT.

Usage: check_system.py KERNEL OUTPUT RC STATUS OUT_DIR FILE HANG_OUTPUT HANG_RC
  OUTPUT, RC       the first run's output and lab exit status; STATUS what its
                   script was asked to exit with
  OUT_DIR          its LAB_OUT; FILE the host file it had in LAB_FILES
  HANG_OUTPUT, HANG_RC   the same for the hanging run
"""
import hashlib
import os
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT, RC, STATUS, OUT_DIR, FILE, HANG_OUTPUT, HANG_RC = sys.argv[1:9]
TIMEOUT_RC = 124
c = Checker(f"system/{KERNEL}")
out = LabOutput(OUTPUT)
r = out.results
facts = {}
for line in out.text.splitlines():
    key, _, value = line.partition(" ")
    if key in ("pid1", "uname", "state", "out-token", "modules-mount", "metric"):
        facts.setdefault(key, value)
    elif key == "env":
        name, _, value = value.partition(" ")
        facts[f"env {name}"] = value

c.check("exit-status-propagates", RC == STATUS, f"lab exit {RC}, script exit {STATUS}")
c.check("pid1-is-systemd", facts.get("pid1") == "systemd", facts.get("pid1"))
failed_units = out.blocks.get("failed-units", [])
state = facts.get("state")
if failed_units:
    print("  failed units: " + "; ".join(failed_units))
c.check("system-running-or-degraded", state in ("running", "degraded"), f"state {state}")
c.check("journald", r.get("journal") == 0, r.get("journal"))
c.check("env-root-in-lab", facts.get("env uid") == "0" and facts.get("env cwd") == "/lab",
        facts)
c.check("env-path-has-lab-bin", "/lab/bin" in facts.get("env path", "").split(":")
        and facts.get("env dmswap-trace") == "/lab/bin/dmswap-trace"
        and r.get("dmswap-trace-runs") == 0, facts)
c.check("env-lab-vars", facts.get("env LAB_KERNEL") == KERNEL
        and facts.get("env LAB_GUEST") == "/lab/guest", facts)
c.check("udev-not-disabled", facts.get("env DM_DISABLE_UDEV") == "unset", facts)
c.check("modules-tree-mounted", " ext4 " in f" {facts.get('modules-mount', '')} "
        and "ro" in facts.get("modules-mount", "").split()[-1].split(","),
        facts.get("modules-mount"))
for name in ("modprobe-dm_mod", "modprobe-dm_zero", "dm-create", "dm-mapper-link",
             "dm-udev-by-id", "dm-remove", "node-exporter", "prometheus-ready"):
    c.check(name, r.get(name) == 0, f"status {r.get(name)}")
c.check("node-exporter-sees-this-kernel",
        f'release="{facts.get("uname")}"' in facts.get("metric", ""), facts.get("metric"))

with open(FILE, "rb") as f:
    want = hashlib.sha256(f.read()).hexdigest()
files = out.blocks.get("files", [])
c.check("lab-files", f"{want}  {os.path.basename(FILE)}" in files, files)

token_file = os.path.join(OUT_DIR, "system-smoke.txt")
got = open(token_file).read().strip() if os.path.isfile(token_file) else None
c.check("lab-out", got is not None and got == facts.get("out-token"),
        f"{token_file}: {got!r}, guest wrote {facts.get('out-token')!r}")

hang = open(HANG_OUTPUT, encoding="utf-8", errors="replace").read()
c.check("timeout-exits-124", HANG_RC == str(TIMEOUT_RC) and "lab: timeout" in hang,
        f"lab exit {HANG_RC}")
# Killed while the script ran, not while the system booted.
c.check("timeout-hit-the-script", "system-smoke: hanging" in hang, hang[-500:])
c.exit()
