/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-4: a failed swap leaves the device unchanged.
 *
 * The whole device snapshot taken at dm_swap_table() entry is compared,
 * field by field, with the one at a failing exit (ERR_PTR); every field that
 * differs is evidence.  Generic on purpose: no scenario is special-cased.
 */
#ifndef DMSWAP_INV4_BPF_H
#define DMSWAP_INV4_BPF_H

#include "violation.bpf.h"

static __always_inline void inv4_swap_exit(void *ctx, struct frame *f, long ret,
					   const struct dmswap_snapshot *after, __u64 swap_id)
{
	struct dmswap_violation_info *v;

	if (!is_err_value(ret))
		return;
	v = violation_begin(INV4_DEVICE_CHANGED);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_ERRNO, -ret);
	/*
	 * Unrolled: 6.1's verifier rejects this loop's shape as a back-edge.
	 * Every value is loaded from map memory (volatile), never carried in a
	 * register, so the verifier learns nothing per branch and the paths
	 * merge instead of doubling 37 times.
	 */
#pragma unroll
	for (int i = 0; i < DMSWAP_F_SNAP_MAX; i++) {
		__u64 both =
			*(volatile __u64 *)&f->snap.present & *(volatile __u64 *)&after->present;

		if (both & (1ULL << i) && f->snap.v[i] != after->v[i])
			evidence_add(v, i, DMSWAP_EVK_CHANGED, f->snap.v[i], after->v[i]);
	}
	/* More than the errno: something changed. */
	if (*(volatile __u32 *)&v->nr_evidence > 1)
		violation_commit(ctx, v, f->md, swap_id);
}

#endif /* DMSWAP_INV4_BPF_H */
