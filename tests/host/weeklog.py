#!/usr/bin/env python3
"""weeklog.py DIR HOSTS CYCLES DAYS [PAD]: a synthetic fleet's logs for
"report": per host DIR/HOST.jsonl, CYCLES swap cycles spread over DAYS days
on 3 devices, a restart of the tool every day (a new armed line, swap_id
from 1 again), a device re-created once, one cycle in 50 failing and one in
200 with a violation carrying evidence, stack and fixes.  PAD adds that many
bytes of report_zones events per cycle (to reach a size: 1 GB).  Seeded:
the same arguments give the same bytes."""
import json
import random
import sys
import uuid

out, hosts, cycles, days = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
pad = int(sys.argv[5]) if len(sys.argv) > 5 else 0
T0 = 1795000000 * 10**6  # 2026-11-17T, µs
SPAN = int(days * 86400e6)
FIX = [{"commit": "9eb7109a5bfc", "title": "dm: don't change md if dm_table_set_restrictions() fails",
        "mainline": "6.16", "stable": "6.15.3"}]


def iso(us):
    import datetime
    return datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def line(f, rec):
    f.write(json.dumps(rec, separators=(",", ":")) + "\n")


for h in range(hosts):
    rnd = random.Random(h)
    host = "canary-%02d" % h
    boot = str(uuid.UUID(int=rnd.getrandbits(128)))
    offset = T0 - 3600 * 10**6 - rnd.randrange(10**9)  # wall minus mono, µs
    with open("%s/%s.jsonl" % (out, host), "w") as f:
        times = sorted(rnd.randrange(SPAN) for _ in range(cycles))
        day, swap_id, sectors = -1, 0, {}
        for n, t in enumerate(times):
            us = T0 + t
            if t // int(86400e6) != day:
                day = t // int(86400e6)
                mono = (us - 5000 - offset) * 1000
                line(f, {"kind": "event", "ts": iso(us - 5000), "mono_ns": mono, "event": "armed",
                         "dev": None, "devt": None, "kernel": "6.12.117+deb13-amd64", "host": host,
                         "boot_id": boot, "started": iso(us - 9000), "start_to_armed_ns": 4000000,
                         "hooks": {}})
                swap_id = 0
            swap_id += 1
            dev = "dev%d" % rnd.randrange(3)
            minor = int(dev[3:])
            if n == cycles // 2 and dev in sectors:
                del sectors[dev]  # removed and created again: a first table
                minor += 10
            old = sectors.get(dev, 0)
            new = rnd.choice([1048576, 2097152])
            fail = rnd.randrange(50) == 0
            mono = (us - offset) * 1000
            common = {"dev": dev, "devt": "253:%d" % minor, "swap_id": swap_id, "pid": 100 + n % 1000,
                      "tid": 100 + n % 1000, "comm": "dmsetup"}

            def ev(kind, dt_us, dur, **kw):
                rec = {"kind": "event", "ts": iso(us + dt_us), "mono_ns": mono + dt_us * 1000,
                       "event": kind}
                rec.update(common)
                rec.update({"ret": kw.pop("ret", 0), "dur_ns": dur})
                rec.update(kw)
                line(f, rec)

            ev("suspend", 300, 250000 + rnd.randrange(100000), lockfs=True, noflush=False)
            for k in range(pad // 300):
                ev("report_zones", 400 + k, 50000, sector=0, nr_zones=4294967295, map_used=True,
                   in_swap=True)
            if fail:
                ev("swap", 2000, 800000, ret=-22, errno="EINVAL", old_sectors=old, new_sectors=new,
                   num_targets=1, targets=["linear"])
            else:
                sectors[dev] = new
                ev("swap", 2000, 600000 + rnd.randrange(20000000), old_sectors=old,
                   new_sectors=new, num_targets=1, targets=["linear"])
            if rnd.randrange(200) == 0:
                v = {"kind": "violation", "ts": iso(us + 2100), "mono_ns": mono + 2100000,
                     "inv": "INV-4", "rule": 0, "message": "a failed swap changed the device",
                     "fixes": FIX}
                v.update(common)
                v.update({"evidence": {"errno": "EINVAL", "md.flags.EMULATE_ZONE_APPEND":
                                       {"before": False, "after": True}},
                          "stack": ["dm_swap_table+0x9 [dm_mod]", "do_resume+0x1f0 [dm_mod]"]})
                line(f, v)
            if not fail or rnd.randrange(2):
                ev("resume", 2500 + rnd.randrange(30000), 2000000)
        line(f, {"kind": "summary", "ts": iso(T0 + SPAN), "mono_ns": (T0 + SPAN - offset) * 1000,
                 "dev": None, "devt": None, "events": 0, "dropped": 0})
