/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-13: a dm-error swap keeps the zone configuration of a device in use.
 *
 * dm-error (a wildcard target) may replace any table: xfstests swaps it in
 * under a mounted file system to simulate a dead disk, then swaps the
 * working table back.  The maintainers allowed it on zoned devices because
 * "dm-error does not change anything" (the seed thread): since 6.10
 * (a951104333bd) `error DEV START` takes the zone model of DEV.  Before
 * that, and with a bare `error` table on any kernel, the device silently
 * stops being zoned under its user: 6.1 with fstests' error table over a
 * mounted zoned btrfs goes on to "unexpected conventional zone", a WARNING
 * in bio_add_zone_append_page() and a NULL dereference in submit_one_bio().
 *
 * Rule 0: a successful swap to an all-wildcard table whose targets cannot
 * be zoned (no DM_TARGET_ZONED_HM: the kernel lacks a951104333bd), on a
 * device that was zoned and open, changed its zoned model, zone size,
 * capacity or number of zones.  Where dm-error can be zoned, a change
 * means the table named no device (a bare `error`): the user's choice,
 * not the kernel's.  A device nobody holds open is free to change (INV-8
 * guards the zone write state that survives a swap).
 */
#ifndef DMSWAP_INV13_BPF_H
#define DMSWAP_INV13_BPF_H

#include "violation.bpf.h"

static __always_inline void inv13_swap_exit(void *ctx, struct frame *f, long ret,
					    const struct dmswap_snapshot *after, __u64 swap_id)
{
	const struct dmswap_snapshot *before = &f->snap;
	struct mapped_device *md = f->md; /* BPF_CORE_READ() must not see f */
	struct dmswap_violation_info *v;
	int open_count;

	if (is_err_value(ret) || !f->wildcard || f->wildcard_zoned ||
	    !before->v[DMSWAP_F_LIM_ZONED])
		return;
	if (before->v[DMSWAP_F_LIM_ZONED] == after->v[DMSWAP_F_LIM_ZONED] &&
	    before->v[DMSWAP_F_LIM_CHUNK_SECTORS] == after->v[DMSWAP_F_LIM_CHUNK_SECTORS] &&
	    before->v[DMSWAP_F_CAPACITY] == after->v[DMSWAP_F_CAPACITY] &&
	    before->v[DMSWAP_F_DISK_NR_ZONES] == after->v[DMSWAP_F_DISK_NR_ZONES])
		return;
	open_count = BPF_CORE_READ(md, open_count.counter);
	if (open_count <= 0)
		return;
	v = violation_begin(INV13_ZONES_CHANGED);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_OPEN_COUNT, open_count);
	evidence_if_changed(v, DMSWAP_F_LIM_ZONED, before->v[DMSWAP_F_LIM_ZONED],
			    after->v[DMSWAP_F_LIM_ZONED]);
	evidence_if_changed(v, DMSWAP_F_LIM_CHUNK_SECTORS, before->v[DMSWAP_F_LIM_CHUNK_SECTORS],
			    after->v[DMSWAP_F_LIM_CHUNK_SECTORS]);
	evidence_if_changed(v, DMSWAP_F_CAPACITY, before->v[DMSWAP_F_CAPACITY],
			    after->v[DMSWAP_F_CAPACITY]);
	evidence_if_changed(v, DMSWAP_F_DISK_NR_ZONES, before->v[DMSWAP_F_DISK_NR_ZONES],
			    after->v[DMSWAP_F_DISK_NR_ZONES]);
	violation_commit(ctx, v, f->md, swap_id);
}

#endif /* DMSWAP_INV13_BPF_H */
