/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-7: on a zoned dm device after a swap, disk->nr_zones matches the
 * capacity: ceil(capacity / zone size).  A stale nr_zones makes the block
 * layer index its per-zone arrays (conventional-zone bitmap, zone
 * conditions) out of bounds.
 */
#ifndef DMSWAP_INV7_BPF_H
#define DMSWAP_INV7_BPF_H

#include "violation.bpf.h"

static __always_inline void inv7_swap_exit(void *ctx, struct frame *f, long ret,
					   const struct dmswap_snapshot *after, __u64 swap_id)
{
	__u64 capacity = after->v[DMSWAP_F_CAPACITY];
	__u64 zone = after->v[DMSWAP_F_LIM_CHUNK_SECTORS];
	__u64 nr = after->v[DMSWAP_F_DISK_NR_ZONES];
	struct dmswap_violation_info *v;
	__u64 expected;

	if (is_err_value(ret) || after->v[DMSWAP_F_LIM_ZONED] == DMSWAP_ZONED_NONE || !zone)
		return;
	expected = (capacity + zone - 1) / zone;
	if (nr == expected)
		return;
	v = violation_begin(INV7_NR_ZONES);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_DISK_NR_ZONES, nr);
	evidence_value(v, DMSWAP_F_EXPECTED_NR_ZONES, expected);
	evidence_value(v, DMSWAP_F_CAPACITY, capacity);
	evidence_value(v, DMSWAP_F_LIM_CHUNK_SECTORS, zone);
	evidence_add(v, DMSWAP_F_DISK_NR_ZONES, DMSWAP_EVK_CHANGED,
		     f->snap.v[DMSWAP_F_DISK_NR_ZONES], nr);
	violation_commit(ctx, v, f->md, swap_id);
}

#endif /* DMSWAP_INV7_BPF_H */
