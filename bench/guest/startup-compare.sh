#!/bin/bash
# Guest side of scripts/bench-startup: start-up cost and verifier statistics
# of two dmswap-trace binaries (/lab/files/dmswap-trace-A, -B), run
# alternately (A B, B A, ...) in one boot, so that both see the same kernel
# state and the same host load.
#   startup-compare.sh RUNS
# Prints "@startup NAME RUN <the tool's start-up line>" and, for the first
# run of each binary, "@verifier NAME <program>: <statistics>".
# shellcheck disable=SC1091
. /lab/guest/lib.sh
RUNS=${1:-5}
modprobe dm-mod || exit 1
one() {
	local name=$1 run=$2
	"/lab/files/dmswap-trace-$name" -v --duration 1 >/dev/null 2>/tmp/startup.err
	echo "@rc $name $run $?"
	sed -n "s/^dmswap-trace: start-up: /@startup $name $run /p" /tmp/startup.err
	if [[ $run == 1 ]]; then
		sed -n "s/^dmswap-trace: verifier: /@verifier $name /p" /tmp/startup.err
	fi
}
for ((r = 1; r <= RUNS; r++)); do
	if ((r % 2)); then order=(A B); else order=(B A); fi
	for n in "${order[@]}"; do one "$n" "$r"; done
done
