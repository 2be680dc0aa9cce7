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

struct report;

/* Create or truncate @path (mode 0644, less the umask); NULL, said on @err. */
FILE *report_html_open(const char *path, FILE *err);

/*
 * Write the page of @r (read, grouped and sorted) to @f and close it; 0, or
 * -1 with the reason (a write error, out of memory) on @err.
 */
int report_html_write(const struct report *r, FILE *f, const char *path, FILE *err);

#endif /* DMSWAP_REPORT_HTML_H */
