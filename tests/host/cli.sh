#!/bin/bash
# Command-line behaviour on the build host, which has BTF but no
# device-mapper: usage errors, privilege and dm_mod checks, in that order;
# then what the host can check of the outputs (stdout errors, report --html).
# Prints PASS/FAIL lines.
set -u
bin=${DMSWAP_TRACE:-build/dmswap-trace}

# expect_to OUT NAME STATUS WORD CMD...: with stdout to OUT, exit STATUS and
# WORD on stderr.
expect_to() {
	local out=$1 name=$2 want=$3 word=$4 err rc
	shift 4
	err=$("$@" 2>&1 >"$out")
	rc=$?
	if [ "$rc" -eq "$want" ] && [[ $err == *"$word"* ]]; then
		echo "PASS host/$name"
	else
		echo "  exit $rc (want $want), stderr: $err"
		echo "FAIL host/$name"
	fi
}

# expect NAME STATUS WORD CMD...: the same, stdout discarded.
expect() { expect_to /dev/null "$@"; }

# expect_exact NAME STATUS LINE CMD...: exit STATUS and stderr exactly LINE.
expect_exact() {
	local name=$1 want=$2 line=$3 err rc
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && [ "$err" = "$line" ]; then
		echo "PASS host/$name"
	else
		echo "  exit $rc (want $want), stderr: $err"
		echo "FAIL host/$name"
	fi
}

expect help-exits-0 0 "" "$bin" --help
expect version-exits-0 0 "" "$bin" --version
expect unknown-option 2 "unknown option: --nope" "$bin" --nope
expect missing-argument 2 "needs an argument" "$bin" --dev
expect bad-duration 2 "--duration" "$bin" --duration abc
# Numbers out of range, non-finite or absurd: usage errors naming the range
# (before, inf and 1e300 stopped at once and nan never stopped).
for v in inf nan 1e300 -1 0 0.0001 31536001; do
	expect "duration-$v" 2 "--duration: seconds from 0.001 to 31536000 (a year), not $v" \
		"$bin" --duration "$v"
	expect "metrics-interval-$v" 2 \
		"--metrics-interval: seconds from 0.001 to 31536000 (a year), not $v" \
		"$bin" --metrics-interval "$v"
done
for v in -1 1e3 1000001 99999999999999999999 " 5" 5x; do
	expect "rate-limit-${v// /_}" 2 "--rate-limit: a count from 0 to 1000000, not $v" \
		"$bin" --rate-limit "$v"
done
expect bad-number-escaped 2 'not \x1b[2J' "$bin" --duration $'\e[2J'
expect unknown-command 2 "unknown command: nosuch" "$bin" nosuch
expect stray-argument 2 "unexpected argument" "$bin" watch extra
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	expect unprivileged 3 "not privileged: missing CAP_BPF (BPF maps and programs), CAP_PERFMON" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$bin"
	# Root is not enough: the capabilities are checked whatever the uid.
	# CAP_SYS_ADMIN is needed only where no kprobe is open without it: no
	# fprobe (kprobe.multi links) and perf_event_open() refused without it
	# (perf_event_paranoid 3, Debian's; upstream 2 lets CAP_PERFMON in).
	# Both cases, whichever this host's kernel is.
	sa="CAP_SYS_ADMIN (module BTF of dm_mod, or perf kprobes: this kernel has no fprobe)"
	if grep -q ' register_fprobe$' /proc/kallsyms 2>/dev/null ||
		[ "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 3)" -le 2 ]; then
		# The unit's set passes the check: on to the dm_mod check.
		if [ ! -e /sys/module/dm_mod ]; then
			expect root-without-sys-admin-fprobe 5 "dm_mod" \
				setpriv --bounding-set=-all,+bpf,+perfmon,+syslog "$bin"
		fi
		sa_missing=""
	else
		expect_exact root-without-sys-admin 3 "dmswap-trace: not privileged: missing $sa" \
			setpriv --bounding-set=-all,+bpf,+perfmon,+syslog "$bin"
		sa_missing=", $sa"
	fi
	expect_exact root-without-perfmon 3 \
		"dmswap-trace: not privileged: missing CAP_PERFMON (tracing programs: fentry, kprobes)$sa_missing" \
		setpriv --bounding-set=-all,+bpf,+syslog "$bin"
	# A user namespace's capabilities count for nothing in BPF.
	if command -v unshare >/dev/null && unshare -Ur true 2>/dev/null; then
		expect userns 3 "CAP_PERFMON (tracing programs: fentry, kprobes)$sa_missing (in a user namespace" \
			unshare -Ur "$bin"
	fi
	# CAP_SYS_ADMIN covers CAP_BPF and CAP_PERFMON: on to the dm_mod check.
	if [ ! -e /sys/module/dm_mod ]; then
		expect root-with-sys-admin-only 5 "dm_mod" \
			setpriv --bounding-set=-all,+sys_admin,+syslog "$bin"
	fi
fi
expect no-btf 4 "no BTF" env DMSWAP_VMLINUX_BTF=/nonexistent "$bin"
if [ ! -e /sys/module/dm_mod ]; then
	expect no-dm-mod 5 "dm_mod" "$bin"
fi
# run: every error of the tool itself is 2, whatever its cause.
expect run-no-command 2 "no command" "$bin" run
expect run-options-outside-run 2 "--summary is for run, not watch" "$bin" watch --summary x
if [ ! -e /sys/module/dm_mod ]; then
	expect run-setup-error-is-2 2 "dm_mod" "$bin" run -- true
fi
# explore: its three commands are required, and only explore takes them.
expect explore-needs-commands 2 "needs --setup, --swap and --teardown" "$bin" explore --swap true
expect explore-options-outside-explore 2 "--setup is for explore, not watch" "$bin" watch --setup true
# Each mode takes its own options; one that does not apply is a usage error
# in one line, never accepted and ignored.
expect_exact coverage-takes-no-log 2 "dmswap-trace: --log is for watch, run or explore, not coverage" \
	"$bin" coverage --log x
expect_exact coverage-takes-no-duration 2 "dmswap-trace: --duration is for watch, not coverage" \
	"$bin" coverage -t 5
expect_exact run-takes-no-rate-limit 2 "dmswap-trace: --rate-limit is for watch, not run" \
	"$bin" run --rate-limit 3 -- true
expect_exact run-takes-no-syslog 2 "dmswap-trace: --syslog is for watch, not run" \
	"$bin" run --syslog -- true
expect_exact report-takes-no-json 2 \
	"dmswap-trace: --json is for watch, run, coverage or explore, not report" "$bin" --json report x
expect_exact unknown-option-one-line 2 \
	"dmswap-trace: unknown option: --nope (Try 'dmswap-trace --help'.)" "$bin" coverage --nope
# Global options before the mode.
if [ ! -e /sys/module/dm_mod ]; then
	expect json-before-mode 5 "dm_mod" "$bin" --json coverage
fi
# MODE --help: that mode's options; --version in every mode.
for mode in watch run coverage explore report; do
	if out=$("$bin" "$mode" --help 2>&1) && [[ $out == *"Options of $mode:"* ]]; then
		echo "PASS host/help-of-$mode"
	else
		echo "  $out" | head -3
		echo "FAIL host/help-of-$mode"
	fi
	for v in -V --version; do
		expect "version-$mode$v" 0 "" "$bin" "$mode" "$v"
	done
done
if "$bin" coverage --help | grep -q -- '--log\b'; then
	echo "FAIL host/help-of-coverage-lists-only-its-options"
else
	echo "PASS host/help-of-coverage-lists-only-its-options"
fi
if "$bin" run --help | grep -q 'COMMAND owns stdout: violations .* go to stderr'; then
	echo "PASS host/help-of-run-says-stderr"
else
	echo "FAIL host/help-of-run-says-stderr"
fi
# report: a log that cannot be read is 10 (3 is "not privileged").
expect report-unreadable-is-10 10 "nonexistent" "$bin" report /nonexistent/x.jsonl
expect explore-bad-max-runs 2 "--max-runs: a count from 1 to 100000, not 0" "$bin" explore --setup : --swap : --teardown : \
	--max-runs 0
# A stdout that cannot be written (a full disk): said, and an error status
# (7, an output not writable, report included; 2 in run, whose own errors are 2).
expect_full() { expect_to /dev/full "$@"; }
log=tests/data/logs/v-6.12.jsonl
expect_full help-stdout-full 7 "cannot write standard output: No space left" "$bin" --help
expect_full version-stdout-full 7 "cannot write standard output: No space left" "$bin" --version
expect_full run-help-stdout-full 2 "cannot write standard output: No space left" "$bin" run --help
expect_full report-stdout-full 7 "cannot write the report: No space left" "$bin" report "$log"
expect_full report-help-stdout-full 7 "cannot write the report: No space left" "$bin" report --help
# report --html OUT LOG with OUT one of the logs: refused, the log kept whole.
scratch=$(mktemp -d)
cp "$log" "$scratch/a.jsonl"
expect html-out-is-input 2 "is also an input" "$bin" report --html "$scratch/a.jsonl" \
	"$scratch/a.jsonl"
if cmp -s "$log" "$scratch/a.jsonl"; then
	echo "PASS host/html-out-is-input-kept"
else
	echo "FAIL host/html-out-is-input-kept"
fi
# The page: 0644 whatever the umask, no temporary file left beside it.
(umask 077 && "$bin" report --html "$scratch/page.html" "$log" >/dev/null 2>&1)
if [ "$(stat -c %a "$scratch/page.html" 2>/dev/null)" = 644 ] &&
	[ "$(find "$scratch" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2 ]; then
	echo "PASS host/html-mode-0644"
else
	echo "  $(ls -lA "$scratch")"
	echo "FAIL host/html-mode-0644"
fi
rm -rf "$scratch"

# report: output linear in the input, whatever the names.  One 20,000-byte
# device, invariant and target name among 2000 short ones padded every row
# to it (160 MB from 556 KB); columns now stop at 32 and a longer cell
# overflows its own row only.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/wide.jsonl" <<'PY'
import sys
big, ts = "x" * 20000, "2026-11-24T05:34:21.000000Z"
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        dev, tg, inv = (f"d{i}", "linear", f"INV-{i}") if i else (big, big, big)
        f.write(f'{{"kind":"event","event":"swap","ts":"{ts}","dev":"{dev}","swap_id":{i},'
                f'"targets":["{tg}"],"ret":0}}\n')
        f.write(f'{{"kind":"violation","ts":"{ts}","dev":"{dev}","inv":"{inv}",'
                f'"swap_id":{i},"message":"m"}}\n')
PY
in=$(stat -c %s "$tmp/wide.jsonl")
out=$("$bin" report "$tmp/wide.jsonl" | head -c $((in * 4 + 1)) | wc -c)
if [ "$out" -le $((in * 4)) ]; then
	echo "PASS host/report-output-linear-in-long-names"
else
	echo "  report printed more than 4 x $in bytes for $in bytes of log"
	echo "FAIL host/report-output-linear-in-long-names"
fi

# Distinct kernels (one armed line each) were searched linearly per line:
# 4 x the lines took 25 x the time.  CPU time of N and 4N lines, best of
# three each; linear is about 4, quadratic 16: the bound is between.
kernels() {
	python3 -c 'import sys
n = int(sys.argv[1])
sys.stdout.write("".join("{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"6.12.%d-amd64\"}\n" % i
                         for i in range(n)))' "$1" >"$tmp/k$1.jsonl"
}
cpu_ms() {
	local best="" t
	for _ in 1 2 3; do
		t=$({ TIMEFORMAT='%3U %3S'; time "$bin" report "$1" >/dev/null 2>&1; } 2>&1 |
			awk '{ printf "%d", ($1 + $2) * 1000 }')
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}
kernels 20000
kernels 80000
t1=$(cpu_ms "$tmp/k20000.jsonl")
t4=$(cpu_ms "$tmp/k80000.jsonl")
# 1 ms floors: a fast machine must not divide by zero.
if [ $((t4)) -le $(((t1 > 0 ? t1 : 1) * 10)) ]; then
	echo "PASS host/report-many-kernels-not-quadratic"
else
	echo "  20000 kernels: $t1 ms, 80000 kernels: $t4 ms (more than 10 x)"
	echo "FAIL host/report-many-kernels-not-quadratic"
fi

# SIGHUP, per mode, said alike by each mode's help, the manual page and the
# README: watch and explore reopen --log, run passes it to COMMAND (run's
# help said it reopened the log, which it never did; explore ignored it).
hup_says() { # hup_says NAME TEXT WORD...: TEXT holds every WORD
	local name=$1 text=$2 w
	shift 2
	for w in "$@"; do
		if [[ $text != *"$w"* ]]; then
			echo "  no '$w'"
			echo "FAIL host/$name"
			return
		fi
	done
	echo "PASS host/$name"
}
hup_says sighup-help-watch "$("$bin" watch --help | tr -s ' \n' ' ')" \
	"watch, explore: SIGHUP reopens it" "SIGHUP reopens --log"
hup_says sighup-help-explore "$("$bin" explore --help | tr -s ' \n' ' ')" \
	"watch, explore: SIGHUP reopens it" "SIGHUP reopens --log between runs"
hup_says sighup-help-run "$("$bin" run --help | tr -s ' \n' ' ')" \
	"run: SIGHUP goes to COMMAND" "SIGHUP does not reopen --log"
hup_says sighup-man "$(tr -s ' \n' ' ' <man/dmswap-trace.8)" \
	'\fBSIGHUP\fR does not reopen the log' \
	'In \fBwatch\fR and \fBexplore\fR (between runs) \fBSIGHUP\fR reopens the file'
hup_says sighup-readme "$(tr -s ' \n' ' ' <README.md)" \
	"a SIGHUP is the command's, and does not reopen \`--log\`" \
	"watch, explore: SIGHUP reopens it; run: SIGHUP goes to COMMAND"

# Each mode's help says its own exit statuses, once (run's said them twice,
# its own and watch's), and coverage's only what coverage does: no --dev,
# no violation, no other mode's statuses.
help_says() { # help_says NAME MODE: "Exit status" once in MODE --help
	local n
	n=$("$bin" "$2" --help | grep -c '^Exit status')
	if [ "$n" = 1 ]; then
		echo "PASS host/$1"
	else
		echo "  $2 --help: $n 'Exit status' paragraphs"
		echo "FAIL host/$1"
	fi
}
for mode in watch run coverage explore report; do
	help_says "help-exit-statuses-once-$mode" "$mode"
done
coverage_help=$("$bin" coverage --help | tr -s ' \n' ' ')
if [[ $coverage_help != *--dev* && $coverage_help != *violat* && $coverage_help != *explore* &&
	$coverage_help != *report* && $coverage_help != *run* ]]; then
	echo "PASS host/help-coverage-only-coverage"
else
	echo "  $coverage_help"
	echo "FAIL host/help-coverage-only-coverage"
fi

# Two outputs on one file, by any path, are refused before anything else
# (the metrics' rename orphaned the log: every record lost, no error).
same=$(mktemp -d)
mkdir "$same/d"
ln -s d "$same/link"
: >"$same/d/existing"
ln "$same/d/existing" "$same/d/hardlink"
expect_exact same-file-log-metrics 2 \
	"dmswap-trace: --log and --metrics name the same file: $same/d/../d/x" \
	"$bin" --log "$same/d/x" --metrics "$same/d/../d/x"
expect same-file-through-a-link 2 "--log and --metrics name the same file" \
	"$bin" watch --metrics "$same/link/x" --log "$same/d/x"
expect same-file-hard-link 2 "--log and --metrics name the same file" \
	"$bin" --log "$same/d/existing" --metrics "$same/d/hardlink"
expect same-file-log-summary 2 "--log and --summary name the same file" \
	"$bin" run --log "$same/d/s" --summary "$same/link/s" -- true
if [ ! -e /sys/module/dm_mod ]; then
	# Different files in one directory: on to the dm_mod check.
	expect different-files-accepted 5 "dm_mod" "$bin" --log "$same/d/x" --metrics "$same/d/y"
fi
rm -rf "$same"

# Loose arguments.  Seconds are decimal: no hex float, exponent, sign or
# space (strtod() took 0x1p-3 and " 0.2").
for v in 0x1p-3 " 0.2" "0.2 " +1 1e1 .5 5. 0x10; do
	expect_exact "duration-strict-${v// /_}" 2 \
		"dmswap-trace: --duration: seconds from 0.001 to 31536000 (a year), not $v" \
		"$bin" -t "$v"
done
# --dev numbers within dev_t's ranges, decimal, never wrapped; said at once.
for v in 253:99999999999999999999 253:4294967296 253:-1 -1:0 4096:0 253:1048576 dm--1 \
	dm-4294967296; do
	expect_exact "dev-number-$v" 2 \
		"dmswap-trace: --dev: not a device name: $v (MAJOR:MINOR and dm-N: decimal, at most 4095:1048575)" \
		"$bin" --dev "$v"
done
# A bad argument's bytes are echoed escaped, never raw to the terminal.
esc=$'\e[2J'
no_raw() { # no_raw NAME WANT CMD...: stderr holds WANT and no control byte
	local name=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	if [[ $err == *"$want"* ]] && ! LC_ALL=C grep -q '[[:cntrl:]]' <<<"$err"; then
		echo "PASS host/$name"
	else
		echo "  stderr: $(printf '%q' "$err")"
		echo "FAIL host/$name"
	fi
}
no_raw escaped-unknown-option 'unknown option: --bad\x1b[2J' "$bin" "--bad$esc"
no_raw escaped-unknown-command 'unknown command: x\x1b[2J' "$bin" "x$esc"
no_raw escaped-unexpected-argument 'unexpected argument: x\x1b[2J' "$bin" watch "x$esc"
no_raw escaped-log-level 'all or violations, not x\x1b[2J' "$bin" --log-level "x$esc"
no_raw escaped-dev 'not a device name: a/\x1b[2J' "$bin" --dev "a/$esc"
# --wait --dev dm-N: the number is given at creation, so it cannot be waited
# for; said at once, before waiting (it said "pass --wait").
expect_exact wait-dev-dm-n 6 \
	"dmswap-trace: --dev dm-57: no such device, and dm-N cannot be waited for (its number is given when it is created): name it, or give MAJOR:MINOR" \
	"$bin" --wait --dev dm-57 -t 2
