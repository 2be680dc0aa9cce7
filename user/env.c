// SPDX-License-Identifier: GPL-2.0
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "env.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool cap_effective(const struct __user_cap_data_struct *data, int cap)
{
	return data[cap / 32].effective & (1u << (cap % 32));
}

bool env_privileged(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
	if (cap_effective(data, CAP_SYS_ADMIN))
		return true;
	return cap_effective(data, CAP_BPF) && cap_effective(data, CAP_PERFMON);
}

bool env_has_btf(const char **path)
{
	const char *p = getenv("DMSWAP_VMLINUX_BTF");

	*path = p && *p ? p : "/sys/kernel/btf/vmlinux";
	return access(*path, R_OK) == 0;
}

bool env_dm_loaded(void)
{
	char state[32] = "";
	FILE *f;

	/* Built in: no initstate, but dm_swap_table is in vmlinux. */
	f = fopen("/sys/module/dm_mod/initstate", "re");
	if (!f)
		return access("/sys/module/dm_mod", F_OK) == 0;
	if (!fgets(state, sizeof(state), f))
		state[0] = '\0';
	fclose(f);
	/* "coming": its BTF and symbols are not ready for attaching yet. */
	return !strncmp(state, "live", 4);
}

bool env_wait_dm(volatile bool *stop)
{
	const struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };

	while (!env_dm_loaded()) {
		if (*stop)
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
