// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "probe.h"

const char *probe_mech_name(enum probe_mech mech)
{
	switch (mech) {
	case PROBE_FENTRY:
		return "fentry";
	case PROBE_KPROBE:
		return "kprobe";
	case PROBE_OBSERVED:
		return "observed";
	case PROBE_KPROBE_MULTI:
		return "kprobe.multi";
	default:
		return "absent";
	}
}

/*
 * A function can be traced by symbol if kallsyms has it; kallsyms is read
 * only when needed, and the ftrace list is a subset of it.
 */
static bool has_symbol(const struct kernel_offer *k, const char *module, const char *name)
{
	return offer_has(k, &k->kallsyms, module, name) || offer_has(k, &k->ftrace, module, name);
}

static const char *find_clone(const struct kernel_offer *k, const char *module, const char *name)
{
	const char *clone = offer_find_clone(k, &k->ftrace, module, name);

	return clone ? clone : offer_find_clone(k, &k->kallsyms, module, name);
}

/* Plain kprobes need perf_event_open(); without it, fprobe if there is one. */
static enum probe_mech kprobe_mech(const struct kernel_offer *k)
{
	return k->perf_event_denied && k->kprobe_multi ? PROBE_KPROBE_MULTI : PROBE_KPROBE;
}

static bool resolve_name(const char *name, const struct hook *h, const struct kernel_offer *k,
			 enum probe_policy policy, struct probe_result *res)
{
	bool btf = offer_has(k, &k->btf_funcs, h->module, name);
	bool ftrace = offer_has(k, &k->ftrace, h->module, name);
	bool btf_object = !h->module || !k->module_btf_denied;
	const char *clone;

	/*
	 * fentry needs BTF for the function, an ftrace site to patch and, in a
	 * module, that module's BTF object (CAP_SYS_ADMIN).
	 */
	if (btf && btf_object && (ftrace || !k->ftrace_known) && policy != PROBE_FORCE_KPROBE) {
		res->mech = PROBE_FENTRY;
		snprintf(res->target, sizeof(res->target), "%s", name);
		if (!k->ftrace_known)
			snprintf(res->why, sizeof(res->why),
				 "available_filter_functions unreadable: assumed ftrace-able");
		return true;
	}
	if (has_symbol(k, h->module, name)) {
		res->mech = kprobe_mech(k);
		snprintf(res->target, sizeof(res->target), "%s", name);
		snprintf(res->why, sizeof(res->why), "%s",
			 policy == PROBE_FORCE_KPROBE ? "kprobe forced (--force-kprobe)"
			 : !btf			      ? "no BTF for the function"
			 : !btf_object ? "module BTF objects need CAP_SYS_ADMIN: kprobe instead"
				       : "not in available_filter_functions");
		return true;
	}
	clone = find_clone(k, h->module, name);
	if (clone && !(h->flags & HOOK_READS_ARGS)) {
		res->mech = kprobe_mech(k);
		snprintf(res->target, sizeof(res->target), "%s", clone);
		snprintf(res->why, sizeof(res->why),
			 "only the compiler clone %s exists; its arguments are not read", clone);
		return true;
	}
	if (clone)
		snprintf(res->why, sizeof(res->why),
			 "only the compiler clone %s exists, whose arguments differ", clone);
	return false;
}

void probe_resolve(const struct hook *h, const struct kernel_offer *k, enum probe_policy policy,
		   struct probe_result *res)
{
	memset(res, 0, sizeof(*res));
	if (h->observed_at) {
		res->mech = PROBE_OBSERVED;
		snprintf(res->target, sizeof(res->target), "%s", h->observed_at);
		snprintf(res->why, sizeof(res->why), "%s%s",
			 has_symbol(k, h->module, h->name) ? "present, but " : "inlined: ",
			 h->purpose);
		return;
	}
	if (resolve_name(h->name, h, k, policy, res))
		return;
	for (const char *const *alt = h->alt_names; alt && *alt; alt++)
		if (resolve_name(*alt, h, k, policy, res)) {
			if (!res->why[0])
				snprintf(res->why, sizeof(res->why),
					 "%s not attachable (inlined or renamed): using %s",
					 h->name, *alt);
			return;
		}
	res->mech = PROBE_ABSENT;
	if (!res->why[0])
		snprintf(res->why, sizeof(res->why),
			 "not in kallsyms%s: inlined or not in this kernel",
			 k->kallsyms_known ? "" : " (unreadable)");
}
