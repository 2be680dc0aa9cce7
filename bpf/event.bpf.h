/* SPDX-License-Identifier: GPL-2.0 */
/* Ring-buffer records: reserve, fill the common header, submit. */
#ifndef DMSWAP_EVENT_BPF_H
#define DMSWAP_EVENT_BPF_H

#include "core.bpf.h"
#include "state.bpf.h"

#define MAX_ERRNO 4095

static __always_inline bool is_err_value(long v)
{
	return (unsigned long)v >= (unsigned long)-MAX_ERRNO;
}

/* Reserve a record and fill the common header; NULL (and counted) if full. */
static __always_inline struct dmswap_event *event_start(__u32 type, struct mapped_device *md,
							struct frame *f, long ret)
{
	struct dmswap_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();

	if (!e) {
		count(DMSWAP_CNT_DROPPED);
		return NULL;
	}
	/*
	 * Zero the header and the small payloads; a violation's evidence and
	 * stack are too big to memset and are only read up to their counts.
	 */
	e->swap_id = 0;
	e->pad = 0;
	__builtin_memset(&e->swap, 0, sizeof(e->swap));
	e->type = type;
	e->mono_ns = now;
	e->dur_ns = f ? now - f->start_ns : 0;
	e->ret = ret;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	read_md_name(md, e->dev);
	read_md_devt(md, &e->major, &e->minor);
	return e;
}

static __always_inline void event_submit(struct dmswap_event *e)
{
	count(DMSWAP_CNT_EVENTS);
	bpf_ringbuf_submit(e, 0);
}

#endif /* DMSWAP_EVENT_BPF_H */
