/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-10: no table is destroyed while it is a device's live map.
 *
 * A table becomes md->map in __bind() and leaves it in __unbind() or when a
 * swap replaces it; only then may dm_table_destroy() free it.  Before
 * 366665416f20 (CVE-2026-72102), dm_early_create() jumped to its
 * destroy-the-table label when dm_resume() failed after the swap, freeing
 * md->map, which dm_destroy() then used and freed again.  Checked at
 * dm_table_destroy() entry, on every path, not only that one.
 */
#ifndef DMSWAP_INV10_BPF_H
#define DMSWAP_INV10_BPF_H

#include "violation.bpf.h"

static __always_inline void inv10_table_destroy(void *ctx, struct dm_table *t)
{
	struct mapped_device *md;
	struct dmswap_violation_info *v;
	struct dev_track *dt;
	__u64 key;

	if (!t)
		return;
	md = BPF_CORE_READ(t, md);
	if (!md || (void *)BPF_CORE_READ(md, map) != (void *)t)
		return;
	v = violation_begin(INV10_LIVE_TABLE_DESTROYED);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_TABLE_IS_MAP, 1);
	evidence_value(v, DMSWAP_F_MAP, (__u64)t);
	evidence_value(v, DMSWAP_F_TABLE_SECTORS, table_sectors(t));
	evidence_value(v, DMSWAP_F_SUSPENDED,
		       !!(BPF_CORE_READ(md, flags) & (1ULL << DMF_SUSPENDED)));
	key = (__u64)md;
	dt = bpf_map_lookup_elem(&devices, &key);
	violation_commit(ctx, v, md, dt ? dt->swap_id : 0);
}

#endif /* DMSWAP_INV10_BPF_H */
