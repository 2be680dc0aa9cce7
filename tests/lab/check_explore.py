#!/usr/bin/env python3
"""Checks of tests/guest/explore.sh: dmswap-trace explore, one run per failed
slab allocation inside the swap.

usage: check_explore.py KERNEL OUTPUT

On a kernel without fault injection (every stock kernel), explore must exit
9 and coverage must say why.  On a lab kernel (lab-fi, lab-unfixed, ...):
- the crypt swap: the baseline run succeeds and counts A > 0 allocations;
  runs 1..A each fail their allocation (with a call site) and the walk ends
  there; every failed run that changed the device's sysfs state (seen from
  outside the tool, before.N vs after.N) has INV-4 among its violations;
  explore's exit status is 1 exactly when some run had a violation;
- the linear swap: the same rules, whatever its allocation count (0 is a
  finding: the swap allocates nothing, so it has no failure path);
- crypt-kprobe: the crypt rules, through kprobe + bpf_override_return.
"""
import json
import re
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
LAB = KERNEL.startswith("lab-")

c = Checker(f"explore/{KERNEL}")
out = LabOutput(OUTPUT)
cov = [l for l in out.text.splitlines() if l.startswith("coverage-explore ")]
cov = cov[0] if cov else ""

if not LAB:
    c.check("coverage-says-unavailable", "unavailable: " in cov and "CONFIG_" in cov, cov)
    for case in ("crypt", "linear", "crypt-kprobe"):
        err = "\n".join(out.blocks.get(f"stderr-{case}", []))
        c.check(f"{case}/exit-9", out.results.get(f"explore-{case}") == 9,
                f"status {out.results.get(f'explore-{case}')}: {err}")
        c.check(f"{case}/says-why", "cannot fail slab allocations" in err
                and "CONFIG_FAILSLAB" in err, err)
        c.check(f"{case}/no-rows", not out.blocks.get(f"rows-{case}"))
    c.exit()

c.check("coverage-says-available", "available: fmod_ret on should_failslab" in cov, cov)

# state lines: "state CASE N before k=v ..." / "state CASE N after k=v ..."
states = {}
for line in out.text.splitlines():
    p = line.split(" ", 4)
    if len(p) >= 4 and p[0] == "state" and p[3] in ("before", "after"):
        states.setdefault(p[1], {}).setdefault(int(p[2]), {})[p[3]] = \
            p[4] if len(p) > 4 else ""

MECH = {"crypt": "fmod_ret on should_failslab", "linear": "fmod_ret on should_failslab",
        "crypt-kprobe": "kprobe + bpf_override_return on should_failslab"}
for case, need_allocs in (("crypt", True), ("linear", False), ("crypt-kprobe", True)):
    try:
        rows = out.json_lines(f"rows-{case}")
    except ValueError as err:
        c.check(f"{case}/rows-are-json", False, err)
        continue
    err = "\n".join(out.blocks.get(f"stderr-{case}", []))
    if not c.check(f"{case}/has-rows", rows and rows[0].get("run") == 0, err):
        continue
    base = rows[0]
    allocs = base.get("allocations", -1)
    c.check(f"{case}/mechanism", all(r.get("injection") == MECH[case] for r in rows),
            {r.get("injection") for r in rows})
    c.check(f"{case}/baseline-swap-succeeds",
            base.get("swap_ret") == 0 and base.get("status") == 0, base)
    if need_allocs:
        c.check(f"{case}/baseline-allocates", allocs > 0, base)
    c.check(f"{case}/one-run-per-allocation",
            [r.get("run") for r in rows] == list(range(allocs + 1)),
            f"{allocs} allocations, runs {[r.get('run') for r in rows]}")
    c.check(f"{case}/walk-ends-after-last",
            f"run {allocs + 1} made" in err and "every failure path was taken" in err, err)
    bad_site, missed, failed_runs, changed = [], [], 0, 0
    for r in rows[1:]:
        if not r.get("reached") or not r.get("site") or r["site"] in ("-", "(no stack)"):
            bad_site.append(r.get("run"))
        failed = r.get("swap_ret", 0) != 0 or r.get("status", 0) != 0
        failed_runs += failed
        st = states.get(case, {}).get(r["run"], {})
        if failed and st.get("before") != st.get("after"):
            changed += 1
            if "INV-4" not in r.get("violations", {}):
                missed.append((r["run"], r.get("site"), st))
    c.check(f"{case}/every-run-has-a-call-site", not bad_site, f"runs {bad_site}")
    unread = [n for n, st in states.get(case, {}).items()
              if not re.search(r"\bsize=\d+", st.get("before", ""))
              or not re.search(r"\bsize=\d+", st.get("after", ""))]
    c.check(f"{case}/sysfs-state-recorded",
            # The run that found no Nth allocation has no row, but ran.
            len(states.get(case, {})) == len(rows) + 1 and not unread,
            f"{len(states.get(case, {}))} states for {len(rows)} rows + 1; unreadable: {unread}")
    c.check(f"{case}/device-changes-are-INV-4", not missed,
            "\n".join(f"run {n} ({s}): INV-4 silent, sysfs {st}" for n, s, st in missed))
    if need_allocs:
        c.check(f"{case}/some-failure-fails-the-swap", failed_runs > 0,
                f"{failed_runs} of {len(rows) - 1} runs failed the swap")
    any_viol = any(r.get("violations") for r in rows)
    c.check(f"{case}/exit-status", out.results.get(f"explore-{case}") == (1 if any_viol else 0),
            f"status {out.results.get(f'explore-{case}')}, violations in rows: {any_viol}")
    print(f"  {case}: {allocs} allocations, {failed_runs} failed swaps, "
          f"{changed} changed the device's sysfs state")
c.exit()
