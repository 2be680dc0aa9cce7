/* SPDX-License-Identifier: GPL-2.0 */
/* INV-6: after a successful resume the capacity is the live table's size. */
#ifndef DMSWAP_INV6_BPF_H
#define DMSWAP_INV6_BPF_H

#include "violation.bpf.h"

static __always_inline void inv6_resume_exit(void *ctx, struct mapped_device *md, long ret,
					     __u64 swap_id)
{
	struct dm_table *map;
	struct dmswap_violation_info *v;
	__u64 capacity, size;

	if (ret)
		return;
	map = BPF_CORE_READ(md, map);
	if (!map)
		return;
	capacity = disk_capacity(md_disk(md));
	size = table_sectors(map);
	if (capacity == size)
		return;
	v = violation_begin(INV6_CAPACITY);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_CAPACITY, capacity);
	evidence_value(v, DMSWAP_F_TABLE_SECTORS, size);
	violation_commit(ctx, v, md, swap_id);
}

#endif /* DMSWAP_INV6_BPF_H */
