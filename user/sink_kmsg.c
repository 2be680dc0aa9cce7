// SPDX-License-Identifier: GPL-2.0
/*
 * --kmsg: each violation also as one kernel log line at KERN_WARNING, in
 * the form the test suites' dmesg checks already fail a test on (blktests'
 * and fstests' _check_dmesg look for "WARNING:"), so the suite itself ties
 * the violation to the test that caused it.  Violations only, every one
 * (no rate limit: a suite checks each test's own slice of the log); the
 * device name escaped as on the terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "invariants.h"
#include "sink_kmsg.h"

#define KMSG_PATH "/dev/kmsg"

static void kmsg_armed(struct sink *s, const struct armed_info *info)
{
	(void)s;
	(void)info;
}

static void kmsg_event(struct sink *sink, const struct event_view *ev)
{
	struct kmsg_sink *s = sink_of(sink, struct kmsg_sink);
	const struct dmswap_event *e = ev->raw;
	char dev[ESCAPE_TERM_MAX(DMSWAP_NAME_LEN)], line[512];
	int len;

	if (e->type != DMSWAP_EV_VIOLATION)
		return;
	escape_term(dev, sizeof(dev), ev->dev, sizeof(ev->dev));
	/* <4>: KERN_WARNING.  One write() is one log record. */
	len = snprintf(line, sizeof(line),
		       "<4>dmswap-trace: WARNING: INV-%u violated on %s (%u:%u, swap #%llu): %s\n",
		       e->violation.inv, dev, e->major, e->minor, (unsigned long long)e->swap_id,
		       invariant_rule(e->violation.inv, e->violation.code));
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;
	if (write(s->fd, line, len) != len)
		s->write_errors++;
}

/* Lines that could not be written are counted and said by kmsg_close(). */
static void kmsg_summary(struct sink *s, const struct summary *sum)
{
	(void)s;
	(void)sum;
}

static void kmsg_close(struct sink *sink)
{
	struct kmsg_sink *s = sink_of(sink, struct kmsg_sink);

	if (s->fd < 0)
		return;
	sink_say_unwritten(KMSG_PATH, s->write_errors, 0);
	close(s->fd);
	s->fd = -1;
}

static const struct sink_ops kmsg_ops = {
	.armed = kmsg_armed,
	.event = kmsg_event,
	.summary = kmsg_summary,
	.close = kmsg_close,
};

int sink_kmsg_open(struct kmsg_sink *s)
{
	memset(s, 0, sizeof(*s));
	s->sink.ops = &kmsg_ops;
	s->fd = open(KMSG_PATH, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	return s->fd < 0 ? -errno : 0;
}
