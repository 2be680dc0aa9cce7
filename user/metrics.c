// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "metrics.h"
#include "outfile.h"

#ifndef DMSWAP_VERSION
#define DMSWAP_VERSION "dev"
#endif

/* Upper bounds in seconds; TCG swaps take tens of ms, real ones less. */
static const double bucket_le[METRICS_BUCKETS] = { 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025,
						   0.05,   0.1,	   0.25,  0.5,	 1,    5 };

static void observe(struct metrics_hist *h, uint64_t ns)
{
	double s = ns / 1e9;

	for (int i = 0; i < METRICS_BUCKETS; i++)
		if (s <= bucket_le[i])
			h->buckets[i]++;
	h->count++;
	h->sum_s += s;
}

static struct metrics_series *series(struct metrics *m, const char *dev, uint32_t inv)
{
	for (size_t i = 0; i < m->nr_series; i++)
		if (m->series[i].inv == inv && !strcmp(m->series[i].dev, dev))
			return &m->series[i];
	if (m->nr_series == METRICS_SERIES) {
		m->series_dropped++;
		return NULL;
	}
	snprintf(m->series[m->nr_series].dev, DMSWAP_NAME_LEN, "%s", dev);
	m->series[m->nr_series].inv = inv;
	return &m->series[m->nr_series++];
}

void metrics_observe(struct metrics *m, const struct event_view *ev)
{
	const struct dmswap_event *e = ev->raw;
	struct metrics_series *s;

	if (e->type < DMSWAP_EV_MAX)
		m->events_by_type[e->type]++;
	switch (e->type) {
	case DMSWAP_EV_VIOLATION:
		s = series(m, ev->dev, e->violation.inv);
		if (s)
			s->count++;
		break;
	case DMSWAP_EV_SWAP:
		observe(&m->swap_seconds, e->dur_ns);
		s = series(m, ev->dev, 0);
		if (s && e->ret)
			s->failed++;
		else if (s)
			s->count++;
		break;
	case DMSWAP_EV_SUSPEND:
		observe(&m->suspend_seconds, e->dur_ns);
		break;
	}
}

/* Label values: device names and the kernel release, both shorter than a dm name. */
static void label(FILE *f, const char *v)
{
	char buf[ESCAPE_PROM_MAX(DMSWAP_NAME_LEN)];

	escape_prom(buf, sizeof(buf), v, strnlen(v, DMSWAP_NAME_LEN));
	fputs(buf, f);
}

static void hist(FILE *f, const char *name, const char *help, const struct metrics_hist *h)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (int i = 0; i < METRICS_BUCKETS; i++)
		fprintf(f, "%s_bucket{le=\"%g\"} %" PRIu64 "\n", name, bucket_le[i], h->buckets[i]);
	fprintf(f, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n", name, h->count);
	fprintf(f, "%s_sum %.9f\n%s_count %" PRIu64 "\n", name, h->sum_s, name, h->count);
}

static void write_all(FILE *f, const struct metrics *m, uint64_t dropped, uint64_t state_full,
		      const char *kernel)
{
	fprintf(f, "# HELP dmswap_violations_total Invariant violations detected.\n"
		   "# TYPE dmswap_violations_total counter\n");
	for (size_t i = 0; i < m->nr_series; i++) {
		if (!m->series[i].inv)
			continue;
		fprintf(f, "dmswap_violations_total{inv=\"INV-%u\",dev=\"", m->series[i].inv);
		label(f, m->series[i].dev);
		fprintf(f, "\"} %" PRIu64 "\n", m->series[i].count);
	}
	fprintf(f, "# HELP dmswap_swaps_total Table swaps (dm_swap_table) by result.\n"
		   "# TYPE dmswap_swaps_total counter\n");
	for (size_t i = 0; i < m->nr_series; i++) {
		if (m->series[i].inv)
			continue;
		fprintf(f, "dmswap_swaps_total{dev=\"");
		label(f, m->series[i].dev);
		fprintf(f, "\",result=\"ok\"} %" PRIu64 "\n", m->series[i].count);
		fprintf(f, "dmswap_swaps_total{dev=\"");
		label(f, m->series[i].dev);
		fprintf(f, "\",result=\"error\"} %" PRIu64 "\n", m->series[i].failed);
	}
	hist(f, "dmswap_swap_duration_seconds", "Duration of dm_swap_table.", &m->swap_seconds);
	hist(f, "dmswap_suspend_duration_seconds", "Duration of dm_suspend.", &m->suspend_seconds);
	fprintf(f,
		"# HELP dmswap_events_dropped_total Records lost because the ring buffer was "
		"full.\n"
		"# TYPE dmswap_events_dropped_total counter\n"
		"dmswap_events_dropped_total %" PRIu64 "\n"
		"# HELP dmswap_calls_untracked_total Calls not checked: per-task state map full.\n"
		"# TYPE dmswap_calls_untracked_total counter\n"
		"dmswap_calls_untracked_total %" PRIu64 "\n"
		"# HELP dmswap_metric_series_dropped_total Series beyond the tool's limit.\n"
		"# TYPE dmswap_metric_series_dropped_total counter\n"
		"dmswap_metric_series_dropped_total %" PRIu64 "\n"
		"# HELP dmswap_armed 1 while every probe is attached.\n"
		"# TYPE dmswap_armed gauge\n"
		"dmswap_armed %d\n"
		"# HELP dmswap_build_info Version of dmswap-trace.\n"
		"# TYPE dmswap_build_info gauge\n"
		"dmswap_build_info{version=\"%s\"} 1\n"
		"# HELP dmswap_kernel_info Kernel dmswap-trace runs on.\n"
		"# TYPE dmswap_kernel_info gauge\n"
		"dmswap_kernel_info{release=\"",
		dropped, state_full, m->series_dropped, m->armed ? 1 : 0, DMSWAP_VERSION);
	label(f, kernel);
	fprintf(f, "\"} 1\n");
}

int metrics_write(const struct metrics *m, const char *path, uint64_t dropped, uint64_t state_full,
		  const char *kernel)
{
	struct outfile o;
	int err = outfile_open(&o, path, METRICS_MODE);

	if (err)
		return err;
	write_all(o.f, m, dropped, state_full, kernel);
	return outfile_commit(&o);
}
