/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output sinks.  The watch loop hands every decoded record to each sink; a
 * sink only formats and writes.  Text and JSON lines exist today.
 */
#ifndef DMSWAP_SINK_H
#define DMSWAP_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "hooks.h"
#include "json.h"
#include "probe.h"
#include "ratelimit.h"

struct armed_info {
	uint64_t mono_ns;
	uint64_t start_to_armed_ns; /* from exec to attached */
	uint64_t resolve_ns, load_ns, attach_ns;
	const char *kernel; /* uname -r */
	const struct probe_result *res; /* per hook, hooks[] order */
	size_t nr_fentry, nr_kprobe, nr_absent; /* hooks with programs of their own */
	size_t nr_observed; /* inlined: seen at another hook */
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
};

struct sink {
	const struct sink_ops *ops;
	struct sink *next; /* sinks form a chain: the terminal, then the log */
	int fd; /* log: written with one write() per line; -1 otherwise */
	const char *path; /* log: reopened on SIGHUP */
	bool violations_only; /* log: --log-level violations */
	uint64_t write_errors; /* log records that could not be written */
	uint64_t torn_records; /* of which part went out: an incomplete line */
	bool log_torn; /* the log ends inside a record: start the next on a new line */
	bool syslog; /* text: "<N>" severity prefixes for journald */
	struct ratelimit *ratelimit; /* text: repeated violations, or NULL */
	FILE *out; /* records */
	FILE *diag;
	bool no_header;
	/* text: no column header (run shows violations only) */ /* text sink: armed/summary lines go to stderr */
	struct json json;
};

void sink_text_init(struct sink *s, FILE *out, FILE *diag);
void sink_json_init(struct sink *s, FILE *out);
/*
 * The postmortem log: JSON lines appended to @path, created 0600, a regular
 * file (outfile_open_append()).  Each line goes out in one write, so a crash
 * tears at most the last line; a short write never joins two records.
 * Returns 0 or -errno (outfile_strerror() says it).
 */
int sink_log_open(struct sink *s, const char *path, bool violations_only);
/*
 * Reopen after logrotate moved the file (SIGHUP).  Refused (-errno: not a
 * regular file, cannot be created), the old file is kept and still written:
 * no record is lost, it is only in the rotated file.
 */
int sink_log_reopen(struct sink *s);
/* --kmsg: violations to the kernel log (sink_kmsg.c); 0 or -errno. */
int sink_kmsg_open(struct sink *s);
void sink_close(struct sink *s);
/* @key: the upstream fixes of bit set @set (invariant_fixes()), as objects. */
void json_upstream_fixes(struct json *j, const char *key, unsigned long set);
/* "KEY": {"INV-1": n, ...}: every invariant, or only those counted. */
void json_by_inv(struct json *j, const char *key, const uint64_t by_inv[DMSWAP_INV_SLOTS],
		 bool counted_only);

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

#endif /* DMSWAP_SINK_H */
