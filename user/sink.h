/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output sinks.  The watch loop hands every decoded record to each sink; a
 * sink only formats and writes: the terminal's text (sink_text.h) or JSON
 * lines (sink_json.h), the log (sink_log.h), the kernel log (sink_kmsg.h).
 */
#ifndef DMSWAP_SINK_H
#define DMSWAP_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "caps.h"
#include "event.h"
#include "hooks.h"
#include "json.h"
#include "probe.h"

struct armed_info {
	uint64_t mono_ns;
	uint64_t start_to_armed_ns; /* from exec to attached */
	uint64_t resolve_ns, load_ns, attach_ns;
	const char *kernel; /* uname -r */
	/*
	 * The session this start of the tool opens in the log: "report" tells
	 * a restart, a reboot or another host's log apart by them.
	 */
	const char *host; /* uname -n */
	const char *boot_id; /* /proc/sys/kernel/random/boot_id; NULL: unknown */
	uint64_t start_ns; /* CLOCK_MONOTONIC at main() */
	const struct probe_result *res; /* per hook, hooks[] order */
	size_t nr_fentry, nr_kprobe, nr_absent; /* hooks with programs of their own */
	size_t nr_observed; /* inlined: seen at another hook */
	/* The capabilities given up once armed (caps_drop_all()); NULL: kept (explore). */
	const struct caps_drop *caps;
};

/* Counts per invariant, indexed by n of INV-n (slot 0 unused). */
#define DMSWAP_INV_SLOTS (DMSWAP_NR_INV + 1)

struct summary {
	uint64_t mono_ns;
	uint64_t events; /* records received */
	uint64_t shown; /* records that passed the --dev filter */
	uint64_t by_type[DMSWAP_EV_MAX];
	uint64_t violations; /* shown, plus dropped ones */
	uint64_t shown_violations;
	uint64_t by_inv[DMSWAP_INV_SLOTS]; /* shown violations of INV-n */
	uint64_t dropped; /* ring buffer full in the kernel */
	uint64_t state_full; /* per-task/per-device maps full */
	uint64_t malformed; /* records that failed event_check() */
};

struct sink;

struct sink_ops {
	void (*armed)(struct sink *s, const struct armed_info *info);
	void (*event)(struct sink *s, const struct event_view *ev);
	void (*summary)(struct sink *s, const struct summary *sum);
	/* SIGHUP: reopen the output (the log, after logrotate); NULL: nothing to. */
	void (*reopen)(struct sink *s);
	/* The output failed for good (a closed stdout): stop.  NULL: never. */
	bool (*failed)(const struct sink *s);
	/* Flush, say what could not be written, release; NULL: nothing to do. */
	void (*close)(struct sink *s);
};

/*
 * What every sink has; the rest is its own, in the struct that embeds this
 * one first (struct text_sink, json_sink, log_sink, kmsg_sink): the chain
 * only hands &sink around.
 */
struct sink {
	const struct sink_ops *ops;
	struct sink *next; /* sinks form a chain: the terminal, then the log, the kernel log */
	bool violations_only; /* --log-level violations; run and explore */
};

/* The outer struct of a sink from its embedded struct sink @ptr. */
#define sink_of(ptr, type) ((type *)((char *)(ptr)-offsetof(type, sink)))

/*
 * An output written with write(2) (the log, the kernel log) lost records:
 * one line on stderr, at close.
 */
void sink_say_unwritten(const char *path, uint64_t write_errors, uint64_t torn_records);

/* @key: the upstream fixes of bit set @set (invariant_fixes()), as objects. */
void json_upstream_fixes(struct json *j, const char *key, unsigned long set);
/* "KEY": {"INV-1": n, ...}: every invariant, or only those counted. */
void json_by_inv(struct json *j, const char *key, const uint64_t by_inv[DMSWAP_INV_SLOTS],
		 bool counted_only);

static inline void sink_close(struct sink *s)
{
	if (s->ops->close)
		s->ops->close(s);
}

static inline bool sink_failed(const struct sink *s)
{
	return s->ops->failed && s->ops->failed(s);
}

/* Hand a record to every sink of the chain. */
static inline void sinks_armed(struct sink *s, const struct armed_info *info)
{
	for (; s; s = s->next)
		s->ops->armed(s, info);
}

static inline void sinks_event(struct sink *s, const struct event_view *ev)
{
	for (; s; s = s->next)
		s->ops->event(s, ev);
}

static inline void sinks_summary(struct sink *s, const struct summary *sum)
{
	for (; s; s = s->next)
		s->ops->summary(s, sum);
}

static inline void sinks_reopen(struct sink *s)
{
	for (; s; s = s->next)
		if (s->ops->reopen)
			s->ops->reopen(s);
}

#endif /* DMSWAP_SINK_H */
