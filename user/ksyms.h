/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel stack symbolization from /proc/kallsyms, module symbols included.
 * Loaded on first use only: violations are rare and the table is large.
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

/* The process-wide table of the running kernel, loaded lazily; may be NULL. */
const struct ksym_table *ksym_running(void);

#endif /* DMSWAP_KSYMS_H */
