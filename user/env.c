// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
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

bool env_load_dm(volatile bool *stop)
{
	/* dm_mod comes up in milliseconds; this bounds a modprobe gone wrong. */
	const uint64_t live_within_ns = 10ull * 1000 * 1000 * 1000;
	int status;
	pid_t pid;

	if (env_dm_loaded())
		return true;
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		execlp("modprobe", "modprobe", "-q", "dm_mod", (char *)NULL);
		execl("/sbin/modprobe", "modprobe", "-q", "dm_mod", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return false;
	return env_wait_dm(stop, clock_mono_ns() + live_within_ns);
}

static const struct utsname *env_uname(void)
{
	static struct utsname uts;

	if (!uts.release[0] && uname(&uts))
		return NULL;
	return &uts;
}

const char *env_kernel_release(void)
{
	const struct utsname *uts = env_uname();

	return uts ? uts->release : "unknown";
}

const char *env_host(void)
{
	const struct utsname *uts = env_uname();

	return uts ? uts->nodename : "unknown";
}

const char *env_boot_id(void)
{
	/* 36 characters and a newline; read once, it cannot change. */
	static char id[40];
	FILE *f;

	if (id[0])
		return id;
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f)
		return NULL;
	if (!fgets(id, sizeof(id), f))
		id[0] = '\0';
	fclose(f);
	id[strcspn(id, "\n")] = '\0';
	return id[0] ? id : NULL;
}
