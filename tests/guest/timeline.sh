#!/bin/sh
# The foundation workload: zoned null_blk, dm-linear, report zones,
# suspend/reload/resume, a misaligned reload that fails, dm-crypt, a swap to
# dm-error and back.  The trace (JSON lines) and each command's result are
# printed for tests/lab/check_timeline.py, which knows what to expect.
# Usage: timeline.sh [dmswap-trace options]   (e.g. --force-kprobe)
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh

zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
trace_start /tmp/trace.json --json "$@" || exit 1

res() { echo "result $1 $2"; }

step create-linear
dmsetup create lin --table "0 1048576 linear /dev/nullb0 0"; res create-linear $?
blkzone report /dev/mapper/lin >/dev/null; res report-live $?

step grow-linear
dmsetup suspend lin; res suspend $?
blkzone report /dev/mapper/lin >/dev/null 2>&1; res report-suspended $?
dmsetup load lin --table "0 $NULLB_SECTORS linear /dev/nullb0 0"; res load $?
dmsetup resume lin; res resume-grow $?

step misaligned
dmsetup load lin --table "0 1000 linear /dev/nullb0 0"; res load-misaligned $?
dmsetup resume lin 2>/dev/null; res resume-misaligned $?
dmsetup resume lin; res resume-recover $?

step crypt
dmsetup create cr --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"; res create-crypt $?
blkzone report /dev/mapper/cr >/dev/null; res report-crypt $?

step crypt-to-error
dmsetup load cr --table "0 $NULLB_SECTORS error"; res load-error $?
dmsetup resume cr; res resume-error $?

step error-to-crypt
dmsetup load cr --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"; res load-crypt-again $?
dmsetup resume cr 2>/dev/null; res resume-crypt-again $?

step remove
dmsetup remove lin; res remove-lin $?
dmsetup remove --force cr; res remove-cr $?

trace_stop
res tracer "$TRACE_RC"
emit trace /tmp/trace.json
emit stderr /tmp/trace.json.err
exit 0
