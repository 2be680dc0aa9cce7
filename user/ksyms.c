// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "hooks.h"
#include "ksyms.h"

const char **offer_wanted_names(void)
{
	static const char *names[64];
	size_t n = 0;

	if (names[0])
		return names;
	for_each_hook (h) {
		names[n++] = h->name;
		for (const char *const *alt = h->alt_names; alt && *alt; alt++)
			names[n++] = *alt;
	}
	names[n] = NULL;
	return names;
}

bool offer_name_wanted(const char *name, size_t len, const char *const *wanted)
{
	for (; *wanted; wanted++) {
		size_t wlen = strlen(*wanted);

		if (len < wlen || strncmp(name, *wanted, wlen))
			continue;
		if (len == wlen || name[wlen] == '.')
			return true;
	}
	return false;
}

static int add_if_wanted(struct strset *set, const char *name, size_t len,
			 const char *const *wanted)
{
	if (!offer_name_wanted(name, len, wanted))
		return 0;
	return strset_add(set, name, len);
}

/* "name [module]" or "name" per line; newer kernels may append " (addr)". */
int offer_parse_ftrace(struct kernel_offer *k, FILE *f, const char *const *wanted)
{
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, " \t\n");

		if (len && add_if_wanted(&k->ftrace, line, len, wanted))
			return -ENOMEM;
	}
	k->ftrace_known = true;
	return 0;
}

/* "ADDRESS TYPE name [module]"; keep text symbols only. */
int offer_parse_kallsyms(struct kernel_offer *k, FILE *f, const char *const *wanted)
{
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		char *type = strchr(line, ' ');
		char *name;
		size_t len;

		if (!type || !type[1] || type[2] != ' ')
			continue;
		if (type[1] != 't' && type[1] != 'T')
			continue;
		name = type + 3;
		len = strcspn(name, " \t\n");
		if (len && add_if_wanted(&k->kallsyms, name, len, wanted))
			return -ENOMEM;
	}
	k->kallsyms_known = true;
	return 0;
}

int offer_parse_btf_list(struct kernel_offer *k, FILE *f, const char *const *wanted)
{
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		char *name = strchr(line, ' ');
		size_t len;

		if (!name)
			continue;
		name++;
		len = strcspn(name, " \t\n");
		if (len && add_if_wanted(&k->btf_funcs, name, len, wanted))
			return -ENOMEM;
	}
	k->btf_known = true;
	return 0;
}

static int add_btf_funcs(struct kernel_offer *k, const struct btf *btf, __u32 first,
			 const char *const *wanted)
{
	__u32 cnt = btf__type_cnt(btf);

	for (__u32 id = first; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (name && add_if_wanted(&k->btf_funcs, name, strlen(name), wanted))
			return -ENOMEM;
	}
	return 0;
}

int offer_load_btf(struct kernel_offer *k, const char *const *wanted)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	struct btf *dm_mod;
	int err;

	if (!vmlinux)
		return -errno;
	err = add_btf_funcs(k, vmlinux, 1, wanted);
	/* Absent when dm_mod is not loaded or is built in (then in vmlinux). */
	dm_mod = btf__load_module_btf("dm_mod", vmlinux);
	if (!err && dm_mod)
		err = add_btf_funcs(k, dm_mod, btf__type_cnt(vmlinux), wanted);
	btf__free(dm_mod);
	btf__free(vmlinux);
	if (!err)
		k->btf_known = true;
	return err;
}

static const char *const ftrace_paths[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

int offer_load_running(struct kernel_offer *k)
{
	const char *const *wanted = offer_wanted_names();
	FILE *f;
	int err;

	err = offer_load_btf(k, wanted);
	if (err)
		return err;
	for (size_t i = 0; i < sizeof(ftrace_paths) / sizeof(ftrace_paths[0]); i++) {
		f = fopen(ftrace_paths[i], "re");
		if (!f)
			continue;
		err = offer_parse_ftrace(k, f, wanted);
		fclose(f);
		if (err)
			return err;
		break;
	}
	offer_finish(k);
	return 0;
}

int offer_load_kallsyms(struct kernel_offer *k)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	int err;

	if (!f)
		return -errno;
	err = offer_parse_kallsyms(k, f, offer_wanted_names());
	fclose(f);
	offer_finish(k);
	return err;
}

void offer_finish(struct kernel_offer *k)
{
	strset_sort(&k->btf_funcs);
	strset_sort(&k->ftrace);
	strset_sort(&k->kallsyms);
}

void offer_free(struct kernel_offer *k)
{
	strset_free(&k->btf_funcs);
	strset_free(&k->ftrace);
	strset_free(&k->kallsyms);
}
