/* SPDX-License-Identifier: GPL-2.0 */
/* The live loop: ring buffer -> decode -> filter -> sinks. */
#ifndef DMSWAP_WATCH_H
#define DMSWAP_WATCH_H

#include <stdbool.h>

#include "caps.h"
#include "devices.h"
#include "flight.h"
#include "metrics.h"
#include "session.h"
#include "sink.h"

struct watch_opts {
	struct dev_filter filter;
	double duration_s; /* stop after this long; 0: until a signal */
	volatile bool *reopen; /* set by SIGHUP: reopen the logs */
	const char *metrics_path; /* --metrics FILE, or NULL */
	double metrics_interval_s;
};

struct watch_ctx {
	const struct watch_opts *opts;
	struct sink *sink; /* the first of a chain */
	struct summary sum;
	struct flight *flight; /* the flight recorder (heap: it is large) */
	struct metrics *metrics; /* with --metrics (heap), or NULL */
};

/* The loop in pieces, for modes that do more between polls (run). */
struct watch {
	struct ring_buffer *rb;
	struct session *session;
	struct watch_ctx ctx;
	int err; /* first error of the ring buffer */
	bool metrics_failing;
};

/* Rewrite the --metrics file now. */
void write_metrics(struct watch *w);

/* The ring buffer and what the loop keeps; nothing said yet. */
int watch_open(struct watch *w, struct session *s, const struct watch_opts *opts,
	       struct sink *sink);
/*
 * Armed: the first metrics and the armed line, which says what @caps (the
 * capabilities given up since watch_open(), or NULL: kept) dropped.
 */
void watch_start(struct watch *w, const struct caps_drop *caps);
/*
 * Give up every capability once armed (watch, run): the links and the
 * ring buffer need none, and what comes later was prepared (the log's
 * directory pinned, kallsyms opened).  A failure is said and the trace
 * goes on; @d says what happened.
 */
void watch_drop_caps(struct caps_drop *d);
int watch_poll(struct watch *w, int timeout_ms);
/* Drain, count, hand the summary to the sink (and to @out if not NULL). */
void watch_close(struct watch *w, struct summary *out);

/*
 * Runs until *stop or the duration.  Stopped by a signal it exits 0 (a
 * service's orderly stop); at the end of --duration, 1 if anything was
 * violated.
 */
int watch_run(struct session *s, const struct watch_opts *opts, struct sink *sink,
	      volatile bool *stop);

#endif /* DMSWAP_WATCH_H */
