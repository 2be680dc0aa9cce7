// SPDX-License-Identifier: GPL-2.0
/*
 * dmswap-trace explore: fail the Nth slab allocation that a task makes
 * inside dm_swap_table(), to walk a swap's failure paths one by one.
 *
 * should_failslab() is where the slab allocator asks fault injection; it
 * exists (and is on the error-injection list) only with CONFIG_FAILSLAB and
 * CONFIG_FUNCTION_ERROR_INJECTION.  fmod_ret is preferred; kprobe +
 * bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE) is the fallback.  User
 * space picks one with bpf_program__set_autoload().
 *
 * A separate object from the verifier's: it must not stop the verifier from
 * loading on kernels without fault injection.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "explore_run.h"

#define ENOMEM 12

/* __GFP_NOFAIL of this kernel (from its BTF): such allocations cannot fail. */
const volatile __u64 gfp_nofail = 0;

struct explore_run run = {};

/* Tasks inside dm_swap_table(), with their nesting depth. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} swapping SEC(".maps");

static __always_inline void swap_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), one = 1, *depth;

	if (!run.armed)
		return;
	run.swaps++;
	depth = bpf_map_lookup_elem(&swapping, &tid);
	if (depth)
		(*depth)++;
	else
		bpf_map_update_elem(&swapping, &tid, &one, BPF_ANY);
}

static __always_inline void swap_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), *depth;

	depth = bpf_map_lookup_elem(&swapping, &tid);
	if (!depth)
		return;
	if (--(*depth) == 0)
		bpf_map_delete_elem(&swapping, &tid);
	/* dm_swap_table() returns the old map or an ERR_PTR. */
	run.swap_ret = (unsigned long)ret >= (unsigned long)-4095 ? ret : 0;
}

SEC("fentry/dm_swap_table")
int BPF_PROG(explore_swap_fentry)
{
	swap_enter();
	return 0;
}

SEC("fexit/dm_swap_table")
int BPF_PROG(explore_swap_fexit, struct mapped_device *md, struct dm_table *t, long ret)
{
	swap_exit(ret);
	return 0;
}

SEC("kprobe/dm_swap_table")
int BPF_KPROBE(explore_swap_kprobe)
{
	swap_enter();
	return 0;
}

SEC("kretprobe/dm_swap_table")
int BPF_KRETPROBE(explore_swap_kretprobe, long ret)
{
	swap_exit(ret);
	return 0;
}

/* Should this allocation fail?  Counts the failable ones of swapping tasks. */
static __always_inline bool fail_this(void *ctx, gfp_t gfp)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 n;

	if (!run.armed || !bpf_map_lookup_elem(&swapping, &tid))
		return false;
	if (gfp & gfp_nofail) {
		run.nofail++;
		return false;
	}
	/*
	 * Not atomic: explore runs one swap at a time, and a task allocates
	 * on one CPU at a time.
	 */
	n = ++run.seen;
	if (n != run.fail_nth)
		return false;
	run.failed = 1;
	run.failed_tid = tid;
	run.stack_bytes = bpf_get_stack(ctx, run.stack, sizeof(run.stack), 0);
	return true;
}

SEC("fmod_ret/should_failslab")
int BPF_PROG(explore_failslab_fmod_ret, struct kmem_cache *s, gfp_t gfp)
{
	return fail_this(ctx, gfp) ? -ENOMEM : 0;
}

SEC("kprobe/should_failslab")
int BPF_KPROBE(explore_failslab_kprobe, struct kmem_cache *s, gfp_t gfp)
{
	if (fail_this(ctx, gfp))
		bpf_override_return(ctx, -ENOMEM);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
