// SPDX-License-Identifier: GPL-2.0
/*
 * The postmortem log (--log): the JSON lines of sink_json.c, each written to
 * a file with one writev(), reopened when logrotate moved it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "outfile.h"
#include "sink_log.h"

/* 0600: events name devices and tasks; nobody else needs to read them. */
#define LOG_MODE 0600

/*
 * One writev() per line: a crash tears at most the last one.  A short write
 * (a full disk, a size limit) is completed if it can be; if not, the file
 * ends inside a record, and the next one starts with a newline, so that a
 * reader sees one torn line and every later record whole.
 */
static void log_line(struct log_sink *s, char *line, size_t len)
{
	struct iovec iov[2] = { { "\n", s->torn ? 1 : 0 }, { line, len } };
	size_t lead = iov[0].iov_len, done = 0, total = lead + len;
	int first = lead ? 0 : 1;

	while (done < total) {
		ssize_t n = writev(s->fd, iov + first, 2 - first);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
		for (; n > 0 && first < 2; first++) {
			size_t take =
				(size_t)n < iov[first].iov_len ? (size_t)n : iov[first].iov_len;

			iov[first].iov_base = (char *)iov[first].iov_base + take;
			iov[first].iov_len -= take;
			n -= take;
			if (iov[first].iov_len)
				break;
		}
	}
	if (done == total) {
		s->torn = false;
		return;
	}
	s->write_errors++;
	/* Some of the record is in the file: it ends mid-line now. */
	if (done > lead) {
		s->torn = true;
		s->torn_records++;
	} else if (done == lead) {
		s->torn = false;
	}
}

static struct log_sink *log_of(struct json_sink *js)
{
	return (struct log_sink *)((char *)js - offsetof(struct log_sink, json));
}

static void put_log_line(struct json_sink *js)
{
	struct log_sink *l = log_of(js);
	struct json *j = &js->json;

	j->buf[j->len] = '\n';
	log_line(l, j->buf, j->len + 1);
	j->buf[j->len] = '\0';
}

static void log_reopen(struct sink *sink)
{
	struct log_sink *l = log_of(sink_of(sink, struct json_sink));
	int err = sink_log_reopen(l);

	if (err)
		fprintf(stderr, "dmswap-trace: cannot reopen %s: %s (still writing the old one)\n",
			l->path, outfile_strerror(-err));
}

static void log_close(struct sink *sink)
{
	struct log_sink *l = log_of(sink_of(sink, struct json_sink));

	sink_json_free(&l->json);
	if (l->fd < 0)
		return;
	sink_say_unwritten(l->path, l->write_errors, l->torn_records);
	close(l->fd);
	close(l->dirfd);
	l->fd = l->dirfd = -1;
}

static const struct sink_ops log_ops = {
	.armed = sink_json_armed,
	.event = sink_json_event,
	.summary = sink_json_summary,
	.reopen = log_reopen,
	.close = log_close,
};

int sink_log_open(struct log_sink *l, const char *path, bool violations_only)
{
	char name[NAME_MAX + 1];
	int dirfd = outfile_dir(path, name), fd;

	if (dirfd < 0)
		return dirfd;
	fd = outfile_open_append_at(dirfd, name, LOG_MODE);
	if (fd < 0) {
		close(dirfd);
		return fd;
	}
	memset(l, 0, sizeof(*l));
	sink_json_init_with(&l->json, &log_ops, put_log_line);
	l->json.sink.violations_only = violations_only;
	l->fd = fd;
	l->path = path;
	l->dirfd = dirfd;
	strcpy(l->name, name);
	return 0;
}

int sink_log_reopen(struct log_sink *l)
{
	int fd = outfile_open_append_at(l->dirfd, l->name, LOG_MODE);

	if (fd < 0)
		return fd;
	close(l->fd);
	l->fd = fd;
	l->torn = false;
	return 0;
}
