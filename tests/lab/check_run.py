#!/usr/bin/env python3
"""Check a run of tests/guest/run.sh: `dmswap-trace run` exit statuses,
signal forwarding, --summary, and a wrapped xfstests-style script.

Usage: check_run.py KERNEL OUTPUT
"""
import json
import re
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
NEW = KERNEL in ("6.12", "latest")
c = Checker(f"run/{KERNEL}")
out = LabOutput(OUTPUT)
r = out.results

for name, want in (("true", 0), ("exit3", 3), ("notfound", 127), ("bad-option", 2),
                   ("no-command", 2), ("bad-summary", 2), ("unprivileged", 2),
                   ("first", 0), ("sigterm", 128 + 15)):
    c.check(f"{name}-exits-{want}", r.get(name) == want, f"exit {r.get(name)}")

first = json.loads("".join(out.blocks.get("first", ["{}"])))
c.check("armed-before-the-command-starts", first.get("swaps") == 1, first)
c.check("summary-has-command", first.get("command", [None])[0] == "dmsetup", first)

xfs = json.loads("".join(out.blocks.get("xfs-summary", ["{}"])))
err = "\n".join(out.blocks.get("xfs-stderr", []))
# dm-error under the writes: INV-8/9 on 6.12 and 7.x (the zone write plugs
# kept), INV-13 on 6.1 (dm-error cannot be zoned there).
want_invs = ("INV-8", "INV-9") if NEW else ("INV-13",)
c.check("xfs-style-violation-exits-1", r.get("xfs-style") == 1, r.get("xfs-style"))
c.check("xfs-style-summary-counts",
        xfs.get("violations", 0) > 0 and all(xfs["by_inv"][i] > 0 for i in want_invs)
        and xfs.get("command_status") == 0, xfs)
c.check("violation-reported-on-stderr", f"VIOLATION {want_invs[-1]}" in err, err[:500])
EVENT_ROW = re.compile(r"^\d\d:\d\d:\d\d\.\d+ \S+\s+\d+:\d+\s+\S+\s+"
                       r"(suspend|swap|resume|restrictions|revalidate|report_zones)\s")
rows = [l for l in err.splitlines() if EVENT_ROW.match(l)]
log = out.json_lines("xfs-log")
kinds = [l["kind"] for l in log]
c.check("log-level-violations-keeps-only-violations",
        log and log[0].get("event") == "armed" and kinds[-1] == "summary"
        and set(kinds[1:-1]) <= {"violation"}, kinds)
v = next((l for l in log if l["kind"] == "violation"), {})
c.check("violation-carries-its-recent-events",
        any(x["event"] == "swap" for x in v.get("recent", []))
        and all(x.get("comm") for x in v.get("recent", [])), v.get("recent"))
c.check("only-violations-on-stderr", not rows, rows[:3])
load = out.json_lines("load-summary")
load = load[0] if load else {}
c.check("loads-dm-mod-and-sees-the-first-swap", r.get("loads-dm") == 0 and load.get("swaps") == 1,
        (r.get("loads-dm"), load, out.blocks.get("load-stderr")))
kmsg = [l for l in out.blocks.get("kmsg", []) if "dmswap-trace: WARNING: INV-" in l]
c.check("error-exitcode-sets-the-violation-status", r.get("error-exitcode-42") == 42,
        r.get("error-exitcode-42"))
c.check("kmsg-has-a-warning-per-violation",
        kmsg and all(re.search(r"WARNING: INV-\d+ violated on scratch \(\d+:\d+, swap #\d+\): ", l)
                     for l in kmsg), kmsg[:3])
clean = json.loads("".join(out.blocks.get("clean-summary", ["{}"])))
kmsg_clean = [l for l in out.blocks.get("kmsg-clean", []) if "dmswap-trace: WARNING: INV-" in l]
c.check("error-exitcode-clean-exits-0", r.get("clean-style-42") == 0, r.get("clean-style-42"))
c.check("clean-style-summary-clean", clean.get("violations") == 0 and clean.get("swaps", 0) >= 5,
        clean)
c.check("kmsg-silent-without-violations", not kmsg_clean, kmsg_clean[:3])
c.check("error-exitcode-0-keeps-the-command-status", r.get("error-exitcode-0") == 0,
        r.get("error-exitcode-0"))
c.check("error-exitcode-out-of-range-exits-2", r.get("error-exitcode-256") == 2,
        r.get("error-exitcode-256"))
c.check("kill-after-kills-a-hung-command", r.get("kill-after") == 137, r.get("kill-after"))
c.check("kill-after-writes-the-summary", r.get("kill-after-summary") == 1, r)
c.check("second-signal-kills", r.get("second-signal") == 137, r.get("second-signal"))
c.check("nothing-attached-after-kills", r.get("attached-after-kills") == 0, r)
c.exit()
