/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-3: no live-table report overlaps a suspend.
 *
 * Rule 0: a report (not the swapping task's own revalidation) took the live
 * table while DMF_SUSPENDED was already set, and went on to use it: it
 * should have failed with -EAGAIN.  6.1 tests the flag before taking the
 * table (the unlocked test fixed by 24c405fdbe21), so a suspend that
 * completes in between lets it through.
 *
 * The flag is judged at the report's dm_get_live_table(), not when the
 * table is used: fixed kernels test it after taking the table, and
 * __dm_suspend() sets DMF_SUSPENDED *before* its synchronize_srcu(), so a
 * report that took the table and saw the flag clear may legitimately still
 * be reading when the flag appears; the suspend waits for it.
 *
 * Rule 1: a suspend completes while reports are still inside the table.
 *
 * Rule 2: a report issued from inside the kernel failed with -EAGAIN
 * because the device was suspended.  -EAGAIN is the fixed behaviour for
 * user space (BLKREPORTZONE: blkzone retries), but a file system above the
 * device cannot retry: zoned btrfs reads a zone to load a new block group,
 * gets -EAGAIN during `dmsetup suspend --nolockfs` and aborts its
 * transaction (6.12, fstests generic/475).  Since 6.19 btrfs asks the block
 * layer's zone cache (blkdev_report_zones_cached()) and no longer reaches
 * dm for that.  Not a report of: user space's ioctl (marked by the
 * blkdev_report_zones_ioctl() hook), a swap's own revalidation, or a task
 * inside any swap (a stacked device revalidating over a suspended one is
 * refused, and INV-4 judges that refusal).
 */
#ifndef DMSWAP_INV3_BPF_H
#define DMSWAP_INV3_BPF_H

#include <asm-generic/errno-base.h> /* EAGAIN: vmlinux.h has no macros */

#include "violation.bpf.h"

/* Per device: reports of other tasks currently inside the table. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* struct mapped_device * */
	__type(value, __s64);
} reports_using_map SEC(".maps");

/* Tasks inside blkdev_report_zones_ioctl(): their reports are user space's. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* tid */
	__type(value, __u8);
} user_report_tasks SEC(".maps");

static __always_inline void inv3_user_report(bool enter)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u8 one = 1;

	if (enter)
		bpf_map_update_elem(&user_report_tasks, &tid, &one, BPF_ANY);
	else
		bpf_map_delete_elem(&user_report_tasks, &tid);
}

static __always_inline bool md_suspended(struct mapped_device *md)
{
	return (BPF_CORE_READ(md, flags) >> DMF_SUSPENDED) & 1;
}

static __always_inline void inv3_report_enter(struct frame *f)
{
	f->suspended_at_entry = md_suspended(f->md);
}

/* The report of this task is taking the live table (dm_get_live_table entry). */
static __always_inline void inv3_report_get(struct frame *f)
{
	f->took_live = 1;
	f->suspended_at_get = md_suspended(f->md);
}

static __always_inline void inv3_report_map_used(void *ctx, struct frame *f)
{
	__u64 key = (__u64)f->md;
	struct dmswap_violation_info *v;
	__s64 one = 1, *n;

	if (f->in_swap)
		return;
	n = bpf_map_lookup_elem(&reports_using_map, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&reports_using_map, &key, &one, BPF_NOEXIST);
	f->counted = 1;
	if (!f->took_live || !f->suspended_at_get)
		return;
	v = violation_begin(INV3_SUSPENDED_TABLE_USED);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_SUSPENDED_AT_GET, 1);
	evidence_value(v, DMSWAP_F_SUSPENDED_AT_ENTRY, f->suspended_at_entry);
	evidence_value(v, DMSWAP_F_SUSPENDED, md_suspended(f->md));
	violation_commit(ctx, v, f->md, dev_cycle_current(f->md));
}

/*
 * The report has left the table: at its dm_put_live_table() (a suspend may
 * legitimately complete between that put and the report's return), or at
 * its return when it never took the live table.
 */
static __always_inline void inv3_report_left(struct frame *f)
{
	__u64 key = (__u64)f->md;
	__s64 *n;

	if (!f->counted)
		return;
	f->counted = 0;
	n = bpf_map_lookup_elem(&reports_using_map, &key);
	if (n && *n > 0)
		__sync_fetch_and_add(n, -1);
}

static __always_inline void inv3_report_exit(void *ctx, struct frame *f, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct dmswap_violation_info *v;
	bool suspended_now;

	if (ret != -EAGAIN || f->in_swap || bpf_map_lookup_elem(&user_report_tasks, &tid))
		return;
	suspended_now = md_suspended(f->md);
	if (!suspended_now && !f->suspended_at_entry && !f->suspended_at_get)
		return;
	v = violation_begin(INV3_KERNEL_REPORT_FAILED);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_RET, ret);
	evidence_value(v, DMSWAP_F_SUSPENDED_AT_ENTRY, f->suspended_at_entry);
	evidence_value(v, DMSWAP_F_SUSPENDED, suspended_now);
	violation_commit(ctx, v, f->md, dev_cycle_current(f->md));
}

static __always_inline void inv3_suspend_exit(void *ctx, struct mapped_device *md, long ret)
{
	__u64 key = (__u64)md;
	struct dmswap_violation_info *v;
	__s64 *n;

	if (ret)
		return;
	n = bpf_map_lookup_elem(&reports_using_map, &key);
	if (!n || *n <= 0)
		return;
	v = violation_begin(INV3_SUSPEND_WITH_READERS);
	if (!v)
		return;
	evidence_value(v, DMSWAP_F_REPORTS_USING_MAP, *n);
	violation_commit(ctx, v, md, dev_cycle_current(md));
}

#endif /* DMSWAP_INV3_BPF_H */
