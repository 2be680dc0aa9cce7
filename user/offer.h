/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel offers for the hooked functions: which have BTF
 * (fentry needs it), which are ftrace-able (available_filter_functions:
 * fentry and kprobes on them are safe), and which exist as symbols at all
 * (kallsyms; compiler clones such as .isra.0 show up here).
 *
 * Only names equal to a wanted name, or a wanted name with a ".suffix", are
 * kept, so the sets stay small.  The parsers take any FILE so that unit
 * tests feed them recorded samples from the lab kernels.
 */
#ifndef DMSWAP_OFFER_H
#define DMSWAP_OFFER_H

#include <stdbool.h>
#include <stdio.h>

#include "strset.h"

struct btf;

struct kernel_offer {
	struct strset btf_funcs; /* FUNC names, vmlinux and dm_mod BTF */
	struct strset ftrace; /* available_filter_functions */
	struct strset kallsyms; /* function symbols */
	struct strset modules; /* modules seen in any of the three */
	bool btf_known;
	bool ftrace_known;
	bool kallsyms_known;
	bool kallsyms_tried;
	/*
	 * The kernel's module BTF objects cannot be enumerated (EPERM without
	 * CAP_SYS_ADMIN): no fentry on module functions, whose attach needs
	 * the module's BTF object; kprobes work.
	 */
	bool module_btf_denied;
	/* perf_event_open() refused (Debian's perf_event_paranoid=3 without CAP_SYS_ADMIN). */
	bool perf_event_denied;
	/* kprobe.multi links (CONFIG_FPROBE): kprobes without perf_event_open(). */
	bool kprobe_multi;
	struct btf *btf_vmlinux; /* kept for field checks; NULL in unit tests */
	struct btf *btf_dm; /* read only when BTF and ftrace were not enough */
};

/* NULL-terminated list of every function name the hook table mentions. */
const char **offer_wanted_names(void);

int offer_parse_ftrace(struct kernel_offer *k, FILE *f, const char *const *wanted);
int offer_parse_kallsyms(struct kernel_offer *k, FILE *f, const char *const *wanted);
/* Lines "OBJECT NAME", as recorded in tests/data/KERNEL/btf_funcs.txt. */
int offer_parse_btf_list(struct kernel_offer *k, FILE *f, const char *const *wanted);
/* vmlinux and dm_mod BTF of the running kernel, through libbpf. */
int offer_load_btf(struct kernel_offer *k, const char *const *wanted);
/*
 * BTF and available_filter_functions of the running kernel.  kallsyms is
 * read separately, only when a hook is not found there: it is the largest
 * of the three files (170k lines).
 */
int offer_load_running(struct kernel_offer *k);
int offer_load_kallsyms(struct kernel_offer *k);
/*
 * What the caller's privileges allow: module BTF objects, perf events, and
 * (only when one of them is denied) whether fprobe can stand in.
 */
void offer_probe_privileges(struct kernel_offer *k);
/* perf_event_open() refused to this process (offer_priv.c). */
bool priv_perf_event_denied(void);
/* CONFIG_FPROBE: kprobe.multi links, kprobes without perf_event_open(). */
bool priv_kernel_has_fprobe(void);
void offer_finish(struct kernel_offer *k);
void offer_free(struct kernel_offer *k);

/* Does @set have @name in @module (NULL: vmlinux), or in vmlinux if built in? */
bool offer_has(const struct kernel_offer *k, const struct strset *set, const char *module,
	       const char *name);
/* The first compiler clone of @name ("NAME.isra.0"), without its module. */
const char *offer_find_clone(const struct kernel_offer *k, const struct strset *set,
			     const char *module, const char *name);

/* Does BTF have struct @type with @member?  True when no BTF was loaded. */
bool offer_has_field(const struct kernel_offer *k, const char *type, const char *member);

/* Is @name one of @wanted or a clone of one ("NAME.isra.0")? */
bool offer_name_wanted(const char *name, size_t len, const char *const *wanted);

#endif /* DMSWAP_OFFER_H */
