/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-5: after a swap the new table holds no mempools: __bind() hands them
 * to the md or frees them (e8819e7f0347).  Before that fix a request-based
 * table kept unused pools until it was destroyed.
 */
#ifndef DMSWAP_INV5_BPF_H
#define DMSWAP_INV5_BPF_H

#include "violation.bpf.h"

static __always_inline void inv5_swap_exit(void *ctx, struct frame *f, long ret, __u64 swap_id)
{
	/* Locals: f is ours, BPF_CORE_READ() must only see kernel types. */
	struct dm_table *t = f->table;
	struct mapped_device *md = f->md;
	struct dmswap_violation_info *v;
	void *pools;

	if (is_err_value(ret) || !t)
		return;
	pools = BPF_CORE_READ(t, mempools);
	if (!pools)
		return;
	v = violation_begin(INV5_MEMPOOLS_KEPT);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_TABLE_MEMPOOLS, (__u64)pools);
	evidence_value(v, DMSWAP_F_MEMPOOLS, (__u64)BPF_CORE_READ(md, mempools));
	evidence_value(v, DMSWAP_F_MD_TYPE, BPF_CORE_READ(md, type));
	violation_commit(ctx, v, md, swap_id);
}

#endif /* DMSWAP_INV5_BPF_H */
