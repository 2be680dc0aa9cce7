#!/usr/bin/env python3
"""Check a run of tests/guest/errors.sh: user errors get their documented
exit status and a clear message; --wait, --dev, escaping of a hostile device
name, and that kill -9 leaves nothing attached.

Usage: check_errors.py KERNEL OUTPUT
"""
import re
import sys

from tracelog import Checker, LabOutput

KERNEL, OUTPUT = sys.argv[1], sys.argv[2]
c = Checker(f"errors/{KERNEL}")
out = LabOutput(OUTPUT)
r = out.results
stderr = {}
for line in out.text.splitlines():
    if line.startswith("stderr "):
        _, name, *msg = line.split(" ", 2)
        stderr[name] = msg[0] if msg else ""


def status(name, code, words):
    msg = stderr.get(name, "")
    c.check(f"{name}-exit-{code}", r.get(name) == code and all(w in msg for w in words),
            f"exit {r.get(name)}, stderr: {msg!r}")


status("no-dm", 5, ["dm_mod", "not loaded", "--wait"])
status("no-dm-coverage", 5, ["dm_mod"])
status("bad-option", 2, ["unknown option", "--bogus"])
status("bad-duration", 2, ["--duration"])
status("unknown-command", 2, ["unknown command", "frobnicate"])
status("no-btf", 4, ["BTF", "CONFIG_DEBUG_INFO_BTF"])
# fprobe (kprobe.multi links) on 6.12, 7.x and the lab kernels: kprobes
# without CAP_SYS_ADMIN, which 6.1 needs for perf kprobes and module BTF.
FPROBE = KERNEL != "6.1"
status("unprivileged", 3, ["not privileged: missing CAP_BPF (", "CAP_PERFMON (", "sudo"]
       + ([] if FPROBE else ["CAP_SYS_ADMIN ("]))

# Root with a reduced bounding set: exit 3 naming exactly what is missing.
MISSING = "dmswap-trace: not privileged: missing "
SYS_ADMIN = "CAP_SYS_ADMIN (module BTF of dm_mod, or perf kprobes: this kernel has no fprobe)"
PERFMON = "CAP_PERFMON (tracing programs: fentry, kprobes)"
BPF = "CAP_BPF (BPF maps and programs)"
SYMBOLS = "dmswap-trace: warning: missing CAP_SYSLOG"


def exact(name, code, line):
    c.check(f"{name}-exit-{code}", r.get(name) == code and stderr.get(name) == line,
            f"exit {r.get(name)}, stderr: {stderr.get(name)!r}, want {line!r}")


NEED_SA = "" if FPROBE else f", {SYS_ADMIN}"
for name in ("caps-unit-set", "caps-unit-set-kprobe"):
    if FPROBE:
        # dm_mod's hooks kprobe.multi links (its BTF object is refused),
        # dm_mod's types from sysfs; a vmlinux hook (blkdev_report_zones_ioctl)
        # may be fentry: vmlinux BTF needs no module BTF object.
        m = re.search(r"armed: (\d+) of (\d+) hooks attached \((\d+) fentry, (\d+) kprobe\)",
                      stderr.get(f"{name}-all", ""))
        c.check(f"{name}-arms-without-sys-admin",
                r.get(name) == 0 and r.get(f"{name}-armed") == 1 and m
                and int(m[4]) > int(m[3]) and int(m[3]) + int(m[4]) == int(m[1]),
                f"exit {r.get(name)}, stderr: {stderr.get(name + '-all')!r}")
    else:
        exact(name, 3, MISSING + SYS_ADMIN)
exact("caps-perfmon-only", 3, MISSING + f"{BPF}{NEED_SA}")
exact("caps-none", 3, MISSING + f"{BPF}, {PERFMON}{NEED_SA}")
exact("caps-noroot", 3, MISSING + f"{BPF}, {PERFMON}{NEED_SA}")
for name in ("caps-all", "caps-all-kprobe"):
    c.check(f"{name}-arms", r.get(name) == 0 and r.get(f"{name}-armed") == 1
            and "warning" not in stderr.get(f"{name}-all", ""),
            f"exit {r.get(name)}, stderr: {stderr.get(name + '-all')!r}")
# Debian's perf_event_paranoid (3) hides kallsyms addresses without CAP_SYSLOG.
c.check("caps-sys-admin-only-arms-with-a-warning",
        r.get("caps-sys-admin-only") == 0 and r.get("caps-sys-admin-only-armed") == 1
        and stderr.get("caps-sys-admin-only", "").startswith(SYMBOLS),
        f"exit {r.get('caps-sys-admin-only')}, stderr: {stderr.get('caps-sys-admin-only-all')!r}")
for name in ("caps-none",) if FPROBE else ("caps-unit-set", "caps-none"):
    c.check(f"{name}-never-armed", r.get(f"{name}-armed") == 0, r.get(f"{name}-armed"))
c.check("no-hooks-exit-8-never-armed",
        r.get("no-hooks") == 8 and r.get("no-hooks-armed") == 0
        # The number of hooks is the hook table's, not this file's.
        and re.search(r"dmswap-trace: nothing could be attached: none of the \d+ hooks is in "
                      r"this kernel \(dm_suspend: ", stderr.get("no-hooks-all", "")),
        f"exit {r.get('no-hooks')}, stderr: {stderr.get('no-hooks-all')!r}")
exact("caps-userns", 3, MISSING + f"{BPF}, {PERFMON}{NEED_SA} (in a user namespace, whose "
      "capabilities do not count)")
status("unknown-dev", 6, ["no dm device", "nosuch"])
c.check("unknown-dev-with-wait-is-accepted", r.get("unknown-dev-wait") == 0, r.get("unknown-dev-wait"))

c.check("wait-ends-at-duration", r.get("wait-duration") == 0, r.get("wait-duration"))
c.check("wait-metrics-not-armed", r.get("wait-duration-not-armed") == 1, r.get("wait-duration-not-armed"))
c.check("wait-ends-on-sigterm", r.get("wait-sigterm") == 0, r.get("wait-sigterm"))
wait = out.json_lines("wait")
c.check("wait-blocks-until-dm-mod",
        r.get("wait-still-waiting") == 0 and r.get("wait-not-armed-early") == 1, r)
c.check("wait-then-traces",
        r.get("wait-rc") == 0 and wait and wait[0].get("event") == "armed"
        and any(l.get("event") == "swap" and l.get("dev") == "w" and l.get("ret") == 0
                for l in wait), wait[:3])

filt = [l for l in out.json_lines("filter") if l["kind"] == "event" and l["event"] != "armed"]
c.check("dev-filter-keeps-only-the-device",
        r.get("filter-rc") == 0 and filt and all(l["dev"] == "a" for l in filt)
        and [l["event"] for l in filt] == ["suspend", "resume"], filt)

text = "\n".join(out.blocks.get("evil-text", []))
c.check("evil-name-escaped-in-text", r.get("evil-create") == 0 and "ev\\x1b[2Jil" in text, text)
c.check("no-raw-escape-anywhere", "\x1b" not in out.text)
evil = [l for l in out.json_lines("evil-json") if l.get("event") in ("suspend", "resume")]
c.check("evil-name-escaped-in-json",
        len(evil) == 2 and all(l["dev"] == "ev\x1b[2Jil" for l in evil)
        and "ev\\u001b[2Jil" in "\n".join(out.blocks.get("evil-json", [])), evil)

status("unwritable-log", 7, ["--log", "/proc/nope.log"])
status("fifo-log", 7, ["--log", "/tmp/fifo.log", "not a regular file"])
status("stdout-full", 7, ["cannot write standard output", "No space left on device"])
status("stdout-closed-pipe", 7, ["cannot write standard output", "Broken pipe"])
before = out.json_lines("log-before-hup")
after = out.json_lines("log-after-hup")
c.check("log-created-0600", r.get("log-mode") == 600, r.get("log-mode"))
c.check("log-reopened-on-sighup",
        r.get("log-hup-rc") == 0
        and [l.get("event") for l in before if l["kind"] == "event"][:3] == ["armed", "suspend", "resume"]
        and {l.get("dev") for l in before if l.get("event") in ("suspend", "resume")} == {"a"}
        and {l.get("dev") for l in after if l.get("event") in ("suspend", "resume")} == {"b"}
        and after and after[-1]["kind"] == "summary",
        f"before: {[(l.get('event'), l.get('dev')) for l in before]}\n"
        f"after: {[(l.get('event'), l.get('dev')) for l in after]}")
c.check("links-exist-while-armed", r.get("links-while-armed-nonzero") == 0, r)
c.check("nothing-attached-after-kill-9",
        r.get("links-after-kill") == 0 and r.get("progs-after-kill") == 0
        and r.get("pins-after-kill") == 0, r)
c.exit()
