/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus metrics in the node_exporter textfile-collector format,
 * rewritten atomically (temporary file + rename) so the collector never
 * reads half a file.  Fleet-wide aggregation is Prometheus's job.
 */
#ifndef DMSWAP_METRICS_H
#define DMSWAP_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "dmswap.h"
#include "event.h"

#define METRICS_SERIES 1024 /* (invariant, device) and device series kept */
#define METRICS_BUCKETS 12
/* node_exporter runs as another user (prometheus): it must read the file. */
#define METRICS_MODE 0644

struct metrics_series {
	char dev[DMSWAP_NAME_LEN];
	uint32_t inv; /* 0: a device's swap counters */
	uint64_t count; /* violations, or successful swaps */
	uint64_t failed; /* failed swaps */
};

struct metrics_hist {
	uint64_t buckets[METRICS_BUCKETS]; /* cumulative at write time */
	uint64_t count;
	double sum_s;
};

struct metrics {
	struct metrics_series series[METRICS_SERIES];
	size_t nr_series;
	uint64_t series_dropped; /* beyond METRICS_SERIES: counted here */
	uint64_t events_by_type[DMSWAP_EV_MAX];
	struct metrics_hist swap_seconds, suspend_seconds;
	bool armed;
};

void metrics_observe(struct metrics *m, const struct event_view *ev);
/*
 * Write @path atomically (outfile.h: a private temporary file renamed over
 * it, mode METRICS_MODE); dropped and state_full come from the kernel.
 * 0 or -errno.
 */
int metrics_write(const struct metrics *m, const char *path, uint64_t dropped, uint64_t state_full,
		  const char *kernel);

#endif /* DMSWAP_METRICS_H */
