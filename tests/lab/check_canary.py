#!/usr/bin/env python3
"""Check a run of tests/guest/canary.sh: the service mode's metrics file,
journald severity prefixes, rate limiting and SIGTERM.

Usage: check_canary.py KERNEL OUTPUT
"""
import re
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
NEW = KERNEL in ("6.12", "latest")
c = Checker(f"canary/{KERNEL}")
out = LabOutput(OUTPUT)
r = out.results


def metrics(block):
    vals = {}
    for line in out.blocks.get(block, []):
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            vals[name] = float(value)
    return vals


running, final = metrics("metrics-running"), metrics("metrics-final")
c.check("sigterm-exits-0", r.get("sigterm-rc") == 0, r)
c.check("metrics-written-atomically", r.get("tmp-files") == 0 and running, r)
c.check("armed-gauge", running.get("dmswap_armed") == 1 and final.get("dmswap_armed") == 0,
        (running.get("dmswap_armed"), final.get("dmswap_armed")))
c.check("swap-counters",
        final.get('dmswap_swaps_total{dev="c",result="ok"}') == 1
        and final.get('dmswap_swaps_total{dev="c",result="error"}') == 1,
        {k: v for k, v in final.items() if k.startswith("dmswap_swaps_total")})
c.check("swap-histogram",
        final.get('dmswap_swap_duration_seconds_bucket{le="+Inf"}')
        == final.get("dmswap_swap_duration_seconds_count") > 0
        and final.get("dmswap_suspend_duration_seconds_count", 0) >= 6, final)
c.check("info-and-drops",
        final.get("dmswap_events_dropped_total") == 0
        and any(k.startswith("dmswap_kernel_info{release=") for k in final)
        and any(k.startswith("dmswap_build_info{version=") for k in final), final)
inv8 = final.get('dmswap_violations_total{inv="INV-8",dev="z"}', 0)
c.check("violation-counter", inv8 == (5 if NEW else 0),
        {k: v for k, v in final.items() if "violations" in k})

stdout = out.blocks.get("stdout", [])
stderr = out.blocks.get("stderr", [])
c.check("events-have-info-severity",
        stdout and all(re.match(r"<[356]>", l) for l in stdout if l.strip()),
        [l for l in stdout if not re.match(r"<[356]>", l)][:3])
c.check("armed-and-summary-notice",
        any(l.startswith("<5>dmswap-trace: armed") for l in stderr)
        and any(l.startswith("<5>dmswap-trace: summary") for l in stderr), stderr)
shown = [l for l in stdout if l.startswith("<3>") and "VIOLATION INV-8" in l]
log = out.json_lines("log")
logged = [l for l in log if l.get("inv") == "INV-8"]
if NEW:
    c.check("rate-limited-on-the-terminal", len(shown) == 2, len(shown))
    c.check("rest-counted-in-summary",
            any("INV-8 on z: 3 more violations not shown" in l for l in stderr), stderr)
    c.check("log-keeps-every-violation", len(logged) == 5, len(logged))
else:
    c.check("no-violations", not shown and not logged, (shown, logged))
c.exit()
