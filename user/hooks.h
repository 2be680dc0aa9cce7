/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel functions dmswap-trace hooks, as a table.  A hook's BPF
 * programs are named HOOK__fentry, HOOK__fexit, HOOK__kprobe and
 * HOOK__kretprobe (bpf/hook.bpf.h); which pair is used on the running
 * kernel is decided by probe.c.
 */
#ifndef DMSWAP_HOOKS_H
#define DMSWAP_HOOKS_H

#include <stddef.h>

enum hook_flags {
	HOOK_READS_ARGS = 1 << 0, /* entry handler reads arguments: no clones */
	HOOK_HAS_EXIT = 1 << 1, /* has an exit handler */
};

struct hook {
	const char *name; /* kernel function, and program name prefix */
	const char *const *alt_names; /* later renames, NULL-terminated, or NULL */
	const char *module; /* "dm_mod", or NULL for vmlinux */
	const char *observed_at; /* inlined: seen at this other hook instead */
	unsigned int flags;
	const char *purpose; /* shown by "coverage" */
};

extern const struct hook hooks[];
extern const size_t nr_hooks;

const struct hook *hook_by_name(const char *name);
size_t hook_index(const struct hook *h);

#define for_each_hook(h) for (const struct hook *h = hooks; h < hooks + nr_hooks; h++)

#endif /* DMSWAP_HOOKS_H */
