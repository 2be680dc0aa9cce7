/* SPDX-License-Identifier: GPL-2.0 */
/* Checks of the environment before anything is loaded (privileges: caps.h). */
#ifndef DMSWAP_ENV_H
#define DMSWAP_ENV_H

#include <stdbool.h>
#include <stdint.h>

/* Kernel BTF present (override the path with DMSWAP_VMLINUX_BTF, for tests). */
bool env_has_btf(const char **path);
/* dm_mod is part of vmlinux (its functions and types in vmlinux's BTF). */
bool env_dm_builtin(void);
/* dm_mod loaded and live (or built in). */
bool env_dm_loaded(void);
/* Poll until dm_mod is live; false if interrupted by *stop. */
/*
 * Wait until dm_mod is live; false when *stop was set or CLOCK_MONOTONIC
 * passed @deadline_ns (0: none) first.
 */
bool env_wait_dm(volatile bool *stop, uint64_t deadline_ns);
/*
 * Load dm_mod (modprobe) and wait until it is live; true when it is.  For
 * run: a wrapped suite that loads dm_mod itself is then traced from its
 * first swap (arming when the module appears would miss the first ones).
 */
bool env_load_dm(volatile bool *stop);
/* uname -r */
const char *env_kernel_release(void);
/* uname -n */
const char *env_host(void);
/* This boot's random id (/proc/sys/kernel/random/boot_id), or NULL. */
const char *env_boot_id(void);

#endif /* DMSWAP_ENV_H */
