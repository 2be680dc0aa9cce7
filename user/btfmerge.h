/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CO-RE without CAP_SYS_ADMIN.  libbpf finds the types of a module (struct
 * mapped_device lives in dm_mod) by walking the kernel's BTF objects with
 * BPF_BTF_GET_NEXT_ID, which the kernel allows only to CAP_SYS_ADMIN.  The
 * same BTF is readable as files in /sys/kernel/btf, and a module's split BTF
 * continues its base's type ids and string offsets, so vmlinux's and the
 * module's sections laid end to end are one valid BTF.  Handed to libbpf as
 * btf_custom_path, it replaces the walk.
 */
#ifndef DMSWAP_BTFMERGE_H
#define DMSWAP_BTFMERGE_H

#include <stddef.h>

/*
 * Write vmlinux's BTF followed by @module's into an anonymous memory file
 * and put its /proc/self/fd path in @path.  Returns the file descriptor
 * (the path is valid while it is open) or -errno.
 */
int btf_merge_module(const char *sysfs_dir, const char *module, char *path, size_t len);

#endif /* DMSWAP_BTFMERGE_H */
