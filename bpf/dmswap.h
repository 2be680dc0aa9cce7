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
	};
};

/* Indexes of the per-CPU counters map. */
enum dmswap_counter {
	DMSWAP_CNT_DROPPED = 0, /* ring buffer full: record lost */
	DMSWAP_CNT_STATE_FULL, /* per-task or per-device state map full */
	DMSWAP_CNT_EVENTS, /* records submitted */
	DMSWAP_CNT_MAX,
};

#endif /* DMSWAP_H */
