/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records shared by the BPF programs and the loader.  Everything in here
 * crosses the ring buffer or lives in a map the loader reads, so the layout
 * is fixed-size and uses only __u* types.
 */
#ifndef DMSWAP_H
#define DMSWAP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define DMSWAP_NAME_LEN 128 /* DM_NAME_LEN: the name given to dmsetup create */
#define DMSWAP_COMM_LEN 16
#define DMSWAP_TYPE_LEN 16 /* target type names ("linear", "crypt", ...) */
#define DMSWAP_MAX_TYPES 4 /* distinct target types reported per table */

/* What a record in the ring buffer describes. */
enum dmswap_event_type {
	DMSWAP_EV_SUSPEND = 1, /* dm_suspend() returned */
	DMSWAP_EV_SWAP, /* dm_swap_table() (with the inlined __bind) returned */
	DMSWAP_EV_RESTRICTIONS, /* dm_table_set_restrictions() returned */
	DMSWAP_EV_REVALIDATE, /* zone revalidation inside a swap returned */
	DMSWAP_EV_RESUME, /* dm_resume() returned */
	DMSWAP_EV_REPORT_ZONES, /* dm_blk_report_zones() returned */
	DMSWAP_EV_VIOLATION, /* an invariant check fired */
	DMSWAP_EV_MAX,
};

enum dmswap_zoned {
	DMSWAP_ZONED_NONE = 0,
	DMSWAP_ZONED_HA, /* host-aware: only 6.1 still knows this model */
	DMSWAP_ZONED_HM,
};

enum dmswap_zone_append {
	DMSWAP_ZA_NONE = 0, /* device is not zoned */
	DMSWAP_ZA_NATIVE, /* targets pass REQ_OP_ZONE_APPEND down */
	DMSWAP_ZA_EMULATED, /* DMF_EMULATE_ZONE_APPEND: dm turns appends into writes */
};

/* Kernel state of a dm device as the swap path sees it. */
struct dmswap_dev_state {
	__u64 capacity; /* sectors, get_capacity(md->disk) */
	__u64 md_flags; /* md->flags (DMF_* bits) */
	__u32 nr_zones; /* disk->nr_zones */
	__u8 zoned; /* enum dmswap_zoned, from the queue limits */
	__u8 zone_append; /* enum dmswap_zone_append */
	__u8 pad[2];
};

struct dmswap_swap_info {
	struct dmswap_dev_state before; /* at dm_swap_table() entry */
	struct dmswap_dev_state after; /* at its exit, success or not */
	__u64 table_sectors; /* dm_table_get_size(new table) */
	__u32 num_targets;
	__u32 num_types; /* valid entries in types[] */
	char types[DMSWAP_MAX_TYPES][DMSWAP_TYPE_LEN];
};

struct dmswap_revalidate_info {
	__u32 nr_zones; /* disk->nr_zones after revalidation */
};

struct dmswap_suspend_info {
	__u32 flags; /* DM_SUSPEND_LOCKFS_FLAG 1, DM_SUSPEND_NOFLUSH_FLAG 2 */
};

struct dmswap_report_info {
	__u64 sector;
	__u32 nr_zones; /* zones requested */
	__u8 map_used; /* reached dm_blk_do_report_zones (a table was used) */
	__u8 in_swap; /* issued by the swapping task (zone revalidation) */
	__u8 pad[2];
};

/*
 * Device state fields compared by the checks (INV-4 compares all of them).
 * Which exist depends on the kernel; user/fields.c names them.
 */
enum dmswap_field {
	DMSWAP_F_CAPACITY = 0, /* get_capacity(md->disk) */
	DMSWAP_F_MAP, /* md->map */
	DMSWAP_F_MEMPOOLS, /* md->mempools */
	DMSWAP_F_IMMUTABLE_TYPE, /* md->immutable_target_type */
	DMSWAP_F_MD_TYPE, /* md->type */
	DMSWAP_F_EMULATE_ZA, /* md->flags & DMF_EMULATE_ZONE_APPEND */
	DMSWAP_F_MD_NR_ZONES, /* md->nr_zones (6.1, 6.12) */
	DMSWAP_F_ZWP_OFFSET, /* md->zwp_offset (6.1 emulation) */
	DMSWAP_F_DISK_NR_ZONES, /* disk->nr_zones */
	DMSWAP_F_ZONE_CAPACITY, /* disk->zone_capacity (6.10+) */
	DMSWAP_F_LAST_ZONE_CAPACITY,
	DMSWAP_F_CONV_BITMAP, /* disk->conv_zones_bitmap (to 6.x) */
	DMSWAP_F_SEQ_ZONES_WLOCK, /* disk->seq_zones_wlock (6.1) */
	DMSWAP_F_ZONES_COND, /* disk->zones_cond (7.x) */
	DMSWAP_F_WPLUGS_HASH, /* disk->zone_wplugs_hash (6.10+) */
	DMSWAP_F_WPLUGS_HASH_BITS,
	DMSWAP_F_WPLUG_POOL, /* disk->zone_wplugs_pool */
	DMSWAP_F_WPLUG_POOL_SIZE, /* its min_nr */
	DMSWAP_F_LIM_ZONED, /* enum dmswap_zoned from the limits */
	DMSWAP_F_LIM_FEATURES, /* limits.features (6.11+) */
	DMSWAP_F_LIM_CHUNK_SECTORS, /* = zone size when zoned */
	DMSWAP_F_LIM_LOGICAL_BS,
	DMSWAP_F_LIM_PHYSICAL_BS,
	DMSWAP_F_LIM_MAX_OPEN_ZONES, /* 6.10+ */
	DMSWAP_F_LIM_MAX_ACTIVE_ZONES,
	DMSWAP_F_LIM_MAX_ZONE_APPEND, /* max_zone_append_sectors */
	DMSWAP_F_LIM_MAX_HW_ZONE_APPEND, /* max_hw_zone_append_sectors (7.x) */
	DMSWAP_F_LIM_ZONE_WRITE_GRAN, /* zone_write_granularity */
	DMSWAP_F_LIM_MAX_SECTORS,
	DMSWAP_F_SNAP_MAX, /* fields above: in a device snapshot; below: evidence only */
	DMSWAP_F_TABLE_MEMPOOLS = DMSWAP_F_SNAP_MAX, /* the new table's t->mempools (INV-5) */
	DMSWAP_F_TABLE_SECTORS, /* a table's size (INV-6) */
	DMSWAP_F_EXPECTED_NR_ZONES, /* ceil(capacity / zone size) (INV-7) */
	DMSWAP_F_NR_DEVICES, /* underlying devices of a table (INV-8) */
	DMSWAP_F_DEVICES_SIG, /* signature of their dev_t set (INV-8) */
	DMSWAP_F_FIRST_DEVICE, /* the first underlying device's dev_t (INV-8) */
	DMSWAP_F_ERRNO, /* the failing swap's result */
	DMSWAP_F_RET, /* a call's return value */
	DMSWAP_F_LIVE_GETS, /* dm_get_live_table calls in one report (INV-1) */
	DMSWAP_F_LIVE_PUTS,
	DMSWAP_F_SRCU_GET_IDX,
	DMSWAP_F_SRCU_PUT_IDX,
	DMSWAP_F_REVALIDATE_MAP, /* md->zone_revalidate_map (INV-2) */
	DMSWAP_F_REVALIDATE_TASK, /* pid of md->revalidate_map_task */
	DMSWAP_F_SUSPENDED, /* md->flags & DMF_SUSPENDED (INV-3) */
	DMSWAP_F_SUSPENDED_AT_ENTRY,
	DMSWAP_F_SUSPENDED_AT_GET, /* DMF_SUSPENDED as the report took the live table */
	DMSWAP_F_REPORTS_USING_MAP, /* reports inside the table when a suspend completed */
	DMSWAP_F_TABLE_IS_MAP, /* the destroyed table is md->map (INV-10) */
	DMSWAP_F_QUIESCE_DEPTH, /* q->quiesce_depth (INV-11) */
	DMSWAP_F_MQ_OPS, /* q->mq_ops (INV-11) */
	DMSWAP_F_TAG_SET, /* q->tag_set (INV-11) */
	DMSWAP_F_TABLE_TYPE, /* t->type, enum dm_queue_mode (INV-12) */
	DMSWAP_F_BAD_DEVICES, /* underlying devices not rq-stackable (INV-12) */
	DMSWAP_F_BAD_DEVICE, /* the first of them, dev_t */
	DMSWAP_F_BAD_DEVICE_PARTITION, /* it is a partition */
	DMSWAP_F_BAD_DEVICE_MQ, /* its queue is blk-mq */
	DMSWAP_F_OPEN_COUNT, /* md->open_count (INV-13) */
	DMSWAP_F_MAX,
};

/* A snapshot of those fields; @present has bit i set if field i exists here. */
struct dmswap_snapshot {
	__u64 present;
	__u64 v[DMSWAP_F_SNAP_MAX];
};

#define DMSWAP_MAX_EVIDENCE 32 /* a power of two: indexes are masked for the verifier */
#define DMSWAP_STACK_DEPTH 24

enum dmswap_evidence_kind {
	DMSWAP_EVK_CHANGED = 0, /* before -> after */
	DMSWAP_EVK_VALUE, /* a single value, in after */
};

struct dmswap_evidence {
	__u16 field; /* enum dmswap_field */
	__u16 kind; /* enum dmswap_evidence_kind */
	__u32 pad;
	__u64 before;
	__u64 after;
};

struct dmswap_violation_info {
	__u32 inv; /* 1..DMSWAP_NR_INV: INV-n */
	__u32 code; /* which rule of the invariant (bpf/invariants.def) */
	__u32 nr_evidence;
	__s32 stack_bytes; /* from bpf_get_stack(); < 0: no stack */
	struct dmswap_evidence evidence[DMSWAP_MAX_EVIDENCE];
	__u64 stack[DMSWAP_STACK_DEPTH];
};

struct dmswap_event {
	__u64 mono_ns; /* CLOCK_MONOTONIC at the end of the call */
	__u64 dur_ns; /* duration of the call */
	__u64 swap_id; /* swap cycle of the device, 0 if none */
	__s64 ret; /* return value; for the swap: 0 or -errno */
	__u32 type; /* enum dmswap_event_type */
	__u32 pid;
	__u32 tid;
	__u32 major;
	__u32 minor;
	__u32 pad;
	char comm[DMSWAP_COMM_LEN];
	char dev[DMSWAP_NAME_LEN]; /* hash_cell name, raw bytes; may be empty */
	union {
		struct dmswap_swap_info swap;
		struct dmswap_revalidate_info revalidate;
		struct dmswap_suspend_info suspend;
		struct dmswap_report_info report;
		struct dmswap_violation_info violation;
	};
};

/* Indexes of the per-CPU counters map. */
enum dmswap_counter {
	DMSWAP_CNT_DROPPED = 0, /* ring buffer full: record lost */
	DMSWAP_CNT_STATE_FULL, /* per-task or per-device state map full */
	DMSWAP_CNT_EVENTS, /* records submitted */
	DMSWAP_CNT_VIOLATIONS, /* violations detected (also when their record was dropped) */
	DMSWAP_CNT_MAX,
};

/* The number of invariants: INV-1 .. INV-DMSWAP_NR_INV (bpf/invariants.def). */
enum {
	DMSWAP_NR_INV = 0
#define INVARIANT(n, ...) +1
#include "invariants.def"
};

/*
 * A rule of an invariant, as its check names it: INVn_NAME, which carries
 * both the invariant and the rule's code (violation_begin() splits them).
 */
#define DMSWAP_RULE_ID(n, code) (((n) << 8) | (code))
#define DMSWAP_RULE_INV(rule) ((rule) >> 8)
#define DMSWAP_RULE_CODE(rule) ((rule)&0xff)

enum dmswap_rule {
#define RULE(n, code, name, ...) INV##n##_##name = DMSWAP_RULE_ID(n, code),
#include "invariants.def"
};

#endif /* DMSWAP_H */
