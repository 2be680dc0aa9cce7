#!/usr/bin/env python3
"""Print the truth table of one kernel from the traced scenario runs that
scripts/truth-table made: one row per invariant and scenario, FIRES or
SILENT, and for each FIRES the upstream fixes its violations name (the
kernel behaves like the code before them).

Usage: truth_table.py LABEL KERNEL_VERSION EXPECT OUTDIR SCENARIO...

OUTDIR holds SCENARIO.out (the lab's output, the trace between its
"=== begin trace" / "=== end trace" markers) and SCENARIO.rc (the lab's exit
status) for each scenario.  EXPECT is a label whose expected cells
(tests/lab/check_scenario.py) the table is compared with, or "" for a kernel
without them: then the table says what happened, not whether it is right.

Exit status: 0 when every scenario ran (and, with EXPECT, every cell is as
expected), 1 otherwise.
"""
import ast
import os
import sys

from tracelog import LabOutput

HERE = os.path.dirname(os.path.abspath(__file__))


def expectations():
    """EXPECTED and MAY_FIRE of check_scenario.py, read without running it
    (it is the checker script of tests/run; its tables are the one place of
    the expected cells)."""
    path = os.path.join(HERE, "check_scenario.py")
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    # The tables and what they are built with: module-level constants
    # (upper-case names) and functions, in order; nothing that reads the
    # command line or a run's output.
    tables = {}
    for node in tree.body:
        const = isinstance(node, ast.Assign) and len(node.targets) == 1 and \
            isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()
        if const or isinstance(node, ast.FunctionDef):
            exec(compile(ast.Module([node], []), path, "exec"), tables)
    return tables.get("EXPECTED", {}), tables.get("MAY_FIRE", {})


def inv_key(inv):
    return int(inv.split("-")[1]) if inv.split("-")[-1].isdigit() else 1 << 30


def fix_text(fix):
    where = f"mainline {fix['mainline']}" if fix.get("mainline") else "not in mainline"
    if fix.get("stable"):
        where += f"; stable {fix['stable']}"
    return f"{fix['commit']} \"{fix['title']}\" ({where})"


class Run:
    """One scenario's traced run: which invariants fired, with their fixes."""

    def __init__(self, outdir, scenario):
        self.scenario = scenario
        self.error = None
        self.fired = {}  # INV -> count
        self.fixes = {}  # INV -> {commit: fix}
        self.invariants = set()
        base = os.path.join(outdir, scenario)
        try:
            rc = int(open(base + ".rc").read().strip())
        except (OSError, ValueError):
            rc = None
        if rc != 0:
            self.error = f"lab exit {rc}"
            return
        out = LabOutput(base + ".out")
        try:
            lines = out.json_lines("trace")
        except ValueError as err:
            self.error = f"trace is not JSON: {err}"
            return
        summary = lines[-1] if lines else {}
        if summary.get("kind") != "summary":
            self.error = "no trace summary (the tracer did not finish)"
            return
        if summary.get("dropped"):
            self.error = f"{summary['dropped']} events dropped"
        if out.results.get("tracer") != 0:
            self.error = f"tracer exit {out.results.get('tracer')}"
        self.invariants = set(summary.get("by_inv", {}))
        for v in lines:
            if v.get("kind") != "violation":
                continue
            self.fired[v["inv"]] = self.fired.get(v["inv"], 0) + 1
            for f in v.get("fixes", []):
                self.fixes.setdefault(v["inv"], {})[f["commit"]] = f


def main():
    label, kver, expect, outdir = sys.argv[1:5]
    scenarios = sys.argv[5:]
    expected, may_fire = expectations()
    runs = [Run(outdir, s) for s in scenarios]
    invariants = set()
    for r in runs:
        invariants |= r.invariants | set(r.fired)
    known = bool(expect) and all(expect in expected.get(s, {}) for s in scenarios)
    print(f"truth table of {label} ({kver}): {len(scenarios)} scenarios traced")
    if expect and not known:
        missing = [s for s in scenarios if expect not in expected.get(s, {})]
        print(f"  no expected cells of {expect} for {', '.join(missing)}: not compared")
    elif known:
        print(f"  compared with the expected cells of {expect} (tests/lab/check_scenario.py)")
    else:
        print("  a kernel without expected cells: what happened, not whether it is right")
    cols = ["INVARIANT", "SCENARIO", "RESULT"] + (["EXPECTED"] if known else []) + ["FIXES"]
    rows, notes, mismatches = [], [], 0
    for inv in sorted(invariants, key=inv_key):
        for r in runs:
            if r.error and not r.invariants:
                result = "NO RUN"
            elif inv in r.fired:
                result = f"FIRES x{r.fired[inv]}"
            else:
                result = "SILENT"
            row = [inv, r.scenario, result]
            if known:
                want = expected[r.scenario][expect]
                may = may_fire.get(r.scenario, {}).get(expect, {})
                if inv in want:
                    cell = "FIRES"
                elif inv in may:
                    cell = "may (race)"
                else:
                    cell = "SILENT"
                ok = (r.error is None and
                      (cell.startswith("may") or (cell == "FIRES") == (inv in r.fired)))
                if not ok:
                    mismatches += 1
                row.append(cell + ("" if ok else "  <-- differs"))
            fixes = r.fixes.get(inv, {})
            row.append("; ".join(fix_text(f) for f in fixes.values()) if inv in r.fired else "")
            rows.append(row)
    for r in runs:
        if r.error:
            notes.append(f"  {r.scenario}: {r.error} (output {os.path.join(outdir, r.scenario)}.out)")
    widths = [max(len(str(x[i])) for x in rows + [cols]) for i in range(len(cols) - 1)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)) + "  " + cols[-1])
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
    fired = sorted({(inv, r.scenario) for r in runs for inv in r.fired})
    print(f"{len(fired)} of {len(rows)} cells FIRE")
    if notes:
        print("scenarios that did not run through:")
        print("\n".join(notes))
    if known:
        print(f"matches the expected truth table of {expect}: "
              + ("yes" if not mismatches else f"no ({mismatches} cells differ)"))
    sys.exit(1 if notes or mismatches else 0)


if __name__ == "__main__":
    main()
