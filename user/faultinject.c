// SPDX-License-Identifier: GPL-2.0
#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>

#include "faultinject.h"

#define FAILSLAB_FUNC "should_failslab"
/* __GFP_NOFAIL before gfp flags became an enum of bit numbers (6.1). */
#define GFP_NOFAIL_6_1 0x8000u

static const char *const error_injection_lists[] = {
	"/sys/kernel/debug/error_injection/list",
	NULL,
};

uint64_t fault_gfp_nofail(const struct btf *vmlinux)
{
	__u32 n;

	if (!vmlinux)
		return 0;
	n = btf__type_cnt(vmlinux);
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (__u16 i = 0; i < btf_vlen(t); i++, e++)
			if (!strcmp(btf__name_by_offset(vmlinux, e->name_off), "___GFP_NOFAIL_BIT"))
				return 1ull << e->val;
	}
	return 0;
}

void fault_offer_decide(struct fault_offer *f, bool in_btf, FILE *list, bool debugfs_mounted)
{
	char line[256];

	f->in_btf = in_btf;
	f->list_known = list != NULL;
	f->in_list = false;
	while (list && fgets(line, sizeof(line), list)) {
		size_t len = strcspn(line, " \t\n");

		if (len == strlen(FAILSLAB_FUNC) && !strncmp(line, FAILSLAB_FUNC, len)) {
			f->in_list = true;
			break;
		}
	}
	f->state = FAULT_UNAVAILABLE;
	if (!in_btf) {
		snprintf(f->why, sizeof(f->why),
			 "%s is not a function of this kernel (CONFIG_FAILSLAB off: it is a "
			 "static inline)",
			 FAILSLAB_FUNC);
	} else if (!f->list_known && debugfs_mounted) {
		/* The list is there whenever error injection is built in. */
		snprintf(f->why, sizeof(f->why),
			 "the kernel has no error-injection list "
			 "(CONFIG_FUNCTION_ERROR_INJECTION off)");
	} else if (f->list_known && !f->in_list) {
		snprintf(f->why, sizeof(f->why),
			 "%s is not on the error-injection list "
			 "(CONFIG_FUNCTION_ERROR_INJECTION off)",
			 FAILSLAB_FUNC);
	} else {
		f->state = FAULT_AVAILABLE;
		snprintf(f->why, sizeof(f->why), "fmod_ret on %s%s", FAILSLAB_FUNC,
			 f->list_known ? ""
				       : " (error-injection list unreadable: debugfs not "
					 "mounted?)");
	}
}

static bool debugfs_mounted(void)
{
	FILE *f = fopen("/proc/mounts", "re");
	char line[512];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " /sys/kernel/debug debugfs ") != NULL;
	if (f)
		fclose(f);
	return found;
}

void fault_offer_probe(struct fault_offer *f, const struct btf *vmlinux)
{
	FILE *list = NULL;
	bool in_btf;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; error_injection_lists[i] && !list; i++)
		list = fopen(error_injection_lists[i], "re");
	in_btf = vmlinux && btf__find_by_name_kind(vmlinux, FAILSLAB_FUNC, BTF_KIND_FUNC) > 0;
	fault_offer_decide(f, in_btf, list, debugfs_mounted());
	if (list)
		fclose(list);
	f->gfp_nofail = fault_gfp_nofail(vmlinux);
	f->gfp_from_btf = f->gfp_nofail != 0;
	if (!f->gfp_nofail)
		f->gfp_nofail = GFP_NOFAIL_6_1;
}
