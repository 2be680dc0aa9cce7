// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"

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
	if (mech == PROBE_KPROBE)
		return role == ROLE_ENTRY_KPROBE || role == ROLE_EXIT_KRETPROBE;
	return false;
}

int attach_prepare(struct bpf_object *obj, const struct probe_result *res, char *err, size_t errlen)
{
	struct bpf_program *prog;

	/* Nothing loads unless a hook below asks for it. */
	bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, false);

	for_each_hook (h) {
		const struct probe_result *r = &res[hook_index(h)];

		for (int role = ROLE_ENTRY_FENTRY; role <= ROLE_EXIT_KRETPROBE; role++) {
			prog = hook_prog(obj, h, role);
			if (!prog || !role_uses(r->mech, role))
				continue;
			bpf_program__set_autoload(prog, true);
			if (r->mech == PROBE_FENTRY &&
			    bpf_program__set_attach_target(prog, 0, r->target)) {
				snprintf(err, errlen, "cannot target %s: %s", r->target,
					 strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

static int attach_one(struct bpf_program *prog, enum prog_role role, const char *target,
		      struct attach_set *set)
{
	struct bpf_link *link;

	if (set->nr_links == ATTACH_MAX_LINKS)
		return -E2BIG;
	if (role == ROLE_ENTRY_KPROBE || role == ROLE_EXIT_KRETPROBE)
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
	for_each_hook (h) {
		const struct probe_result *r = &res[hook_index(h)];
		bool attached = false;

		for (int role = ROLE_ENTRY_FENTRY; role <= ROLE_EXIT_KRETPROBE; role++) {
			struct bpf_program *prog = hook_prog(obj, h, role);
			int ret;

			if (!prog || !role_uses(r->mech, role))
				continue;
			ret = attach_one(prog, role, r->target, set);
			if (ret) {
				snprintf(err, errlen, "cannot attach %s to %s: %s",
					 role_suffix[role], r->target, strerror(-ret));
				attach_destroy(set);
				return -1;
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
	for (size_t i = 0; i < set->nr_links; i++)
		bpf_link__destroy(set->links[i]);
	memset(set, 0, sizeof(*set));
}
