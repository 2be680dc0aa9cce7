/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between bpf/explore.bpf.c and user/explore.c: the state of one
 * fault-injection run of `dmswap-trace explore`.
 */
#ifndef DMSWAP_EXPLORE_RUN_H
#define DMSWAP_EXPLORE_RUN_H

#define EXPLORE_STACK_DEPTH 32

struct explore_run {
	__u32 armed; /* user space: count and fail allocations now */
	__u32 fail_nth; /* fail this allocation of the run (1-based); 0: none */
	__u32 seen; /* failable slab allocations by swapping tasks */
	__u32 nofail; /* __GFP_NOFAIL allocations, never failed nor counted */
	__u32 failed; /* the fail_nth-th allocation was failed */
	__u32 swaps; /* dm_swap_table() calls entered */
	__s64 swap_ret; /* the last swap's result: 0 or -errno */
	__u32 failed_tid;
	__s32 stack_bytes; /* of the failed allocation; < 0: none */
	__u64 stack[EXPLORE_STACK_DEPTH];
};

#endif /* DMSWAP_EXPLORE_RUN_H */
