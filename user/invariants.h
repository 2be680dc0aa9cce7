/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants of bpf/invariants.def, as the loader needs them: what each
 * one needs from the kernel, so "coverage" can say whether it is active or
 * unavailable on the running kernel, and why; its rules' messages; and the
 * upstream fixes they are about.
 */
#ifndef DMSWAP_INVARIANTS_H
#define DMSWAP_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "dmswap.h"
#include "offer.h"
#include "probe.h"

enum inv_state {
	INV_ACTIVE,
	INV_DEGRADED, /* active, some rules off (RULE_NEEDS) */
	INV_UNAVAILABLE,
};

enum upstream_fix_id {
#define UPSTREAM_FIX(name, ...) FIX_##name,
#include "invariants.def"
	FIX_END, /* ends a rule's list; also the number of fixes */
};

struct upstream_fix {
	const char *commit; /* 12 hex digits */
	const char *title;
	const char *mainline; /* first mainline release, "" when not recorded */
	const char *stable; /* stable releases it was backported to, or "" */
};

struct inv_rule {
	unsigned int inv, code;
	const char *name; /* INVn_NAME without "INVn_" */
	const char *message;
	const enum upstream_fix_id *fixes; /* ends with FIX_END */
};

/* Hooks a rule needs beyond its invariant's (RULE_NEEDS). */
struct inv_rule_needs {
	unsigned int inv, code;
	const char *const *hooks;
};

struct invariant {
	unsigned int n;
	const char *id; /* "INV-1": stable, used in output and tests */
	const char *title;
	const char *const *needs; /* hooks it cannot work without */
	const char *const *fields; /* "struct.member" that must all exist in BTF */
	const char *const *any_fields; /* at least one of these must exist */
};

extern const struct invariant invariants[DMSWAP_NR_INV];
extern const struct inv_rule inv_rules[];
extern const size_t nr_inv_rules;
extern const struct inv_rule_needs inv_rule_needs[];
extern const size_t nr_inv_rule_needs;
extern const struct upstream_fix upstream_fixes[FIX_END];

#define for_each_invariant(inv) \
	for (const struct invariant *inv = invariants; inv < invariants + DMSWAP_NR_INV; inv++)
#define for_each_inv_rule(r) \
	for (const struct inv_rule *r = inv_rules; r < inv_rules + nr_inv_rules; r++)
#define for_each_rule_fix(f, r) for (const enum upstream_fix_id *f = (r)->fixes; *f != FIX_END; f++)

/* State of @inv given the probe results (hooks[] order); @why explains. */
enum inv_state invariant_state(const struct invariant *inv, const struct probe_result *res,
			       const struct kernel_offer *k, char *why, size_t len);
/*
 * The rules of @inv that are off for want of a hook (bit c: rule c), with
 * @why naming them (may be NULL).  The BPF checks drop them (rule_off).
 */
unsigned int invariant_rules_off(const struct invariant *inv, const struct probe_result *res,
				 char *why, size_t len);
/* INV-@n, or NULL. */
const struct invariant *invariant_by_number(unsigned int n);
/* Rule @code of INV-@n, or NULL. */
const struct inv_rule *invariant_rule_of(unsigned int n, unsigned int code);
/* The message of rule @code of INV-@n ("violated" for an unknown rule). */
const char *invariant_rule(unsigned int n, unsigned int code);
/*
 * The upstream fixes of @inv's rules, each once, in the table's order:
 * bit i of the result is upstream_fixes[i].
 */
unsigned long invariant_fixes(const struct invariant *inv);
/* The same for rule @code of INV-@n (0: an unknown rule). */
unsigned long invariant_rule_fixes(unsigned int n, unsigned int code);
/* @f in one line: commit "title" (mainline X; stable Y). */
void upstream_fix_format(const struct upstream_fix *f, char *buf, size_t len);
/* Bit mask of the checks to enable in BPF (bit n: INV-n). */
unsigned int invariant_mask(void);
const char *inv_state_name(enum inv_state state);

#endif /* DMSWAP_INVARIANTS_H */
