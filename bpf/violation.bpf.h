/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reactor's kernel half.  A check builds its violation in a per-CPU
 * scratch record (evidence added with no ring-buffer reservation held, which
 * keeps the verifier's work linear even on 6.1), then commits it: one
 * reservation, one copy, the kernel stack, submit.  The violation counter
 * is bumped even when the ring buffer is full, so the summary never reports
 * fewer violations than happened.
 */
#ifndef DMSWAP_VIOLATION_BPF_H
#define DMSWAP_VIOLATION_BPF_H

#include "core.bpf.h"
#include "event.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dmswap_violation_info);
} violation_scratch SEC(".maps");

/* @rule: INVn_NAME of bpf/invariants.def, the invariant and its rule in one. */
static __always_inline struct dmswap_violation_info *violation_begin(enum dmswap_rule rule)
{
	__u32 zero = 0, n = DMSWAP_RULE_INV(rule);
	struct dmswap_violation_info *v;

	if (n <= DMSWAP_NR_INV && (rule_off[n] >> DMSWAP_RULE_CODE(rule) & 1))
		return NULL;
	v = bpf_map_lookup_elem(&violation_scratch, &zero);
	if (v) {
		v->inv = DMSWAP_RULE_INV(rule);
		v->code = DMSWAP_RULE_CODE(rule);
		v->nr_evidence = 0;
	}
	return v;
}

static __always_inline void evidence_add(struct dmswap_violation_info *v, __u32 field, __u32 kind,
					 __u64 before, __u64 after)
{
	/*
	 * Volatile: the count must come from memory, unknown to the verifier.
	 * Were clang to carry it in a register, the verifier would track each
	 * constant and explore every combination of the callers' branches.
	 */
	__u64 idx = *(volatile __u32 *)&v->nr_evidence;
	struct dmswap_evidence *slot;

	if (idx >= DMSWAP_MAX_EVIDENCE)
		return;
	/* An asm mask: clang would drop a C one it can prove redundant. */
	asm volatile("%[i] &= %[m]" : [i] "+r"(idx) : [m] "i"(DMSWAP_MAX_EVIDENCE - 1));
	slot = &v->evidence[idx];
	slot->field = field;
	slot->kind = kind;
	slot->before = before;
	slot->after = after;
	v->nr_evidence = idx + 1;
}

static __always_inline void evidence_value(struct dmswap_violation_info *v, __u32 field,
					   __u64 value)
{
	evidence_add(v, field, DMSWAP_EVK_VALUE, 0, value);
}

/* A before -> after pair, only when the two differ. */
static __always_inline void evidence_if_changed(struct dmswap_violation_info *v, __u32 field,
						__u64 before, __u64 after)
{
	if (before != after)
		evidence_add(v, field, DMSWAP_EVK_CHANGED, before, after);
}

static __always_inline void evidence_snapshot_field(struct dmswap_violation_info *v,
						    const struct dmswap_snapshot *snap, __u32 field)
{
	if (snap->present & (1ULL << field))
		evidence_value(v, field, snap->v[field]);
}

/* Report @v for @md: a ring-buffer record with the kernel stack of @ctx. */
static __always_inline void violation_commit(void *ctx, struct dmswap_violation_info *v,
					     struct mapped_device *md, __u64 swap_id)
{
	struct dmswap_event *e;

	count(DMSWAP_CNT_VIOLATIONS);
	e = event_start(DMSWAP_EV_VIOLATION, md, NULL, 0);
	if (!e)
		return;
	e->swap_id = swap_id;
	bpf_probe_read_kernel(&e->violation,
			      __builtin_offsetof(struct dmswap_violation_info, stack), v);
	e->violation.stack_bytes =
		bpf_get_stack(ctx, e->violation.stack, sizeof(e->violation.stack), 0);
	event_submit(e);
}

#endif /* DMSWAP_VIOLATION_BPF_H */
