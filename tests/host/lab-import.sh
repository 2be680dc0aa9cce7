#!/bin/bash
# Any kernel in the lab, without booting one: scripts/lab import's parsing of
# TREE[:MODDIR], IMAGE:MODDIR[:CONFIG] and DEB[,DEB...], the layout it puts
# in the cache, the content key (a copy is the same kernel, a change is
# another), the requirements (each one missing is a 125 that names it), the
# completion of 7.x's split packages; and scripts/truth-table's arguments
# and table (tests/lab/truth_table.py) from made-up runs.  Fake kernels: the
# image is not bootable, the modules are empty files (depmod indexes them).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DMSWAP_LAB_CACHE=$tmp/cache LAB_QUIET=1

pass() { echo "PASS host/lab-import/$1"; }
fail() {
	echo "  $2"
	echo "FAIL host/lab-import/$1"
}
# expect NAME STATUS PATTERN -- COMMAND...: exit status and a line of output.
expect() {
	local name=$1 want=$2 pattern=$3 out rc=0
	shift 4
	out=$("$@" 2>&1) || rc=$?
	if [[ $rc == "$want" ]] && grep -qE -- "$pattern" <<<"$out"; then
		pass "$name"
	else
		fail "$name" "exit $rc (wanted $want), output: $(tail -n 3 <<<"$out")"
	fi
}

# shellcheck disable=SC1091 # import.sh is checked on its own (a *.sh)
. scripts/lab.d/import.sh
kver=9.9.9-test

# A config with every requirement, minus the options named.
config() {
	local entry opt vals skip
	for entry in "${IMPORT_NEEDS[@]}" "${IMPORT_WANTS[@]}"; do
		IFS=: read -r opt vals _ <<<"$entry"
		for skip in "$@"; do [[ $opt == "$skip" ]] && continue 2; done
		# The first allowed value; "m" where a module is allowed (dm-mod,
		# null_blk: their files must be there).
		if [[ " $vals " == *" m "* ]]; then echo "$opt=m"; else echo "$opt=${vals%% *}"; fi
	done
	for skip in "$@"; do [[ $skip == CONFIG_DEBUG_INFO_BTF_MODULES ]] && return 0; done
	echo "CONFIG_DEBUG_INFO_BTF_MODULES=y"
}
# modroot DIR [MODULE...]: DIR/lib/modules/$kver with empty module files.
modroot() {
	local dir=$1 m
	shift
	mkdir -p "$dir/lib/modules/$kver/kernel"
	for m in "$@"; do : >"$dir/lib/modules/$kver/kernel/$m.ko"; done
}
modules=(dm-mod null_blk dm-crypt dm-multipath configfs virtio_blk virtio_pci)

mkdir -p "$tmp/k1"
head -c 4096 /dev/urandom >"$tmp/k1/vmlinuz"
config >"$tmp/k1/config"
modroot "$tmp/k1/root" "${modules[@]}"
md=$tmp/k1/root/lib/modules/$kver

# Parsing: every malformed KERNEL is a lab error (125) that says why.
expect usage 125 'usage: scripts/lab import' -- scripts/lab import
expect no-such-file 125 "no such file or directory" -- scripts/lab import "$tmp/nothing/here"
expect image-needs-modules 125 "needs its modules" -- scripts/lab import "$tmp/k1/vmlinuz"
expect too-many-colons 125 "too many ':'" -- scripts/lab import "$tmp/k1/vmlinuz:$md:$tmp/k1/config:x"
expect not-a-deb 125 "is not a \.deb" -- scripts/lab import "$tmp/k1/config,$tmp/x.deb"
expect tree-not-built 125 "not a built kernel tree" -- scripts/lab import "$tmp/k1"
expect unknown-label 125 "unknown kernel 'nolabel'" -- scripts/lab import nolabel
expect run-unknown-kernel 125 "no such file or directory" -- \
	scripts/lab run "$tmp/nothing/here" scripts/lab.d/examples/smoke.sh

# IMAGE:MODDIR:CONFIG into the cache, in the fetched kernels' layout.
out=$(scripts/lab import "$tmp/k1/vmlinuz:$md:$tmp/k1/config" 2>/dev/null)
label=${out%% *}
kd=$DMSWAP_LAB_CACHE/kernels/$label
if [[ $out =~ ^import-[0-9a-f]{16}\ $kver$ && -f $kd/vmlinuz && -f $kd/config &&
	$(cat "$kd/kernel-version") == "$kver" && -f $kd/modules/lib/modules/$kver/modules.dep &&
	-f $kd/packages ]] && cmp -s "$kd/vmlinuz" "$tmp/k1/vmlinuz"; then
	pass image-moddir-config
else
	fail image-moddir-config "output '$out'; $(find "$kd" -maxdepth 1 2>&1 | tr '\n' ' ')"
fi
# The config found in MODDIR (7.x's layout), the modules given by their root.
cp "$tmp/k1/config" "$md/config"
expect config-in-moddir 0 "^import-[0-9a-f]{16} $kver$" -- scripts/lab import "$tmp/k1/vmlinuz:$tmp/k1/root"
rm "$md/config"
expect no-config 125 "no kernel config for $kver" -- scripts/lab import "$tmp/k1/vmlinuz:$md"
# A copy elsewhere is the same kernel; another image is another one.
cp -a "$tmp/k1" "$tmp/k1copy"
expect copy-same-label 0 "^$label $kver$" -- \
	scripts/lab import "$tmp/k1copy/vmlinuz:$tmp/k1copy/root/lib/modules/$kver:$tmp/k1copy/config"
echo changed >>"$tmp/k1copy/vmlinuz"
out=$(scripts/lab import "$tmp/k1copy/vmlinuz:$tmp/k1copy/root:$tmp/k1copy/config" 2>/dev/null)
if [[ $out =~ ^import-[0-9a-f]{16}\ $kver$ && ${out%% *} != "$label" ]]; then
	pass changed-image-new-label
else
	fail changed-image-new-label "output '$out' (first import: $label)"
fi
# shellcheck disable=SC2016 # expanded by the inner shell
expect listed 0 "^$label +$kver +$tmp/k1/vmlinuz:" -- bash -c '. scripts/lab.d/import.sh; CACHE=$DMSWAP_LAB_CACHE list_imports'

# Each requirement missing: 125, naming it, and nothing in the cache.
before=$(find "$DMSWAP_LAB_CACHE/kernels" -maxdepth 1 | sort)
n=0
for entry in "${IMPORT_NEEDS[@]}"; do
	opt=${entry%%:*}
	config "$opt" >"$tmp/k1/config.no"
	echo "# $opt is not set" >>"$tmp/k1/config.no"
	out=$(scripts/lab import "$tmp/k1/vmlinuz:$md:$tmp/k1/config.no" 2>&1) && rc=0 || rc=$?
	if [[ $rc == 125 && $out == *"cannot run in the lab"*"no $opt="* ]]; then
		n=$((n + 1))
	else
		fail "needs/$opt" "exit $rc, output: $out"
	fi
done
[[ $n == "${#IMPORT_NEEDS[@]}" ]] && pass "needs-each-named ($n options)"
if [[ $(find "$DMSWAP_LAB_CACHE/kernels" -maxdepth 1 | sort) == "$before" ]]; then
	pass refused-not-cached
else
	fail refused-not-cached "$(find "$DMSWAP_LAB_CACHE/kernels" -maxdepth 1 | tr '\n' ' ')"
fi
# A module the config says is one, absent from the modules.
modroot "$tmp/k2/root" dm-mod virtio_blk virtio_pci
cp "$tmp/k1/vmlinuz" "$tmp/k2/vmlinuz"
config >"$tmp/k2/config"
expect missing-module 125 "no null_blk module in lib/modules/$kver" -- \
	scripts/lab import "$tmp/k2/vmlinuz:$tmp/k2/root:$tmp/k2/config"
config CONFIG_DEBUG_INFO_BTF_MODULES >"$tmp/k2/config"
modroot "$tmp/k2/root" "${modules[@]}"
expect module-btf 125 "no CONFIG_DEBUG_INFO_BTF_MODULES=y" -- \
	scripts/lab import "$tmp/k2/vmlinuz:$tmp/k2/root:$tmp/k2/config"

# A built tree, its modules read from MODDIR.
mkdir -p "$tmp/tree/arch/x86/boot" "$tmp/tree/include/config"
cp "$tmp/k1/vmlinuz" "$tmp/tree/arch/x86/boot/bzImage"
cp "$tmp/k1/config" "$tmp/tree/.config"
echo "$kver" >"$tmp/tree/include/config/kernel.release"
expect tree-moddir 0 "^import-[0-9a-f]{16} $kver$" -- scripts/lab import "$tmp/tree:$tmp/k1/root"
expect tree-no-config-arg 125 "not a config" -- scripts/lab import "$tmp/tree:$tmp/k1/root:$tmp/k1/config"

# Debian packages: one linux-image .deb (6.x layout), and 7.x's split three,
# the missing two taken from beside the one given.
deb() {
	local name=$1 st=$tmp/deb-$1
	shift
	mkdir -p "$st/DEBIAN"
	printf 'Package: %s\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n' \
		"$name" >"$st/DEBIAN/control"
	while [[ $# -gt 0 ]]; do
		mkdir -p "$st/$(dirname "$2")"
		cp -a "$1" "$st/$2"
		shift 2
	done
	dpkg-deb -Zgzip --root-owner-group -b "$st" "$tmp/debs/${name}_1_amd64.deb" >/dev/null
}
mkdir -p "$tmp/debs"
deb "linux-image-$kver" "$tmp/k1/vmlinuz" "boot/vmlinuz-$kver" "$tmp/k1/config" "boot/config-$kver" \
	"$md" "lib/modules/$kver"
expect deb-image 0 "^import-[0-9a-f]{16} $kver$" -- scripts/lab import "$tmp/debs/linux-image-${kver}_1_amd64.deb"
deb "linux-binary-$kver" "$tmp/k1/vmlinuz" "usr/lib/modules/$kver/vmlinuz"
deb "linux-base-$kver" "$tmp/k1/config" "usr/lib/modules/$kver/config"
deb "linux-modules-$kver" "$md/kernel" "usr/lib/modules/$kver/kernel"
expect deb-split-completed 0 "^import-[0-9a-f]{16} $kver$" -- scripts/lab import "$tmp/debs/linux-modules-${kver}_1_amd64.deb"
mkdir -p "$tmp/alone" && cp "$tmp/debs/linux-modules-${kver}_1_amd64.deb" "$tmp/alone/"
expect deb-split-missing 125 "linux-binary\[-unsigned\]-V holds it" -- \
	scripts/lab import "$tmp/alone/linux-modules-${kver}_1_amd64.deb"

# scripts/truth-table: the scenarios' arguments, one place for tests/run too.
expect args-6.1-r1 0 "^--trace nowrite$" -- scripts/truth-table --args 6.1 r1
expect args-other 0 "^--trace$" -- scripts/truth-table --args lab-unfixed r1
expect tt-unknown-scenario 2 "unknown scenario 'zz'" -- scripts/truth-table 6.12 zz
expect tt-bad-kernel 125 "could not take kernel" -- scripts/truth-table "$tmp/nothing"

# The table, from made-up runs of r1 and r4 on 6.12 (the cells of
# check_scenario.py: r1 fires INV-4 only, r4 nothing).
runs=$tmp/runs
mkdir -p "$runs"
trace() {
	echo "=== begin trace"
	[[ -z $1 ]] || echo "{\"kind\":\"violation\",\"inv\":\"$1\",\"rule\":0,\"fixes\":[{\"commit\":\"9eb7109a5bfc\",\"title\":\"dm: a fix\",\"mainline\":\"6.16\",\"stable\":\"6.12.34\"}]}"
	echo '{"kind":"summary","dropped":0,"by_inv":{"INV-1":0,"INV-4":1,"INV-9":0}}'
	echo "=== end trace"
	echo "result tracer 0"
}
trace INV-4 >"$runs/r1.out" && echo 0 >"$runs/r1.rc"
trace "" >"$runs/r4.out" && echo 0 >"$runs/r4.rc"
expect table-fires-fix 0 '^INV-4 +r1 +FIRES x1 +FIRES +9eb7109a5bfc "dm: a fix" \(mainline 6\.16; stable 6\.12\.34\)$' -- \
	python3 tests/lab/truth_table.py 6.12 v 6.12 "$runs" r1 r4
expect table-silent 0 '^INV-9 +r4 +SILENT +SILENT' -- python3 tests/lab/truth_table.py 6.12 v 6.12 "$runs" r1 r4
expect table-matches 0 'matches the expected truth table of 6.12: yes' -- \
	python3 tests/lab/truth_table.py 6.12 v 6.12 "$runs" r1 r4
expect table-unknown-kernel 0 'what happened, not whether it is right' -- \
	python3 tests/lab/truth_table.py import-x v "" "$runs" r1 r4
trace INV-4 >"$runs/r4.out"
expect table-differs 1 'matches the expected truth table of 6.12: no \(1 cells differ\)' -- \
	python3 tests/lab/truth_table.py 6.12 v 6.12 "$runs" r1 r4
echo 124 >"$runs/r4.rc"
expect table-no-run 1 '^INV-4 +r4 +NO RUN' -- python3 tests/lab/truth_table.py import-x v "" "$runs" r1 r4
