/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CO-RE readers for the dm and block structures the programs look at.
 *
 * vmlinux/vmlinux.h comes from one reference kernel (see vmlinux/README.md).
 * Everything that differs between 6.1, 6.12 and 7.x is read here, behind
 * bpf_core_field_exists() on "flavoured" structs (name___flavour: libbpf
 * drops the suffix when it matches types), so that one object loads on all.
 */
#ifndef DMSWAP_CORE_BPF_H
#define DMSWAP_CORE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include "dmswap.h"

/*
 * md->flags bits are #defines in drivers/md/dm-core.h, not in BTF.  Checked
 * against the 6.1, 6.12 and 7.x sources (docs/kernel-facts.md).
 */
#define DMF_SUSPENDED 1
#define DMF_EMULATE_ZONE_APPEND 9

/* target_type->features, include/linux/device-mapper.h (same on all three). */
#define DM_TARGET_WILDCARD 0x8
/* A target that can map onto host-managed zoned devices (CONFIG_BLK_DEV_ZONED). */
#define DM_TARGET_ZONED_HM 0x40

/*
 * 6.11 replaced the zoned model in struct queue_limits by a feature bit.
 * BLK_FEAT_ZONED is a #define (1u << 10) in include/linux/blkdev.h of 6.12
 * and 7.x, so it is not in BTF either.
 */
#define DMSWAP_BLK_FEAT_ZONED (1u << 10)

/*
 * 6.1: enum blk_zoned_model { BLK_ZONED_NONE, BLK_ZONED_HA, BLK_ZONED_HM }.
 * The local field is an anonymous enum: libbpf only matches an enum field
 * with an enum (of the same name, or anonymous), never with an int.
 */
struct queue_limits___zoned_model {
	enum { DMSWAP_ZM_NONE, DMSWAP_ZM_HA, DMSWAP_ZM_HM } zoned;
} __attribute__((preserve_access_index));

/* 6.9 and 6.10: bool zoned. */
struct queue_limits___zoned_bool {
	bool zoned;
} __attribute__((preserve_access_index));

static __always_inline struct gendisk *md_disk(struct mapped_device *md)
{
	return BPF_CORE_READ(md, disk);
}

static __always_inline __u64 disk_capacity(struct gendisk *disk)
{
	return BPF_CORE_READ(disk, part0, bd_nr_sectors);
}

static __always_inline __u8 queue_zoned_model(struct request_queue *q)
{
	struct queue_limits *lim = &q->limits;
	struct queue_limits___zoned_model *model = (void *)lim;
	struct queue_limits___zoned_bool *zbool = (void *)lim;

	if (bpf_core_field_exists(model->zoned)) {
		unsigned int m = BPF_CORE_READ(model, zoned);

		return m <= DMSWAP_ZONED_HM ? m : DMSWAP_ZONED_HM;
	}
	if (bpf_core_field_exists(zbool->zoned))
		return BPF_CORE_READ(zbool, zoned) ? DMSWAP_ZONED_HM : DMSWAP_ZONED_NONE;
	if (bpf_core_field_exists(lim->features))
		return BPF_CORE_READ(lim, features) & DMSWAP_BLK_FEAT_ZONED ? DMSWAP_ZONED_HM
									    : DMSWAP_ZONED_NONE;
	return DMSWAP_ZONED_NONE;
}

static __always_inline void read_dev_state(struct mapped_device *md, struct dmswap_dev_state *st)
{
	struct gendisk *disk = md_disk(md);
	struct request_queue *q = BPF_CORE_READ(md, queue);

	st->capacity = disk_capacity(disk);
	st->md_flags = BPF_CORE_READ(md, flags);
	st->nr_zones = BPF_CORE_READ(disk, nr_zones);
	st->zoned = queue_zoned_model(q);
	if (st->zoned == DMSWAP_ZONED_NONE)
		st->zone_append = DMSWAP_ZA_NONE;
	else if (st->md_flags & (1ULL << DMF_EMULATE_ZONE_APPEND))
		st->zone_append = DMSWAP_ZA_EMULATED;
	else
		st->zone_append = DMSWAP_ZA_NATIVE;
}

/*
 * The name given to "dmsetup create" lives in dm-ioctl's hash cell
 * (md->interface_ptr); md->name only holds "major:minor".  The cell is
 * NULL before the device is registered and after it is removed.
 */
static __always_inline void read_md_name(struct mapped_device *md, char *buf)
{
	struct hash_cell *hc = BPF_CORE_READ(md, interface_ptr);
	const char *name;

	buf[0] = '\0';
	if (!hc)
		return;
	name = BPF_CORE_READ(hc, name);
	if (name)
		bpf_probe_read_kernel_str(buf, DMSWAP_NAME_LEN, name);
}

static __always_inline void read_md_devt(struct mapped_device *md, __u32 *major, __u32 *minor)
{
	struct gendisk *disk = md_disk(md);

	*major = BPF_CORE_READ(disk, major);
	*minor = BPF_CORE_READ(disk, first_minor);
}

/* dm_table_get_size(): the last target's high water mark + 1. */
static __always_inline __u64 table_sectors(struct dm_table *t)
{
	unsigned int n = BPF_CORE_READ(t, num_targets);
	sector_t *highs = BPF_CORE_READ(t, highs);
	sector_t last = 0;

	if (!n || !highs)
		return 0;
	bpf_probe_read_kernel(&last, sizeof(last), &highs[n - 1]);
	return last + 1;
}

/* Every target of @t is a wildcard (dm-error): it may replace any table. */
static __always_inline bool table_is_wildcard(struct dm_table *t)
{
	struct dm_target *targets = BPF_CORE_READ(t, targets);
	unsigned int n = BPF_CORE_READ(t, num_targets);

	if (!targets || !n)
		return false;
	for (int i = 0; i < 64 && i < n; i++) {
		struct target_type *tt = BPF_CORE_READ(&targets[i], type);

		if (!(BPF_CORE_READ(tt, features) & DM_TARGET_WILDCARD))
			return false;
	}
	return n <= 64;
}

/*
 * An order-independent signature of the table's underlying devices
 * (t->devices: struct dm_dev_internal -> dm_dev -> bdev -> bd_dev), their
 * number (the first 16) and the first one.  Offsets inside the devices are
 * target-private (for dm-crypt, next to the key) and are not read.  A
 * bpf_loop() callback: the verifier checks its body once, not once per
 * iteration of every program that inlines it.
 */
struct devices_walk {
	struct list_head *head;
	struct list_head *pos;
	__u64 sig;
	__u32 n;
	__u32 first;
};

static long walk_device(__u32 i, void *data)
{
	struct devices_walk *w = data;
	struct list_head *pos = w->pos;
	struct dm_dev_internal *dd;
	dev_t devt;

	if (!pos || pos == w->head)
		return 1;
	dd = (void *)pos - bpf_core_field_offset(struct dm_dev_internal, list);
	devt = BPF_CORE_READ(dd, dm_dev, bdev, bd_dev);
	w->sig += ((__u64)devt * 0x9e3779b97f4a7c15ULL) ^ (devt >> 7);
	if (!w->n)
		w->first = devt;
	w->n++;
	w->pos = BPF_CORE_READ(pos, next);
	return 0;
}

static __always_inline __u64 table_devices_sig(struct dm_table *t, __u32 *count, __u32 *first)
{
	struct list_head *head = &t->devices;
	/* Not BPF_CORE_READ(w.head, ...): w is ours, not a kernel type. */
	struct devices_walk w = { .head = head, .pos = BPF_CORE_READ(head, next) };

	bpf_loop(16, walk_device, &w, 0);
	*count = w.n;
	*first = w.first;
	return w.sig;
}

#endif /* DMSWAP_CORE_BPF_H */
