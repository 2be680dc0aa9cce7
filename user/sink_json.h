/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON lines (sink_json.c): on a stream (--json), or, through @put_line,
 * anywhere else a line goes (the log, sink_log.c).
 */
#ifndef DMSWAP_SINK_JSON_H
#define DMSWAP_SINK_JSON_H

#include <stdio.h>

#include "json.h"
#include "sink.h"

struct json_sink {
	struct sink sink;
	struct json json; /* the line being made */
	/* Write the finished line, json.buf (json.len bytes, no newline yet). */
	void (*put_line)(struct json_sink *js);
	FILE *out; /* --json: the stream; NULL otherwise */
};

/* JSON lines on @out. */
struct sink *sink_json_init(struct json_sink *js, FILE *out);

/*
 * For a sink of JSON lines with an output of its own: @ops has the armed,
 * event and summary below, and its own reopen and close (which calls
 * sink_json_free()).
 */
void sink_json_init_with(struct json_sink *js, const struct sink_ops *ops,
			 void (*put_line)(struct json_sink *js));
void sink_json_armed(struct sink *sink, const struct armed_info *info);
void sink_json_event(struct sink *sink, const struct event_view *ev);
void sink_json_summary(struct sink *sink, const struct summary *sum);
void sink_json_free(struct json_sink *js);

#endif /* DMSWAP_SINK_JSON_H */
