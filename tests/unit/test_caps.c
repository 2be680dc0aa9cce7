// SPDX-License-Identifier: GPL-2.0
/* The capability check: what is missing, for made-up processes and kernels. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "unit.h"

#define BIT(cap) (1ull << (cap))

static bool fprobe; /* the made-up kernel has kprobes without CAP_SYS_ADMIN */

static size_t missing(uint64_t eff, int last_cap, bool dm_builtin, char *buf, size_t len)
{
	struct caps_state st = { .effective = eff,
				 .last_cap = last_cap,
				 .dm_builtin = dm_builtin,
				 .kprobe_without_sys_admin = fprobe };

	return caps_missing(&st, buf, len);
}

TEST(caps_missing_names_exactly_what_lacks)
{
	char buf[512];

	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_SYS_ADMIN), 40, false, buf,
			  sizeof(buf)),
		  0);
	CHECK_STR(buf, "");
	/* bpf_capable() and perfmon_capable() accept CAP_SYS_ADMIN. */
	CHECK_INT(missing(BIT(CAP_SYS_ADMIN), 40, false, buf, sizeof(buf)), 0);
	/* Without fprobe (6.1): module BTF ids and perf kprobes are CAP_SYS_ADMIN's only. */
	fprobe = false;
	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON) | BIT(CAP_SYSLOG), 40, false, buf,
			  sizeof(buf)),
		  1);
	CHECK_STR(buf, "CAP_SYS_ADMIN (module BTF of dm_mod, or perf kprobes: this kernel has no "
		       "fprobe)");
	/* With fprobe (6.12, 7.x): kprobe.multi links, CO-RE from sysfs. */
	fprobe = true;
	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON), 40, false, buf, sizeof(buf)), 0);
	fprobe = false;
	/* dm_mod built in: its functions and types are vmlinux's. */
	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON), 40, true, buf, sizeof(buf)), 0);
	CHECK_INT(missing(BIT(CAP_BPF), 40, true, buf, sizeof(buf)), 1);
	CHECK_STR(buf, "CAP_PERFMON (tracing programs: fentry, kprobes)");
	CHECK_INT(missing(0, 40, false, buf, sizeof(buf)), 3);
	CHECK_STR(buf, "CAP_BPF (BPF maps and programs), CAP_PERFMON (tracing programs: fentry, "
		       "kprobes), CAP_SYS_ADMIN (module BTF of dm_mod, or perf kprobes: this "
		       "kernel has no fprobe)");
	/* CAP_SYSLOG is never required. */
	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON), 40, true, buf, sizeof(buf)), 0);
	/* A short buffer is cut, never overrun, and the count stays right. */
	CHECK_INT(missing(0, 40, false, buf, 10), 3);
	CHECK_STR(buf, "CAP_BPF (");
}

/* Before 5.8 (cap_last_cap 37): no CAP_BPF or CAP_PERFMON, CAP_SYS_ADMIN does it all. */
TEST(caps_before_cap_bpf_existed)
{
	char buf[512];

	CHECK_INT(missing(BIT(CAP_SYS_ADMIN), 37, false, buf, sizeof(buf)), 0);
	/* Bits the kernel does not know count for nothing. */
	CHECK_INT(missing(BIT(CAP_BPF) | BIT(CAP_PERFMON), 37, true, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "CAP_SYS_ADMIN (BPF maps and programs: no CAP_BPF in this kernel), "
		       "CAP_SYS_ADMIN (tracing programs: fentry, kprobes: no CAP_PERFMON in this "
		       "kernel)");
}

TEST(caps_syslog_is_a_warning_when_addresses_are_hidden)
{
	struct caps_state st = { .effective = BIT(CAP_BPF) | BIT(CAP_PERFMON), .last_cap = 40 };
	char buf[256] = "";

	CHECK(!caps_warning(&st, buf, sizeof(buf)));
	st.kallsyms_hidden = true;
	CHECK(caps_warning(&st, buf, sizeof(buf)));
	CHECK_STR(buf, "missing CAP_SYSLOG (kernel addresses in /proc/kallsyms): violation stacks "
		       "will not be symbolized");
	st.effective |= BIT(CAP_SYSLOG);
	CHECK(caps_warning(&st, buf, sizeof(buf)));
	CHECK_STR(buf, "/proc/kallsyms shows no addresses (kernel.kptr_restrict): violation "
		       "stacks will not be symbolized");
	CHECK_STR(caps_all_names(), "CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN");
}

/* In a child: the drop is for good. 0 when every set is empty after it. */
static int drop_in_child(bool keep_bounding, uint64_t *bnd)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		struct caps_drop d;
		struct caps_sets now;
		int bad;

		bad = caps_drop_all(keep_bounding, &d) != 0 || !d.done;
		bad |= !caps_sets_read("self", &now) || now.prm || now.eff || now.inh || now.amb;
		bad |= memcmp(&now, &d.after, sizeof(now)) != 0;
		/* Nothing exec'd could regain one. */
		bad |= prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1;
		bad |= d.bounding == keep_bounding;
		if (write(p[1], &now.bnd, sizeof(now.bnd)) != sizeof(now.bnd))
			bad = 1;
		_exit(bad);
	}
	close(p[1]);
	if (read(p[0], bnd, sizeof(*bnd)) != sizeof(*bnd))
		*bnd = ~0ull;
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(caps_drop_all_leaves_nothing)
{
	uint64_t bnd;

	/* Root with CAP_SETPCAP (the test runs as root): the bounding set goes too. */
	if (geteuid()) {
		printf("  (not root: skipped)\n");
		return;
	}
	CHECK_INT(drop_in_child(false, &bnd), 0);
	CHECK_INT(bnd, 0);
	/* run's parent may keep its bounding set: its child was forked before. */
	CHECK_INT(drop_in_child(true, &bnd), 0);
	CHECK(bnd != 0);
}

TEST(caps_names_of_a_set)
{
	char buf[256];

	caps_set_names(0, buf, sizeof(buf));
	CHECK_STR(buf, "none");
	caps_set_names(1ull << CAP_BPF | 1ull << CAP_PERFMON | 1ull << CAP_SYSLOG |
			       1ull << CAP_SYS_ADMIN,
		       buf, sizeof(buf));
	CHECK_STR(buf, "CAP_SYS_ADMIN, CAP_SYSLOG, CAP_PERFMON, CAP_BPF");
	caps_set_names(1ull << 50, buf, sizeof(buf));
	CHECK_STR(buf, "cap 50");
}

/*
 * An output directory only CAP_DAC_OVERRIDE lets root write (another
 * user's, 0755) is found out before arming; root's own and a sticky
 * world-writable one are fine.
 */
TEST(caps_dir_writable_once_dropped)
{
	char dir[] = "/tmp/dmswap-caps-XXXXXX", cmd[64];
	int fd;

	if (geteuid()) {
		printf("  (not root: skipped)\n");
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	fd = open(dir, O_PATH | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK(caps_dir_writable_unprivileged(fd));
	CHECK(!chown(dir, 65534, 65534));
	CHECK(!chmod(dir, 0755));
	CHECK(!caps_dir_writable_unprivileged(fd));
	CHECK(!chmod(dir, 01777));
	CHECK(caps_dir_writable_unprivileged(fd));
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(!system(cmd));
}
