/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The postmortem log (--log, sink_log.c): JSON lines appended to a file,
 * created 0600, a regular file (outfile_open_append_at()).  Each line goes out
 * in one write, so a crash tears at most the last line; a short write never
 * joins two records.
 */
#ifndef DMSWAP_SINK_LOG_H
#define DMSWAP_SINK_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "sink_json.h"

struct log_sink {
	struct json_sink json; /* the lines, made by sink_json.c */
	int fd; /* one write() per line */
	const char *path; /* as given, for messages */
	/*
	 * Reopened on SIGHUP as @name in @dirfd, the directory opened at
	 * start-up: not the path resolved again, so a directory swapped for
	 * a link since does not get the records, and no privilege is needed
	 * to find it again.
	 */
	int dirfd;
	char name[NAME_MAX + 1];
	uint64_t write_errors; /* records that could not be written */
	uint64_t torn_records; /* of which part went out: an incomplete line */
	bool torn; /* the file ends inside a record: start the next on a new line */
};

/* Returns 0 or -errno (outfile_strerror() says it). */
int sink_log_open(struct log_sink *l, const char *path, bool violations_only);
/*
 * Reopen after logrotate moved the file (SIGHUP).  Refused (-errno: not a
 * regular file, cannot be created), the old file is kept and still written:
 * no record is lost, it is only in the rotated file.
 */
int sink_log_reopen(struct log_sink *l);

#endif /* DMSWAP_SINK_LOG_H */
