/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace report [OPTIONS] LOG...": read JSON-lines logs back (several
 * hosts', rotated ones, plain or gzip-compressed, in any order; "-" is stdin) and
 * summarize them: what was read, the sessions (starts of the tool), per
 * device the counts and durations, violations per invariant and device, and
 * a timeline of swap cycles per session and device with the violations of
 * each.  Logs may be damaged (a crash mid-write, a wrong file): each bad
 * line is named on @err and skipped, never fatal.  "--html OUT" also draws
 * them as an HTML page (report_html.h), "--trace-event OUT" writes them for
 * Perfetto or chrome://tracing (report_trace.h).
 */
#ifndef DMSWAP_REPORT_H
#define DMSWAP_REPORT_H

#include <stdio.h>

#include "exitcode.h"

/* The statuses of every mode (exitcode.h), as report uses them. */
enum report_exit {
	REPORT_OK = EXIT_OK, /* every file read, no violation in them */
	REPORT_VIOLATION = EXIT_VIOLATION, /* a violation is in the logs (after the filters) */
	REPORT_USAGE = EXIT_USAGE, /* bad option, no FILE, or an OUT is an input */
	/*
	 * An OUT or the report itself could not be written (the output asked
	 * for is missing: this wins over everything).
	 */
	REPORT_OUTPUT = EXIT_OUTPUT,
	/*
	 * A file could not be read (missing, unreadable, a read error, damaged
	 * gzip data): the others are still reported, but the report is
	 * incomplete, so this wins over the statuses below.
	 */
	REPORT_UNREADABLE = EXIT_INPUT,
	/*
	 * A file read whole holds no record of the tool (README.md given by
	 * mistake): the others are still reported; wins over REPORT_VIOLATION,
	 * since a log meant may be missing.
	 */
	REPORT_NOT_A_LOG = EXIT_NOT_A_LOG,
};

/* @argv[0] is "report"; the report goes to @out, problems to @err. */
int report_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* DMSWAP_REPORT_H */
