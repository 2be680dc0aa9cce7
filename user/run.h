/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace run -- COMMAND": verify around a test run.  The probes are
 * armed before COMMAND starts, so nothing it does is missed; the exit status
 * says whether an invariant broke.
 */
#ifndef DMSWAP_RUN_H
#define DMSWAP_RUN_H

#include <stdio.h>

#include "outfile.h"
#include "session.h"
#include "sink.h"
#include "watch.h"

struct run_opts {
	char **argv; /* COMMAND and its arguments */
	struct outfile *summary; /* --summary FILE, opened (outfile_open()), or NULL */
	const char *summary_path;
	int error_exitcode; /* the status a violation gives; 0: COMMAND's status */
	double kill_after_s; /* > 0: SIGKILL COMMAND this long after a stop signal */
};

/* For CI to read, whatever the umask: counts and the command line, no device data. */
#define SUMMARY_MODE 0644

/*
 * Install the handlers that pass SIGINT, SIGTERM, SIGHUP... on to COMMAND; a
 * second SIGINT or SIGTERM kills it (SIGKILL): a way out of a hung command
 * that still detaches and writes the summary.
 */
void run_forward_signals(void);

/*
 * Returns 0 when COMMAND succeeded and nothing was violated, error_exitcode
 * when an invariant was violated (whatever COMMAND did), 2 when the summary could
 * not be written, otherwise COMMAND's status (128 + signal when it was
 * killed).  The summary is renamed into place once written.
 */
int run_command(struct session *s, const struct watch_opts *wopts, const struct run_opts *ropts,
		struct sink *sink);

#endif /* DMSWAP_RUN_H */
