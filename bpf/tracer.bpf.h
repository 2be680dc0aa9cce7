/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swap timeline: suspend, swap (with the inlined __bind), set
 * restrictions, zone revalidation, resume and report-zones calls.
 *
 * __bind() is static and inlined into dm_swap_table() on Debian's 6.1, 6.12
 * and 7.x builds, so the bind is observed at dm_swap_table() entry and exit:
 * it returns the old map, or an ERR_PTR when the bind failed.
 */
#ifndef DMSWAP_TRACER_BPF_H
#define DMSWAP_TRACER_BPF_H

#include "core.bpf.h"
#include "event.bpf.h"
#include "hook.bpf.h"
#include "monitor.bpf.h"
#include "state.bpf.h"

/*
 * ---- dm_suspend(md, suspend_flags) ----
 * A suspend opens the swap cycle that the resume closes, at its entry: what
 * happens while it runs (a file system's zone report getting EAGAIN once
 * DMF_SUSPENDED is set) belongs to the cycle.  A failed suspend closes the
 * cycle again unless one was already open (a second suspend fails with
 * EINVAL and must not end the first one's cycle).
 */

static __always_inline int suspend_enter(struct mapped_device *md, unsigned int flags)
{
	struct frame *f;

	if (ignored_task())
		return 0;
	f = frame_push(SLOT_SUSPEND, md);
	if (!f)
		return 0;
	f->arg = flags;
	f->arg2 = dev_cycle_current(md) != 0; /* SLOT_SUSPEND: a cycle was open */
	dev_cycle_open(md);
	return 0;
}

static __always_inline int suspend_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_SUSPEND);
	struct dmswap_event *e;
	__u64 swap_id;

	if (!f)
		return 0;
	swap_id = dev_cycle_open(f->md);
	e = event_start(DMSWAP_EV_SUSPEND, f->md, f, ret);
	if (e) {
		e->swap_id = swap_id;
		e->suspend.flags = f->arg;
		event_submit(e);
	}
	if (ret && !f->arg2)
		dev_cycle_close(f->md);
	monitor_suspend_exit(ctx, f->md, ret);
	frame_pop(SLOT_SUSPEND);
	return 0;
}

HOOK_ENTRY(dm_suspend, suspend_enter(md, flags), struct mapped_device *md, unsigned int flags)
HOOK_EXIT(dm_suspend, suspend_exit, int)

/* ---- dm_swap_table(md, table) ---- */

/*
 * One pass over the new table's targets (the first 64) as a bpf_loop()
 * callback: its distinct type names (only the names: a target's parameters,
 * dm-crypt keys, are never read), whether all are wildcards (dm-error) and
 * whether those can be zoned, and whether one asks for zone append emulation.  The verifier checks the
 * callback's body once; as three bounded loops inlined into the fentry
 * program it explored ~400,000 instructions, 2.6 s of start-up under TCG.
 */
struct targets_scan {
	struct dm_target *targets;
	struct frame *f;
	struct target_type *seen[DMSWAP_MAX_TYPES];
	__u32 ntypes;
	__u8 wildcard;
	__u8 zoned_hm; /* every target has DM_TARGET_ZONED_HM */
	__u8 emulates;
};

static long scan_target(__u32 i, void *data)
{
	struct targets_scan *sc = data;
	struct dm_target *ti = &sc->targets[i];
	struct target_type *tt = BPF_CORE_READ(ti, type);
	struct frame *f = sc->f;
	__u32 k = sc->ntypes;

	__u64 features = BPF_CORE_READ(tt, features);

	/* Without branches: each would double the paths the verifier walks. */
	sc->wildcard &= !!(features & DM_TARGET_WILDCARD);
	sc->zoned_hm &= !!(features & DM_TARGET_ZONED_HM);
	if (BPF_CORE_READ_BITFIELD_PROBED(ti, emulate_zone_append))
		sc->emulates = 1;
	if (!tt || !f || k >= DMSWAP_MAX_TYPES)
		return 0;
	for (int j = 0; j < DMSWAP_MAX_TYPES; j++)
		if (j < k && sc->seen[j] == tt)
			return 0;
	for (int j = 0; j < DMSWAP_MAX_TYPES; j++)
		if (j == k)
			sc->seen[j] = tt;
	bpf_probe_read_kernel_str(f->swap.types[k], DMSWAP_TYPE_LEN, BPF_CORE_READ(tt, name));
	sc->ntypes = k + 1;
	return 0;
}

static __always_inline void scan_targets(struct frame *f, struct dm_table *t)
{
	struct targets_scan sc = { .f = f, .wildcard = 1, .zoned_hm = 1 };
	unsigned int n = BPF_CORE_READ(t, num_targets);

	sc.targets = BPF_CORE_READ(t, targets);
	f->swap.num_targets = n;
	f->swap.num_types = 0;
	f->wildcard = 0;
	f->wildcard_zoned = 0;
	f->emulates = 0;
	if (!sc.targets || !n)
		return;
	bpf_loop(n < 64 ? n : 64, scan_target, &sc, 0);
	f->swap.num_types = sc.ntypes;
	f->wildcard = sc.wildcard && n <= 64;
	f->wildcard_zoned = f->wildcard && sc.zoned_hm;
	f->emulates = sc.emulates;
}

static __always_inline int swap_enter(struct mapped_device *md, struct dm_table *t)
{
	struct frame *f;

	if (ignored_task())
		return 0;
	f = frame_push(SLOT_SWAP, md);
	if (!f)
		return 0;
	f->table = t;
	read_dev_state(md, &f->swap.before);
	f->swap.table_sectors = table_sectors(t);
	scan_targets(f, t);
	monitor_swap_enter(f);
	return 0;
}

static __always_inline int swap_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_SWAP);
	struct dmswap_event *e;
	__u64 swap_id;

	if (!f)
		return 0;
	/* dm_swap_table() runs with the device suspended: in a cycle. */
	swap_id = dev_cycle_open(f->md);
	e = event_start(DMSWAP_EV_SWAP, f->md, f, is_err_value(ret) ? ret : 0);
	if (e) {
		e->swap_id = swap_id;
		e->swap = f->swap;
		read_dev_state(f->md, &e->swap.after);
		event_submit(e);
	}
	/* After the swap's own record, so that its violations follow it. */
	monitor_swap_exit(ctx, f, ret, swap_id);
	frame_pop(SLOT_SWAP);
	return 0;
}

HOOK_ENTRY(dm_swap_table, swap_enter(md, t), struct mapped_device *md, struct dm_table *t)
HOOK_EXIT(dm_swap_table, swap_exit, long)

/* ---- dm_table_set_restrictions(t, q, limits) ---- */

static __always_inline int restrictions_enter(struct dm_table *t)
{
	if (ignored_task())
		return 0;
	frame_push(SLOT_RESTRICTIONS, BPF_CORE_READ(t, md));
	return 0;
}

static __always_inline int restrictions_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_RESTRICTIONS);
	struct dmswap_event *e;

	if (!f)
		return 0;
	e = event_start(DMSWAP_EV_RESTRICTIONS, f->md, f, ret);
	if (e) {
		e->swap_id = dev_cycle_current(f->md);
		event_submit(e);
	}
	frame_pop(SLOT_RESTRICTIONS);
	return 0;
}

HOOK_ENTRY(dm_table_set_restrictions, restrictions_enter(t), struct dm_table *t)
HOOK_EXIT(dm_table_set_restrictions, restrictions_exit, int)

/*
 * ---- zone revalidation inside a swap ----
 * 6.12 and 7.x: dm_revalidate_zones(t, q), attachable.  6.1: it is static
 * and inlined into dm_set_zones_restrictions(t, q), which the probe layer
 * then hooks instead (alt name); it is called only from the swap path and
 * returns the revalidation's result.  The first argument is the new table
 * in both; a build that kept 6.1's dm_revalidate_zones(md, t) out of line
 * would pass the md, so both are accepted.
 */

static __always_inline int revalidate_enter(void *arg0)
{
	struct dm_table *t = arg0;
	struct frame *swap;

	if (ignored_task())
		return 0;
	swap = frame_peek(SLOT_SWAP);
	if (!swap)
		return 0;
	if (arg0 != swap->md && BPF_CORE_READ(t, md) != swap->md)
		return 0;
	frame_push(SLOT_REVALIDATE, swap->md);
	return 0;
}

static __always_inline int revalidate_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_REVALIDATE);
	struct dmswap_event *e;

	if (!f)
		return 0;
	e = event_start(DMSWAP_EV_REVALIDATE, f->md, f, ret);
	if (e) {
		/* Not inside BPF_CORE_READ(): f is ours, not a kernel type. */
		struct gendisk *disk = md_disk(f->md);

		e->swap_id = dev_cycle_current(f->md);
		e->revalidate.nr_zones = BPF_CORE_READ(disk, nr_zones);
		event_submit(e);
	}
	frame_pop(SLOT_REVALIDATE);
	return 0;
}

HOOK_ENTRY(dm_revalidate_zones, revalidate_enter(arg0), void *arg0)
HOOK_EXIT(dm_revalidate_zones, revalidate_exit, int)

/* ---- dm_resume(md) ---- */

static __always_inline int resume_enter(struct mapped_device *md)
{
	if (ignored_task())
		return 0;
	frame_push(SLOT_RESUME, md);
	return 0;
}

static __always_inline int resume_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_RESUME);
	struct dmswap_event *e;
	__u64 swap_id;

	if (!f)
		return 0;
	swap_id = dev_cycle_current(f->md);
	e = event_start(DMSWAP_EV_RESUME, f->md, f, ret);
	if (e) {
		e->swap_id = swap_id;
		event_submit(e);
	}
	monitor_resume_exit(ctx, f->md, ret, swap_id);
	if (!ret)
		dev_cycle_close(f->md);
	frame_pop(SLOT_RESUME);
	return 0;
}

HOOK_ENTRY(dm_resume, resume_enter(md), struct mapped_device *md)
HOOK_EXIT(dm_resume, resume_exit, int)

/*
 * ---- dm_blk_report_zones(disk, sector, nr_zones, ...) ----
 * Arguments 0..2 are the same on 6.1, 6.12 and 7.x; 7.x replaced the
 * callback and its data by a struct blk_report_zones_args pointer.
 */

static __always_inline int report_enter(struct gendisk *disk, sector_t sector, unsigned int nr)
{
	struct frame *f;

	if (ignored_task())
		return 0;
	f = frame_push(SLOT_REPORT, BPF_CORE_READ(disk, private_data));
	if (!f)
		return 0;
	f->arg = sector;
	f->arg2 = nr;
	f->in_swap = frame_peek(SLOT_SWAP) != NULL;
	monitor_report_enter(f);
	return 0;
}

static __always_inline int report_exit(void *ctx, long ret)
{
	struct frame *f = frame_peek(SLOT_REPORT);
	struct dmswap_event *e;

	if (!f)
		return 0;
	e = event_start(DMSWAP_EV_REPORT_ZONES, f->md, f, ret);
	if (e) {
		e->swap_id = dev_cycle_current(f->md);
		e->report.sector = f->arg;
		e->report.nr_zones = f->arg2;
		e->report.map_used = f->map_used;
		e->report.in_swap = f->in_swap;
		event_submit(e);
	}
	monitor_report_exit(ctx, f, ret);
	frame_pop(SLOT_REPORT);
	return 0;
}

HOOK_ENTRY(dm_blk_report_zones, report_enter(disk, sector, nr_zones), struct gendisk *disk,
	   sector_t sector, unsigned int nr_zones)
HOOK_EXIT(dm_blk_report_zones, report_exit, int)

/*
 * ---- dm_blk_do_report_zones ----
 * Reached only when dm_blk_report_zones() got a table to report from.  It is
 * an .isra.0 clone on 6.1 and 6.12 (kprobe only, arguments rewritten), so
 * the handler reads no argument: it marks the caller's report frame.
 */

static __always_inline int report_map_used(void *ctx)
{
	struct frame *f = frame_peek(SLOT_REPORT);

	if (!f)
		return 0;
	f->map_used = 1;
	monitor_report_map_used(ctx, f);
	return 0;
}

HOOK_MARK(dm_blk_do_report_zones, report_map_used)

/*
 * ---- blkdev_report_zones_ioctl ----
 * BLKREPORTZONE from user space: the reports made inside it are user
 * space's, which may get -EAGAIN and retry (INV-3 rule 2).
 */

static __always_inline int user_report_enter(void *ctx)
{
	monitor_user_report(true);
	return 0;
}

static __always_inline int user_report_exit(void *ctx, long ret)
{
	monitor_user_report(false);
	return 0;
}

HOOK_MARK(blkdev_report_zones_ioctl, user_report_enter)
HOOK_EXIT(blkdev_report_zones_ioctl, user_report_exit, int)

/*
 * ---- dm_get_live_table(md, &srcu_idx) / dm_put_live_table(md, srcu_idx) ----
 * On every bio's path: they return after one load unless a report is in
 * flight somewhere (reports_in_flight), and then only count for the report
 * of the current task (INV-1).
 */

static __always_inline int get_live_enter(struct mapped_device *md, int *idx_ptr)
{
	if (!reports_in_flight)
		return 0;
	monitor_live_table(md, idx_ptr, 0, true);
	return 0;
}

static __always_inline int put_live_enter(struct mapped_device *md, int idx)
{
	if (!reports_in_flight)
		return 0;
	monitor_live_table(md, NULL, idx, false);
	return 0;
}

HOOK_ENTRY(dm_get_live_table, get_live_enter(md, idx), struct mapped_device *md, int *idx)
HOOK_ENTRY(dm_put_live_table, put_live_enter(md, idx), struct mapped_device *md, int idx)

/*
 * ---- dm_destroy(md) / dm_destroy_immediate(md) ----
 * The device goes away: drop its state (the maps are LRU as a backstop).
 */

static __always_inline int destroy_enter(struct mapped_device *md)
{
	monitor_device_gone(md);
	return 0;
}

HOOK_ENTRY(dm_destroy, destroy_enter(md), struct mapped_device *md)
HOOK_ENTRY(dm_destroy_immediate, destroy_enter(md), struct mapped_device *md)

/*
 * ---- dm_table_destroy(t) ----
 * Once per table, when it is freed (INV-10).
 */

static __always_inline int table_destroy_enter(void *ctx, struct dm_table *t)
{
	if (!ignored_task())
		monitor_table_destroy(ctx, t);
	return 0;
}

HOOK_ENTRY(dm_table_destroy, table_destroy_enter(ctx, t), struct dm_table *t)

/*
 * ---- dm_stop_queue(q) / dm_start_queue(q) ----
 * Suspend and resume of request-based devices (INV-11).
 */

static __always_inline int queue_enter(void *ctx, struct request_queue *q, bool start)
{
	if (!ignored_task())
		monitor_queue(ctx, q, start);
	return 0;
}

HOOK_ENTRY(dm_start_queue, queue_enter(ctx, q, true), struct request_queue *q)
HOOK_ENTRY(dm_stop_queue, queue_enter(ctx, q, false), struct request_queue *q)

#endif /* DMSWAP_TRACER_BPF_H */
