/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rate limiting of repeated violations on the terminal/journal, per
 * invariant and device: the first ones in full, the rest counted and
 * reported in the summary.  The log and the metrics keep every one.
 */
#ifndef DMSWAP_RATELIMIT_H
#define DMSWAP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dmswap.h"

#define RATELIMIT_KEYS 512

struct ratelimit_key {
	char dev[DMSWAP_NAME_LEN];
	uint32_t inv;
	uint64_t shown, suppressed;
};

struct ratelimit {
	unsigned int burst; /* shown in full per (invariant, device); 0: no limit */
	struct ratelimit_key keys[RATELIMIT_KEYS];
	size_t nr_keys;
	uint64_t untracked; /* over RATELIMIT_KEYS keys: shown, counted here */
};

bool ratelimit_allow(struct ratelimit *rl, uint32_t inv, const char *dev);
/* "INV-9 on cr: 12 more not shown" lines, @prefix before each. */
void ratelimit_report(const struct ratelimit *rl, FILE *out, const char *prefix);

#endif /* DMSWAP_RATELIMIT_H */
