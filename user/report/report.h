/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace report FILE...": read JSON-lines logs back (several hosts',
 * in any order; "-" is stdin) and summarize them: what was read, violations
 * per invariant and device, and a timeline of swap cycles per device with
 * the violations of each.  Logs may be damaged (a crash mid-write, a wrong
 * file): each bad line is named on @err and skipped, never fatal.
 * "--html OUT" also draws them as an HTML page (report_html.h).
 */
#ifndef DMSWAP_REPORT_H
#define DMSWAP_REPORT_H

#include <stdio.h>

#include "exitcode.h"

/* The statuses of every mode (exitcode.h), as report uses them. */
enum report_exit {
	REPORT_OK = EXIT_OK, /* every file read, no violation in them */
	REPORT_VIOLATION = EXIT_VIOLATION, /* a violation is in the logs */
	REPORT_USAGE = EXIT_USAGE, /* bad option, no FILE, or --html's OUT is an input */
	/*
	 * --html's OUT or the report itself could not be written (the page
	 * asked for is missing: this wins over everything).
	 */
	REPORT_OUTPUT = EXIT_OUTPUT,
	/*
	 * A file could not be read (missing, unreadable, a read error): the
	 * others are still reported, but the report is incomplete, so this
	 * wins over REPORT_VIOLATION.
	 */
	REPORT_UNREADABLE = EXIT_INPUT,
};

/* @argv[0] is "report"; the report goes to @out, problems to @err. */
int report_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* DMSWAP_REPORT_H */
