#!/bin/sh
# The canary service mode: --metrics (Prometheus textfile, atomic), --syslog
# severity prefixes, --rate-limit of repeated violations, SIGTERM exits 0.
# shellcheck disable=SC1091 # the guest's path; lib.sh is checked on its own
. /lab/guest/lib.sh
res() { echo "result $1 $2"; }

zoned_nullb 2
modprobe dm-mod
modprobe dm-crypt
mkdir -p /tmp/m
trace_start /tmp/out.txt --syslog --rate-limit 2 --metrics /tmp/m/dm.prom \
	--metrics-interval 1 --log /tmp/c.log || exit 1
dmsetup create c --table "0 1048576 linear /dev/nullb0 0"
for _ in 1 2 3; do dmsetup suspend c && dmsetup resume c; done
dmsetup load c --table "0 1000 linear /dev/nullb0 0" && dmsetup resume c 2>/dev/null
dmsetup resume c
# Repeated violations on 6.12 and 7.x: a zoned crypt device swapped to
# dm-error, then its table refused again and again (INV-8 each time).
dmsetup create z --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
dmsetup load z --table "0 $NULLB_SECTORS error" && dmsetup resume z
for _ in 1 2 3 4 5; do
	dmsetup load z --table "$(crypt_table "$NULLB_SECTORS" /dev/nullb1)"
	dmsetup resume z 2>/dev/null || dmsetup resume z
done
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
