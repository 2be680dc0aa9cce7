/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-9: zone write plug resources on a dm disk imply zone append
 * emulation (DMF_EMULATE_ZONE_APPEND).  Reported once per transition into
 * the bad state, not at every later swap.
 */
#ifndef DMSWAP_INV9_BPF_H
#define DMSWAP_INV9_BPF_H

#include "violation.bpf.h"

static __always_inline void inv9_swap_exit(void *ctx, struct frame *f, struct dev_track *dt,
					   const struct dmswap_snapshot *after, __u64 swap_id)
{
	bool hash =
		after->present & (1ULL << DMSWAP_F_WPLUGS_HASH) && after->v[DMSWAP_F_WPLUGS_HASH];
	bool firing = hash && !after->v[DMSWAP_F_EMULATE_ZA];
	struct dmswap_violation_info *v;

	if (firing && !dt->inv9_firing) {
		v = violation_begin(INV9_PLUGS_WITHOUT_EMULATION);
		if (v) {
			evidence_value(v, DMSWAP_F_WPLUGS_HASH, after->v[DMSWAP_F_WPLUGS_HASH]);
			evidence_add(v, DMSWAP_F_EMULATE_ZA, DMSWAP_EVK_CHANGED,
				     f->snap.v[DMSWAP_F_EMULATE_ZA], after->v[DMSWAP_F_EMULATE_ZA]);
			evidence_add(v, DMSWAP_F_LIM_ZONED, DMSWAP_EVK_CHANGED,
				     f->snap.v[DMSWAP_F_LIM_ZONED], after->v[DMSWAP_F_LIM_ZONED]);
			evidence_snapshot_field(v, after, DMSWAP_F_WPLUG_POOL_SIZE);
			violation_commit(ctx, v, f->md, swap_id);
		}
	}
	dt->inv9_firing = firing;
}

#endif /* DMSWAP_INV9_BPF_H */
