/* SPDX-License-Identifier: GPL-2.0 */
/* Decoding of ring-buffer records for the output sinks. */
#ifndef DMSWAP_EVENT_H
#define DMSWAP_EVENT_H

#include <stdint.h>

#include "dmswap.h"
#include "flight.h"

/* A record plus what user space adds to it. */
struct event_view {
	const struct dmswap_event *raw;
	uint64_t wall_ns; /* CLOCK_REALTIME of raw->mono_ns */
	char dev[DMSWAP_NAME_LEN]; /* dm name; resolved from sysfs if empty */
	const struct flight_ring *recent; /* violations: the device's last events */
};

const char *event_type_name(uint32_t type);
const char *zoned_name(uint8_t zoned);
const char *zone_append_name(uint8_t za);
/* "EAGAIN" for -11; NULL for ret >= 0 or an unknown errno. */
const char *event_errno_name(int64_t ret);
/* A call's result for a terminal: "ok", "EAGAIN", or the number. */
void event_format_ret(char *buf, size_t len, int64_t ret);
/* Validate a record's size and fields before anything reads it. */
int event_check(const void *data, size_t size);

#endif /* DMSWAP_EVENT_H */
