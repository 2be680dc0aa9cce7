// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "hooks.h"
#include "offer.h"

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

/*
 * Entries are stored as "OBJECT:name", OBJECT being "vmlinux" or the module
 * the symbol lives in: a static vmlinux function may share its name with a
 * dm_mod one (6.1 has a vmlinux __bind).
 */
static int add_if_wanted(struct kernel_offer *k, struct strset *set, const char *object,
			 size_t objlen, const char *name, size_t len, const char *const *wanted)
{
	char buf[256];
	int n;

	if (!offer_name_wanted(name, len, wanted))
		return 0;
	n = snprintf(buf, sizeof(buf), "%.*s:%.*s", (int)objlen, object, (int)len, name);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return 0;
	if (objlen != 7 || strncmp(object, "vmlinux", 7)) {
		char mod[64];

		snprintf(mod, sizeof(mod), "%.*s", (int)objlen, object);
		if (!strset_has(&k->modules, mod) && strset_add(&k->modules, mod, strlen(mod)))
			return -ENOMEM;
	}
	return strset_add(set, buf, n);
}

/* The module of a "... [module]" line, or vmlinux. */
static const char *line_module(const char *rest, size_t *len)
{
	const char *open = strchr(rest, '[');
	const char *close = open ? strchr(open, ']') : NULL;

	if (!close) {
		*len = 7;
		return "vmlinux";
	}
	*len = close - open - 1;
	return open + 1;
}

/* "name [module]" or "name" per line; newer kernels may append " (addr)". */
int offer_parse_ftrace(struct kernel_offer *k, FILE *f, const char *const *wanted)
{
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, " \t\n"), mlen;
		const char *mod = line_module(line + len, &mlen);

		if (len && add_if_wanted(k, &k->ftrace, mod, mlen, line, len, wanted))
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
		const char *mod;
		char *name;
		size_t len, mlen;

		if (!type || !type[1] || type[2] != ' ')
			continue;
		if (type[1] != 't' && type[1] != 'T')
			continue;
		name = type + 3;
		len = strcspn(name, " \t\n");
		mod = line_module(name + len, &mlen);
		if (len && add_if_wanted(k, &k->kallsyms, mod, mlen, name, len, wanted))
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
		if (len &&
		    add_if_wanted(k, &k->btf_funcs, line, name - 1 - line, name, len, wanted))
			return -ENOMEM;
	}
	k->btf_known = true;
	return 0;
}

bool offer_has(const struct kernel_offer *k, const struct strset *set, const char *module,
	       const char *name)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s:%s", module ? module : "vmlinux", name);
	if (strset_has(set, buf))
		return true;
	/* A module that never shows up is built in: its symbols are vmlinux's. */
	if (module && !strset_has(&k->modules, module)) {
		snprintf(buf, sizeof(buf), "vmlinux:%s", name);
		return strset_has(set, buf);
	}
	return false;
}

const char *offer_find_clone(const struct kernel_offer *k, const struct strset *set,
			     const char *module, const char *name)
{
	const char *objs[] = { module ? module : "vmlinux", "vmlinux" };
	int nobjs = module && !strset_has(&k->modules, module) ? 2 : 1;

	for (int o = 0; o < nobjs; o++) {
		size_t olen = strlen(objs[o]), nlen = strlen(name);

		for (size_t i = 0; i < set->len; i++) {
			const char *cand = set->items[i];

			if (!strncmp(cand, objs[o], olen) && cand[olen] == ':' &&
			    !strncmp(cand + olen + 1, name, nlen) && cand[olen + 1 + nlen] == '.')
				return cand + olen + 1;
		}
	}
	return NULL;
}

static int add_btf_funcs(struct kernel_offer *k, const char *object, const struct btf *btf,
			 __u32 first, const char *const *wanted)
{
	__u32 cnt = btf__type_cnt(btf);

	for (__u32 id = first; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (name && add_if_wanted(k, &k->btf_funcs, object, strlen(object), name,
					  strlen(name), wanted))
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
	err = add_btf_funcs(k, "vmlinux", vmlinux, 1, wanted);
	/* Absent when dm_mod is not loaded or is built in (then in vmlinux). */
	dm_mod = btf__load_module_btf("dm_mod", vmlinux);
	if (!err && dm_mod)
		err = add_btf_funcs(k, "dm_mod", dm_mod, btf__type_cnt(vmlinux), wanted);
	k->btf_vmlinux = vmlinux;
	k->btf_dm = dm_mod;
	if (!err)
		k->btf_known = true;
	return err;
}

static bool btf_struct_has(const struct btf *btf, const char *type, const char *member)
{
	__s32 id = btf__find_by_name_kind(btf, type, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;

	if (id < 0)
		return false;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (unsigned int i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), member))
			return true;
	return false;
}

bool offer_has_field(const struct kernel_offer *k, const char *type, const char *member)
{
	if (!k->btf_vmlinux)
		return true;
	/* dm_mod's split BTF also finds vmlinux's types through its base. */
	return btf_struct_has(k->btf_dm ? k->btf_dm : k->btf_vmlinux, type, member);
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
	offer_probe_privileges(k);
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
	strset_sort(&k->modules);
}

void offer_free(struct kernel_offer *k)
{
	strset_free(&k->btf_funcs);
	strset_free(&k->ftrace);
	strset_free(&k->kallsyms);
	strset_free(&k->modules);
	btf__free(k->btf_dm);
	btf__free(k->btf_vmlinux);
	k->btf_dm = k->btf_vmlinux = NULL;
}
