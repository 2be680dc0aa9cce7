/* SPDX-License-Identifier: GPL-2.0 */
/* The live loop: ring buffer -> decode -> filter -> sinks. */
#ifndef DMSWAP_WATCH_H
#define DMSWAP_WATCH_H

#include <stdbool.h>

#include "devices.h"
#include "session.h"
#include "sink.h"

struct watch_opts {
	struct dev_filter filter;
	double duration_s; /* stop after this long; 0: until a signal */
};

/* Runs until *stop or the duration; returns an exit status. */
int watch_run(struct session *s, const struct watch_opts *opts, struct sink *sink,
	      volatile bool *stop);

#endif /* DMSWAP_WATCH_H */
