/* SPDX-License-Identifier: GPL-2.0 */
/* Checks of the environment before anything is loaded (privileges: caps.h). */
#ifndef DMSWAP_ENV_H
#define DMSWAP_ENV_H

#include <stdbool.h>

/* Kernel BTF present (override the path with DMSWAP_VMLINUX_BTF, for tests). */
bool env_has_btf(const char **path);
/* dm_mod is part of vmlinux (its functions and types in vmlinux's BTF). */
bool env_dm_builtin(void);
/* dm_mod loaded and live (or built in). */
bool env_dm_loaded(void);
/* Poll until dm_mod is live; false if interrupted by *stop. */
bool env_wait_dm(volatile bool *stop);
/* uname -r */
const char *env_kernel_release(void);

#endif /* DMSWAP_ENV_H */
