/* SPDX-License-Identifier: GPL-2.0 */
/*
 * explore: run a swap scenario again and again, failing the Nth slab
 * allocation that the swapping task makes inside dm_swap_table() on run N,
 * with every invariant verified, until a run no longer reaches an Nth
 * allocation.  One row per run: the failed allocation's call site, the
 * swap's result and the violations.
 */
#ifndef DMSWAP_EXPLORE_USER_H
#define DMSWAP_EXPLORE_USER_H

#include <stdbool.h>
#include <stdio.h>

#include "faultinject.h"
#include "session.h"
#include "sink.h"
#include "watch.h"

struct explore_opts {
	const char *setup; /* shell commands, run with /bin/sh -c */
	const char *swap;
	const char *teardown;
	unsigned int max_runs; /* stop after N = max_runs */
	bool json; /* rows as JSON lines */
	bool force_kprobe; /* the kprobe override, even where fmod_ret works */
	bool verify; /* arm the verifier (not with --no-verify: injection only) */
	const struct fault_offer *fault; /* from explore_check_kernel() */
	volatile bool *stop;
};

/*
 * Can this kernel fail allocations on purpose?  EXIT_OK, or says why not.
 * Before session_arm(), which frees the BTF this reads.
 */
int explore_check_kernel(const struct session *s, struct fault_offer *fo);
/* Returns an exit status: 0, 1 (a violation in some run), 2, 8 or 9. */
int explore_main(struct session *s, const struct watch_opts *wopts, const struct explore_opts *opts,
		 struct sink *sink, FILE *out);

#endif /* DMSWAP_EXPLORE_USER_H */
