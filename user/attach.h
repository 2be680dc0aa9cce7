/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attacher: turns probe results into loaded and attached programs.
 * Before load it enables exactly one program pair per hook (the other
 * mechanism's pair gets autoload off) and sets fentry attach targets; after
 * load it attaches and keeps the links.  Links are never pinned: when the
 * process dies, for whatever reason, the kernel detaches everything.
 */
#ifndef DMSWAP_ATTACH_H
#define DMSWAP_ATTACH_H

#include <bpf/libbpf.h>

#include "hooks.h"
#include "probe.h"

#define ATTACH_MAX_LINKS 64

struct attach_set {
	struct bpf_link *links[ATTACH_MAX_LINKS];
	size_t nr_links;
	size_t nr_fentry; /* hooks attached by mechanism */
	size_t nr_kprobe;
};

struct btf;

/*
 * Before the object is opened: take fentry/fexit targets' BTF ids from
 * @vmlinux and @module (dm_mod's split BTF; NULL when built in), as parsed
 * by the loader, instead of libbpf's lookup by name.
 */
int attach_use_btf(const struct btf *vmlinux, const struct btf *module);
/* @res has one entry per hook (hooks[] order).  Both return 0 or -errno. */
int attach_prepare(struct bpf_object *obj, const struct probe_result *res, char *err,
		   size_t errlen);
int attach_all(struct bpf_object *obj, const struct probe_result *res, struct attach_set *set,
	       char *err, size_t errlen);
void attach_destroy(struct attach_set *set);

#endif /* DMSWAP_ATTACH_H */
