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

/* The process's capability sets (bit n: capability n), as /proc/self/status shows them. */
struct caps_sets {
	uint64_t inh, prm, eff, bnd, amb;
};

/* From /proc/@pid/status ("self" for this process); false if unreadable. */
bool caps_sets_read(const char *pid, struct caps_sets *out);

/* "CAP_BPF, CAP_PERFMON" for the bits of @set; "none" for 0. */
void caps_set_names(uint64_t set, char *buf, size_t len);

/* What caps_drop_all() did, for the armed line and the log. */
struct caps_drop {
	bool done; /* tried: every set but perhaps the bounding one is empty */
	uint64_t held; /* permitted before */
	struct caps_sets after; /* read back from /proc/self/status */
	bool bounding; /* the bounding set emptied too */
	int err; /* 0, or -errno of the step that failed */
};

/*
 * Once armed, the links and the ring buffer need no capability: give up
 * every one.  Permitted, effective, inheritable and ambient are emptied;
 * the bounding set too (with CAP_SETPCAP, which a unit does not grant)
 * unless @keep_bounding; then no_new_privs, so that nothing exec'd later
 * could regain any.  Irreversible.  0 or -errno, said in @d either way.
 */
int caps_drop_all(bool keep_bounding, struct caps_drop *d);

/*
 * Whether the directory @dirfd lets this process create and rename files
 * in it once it holds no capability (no CAP_DAC_OVERRIDE): asked of a
 * child that drops them first, so that ACLs and every rule count.
 */
bool caps_dir_writable_unprivileged(int dirfd);

#endif /* DMSWAP_CAPS_H */
