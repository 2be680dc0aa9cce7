/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace run -- COMMAND": verify around a test run.  The probes are
 * armed before COMMAND starts, so nothing it does is missed; the exit status
 * says whether an invariant broke.
 */
#ifndef DMSWAP_RUN_H
#define DMSWAP_RUN_H

#include <stdio.h>

#include "session.h"
#include "sink.h"
#include "watch.h"

struct run_opts {
	char **argv; /* COMMAND and its arguments */
	FILE *summary; /* --summary FILE, or NULL */
};

/*
 * Returns 0 when COMMAND succeeded and nothing was violated, 1 when an
 * invariant was violated (whatever COMMAND did), otherwise COMMAND's status
 * (128 + signal when it was killed).
 */
/* Install the handlers that pass SIGINT, SIGTERM, SIGHUP... on to COMMAND. */
void run_forward_signals(void);

int run_command(struct session *s, const struct watch_opts *wopts, const struct run_opts *ropts,
		struct sink *sink);

#endif /* DMSWAP_RUN_H */
