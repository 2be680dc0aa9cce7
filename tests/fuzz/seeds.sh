#!/bin/bash
# seeds.sh DIR LOG...: the seed corpora of the fuzz targets, made at build
# time from the recorded logs (not committed: one file per line).
#   DIR/seed-jsonparse/     each line, without its '\n': one JSON text
#   DIR/seed-report_line/   each line with its '\n', and each whole log
#                           (several lines: cycles, torn and binary lines)
set -eu
dir=$1
shift
for name in jsonparse report_line; do
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
