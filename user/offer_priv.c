// SPDX-License-Identifier: GPL-2.0
/*
 * What the caller's privileges let it attach, asked of the kernel directly
 * rather than guessed from capability bits: the checks differ between
 * kernels and distributions (Debian's perf_event_paranoid=3 makes every
 * perf_event_open() a CAP_SYS_ADMIN matter; upstream asks CAP_PERFMON).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "offer.h"

static bool module_btf_denied(void)
{
	__u32 id = 0;

	/* ENOENT (no BTF object at all) is not a denial. */
	return bpf_btf_get_next_id(0, &id) && errno == EPERM;
}

/* A software event on ourselves: the least perf_event_open() can ask. */
bool priv_perf_event_denied(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_DUMMY,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == EACCES || errno == EPERM;
}

/* kprobe.multi links exist with CONFIG_FPROBE, whose symbols then exist. */
bool priv_kernel_has_fprobe(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		const char *name = strrchr(line, ' ');

		found = name && !strcmp(name + 1, "register_fprobe\n");
	}
	fclose(f);
	return found;
}

void offer_probe_privileges(struct kernel_offer *k)
{
	k->module_btf_denied = module_btf_denied();
	k->perf_event_denied = priv_perf_event_denied();
	k->kprobe_multi = k->perf_event_denied && priv_kernel_has_fprobe();
}
