// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's view of bpf/invariants.def: what each invariant needs from
 * the kernel, what its rules say when they fire, the upstream fixes they are
 * about.  The checks themselves are bpf/invN_*.bpf.h; their truth table is
 * tests/lab/check_scenario.py, by INV id.
 */
#include <stdio.h>
#include <string.h>

#include "hooks.h"
#include "invariants.h"

/* The lists of bpf/invariants.def's entries. */
#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NONE NULL

const struct upstream_fix upstream_fixes[FIX_END] = {
#define UPSTREAM_FIX(name, commit_, title_, mainline_, stable_)                              \
	[FIX_##name] = {                                                                     \
		.commit = commit_, .title = title_, .mainline = mainline_, .stable = stable_ \
	},
#include "invariants.def"
};

const struct invariant invariants[DMSWAP_NR_INV] = {
#define INVARIANT(n_, title_, needs_, fields_, any_fields_) \
	[n_ - 1] = { .n = n_,                               \
		     .id = "INV-" #n_,                      \
		     .title = title_,                       \
		     .needs = needs_,                       \
		     .fields = fields_,                     \
		     .any_fields = any_fields_ },
#include "invariants.def"
};

const struct inv_rule inv_rules[] = {
#define RULE(n_, code_, name_, message_, ...) \
	{ .inv = n_,                          \
	  .code = code_,                      \
	  .name = #name_,                     \
	  .message = message_,                \
	  .fixes = (const enum upstream_fix_id[]){ __VA_ARGS__, FIX_END } },
#include "invariants.def"
};

const size_t nr_inv_rules = sizeof(inv_rules) / sizeof(inv_rules[0]);

/* An empty table's sentinel is never counted (nr_inv_rule_needs). */
const struct inv_rule_needs inv_rule_needs[] = {
#define RULE_NEEDS(n_, code_, hooks_) { .inv = n_, .code = code_, .hooks = hooks_ },
#include "invariants.def"
	{ 0 }
};

const size_t nr_inv_rule_needs = sizeof(inv_rule_needs) / sizeof(inv_rule_needs[0]) - 1;

const struct invariant *invariant_by_number(unsigned int n)
{
	return n >= 1 && n <= DMSWAP_NR_INV ? &invariants[n - 1] : NULL;
}

const struct inv_rule *invariant_rule_of(unsigned int n, unsigned int code)
{
	for_each_inv_rule (r)
		if (r->inv == n && r->code == code)
			return r;
	return NULL;
}

const char *invariant_rule(unsigned int n, unsigned int code)
{
	const struct inv_rule *r = invariant_rule_of(n, code);

	return r ? r->message : "violated";
}

static unsigned long rule_fixes(const struct inv_rule *r)
{
	unsigned long set = 0;

	for_each_rule_fix (f, r)
		set |= 1ul << *f;
	return set;
}

unsigned long invariant_fixes(const struct invariant *inv)
{
	unsigned long set = 0;

	for_each_inv_rule (r)
		if (r->inv == inv->n)
			set |= rule_fixes(r);
	return set;
}

unsigned long invariant_rule_fixes(unsigned int n, unsigned int code)
{
	const struct inv_rule *r = invariant_rule_of(n, code);

	return r ? rule_fixes(r) : 0;
}

void upstream_fix_format(const struct upstream_fix *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s \"%s\" (mainline %s; stable %s)", f->commit, f->title,
		 f->mainline[0] ? f->mainline : "not recorded", f->stable[0] ? f->stable : "none");
}

unsigned int invariant_mask(void)
{
	unsigned int mask = 0;

	for_each_invariant (inv)
		mask |= 1u << inv->n;
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
	return invariant_rules_off(inv, res, why, len) ? INV_DEGRADED : INV_ACTIVE;
}

unsigned int invariant_rules_off(const struct invariant *inv, const struct probe_result *res,
				 char *why, size_t len)
{
	unsigned int off = 0;
	size_t used = 0;

	for (size_t i = 0; i < nr_inv_rule_needs; i++) {
		const struct inv_rule_needs *rn = &inv_rule_needs[i];

		if (rn->inv != inv->n)
			continue;
		for (const char *const *h = rn->hooks; *h; h++) {
			if (usable(result_of(*h, res)))
				continue;
			off |= 1u << rn->code;
			if (why && used < len)
				used += snprintf(
					why + used, len - used,
					"%srule %u off: needs %s, which cannot be attached",
					used ? "; " : "", rn->code, *h);
			break;
		}
	}
	return off;
}
