/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INV-8: zone-configuration freeze.  Once a dm disk caches zone write state
 * (zone write plugs, 6.10+; the emulated write-pointer array md->zwp_offset
 * on 6.1), a successful swap must keep the size, the zone size, the zoned
 * model and the underlying devices, and whether zone append is emulated:
 * the cached write pointers describe those zones.  (A device that caches
 * zone write plugs without emulating, INV-9's defect, is judged by INV-9:
 * a native table swapped in keeps what it had.)  A wildcard table
 * (dm-error) is exempt, both ways: xfstests swaps it in and out, so
 * swapping the device's own zoned table back in must work (rule 2).
 *
 * Rule 1: a swap changed the frozen configuration.
 * Rule 2: with dm-error live, the device's own zoned table (same devices,
 *         same size, emulating zone append) was refused.
 * Rule 3: a dm-error table was refused.
 */
#ifndef DMSWAP_INV8_BPF_H
#define DMSWAP_INV8_BPF_H

#include "violation.bpf.h"

static __always_inline bool has_zone_write_state(const struct dmswap_snapshot *s)
{
	return (s->present & (1ULL << DMSWAP_F_WPLUGS_HASH) && s->v[DMSWAP_F_WPLUGS_HASH]) ||
	       (s->present & (1ULL << DMSWAP_F_ZWP_OFFSET) && s->v[DMSWAP_F_ZWP_OFFSET]);
}

static __always_inline void inv8_freeze(struct dev_track *dt, const struct dmswap_snapshot *s,
					__u64 devs_sig, __u32 nr_devs, __u32 first_dev)
{
	dt->frozen = 1;
	dt->frozen_capacity = s->v[DMSWAP_F_CAPACITY];
	dt->frozen_chunk = s->v[DMSWAP_F_LIM_CHUNK_SECTORS];
	dt->frozen_zoned = s->v[DMSWAP_F_LIM_ZONED];
	dt->frozen_emulates = !!s->v[DMSWAP_F_EMULATE_ZA];
	dt->frozen_devs_sig = devs_sig;
	dt->frozen_nr_devs = nr_devs;
	dt->frozen_first_dev = first_dev;
}

/* Devices that existed before we started: learn the frozen state at first sight. */
static __always_inline void inv8_swap_enter(struct frame *f, struct dev_track *dt)
{
	struct mapped_device *md = f->md; /* BPF_CORE_READ() must not see f */
	struct dm_table *live = BPF_CORE_READ(md, map);
	__u32 n, first;
	__u64 sig;

	if (dt->frozen || !has_zone_write_state(&f->snap) || !live)
		return;
	dt->live_wildcard = table_is_wildcard(live);
	if (dt->live_wildcard)
		return;
	sig = table_devices_sig(live, &n, &first);
	inv8_freeze(dt, &f->snap, sig, n, first);
}

static __always_inline void inv8_swap_exit(void *ctx, struct frame *f, struct dev_track *dt,
					   long ret, const struct dmswap_snapshot *after,
					   __u64 swap_id)
{
	struct dmswap_violation_info *v;

	if (is_err_value(ret)) {
		/*
		 * Rule 2: dm-error is live and a table with the frozen
		 * configuration is refused.  A table that would change it (or
		 * not emulate zone append) is rightly refused: silent.
		 */
		bool own = dt->live_wildcard && !f->wildcard && f->emulates &&
			   f->devs_sig == dt->frozen_devs_sig &&
			   f->swap.table_sectors == dt->frozen_capacity;

		if (!dt->frozen || (!own && !f->wildcard))
			return;
		v = violation_begin(own ? INV8_OWN_TABLE_REFUSED : INV8_ERROR_REFUSED);
		if (!v)
			return;
		evidence_value(v, DMSWAP_F_ERRNO, -ret);
		evidence_value(v, DMSWAP_F_TABLE_SECTORS, f->swap.table_sectors);
		evidence_snapshot_field(v, after, DMSWAP_F_WPLUGS_HASH);
		evidence_snapshot_field(v, after, DMSWAP_F_ZWP_OFFSET);
		evidence_add(v, DMSWAP_F_LIM_CHUNK_SECTORS, DMSWAP_EVK_CHANGED, dt->frozen_chunk,
			     after->v[DMSWAP_F_LIM_CHUNK_SECTORS]);
		evidence_add(v, DMSWAP_F_LIM_ZONED, DMSWAP_EVK_CHANGED, dt->frozen_zoned,
			     after->v[DMSWAP_F_LIM_ZONED]);
		violation_commit(ctx, v, f->md, swap_id);
		return;
	}

	/* Rule 1, for non-wildcard tables: compare, then report what differs. */
	if (dt->frozen && !f->wildcard) {
		__u64 cap = after->v[DMSWAP_F_CAPACITY];
		__u64 chunk = after->v[DMSWAP_F_LIM_CHUNK_SECTORS];
		__u64 zoned = after->v[DMSWAP_F_LIM_ZONED];
		__u64 emulates = after->v[DMSWAP_F_EMULATE_ZA];

		if (cap != dt->frozen_capacity || chunk != dt->frozen_chunk ||
		    zoned != dt->frozen_zoned || f->nr_devs != dt->frozen_nr_devs ||
		    f->devs_sig != dt->frozen_devs_sig || !!emulates != dt->frozen_emulates) {
			/* Only what differs from the frozen configuration. */
			v = violation_begin(INV8_CONFIG_CHANGED);
			if (v) {
				evidence_if_changed(v, DMSWAP_F_CAPACITY, dt->frozen_capacity, cap);
				evidence_if_changed(v, DMSWAP_F_LIM_CHUNK_SECTORS, dt->frozen_chunk,
						    chunk);
				evidence_if_changed(v, DMSWAP_F_LIM_ZONED, dt->frozen_zoned, zoned);
				evidence_if_changed(v, DMSWAP_F_NR_DEVICES, dt->frozen_nr_devs,
						    f->nr_devs);
				evidence_if_changed(v, DMSWAP_F_FIRST_DEVICE, dt->frozen_first_dev,
						    f->first_dev);
				evidence_if_changed(v, DMSWAP_F_DEVICES_SIG, dt->frozen_devs_sig,
						    f->devs_sig);
				evidence_if_changed(v, DMSWAP_F_EMULATE_ZA, dt->frozen_emulates,
						    !!emulates);
				violation_commit(ctx, v, f->md, swap_id);
			}
		}
	}
	dt->live_wildcard = f->wildcard;
	if (!has_zone_write_state(after))
		dt->frozen = 0;
	else if (!f->wildcard)
		inv8_freeze(dt, after, f->devs_sig, f->nr_devs, f->first_dev);
}

#endif /* DMSWAP_INV8_BPF_H */
