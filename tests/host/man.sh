#!/bin/bash
# The manual page against the code: every option the parsers know (main.c's
# long options table and getopt string, report.c's options) has an entry in
# OPTIONS and every entry there is an option the parsers know; every exit
# status of user/exitcode.h is listed; it renders without warnings.
# MAN=FILE checks another page (how the test is shown to fail).
set -u
man=${MAN:-man/dmswap-trace.8}

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

# The parsers' options, one per line: --long and -s.
parser_options() {
	sed -n '/longopts\[\] = {/,/};/s/^[[:space:]]*{ "\([a-z-]*\)".*/--\1/p' user/main.c
	sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' user/main.c |
		tr -d '+:' | grep -o . | sed 's/^/-/'
	grep -o 'strn\?cmp(a, "--[a-z][a-z-]*' user/report.c | sed 's/.*"//' | grep -vx -- '--help'
}

# The options the page documents: the tags (the line after .TP) of OPTIONS.
man_options() {
	awk '/^\.SH/ { in_opts = ($2 == "OPTIONS") } in_opts && tag { print } { tag = /^\.TP/ }' \
		"$man" | sed 's/\\-/-/g' | grep -o -- '--\?[a-zA-Z][a-z-]*'
}

want=$(parser_options | sort -u)
have=$(man_options | sort -u)
if [ "$(echo "$want" | wc -l)" -lt 20 ]; then
	fail man-documents-every-option "found only $(echo "$want" | wc -l) parser options: the extraction is broken"
else
	missing=$(comm -23 <(echo "$want") <(echo "$have") | tr '\n' ' ')
	extra=$(comm -13 <(echo "$want") <(echo "$have") | tr '\n' ' ')
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		pass man-documents-every-option
	else
		fail man-documents-every-option "not in $man: ${missing:-none}; unknown to the parser: ${extra:-none}"
	fi
fi

codes=$(sed -n 's/^[[:space:]]*EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' user/exitcode.h)
listed=$(awk '/^\.SH/ { in_exit = ($0 ~ /EXIT STATUS/) } in_exit && tag { print } { tag = /^\.TP/ }' \
	"$man" | sed -n 's/^\.B \([0-9]*\)$/\1/p')
if [ -n "$codes" ] && [ "$(echo "$codes" | sort -n)" = "$(echo "$listed" | sort -n)" ]; then
	pass man-lists-every-exit-status
else
	fail man-lists-every-exit-status "exitcode.h: ${codes//$'\n'/ }; page: ${listed//$'\n'/ }"
fi

# What lintian runs (man --warnings), and groff's own strictest check.
warn=$( (LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$man" >/dev/null
	groff -ww -z -man "$man") 2>&1)
if [ -z "$warn" ] && MANWIDTH=80 man -l "$man" 2>/dev/null | grep -q '^EXIT STATUS'; then
	pass man-renders-without-warnings
else
	fail man-renders-without-warnings "$(echo "$warn" | head -3)"
fi
