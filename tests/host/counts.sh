#!/bin/bash
# Prose that counts the invariants against bpf/invariants.def, the one
# table of them: "nine invariants" in the man page and debian/control, and
# every range "INV-1 to INV-N" / "INV-1 … INV-N" in those and the README
# (the number in words, as the prose has it).  Adding INV-10 without them
# fails here.  README=, MAN=, CONTROL= check other files (how the test is
# shown to fail).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
readme=${README:-README.md}
man=${MAN:-man/dmswap-trace.8}
control=${CONTROL:-debian/control}

pass() { echo "PASS host/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/$1"
}

n=$(grep -c '^INVARIANT(' bpf/invariants.def)
words=(zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
	fifteen sixteen seventeen eighteen nineteen twenty)
if [ "$n" -lt 1 ] || [ "$n" -ge "${#words[@]}" ]; then
	fail invariant-count-in-prose "$n invariants in bpf/invariants.def: extend the words"
	exit 0
fi
word=${words[$n]}

bad=""
# "N invariants": the man page's description and the package's.
for f in "$man" "$control"; do
	found=$(grep -oiE '\b[a-z]+ invariants\b' "$f" | grep -iE "^($(
		IFS='|'
		echo "${words[*]}"
	)) ")
	[ -n "$found" ] || bad+="$f: no \"$word invariants\"; "
	while IFS= read -r phrase; do
		[ -z "$phrase" ] || [ "${phrase,,}" = "$word invariants" ] || bad+="$f: \"$phrase\"; "
	done <<<"$found"
done
# Ranges from INV-1: the man page writes INV\-1 to INV\-9.
for f in "$readme" "$man" "$control"; do
	while IFS= read -r last; do
		[ -z "$last" ] || [ "$last" = "$n" ] || bad+="$f: a range to INV-$last; "
	done < <(sed 's/\\-/-/g' "$f" | grep -oE 'INV-1 (to|…|\.\.\.) INV-[0-9]+' | grep -oE '[0-9]+$')
done
if [ -z "$bad" ]; then
	pass invariant-count-in-prose
else
	fail invariant-count-in-prose "bpf/invariants.def has $n ($word): $bad"
fi
