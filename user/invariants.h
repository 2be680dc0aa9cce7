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

#include "ksyms.h"
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
	const char *const *fields; /* "struct.member" that must all exist in BTF */
	const char *const *any_fields; /* at least one of these must exist */
	const char *const *rules; /* message per rule (violation code) */
	bool implemented; /* the check exists in this build */
};

extern const struct invariant invariants[];
extern const size_t nr_invariants;

#define for_each_invariant(inv) \
	for (const struct invariant *inv = invariants; inv < invariants + nr_invariants; inv++)

/* State of @inv given the probe results (hooks[] order); @why explains. */
enum inv_state invariant_state(const struct invariant *inv, const struct probe_result *res,
			       const struct kernel_offer *k, char *why, size_t len);
/* INV-@n, or NULL. */
const struct invariant *invariant_by_number(unsigned int n);
/* The message of rule @code of INV-@n. */
const char *invariant_rule(unsigned int n, unsigned int code);
/* Bit mask of the checks to enable in BPF (bit n: INV-n). */
unsigned int invariant_mask(void);
const char *inv_state_name(enum inv_state state);

#endif /* DMSWAP_INVARIANTS_H */
