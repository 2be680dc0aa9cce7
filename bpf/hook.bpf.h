/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One handler, two attach mechanisms.
 *
 * Every hooked kernel function gets an fentry/fexit pair and a
 * kprobe/kretprobe pair that call the same handler.  The loader's probe
 * layer (user/probe.c) picks one pair per hook for the running kernel and
 * disables the other with bpf_program__set_autoload(), as libbpf-tools do.
 * Program names follow FUNCTION__MECHANISM so the loader finds them by name.
 *
 * Exit handlers read the return value with bpf_get_func_ret() (5.17+), which
 * does not depend on the function's argument count: dm_blk_report_zones()
 * changed its arguments in 7.x.
 */
#ifndef DMSWAP_HOOK_BPF_H
#define DMSWAP_HOOK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define HOOK_ENTRY(func, call, args...)      \
	SEC("fentry")                        \
	int BPF_PROG(func##__fentry, args)   \
	{                                    \
		return call;                 \
	}                                    \
	SEC("kprobe")                        \
	int BPF_KPROBE(func##__kprobe, args) \
	{                                    \
		return call;                 \
	}

/*
 * @call is a handler taking the context (for stacks) and the return value
 * as a long; @rtype is the
 * function's return type, so that an int's -errno is sign-extended (fexit
 * and kretprobe both hand over the whole 64-bit register).
 */
#define HOOK_EXIT(func, call, rtype)                   \
	SEC("fexit")                                   \
	int func##__fexit(__u64 *ctx)                  \
	{                                              \
		__u64 ret = 0;                         \
                                                       \
		bpf_get_func_ret(ctx, &ret);           \
		return call(ctx, (long)(rtype)ret);    \
	}                                              \
	SEC("kretprobe")                               \
	int BPF_KRETPROBE(func##__kretprobe, long ret) \
	{                                              \
		return call(ctx, (long)(rtype)ret);    \
	}

/* For hooks that only mark a point and read no argument (clones like .isra.0). */
#define HOOK_MARK(func, call)          \
	SEC("fentry")                  \
	int BPF_PROG(func##__fentry)   \
	{                              \
		return call(ctx);      \
	}                              \
	SEC("kprobe")                  \
	int BPF_KPROBE(func##__kprobe) \
	{                              \
		return call(ctx);      \
	}

#endif /* DMSWAP_HOOK_BPF_H */
