#!/usr/bin/env python3
"""Check a run of tests/guest/timeline.sh: the tracer's events, in order,
with their results, per device, for the kernel the run booted.

Usage: check_timeline.py KERNEL OUTPUT [kprobe]

What differs per kernel, and why (docs/kernel-facts.md):
- 6.1 revalidates zones straight through dm_blk_do_report_zones, so no
  report_zones event happens inside its swaps; 6.12 and 7.x go through
  blk_revalidate_disk_zones -> dm_blk_report_zones (in_swap).
- 6.1's "revalidate" is dm_set_zones_restrictions (dm_revalidate_zones is
  inlined there); it does not run for a table that is not zoned (dm-error).
- 6.12 and 7.x keep zone write plugs after a swap to dm-error, and refuse
  the crypt table afterwards (dm_table_set_restrictions: -EINVAL); 6.1 goes
  back.  `dmsetup remove --force` then fails to load its error table there.
"""
import sys

from tracelog import Checker, LabOutput

LABEL, OUTPUT = sys.argv[1], sys.argv[2]
# The lab kernels (lab-fi, lab-unfixed) are built from Debian's 6.12 sources.
KERNEL = "6.12" if LABEL.startswith("lab-") else LABEL
KPROBE = len(sys.argv) > 3 and sys.argv[3] == "kprobe"
NEW = KERNEL in ("6.12", "latest")  # zone write plugs, revalidation via the block layer
CRYPT_KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

c = Checker(f"timeline/{LABEL}{'/kprobe' if KPROBE else ''}")
out = LabOutput(OUTPUT)


def ev(event, ret=0, when=True, **fields):
    """An expected event; `when` False drops it for this kernel."""
    return dict(event=event, ret=ret, when=when, fields=fields)


def zoned(sectors, za, nr):
    return {"sectors": sectors, "zoned": "host-managed", "zone_append": za, "nr_zones": nr}


def in_swap_report(when=NEW):
    return ev("report_zones", ret=">0", when=when, in_swap=True, map_used=True)


GiB = 2097152
LINEAR = [
    # dmsetup create: the table load sets up the queue (no swap cycle yet).
    ev("restrictions", swap_id=None),
    ev("suspend"), in_swap_report(), ev("revalidate", nr_zones=8), ev("restrictions"),
    ev("swap", old_sectors=0, new_sectors=GiB // 2, targets=["linear"],
       after=zoned(GiB // 2, "native", 8)),
    ev("resume"),
    ev("report_zones", ret=">0", swap_id=None, in_swap=False, map_used=True, comm="blkzone"),
    # suspend, report (EAGAIN: no table used), grow, resume
    ev("suspend"),
    ev("report_zones", ret=-11, errno="EAGAIN", map_used=False, comm="blkzone"),
    in_swap_report(), ev("revalidate", nr_zones=16), ev("restrictions"),
    ev("swap", old_sectors=GiB // 2, new_sectors=GiB, after=zoned(GiB, "native", 16)),
    ev("resume"),
    # misaligned: refused in dm_swap_table before the bind, old table stays
    ev("suspend"),
    ev("swap", ret=-22, errno="EINVAL", new_sectors=1000, after=zoned(GiB, "native", 16)),
    ev("resume"),
]

CRYPT = [
    ev("restrictions", swap_id=None),
    ev("suspend"), in_swap_report(), ev("revalidate", nr_zones=16), ev("restrictions"),
    ev("swap", old_sectors=0, new_sectors=GiB, targets=["crypt"],
       after=zoned(GiB, "emulated", 16)),
    ev("resume"),
    ev("report_zones", ret=">0", swap_id=None, comm="blkzone"),
    # to dm-error: allowed everywhere, the device is no longer zoned
    ev("suspend"), ev("restrictions"),
    ev("swap", targets=["error"],
       after={"sectors": GiB, "zoned": "none", "nr_zones": 0 if NEW else 16}),
    ev("resume"),
    # back to the identical crypt table
    ev("suspend"),
    ev("revalidate", nr_zones=16, when=not NEW), ev("restrictions", when=not NEW),
    ev("swap", targets=["crypt"], when=not NEW, after=zoned(GiB, "emulated", 16)),
    ev("resume", when=not NEW),
    ev("restrictions", ret=-22, when=NEW),
    ev("swap", ret=-22, targets=["crypt"], when=NEW, after={"zoned": "none"}),
    # dmsetup remove --force: loads an error table and resumes
    ev("suspend", when=not NEW), ev("restrictions", ret=-22 if NEW else 0),
    ev("swap", ret=-22 if NEW else 0, targets=["error"]),
    ev("resume", when=not NEW),
]


def matches(got, want):
    """None if `got` is the expected event, else why not."""
    if got.get("event") != want["event"]:
        return f"event {got.get('event')} != {want['event']}"
    ret = got.get("ret")
    if want["ret"] == ">0":
        if not isinstance(ret, int) or ret <= 0:
            return f"ret {ret} not > 0"
    elif ret != want["ret"]:
        return f"ret {ret} != {want['ret']}"
    for key, val in want["fields"].items():
        have = got.get(key)
        if isinstance(val, dict):
            for sub, subval in val.items():
                if not isinstance(have, dict) or have.get(sub) != subval:
                    return f"{key}.{sub} = {have.get(sub) if isinstance(have, dict) else have} != {subval}"
        elif have != val:
            return f"{key} = {have!r} != {val!r}"
    return None


def check_device(name, lines, expected):
    want = [e for e in expected if e["when"]]
    got = [l for l in lines if l.get("dev") == name]
    problems = []
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g is None or w is None:
            problems.append(f"#{i}: got {g and g.get('event')}, want {w and w['event']}")
            break
        why = matches(g, w)
        if why:
            problems.append(f"#{i} ({w['event']}): {why}")
            break
    summary = "\n".join(f"  {l.get('swap_id')} {l.get('event')} {l.get('ret')}" for l in got)
    c.check(f"{name}-events-in-order", not problems, "\n".join(problems) + "\ngot:\n" + summary)

    # Swap cycles: one id from suspend to resume, new ids increase.
    ids, ok, last = [], True, 0
    for l in got:
        sid = l.get("swap_id")
        if l["event"] == "suspend":
            ok &= sid is not None and sid > last
            last = sid or last
        elif l["event"] in ("swap", "resume", "revalidate"):
            ok &= sid == last
    c.check(f"{name}-swap-ids", ok, [l.get("swap_id") for l in got])
    mono = [l["mono_ns"] for l in got]
    c.check(f"{name}-monotonic", mono == sorted(mono))


expected_results = {
    "create-linear": 0, "report-live": 0, "suspend": 0, "load": 0, "resume-grow": 0,
    "load-misaligned": 0, "resume-recover": 0, "create-crypt": 0, "report-crypt": 0,
    "load-error": 0, "resume-error": 0, "load-crypt-again": 0,
    "resume-crypt-again": 1 if NEW else 0, "remove-lin": 0,
    # stopped by SIGINT: an orderly stop, 0 even with violations (below)
    "tracer": 0,
}
bad = {k: out.results.get(k) for k, v in expected_results.items() if out.results.get(k) != v}
if out.results.get("report-suspended") == 0:
    bad["report-suspended"] = 0
if out.results.get("resume-misaligned") == 0:
    bad["resume-misaligned"] = 0
c.check("workload-results", not bad, f"unexpected: {bad}")

try:
    lines = out.json_lines("trace")
except ValueError as err:
    c.check("json-valid", False, err)
    c.exit()
c.check("json-valid", bool(lines), "no trace")
c.check("every-line-has-common-keys",
        all({"kind", "ts", "mono_ns", "dev", "devt"} <= l.keys() for l in lines))
c.check("events-have-event-and-ret",
        all("event" in l and ("ret" in l or l["event"] == "armed")
            for l in lines if l["kind"] == "event"))

armed = lines[0] if lines else {}
c.check("armed-first", armed.get("event") == "armed", armed)
hooks = armed.get("hooks", {})
entry = "kprobe" if KPROBE else "fentry"
want_hooks = {
    "dm_suspend": (entry, "dm_suspend"),
    "dm_swap_table": (entry, "dm_swap_table"),
    "__bind": ("observed", "dm_swap_table"),
    "dm_table_set_restrictions": (entry, "dm_table_set_restrictions"),
    "dm_revalidate_zones": (entry, "dm_revalidate_zones" if NEW else "dm_set_zones_restrictions"),
    "dm_resume": (entry, "dm_resume"),
    "dm_blk_report_zones": (entry, "dm_blk_report_zones"),
    "dm_get_live_table": (entry, "dm_get_live_table"),
    "dm_put_live_table": (entry, "dm_put_live_table"),
    "dm_destroy": (entry, "dm_destroy"),
    "dm_destroy_immediate": (entry, "dm_destroy_immediate"),
    # INV-10, INV-11
    "dm_table_destroy": (entry, "dm_table_destroy"),
    "dm_start_queue": (entry, "dm_start_queue"),
    "dm_stop_queue": (entry, "dm_stop_queue"),
    # INV-3 rule 2: user space's zone reports (vmlinux)
    "blkdev_report_zones_ioctl": (entry, "blkdev_report_zones_ioctl"),
    # an .isra.0 clone before 7.x: kprobe, whatever the policy
    "dm_blk_do_report_zones": ("kprobe", "dm_blk_do_report_zones.isra.0")
    if KERNEL != "latest" else (entry, "dm_blk_do_report_zones"),
}
got_hooks = {k: (v.get("mechanism"), v.get("target")) for k, v in hooks.items()}
c.check("hook-mechanisms", got_hooks == want_hooks, f"got {got_hooks}\nwant {want_hooks}")

events = [l for l in lines if l["kind"] == "event" and l["event"] != "armed"]
violations = [l for l in lines if l["kind"] == "violation"]
check_device("lin", events, LINEAR)
check_device("cr", events, CRYPT)

# The violations this workload provokes, derived from each kernel's code
# (docs/truth-table.md): the swap to dm-error keeps the zone write plugs but
# clears DMF_EMULATE_ZONE_APPEND (INV-9, 6.12 and 7.x); the crypt table is
# then refused (INV-8 rule 2), and 6.12 has already set the flag again when
# it fails (INV-4: dm_set_zones_restrictions sets it before its checks; 7.x
# sets it only after success).  6.1 goes back cleanly: nothing fires.
# dm-error itself is refused at the end (6.12, 7.x): INV-8 rule 3.
def swap_of(dev, target, ret):
    for l in events:
        if l["event"] == "swap" and l["dev"] == dev and l.get("targets") == [target] \
                and l["ret"] == ret:
            return l["swap_id"]
    return "missing"


want = []
if NEW:
    want.append(("INV-9", 0, "cr", swap_of("cr", "error", 0)))
    if KERNEL == "6.12":
        want.append(("INV-4", 0, "cr", swap_of("cr", "crypt", -22)))
    want.append(("INV-8", 2, "cr", swap_of("cr", "crypt", -22)))
    # `dmsetup remove --force` then loads an error table: refused as well
    # (INV-8 rule 3: dm-error must stay swappable).
    want.append(("INV-8", 3, "cr", swap_of("cr", "error", -22)))
got = [(v.get("inv"), v.get("rule"), v.get("dev"), v.get("swap_id")) for v in violations]
c.check("violations-as-derived", got == want, f"got {got}\nwant {want}")
keys = {"kind", "ts", "mono_ns", "inv", "rule", "message", "dev", "devt", "swap_id", "pid",
        "comm", "evidence", "stack"}
c.check("violation-records-complete",
        all(keys <= v.keys() and v["evidence"] and any("[dm_mod]" in f for f in v["stack"])
            for v in violations), violations[:1])
inv4 = [v for v in violations if v["inv"] == "INV-4"]
c.check("inv4-evidence-names-the-flag",
        all(v["evidence"].get("md.flags.EMULATE_ZONE_APPEND") == {"before": "false", "after": "true"}
            and v["evidence"].get("errno") == "EINVAL" for v in inv4), inv4)

summary = lines[-1] if lines else {}
c.check("summary-last", summary.get("kind") == "summary", summary)
c.check("summary-counts",
        summary.get("events") == len(events) + len(violations)
        and summary.get("violations") == len(violations) and summary.get("dropped") == 0,
        summary)
c.check("no-key-material", CRYPT_KEY not in out.text and CRYPT_KEY[:16] not in
        "\n".join(out.blocks.get("trace", [])))
c.exit()
