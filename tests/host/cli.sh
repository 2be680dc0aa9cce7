#!/bin/bash
# Command-line behaviour on the build host, which has BTF but no
# device-mapper: usage errors, privilege and dm_mod checks, in that order.
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
expect explore-bad-max-runs 2 "--max-runs: a count from 1 to 100000, not 0" "$bin" explore --setup : --swap : --teardown : \
	--max-runs 0
