/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capabilities dmswap-trace needs, in one table (caps.c): which, and
 * why.  Checked in the effective set before anything is loaded, whatever
 * the uid: root with a reduced bounding set (a systemd unit) is not
 * privileged enough, and libbpf's own message then says nothing useful.
 */
#ifndef DMSWAP_CAPS_H
#define DMSWAP_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/capability.h>

/* Absent from older headers (they came with Linux 5.8). */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* What the running kernel and process look like, as far as the check goes. */
struct caps_state {
	uint64_t effective; /* bit n: capability n */
	int last_cap; /* /proc/sys/kernel/cap_last_cap: CAP_BPF exists from 5.8 */
	bool dm_builtin; /* dm_mod is part of vmlinux: no module BTF to open */
	/* fprobe, or perf_event_open() allowed: kprobes need no CAP_SYS_ADMIN. */
	bool kprobe_without_sys_admin;
	bool kallsyms_hidden; /* /proc/kallsyms shows this process no addresses */
	/* Not the initial user namespace: its capabilities count for nothing in BPF. */
	bool user_ns;
};

/*
 * The running process and kernel; false if capget() fails.  In a user
 * namespace the effective set reads as empty: the kernel checks BPF's
 * capabilities against the initial one.
 */
bool caps_read(struct caps_state *st);

/*
 * "CAP_X (why), CAP_Y (why)": the required capabilities @st lacks, into
 * @buf.  Returns how many are missing (0: privileged enough).
 */
size_t caps_missing(const struct caps_state *st, char *buf, size_t len);

/*
 * A warning for what works but worse (CAP_SYSLOG: stacks unsymbolized),
 * into @buf; false if there is nothing to say.
 */
bool caps_warning(const struct caps_state *st, char *buf, size_t len);

/* The capabilities, for the message of an EPERM that still comes from the kernel. */
const char *caps_all_names(void);

#endif /* DMSWAP_CAPS_H */
