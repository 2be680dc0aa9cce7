#!/usr/bin/env python3
"""The table of a suite run (scripts/suite): per test, the suite's result,
the table swaps (first binds and reloads of a live table) and the violations
the tool attributed to it.

Attribution is by time: a test owns what happened between its start and its
end, as the suite recorded them in its results directory; what falls
outside every test (the devices' set-up, the harness between tests) is on a
row of its own.

Usage: table.py blktests|fstests OUT   (OUT: the guest's /lab/out, copied back)
Exit status: 0 when every test passed or was not run and nothing was
violated, 1 otherwise.
"""
import datetime
import json
import os
import sys

OUTSIDE = "(outside any test)"


def epoch(ts):
    """Seconds since the epoch of an ISO timestamp (UTC, 'Z' or naive)."""
    ts = ts.rstrip("Z")
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "T" in ts else "%Y-%m-%d %H:%M:%S"
    return datetime.datetime.strptime(ts, fmt).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def read_kv(path):
    kv = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            kv[key] = value
    return kv


def blktests_rows(out):
    """blktests: results/DEVICE/GROUP/NUM, a key<TAB>value file written when
    the test ends (its mtime, in the guest's /lab/out/times) with the start
    as "date" (UTC, to the second)."""
    ends = {}
    times = os.path.join(out, "times")
    if os.path.exists(times):
        with open(times, encoding="utf-8") as f:
            for line in f:
                mtime, _, path = line.rstrip("\n").partition(" ")
                ends[path] = float(mtime)
    rows = []
    base = os.path.join(out, "results")
    for dev in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        for group in sorted(os.listdir(os.path.join(base, dev))):
            gdir = os.path.join(base, dev, group)
            for num in sorted(os.listdir(gdir)):
                if "." in num:
                    continue
                rel = f"{dev}/{group}/{num}"
                kv = read_kv(os.path.join(gdir, num))
                status = kv.get("status", "?")
                if kv.get("reason"):
                    status += f" ({kv['reason']})"
                start = epoch(kv["date"]) if "date" in kv else None
                end = ends.get(rel)
                rows.append({"test": f"{group}/{num}", "dev": dev, "result": status,
                             "start": start, "end": end})
    return rows


def fstests_rows(out):
    """fstests: the guest's loop records each test's start and end
    (times.tsv: config, test, start, end, status)."""
    rows = []
    path = os.path.join(out, "times.tsv")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                config, test, start, end, status = line.rstrip("\n").split("\t")
                rows.append({"test": test, "dev": config, "result": status,
                             "start": float(start), "end": float(end)})
    return rows


def trace(out):
    lines = []
    path = os.path.join(out, "trace.jsonl")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                lines.append(json.loads(line))
            except ValueError:
                pass
    return lines


def owner(rows, t):
    """The row whose [start, end] holds t.  blktests' start is truncated to
    the second: a later test's start is never before an earlier one's end,
    so the first row (in time order) whose end is not before t owns it."""
    for row in rows:
        if row["start"] is None or row["end"] is None:
            continue
        if int(row["start"]) <= t <= row["end"]:
            return row
    return None


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("blktests", "fstests"):
        sys.exit("usage: table.py blktests|fstests OUT")
    suite, out = sys.argv[1], sys.argv[2]
    rows = blktests_rows(out) if suite == "blktests" else fstests_rows(out)
    rows.sort(key=lambda r: (r["start"] is None, r["start"] or 0, r["end"] or 0))
    other = {"test": OUTSIDE, "dev": "", "result": "", "start": None, "end": None}
    for row in rows + [other]:
        row.update(binds=0, reloads=0, violations={})
    lines = trace(out)
    for line in lines or []:
        is_swap = line.get("kind") == "event" and line.get("event") == "swap"
        if not is_swap and line.get("kind") != "violation":
            continue
        row = owner(rows, epoch(line["ts"])) or other
        if is_swap:
            row["reloads" if line.get("old_sectors") else "binds"] += 1
        else:
            inv = line.get("inv", "?")
            row["violations"][inv] = row["violations"].get(inv, 0) + 1

    traced = lines is not None
    print(f"| test | device | result | {'swaps (binds/reloads) | violations |' if traced else ''}")
    print(f"|---|---|---|{'---|---|' if traced else ''}")
    bad = 0
    for row in rows + ([other] if traced else []):
        if row is other and not (other["binds"] or other["reloads"] or other["violations"]):
            continue
        viol = ", ".join(f"{k} x{v}" for k, v in sorted(row["violations"].items())) or "-"
        cells = [row["test"], row["dev"], row["result"] or "-"]
        if traced:
            cells += [f"{row['binds']}/{row['reloads']}", viol]
        print("| " + " | ".join(cells) + " |")
        if row["violations"] or row["result"].startswith("fail"):
            bad += 1
    counts = {}
    for row in rows:
        key = row["result"].split(" (")[0].split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    print()
    print("results: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    if traced:
        binds = sum(r["binds"] for r in rows + [other])
        reloads = sum(r["reloads"] for r in rows + [other])
        print(f"swaps: {binds} binds, {reloads} reloads")
    status = {}
    spath = os.path.join(out, "status")
    if os.path.exists(spath):
        for line in open(spath, encoding="utf-8"):
            key, _, value = line.strip().partition(" ")
            status[key] = value
    for key in sorted(status):
        print(f"{key}: {status[key]}")
    spath = os.path.join(out, "summary.json")
    if os.path.exists(spath):
        with open(spath, encoding="utf-8") as f:
            summ = json.load(f)
        print("tool: {} violations, {} swaps, {} events, {} dropped, command status {}".format(
            summ.get("violations"), summ.get("swaps"), summ.get("events"),
            summ.get("dropped"), summ.get("command_status")))
        # `run` exits 1 on a violation and on a command that exited 1: the
        # summary tells them apart.
        if summ.get("violations"):
            bad += 1
    elif traced:
        print("tool: no summary (the run did not finish)")
        bad += 1
    # A harness that stopped before its first test (a module the kernel
    # lacks, say) is no pass.
    if not rows:
        print("no test ran: the suite's harness stopped first (see the guest output)")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
