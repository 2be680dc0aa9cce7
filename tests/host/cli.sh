#!/bin/bash
# Command-line behaviour on the build host, which has BTF but no
# device-mapper: usage errors, privilege and dm_mod checks, in that order;
# then what the host can check of the outputs (stdout errors, report --html).
# Prints PASS/FAIL lines.
set -u
bin=${DMSWAP_TRACE:-build/dmswap-trace}

# expect NAME STATUS WORD CMD...: exit STATUS and WORD on stderr.
expect() {
	local name=$1 want=$2 word=$3 err rc
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want" ] && [[ $err == *"$word"* ]]; then
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
expect unknown-command 2 "unknown command: nosuch" "$bin" nosuch
expect stray-argument 2 "unexpected argument" "$bin" watch extra
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	expect unprivileged 3 "CAP_BPF" setpriv --reuid=65534 --regid=65534 --clear-groups "$bin"
fi
expect no-btf 4 "no BTF" env DMSWAP_VMLINUX_BTF=/nonexistent "$bin"
if [ ! -e /sys/module/dm_mod ]; then
	expect no-dm-mod 5 "dm_mod" "$bin"
fi
# run: every error of the tool itself is 2, whatever its cause.
expect run-no-command 2 "no command" "$bin" run
expect run-options-outside-run 2 "are for run" "$bin" watch --summary x
if [ ! -e /sys/module/dm_mod ]; then
	expect run-setup-error-is-2 2 "dm_mod" "$bin" run -- true
fi
# explore: its three commands are required, and only explore takes them.
expect explore-needs-commands 2 "needs --setup, --swap and --teardown" "$bin" explore --swap true
expect explore-options-outside-explore 2 "are for explore" "$bin" watch --setup true
expect explore-bad-max-runs 2 "--max-runs" "$bin" explore --setup : --swap : --teardown : \
	--max-runs 0
# A stdout that cannot be written (a full disk): said, and an error status
# (7, an output not writable; 2 in run and report, whose own errors are 2).
expect_full() {
	local name=$1 want=$2 word=$3 err rc
	shift 3
	err=$("$@" 2>&1 >/dev/full)
	rc=$?
	if [ "$rc" -eq "$want" ] && [[ $err == *"$word"* ]]; then
		echo "PASS host/$name"
	else
		echo "  exit $rc (want $want), stderr: $err"
		echo "FAIL host/$name"
	fi
}
log=tests/data/logs/v-6.12.jsonl
expect_full help-stdout-full 7 "cannot write standard output: No space left" "$bin" --help
expect_full version-stdout-full 7 "cannot write standard output: No space left" "$bin" --version
expect_full run-help-stdout-full 2 "cannot write standard output: No space left" "$bin" run --help
expect_full report-stdout-full 2 "cannot write the report: No space left" "$bin" report "$log"
expect_full report-help-stdout-full 2 "cannot write the report: No space left" "$bin" report --help
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
	[ "$(ls -A "$scratch" | wc -l)" -eq 2 ]; then
	echo "PASS host/html-mode-0644"
else
	echo "  $(ls -lA "$scratch")"
	echo "FAIL host/html-mode-0644"
fi
rm -rf "$scratch"
