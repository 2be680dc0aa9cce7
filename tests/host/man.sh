#!/bin/bash
# The manual page, the README and the bash completion against the parser:
# per mode, every option "dmswap-trace MODE --help" lists (cli.c's table;
# report.c's for report) has an entry in the page's OPTIONS subsections of
# that mode, in the completion's list of the mode and in README's options
# list's items of the mode, and every entry there is one the mode takes;
# every exit status of user/exitcode.h is listed; it renders without
# warnings.  MAN=, README=, COMPLETION= check other files (how the test is
# shown to fail).
set -u
man=${MAN:-man/dmswap-trace.8}

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

bin=${DMSWAP_TRACE:-build/dmswap-trace}
readme=${README:-README.md}
completion=${COMPLETION:-dist/dmswap-trace.bash-completion}
modes="watch run coverage explore report"

# The options the parser takes in MODE, one per line (--long and -s), from
# MODE --help, which cli.c's table (report.c for report) prints.
parser_options() {
	"$bin" "$1" --help | sed -n 's/^  -\([A-Za-z]\), --\([a-z-]*\).*/-\1\n--\2/p; s/^      --\([a-z-]*\).*/--\1/p'
}

# The options the page documents for MODE: the tags (the line after .TP) of
# the OPTIONS subsections whose title is "All modes", names MODE, or "MODE only".
man_options() {
	awk -v mode="$1" '
		/^\.SH/ { in_opts = ($2 == "OPTIONS"); ok = 0 }
		in_opts && /^\.SS/ { t = $0; ok = (t ~ /All modes/ || t ~ ("[\" ,]" mode "[\" ,]")) }
		in_opts && ok && tag { print }
		{ tag = /^\.TP/ }' "$man" | sed 's/\\-/-/g' | grep -o -- '--\?[a-zA-Z][a-z-]*'
}

# README's "## Options" list, the items of MODE: an item is "- `OPTION...`"
# (one or more, separated by ", "), then "(MODE, ...)", "(every mode ...)",
# or no parenthesis (watch, run, coverage, explore: every mode but report).
readme_options() {
	sed -n '/^## Options/,/^## /p' "$readme" | grep '^- `' |
		awk -v mode="$1" '{
			match($0, /^- (`[^`]*`(, )?)+/)
			spec = substr($0, 3, RLENGTH - 2)
			m = substr($0, RLENGTH + 1)
			if (m ~ /^ *\(every mode/)
				modes = "watch run coverage explore report"
			else if (match(m, /^ *\([a-z, ]*\)/))
				modes = substr(m, RSTART, RLENGTH)
			else
				modes = "watch run coverage explore"
			gsub(/[(),]/, " ", modes)
			if ((" " modes " ") ~ (" " mode " "))
				print spec
		}' | grep -o -- '--\?[a-zA-Z][a-z-]*' | grep -- '^-'
}

# The completion's list for MODE.
completion_options() {
	sed -n "s/^[[:space:]]*$1) echo \"\\(.*\\)\" ;;/\\1/p" "$completion" | tr ' ' '\n'
}

# compare WHAT WANT HAVE: the same sets, or say which differ.
compare() {
	local missing extra
	missing=$(comm -23 <(echo "$2" | sort -u) <(echo "$3" | sort -u) | tr '\n' ' ')
	extra=$(comm -13 <(echo "$2" | sort -u) <(echo "$3" | sort -u) | tr '\n' ' ')
	if [ -z "$missing" ] && [ -z "$extra" ]; then
		return 0
	fi
	echo "  $1: missing ${missing:-none}; unknown to the parser: ${extra:-none}"
	return 1
}

ok_man=1 ok_completion=1 ok_readme=1
for mode in $modes; do
	want=$(parser_options "$mode")
	if [ "$(echo "$want" | wc -l)" -lt 4 ]; then
		echo "  $mode: found only $(echo "$want" | wc -l) options: the extraction is broken"
		ok_man=0 ok_completion=0
		continue
	fi
	compare "$man, $mode" "$want" "$(man_options "$mode")" || ok_man=0
	compare "$completion, $mode" "$want" "$(completion_options "$mode")" || ok_completion=0
	compare "$readme, $mode" "$want" "$(readme_options "$mode")" || ok_readme=0
done
if [ "$ok_man" = 1 ]; then pass man-documents-every-option; else fail man-documents-every-option "see above"; fi
if [ "$ok_completion" = 1 ]; then
	pass completion-has-every-option
else
	fail completion-has-every-option "see above"
fi
if [ "$ok_readme" = 1 ]; then
	pass readme-documents-every-option
else
	fail readme-documents-every-option "see above"
fi
# Every mode in the completion, and no other.
if [ "$(sed -n 's/.*local modes="\([^"]*\)".*/\1/p' "$completion")" = "$modes" ]; then
	pass completion-has-every-mode
else
	fail completion-has-every-mode "modes: want $modes"
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
