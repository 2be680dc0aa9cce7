#!/usr/bin/env python3
"""The results of `make bench`: guest output -> JSON -> markdown.

    bench/report.py parse LOG -o OUT.json     "@bench {...}" lines of one boot
    bench/report.py markdown OUT.json...      the tables, one section a kernel

Ratios are taken per round (the arms of a round ran back to back in the same
boot): on/off and peer/off; their min, median and max are reported, with the
median of the absolute rates of each arm.
"""
import argparse
import json
import statistics
import sys

IO_WORKLOADS = ("zbd-linear", "zbd-crypt", "randread")
WORKLOADS = IO_WORKLOADS + ("swap",)
TARGETS = {
    "io_ratio": 0.99,  # median on/off on the I/O path, default mode
    "swap_ratio": 0.95,  # median on/off of suspend/load/resume cycles
    "armed_ms": 300.0,  # exec to armed
    "rss_mib": 16.0,  # loader RSS
}
UNITS = {"zbd-linear": "IOPS", "zbd-crypt": "IOPS", "randread": "IOPS", "swap": "cycles/s"}
LABELS = {
    "zbd-linear": "4k zbd write, dm-linear (3 jobs)",
    "zbd-crypt": "4k zbd write, dm-crypt (3 jobs)",
    "randread": "4k rand read, dm-linear conv. (2 jobs, QD16)",
    "swap": "suspend/load/resume",
}


def spread(values):
    """min, median, max of the values that exist, or None."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"min": min(vals), "median": statistics.median(vals), "max": max(vals), "n": len(vals)}


def parse(lines):
    """The records of one boot into the summary that is saved as JSON."""
    recs = []
    for line in lines:
        line = line.strip().replace("\r", "")
        at = line.find("@bench ")
        if at < 0:
            continue
        recs.append(json.loads(line[at + len("@bench "):]))
    config = next((r for r in recs if r["kind"] == "config"), {})
    done = any(r["kind"] == "done" for r in recs)

    rates = {}  # workload -> arm -> round -> value
    for r in recs:
        if r["kind"] == "rate":
            rates.setdefault(r["workload"], {}).setdefault(r["arm"], {})[r["round"]] = r["value"]

    workloads = {}
    for w in WORKLOADS:
        per_arm = rates.get(w, {})
        off = per_arm.get("off", {})
        entry = {"unit": UNITS[w], "label": LABELS[w], "rounds": {}}
        for arm in ("off", "on", "peer"):
            if arm in per_arm:
                entry["rounds"][arm] = [per_arm[arm].get(k) for k in sorted(per_arm[arm])]
                entry[arm] = spread(per_arm[arm].values())
        for arm in ("on", "peer"):
            cpu = [r["cpu_ms"] for r in recs
                   if r["kind"] == "tracer_cpu" and r["arm"] == arm and r["workload"] == w]
            if cpu:
                entry[arm + "_cpu_ms"] = spread(cpu)
        for arm in ("off", "on", "peer"):
            # The guest's CPU time during each measurement, by kind (ticks).
            g = [r for r in recs if r["kind"] == "guest_cpu" and r["arm"] == arm and r["workload"] == w]
            if g:
                entry[arm + "_guest_cpu"] = {k: spread([r[k] for r in g]) for k in ("user", "system", "irq", "idle")}
            ratios = []
            for rnd, v in sorted(per_arm.get(arm, {}).items()):
                base = off.get(rnd)
                ratios.append(v / base if v is not None and base else None)
            if ratios:
                entry[arm + "_ratios"] = ratios
                entry[arm + "_ratio"] = spread(ratios)
        workloads[w] = entry

    startups = [r for r in recs if r["kind"] == "startup"]
    startup = {}
    if startups:
        def col(f):
            return spread([f(r) for r in startups])

        def phase(name):
            return lambda r: (r.get("phases_ns") or {}).get(name, 0) / 1e6 if r.get("phases_ns") else None

        startup = {
            "runs": len(startups),
            "start_to_armed_ms": col(lambda r: r["start_to_armed_ns"] / 1e6 if r.get("start_to_armed_ns") else None),
            "exec_to_armed_ms": col(lambda r: r["exec_to_armed_us"] / 1e3),
            "resolve_ms": col(phase("resolve")),
            "load_ms": col(phase("load")),
            "attach_ms": col(phase("attach")),
            "rss_mib": col(lambda r: r["rss_kb"] / 1024),
            "hwm_mib": col(lambda r: r["hwm_kb"] / 1024),
            "map_memlock_mib": col(lambda r: r["map_memlock"] / 1048576),
            "prog_memlock_kib": col(lambda r: r["prog_memlock"] / 1024),
            "prog_xlated_kib": col(lambda r: r["prog_xlated"] / 1024),
            "prog_jited_kib": col(lambda r: r["prog_jited"] / 1024),
            "progs": col(lambda r: r["progs"]),
            "maps": col(lambda r: r["maps"]),
        }
    # Start-ups during the rounds (default mode), as seen from the shell.
    for arm in ("on", "peer"):
        starts = [r for r in recs if r["kind"] == "start" and r["arm"] == arm]
        if starts:
            startup[arm + "_round_exec_to_armed_ms"] = spread([r["exec_to_armed_us"] / 1e3 for r in starts])
            startup[arm + "_round_rss_mib"] = spread([r["rss_kb"] / 1024 if r.get("rss_kb") else None for r in starts])
    ends = [r["rss_kb_end"] / 1024 for r in recs
            if r["kind"] == "tool_rss" or (r["kind"] == "tracer_cpu" and r["arm"] == "on")]
    if ends:
        startup["on_rss_end_mib"] = spread(ends)
    peer = next((r for r in recs if r["kind"] == "peer_startup"), None)
    if peer:
        startup["peer"] = {
            "exec_to_armed_ms": peer["exec_to_armed_us"] / 1e3 if peer.get("exec_to_armed_us") else None,
            "rss_mib": peer["rss_kb"] / 1024,
            "hwm_mib": peer["hwm_kb"] / 1024,
            "map_memlock_mib": peer["map_memlock"] / 1048576,
            "prog_memlock_kib": peer["prog_memlock"] / 1024,
        }

    # Per-program run time under bpf_stats, per arm and workload.
    windows = {(r["arm"], r["workload"]): r for r in recs if r["kind"] == "stats_window"}
    hooks = {}
    for r in recs:
        if r["kind"] != "prog_stats" or not r["run_cnt"]:
            continue
        win = windows.get((r["arm"], r["workload"]), {})
        wall_ns = win.get("wall_us", 0) * 1000
        hooks.setdefault(r["arm"], {}).setdefault(r["workload"], []).append({
            "prog": r["prog"],
            "run_cnt": r["run_cnt"],
            "run_time_ns": r["run_time_ns"],
            "ns_per_run": r["run_time_ns"] / r["run_cnt"],
            "cpu_share": r["run_time_ns"] / wall_ns if wall_ns else None,
        })
    for per_w in hooks.values():
        for lst in per_w.values():
            lst.sort(key=lambda h: -h["run_time_ns"])

    return {
        "kernel": config.get("kernel"),
        "label": config.get("label"),
        "config": config,
        "complete": done,
        "workloads": workloads,
        "startup": startup,
        "hooks": hooks,
        "targets": targets(workloads, startup),
    }


def targets(workloads, startup):
    """Each target: the measured median and whether it is met."""
    out = {}
    for w in WORKLOADS:
        r = workloads.get(w, {}).get("on_ratio")
        limit = TARGETS["swap_ratio"] if w == "swap" else TARGETS["io_ratio"]
        out[w] = {"target": limit, "median": r["median"] if r else None,
                  "met": bool(r) and r["median"] >= limit}
    armed = startup.get("exec_to_armed_ms")
    out["armed"] = {"target": TARGETS["armed_ms"], "median": armed["median"] if armed else None,
                    "met": bool(armed) and armed["median"] < TARGETS["armed_ms"]}
    rss = startup.get("hwm_mib") or startup.get("rss_mib")
    out["rss"] = {"target": TARGETS["rss_mib"], "median": rss["median"] if rss else None,
                  "met": bool(rss) and rss["median"] < TARGETS["rss_mib"]}
    return out


def fmt(v, digits=3):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def rate(v):
    return "–" if v is None else f"{v:,.0f}" if v >= 100 else f"{v:.2f}"


def ratio_cell(s):
    if not s:
        return "–"
    return f"{s['min']:.3f} / **{s['median']:.3f}** / {s['max']:.3f}"


def met(t):
    return "met" if t["met"] else "**missed**"


def markdown(results, title=None):
    lines = []
    if title:
        lines += [f"## {title}", ""]
    for res in results:
        cfg = res.get("config", {})
        lines.append(f"### {res.get('kernel')} ({res.get('label')})")
        lines.append("")
        lines.append(
            f"{cfg.get('rounds')} rounds in one boot, per workload the arms alternated (off, on, peer / "
            f"peer, on, off), the tracer started before and stopped after each measurement, "
            f"fio {cfg.get('runtime_s')} s + {cfg.get('ramp_s')} s ramp per measurement, swaps "
            f"{cfg.get('swap_s')} s, {cfg.get('settle_s', 0)} s settling after each start; "
            f"{cfg.get('cpus')} vCPUs (QEMU TCG); dmswap-trace "
            f"{cfg.get('tool', '?')}; peer: {cfg.get('bpftrace') or 'none'}"
            + ("" if res.get("complete") else " — **incomplete run**"))
        lines.append("")
        if not any(e.get("off") for e in res["workloads"].values()):
            lines.append("(start-up only: no workload rounds)")
        lines.append("| workload | off (median) | on (median) | on/off min / **median** / max | "
                     "peer (median) | peer/off min / **median** / max | target (on/off median) | "
                     "tracer CPU ms, on / peer |")
        lines.append("|---|---:|---:|---|---:|---|---|---|")
        for w in WORKLOADS:
            e = res["workloads"].get(w)
            if not e:
                continue
            t = res["targets"][w]
            med = lambda arm: rate(e[arm]["median"]) if e.get(arm) else "–"
            cpu = lambda key: f"{e[key]['median']:.0f}" if e.get(key) else "–"
            lines.append(
                f"| {e['label']} ({e['unit']}) | {med('off')} | {med('on')} | {ratio_cell(e.get('on_ratio'))} | "
                f"{med('peer')} | {ratio_cell(e.get('peer_ratio'))} | ≥ {t['target']:.2f}: {met(t)} | "
                f"{cpu('on_cpu_ms')} / {cpu('peer_cpu_ms')} |")
        lines.append("")
        s = res.get("startup", {})
        if s:
            lines.append("| start-up (dmswap-trace) | min | median | max | target |")
            lines.append("|---|---:|---:|---:|---|")
            rows = [
                ("exec → armed, ms (seen by the shell)", "exec_to_armed_ms", f"< {TARGETS['armed_ms']:.0f}: {met(res['targets']['armed'])}"),
                ("main() → armed, ms (tool's own clock)", "start_to_armed_ms", ""),
                ("  resolve, ms", "resolve_ms", ""),
                ("  open + load, ms", "load_ms", ""),
                ("  attach, ms", "attach_ms", ""),
                ("RSS after arming, MiB", "rss_mib", ""),
                ("peak RSS (VmHWM), MiB", "hwm_mib", f"< {TARGETS['rss_mib']:.0f}: {met(res['targets']['rss'])}"),
                ("BPF maps, memlock MiB", "map_memlock_mib", ""),
                ("BPF programs, memlock KiB", "prog_memlock_kib", ""),
                ("BPF programs, xlated KiB", "prog_xlated_kib", ""),
                ("BPF programs, JITed KiB", "prog_jited_kib", ""),
                ("programs / maps loaded", None, ""),
                ("exec → armed in the rounds (default mode), ms", "on_round_exec_to_armed_ms", ""),
                ("RSS at the end of a round, MiB", "on_rss_end_mib", ""),
            ]
            for name, key, tgt in rows:
                if key is None:
                    p, m = s.get("progs"), s.get("maps")
                    if p and m:
                        lines.append(f"| {name} | | {p['median']:.0f} / {m['median']:.0f} | | |")
                    continue
                v = s.get(key)
                if not v:
                    continue
                lines.append(f"| {name} | {fmt(v['min'], 1)} | {fmt(v['median'], 1)} | {fmt(v['max'], 1)} | {tgt} |")
            p = s.get("peer")
            if p:
                lines.append("")
                lines.append(
                    f"Peer (bpftrace) start-up: exec → armed {fmt(p['exec_to_armed_ms'], 0)} ms, RSS "
                    f"{fmt(p['rss_mib'], 1)} MiB (peak {fmt(p['hwm_mib'], 1)} MiB), maps "
                    f"{fmt(p['map_memlock_mib'], 2)} MiB, programs {fmt(p['prog_memlock_kib'], 0)} KiB memlock.")
            lines.append("")
        hooks = res.get("hooks", {})
        if hooks:
            lines.append("Per-program cost (kernel.bpf_stats_enabled=1, one pass per workload; "
                         "CPU share = run time / wall time):")
            lines.append("")
            lines.append("| arm | workload | program | runs | ns/run | CPU share |")
            lines.append("|---|---|---|---:|---:|---:|")
            for arm in ("on", "peer"):
                for w in WORKLOADS:
                    for h in hooks.get(arm, {}).get(w, [])[:4]:
                        share = f"{h['cpu_share'] * 100:.2f} %" if h.get("cpu_share") is not None else "–"
                        lines.append(f"| {arm} | {w} | {h['prog']} | {h['run_cnt']:,} | "
                                     f"{h['ns_per_run']:,.0f} | {share} |")
            lines.append("")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse")
    p.add_argument("log")
    p.add_argument("-o", "--output")
    m = sub.add_parser("markdown")
    m.add_argument("json", nargs="+")
    m.add_argument("--title")
    args = ap.parse_args()
    if args.cmd == "parse":
        with open(args.log, encoding="utf-8", errors="replace") as f:
            res = parse(f)
        text = json.dumps(res, indent=1, sort_keys=True) + "\n"
        if args.output:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        if not any(e.get("off") for e in res["workloads"].values()) and not res["startup"].get("runs"):
            print(f"bench: no measurements in {args.log}", file=sys.stderr)
            return 1
        return 0
    results = []
    for path in args.json:
        with open(path, encoding="utf-8") as f:
            results.append(json.load(f))
    sys.stdout.write(markdown(results, args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
