/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "dmswap-trace report" reads from the logs, shared by its two outputs:
 * the text report (report.c) and the HTML page (report_html.c).  Every
 * string kept is escaped for the terminal (escape_term()): both outputs show
 * the same, and no control character reaches either.
 */
#ifndef DMSWAP_REPORT_MODEL_H
#define DMSWAP_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonparse.h"

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
	unsigned long lines, events, violations, skipped, dropped;
	unsigned long warned[W_NR];
	char **kernels; /* escaped; distinct and sorted once the file is read */
	size_t nr_kernels, cap_kernels;
};

enum rec_type { REC_SUSPEND, REC_SWAP, REC_RESUME };

/* A suspend, swap or resume event inside a swap cycle. */
struct rec {
	size_t file;
	unsigned long line;
	enum rec_type type;
	char *dev; /* escaped, as every string kept */
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

struct viol {
	size_t file;
	unsigned long line;
	char *dev;
	bool in_swap;
	uint64_t swap_id;
	char *ts;
	int64_t ts_us;
	char *inv;
	char *message;
	bool in_cycle;
	char *json; /* its whole line, kept for the HTML page only (--html) */
};

/* The events of one file sharing a device and swap_id. */
struct cycle {
	size_t file;
	const char *dev;
	uint64_t swap_id;
	const char *ts; /* of its first event in the file */
	int64_t ts_us;
	bool timed;
	uint64_t start_ns, end_ns;
	const struct rec *recs; /* nr_recs, in file order */
	size_t nr_recs;
	struct viol **viols;
	size_t nr_viols;
};

struct report {
	FILE *out, *err;
	struct rfile *files;
	size_t nr_files;
	struct rec *recs;
	size_t nr_recs, cap_recs;
	struct viol *viols;
	size_t nr_viols, cap_viols;
	struct cycle *cycles;
	size_t nr_cycles;
	struct jp_doc doc;
	bool oom;
	bool keep_lines; /* --html: keep each violation's line */
};

#define S(s) ((s) ? (s) : "?")

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

#endif /* DMSWAP_REPORT_MODEL_H */
