/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flight recorder: the last events of each device, kept so that a
 * violation carries the story that led to it, even in a log that keeps only
 * violations.  Memory is bounded: FLIGHT_DEVICES devices (least recently
 * seen replaced first) of FLIGHT_DEPTH compact entries each.
 */
#ifndef DMSWAP_FLIGHT_H
#define DMSWAP_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "dmswap.h"

#define FLIGHT_DEVICES 256
#define FLIGHT_DEPTH 16

struct flight_entry {
	uint64_t mono_ns;
	uint64_t dur_ns;
	uint64_t swap_id;
	int64_t ret;
	uint32_t type;
	uint32_t pid;
	char comm[DMSWAP_COMM_LEN];
};

struct flight_ring {
	uint32_t major, minor;
	uint64_t last_seen;
	unsigned int head; /* next slot */
	unsigned int len;
	struct flight_entry e[FLIGHT_DEPTH];
};

struct flight {
	struct flight_ring rings[FLIGHT_DEVICES];
	uint64_t clock;
};

void flight_record(struct flight *f, const struct dmswap_event *e);
/* The device's ring, or NULL; entries oldest first via flight_at(). */
const struct flight_ring *flight_find(const struct flight *f, uint32_t major, uint32_t minor);
const struct flight_entry *flight_at(const struct flight_ring *r, unsigned int i);

#endif /* DMSWAP_FLIGHT_H */
