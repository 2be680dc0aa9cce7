/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel stack symbolization from /proc/kallsyms, module symbols included.
 * Loaded on first use only: violations are rare and the table is large.
 * The file is opened while privileged (ksym_keep_open()) and read later.
 */
#ifndef DMSWAP_KSYMS_H
#define DMSWAP_KSYMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ksym_table;

struct ksym_table *ksym_load(FILE *f);
/* "name+0xoff [module]", or "0x..." when unknown (e.g. a BPF trampoline). */
void ksym_format(const struct ksym_table *t, uint64_t addr, char *buf, size_t len);
void ksym_free(struct ksym_table *t);
/* A frame of our own BPF program or its trampoline: not worth showing. */
int ksym_is_bpf(const char *formatted);

/*
 * The process-wide table of the running kernel, loaded lazily, and loaded
 * again when /proc/modules changes (a module loaded since: its frames would
 * otherwise be named after the symbol below them or stay numbers); may be
 * NULL.
 */
const struct ksym_table *ksym_running(void);

/*
 * Open /proc/kallsyms now and keep it: whether it shows addresses is
 * decided at open (kallsyms_show_value() on the opener's credentials), so
 * read later through this descriptor it still does once the capabilities
 * (CAP_SYSLOG) are dropped.  0 or -errno.
 */
int ksym_keep_open(void);

/* Tests: other files for /proc/kallsyms and /proc/modules; NULL, NULL: those again. */
void ksym_set_sources(const char *kallsyms, const char *modules);

#endif /* DMSWAP_KSYMS_H */
