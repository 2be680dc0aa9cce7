/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot of a dm device's state: every field a failed swap must leave
 * unchanged (INV-4) and that the other checks read.  Fields that exist only
 * on some kernels are read behind CO-RE existence checks and marked present
 * only where they exist, so a comparison never invents a difference.
 */
#ifndef DMSWAP_SNAPSHOT_BPF_H
#define DMSWAP_SNAPSHOT_BPF_H

#include "core.bpf.h"

/* 6.1: zone append emulation keeps per-zone write pointer offsets in the md. */
struct mapped_device___v61 {
	unsigned int *zwp_offset;
} __attribute__((preserve_access_index));

/* 6.1: seq_zones_wlock; 7.x: zones_cond replaced conv_zones_bitmap. */
struct gendisk___zoned_old {
	unsigned long *seq_zones_wlock;
} __attribute__((preserve_access_index));

struct gendisk___zoned_v7 {
	__u8 *zones_cond;
} __attribute__((preserve_access_index));

/* 7.x: the hardware zone append limit (0: dm emulates zone append). */
struct queue_limits___v7 {
	unsigned int max_hw_zone_append_sectors;
} __attribute__((preserve_access_index));

/* 7.x renamed struct mempool_s to struct mempool. */
struct mempool___v7 {
	int min_nr;
} __attribute__((preserve_access_index));

#define SNAP_SET(s, f, val)                  \
	do {                                 \
		(s)->v[f] = (__u64)(val);    \
		(s)->present |= 1ULL << (f); \
	} while (0)

static __always_inline void snapshot_limits(struct request_queue *q, struct dmswap_snapshot *s)
{
	struct queue_limits *lim = &q->limits;
	struct queue_limits___v7 *lim7 = (void *)lim;

	SNAP_SET(s, DMSWAP_F_LIM_ZONED, queue_zoned_model(q));
	if (bpf_core_field_exists(lim->features))
		SNAP_SET(s, DMSWAP_F_LIM_FEATURES, BPF_CORE_READ(lim, features));
	SNAP_SET(s, DMSWAP_F_LIM_CHUNK_SECTORS, BPF_CORE_READ(lim, chunk_sectors));
	SNAP_SET(s, DMSWAP_F_LIM_LOGICAL_BS, BPF_CORE_READ(lim, logical_block_size));
	SNAP_SET(s, DMSWAP_F_LIM_PHYSICAL_BS, BPF_CORE_READ(lim, physical_block_size));
	SNAP_SET(s, DMSWAP_F_LIM_MAX_SECTORS, BPF_CORE_READ(lim, max_sectors));
	SNAP_SET(s, DMSWAP_F_LIM_ZONE_WRITE_GRAN, BPF_CORE_READ(lim, zone_write_granularity));
	if (bpf_core_field_exists(lim->max_open_zones)) {
		SNAP_SET(s, DMSWAP_F_LIM_MAX_OPEN_ZONES, BPF_CORE_READ(lim, max_open_zones));
		SNAP_SET(s, DMSWAP_F_LIM_MAX_ACTIVE_ZONES, BPF_CORE_READ(lim, max_active_zones));
	}
	if (bpf_core_field_exists(lim->max_zone_append_sectors))
		SNAP_SET(s, DMSWAP_F_LIM_MAX_ZONE_APPEND,
			 BPF_CORE_READ(lim, max_zone_append_sectors));
	if (bpf_core_field_exists(lim7->max_hw_zone_append_sectors))
		SNAP_SET(s, DMSWAP_F_LIM_MAX_HW_ZONE_APPEND,
			 BPF_CORE_READ(lim7, max_hw_zone_append_sectors));
}

static __always_inline void snapshot_zones(struct gendisk *disk, struct dmswap_snapshot *s)
{
	struct gendisk___zoned_old *old = (void *)disk;
	struct gendisk___zoned_v7 *v7 = (void *)disk;
	void *pool;

	SNAP_SET(s, DMSWAP_F_DISK_NR_ZONES, BPF_CORE_READ(disk, nr_zones));
	if (bpf_core_field_exists(disk->zone_capacity)) {
		SNAP_SET(s, DMSWAP_F_ZONE_CAPACITY, BPF_CORE_READ(disk, zone_capacity));
		SNAP_SET(s, DMSWAP_F_LAST_ZONE_CAPACITY, BPF_CORE_READ(disk, last_zone_capacity));
	}
	if (bpf_core_field_exists(disk->conv_zones_bitmap))
		SNAP_SET(s, DMSWAP_F_CONV_BITMAP, BPF_CORE_READ(disk, conv_zones_bitmap));
	if (bpf_core_field_exists(old->seq_zones_wlock))
		SNAP_SET(s, DMSWAP_F_SEQ_ZONES_WLOCK, BPF_CORE_READ(old, seq_zones_wlock));
	if (bpf_core_field_exists(v7->zones_cond))
		SNAP_SET(s, DMSWAP_F_ZONES_COND, BPF_CORE_READ(v7, zones_cond));
	if (!bpf_core_field_exists(disk->zone_wplugs_hash))
		return;
	SNAP_SET(s, DMSWAP_F_WPLUGS_HASH, BPF_CORE_READ(disk, zone_wplugs_hash));
	SNAP_SET(s, DMSWAP_F_WPLUGS_HASH_BITS, BPF_CORE_READ(disk, zone_wplugs_hash_bits));
	pool = BPF_CORE_READ(disk, zone_wplugs_pool);
	SNAP_SET(s, DMSWAP_F_WPLUG_POOL, pool);
	if (!pool)
		SNAP_SET(s, DMSWAP_F_WPLUG_POOL_SIZE, 0);
	else if (bpf_core_type_exists(struct mempool_s))
		SNAP_SET(s, DMSWAP_F_WPLUG_POOL_SIZE,
			 BPF_CORE_READ((struct mempool_s *)pool, min_nr));
	else if (bpf_core_type_exists(struct mempool___v7))
		SNAP_SET(s, DMSWAP_F_WPLUG_POOL_SIZE,
			 BPF_CORE_READ((struct mempool___v7 *)pool, min_nr));
}

static __always_inline void snapshot_read(struct mapped_device *md, struct dmswap_snapshot *s)
{
	struct mapped_device___v61 *md61 = (void *)md;
	struct gendisk *disk = md_disk(md);
	struct request_queue *q = BPF_CORE_READ(md, queue);
	unsigned long flags = BPF_CORE_READ(md, flags);

	s->present = 0;
	SNAP_SET(s, DMSWAP_F_CAPACITY, disk_capacity(disk));
	SNAP_SET(s, DMSWAP_F_MAP, BPF_CORE_READ(md, map));
	SNAP_SET(s, DMSWAP_F_MEMPOOLS, BPF_CORE_READ(md, mempools));
	SNAP_SET(s, DMSWAP_F_IMMUTABLE_TYPE, BPF_CORE_READ(md, immutable_target_type));
	SNAP_SET(s, DMSWAP_F_MD_TYPE, BPF_CORE_READ(md, type));
	SNAP_SET(s, DMSWAP_F_EMULATE_ZA, (flags >> DMF_EMULATE_ZONE_APPEND) & 1);
	if (bpf_core_field_exists(md->nr_zones))
		SNAP_SET(s, DMSWAP_F_MD_NR_ZONES, BPF_CORE_READ(md, nr_zones));
	if (bpf_core_field_exists(md61->zwp_offset))
		SNAP_SET(s, DMSWAP_F_ZWP_OFFSET, BPF_CORE_READ(md61, zwp_offset));
	snapshot_zones(disk, s);
	snapshot_limits(q, s);
}

#endif /* DMSWAP_SNAPSHOT_BPF_H */
