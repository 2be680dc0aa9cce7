// SPDX-License-Identifier: GPL-2.0
/* The capability check: what is missing, for made-up processes and kernels. */
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
