// SPDX-License-Identifier: GPL-2.0
/* Human-readable timeline on a terminal (escaped: names are user data). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "clock.h"
#include "escape.h"
#include "fields.h"
#include "invariants.h"
#include "ksyms.h"
#include "outfile.h"
#include "sink_text.h"

/* Syslog severities that journald reads from a "<N>" line prefix. */
#define PRIO_ERR "<3>"
#define PRIO_NOTICE "<5>"
#define PRIO_INFO "<6>"

static const char *prio(const struct text_sink *s, const char *level)
{
	return s->opts.syslog ? level : "";
}

static void fmt_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 1000000000ull)
		snprintf(buf, len, "%.3f s", ns / 1e9);
	else
		snprintf(buf, len, "%.3f ms", ns / 1e6);
}

static void print_swap_details(FILE *out, const struct dmswap_event *e)
{
	const struct dmswap_swap_info *si = &e->swap;
	const struct dmswap_dev_state *st = e->ret ? &si->before : &si->after;
	char types[DMSWAP_MAX_TYPES * (ESCAPE_TERM_MAX(DMSWAP_TYPE_LEN) + 1)] = "";

	for (uint32_t i = 0; i < si->num_types; i++) {
		char esc[ESCAPE_TERM_MAX(DMSWAP_TYPE_LEN)];

		escape_term(esc, sizeof(esc), si->types[i], DMSWAP_TYPE_LEN);
		if (i)
			strcat(types, ",");
		strcat(types, esc);
	}
	fprintf(out, "  %" PRIu64 " -> %" PRIu64 " sectors, %u target%s [%s]",
		(uint64_t)si->before.capacity, (uint64_t)si->table_sectors, si->num_targets,
		si->num_targets == 1 ? "" : "s", types);
	if (e->ret) {
		/* Failed: the old table should still be live; show what is. */
		fprintf(out, "; live: %" PRIu64 " sectors, zoned %s", (uint64_t)si->after.capacity,
			zoned_name(si->after.zoned));
		return;
	}
	fprintf(out, "; zoned %s", zoned_name(st->zoned));
	if (st->zoned != DMSWAP_ZONED_NONE)
		fprintf(out, ", zone append %s, %u zones", zone_append_name(st->zone_append),
			st->nr_zones);
}

/* A violation: one line that says it all, then the evidence and the stack. */
static void text_violation(struct text_sink *s, const struct event_view *ev, const char *ts,
			   const char *dev, const char *comm)
{
	const struct dmswap_event *e = ev->raw;
	const struct dmswap_violation_info *v = &e->violation;
	const struct ksym_table *ksyms = ksym_running();
	int frames = v->stack_bytes > 0 ? v->stack_bytes / 8 : 0;
	char before[64], after[64], sym[256], line[256];
	unsigned long fixes;

	if (!ratelimit_allow(s->opts.ratelimit, v->inv, ev->dev))
		return;
	fprintf(s->out, "%s%s %-12s %3u:%-3u ", prio(s, PRIO_ERR), ts, dev, e->major, e->minor);
	if (e->swap_id)
		fprintf(s->out, "#%-4" PRIu64 " ", (uint64_t)e->swap_id);
	else
		fprintf(s->out, "%-5s ", "-");
	fprintf(s->out, "VIOLATION INV-%u: %s  %s[%u]\n", v->inv, invariant_rule(v->inv, v->code),
		comm, e->pid);
	fixes = invariant_rule_fixes(v->inv, v->code);
	for (int i = 0; i < FIX_END; i++)
		if (fixes & 1ul << i) {
			upstream_fix_format(&upstream_fixes[i], line, sizeof(line));
			fprintf(s->out, "%s    upstream: %s\n", prio(s, PRIO_ERR), line);
		}
	for (uint32_t i = 0; i < v->nr_evidence; i++) {
		const struct dmswap_evidence *x = &v->evidence[i];

		field_format_change(x->field, x->before, x->after, before, after, sizeof(before));
		if (x->kind == DMSWAP_EVK_CHANGED)
			fprintf(s->out, "%s    %-34s %s -> %s\n", prio(s, PRIO_ERR),
				field_name(x->field), before, after);
		else
			fprintf(s->out, "%s    %-34s %s\n", prio(s, PRIO_ERR), field_name(x->field),
				after);
	}
	for (int i = 0; i < frames && i < DMSWAP_STACK_DEPTH; i++) {
		ksym_format(ksyms, v->stack[i], sym, sizeof(sym));
		if (!ksym_is_bpf(sym))
			fprintf(s->out, "%s      %s\n", prio(s, PRIO_ERR), sym);
	}
	outfile_flush(s->out);
}

static void text_event(struct sink *sink, const struct event_view *ev)
{
	struct text_sink *s = sink_of(sink, struct text_sink);
	const struct dmswap_event *e = ev->raw;
	char ts[32], dur[32], ret[24], id[24] = "-";
	char dev[ESCAPE_TERM_MAX(DMSWAP_NAME_LEN)], comm[ESCAPE_TERM_MAX(DMSWAP_COMM_LEN)];

	clock_format_hms(ts, sizeof(ts), ev->wall_ns);
	fmt_dur(dur, sizeof(dur), e->dur_ns);
	event_format_ret(ret, sizeof(ret), e->ret);
	escape_term(dev, sizeof(dev), ev->dev, sizeof(ev->dev));
	escape_term(comm, sizeof(comm), e->comm, sizeof(e->comm));
	if (e->swap_id)
		snprintf(id, sizeof(id), "#%" PRIu64, (uint64_t)e->swap_id);
	if (e->type == DMSWAP_EV_VIOLATION) {
		text_violation(s, ev, ts, dev, comm);
		return;
	}
	if (s->sink.violations_only)
		return;

	fprintf(s->out, "%s%s %-12s %3u:%-3u %-5s %-12s %-7s %10s  %s[%u]", prio(s, PRIO_INFO), ts,
		dev, e->major, e->minor, id, event_type_name(e->type), ret, dur, comm, e->pid);
	switch (e->type) {
	case DMSWAP_EV_SUSPEND:
		if (e->suspend.flags & 2)
			fprintf(s->out, "  noflush");
		break;
	case DMSWAP_EV_SWAP:
		print_swap_details(s->out, e);
		break;
	case DMSWAP_EV_REVALIDATE:
		fprintf(s->out, "  %u zones", e->revalidate.nr_zones);
		break;
	case DMSWAP_EV_REPORT_ZONES:
		fprintf(s->out, "  sector %" PRIu64 ", ", (uint64_t)e->report.sector);
		/* BLK_ALL_ZONES: the revalidation's report of every zone. */
		if (e->report.nr_zones == UINT32_MAX)
			fprintf(s->out, "all zones");
		else
			fprintf(s->out, "%u zones", e->report.nr_zones);
		fprintf(s->out, "%s%s", e->report.map_used ? ", table used" : "",
			e->report.in_swap ? ", inside the swap" : "");
		break;
	}
	fputc('\n', s->out);
	outfile_flush(s->out);
}

/* "; capabilities dropped: CAP_BPF, ... (none held now, bounding set emptied)" */
static void text_caps(FILE *out, const struct caps_drop *d)
{
	char names[512];

	if (!d) {
		fprintf(out, "; capabilities kept (explore attaches again for every run)");
		return;
	}
	caps_set_names(d->held, names, sizeof(names));
	if (!d->err) {
		fprintf(out, "; capabilities dropped: %s (none held now, bounding set %s)", names,
			d->bounding ? "emptied" : "kept: no CAP_SETPCAP, no new privileges");
		return;
	}
	caps_set_names(d->after.prm, names, sizeof(names));
	fprintf(out, "; capabilities not all dropped (%s): still held: %s", strerror(-d->err),
		names);
}

static void text_armed(struct sink *sink, const struct armed_info *info)
{
	struct text_sink *s = sink_of(sink, struct text_sink);
	size_t own = info->nr_fentry + info->nr_kprobe + info->nr_absent, n = 0;

	/* Partial attachment said as such: "N of M", and which hooks are absent. */
	fprintf(s->diag,
		"%sdmswap-trace: armed: %zu of %zu hooks attached (%zu fentry, %zu kprobe)",
		prio(s, PRIO_NOTICE), info->nr_fentry + info->nr_kprobe, own, info->nr_fentry,
		info->nr_kprobe);
	for_each_hook (h)
		if (info->res[hook_index(h)].mech == PROBE_ABSENT)
			fprintf(s->diag, "%s%s", n++ ? ", " : ", absent: ", h->name);
	if (info->nr_observed)
		fprintf(s->diag, ", %zu observed at another hook", info->nr_observed);
	fprintf(s->diag, "; on %s in %.1f ms", info->kernel, info->start_to_armed_ns / 1e6);
	text_caps(s->diag, info->caps);
	fputc('\n', s->diag);
	if (!s->opts.no_header)
		fprintf(s->out, "%s%-15s %-12s %-7s %-5s %-12s %-7s %10s  %s\n",
			prio(s, PRIO_NOTICE), "TIME", "DEVICE", "DEVT", "SWAP", "EVENT", "RESULT",
			"DURATION", "TASK / DETAILS");
	outfile_flush(s->out);
	fflush(s->diag);
}

static void text_summary(struct sink *sink, const struct summary *sum)
{
	struct text_sink *s = sink_of(sink, struct text_sink);
	ratelimit_report(s->opts.ratelimit, s->diag, prio(s, PRIO_NOTICE));
	fprintf(s->diag,
		"%sdmswap-trace: summary: %" PRIu64 " events (%" PRIu64 " shown), %" PRIu64
		" violations, %" PRIu64 " dropped",
		prio(s, PRIO_NOTICE), sum->events, sum->shown, sum->violations, sum->dropped);
	for (int n = 1; n < DMSWAP_INV_SLOTS; n++)
		if (sum->by_inv[n])
			fprintf(s->diag, ", INV-%d: %" PRIu64, n, sum->by_inv[n]);
	if (sum->state_full)
		fprintf(s->diag, ", %" PRIu64 " calls untracked (state map full)", sum->state_full);
	if (sum->malformed)
		fprintf(s->diag, ", %" PRIu64 " malformed records", sum->malformed);
	fputc('\n', s->diag);
	fflush(s->diag);
}

static bool text_failed(const struct sink *sink)
{
	return ferror(sink_of(sink, const struct text_sink)->out);
}

static void text_close(struct sink *sink)
{
	outfile_flush(sink_of(sink, struct text_sink)->out);
}

static const struct sink_ops text_ops = {
	.armed = text_armed,
	.event = text_event,
	.summary = text_summary,
	.failed = text_failed,
	.close = text_close,
};

struct sink *sink_text_init(struct text_sink *t, FILE *out, FILE *diag,
			    const struct text_opts *opts)
{
	memset(t, 0, sizeof(*t));
	t->sink.ops = &text_ops;
	t->out = out;
	t->diag = diag;
	if (opts)
		t->opts = *opts;
	return &t->sink;
}
