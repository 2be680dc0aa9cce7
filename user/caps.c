// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "env.h"
#include "offer.h"

/* When a capability is needed. */
enum cap_when {
	CAP_WHEN_ALWAYS,
	/*
	 * dm_mod is a module and no kprobe is open without CAP_SYS_ADMIN:
	 * fentry on a module function needs the module's BTF object, and a
	 * plain kprobe needs perf_event_open(), which Debian's
	 * perf_event_paranoid=3 keeps for CAP_SYS_ADMIN.  With fprobe
	 * (kprobe.multi links) neither is needed (btfmerge.h, offer_priv.c).
	 */
	CAP_WHEN_NO_KPROBE_PATH,
	CAP_WHEN_SYMBOLS, /* not required: stacks are unsymbolized without it */
};

struct cap_need {
	int cap;
	const char *name;
	const char *why;
	enum cap_when when;
	/* The kernel's bpf_capable()/perfmon_capable() accept CAP_SYS_ADMIN too. */
	bool sys_admin_covers;
};

/*
 * Measured in the lab (6.1, 6.12, 7.3): root with only some of these in
 * its bounding set, each removed in turn (docs/privileges.md).
 * CAP_SYS_ADMIN: BPF_BTF_GET_NEXT_ID and BPF_BTF_GET_FD_BY_ID check
 * capable(CAP_SYS_ADMIN) itself (kernel/bpf/syscall.c), which fentry on a
 * module function needs; without it CO-RE reads dm_mod's BTF from sysfs
 * and the hooks are kprobe.multi links, where the kernel has fprobe (6.12,
 * 7.x; not Debian's 6.1).
 */
static const struct cap_need needs[] = {
	{ CAP_BPF, "CAP_BPF", "BPF maps and programs", CAP_WHEN_ALWAYS, true },
	{ CAP_PERFMON, "CAP_PERFMON", "tracing programs: fentry, kprobes", CAP_WHEN_ALWAYS, true },
	{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN",
	  "module BTF of dm_mod, or perf kprobes: this kernel has no fprobe",
	  CAP_WHEN_NO_KPROBE_PATH, false },
	{ CAP_SYSLOG, "CAP_SYSLOG", "kernel addresses in /proc/kallsyms", CAP_WHEN_SYMBOLS, false },
};

#define NR_NEEDS (sizeof(needs) / sizeof(needs[0]))

static bool has(const struct caps_state *st, int cap)
{
	return cap <= st->last_cap && cap < 64 && (st->effective >> cap & 1);
}

static bool satisfied(const struct caps_state *st, const struct cap_need *n)
{
	return has(st, n->cap) || (n->sys_admin_covers && has(st, CAP_SYS_ADMIN));
}

static bool required(const struct caps_state *st, const struct cap_need *n)
{
	switch (n->when) {
	case CAP_WHEN_ALWAYS:
		return true;
	case CAP_WHEN_NO_KPROBE_PATH:
		return !st->dm_builtin && !st->kprobe_without_sys_admin;
	default:
		return false;
	}
}

/*
 * kallsyms_show_value() said no: a text symbol at address 0 (per-CPU
 * symbols, first on some kernels, are at small offsets from 0 anyway).
 */
static bool kallsyms_hidden(void)
{
	char line[256], type;
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "re");
	bool hidden = true;

	if (!f)
		return true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c", &addr, &type) == 2 && (type == 'T' || type == 't')) {
			hidden = addr == 0;
			break;
		}
	}
	fclose(f);
	return hidden;
}

/* The initial user namespace maps every uid to itself: "0 0 4294967295". */
static bool in_user_ns(void)
{
	unsigned long inner, outer, count;
	FILE *f = fopen("/proc/self/uid_map", "re");
	bool nested = false;

	/* No user namespaces in this kernel: the initial one is all there is. */
	if (!f)
		return false;
	if (fscanf(f, "%lu %lu %lu", &inner, &outer, &count) == 3)
		nested = inner != 0 || outer != 0 || count != 4294967295ul;
	fclose(f);
	return nested;
}

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int n;

	/* Unreadable: assume a kernel that has every capability named here. */
	if (!f)
		return CAP_BPF;
	if (fscanf(f, "%d", &n) != 1)
		n = CAP_BPF;
	fclose(f);
	return n;
}

bool caps_read(struct caps_state *st)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	memset(st, 0, sizeof(*st));
	if (syscall(SYS_capget, &hdr, data))
		return false;
	st->user_ns = in_user_ns();
	if (!st->user_ns)
		st->effective = (uint64_t)data[1].effective << 32 | data[0].effective;
	st->last_cap = last_cap();
	st->dm_builtin = env_dm_builtin();
	st->kprobe_without_sys_admin = priv_kernel_has_fprobe() || !priv_perf_event_denied();
	st->kallsyms_hidden = kallsyms_hidden();
	return true;
}

size_t caps_missing(const struct caps_state *st, char *buf, size_t len)
{
	size_t missing = 0, at = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < NR_NEEDS; i++) {
		const struct cap_need *n = &needs[i];
		int w;

		if (!required(st, n) || satisfied(st, n))
			continue;
		/* Before 5.8 (no CAP_BPF, CAP_PERFMON): CAP_SYS_ADMIN does it. */
		if (n->cap > st->last_cap)
			w = snprintf(buf + at, len - at,
				     "%sCAP_SYS_ADMIN (%s: no %s in this kernel)",
				     missing ? ", " : "", n->why, n->name);
		else
			w = snprintf(buf + at, len - at, "%s%s (%s)", missing ? ", " : "", n->name,
				     n->why);
		missing++;
		if (w > 0)
			at = at + w < len ? at + w : len - 1;
	}
	return missing;
}

bool caps_warning(const struct caps_state *st, char *buf, size_t len)
{
	for (size_t i = 0; i < NR_NEEDS; i++) {
		const struct cap_need *n = &needs[i];

		if (n->when != CAP_WHEN_SYMBOLS || !st->kallsyms_hidden)
			continue;
		if (has(st, n->cap))
			snprintf(buf, len,
				 "/proc/kallsyms shows no addresses (kernel.kptr_restrict): "
				 "violation stacks will not be symbolized");
		else
			snprintf(buf, len,
				 "missing %s (%s): violation stacks will not be symbolized",
				 n->name, n->why);
		return true;
	}
	return false;
}

const char *caps_all_names(void)
{
	static char names[128];
	size_t at = 0;

	if (names[0])
		return names;
	for (size_t i = 0; i < NR_NEEDS && at < sizeof(names); i++) {
		int w;

		if (needs[i].when == CAP_WHEN_SYMBOLS)
			continue;
		w = snprintf(names + at, sizeof(names) - at, "%s%s", at ? ", " : "", needs[i].name);
		if (w > 0)
			at += w;
	}
	return names;
}

/* capability(7)'s names, by number; those past the table print as numbers. */
static const char *const cap_names[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

#define NR_CAP_NAMES (sizeof(cap_names) / sizeof(cap_names[0]))

void caps_set_names(uint64_t set, char *buf, size_t len)
{
	size_t at = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (!set) {
		snprintf(buf, len, "none");
		return;
	}
	for (unsigned int n = 0; n < 64 && at < len; n++) {
		int w;

		if (!(set >> n & 1))
			continue;
		if (n < NR_CAP_NAMES)
			w = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", cap_names[n]);
		else
			w = snprintf(buf + at, len - at, "%scap %u", at ? ", " : "", n);
		if (w > 0)
			at = at + w < len ? at + w : len - 1;
	}
}

bool caps_sets_read(const char *pid, struct caps_sets *out)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "CapInh:", offsetof(struct caps_sets, inh) },
		{ "CapPrm:", offsetof(struct caps_sets, prm) },
		{ "CapEff:", offsetof(struct caps_sets, eff) },
		{ "CapBnd:", offsetof(struct caps_sets, bnd) },
		{ "CapAmb:", offsetof(struct caps_sets, amb) },
	};
	char path[64], line[256];
	unsigned int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	memset(out, 0, sizeof(*out));
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			unsigned long long v;

			if (strncmp(line, keys[i].key, strlen(keys[i].key)) ||
			    sscanf(line + strlen(keys[i].key), "%llx", &v) != 1)
				continue;
			*(uint64_t *)((char *)out + keys[i].off) = v;
			found |= 1u << i;
		}
	}
	fclose(f);
	return found == 0x1f;
}

/* Empty permitted, effective and inheritable (ambient follows): 0 or -errno. */
static int capset_empty(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int caps_drop_all(bool keep_bounding, struct caps_drop *d)
{
	struct caps_sets before;
	int err = 0;

	memset(d, 0, sizeof(*d));
	d->done = true;
	if (caps_sets_read("self", &before))
		d->held = before.prm;
	/*
	 * The bounding set needs CAP_SETPCAP to shrink: root from a shell has
	 * it, a unit that grants only what the tool needs does not (and
	 * NoNewPrivileges= already keeps exec from granting anything there).
	 */
	if (!keep_bounding && before.eff >> CAP_SETPCAP & 1) {
		d->bounding = true;
		for (int cap = 0; cap <= last_cap(); cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
				err = -errno;
				d->bounding = false;
				break;
			}
	}
	/* Ambient first (it must stay within permitted and inheritable anyway). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL && !err)
		err = -errno;
	if (capset_empty() && !err)
		err = -errno;
	/* Nothing exec'd from here on (there is nothing) gains a capability. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) && !err)
		err = -errno;
	if (!caps_sets_read("self", &d->after) && !err)
		err = -EIO;
	if (!err && (d->after.prm || d->after.eff || d->after.inh || d->after.amb))
		err = -EPERM;
	d->err = err;
	return err;
}

bool caps_dir_writable_unprivileged(int dirfd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return false;
	/*
	 * faccessat2 itself: glibc's fallback for AT_EACCESS decides "root may"
	 * from the uid alone, which is the very thing not to assume here.
	 */
	if (!pid)
		_exit(capset_empty() || syscall(SYS_faccessat2, dirfd, ".", W_OK | X_OK, AT_EACCESS)
			      ? 1
			      : 0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
