#!/bin/bash
# seeds.sh DIR LOG...: the seed corpora of the fuzz targets, made at build
# time from the recorded logs (not committed: one file per line).
#   DIR/seed-jsonparse/     each line, without its '\n': one JSON text
#   DIR/seed-report_line/   each line with its '\n', and each whole log
#                           (several lines: cycles, torn and binary lines)
#   DIR/seed-cli/           argument vectors (NUL-separated), written here
#   DIR/seed-log_reopen/    scripts of operations (fuzz_log_reopen.c), here
set -eu
dir=$1
shift
for name in jsonparse report_line cli log_reopen; do
	rm -rf "$dir/seed-$name"
	mkdir -p "$dir/seed-$name"
done
for log in "$@"; do
	base=$(basename "$log" .jsonl)
	split -l 1 -a 3 -d "$log" "$dir/seed-report_line/$base-"
	cp "$log" "$dir/seed-report_line/$base-whole"
	for line in "$dir/seed-report_line/$base-"[0-9]*; do
		# Strip the final newline only (a NUL or '\r' before it stays).
		if [ "$(tail -c 1 "$line" | od -An -tx1 | tr -d ' ')" = 0a ]; then
			head -c -1 "$line" >"$dir/seed-jsonparse/${line##*/}"
		else
			cp "$line" "$dir/seed-jsonparse/${line##*/}"
		fi
	done
done
echo "seeds: $(find "$dir/seed-jsonparse" -type f | wc -l) for jsonparse," \
	"$(find "$dir/seed-report_line" -type f | wc -l) for report_line"

# One per mode and option, good and bad: the fuzzer mutates from there.
n=0
cli() {
	local a
	n=$((n + 1))
	for a in "$@"; do printf '%s\0' "$a"; done >"$dir/seed-cli/$n"
}
cli watch --dev lin -d 253:0 --dev dm-3 -t 1.5 --json
cli --json coverage
cli watch --log /tmp/x --log-level violations --metrics /tmp/y --metrics-interval 0.5 --syslog
cli watch --rate-limit 0 --kmsg --wait --force-kprobe -v
cli run --summary s.json --events --error-exitcode 3 --kill-after 2 -- ./check generic/001
cli explore --setup 'dmsetup create x' --swap 'dmsetup resume x' --teardown 'dmsetup remove x' \
	--max-runs 10 --no-verify
cli report --html out.html a.jsonl b.jsonl
cli -t 0x1p-3
cli -Qt watch
cli watch --help
cli -V
cli --dev 253:99999999999999999999 --wait
# The log: write, rotate, reopen; a neighbour's plants between (see the target).
script() { printf '%b' "$1" >"$dir/seed-log_reopen/$2"; }
script '\x00\x01\x02\x00' rotate
script '\x00\x07\x01\x02\x00' dir-swapped
script '\x00\x01\x03\x02\x00\x08\x13\x02\x00\x08\x23\x02\x08\x33\x02\x00\x08\x43\x02\x00' planted
script '\x00\x01\x04\x02\x00\x08\x05\x02\x15\x02\x00\x08\x06\x02\x00\x09\x00' odd
echo "seeds: $(find "$dir/seed-cli" -type f | wc -l) for cli," \
	"$(find "$dir/seed-log_reopen" -type f | wc -l) for log_reopen"
