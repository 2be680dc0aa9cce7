/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe resolution: for each hook, how it can be attached on this kernel.
 * Pure logic over a struct kernel_offer, so it is unit-tested against the
 * recorded offers of the lab kernels.
 */
#ifndef DMSWAP_PROBE_H
#define DMSWAP_PROBE_H

#include <stdbool.h>

#include "hooks.h"
#include "offer.h"

enum probe_mech {
	PROBE_ABSENT = 0, /* cannot be attached: inlined, renamed away, or clone only */
	PROBE_FENTRY, /* fentry/fexit through a BPF trampoline */
	PROBE_KPROBE, /* kprobe/kretprobe */
	PROBE_OBSERVED, /* inlined: observed at another hook */
	/*
	 * kprobe/kretprobe through fprobe (a kprobe.multi link of one symbol):
	 * made by the bpf() syscall, where a plain kprobe needs
	 * perf_event_open(), which Debian's perf_event_paranoid=3 allows only
	 * to CAP_SYS_ADMIN.
	 */
	PROBE_KPROBE_MULTI,
};

/* Both kprobe flavours run the same kprobe/kretprobe programs. */
static inline bool probe_mech_is_kprobe(enum probe_mech mech)
{
	return mech == PROBE_KPROBE || mech == PROBE_KPROBE_MULTI;
}

/* Programs of the hook's own are attached (not absent, not observed elsewhere). */
static inline bool probe_mech_attaches(enum probe_mech mech)
{
	return mech == PROBE_FENTRY || probe_mech_is_kprobe(mech);
}

#define PROBE_TARGET_LEN 128
#define PROBE_WHY_LEN 200

struct probe_result {
	enum probe_mech mech;
	char target[PROBE_TARGET_LEN]; /* symbol to attach to */
	char why[PROBE_WHY_LEN]; /* reason for a fallback or absence */
};

enum probe_policy {
	PROBE_PREFER_FENTRY = 0,
	PROBE_FORCE_KPROBE, /* exercise the fallback everywhere (--force-kprobe) */
};

void probe_resolve(const struct hook *h, const struct kernel_offer *k, enum probe_policy policy,
		   struct probe_result *res);
const char *probe_mech_name(enum probe_mech mech);

#endif /* DMSWAP_PROBE_H */
