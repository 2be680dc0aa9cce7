#!/bin/sh
# explore: every failure path of two swaps, one run per failed slab
# allocation (dmswap-trace explore, fault injection on should_failslab).
#   crypt   an `error` table swapped to dm-crypt on a zoned null_blk
#           (emulated zone append: the swap revalidates the zones and
#           allocates the zone write plug resources)
#   linear  an `error` table swapped to dm-linear on the same zoned null_blk
#           (native zone append)
# Every run's set-up records the device's sysfs state (before.N) and its swap
# command the state after the swap (after.N), so the checker can tell, from
# outside the tool, which failed swaps changed the device.
# On a kernel without fault injection: explore must exit 9 and coverage must
# say why.
#   crypt-kprobe  the crypt case with --force-kprobe (kprobe +
#           bpf_override_return instead of fmod_ret)
# Usage: explore.sh [crypt|linear|crypt-kprobe|all] [--no-verify]   (default all; --no-verify:
# injection only, for the debug-kernel comparison)
# shellcheck disable=SC1091
. /lab/guest/scenario-lib.sh
sc_begin explore || exit 1
which=${1:-all}
verify=${2:-}
S=524288
Q="size queue/zoned queue/logical_block_size queue/physical_block_size queue/chunk_sectors"
Q="$Q queue/nr_zones queue/max_open_zones queue/max_active_zones queue/zone_append_max_bytes"
Q="$Q queue/max_sectors_kb"
mkdir -p /tmp/ex

dmswap-trace coverage >/tmp/ex/coverage.txt 2>&1
echo "coverage-explore $(grep '^explore' /tmp/ex/coverage.txt)"

# The state script: "STATE k=v ..." of /dev/mapper/$1's disk, into a file.
cat >/tmp/ex/state.sh <<'EOF'
#!/bin/sh
d=dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')
out=""
for f in $3; do out="$out $f=$(cat /sys/block/"$d"/"$f" 2>/dev/null)"; done
echo "$out" >"$2"
EOF
chmod 755 /tmp/ex/state.sh

nullb exz size=256 zoned=1 zone_size=64 zone_nr_conv=1 || exit 1

# explore_case NAME TABLE_FILE [OPTION]
explore_case() {
	name=$1
	table=$2
	opt=${3:-}
	rm -f /tmp/ex/before.* /tmp/ex/after.*
	sc_remove "ex$name"
	echo "--- explore $name"
	# shellcheck disable=SC2086 # $verify, $opt: no word or one option
	dmswap-trace explore --json $verify $opt \
		--setup "dmsetup create ex$name --table '0 $S error' && /tmp/ex/state.sh ex$name /tmp/ex/before.\$DMSWAP_EXPLORE_RUN '$Q'" \
		--swap "dmsetup load ex$name $table && dmsetup resume ex$name; rc=\$?; /tmp/ex/state.sh ex$name /tmp/ex/after.\$DMSWAP_EXPLORE_RUN '$Q'; exit \$rc" \
		--teardown "dmsetup resume ex$name 2>/dev/null; dmsetup remove ex$name" \
		>"/tmp/ex/$name.rows" 2>"/tmp/ex/$name.err"
	res "explore-$name" $?
	emit "rows-$name" "/tmp/ex/$name.rows"
	emit "stderr-$name" "/tmp/ex/$name.err"
	for f in /tmp/ex/before.*; do
		[ -f "$f" ] || continue
		n=${f##*.}
		echo "state $name $n before$(cat "$f")"
		echo "state $name $n after$(cat /tmp/ex/after."$n" 2>/dev/null)"
	done
}

# Tables in files: a crypt table carries its key, and is never printed.
crypt_seg 0 $S /dev/exz >/tmp/ex/crypt.table
echo "0 $S linear /dev/exz 0" >/tmp/ex/linear.table
chmod 600 /tmp/ex/*.table
case $which in
crypt | all) explore_case crypt /tmp/ex/crypt.table ;;
esac
case $which in
linear | all) explore_case linear /tmp/ex/linear.table ;;
esac
# The fallback: kprobe + bpf_override_return instead of fmod_ret.
case $which in
crypt-kprobe | all) explore_case crypt-kprobe /tmp/ex/crypt.table --force-kprobe ;;
esac
sc_dmesg end
echo "explore done"
