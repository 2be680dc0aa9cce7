/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-2: only the revalidating task uses the inactive table.  While
 * md->zone_revalidate_map is set (dm_revalidate_zones() inside a swap, 6.10+),
 * a dm_blk_report_zones() by any other task must not report from it; fixed
 * kernels send such a task to the live table, which is suspended, so it
 * gets -EAGAIN.  Buggy ones let it read resources that a failing
 * revalidation frees (CVE-2025-38141).
 *
 * Seen at dm_blk_do_report_zones(), whose arguments are not readable on
 * 6.12 (.isra.0 clone): a report that got there without taking the live
 * table (no dm_get_live_table call) while another task's revalidation map
 * was set, can only be using that map.
 */
#ifndef DMSWAP_INV2_BPF_H
#define DMSWAP_INV2_BPF_H

#include "violation.bpf.h"

/* 6.10+ (zone_revalidate_map), and the CVE fix (revalidate_map_task). */
struct mapped_device___v610 {
	void *zone_revalidate_map;
	struct task_struct *revalidate_map_task;
} __attribute__((preserve_access_index));

static __always_inline void inv2_report_map_used(void *ctx, struct frame *f)
{
	struct mapped_device___v610 *md = (void *)f->md;
	struct dmswap_violation_info *v;
	struct task_struct *owner = NULL;
	void *map;

	if (!bpf_core_field_exists(md->zone_revalidate_map) || f->in_swap || f->gets)
		return;
	map = BPF_CORE_READ(md, zone_revalidate_map);
	if (!map)
		return;
	if (bpf_core_field_exists(md->revalidate_map_task)) {
		owner = BPF_CORE_READ(md, revalidate_map_task);
		if (owner == (void *)bpf_get_current_task())
			return;
	}
	v = violation_begin(INV2_FOREIGN_TASK);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_REVALIDATE_MAP, (__u64)map);
	evidence_value(v, DMSWAP_F_REVALIDATE_TASK, owner ? BPF_CORE_READ(owner, pid) : 0);
	evidence_value(v, DMSWAP_F_LIVE_GETS, f->gets);
	violation_commit(ctx, v, f->md, dev_cycle_current(f->md));
}

#endif /* DMSWAP_INV2_BPF_H */
