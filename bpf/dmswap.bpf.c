// SPDX-License-Identifier: GPL-2.0
/*
 * dmswap-trace BPF object: one object for every supported kernel.  The
 * tracer and each invariant's check are kept in their own headers; this file
 * only puts them into one compilation unit, so they share the maps.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "tracer.bpf.h"

char LICENSE[] SEC("license") = "GPL";
