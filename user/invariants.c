// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "invariants.h"

#define HOOKS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * The checks themselves are not part of this build yet: each invariant is
 * listed with what it will need, and reported unavailable, never clean.
 */
const struct invariant invariants[] = {
	{ "INV-1", "SRCU balance of dm_get_live_table/dm_put_live_table",
	  HOOKS("dm_blk_report_zones"), NULL, false },
	{ "INV-2", "only the revalidating task uses the inactive table",
	  HOOKS("dm_blk_report_zones", "dm_swap_table"), NULL, false },
	{ "INV-3", "no live-table report overlaps a suspend",
	  HOOKS("dm_blk_report_zones", "dm_suspend"), HOOKS("dm_blk_do_report_zones"), false },
	{ "INV-4", "a failed swap leaves the device unchanged", HOOKS("dm_swap_table"), NULL,
	  false },
	{ "INV-5", "the new table holds no mempools after a swap", HOOKS("dm_swap_table"), NULL,
	  false },
	{ "INV-6", "capacity matches the live table after resume",
	  HOOKS("dm_swap_table", "dm_resume"), NULL, false },
	{ "INV-7", "zone geometry matches capacity after a swap", HOOKS("dm_swap_table"),
	  HOOKS("dm_revalidate_zones"), false },
	{ "INV-8", "zone configuration frozen once zone write state exists", HOOKS("dm_swap_table"),
	  NULL, false },
	{ "INV-9", "zone resources only when emulating zone append", HOOKS("dm_swap_table"), NULL,
	  false },
};

const size_t nr_invariants = sizeof(invariants) / sizeof(invariants[0]);

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
	return r && (r->mech == PROBE_FENTRY || r->mech == PROBE_KPROBE);
}

enum inv_state invariant_state(const struct invariant *inv, const struct probe_result *res,
			       char *why, size_t len)
{
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
	for (const char *const *w = inv->wants; w && *w; w++)
		if (!usable(result_of(*w, res))) {
			snprintf(why, len, "without %s", *w);
			return INV_DEGRADED;
		}
	return INV_ACTIVE;
}
