#!/bin/bash
# The kernel patch series of lab-fixed (scripts/lab.d/kernel/fixed/), as it
# would go to the lists: each patch has a dm:/block: subject, a Fixes: tag and
# a Signed-off-by:, is clean for the kernel's own scripts/checkpatch.pl (from
# the source package the variant is built from), and the series applies to
# that source in order.  The source comes from the lab's cache (fetched by
# `scripts/lab build-kernel fixed`); without it the checks that need it are
# said to be not run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cache=${DMSWAP_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmswap-trace/lab}
series=scripts/lab.d/kernel/fixed

pass() { echo "PASS host/kernel-series/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/kernel-series/$1"
}

mapfile -t patches < <(find "$top/$series" -maxdepth 1 -name '*.patch' | LC_ALL=C sort)
if ((${#patches[@]})); then pass series-not-empty; else fail series-not-empty "no patch in $series"; fi

for p in "${patches[@]}"; do
	n=${p##*/}
	n=${n%%-*}
	subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p; s/^Subject: //p' "$p" | head -n 1)
	if [[ $subject =~ ^(dm|block)(-[a-z]+)?:\  ]]; then pass "$n-subject"; else fail "$n-subject" "$subject"; fi
	# A Fixes: tag, or below the --- the reason there is none.
	if grep -qE '^Fixes: [0-9a-f]{12} \("' "$p" || grep -q '^No Fixes: tag: ' "$p"; then
		pass "$n-fixes"
	else
		fail "$n-fixes" "no Fixes: tag, and no 'No Fixes: tag: REASON' below the ---"
	fi
	if grep -q '^Signed-off-by: ' "$p"; then pass "$n-signed-off"; else fail "$n-signed-off" "no Signed-off-by:"; fi
done

# The package of the variant: scripts/lab's variant_src, the one place of it.
pkg=$(bash -c ". <(sed -n '/^variant_src() {/,/^}/p' scripts/lab); variant_src fixed")
tar=$(find "$cache/src" -maxdepth 1 -name "$pkg-*.tar.xz" 2>/dev/null | sort -V | tail -n 1)
if [[ -z $tar ]]; then
	echo "kernel-series: no $pkg source in $cache/src (scripts/lab build-kernel fixed fetches it): checkpatch and apply not run"
	exit 0
fi

# The touched files and checkpatch with the files it reads beside it.
mapfile -t files < <(sed -n 's|^+++ b/||p' "${patches[@]}" | sort -u)
tar -xf "$tar" -C "$tmp" "${files[@]/#/$pkg/}" \
	"$pkg/scripts/checkpatch.pl" "$pkg/scripts/spelling.txt" "$pkg/scripts/const_structs.checkpatch" ||
	{
		fail source "cannot unpack ${files[*]} from $tar"
		exit 0
	}
src=$tmp/$pkg

# checkpatch: no error, no warning.  UNKNOWN_COMMIT_ID: the source package
# has no git history to look the Fixes: commits up in.  Run outside the
# project's git tree: inside it, checkpatch takes a tracked .patch for a file
# the patch changes.
checkpatch() {
	(cd "$tmp" && perl "$src/scripts/checkpatch.pl" --no-tree --quiet --ignore UNKNOWN_COMMIT_ID "$1" 2>&1)
}
for p in "${patches[@]}"; do
	n=${p##*/}
	n=${n%%-*}
	if out=$(checkpatch "$p"); then pass "$n-checkpatch"; else fail "$n-checkpatch" "$(head -n 5 <<<"$out")"; fi
done
# The check can fail: a patch without its sign-off is an error for it.
grep -v '^Signed-off-by: ' "${patches[0]}" >"$tmp/unsigned.patch"
if ! checkpatch "$tmp/unsigned.patch" >/dev/null; then
	pass checkpatch-refuses-unsigned
else
	fail checkpatch-refuses-unsigned "checkpatch accepted a patch without Signed-off-by"
fi

ok=1
for p in "${patches[@]}"; do
	if ! out=$(patch -d "$src" -p1 --quiet --forward <"$p" 2>&1); then
		fail series-applies "${p##*/}: $out"
		ok=0
		break
	fi
done
((ok)) && pass series-applies
exit 0
