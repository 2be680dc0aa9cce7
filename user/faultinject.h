/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this kernel offers for failing slab allocations on purpose (explore
 * mode): should_failslab() as a function on the error-injection list, so
 * that fmod_ret (or a kprobe with bpf_override_return) may change its
 * result.  Stock distribution kernels have neither CONFIG_FAILSLAB nor
 * CONFIG_FUNCTION_ERROR_INJECTION: there it is "unavailable", said plainly.
 */
#ifndef DMSWAP_FAULTINJECT_H
#define DMSWAP_FAULTINJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct btf;

enum fault_state {
	FAULT_UNAVAILABLE,
	FAULT_AVAILABLE, /* fmod_ret first, kprobe override as the fallback */
};

struct fault_offer {
	enum fault_state state;
	bool in_btf; /* should_failslab is a FUNC of vmlinux BTF */
	bool list_known; /* the error-injection list could be read */
	bool in_list; /* should_failslab is on it */
	uint64_t gfp_nofail; /* __GFP_NOFAIL of this kernel */
	bool gfp_from_btf; /* ... read from its BTF (else the 6.1 value) */
	char why[200];
};

void fault_offer_probe(struct fault_offer *f, const struct btf *vmlinux);
/*
 * Same, from a recorded error-injection list (unit tests); NULL when it
 * could not be opened, which means "none" only if debugfs is mounted.
 */
void fault_offer_decide(struct fault_offer *f, bool in_btf, FILE *error_injection_list,
			bool debugfs_mounted);
/* __GFP_NOFAIL from the ___GFP_NOFAIL_BIT enumerator, 0 when BTF lacks it. */
uint64_t fault_gfp_nofail(const struct btf *vmlinux);

#endif /* DMSWAP_FAULTINJECT_H */
