/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF timestamps are CLOCK_MONOTONIC (bpf_ktime_get_ns); output carries
 * both that and the wall clock, converted with an offset taken at start
 * and refreshed when the wall clock is stepped.
 */
#ifndef DMSWAP_CLOCK_H
#define DMSWAP_CLOCK_H

#include <stddef.h>
#include <stdint.h>

void clock_sync(void);
uint64_t clock_mono_ns(void);
uint64_t clock_wall_of_mono(uint64_t mono_ns);
/* "2026-11-24T04:31:02.123456Z" */
void clock_format_iso(char *buf, size_t len, uint64_t wall_ns);
/* "04:31:02.123456" (local time) */
void clock_format_hms(char *buf, size_t len, uint64_t wall_ns);

#endif /* DMSWAP_CLOCK_H */
