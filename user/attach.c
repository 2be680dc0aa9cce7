// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "attach.h"

/*
 * fentry/fexit targets by BTF id.  bpf_program__set_attach_target() looks a
 * function up by name in libbpf's own copy of the vmlinux BTF and then in
 * every module's, each lookup walking all ~114,000 vmlinux types again:
 * about 0.8 s of start-up under TCG for 16 programs.  The loader has parsed
 * that BTF already (user/offer.c), so the ids come from there, and custom
 * SEC("fentry") and SEC("fexit") handlers hand them to the kernel at load.
 * A target not found this way falls back to the lookup by name.
 */
static const struct btf *fast_vmlinux, *fast_module;
static bool fast_handlers;
static int fast_module_fd = -1;

static struct {
	const struct bpf_program *prog;
	__u32 btf_id;
	int obj_fd; /* 0: vmlinux */
} fast_targets[ATTACH_MAX_LINKS];
static size_t nr_fast_targets;

static int fast_prepare_load(struct bpf_program *prog, struct bpf_prog_load_opts *opts, long cookie)
{
	(void)cookie;
	for (size_t i = 0; i < nr_fast_targets; i++) {
		if (fast_targets[i].prog != prog)
			continue;
		opts->attach_btf_id = fast_targets[i].btf_id;
		opts->attach_btf_obj_fd = fast_targets[i].obj_fd;
	}
	return 0;
}

int attach_use_btf(const struct btf *vmlinux, const struct btf *module)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, opts, .prog_prepare_load_fn = fast_prepare_load);

	fast_vmlinux = vmlinux;
	fast_module = module;
	if (fast_handlers || !vmlinux)
		return 0;
	if (libbpf_register_prog_handler("fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, &opts) <
		    0 ||
	    libbpf_register_prog_handler("fexit", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, &opts) <
		    0)
		return -errno;
	fast_handlers = true;
	return 0;
}

/* An fd of the kernel's BTF object of module @name, or -errno. */
static int module_btf_fd(const char *name)
{
	__u32 id = 0;

	while (!bpf_btf_get_next_id(id, &id)) {
		struct bpf_btf_info info = {};
		__u32 len = sizeof(info);
		char buf[64] = "";
		int fd = bpf_btf_get_fd_by_id(id);

		if (fd < 0)
			continue;
		info.name = (__u64)(unsigned long)buf;
		info.name_len = sizeof(buf);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.kernel_btf &&
		    !strcmp(buf, name))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

/* FUNC @name among @btf's own types (from @first): its id, or 0. */
static __u32 btf_func_id(const struct btf *btf, __u32 first, const char *name)
{
	__u32 cnt = btf__type_cnt(btf);

	for (__u32 id = first; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_func(t) && !strcmp(btf__name_by_offset(btf, t->name_off), name))
			return id;
	}
	return 0;
}

/* Record @prog's target for fast_prepare_load(); false: not found this way. */
static bool fast_target(const struct bpf_program *prog, const struct hook *h, const char *target)
{
	__u32 id = 0;
	int fd = 0;

	if (!fast_handlers || !fast_vmlinux || nr_fast_targets == ATTACH_MAX_LINKS)
		return false;
	if (h->module && fast_module) {
		id = btf_func_id(fast_module, btf__type_cnt(fast_vmlinux), target);
		if (!id)
			return false;
		if (fast_module_fd < 0)
			fast_module_fd = module_btf_fd(h->module);
		if (fast_module_fd < 0)
			return false;
		fd = fast_module_fd;
	} else if (!h->module) {
		id = btf_func_id(fast_vmlinux, 1, target);
	}
	if (!id)
		return false;
	fast_targets[nr_fast_targets].prog = prog;
	fast_targets[nr_fast_targets].btf_id = id;
	fast_targets[nr_fast_targets].obj_fd = fd;
	nr_fast_targets++;
	return true;
}

/* After load (or on failure): the kernel holds its own references. */
static void fast_targets_done(void)
{
	if (fast_module_fd >= 0)
		close(fast_module_fd);
	fast_module_fd = -1;
	nr_fast_targets = 0;
}

enum prog_role { ROLE_ENTRY_FENTRY, ROLE_EXIT_FEXIT, ROLE_ENTRY_KPROBE, ROLE_EXIT_KRETPROBE };

static const char *const role_suffix[] = { "fentry", "fexit", "kprobe", "kretprobe" };

static struct bpf_program *hook_prog(struct bpf_object *obj, const struct hook *h,
				     enum prog_role role)
{
	char name[160];

	snprintf(name, sizeof(name), "%s__%s", h->name, role_suffix[role]);
	return bpf_object__find_program_by_name(obj, name);
}

static bool role_uses(enum probe_mech mech, enum prog_role role)
{
	if (mech == PROBE_FENTRY)
		return role == ROLE_ENTRY_FENTRY || role == ROLE_EXIT_FEXIT;
	if (probe_mech_is_kprobe(mech))
		return role == ROLE_ENTRY_KPROBE || role == ROLE_EXIT_KRETPROBE;
	return false;
}

int attach_prepare(struct bpf_object *obj, const struct probe_result *res, char *err, size_t errlen)
{
	struct bpf_program *prog;

	fast_targets_done();
	/* Nothing loads unless a hook below asks for it. */
	bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);

	for_each_hook (h) {
		const struct probe_result *r = &res[hook_index(h)];

		for (int role = ROLE_ENTRY_FENTRY; role <= ROLE_EXIT_KRETPROBE; role++) {
			prog = hook_prog(obj, h, role);
			if (!prog || !role_uses(r->mech, role))
				continue;
			bpf_program__set_autoload(prog, true);
			/* The same program, loaded for a kprobe.multi link. */
			if (r->mech == PROBE_KPROBE_MULTI)
				bpf_program__set_expected_attach_type(prog, BPF_TRACE_KPROBE_MULTI);
			if (r->mech == PROBE_FENTRY && !fast_target(prog, h, r->target) &&
			    bpf_program__set_attach_target(prog, 0, r->target)) {
				int ret = -errno;

				snprintf(err, errlen, "cannot target %s: %s", r->target,
					 strerror(-ret));
				return ret;
			}
		}
	}
	return 0;
}

static int attach_one(struct bpf_program *prog, enum prog_role role, const struct probe_result *r,
		      struct attach_set *set)
{
	const char *target = r->target;
	LIBBPF_OPTS(bpf_kprobe_multi_opts, multi, .syms = &target, .cnt = 1,
		    .retprobe = role == ROLE_EXIT_KRETPROBE);
	struct bpf_link *link;

	if (set->nr_links == ATTACH_MAX_LINKS)
		return -E2BIG;
	if (r->mech == PROBE_KPROBE_MULTI)
		link = bpf_program__attach_kprobe_multi_opts(prog, NULL, &multi);
	else if (role == ROLE_ENTRY_KPROBE || role == ROLE_EXIT_KRETPROBE)
		link = bpf_program__attach_kprobe(prog, role == ROLE_EXIT_KRETPROBE, target);
	else
		link = bpf_program__attach_trace(prog);
	if (!link)
		return -errno;
	set->links[set->nr_links++] = link;
	return 0;
}

int attach_all(struct bpf_object *obj, const struct probe_result *res, struct attach_set *set,
	       char *err, size_t errlen)
{
	fast_targets_done();
	for_each_hook (h) {
		const struct probe_result *r = &res[hook_index(h)];
		bool attached = false;

		for (int role = ROLE_ENTRY_FENTRY; role <= ROLE_EXIT_KRETPROBE; role++) {
			struct bpf_program *prog = hook_prog(obj, h, role);
			int ret;

			if (!prog || !role_uses(r->mech, role))
				continue;
			ret = attach_one(prog, role, r, set);
			if (ret) {
				snprintf(err, errlen, "cannot attach %s to %s: %s",
					 role_suffix[role], r->target, strerror(-ret));
				attach_destroy(set);
				return ret;
			}
			attached = true;
		}
		if (attached && r->mech == PROBE_FENTRY)
			set->nr_fentry++;
		else if (attached)
			set->nr_kprobe++;
	}
	return 0;
}

void attach_destroy(struct attach_set *set)
{
	fast_targets_done();
	for (size_t i = 0; i < set->nr_links; i++)
		bpf_link__destroy(set->links[i]);
	memset(set, 0, sizeof(*set));
}
