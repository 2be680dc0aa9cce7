/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "dmswap-trace report" reads from the logs, shared by its outputs: the
 * text report (report_text.c), the HTML page (report_html.c) and the trace
 * events (report_trace.c).  Every string kept is escaped for the terminal
 * (report_esc()): every output shows the same, and no control character
 * reaches any of them.
 *
 * The files are read (report_read.c) into records, each of the session its
 * file's last armed line opened; the model (report_group.c) then joins the
 * sessions a rotation split across files, groups the records into swap
 * cycles per session and device instance, filters and counts them.
 */
#ifndef DMSWAP_REPORT_MODEL_H
#define DMSWAP_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonparse.h"

#define REPORT_PFX "dmswap-trace: report: "
/* A time a line does not have: sorts last. */
#define REPORT_NO_TIME INT64_MAX

enum warn {
	W_BINARY,
	W_NOT_JSON,
	W_RECORD,
	W_KIND,
	W_NR,
};

struct rfile {
	const char *path;
	char *name; /* escaped */
	int read_errno; /* it could not be read (entirely), or 0 */
	bool torn;
	bool gzip; /* gzip-compressed (read through zlib) */
	/* Lines, but not one record of the tool's: not a log (its own exit status). */
	bool not_a_log;
	unsigned long lines, records, events, violations, skipped, dropped;
	unsigned long warned[W_NR];
	size_t session; /* while read: the session of its last armed line, or NO_SESSION */
};

#define NO_SESSION SIZE_MAX

/*
 * A start of the tool: its armed line and every record after it in its
 * file, and in the files logrotate cut from it.  Records before the first
 * armed line of a file start an orphan session, joined to the session they
 * continue once every file is read (report_group.c).
 */
struct rsession {
	size_t file;
	unsigned long line; /* of its armed line (orphan: of its first record) */
	char *host, *boot_id, *started, *kernel; /* escaped; NULL: not in the line */
	char *ts; /* the armed line's (orphan: the first record's) */
	int64_t ts_us;
	uint64_t mono_ns;
	/* Wall clock minus monotonic clock, in µs: the same for all its records. */
	int64_t offset_us;
	bool timed; /* ts_us, mono_ns and offset_us are known */
	bool orphan;
	size_t same; /* the session it is (itself, or the one an orphan continues) */
	unsigned int number; /* 1, 2, ... in time order, among those not joined */
	unsigned long cycles, violations; /* shown, after the filters */
};

enum rec_type { REC_SUSPEND, REC_SWAP, REC_RESUME };

/* A suspend, swap or resume event inside a swap cycle. */
struct rec {
	size_t file;
	unsigned long line;
	size_t session;
	enum rec_type type;
	char *dev; /* escaped, as every string kept */
	char *devt;
	uint64_t swap_id;
	char *ts;
	int64_t ts_us;
	bool timed;
	uint64_t mono_ns, dur_ns;
	int64_t ret;
	char *err_name;
	/* swap */
	char *targets;
	bool sized;
	uint64_t old_sectors, new_sectors;
};

/* An upstream commit a violation's rule is about ("fixes"). */
struct rfix {
	char *commit, *title, *mainline, *stable; /* escaped; mainline NULL: not recorded */
};

struct viol {
	size_t file;
	unsigned long line;
	size_t session;
	char *dev;
	char *devt;
	bool in_swap;
	uint64_t swap_id;
	char *ts;
	int64_t ts_us;
	char *inv;
	char *message;
	struct rfix *fixes;
	size_t nr_fixes;
	bool in_cycle;
	unsigned int instance; /* of the device: its cycle's, or 1 */
	bool shown; /* passes the filters */
	unsigned int number; /* 1, 2, ... in time order among those shown */
	char *json; /* its whole line, kept for the page and the trace events only */
};

/* The events of one session sharing a device and swap_id. */
struct cycle {
	size_t file; /* of its first event */
	size_t session; /* the joined one: rsession.same */
	const char *dev, *devt;
	unsigned int instance; /* 1, 2, ...: the device re-created under its name */
	uint64_t swap_id;
	const char *ts; /* of its first event */
	int64_t ts_us;
	bool timed;
	uint64_t start_ns, end_ns;
	const struct rec *recs; /* nr_recs, in time order */
	size_t nr_recs;
	struct viol **viols;
	size_t nr_viols;
	bool shown; /* passes the filters */
	bool failed, resumed; /* its last swap or resume failed; it has a resume */
};

/* "--dev", "--inv", "--since", "--until": what is shown and counted. */
struct report_filter {
	const char **devs; /* a dm name or a devt ("253:0"), as given */
	size_t nr_devs;
	const char **invs; /* "INV-4" */
	size_t nr_invs;
	int64_t since_us, until_us; /* [since, until); INT64_MIN, INT64_MAX: open */
};

/* Per host and device: what an operator asks first. */
struct dev_stats {
	const char *host; /* escaped, "-" when the log does not say */
	const char *dev;
	unsigned long cycles, swaps, failures, violations;
	/* Nearest-rank percentiles, ns; have_*: there was a duration to rank. */
	uint64_t swap_p50, swap_p99, suspend_p50, suspend_p99;
	bool have_swap, have_suspend;
};

struct report {
	FILE *out, *err;
	struct rfile *files;
	size_t nr_files;
	struct rsession *sessions;
	size_t nr_sessions, cap_sessions;
	struct rec *recs;
	size_t nr_recs, cap_recs;
	struct viol *viols;
	size_t nr_viols, cap_viols;
	struct cycle *cycles; /* sorted: by session, device instance, time */
	size_t nr_cycles;
	struct viol **by_cycle; /* the violations, the cycles' slices of it */
	struct dev_stats *stats;
	size_t nr_stats;
	struct report_filter filter;
	unsigned long shown_viols;
	struct jp_doc doc;
	bool oom;
	bool keep_lines; /* --html, --trace-event: keep each violation's line */
};

#define S(s) ((s) ? (s) : "?")

/*
 * Escaped for the terminal (escape_term()), whole: a NUL inside a JSON
 * string ("lin\u0000forged") is shown as \x00, never an end.  Into @dst of
 * REPORT_ESC_MAX(n) bytes, the length returned; or a new string (NULL and
 * r->oom when memory is out).
 */
#define REPORT_ESC_MAX(n) (4 * (n) + 1)
size_t report_esc_into(char *dst, size_t len, const char *s, size_t n);
char *report_esc(struct report *r, const char *s, size_t n);
/* "2026-11-24T05:34:21.188645Z" (or a prefix: a date, minutes) to µs since the epoch. */
bool report_parse_ts(const char *s, int64_t *us, bool prefix);
/* Grow @arr for @need elements; false and r->oom when memory is out. */
int report_reserve(struct report *r, void **arr, size_t *cap, size_t need, size_t size);
#define RESERVE(r, arr, cap, need) \
	report_reserve(r, (void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* report_read.c: read file @fi into @r, its problems said on r->err. */
void report_read_file(struct report *r, size_t fi);
/* report_group.c: sessions joined, cycles made, filtered and counted: 0 or -1 (memory). */
int report_group(struct report *r);
void report_free(struct report *r);

/* The cells of a cycle's line in the timeline. */
struct cycle_row {
	char id[24], size[48], result[96], dur[32];
	const char *targets;
};

void report_cycle_row(const struct cycle *c, struct cycle_row *row);
/* An event's result: "ok", its errno's name, or "ret N". */
void report_fmt_ret(char *buf, size_t len, const struct rec *x);
/* Order of the counts: by invariant (INV-4 before INV-10), then device. */
int report_cmp_viol_inv(const void *pa, const void *pb);
/* "1.5", or "5" when the logs hold one session: the label and anchor of a cycle. */
void report_cycle_label(const struct report *r, const struct cycle *c, char *buf, size_t len);
/*
 * Wall-clock span of a cycle, in µs: its monotonic span placed by one of
 * its events' ts.  False when no event has a time.
 */
bool report_cycle_span(const struct cycle *c, int64_t *start, int64_t *end);

/* report_text.c: the text report on r->out. */
void report_print(struct report *r);

#endif /* DMSWAP_REPORT_MODEL_H */
