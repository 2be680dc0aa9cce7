/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-1: SRCU balance.  Within one dm_blk_report_zones() call, every
 * dm_get_live_table(md) of the task is matched by a dm_put_live_table(md)
 * with the same index before the call returns.  The bugs this catches: the
 * -EIO return without a put (6.1's code still has it), and get and put
 * decided by two separate reads of md->zone_revalidate_map.  Without a
 * checker the symptom is a dm_suspend hanging in synchronize_srcu, later.
 *
 * Only report calls observed from their start are checked: a call that was
 * inside its SRCU section when the tool attached has no frame.
 */
#ifndef DMSWAP_INV1_BPF_H
#define DMSWAP_INV1_BPF_H

#include "violation.bpf.h"

/* Count a get or put of @md by the current task's report, if it has one. */
static __always_inline void inv1_live_table(struct mapped_device *md, int *idx_ptr, int idx,
					    bool get)
{
	struct frame *f = frame_peek(SLOT_REPORT);

	if (!f || f->md != md)
		return;
	if (get) {
		f->gets++;
		f->idx_ptr = idx_ptr;
		return;
	}
	f->puts++;
	f->put_idx = idx;
	/* The get stored its index through idx_ptr, in this same caller's frame. */
	if (f->idx_ptr) {
		int got = -1;

		bpf_probe_read_kernel(&got, sizeof(got), f->idx_ptr);
		f->get_idx = got;
		if (got != idx)
			f->idx_mismatch = 1;
	}
}

static __always_inline void inv1_report_exit(void *ctx, struct frame *f, long ret)
{
	struct dmswap_violation_info *v;

	if (f->gets == f->puts && !f->idx_mismatch)
		return;
	v = violation_begin(f->gets != f->puts ? INV1_UNBALANCED : INV1_INDEX_MISMATCH);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_LIVE_GETS, f->gets);
	evidence_value(v, DMSWAP_F_LIVE_PUTS, f->puts);
	evidence_value(v, DMSWAP_F_SRCU_GET_IDX, f->get_idx);
	evidence_value(v, DMSWAP_F_SRCU_PUT_IDX, f->put_idx);
	evidence_value(v, DMSWAP_F_RET, ret);
	violation_commit(ctx, v, f->md, dev_cycle_current(f->md));
}

#endif /* DMSWAP_INV1_BPF_H */
