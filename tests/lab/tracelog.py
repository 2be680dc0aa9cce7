"""Helpers for the host-side checkers of lab runs.

A guest script prints "result NAME STATUS" lines and copies files between
"=== begin NAME" / "=== end NAME" markers (tests/guest/lib.sh).  A checker
parses that output and reports one "PASS name" / "FAIL name" line per check;
tests/run counts them.
"""
import json
import sys


class LabOutput:
    def __init__(self, path):
        self.results = {}
        self.blocks = {}
        self.text = open(path, encoding="utf-8", errors="replace").read()
        block = None
        for line in self.text.splitlines():
            if line.startswith("=== begin "):
                block = line[len("=== begin "):]
                self.blocks[block] = []
            elif line.startswith("=== end "):
                block = None
            elif block is not None:
                self.blocks[block].append(line)
            elif line.startswith("result "):
                parts = line.split()
                if len(parts) == 3:
                    self.results[parts[1]] = int(parts[2])

    def json_lines(self, block):
        """The block's lines parsed as JSON; a line that is not JSON raises."""
        return [json.loads(l) for l in self.blocks.get(block, []) if l.strip()]


class Checker:
    """Collects named checks; prints PASS/FAIL lines with the reasons."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.failed = 0

    def check(self, name, ok, detail=""):
        status = "PASS" if ok else "FAIL"
        if not ok:
            self.failed += 1
            if detail:
                for line in str(detail).splitlines():
                    print("  " + line)
        print(f"{status} {self.prefix}/{name}")
        sys.stdout.flush()
        return ok

    def invariants(self, fired, want, may=None, always=()):
        """The truth-table checks of one run.  fired: INV -> its violation
        records; want: INV -> why it must fire ("INV-n-fires"); may: INV ->
        why it may fire (a race: reported, not checked); every other INV that
        fired, or is in always, must be silent ("INV-n-silent")."""
        may = may or {}
        for inv in sorted(set(want) | set(fired) | set(always)):
            if inv in want:
                self.check(f"{inv}-fires", inv in fired, f"silent, but {want[inv]}")
            elif inv in may:
                print(f"  {inv} fired {len(fired.get(inv, []))}x (allowed: {may[inv]})")
            else:
                first = fired.get(inv, [{}])[0]
                self.check(f"{inv}-silent", inv not in fired,
                           f"fired {len(fired.get(inv, []))}x: {first.get('message')} on "
                           f"{first.get('dev')}: {first.get('evidence')}")

    def exit(self):
        sys.exit(1 if self.failed else 0)
