/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-12: a request-based table stacks only on blk-mq whole disks.
 *
 * dm_table_determine_type() must refuse a request-based table with an
 * underlying partition or bio-based device.  Before 8ca719b81987 it asked
 * iterate_devices() "is this device stackable?", and iterate_devices()
 * stops at the first non-zero answer: a multipath table whose first path
 * was blk-mq was accepted whatever its other paths were.  Checked when such
 * a table is bound (a successful dm_swap_table()), over all its devices.
 */
#ifndef DMSWAP_INV12_BPF_H
#define DMSWAP_INV12_BPF_H

#include "violation.bpf.h"

struct rq_walk {
	struct list_head *head;
	struct list_head *pos;
	__u32 bad;
	__u32 first_bad;
	__u8 partition;
	__u8 mq;
};

/* A bpf_loop() callback, like walk_device(): checked once by the verifier. */
static long walk_rq_device(__u32 i, void *data)
{
	struct rq_walk *w = data;
	struct list_head *pos = w->pos;
	struct dm_dev_internal *dd;
	struct block_device *bdev;
	bool partition, mq;
	dev_t devt;

	if (!pos || pos == w->head)
		return 1;
	dd = (void *)pos - bpf_core_field_offset(struct dm_dev_internal, list);
	bdev = BPF_CORE_READ(dd, dm_dev, bdev);
	devt = BPF_CORE_READ(bdev, bd_dev);
	/* bdev_is_partition() differs per kernel; its whole disk's dev_t does not. */
	partition = devt != BPF_CORE_READ(bdev, bd_disk, part0, bd_dev);
	mq = BPF_CORE_READ(bdev, bd_queue, mq_ops) != NULL;
	if (partition || !mq) {
		if (!w->bad) {
			w->first_bad = devt;
			w->partition = partition;
			w->mq = mq;
		}
		w->bad++;
	}
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

/*
 * The judgement, as a one-iteration bpf_loop() callback: the verifier checks
 * it once, instead of once per state that dm_swap_table()'s exit handler
 * reaches it in (inlined at the end of that handler, it tripled its
 * instruction count).  It builds the violation in the scratch record; the
 * handler only commits it.
 */
struct inv12_args {
	struct dm_table *t;
	__u32 nr_devs;
	__u32 fire;
};

static long inv12_judge(__u32 i, void *data)
{
	struct inv12_args *a = data;
	struct dm_table *t = a->t;
	struct dmswap_violation_info *v;
	struct list_head *head;
	struct rq_walk w = {};
	unsigned int type;

	type = BPF_CORE_READ(t, type);
	if (type != bpf_core_enum_value(enum dm_queue_mode, DM_TYPE_REQUEST_BASED))
		return 1;
	head = &t->devices;
	w.head = head;
	w.pos = BPF_CORE_READ(head, next);
	bpf_loop(16, walk_rq_device, &w, 0);
	if (!w.bad)
		return 1;
	v = violation_begin(INV12_NOT_RQ_STACKABLE);
	if (!v)
		return 1;
	evidence_value(v, DMSWAP_F_TABLE_TYPE, type);
	evidence_value(v, DMSWAP_F_NR_DEVICES, a->nr_devs);
	evidence_value(v, DMSWAP_F_BAD_DEVICES, w.bad);
	evidence_value(v, DMSWAP_F_BAD_DEVICE, w.first_bad);
	evidence_value(v, DMSWAP_F_BAD_DEVICE_PARTITION, w.partition);
	evidence_value(v, DMSWAP_F_BAD_DEVICE_MQ, w.mq);
	a->fire = 1;
	return 1;
}

static __always_inline void inv12_swap_exit(void *ctx, struct frame *f, long ret, __u64 swap_id)
{
	struct inv12_args a = { .t = f->table, .nr_devs = f->nr_devs };
	__u32 zero = 0;
	struct dmswap_violation_info *v;

	if (is_err_value(ret) || !a.t)
		return;
	bpf_loop(1, inv12_judge, &a, 0);
	if (!*(volatile __u32 *)&a.fire)
		return;
	v = bpf_map_lookup_elem(&violation_scratch, &zero);
	if (v)
		violation_commit(ctx, v, f->md, swap_id);
}

#endif /* DMSWAP_INV12_BPF_H */
