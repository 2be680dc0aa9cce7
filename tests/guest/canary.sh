#!/bin/sh
# The canary service mode: --metrics (Prometheus textfile, atomic), --syslog
# severity prefixes, --rate-limit of repeated violations, SIGTERM exits 0.
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh

zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
mkdir -p /tmp/m
trace_start /tmp/out.txt --syslog --rate-limit 2 --metrics /tmp/m/dm.prom \
	--metrics-interval 1 --log /tmp/c.log || exit 1
# Repeated violations on 6.12 and 7.x (lib.sh).
canary_workload
sleep 2.5
cp /tmp/m/dm.prom /tmp/m/running.prom
# Temporary files are dot files (outfile.c): none may stay behind.
# shellcheck disable=SC2010 # the tool's own file names, no newline in them
res tmp-files "$(ls -A /tmp/m | grep -c '^\.')"
kill -TERM "$TRACE_PID"
wait "$TRACE_PID"
res sigterm-rc $?
emit stdout /tmp/out.txt
emit stderr /tmp/out.txt.err
emit metrics-running /tmp/m/running.prom
emit metrics-final /tmp/m/dm.prom
emit log /tmp/c.log
dmsetup remove c
dmsetup remove --force z 2>/dev/null
exit 0
