#!/usr/bin/env python3
"""Check a run of tests/guest/clean.sh: a clean, busy workload (fio zbd
writes, dm-error swapped in and out, zone reports, devices created and
removed, the tool started after devices exist) gives zero violations, and
the tool saw all of it.

Usage: check_clean.py KERNEL OUTPUT
"""
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
c = Checker(f"clean/{KERNEL}")
out = LabOutput(OUTPUT)
counts = {}
for line in out.text.splitlines():
    if line.startswith("count "):
        _, name, value = line.split()
        counts[name] = int(value)
lines = out.json_lines("trace")
events = [l for l in lines if l["kind"] == "event" and l["event"] != "armed"]
violations = [l for l in lines if l["kind"] == "violation"]
summary = lines[-1] if lines else {}

c.check("tracer-exit-0", out.results.get("tracer") == 0, out.results)
c.check("zero-violations", not violations and summary.get("violations") == 0,
        [(v["inv"], v["dev"], v["message"]) for v in violations][:5])
c.check("nothing-dropped", summary.get("dropped") == 0 and summary.get("state_full") == 0,
        summary)
c.check("workload-ran",
        counts.get("swaps", 0) > 0 and counts.get("reports", 0) > 0
        and counts.get("ios-zl", 0) > 0 and counts.get("ios-zc", 0) > 0, counts)
c.check("removed-devices-state-freed", counts.get("devices-map") == 2,
        f"{counts.get('devices-map')} devices in the BPF map after {counts.get('creates')} "
        "devices were created and removed (want 2: zl, zc)")
swaps = [l for l in events if l["event"] == "swap"]
c.check("every-swap-seen", len(swaps) == counts.get("swaps", -1) + counts.get("creates", -1),
        f"{len(swaps)} swap events, workload: {counts}")
c.check("pre-existing-devices-named",
        {"zl", "zc"} <= {l["dev"] for l in swaps}, {l["dev"] for l in swaps})
# blkzone gives up without a report while dm-error (not zoned) is live.
reports = [l for l in events if l["event"] == "report_zones" and l["comm"] == "blkzone"]
c.check("reports-seen", 0 < len(reports) <= counts.get("reports", 0),
        f"{len(reports)} report events, workload: {counts}")
print(f"  {KERNEL}: {counts.get('swaps')} swaps, {counts.get('creates')} create/remove, "
      f"{counts.get('ios-zl')}+{counts.get('ios-zc')} I/Os, {counts.get('reports')} reports, "
      f"{len(events)} events, {len(violations)} violations")
c.exit()
