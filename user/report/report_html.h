/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace report --html OUT": the report as one self-contained HTML
 * page, to attach to a ticket or open from a mail: inline CSS and JS, no
 * network.  It draws the swap cycles of each device on a time axis, coloured
 * by result, with the violations marked on them; hovering one shows its
 * details (evidence, stack).  The data is embedded as JSON; the strings in
 * it come from the logs, so it is made safe to sit inside a <script>.
 */
#ifndef DMSWAP_REPORT_HTML_H
#define DMSWAP_REPORT_HTML_H

#include <stdio.h>

#include "outfile.h"

/* The page is made to be passed on: readable by all, whatever the umask. */
#define REPORT_HTML_MODE 0644

struct report;

/*
 * Open a private temporary file beside @path (outfile.h), before anything
 * is read: 0, or -errno, said on @err.  @path itself is only replaced by
 * report_html_write(), so it may be read until then.
 */
int report_html_open(struct outfile *o, const char *path, FILE *err);

/*
 * Write the page of @r (read, grouped and sorted) to @o and rename it over
 * @path; 0, or -1 with the reason (a write error, out of memory) on @err,
 * @path then untouched.
 */
int report_html_write(const struct report *r, struct outfile *o, const char *path, FILE *err);

#endif /* DMSWAP_REPORT_HTML_H */
