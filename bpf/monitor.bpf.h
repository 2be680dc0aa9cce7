/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor: the tracer calls these at the points of the swap path; each
 * invariant's check (bpf/invN_*.bpf.h) runs if enabled (inv_mask).  The
 * tracer is the model of what happens, the checks are the monitor, and the
 * violation records (violation.bpf.h, then user space) the reactor.
 */
#ifndef DMSWAP_MONITOR_BPF_H
#define DMSWAP_MONITOR_BPF_H

#include "inv1_srcu_balance.bpf.h"
#include "inv2_revalidate_map.bpf.h"
#include "inv3_report_suspend.bpf.h"
#include "inv4_failed_swap.bpf.h"
#include "inv5_mempools.bpf.h"
#include "inv6_capacity.bpf.h"
#include "inv7_zone_geometry.bpf.h"
#include "inv8_zone_freeze.bpf.h"
#include "inv9_zone_resources.bpf.h"
#include "inv10_live_table_destroyed.bpf.h"
#include "inv11_queue_balance.bpf.h"
#include "inv12_rq_stackable.bpf.h"
#include "inv13_error_keeps_zones.bpf.h"
#include "snapshot.bpf.h"

/*
 * dm_swap_table() entry, after the frame is filled (with f->wildcard and
 * f->emulates: the tracer's scan of the targets).
 */
static __always_inline void monitor_swap_enter(struct frame *f)
{
	struct dev_track *dt;

	snapshot_read(f->md, &f->snap);
	f->devs_sig = table_devices_sig(f->table, &f->nr_devs, &f->first_dev);
	dt = dev_track_get(f->md);
	if (dt && INV_ON(8))
		inv8_swap_enter(f, dt);
}

static __always_inline void monitor_swap_exit(void *ctx, struct frame *f, long ret, __u64 swap_id)
{
	struct dmswap_snapshot *after = scratch_snap();
	struct dev_track *dt = dev_track_get(f->md);

	if (!after || !dt)
		return;
	snapshot_read(f->md, after);
	if (INV_ON(4))
		inv4_swap_exit(ctx, f, ret, after, swap_id);
	if (INV_ON(5))
		inv5_swap_exit(ctx, f, ret, swap_id);
	if (INV_ON(7))
		inv7_swap_exit(ctx, f, ret, after, swap_id);
	if (INV_ON(8))
		inv8_swap_exit(ctx, f, dt, ret, after, swap_id);
	if (INV_ON(9))
		inv9_swap_exit(ctx, f, dt, after, swap_id);
	if (INV_ON(12))
		inv12_swap_exit(ctx, f, ret, swap_id);
	if (INV_ON(13))
		inv13_swap_exit(ctx, f, ret, after, swap_id);
}

static __always_inline void monitor_resume_exit(void *ctx, struct mapped_device *md, long ret,
						__u64 swap_id)
{
	if (INV_ON(6))
		inv6_resume_exit(ctx, md, ret, swap_id);
}

static __always_inline void monitor_suspend_exit(void *ctx, struct mapped_device *md, long ret)
{
	if (INV_ON(3))
		inv3_suspend_exit(ctx, md, ret);
}

/* dm_blk_report_zones() entry and exit, and dm_blk_do_report_zones(). */
static __always_inline void monitor_report_enter(struct frame *f)
{
	__sync_fetch_and_add(&reports_in_flight, 1);
	if (INV_ON(3))
		inv3_report_enter(f);
}

static __always_inline void monitor_report_map_used(void *ctx, struct frame *f)
{
	if (INV_ON(2))
		inv2_report_map_used(ctx, f);
	if (INV_ON(3))
		inv3_report_map_used(ctx, f);
}

static __always_inline void monitor_report_exit(void *ctx, struct frame *f, long ret)
{
	__sync_fetch_and_add(&reports_in_flight, -1);
	if (INV_ON(1))
		inv1_report_exit(ctx, f, ret);
	if (INV_ON(3)) {
		inv3_report_exit(ctx, f, ret);
		inv3_report_left(f);
	}
}

/* blkdev_report_zones_ioctl() entry and exit: user space's zone reports. */
static __always_inline void monitor_user_report(bool enter)
{
	if (INV_ON(3))
		inv3_user_report(enter);
}

/* dm_get_live_table() / dm_put_live_table() while a report is in flight. */
static __always_inline void monitor_live_table(struct mapped_device *md, int *idx_ptr, int idx,
					       bool get)
{
	struct frame *f;

	if (INV_ON(1) || INV_ON(2))
		inv1_live_table(md, idx_ptr, idx, get);
	if (INV_ON(3)) {
		f = frame_peek(SLOT_REPORT);
		if (f && f->md == md) {
			if (get)
				inv3_report_get(f);
			else
				inv3_report_left(f);
		}
	}
}

/* dm_table_destroy(t) entry. */
static __always_inline void monitor_table_destroy(void *ctx, struct dm_table *t)
{
	if (INV_ON(10))
		inv10_table_destroy(ctx, t);
}

/* dm_start_queue(q) / dm_stop_queue(q) entry: request-based devices only. */
static __always_inline void monitor_queue(void *ctx, struct request_queue *q, bool start)
{
	if (INV_ON(11))
		inv11_queue(ctx, q, start);
}

/* The device is being destroyed: forget everything kept about it. */
static __always_inline void monitor_device_gone(struct mapped_device *md)
{
	__u64 key = (__u64)md;

	bpf_map_delete_elem(&devices, &key);
	bpf_map_delete_elem(&reports_using_map, &key);
}

#endif /* DMSWAP_MONITOR_BPF_H */
