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

enum report_exit {
	REPORT_OK = 0, /* every file read, no violation in them */
	REPORT_VIOLATION = 1, /* a violation is in the logs */
	/*
	 * Bad option, or no FILE; or --html's OUT could not be written (the
	 * page asked for is missing: this wins over everything).
	 */
	REPORT_USAGE = 2,
	/*
	 * A file could not be read (missing, unreadable, a read error): the
	 * others are still reported, but the report is incomplete, so this
	 * wins over REPORT_VIOLATION.
	 */
	REPORT_UNREADABLE = 3,
};

/* @argv[0] is "report"; the report goes to @out, problems to @err. */
int report_main(int argc, char **argv, FILE *out, FILE *err);

#endif /* DMSWAP_REPORT_H */
