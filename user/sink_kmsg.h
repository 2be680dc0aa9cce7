/* SPDX-License-Identifier: GPL-2.0 */
/* --kmsg: violations to the kernel log (sink_kmsg.c). */
#ifndef DMSWAP_SINK_KMSG_H
#define DMSWAP_SINK_KMSG_H

#include <stdint.h>

#include "sink.h"

struct kmsg_sink {
	struct sink sink;
	int fd; /* /dev/kmsg: one write() is one log record */
	uint64_t write_errors; /* lines that could not be written */
};

/* 0 or -errno. */
int sink_kmsg_open(struct kmsg_sink *s);

#endif /* DMSWAP_SINK_KMSG_H */
