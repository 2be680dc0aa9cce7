/* SPDX-License-Identifier: GPL-2.0 */
/* The terminal's human-readable timeline (sink_text.c). */
#ifndef DMSWAP_SINK_TEXT_H
#define DMSWAP_SINK_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "ratelimit.h"
#include "sink.h"

struct text_opts {
	bool syslog; /* "<N>" severity prefixes for journald */
	bool no_header; /* no column header (run and explore show violations only) */
	struct ratelimit *ratelimit; /* repeated violations, or NULL */
};

struct text_sink {
	struct sink sink;
	struct text_opts opts;
	FILE *out; /* records */
	FILE *diag; /* the armed and summary lines */
};

/* @opts NULL: the defaults (a header, no prefixes, no rate limit). */
struct sink *sink_text_init(struct text_sink *t, FILE *out, FILE *diag,
			    const struct text_opts *opts);

#endif /* DMSWAP_SINK_TEXT_H */
