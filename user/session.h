/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One tracing session: environment checks, probe resolution, load and
 * attach of the BPF object.  Shared by every mode that traces.
 */
#ifndef DMSWAP_SESSION_H
#define DMSWAP_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "attach.h"
#include "offer.h"
#include "probe.h"

struct dmswap_bpf;

struct session {
	struct kernel_offer offer;
	struct probe_result *res; /* nr_hooks entries, hooks[] order */
	struct dmswap_bpf *skel;
	struct attach_set links;
	uint64_t start_ns; /* CLOCK_MONOTONIC at main() */
	uint64_t armed_ns;
	/* Where start-up time goes: symbol/BTF reading, load (CO-RE, verifier), attach. */
	uint64_t resolve_ns, load_ns, attach_ns;
	bool counters_failed; /* a counter could not be read: said once */
};

/*
 * Privilege, BTF and dm_mod checks, each with its own message and exit
 * status; waits for dm_mod when @wait.  Returns EXIT_OK or an exit status.
 */
int session_check_env(bool wait);
/*
 * --wait: wait for dm_mod until it is live (EXIT_OK), or *stop is set or
 * @deadline_ns passes (EXIT_STOPPED_WAITING: an orderly stop, nothing armed).
 */
#define EXIT_STOPPED_WAITING (-1)
int session_wait_dm(volatile bool *stop, uint64_t deadline_ns);
int session_resolve(struct session *s, enum probe_policy policy);
int session_arm(struct session *s);
/* Sum of a per-CPU counter (enum dmswap_counter). */
uint64_t session_counter(struct session *s, unsigned int which);
void session_close(struct session *s);

void session_set_verbose(bool verbose);

#endif /* DMSWAP_SESSION_H */
