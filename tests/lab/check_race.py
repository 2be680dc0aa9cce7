#!/usr/bin/env python3
"""Checks of tests/guest/race.sh: zone-revalidating swaps against loops of
zone reports, traced by dmswap-trace --json (records inline, lines '{').

usage: check_race.py KERNEL OUTPUT

lab-unfixed carries the pre-fix dm_blk_report_zones: reports of other tasks
use the table being revalidated, which INV-2 must report.  Every other
kernel has the fix: INV-1 and INV-2 must stay silent (and nothing else may
fire: the workload is correct).
"""
import json
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
# kernel -> {INV: why it must fire}
EXPECTED = {
    "lab-unfixed": {"INV-2": "other tasks' reports use md->zone_revalidate_map "
                             "(two separate reads, no task check)"},
}
# kernel -> {INV: why it may fire}
MAY_FIRE = {
    "lab-unfixed": {"INV-1": "a report that read zone_revalidate_map set and then "
                             "clear drops an SRCU lock it never took"},
}

c = Checker(f"race/{KERNEL}")
out = LabOutput(OUTPUT)
records = []
for line in out.text.splitlines():
    if line.startswith("{"):
        try:
            records.append(json.loads(line))
        except ValueError:
            pass
swaps = out.results.get("swaps", 0)
c.check("armed", any(r.get("event") == "armed" for r in records), out.text[-2000:])
hang = [l for l in out.text.splitlines() if l.startswith("hang ")]
# The pre-fix code may stop the loop at any swap, the first included (a hang
# that INV-1 must explain, below); fixed kernels swap throughout.
if KERNEL in EXPECTED:
    c.check("swapped", swaps >= 2 or hang, f"{swaps} swaps")
else:
    c.check("swapped", swaps >= 10, f"{swaps} swaps")
reports = sum(int(l.split()[1]) for l in out.text.splitlines()
              if l.startswith("reports ") and l.split()[1].isdigit())
c.check("reported", reports >= 20, f"{reports} zone reports")
fired = {}
for r in records:
    if r.get("kind") == "violation":
        fired.setdefault(r["inv"], []).append(r)
want = EXPECTED.get(KERNEL, {})
may = MAY_FIRE.get(KERNEL, {})
c.invariants(fired, want, may, always=("INV-1", "INV-2"))
if KERNEL not in EXPECTED:
    c.check("no-hang", not hang, hang)
    c.check("no-kernel-warnings", out.results.get("dmesg-warnings") == 0,
            [l for l in out.text.splitlines() if l.startswith("dmesg-warning")])
else:
    # A suspend that never returns is the symptom of an unbalanced SRCU read
    # section: INV-1 must have said so before it happened.
    if hang:
        c.check("hang-explained-by-INV-1", "INV-1" in fired,
                f"{hang[0]}, but INV-1 was silent")
    print(f"  {swaps} swaps, {reports} reports, {hang[0] if hang else 'no hang'}, "
          f"{len(fired.get('INV-2', []))} INV-2, {len(fired.get('INV-1', []))} INV-1")
summary = [r for r in records if r.get("kind") == "summary"]
c.check("trace-complete", summary and summary[-1].get("dropped") == 0, summary[-1:] or "no summary")
c.exit()
