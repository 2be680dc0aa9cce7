/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dmswap-trace report --trace-event OUT": the logs in the Trace Event
 * Format that Perfetto (ui.perfetto.dev) and chrome://tracing open: a JSON
 * object whose "traceEvents" array holds a process per host (or per file,
 * for logs that do not name their host) and a thread per device instance,
 * named by metadata events ("ph":"M"), each swap cycle a complete event
 * ("ph":"X", "ts" and "dur" in microseconds) and each violation an instant
 * event ("ph":"i") whose "args" carry its evidence, stack and upstream fixes.
 */
#ifndef DMSWAP_REPORT_TRACE_H
#define DMSWAP_REPORT_TRACE_H

#include <stdio.h>

#include "outfile.h"

/* Made to be passed on, as the page: readable by all, whatever the umask. */
#define REPORT_TRACE_MODE 0644

struct report;

/*
 * Write the trace of @r (grouped and filtered) to @o, opened with
 * outfile_open(), and rename it over @path; 0, or -1 with the reason on
 * @err, @path then untouched.
 */
int report_trace_write(const struct report *r, struct outfile *o, const char *path, FILE *err);

#endif /* DMSWAP_REPORT_TRACE_H */
