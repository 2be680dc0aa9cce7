// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "env.h"

bool env_has_btf(const char **path)
{
	const char *p = getenv("DMSWAP_VMLINUX_BTF");

	*path = p && *p ? p : "/sys/kernel/btf/vmlinux";
	return access(*path, R_OK) == 0;
}

/* Built in: no initstate, but dm_swap_table is in vmlinux. */
bool env_dm_builtin(void)
{
	return access("/sys/module/dm_mod/initstate", F_OK) && !access("/sys/module/dm_mod", F_OK);
}

bool env_dm_loaded(void)
{
	char state[32] = "";
	FILE *f;

	f = fopen("/sys/module/dm_mod/initstate", "re");
	if (!f)
		return env_dm_builtin();
	if (!fgets(state, sizeof(state), f))
		state[0] = '\0';
	fclose(f);
	/* "coming": its BTF and symbols are not ready for attaching yet. */
	return !strncmp(state, "live", 4);
}

bool env_wait_dm(volatile bool *stop, uint64_t deadline_ns)
{
	const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };

	while (!env_dm_loaded()) {
		if (*stop || (deadline_ns && clock_mono_ns() >= deadline_ns))
			return false;
		nanosleep(&tick, NULL);
	}
	return true;
}

const char *env_kernel_release(void)
{
	static struct utsname uts;

	if (!uts.release[0] && uname(&uts))
		return "unknown";
	return uts.release;
}
