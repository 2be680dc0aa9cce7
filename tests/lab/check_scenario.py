#!/usr/bin/env python3
"""The truth table: check a reproducer scenario run with --trace against
the invariants that must fire on that kernel, and nothing else.

Usage: check_scenario.py KERNEL OUTPUT SCENARIO

For every (scenario, kernel) the set of invariants reported must equal the
set derived from that kernel's code (docs/truth-table.md gives the reason
for each cell; docs/scenarios.md the measured kernel behaviour without the
tool).  An invariant that fires where it should not, or stays silent where
the kernel has the bug, fails the check.
"""
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]

# The kernels every scenario runs on (CI), and lab-fixed.
STOCK = ("6.1", "6.12", "latest", "lab-fixed")


def only_on_unfixed13(inv, reason):
    """The cells of a defect that only lab-unfixed13 carries: silent on the
    stock kernels (they have the fix) and lab-fixed."""
    return {**{k: {} for k in STOCK}, "lab-unfixed13": {inv: reason}}


# scenario -> kernel -> {INV: reason it fires}
EXPECTED = {
    "r1": {
        "6.1": {"INV-4": "lower-suspended: revalidation fails (EAGAIN) after q->limits = "
                         "*limits; limits, nr_zones and the emulation arrays are not restored"},
        "6.12": {"INV-4": "queue_limits_set() before dm_revalidate_zones(), never undone; "
                          "DMF_EMULATE_ZONE_APPEND set before the failure"},
        "latest": {"INV-4": "the limits are restored, but the failed revalidation's "
                            "disk_free_zone_resources() (blk-zoned.c:2397) cleared "
                            "zone_capacity and zones_cond of the live zoned table"},
        # lab-fixed: latest's source with scripts/lab.d/kernel/fixed/.
        "lab-fixed": {},
    },
    "r2": {
        "6.1": {"INV-8": "the grown crypt table is accepted while md->zwp_offset caches "
                         "the old zones' write pointers"},
        "6.12": {"INV-9": "crypt -> dm-error keeps zone_wplugs_hash, clears the flag",
                 "INV-8": "the identical crypt table is refused after dm-error",
                 "INV-4": "the refused swap set DMF_EMULATE_ZONE_APPEND first"},
        "latest": {"INV-9": "crypt -> dm-error keeps zone_wplugs_hash, clears the flag",
                   "INV-8": "the identical crypt table is refused after dm-error"},
        "lab-fixed": {},
    },
    "r8": {k: {"INV-8": "a same-size crypt table on another zoned device is accepted with "
                        "the old device's cached write pointers"}
           for k in STOCK},
    "r5": {
        "6.1": {"INV-13": "the lower crypt device, held open by the upper linear, becomes "
                          "non-zoned on dm-error (6.1's dm-error cannot be zoned)"},
        "6.12": {"INV-9": "the lower crypt device keeps its plugs on dm-error",
                 "INV-8": "the lower crypt table is refused after dm-error",
                 "INV-4": "the refused swap set DMF_EMULATE_ZONE_APPEND first"},
        "latest": {"INV-9": "the upper linear gets zone write plugs without emulating zone "
                            "append; the lower keeps its plugs on dm-error",
                   "INV-8": "the lower crypt table is refused after dm-error"},
        "lab-fixed": {"INV-9": "the upper linear gets zone write plugs without emulating zone "
                               "append (not a defect the series fixes)"},
    },
    "r4": {k: {} for k in STOCK},
    # Request-based queue and table checks: the stock kernels carry the
    # fixes; lab-unfixed13 is 6.12 with them reverted.
    "r11": only_on_unfixed13("INV-11", "the resume starts the queue of a device suspended "
                                       "with no table (never stopped): no DMF_QUEUE_STOPPED "
                                       "(7f597c2cdb9d reverted)"),
    "r12": only_on_unfixed13("INV-12", "a multipath table whose second path is a bio-based "
                                       "dm-linear is accepted and bound: iterate_devices() "
                                       "stops at the blk-mq first path (8ca719b81987 "
                                       "reverted)"),
    # A suspend racing with the first request-based table load (the window
    # widened on lab-unfixed13 only).
    "r11t": only_on_unfixed13("INV-11", "the suspend of a device with no table stops its "
                                        "queue while the first table load has set q->mq_ops "
                                        "and not yet q->tag_set (8d33a030c566 reverted)"),
    # A dm-snapshot handover refused at resume, after the new table is bound.
    "r10": only_on_unfixed13("INV-10", "do_resume() destroys the table it bound when "
                                       "dm_resume() fails: dm_early_create()'s error path "
                                       "before 366665416f20"),
    # fstests' dm-error swap (`error DEV 0`) under an open zoned device.
    "r13": {"6.1": {"INV-13": "6.1's dm-error ignores its device argument: the open zoned "
                              "device becomes non-zoned (a951104333bd is 6.10)"},
            "6.12": {}, "latest": {}},
    # A zoned btrfs allocating block groups during a --nolockfs suspend.
    "r14": {**{k: {"INV-3": "btrfs reads a new block group's zone with "
                            "blkdev_report_zones(): dm_blk_report_zones() fails it with "
                            "EAGAIN on the suspended device and the write gets ENOSPC"}
               for k in ("6.1", "6.12")},
            "latest": {"INV-3": "the resume thaws btrfs (unlock_fs() in __dm_resume()) before "
                                "it clears DMF_SUSPENDED; btrfs's thaw reads its superblock "
                                "location through a zone report, gets EAGAIN and turns the "
                                "file system read-only"},
            # patch 0004 thaws after clearing DMF_SUSPENDED
            "lab-fixed": {}},
    # The race of swaps against a zone report loop (INV-1..3 silent: fixed
    # or not reached); its swap mix also reaches INV-4 and INV-8.
    "r3": {
        "6.1": {"INV-4": "the lowsusp swaps fail after the limits were applied (as R1)",
                "INV-8": "conventional and zoned linear tables are accepted over the "
                         "cached write-pointer array of the crypt table"},
        "6.12": {"INV-4": "the zcap and lowsusp swaps set DMF_EMULATE_ZONE_APPEND (and "
                          "zcap the limits) before failing"},
        "latest": {"INV-4": "the zcap swaps over a live zoned table: the failed "
                            "revalidation clears zone_capacity and zones_cond (as R1)"},
        "lab-fixed": {},
    },
    "crypt-error": {
        "6.1": {"INV-8": "zoned and non-zoned linear tables are accepted over the cached "
                         "write-pointer array, without zone append emulation"},
        "6.12": {"INV-9": "crypt -> dm-error keeps zone_wplugs_hash, clears the flag",
                 "INV-8": "every table is refused after dm-error, even its own",
                 "INV-4": "the refused swap set DMF_EMULATE_ZONE_APPEND first"},
        "latest": {"INV-9": "crypt -> dm-error keeps zone_wplugs_hash, clears the flag",
                   "INV-8": "every table is refused after dm-error, even its own"},
        "lab-fixed": {},
    },
}

# scenario -> kernel -> {INV: why it may fire}
MAY_FIRE = {
    "r3": {"6.1": {"INV-3": "6.1 tests DMF_SUSPENDED before dm_get_live_table() "
                            "(dm-zone.c:62-65): a suspend that completes in between lets "
                            "the report use the table of a suspended device; a race"}},
}

c = Checker(f"truth/{SCENARIO}/{KERNEL}")
out = LabOutput(OUTPUT)
try:
    lines = out.json_lines("trace")
except ValueError as err:
    c.check("trace-is-json", False, err)
    c.exit()
violations = [l for l in lines if l.get("kind") == "violation"]
summary = lines[-1] if lines else {}
fired = {}
for v in violations:
    fired.setdefault(v["inv"], []).append(v)
want = EXPECTED[SCENARIO][KERNEL]
# Races the scenario may or may not hit: allowed to fire, not required to.
may = MAY_FIRE.get(SCENARIO, {}).get(KERNEL, {})

c.check("trace-complete", summary.get("kind") == "summary" and summary.get("dropped") == 0,
        summary)
c.invariants(fired, want, may)
if SCENARIO == "r5":
    # The upper linear's own native table, reloaded: INV-8 is about a change
    # of the frozen configuration, and there is none (INV-9 reports the
    # plugs 7.3 gives it without emulation).
    upper = [v for v in violations if v.get("inv") == "INV-8" and v.get("dev") == "r5u"]
    c.check("upper-native-reload-no-inv8", not upper, [v.get("evidence") for v in upper])
if SCENARIO == "r14":
    # The control: user space's BLKREPORTZONE on the suspended device gets
    # EAGAIN (it may retry) and INV-3 says nothing about it.
    user = [l for l in lines if l.get("event") == "report_zones" and l.get("comm") == "blkzone"]
    c.check("user-report-got-eagain", any(l.get("errno") == "EAGAIN" for l in user), user)
    c.check("user-report-silent", all(v.get("comm") != "blkzone" for v in violations),
            [v.get("comm") for v in violations])
    # Reports made while dm_suspend() ran (the blkzone loop while the slow
    # suspend waits for a write) belong to its swap cycle: it opens at entry.
    inside = []
    for s in (l for l in lines if l.get("event") == "suspend" and l.get("ret") == 0):
        t0, t1 = s["mono_ns"] - s["dur_ns"], s["mono_ns"]
        inside += [(r, s["swap_id"]) for r in lines if r.get("event") == "report_zones"
                   and t0 <= r.get("mono_ns", 0) <= t1]
    c.check("reports-inside-suspend-in-its-cycle", all(r.get("swap_id") == sid for r, sid in inside),
            [(r.get("comm"), r.get("swap_id"), sid) for r, sid in inside])
    c.check("reports-inside-suspend-seen", inside, "no zone report ran inside dm_suspend()")
# Which rule of INV-11 each scenario is about (rule 0: start, 1: stop).
INV11_RULE = {"r11": 0, "r11t": 1}
if SCENARIO in INV11_RULE and "INV-11" in want:
    rules = {v.get("rule") for v in fired.get("INV-11", [])}
    c.check("inv11-rule", rules == {INV11_RULE[SCENARIO]}, rules)
if not want and not set(fired) - set(may):
    c.check("all-silent", True)
# Stopped by SIGINT: an orderly stop exits 0, violations or not.
c.check("tracer-exit-status", out.results.get("tracer") == 0,
        f"tracer exit {out.results.get('tracer')}")
c.exit()
