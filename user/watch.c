// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "clock.h"
#include "dmswap.skel.h"
#include "env.h"
#include "exitcode.h"
#include "ksyms.h"
#include "outfile.h"
#include "watch.h"

static int on_record(void *arg, void *data, size_t size)
{
	struct watch_ctx *ctx = arg;
	const struct dmswap_event *e = data;
	struct event_view ev = { .raw = e };

	if (event_check(data, size)) {
		ctx->sum.malformed++;
		return 0;
	}
	ctx->sum.events++;
	ctx->sum.by_type[e->type]++;
	memcpy(ev.dev, e->dev, sizeof(ev.dev));
	ev.dev[sizeof(ev.dev) - 1] = '\0';
	/* No hash cell yet (creation) or any more (removal): ask sysfs. */
	if (!ev.dev[0] && dm_name_of_devt(e->major, e->minor, ev.dev, sizeof(ev.dev)))
		snprintf(ev.dev, sizeof(ev.dev), "dm-%u", e->minor);
	if (!dev_filter_match(&ctx->opts->filter, ev.dev, e->major, e->minor))
		return 0;

	ctx->sum.shown++;
	if (e->type == DMSWAP_EV_VIOLATION) {
		ctx->sum.shown_violations++;
		/* event_check() keeps inv within 1..DMSWAP_NR_INV. */
		if (e->violation.inv < DMSWAP_INV_SLOTS)
			ctx->sum.by_inv[e->violation.inv]++;
	}
	ev.wall_ns = clock_wall_of_mono(e->mono_ns);
	if (e->type == DMSWAP_EV_VIOLATION)
		ev.recent = flight_find(ctx->flight, e->major, e->minor);
	else
		flight_record(ctx->flight, e);
	if (ctx->metrics)
		metrics_observe(ctx->metrics, &ev);
	sinks_event(ctx->sink, &ev);
	return 0;
}

static void report_armed(struct session *s, struct sink *sink, const struct caps_drop *caps)
{
	struct armed_info info = {
		.caps = caps,
		.mono_ns = s->armed_ns,
		.start_to_armed_ns = s->armed_ns - s->start_ns,
		.resolve_ns = s->resolve_ns,
		.load_ns = s->load_ns,
		.attach_ns = s->attach_ns,
		.kernel = env_kernel_release(),
		.host = env_host(),
		.boot_id = env_boot_id(),
		.start_ns = s->start_ns,
		.res = s->res,
		.nr_fentry = s->links.nr_fentry,
		.nr_kprobe = s->links.nr_kprobe,
	};

	for_each_hook (h) {
		info.nr_absent += s->res[hook_index(h)].mech == PROBE_ABSENT;
		info.nr_observed += s->res[hook_index(h)].mech == PROBE_OBSERVED;
	}
	sinks_armed(sink, &info);
}

void write_metrics(struct watch *w)
{
	int err;

	if (!w->ctx.metrics)
		return;
	err = metrics_write(w->ctx.metrics, w->ctx.opts->metrics_path,
			    session_counter(w->session, DMSWAP_CNT_DROPPED),
			    session_counter(w->session, DMSWAP_CNT_STATE_FULL),
			    env_kernel_release());
	/* Said once per failure streak, not every interval. */
	if (err && !w->metrics_failing)
		fprintf(stderr, "dmswap-trace: --metrics: cannot write %s: %s\n",
			w->ctx.opts->metrics_path, outfile_strerror(-err));
	w->metrics_failing = err != 0;
}

int watch_open(struct watch *w, struct session *s, const struct watch_opts *opts, struct sink *sink)
{
	memset(w, 0, sizeof(*w));
	w->ctx.opts = opts;
	w->ctx.sink = sink;
	w->session = s;
	w->ctx.flight = calloc(1, sizeof(*w->ctx.flight));
	if (!w->ctx.flight) {
		fprintf(stderr, "dmswap-trace: out of memory\n");
		return EXIT_KERNEL;
	}
	if (opts->metrics_path) {
		w->ctx.metrics = calloc(1, sizeof(*w->ctx.metrics));
		if (!w->ctx.metrics) {
			free(w->ctx.flight);
			fprintf(stderr, "dmswap-trace: out of memory\n");
			return EXIT_KERNEL;
		}
		w->ctx.metrics->armed = true;
	}
	w->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_record, &w->ctx, NULL);
	if (!w->rb) {
		fprintf(stderr, "dmswap-trace: cannot open the ring buffer: %s\n", strerror(errno));
		free(w->ctx.flight);
		free(w->ctx.metrics);
		return EXIT_KERNEL;
	}
	return EXIT_OK;
}

void watch_start(struct watch *w, const struct caps_drop *caps)
{
	write_metrics(w);
	report_armed(w->session, w->ctx.sink, caps);
}

void watch_drop_caps(struct caps_drop *d)
{
	int err;

	/* Stacks: kallsyms shows addresses to the credentials that opened it. */
	err = ksym_keep_open();
	if (err)
		fprintf(stderr,
			"dmswap-trace: warning: cannot open /proc/kallsyms (%s): violation stacks "
			"will not be symbolized\n",
			strerror(-err));
	err = caps_drop_all(false, d);
	if (err)
		fprintf(stderr, "dmswap-trace: warning: could not drop every capability: %s\n",
			strerror(-err));
}

int watch_poll(struct watch *w, int timeout_ms)
{
	int err = ring_buffer__poll(w->rb, timeout_ms);

	if (err == -EINTR)
		return 0;
	if (err < 0 && !w->err)
		w->err = err;
	return err < 0 ? err : 0;
}

void watch_close(struct watch *w, struct summary *out)
{
	struct summary *sum = &w->ctx.sum;
	struct session *s = w->session;
	uint64_t kernel_violations;

	/* Everything already in the buffer is still reported. */
	ring_buffer__consume(w->rb);
	ring_buffer__free(w->rb);
	w->rb = NULL;
	free(w->ctx.flight);
	w->ctx.flight = NULL;
	if (w->ctx.metrics) {
		/* The last word: final counts, and no longer armed. */
		w->ctx.metrics->armed = false;
		write_metrics(w);
		free(w->ctx.metrics);
		w->ctx.metrics = NULL;
	}

	sum->mono_ns = clock_mono_ns();
	sum->dropped = session_counter(s, DMSWAP_CNT_DROPPED);
	/*
	 * Violations shown, plus any whose record the full ring buffer
	 * dropped: their device is unknown, so they count whatever --dev says.
	 */
	kernel_violations = session_counter(s, DMSWAP_CNT_VIOLATIONS);
	sum->violations = sum->shown_violations;
	if (kernel_violations > sum->by_type[DMSWAP_EV_VIOLATION])
		sum->violations += kernel_violations - sum->by_type[DMSWAP_EV_VIOLATION];
	sum->state_full = session_counter(s, DMSWAP_CNT_STATE_FULL);
	sinks_summary(w->ctx.sink, sum);
	if (w->err)
		fprintf(stderr, "dmswap-trace: reading events failed: %s\n", strerror(-w->err));
	if (out)
		*out = *sum;
}

int watch_run(struct session *s, const struct watch_opts *opts, struct sink *sink,
	      volatile bool *stop)
{
	uint64_t deadline = 0, interval, next_metrics, now;
	struct caps_drop caps;
	struct summary sum;
	struct watch w;
	int ret;

	ret = watch_open(&w, s, opts, sink);
	if (ret)
		return ret;
	watch_drop_caps(&caps);
	watch_start(&w, &caps);
	if (opts->duration_s > 0)
		deadline = clock_mono_ns() + (uint64_t)(opts->duration_s * 1e9);
	interval = (uint64_t)((opts->metrics_interval_s > 0 ? opts->metrics_interval_s : 10) * 1e9);
	next_metrics = clock_mono_ns() + interval;
	while (!*stop && !sink_failed(sink)) {
		if (opts->reopen && *opts->reopen) {
			*opts->reopen = false;
			/* SIGHUP: logrotate moved the log away; a new file of that name. */
			sinks_reopen(sink);
		}
		if (watch_poll(&w, 100) < 0)
			break;
		now = clock_mono_ns();
		if (now >= next_metrics) {
			write_metrics(&w);
			next_metrics = now + interval;
		}
		if (deadline && now >= deadline)
			break;
	}
	watch_close(&w, &sum);
	if (w.err)
		return EXIT_KERNEL;
	/* Stopped by SIGTERM/SIGINT: an orderly stop; violations are in the output. */
	if (*stop)
		return EXIT_OK;
	return sum.violations ? EXIT_VIOLATION : EXIT_OK;
}
