/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: one table of modes and one of options (bpftool's
 * struct cmd as the model).  Each option says which modes take it; an
 * option given to a mode that does not take it is a usage error.  Adding an
 * option to a mode is one entry in cli.c's table (and its field here).
 */
#ifndef DMSWAP_CLI_H
#define DMSWAP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "devices.h"
#include "explore.h"
#include "watch.h"

enum cli_mode {
	CLI_WATCH = 1 << 0,
	CLI_RUN = 1 << 1,
	CLI_COVERAGE = 1 << 2,
	CLI_EXPLORE = 1 << 3,
	CLI_REPORT = 1 << 4,
};

struct options {
	enum cli_mode mode;
	const char *mode_name;
	bool json;
	bool wait;
	bool force_kprobe;
	bool verbose;
	bool help, version;
	bool events; /* run: the whole timeline, not only violations */
	const char *summary_path; /* run: --summary FILE */
	unsigned int error_exitcode; /* run: the status a violation gives (1) */
	double kill_after_s; /* run: SIGKILL COMMAND this long after a stop signal */
	bool kmsg; /* violations also to the kernel log */
	const char *log_path; /* --log FILE */
	bool syslog; /* --syslog, or run by systemd (JOURNAL_STREAM) */
	unsigned int rate_limit;
	bool log_violations_only; /* --log-level violations */
	char **command; /* run: COMMAND [ARGS...] */
	struct explore_opts explore;
	struct watch_opts watch;
	const char *devs[DEV_FILTER_MAX];
	size_t nr_devs;
	/* report: its arguments from "report" on (report_main() parses them). */
	int report_argc;
	char **report_argv;
};

/*
 * Parse @argv into @o.  EXIT_OK, or the exit status of a usage error (said
 * on stderr in one line).  -h/--help and -V/--version set o->help or
 * o->version: the caller prints cli_usage() or the version.
 */
int cli_parse(int argc, char **argv, struct options *o);
/* The help of @o->mode, or of every mode for watch (the default). */
void cli_usage(FILE *out, const struct options *o);

#endif /* DMSWAP_CLI_H */
