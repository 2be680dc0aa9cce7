/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps and state shared by the tracer and the checks: the event ring
 * buffer, the drop counters, per-task call frames and per-device state.
 */
#ifndef DMSWAP_STATE_BPF_H
#define DMSWAP_STATE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "dmswap.h"

/* Set by the loader before load. */
const volatile __u32 self_tgid = 0; /* our own process, never traced */
const volatile __u32 inv_mask = ~0U; /* bit n: INV-n is checked */
/* [n] bit c: rule c of INV-n is off, a hook it needs is missing (RULE_NEEDS) */
const volatile __u32 rule_off[DMSWAP_NR_INV + 1] = {};

#define INV_ON(n) (inv_mask & (1U << (n)))

/*
 * Call frames: one per (task, hooked function) while the function runs.
 * Swaps nest: dm_swap_table -> dm_table_set_restrictions ->
 * dm_revalidate_zones -> dm_blk_report_zones, all in one task.
 */
enum frame_slot {
	SLOT_SUSPEND = 0,
	SLOT_SWAP,
	SLOT_RESTRICTIONS,
	SLOT_REVALIDATE,
	SLOT_RESUME,
	SLOT_REPORT,
	SLOT_MAX,
};

struct frame {
	__u64 start_ns;
	struct mapped_device *md;
	__u64 arg; /* suspend flags, report sector */
	__u32 arg2; /* report nr_zones; suspend: a swap cycle was already open */
	__u8 map_used;
	__u8 in_swap;
	/* SLOT_REPORT only (INV-1..3): */
	__u8 suspended_at_entry; /* DMF_SUSPENDED when the report started */
	__u8 idx_mismatch; /* a put's index differed from its get's */
	__u8 counted; /* INV-3: counted among the reports inside the table */
	__u8 took_live; /* INV-3: this report called dm_get_live_table() */
	__u8 suspended_at_get; /* INV-3: DMF_SUSPENDED when it did */
	__u16 gets, puts; /* dm_get_live_table / dm_put_live_table calls */
	__s32 get_idx, put_idx; /* the last of each */
	int *idx_ptr; /* the last get's srcu_idx, in the caller's frame */
	/* SLOT_SWAP only: */
	__u8 wildcard; /* every target of the new table is a wildcard (dm-error) */
	__u8 wildcard_zoned; /* ... and each can be zoned (dm-error, 6.10+) */
	__u8 emulates; /* a target of the new table asks for zone append emulation */
	struct dm_table *table; /* the new table */
	__u64 devs_sig; /* signature of the new table's underlying devices */
	__u32 nr_devs;
	__u32 first_dev; /* dev_t of the first of them */
	struct dmswap_swap_info swap;
	struct dmswap_snapshot snap; /* the device at dm_swap_table() entry */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64); /* tid << 16 | slot << 8 | depth */
	__type(value, struct frame);
} frames SEC(".maps");

/* Per device: the swap cycle it is in (suspend ... resume), and check state. */
struct dev_track {
	__u64 swap_id;
	__u8 in_cycle;
	__u8 live_wildcard; /* the live table is a wildcard (dm-error) */
	__u8 inv9_firing; /* INV-9 already reported for the current state */
	__u8 frozen; /* INV-8: zone write state cached; config below */
	__u8 frozen_emulates; /* DMF_EMULATE_ZONE_APPEND when it was frozen */
	__u32 frozen_nr_devs;
	__u32 frozen_first_dev;
	__u64 frozen_capacity;
	__u64 frozen_chunk;
	__u64 frozen_zoned;
	__u64 frozen_devs_sig;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* struct mapped_device * */
	__type(value, struct dev_track);
} devices SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DMSWAP_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

__u64 next_swap_id = 0;

/*
 * Report calls in flight, all devices: dm_get_live_table and
 * dm_put_live_table run for every bio, and this one load lets them return
 * at once when no report is being checked.
 */
__s64 reports_in_flight = 0;

/* Per-CPU room for a snapshot: too big for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dmswap_snapshot);
} scratch_snapshot SEC(".maps");

static __always_inline struct dmswap_snapshot *scratch_snap(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch_snapshot, &zero);
}

/* An all-zero frame to initialise map slots from (too big for the stack). */
static const struct frame zero_frame = {};

static __always_inline void count(enum dmswap_counter which)
{
	__u32 key = which;
	__u64 *val = bpf_map_lookup_elem(&counters, &key);

	if (val)
		(*val)++;
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline bool ignored_task(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == self_tgid;
}

/*
 * Frames nest per slot too: a report on a dm device stacked on another
 * (dm-linear on dm-crypt) reports from the lower device inside the upper's
 * call, in the same task.  Each (task, slot) has a depth; the frame of the
 * innermost call is at depth - 1.
 */
#define FRAME_MAX_DEPTH 8

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64); /* tid << 8 | slot */
	__type(value, __u32); /* frames open */
} frame_depth SEC(".maps");

static __always_inline __u64 depth_key(enum frame_slot slot)
{
	return ((__u64)current_tid() << 8) | slot;
}

static __always_inline __u64 frame_key(enum frame_slot slot, __u32 depth)
{
	return ((__u64)current_tid() << 16) | ((__u64)slot << 8) | depth;
}

static __always_inline __u32 frame_depth_of(enum frame_slot slot)
{
	__u64 key = depth_key(slot);
	__u32 *d = bpf_map_lookup_elem(&frame_depth, &key);

	return d ? *d : 0;
}

/* Open a frame for the current task; NULL (and counted) if the maps are full. */
static __always_inline struct frame *frame_push(enum frame_slot slot, struct mapped_device *md)
{
	__u32 depth = frame_depth_of(slot), next;
	__u64 key = frame_key(slot, depth), dkey = depth_key(slot);
	struct frame *f;

	if (depth >= FRAME_MAX_DEPTH || bpf_map_update_elem(&frames, &key, &zero_frame, BPF_ANY)) {
		count(DMSWAP_CNT_STATE_FULL);
		return NULL;
	}
	next = depth + 1;
	if (bpf_map_update_elem(&frame_depth, &dkey, &next, BPF_ANY)) {
		bpf_map_delete_elem(&frames, &key);
		count(DMSWAP_CNT_STATE_FULL);
		return NULL;
	}
	f = bpf_map_lookup_elem(&frames, &key);
	if (f) {
		f->start_ns = bpf_ktime_get_ns();
		f->md = md;
	}
	return f;
}

/* The innermost open frame of @slot, or NULL. */
static __always_inline struct frame *frame_peek(enum frame_slot slot)
{
	__u32 depth = frame_depth_of(slot);
	__u64 key;

	if (!depth)
		return NULL;
	key = frame_key(slot, depth - 1);
	return bpf_map_lookup_elem(&frames, &key);
}

static __always_inline void frame_pop(enum frame_slot slot)
{
	__u32 depth = frame_depth_of(slot);
	__u64 key, dkey = depth_key(slot);

	if (!depth)
		return;
	key = frame_key(slot, depth - 1);
	bpf_map_delete_elem(&frames, &key);
	depth--;
	if (depth)
		bpf_map_update_elem(&frame_depth, &dkey, &depth, BPF_ANY);
	else
		bpf_map_delete_elem(&frame_depth, &dkey);
}

static __always_inline struct dev_track *dev_track_get(struct mapped_device *md)
{
	__u64 key = (__u64)md;
	struct dev_track *dt = bpf_map_lookup_elem(&devices, &key);
	struct dev_track init = {};

	if (dt)
		return dt;
	bpf_map_update_elem(&devices, &key, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&devices, &key);
}

/* Enter a swap cycle if the device is not in one yet; returns its id. */
static __always_inline __u64 dev_cycle_open(struct mapped_device *md)
{
	struct dev_track *dt = dev_track_get(md);

	if (!dt)
		return 0;
	if (!dt->in_cycle) {
		dt->swap_id = __sync_fetch_and_add(&next_swap_id, 1) + 1;
		dt->in_cycle = 1;
	}
	return dt->swap_id;
}

static __always_inline __u64 dev_cycle_current(struct mapped_device *md)
{
	__u64 key = (__u64)md;
	struct dev_track *dt = bpf_map_lookup_elem(&devices, &key);

	return dt && dt->in_cycle ? dt->swap_id : 0;
}

static __always_inline void dev_cycle_close(struct mapped_device *md)
{
	__u64 key = (__u64)md;
	struct dev_track *dt = bpf_map_lookup_elem(&devices, &key);

	if (dt)
		dt->in_cycle = 0;
}

#endif /* DMSWAP_STATE_BPF_H */
