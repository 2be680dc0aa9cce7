/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-11: a request-based device's queue is stopped only once it is set up,
 * and started only if it was stopped.
 *
 * dm_stop_queue() quiesces md->queue (blk_mq_quiesce_queue(), which waits on
 * q->tag_set), dm_start_queue() unquiesces it.  Rule 0 (7f597c2cdb9d): before
 * the fix, resume started the queue of every request-based device, also one
 * that was suspended while it had no table (so never stopped) and then got
 * its first request-based table: q->quiesce_depth is 0 at the start, and
 * blk_mq_unquiesce_queue() warns.  Rule 1 (8d33a030c566): before that fix,
 * a suspend stopped the queue even with no table bound, and a first table
 * load racing with it has set q->mq_ops but not yet q->tag_set: NULL
 * dereference.  Both are read at the functions' entry, from the queue
 * itself, so a queue stopped before the tool attached is judged right.
 */
#ifndef DMSWAP_INV11_BPF_H
#define DMSWAP_INV11_BPF_H

#include "violation.bpf.h"

static __always_inline void inv11_queue(void *ctx, struct request_queue *q, bool start)
{
	struct dmswap_violation_info *v;
	struct mapped_device *md;
	struct dev_track *dt;
	void *tag_set, *mq_ops;
	int depth;
	__u64 key;

	if (!q)
		return;
	depth = BPF_CORE_READ(q, quiesce_depth);
	tag_set = BPF_CORE_READ(q, tag_set);
	mq_ops = (void *)BPF_CORE_READ(q, mq_ops);
	if (start ? depth > 0 : tag_set != NULL)
		return;
	v = violation_begin(start ? INV11_START_NOT_STOPPED : INV11_STOP_WITHOUT_TAG_SET);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_QUIESCE_DEPTH, (__u64)(__s64)depth);
	evidence_value(v, DMSWAP_F_MQ_OPS, (__u64)mq_ops);
	evidence_value(v, DMSWAP_F_TAG_SET, (__u64)tag_set);
	/* dm sets disk->private_data to the md (alloc_dev()). */
	md = BPF_CORE_READ(q, disk, private_data);
	evidence_value(v, DMSWAP_F_MAP, md ? (__u64)BPF_CORE_READ(md, map) : 0);
	key = (__u64)md;
	dt = bpf_map_lookup_elem(&devices, &key);
	violation_commit(ctx, v, md, dt ? dt->swap_id : 0);
}

#endif /* DMSWAP_INV11_BPF_H */
