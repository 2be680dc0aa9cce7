/* SPDX-License-Identifier: GPL-2.0 */
/* Checks of the environment before anything is loaded, in this order. */
#ifndef DMSWAP_ENV_H
#define DMSWAP_ENV_H

#include <stdbool.h>

/* Root, or CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) in the effective set. */
bool env_privileged(void);
/* Kernel BTF present (override the path with DMSWAP_VMLINUX_BTF, for tests). */
bool env_has_btf(const char **path);
/* dm_mod loaded and live (or built in). */
bool env_dm_loaded(void);
/* Poll until dm_mod is live; false if interrupted by *stop. */
bool env_wait_dm(volatile bool *stop);
/* uname -r */
const char *env_kernel_release(void);

#endif /* DMSWAP_ENV_H */
