// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "flight.h"

static struct flight_ring *ring_for(struct flight *f, uint32_t major, uint32_t minor)
{
	struct flight_ring *victim = &f->rings[0];

	for (size_t i = 0; i < FLIGHT_DEVICES; i++) {
		struct flight_ring *r = &f->rings[i];

		if (r->last_seen && r->major == major && r->minor == minor)
			return r;
		if (r->last_seen < victim->last_seen)
			victim = r;
	}
	/* A new device takes the least recently seen ring. */
	memset(victim, 0, sizeof(*victim));
	victim->major = major;
	victim->minor = minor;
	return victim;
}

void flight_record(struct flight *f, const struct dmswap_event *e)
{
	struct flight_ring *r = ring_for(f, e->major, e->minor);
	struct flight_entry *x = &r->e[r->head];

	x->mono_ns = e->mono_ns;
	x->dur_ns = e->dur_ns;
	x->swap_id = e->swap_id;
	x->ret = e->ret;
	x->type = e->type;
	x->pid = e->pid;
	memcpy(x->comm, e->comm, sizeof(x->comm));
	x->comm[sizeof(x->comm) - 1] = '\0';
	r->head = (r->head + 1) % FLIGHT_DEPTH;
	if (r->len < FLIGHT_DEPTH)
		r->len++;
	r->last_seen = ++f->clock;
}

const struct flight_ring *flight_find(const struct flight *f, uint32_t major, uint32_t minor)
{
	for (size_t i = 0; i < FLIGHT_DEVICES; i++) {
		const struct flight_ring *r = &f->rings[i];

		if (r->last_seen && r->major == major && r->minor == minor)
			return r;
	}
	return NULL;
}

const struct flight_entry *flight_at(const struct flight_ring *r, unsigned int i)
{
	if (i >= r->len)
		return NULL;
	return &r->e[(r->head + FLIGHT_DEPTH - r->len + i) % FLIGHT_DEPTH];
}
