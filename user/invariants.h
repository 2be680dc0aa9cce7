/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants (docs/invariants.md, INVARIANTS.md of the seed): what each
 * one needs from the kernel, so "coverage" can say whether it is active,
 * degraded or unavailable on the running kernel, and why.
 */
#ifndef DMSWAP_INVARIANTS_H
#define DMSWAP_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "probe.h"

enum inv_state {
	INV_ACTIVE,
	INV_DEGRADED, /* runs, but part of it cannot be seen here */
	INV_UNAVAILABLE,
};

struct invariant {
	const char *id; /* "INV-1": stable, used in output and tests */
	const char *title;
	const char *const *needs; /* hooks it cannot work without */
	const char *const *wants; /* hooks whose absence degrades it */
	bool implemented; /* the check exists in this build */
};

extern const struct invariant invariants[];
extern const size_t nr_invariants;

#define for_each_invariant(inv) \
	for (const struct invariant *inv = invariants; inv < invariants + nr_invariants; inv++)

/* State of @inv given the probe results (hooks[] order); @why explains. */
enum inv_state invariant_state(const struct invariant *inv, const struct probe_result *res,
			       char *why, size_t len);
const char *inv_state_name(enum inv_state state);

#endif /* DMSWAP_INVARIANTS_H */
