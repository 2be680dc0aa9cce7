// SPDX-License-Identifier: GPL-2.0
/*
 * The user-side description of every invariant: what it needs from the
 * kernel and what its rules say when they fire.  The checks themselves are
 * bpf/invN_*.bpf.h; their tests are tests/lab/truth_table.py, by INV id.
 */
#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "invariants.h"

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

const struct invariant invariants[] = {
	{ .id = "INV-1",
	  .title = "SRCU balance of dm_get_live_table/dm_put_live_table",
	  .needs = LIST("dm_blk_report_zones", "dm_get_live_table", "dm_put_live_table"),
	  .rules = LIST("a report returned with dm_get_live_table not matched by "
			"dm_put_live_table",
			"dm_put_live_table was given another SRCU index than its get"),
	  .implemented = true },
	{ .id = "INV-2",
	  .title = "only the revalidating task uses the inactive table",
	  .needs = LIST("dm_blk_report_zones", "dm_blk_do_report_zones", "dm_get_live_table"),
	  .fields = LIST("mapped_device.zone_revalidate_map"),
	  .rules = LIST("a report of another task used the table being revalidated"),
	  .implemented = true },
	{ .id = "INV-3",
	  .title = "no live-table report overlaps a suspend",
	  .needs = LIST("dm_blk_report_zones", "dm_blk_do_report_zones", "dm_suspend",
			"dm_get_live_table", "dm_put_live_table"),
	  .rules = LIST("a report took the table of a suspended device and used it instead of "
			"failing with EAGAIN",
			"a suspend completed while reports were still using the table"),
	  .implemented = true },
	{ .id = "INV-4",
	  .title = "a failed swap leaves the device unchanged",
	  .needs = LIST("dm_swap_table"),
	  .rules = LIST("a failed swap changed the device"),
	  .implemented = true },
	{ .id = "INV-5",
	  .title = "the new table holds no mempools after a swap",
	  .needs = LIST("dm_swap_table"),
	  .fields = LIST("dm_table.mempools"),
	  .rules = LIST("the new table still holds mempools after the swap"),
	  .implemented = true },
	{ .id = "INV-6",
	  .title = "capacity matches the live table after resume",
	  .needs = LIST("dm_resume"),
	  .rules = LIST("after resume the capacity is not the live table's size"),
	  .implemented = true },
	{ .id = "INV-7",
	  .title = "zone geometry matches capacity after a swap",
	  .needs = LIST("dm_swap_table"),
	  .rules = LIST("disk->nr_zones does not match the capacity and zone size"),
	  .implemented = true },
	{ .id = "INV-8",
	  .title = "zone configuration frozen once zone write state exists",
	  .needs = LIST("dm_swap_table"),
	  .any_fields = LIST("gendisk.zone_wplugs_hash", "mapped_device.zwp_offset"),
	  .rules = LIST("",
			"a swap changed the zone configuration of a device with cached "
			"zone write state",
			"the device's own zoned table was refused after dm-error: dm-error "
			"cannot be swapped out",
			"a dm-error table was refused: dm-error must stay swappable"),
	  .implemented = true },
	{ .id = "INV-9",
	  .title = "zone resources only when emulating zone append",
	  .needs = LIST("dm_swap_table"),
	  .fields = LIST("gendisk.zone_wplugs_hash"),
	  .rules = LIST("zone write plugs on a disk that does not emulate zone append"),
	  .implemented = true },
};

const size_t nr_invariants = sizeof(invariants) / sizeof(invariants[0]);

const struct invariant *invariant_by_number(unsigned int n)
{
	return n >= 1 && n <= nr_invariants ? &invariants[n - 1] : NULL;
}

const char *invariant_rule(unsigned int n, unsigned int code)
{
	const struct invariant *inv = invariant_by_number(n);

	if (!inv || !inv->rules)
		return "violated";
	for (unsigned int i = 0; inv->rules[i]; i++)
		if (i == code)
			return inv->rules[i];
	return "violated";
}

unsigned int invariant_mask(void)
{
	unsigned int mask = 0;

	for (size_t i = 0; i < nr_invariants; i++)
		if (invariants[i].implemented)
			mask |= 1u << (i + 1);
	return mask;
}

const char *inv_state_name(enum inv_state state)
{
	switch (state) {
	case INV_ACTIVE:
		return "active";
	case INV_DEGRADED:
		return "degraded";
	default:
		return "unavailable";
	}
}

static const struct probe_result *result_of(const char *hook, const struct probe_result *res)
{
	const struct hook *h = hook_by_name(hook);

	return h ? &res[hook_index(h)] : NULL;
}

static bool usable(const struct probe_result *r)
{
	return r && probe_mech_attaches(r->mech);
}

static bool has_field(const struct kernel_offer *k, const char *spec)
{
	char type[64];
	const char *dot = strchr(spec, '.');

	if (!dot || (size_t)(dot - spec) >= sizeof(type))
		return false;
	snprintf(type, sizeof(type), "%.*s", (int)(dot - spec), spec);
	return offer_has_field(k, type, dot + 1);
}

enum inv_state invariant_state(const struct invariant *inv, const struct probe_result *res,
			       const struct kernel_offer *k, char *why, size_t len)
{
	bool any = !inv->any_fields;

	why[0] = '\0';
	if (!inv->implemented) {
		snprintf(why, len, "check not in this build: nothing is verified");
		return INV_UNAVAILABLE;
	}
	for (const char *const *n = inv->needs; n && *n; n++)
		if (!usable(result_of(*n, res))) {
			snprintf(why, len, "needs %s, which cannot be attached", *n);
			return INV_UNAVAILABLE;
		}
	for (const char *const *f = inv->fields; f && *f; f++)
		if (!has_field(k, *f)) {
			snprintf(why, len, "not applicable: this kernel has no %s", *f);
			return INV_UNAVAILABLE;
		}
	for (const char *const *f = inv->any_fields; f && *f; f++)
		any |= has_field(k, *f);
	if (!any) {
		snprintf(why, len, "not applicable: this kernel has none of %s",
			 inv->any_fields[0]);
		return INV_UNAVAILABLE;
	}
	for (const char *const *w = inv->wants; w && *w; w++)
		if (!usable(result_of(*w, res))) {
			snprintf(why, len, "without %s", *w);
			return INV_DEGRADED;
		}
	return INV_ACTIVE;
}
