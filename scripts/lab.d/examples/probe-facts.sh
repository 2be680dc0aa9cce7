#!/bin/sh
# Collect what can be probed on a kernel, as sample data for unit tests:
#   LAB_OUT=tests/data/<label> scripts/lab run <label> scripts/lab.d/examples/probe-facts.sh
# Writes to /lab/out (copied back to LAB_OUT):
#   available_filter_functions.txt  ftrace-attachable functions (with [module])
#   btf_funcs.txt                   "vmlinux NAME" / "dm_mod NAME" BTF FUNCs
#   kallsyms.txt                    /proc/kallsyms lines (addresses as shown)
#   uname.txt                       uname -a
# for the functions dmswap-trace may hook, with or without a compiler suffix
# (.isra.N, .constprop.N, .part.N).
set -eu
NAMES="__bind dm_swap_table dm_table_set_restrictions dm_blk_report_zones
dm_blk_do_report_zones dm_get_live_table dm_put_live_table dm_suspend dm_resume
__dm_suspend __dm_resume dm_table_destroy dm_free_md_mempools
dm_set_zones_restrictions dm_revalidate_zones blk_revalidate_disk_zones
__srcu_read_lock __srcu_read_unlock blkdev_report_zones blkdev_report_zones_ioctl
disk_free_zone_resources disk_update_zone_resources disk_free_zone_wplug
blk_zone_plug_bio blk_zone_write_plug_bio_endio blk_zone_write_plug_init_request
disk_get_and_lock_zone_wplug disk_get_or_alloc_zone_wplug should_failslab
dm_table_complete dm_setup_md_queue"
# shellcheck disable=SC2086 # split on spaces and newlines
alt=$(echo $NAMES | tr ' ' '|')
SUFFIX='(\.(isra|constprop|part)\.[0-9]+)*'
OUT=/lab/out

modprobe dm-mod
modprobe dm-crypt
modprobe null_blk

uname -a >"$OUT/uname.txt"
# "name" or "name [module]"
grep -E "^($alt)$SUFFIX( |\$)" /sys/kernel/tracing/available_filter_functions |
	sort >"$OUT/available_filter_functions.txt" || true
# "addr type name<TAB>[module]" (grep, not awk: busybox awk recompiles a
# dynamic regex on every line, minutes under TCG)
TAB=$(printf '\t')
grep -E " ($alt)$SUFFIX($TAB|\$)" /proc/kallsyms | sort -k3 >"$OUT/kallsyms.txt" || true
# "[id] FUNC 'name' type_id=N linkage=..."; module BTF is split BTF on vmlinux.
{
	bpftool btf dump file /sys/kernel/btf/vmlinux
	echo ----
	bpftool btf dump file /sys/kernel/btf/dm_mod -B /sys/kernel/btf/vmlinux
} | awk -v names="$NAMES" '
	BEGIN { n = split(names, a); for (i = 1; i <= n; i++) want["\047" a[i] "\047"] = 1; obj = "vmlinux" }
	$0 == "----" { obj = "dm_mod"; next }
	$2 == "FUNC" && ($3 in want) { gsub("\047", "", $3); print obj, $3 }' | sort -u >"$OUT/btf_funcs.txt"
wc -l "$OUT"/*.txt
