#!/bin/sh
# gen-page.sh PAGE.html > page.c: the page of "report --html" as the two C
# arrays report_page.h declares, so that its HTML, CSS and JavaScript are
# real files (checked by the style suite) and the binary still needs nothing
# installed next to it.  In PAGE.html, a line "@include FILE" is replaced by
# FILE (beside PAGE.html), and the line "@data" splits the page: before it
# report_page_head, after it report_page_tail.  Bytes, not C string
# literals: nothing in the files needs escaping.  Exit status 1 when the
# page has no "@data" line, an included file is missing or an include has
# no final newline.
set -eu
page=$1
dir=$(dirname "$page")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/head"
: >"$tmp/tail"

# The two halves, includes expanded.
awk -v dir="$dir" -v head="$tmp/head" -v tail="$tmp/tail" '
	BEGIN { out = head }
	/^@data$/ { if (out == tail) { print "gen-page: two @data lines" > "/dev/stderr"; exit 1 }
		    out = tail; next }
	/^@include / {
		file = dir "/" substr($0, 10)
		n = 0
		while ((rc = (getline line < file)) > 0) { print line > out; n++ }
		if (rc < 0 || n == 0) { print "gen-page: cannot read " file > "/dev/stderr"; exit 1 }
		close(file)
		next
	}
	{ print > out }
	END { if (out != tail) { print "gen-page: no @data line in the page" > "/dev/stderr"; exit 1 } }
' "$page"

# awk ends every line it prints with a newline: an included file without
# one would not come out byte for byte.
sed -n 's/^@include //p' "$page" | while IFS= read -r inc; do
	if [ -n "$(tail -c 1 "$dir/$inc")" ]; then
		echo "gen-page: $dir/$inc does not end with a newline" >&2
		exit 1
	fi
done

# NAME FILE: a NUL-terminated char array of FILE's bytes.
array() {
	printf 'const char %s[] = {\n' "$1"
	od -An -v -tx1 "$2" | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1, /g' -e 's/^/\t/' -e 's/, $/,/'
	printf '\t0x00\n};\n'
}

printf '/* Generated from %s by %s: do not edit. */\n' "$page" "$0"
printf '#include "report/report_page.h"\n\n'
array report_page_head "$tmp/head"
printf '\n'
array report_page_tail "$tmp/tail"
