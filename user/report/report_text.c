// SPDX-License-Identifier: GPL-2.0
/*
 * The text report of "dmswap-trace report": what was read (files and
 * sessions), per device the counts and durations an operator asks first,
 * the violations per invariant and device, the swap cycles of each session
 * and device in time order with their violations and the upstream fixes of
 * each, then the violations outside any cycle.  Every string in it was
 * escaped when read.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"

/*
 * Columns are as wide as their widest cell up to this; a longer cell
 * overflows its own row and pads no other: the output stays linear in
 * the input, whatever the names in it.
 */
#define COLUMN_MAX 32

static void fmt_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns >= 1000000000ull)
		snprintf(buf, len, "%.3f s", ns / 1e9);
	else
		snprintf(buf, len, "%.3f ms", ns / 1e6);
}

void report_fmt_ret(char *buf, size_t len, const struct rec *x)
{
	if (!x->ret)
		snprintf(buf, len, "ok");
	else if (x->err_name)
		snprintf(buf, len, "%s", x->err_name);
	else
		snprintf(buf, len, "ret %" PRId64, x->ret);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct kernels of the sessions armed in file @fi, sorted: n log n. */
static void print_kernels(struct report *r, size_t fi)
{
	const char **k = calloc(r->nr_sessions ? r->nr_sessions : 1, sizeof(*k));
	size_t n = 0;

	if (!k) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].file == fi && r->sessions[i].kernel)
			k[n++] = r->sessions[i].kernel;
	}
	qsort(k, n, sizeof(*k), cmp_str);
	for (size_t i = 0, shown = 0; i < n; i++) {
		if (i && !strcmp(k[i - 1], k[i]))
			continue;
		fprintf(r->out, "%s%s", shown++ ? ", " : "; kernel ", k[i]);
	}
	free(k);
}

static size_t nr_joined(const struct report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr_sessions; i++)
		n += r->sessions[i].same == i;
	return n;
}

static void print_header(struct report *r)
{
	unsigned long lines = 0, events = 0, violations = 0, read = 0;

	for (size_t i = 0; i < r->nr_files; i++) {
		lines += r->files[i].lines;
		events += r->files[i].events;
		violations += r->files[i].violations;
		read += !r->files[i].read_errno;
	}
	fprintf(r->out,
		"dmswap-trace report: %lu of %zu files read, %lu lines, %lu events, %lu "
		"violations\n",
		read, r->nr_files, lines, events, violations);
	for (size_t i = 0; i < r->nr_files; i++) {
		const struct rfile *f = &r->files[i];

		fprintf(r->out, "  %s: ", f->name);
		if (f->read_errno && !f->lines) {
			fprintf(r->out, "not read: %s\n", strerror(f->read_errno));
			continue;
		}
		fprintf(r->out, "%s%lu lines, %lu events, %lu violations", f->gzip ? "gzip, " : "",
			f->lines, f->events, f->violations);
		print_kernels(r, i);
		if (f->not_a_log)
			fprintf(r->out, "; no record: not a log");
		if (f->skipped)
			fprintf(r->out, "; %lu lines skipped", f->skipped);
		if (f->torn)
			fprintf(r->out, "; last line torn");
		if (f->dropped)
			fprintf(r->out, "; %lu events lost (ring buffer full)", f->dropped);
		if (f->read_errno)
			fprintf(r->out, "; read error: %s", strerror(f->read_errno));
		fputc('\n', r->out);
	}
}

/* "Session 2: host h, boot 0f1e..., started T, kernel K (FILE:LINE)". */
static void print_session(struct report *r, const struct rsession *s)
{
	fprintf(r->out, "Session %u: ", s->number);
	if (s->orphan) {
		fprintf(r->out, "no armed line (from %s:%lu)", r->files[s->file].name, s->line);
	} else if (!s->host && !s->boot_id && !s->started) {
		/* A log written before the armed line named them. */
		fprintf(r->out, "armed %s", S(s->ts));
	} else {
		fprintf(r->out, "host %s, boot %s, started %s", s->host ? s->host : "-",
			s->boot_id ? s->boot_id : "-", s->started ? s->started : "-");
	}
	if (!s->orphan) {
		if (s->kernel)
			fprintf(r->out, ", kernel %s", s->kernel);
		fprintf(r->out, " (%s:%lu)", r->files[s->file].name, s->line);
	}
}

static void print_sessions(struct report *r)
{
	size_t n = nr_joined(r);
	const struct rsession **order = calloc(n ? n : 1, sizeof(*order));

	if (!order) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].same == i)
			order[r->sessions[i].number - 1] = &r->sessions[i];
	}
	fprintf(r->out, "\nSessions (starts of the tool):%s\n", n ? "" : " none");
	for (size_t i = 0; i < n; i++) {
		fputs("  ", r->out);
		print_session(r, order[i]);
		fprintf(r->out, ": %lu cycles, %lu violations\n", order[i]->cycles,
			order[i]->violations);
	}
	free(order);
}

/* A column of width @w with a cell of @len: wider, up to COLUMN_MAX. */
static int widen(int w, size_t len)
{
	if (len > COLUMN_MAX)
		len = COLUMN_MAX;
	return (size_t)w > len ? w : (int)len;
}

static void print_devices(struct report *r)
{
	int w_host = 4, w_dev = 6;

	fprintf(r->out, "\nDevices:%s\n", r->nr_stats ? "" : " none");
	if (!r->nr_stats)
		return;
	for (size_t i = 0; i < r->nr_stats; i++) {
		w_host = widen(w_host, strlen(r->stats[i].host));
		w_dev = widen(w_dev, strlen(r->stats[i].dev));
	}
	fprintf(r->out, "  %-*s  %-*s  %6s  %6s  %8s  %10s  %10s  %10s  %10s  %10s\n", w_host,
		"HOST", w_dev, "DEVICE", "CYCLES", "SWAPS", "FAILURES", "VIOLATIONS", "SWAP p50",
		"SWAP p99", "SUSP p50", "SUSP p99");
	for (size_t i = 0; i < r->nr_stats; i++) {
		const struct dev_stats *st = &r->stats[i];
		char d[4][32] = { "-", "-", "-", "-" };

		if (st->have_swap) {
			fmt_dur(d[0], sizeof(d[0]), st->swap_p50);
			fmt_dur(d[1], sizeof(d[1]), st->swap_p99);
		}
		if (st->have_suspend) {
			fmt_dur(d[2], sizeof(d[2]), st->suspend_p50);
			fmt_dur(d[3], sizeof(d[3]), st->suspend_p99);
		}
		fprintf(r->out, "  %-*s  %-*s  %6lu  %6lu  %8lu  %10lu  %10s  %10s  %10s  %10s\n",
			w_host, st->host, w_dev, st->dev, st->cycles, st->swaps, st->failures,
			st->violations, d[0], d[1], d[2], d[3]);
	}
}

static void print_counts(struct report *r)
{
	struct viol **vs;
	size_t n = 0;
	int w_inv = 3, w_dev = 6;

	fprintf(r->out, "\nViolations by invariant and device:%s\n", r->shown_viols ? "" : " none");
	if (!r->shown_viols)
		return;
	vs = calloc(r->nr_viols, sizeof(*vs));
	if (!vs) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (!r->viols[i].shown)
			continue;
		vs[n] = &r->viols[i];
		w_inv = widen(w_inv, strlen(S(vs[n]->inv)));
		w_dev = widen(w_dev, strlen(S(vs[n]->dev)));
		n++;
	}
	qsort(vs, n, sizeof(*vs), report_cmp_viol_inv);
	fprintf(r->out, "  %-*s  %-*s  %5s\n", w_inv, "INV", w_dev, "DEVICE", "COUNT");
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && !report_cmp_viol_inv(&vs[i], &vs[j]); j++) {
		}
		fprintf(r->out, "  %-*s  %-*s  %5zu\n", w_inv, S(vs[i]->inv), w_dev, S(vs[i]->dev),
			j - i);
	}
	free(vs);
}

/*
 * Appends to the row's result. A log's errno names and return values are
 * arbitrary, so the result may not fit: it is cut, never overrun (snprintf
 * returns what it would have written, not what it wrote).
 */
static void __attribute__((format(printf, 2, 3)))
result_append(struct cycle_row *row, const char *fmt, ...)
{
	size_t len = strnlen(row->result, sizeof(row->result));
	va_list ap;

	if (len + 1 >= sizeof(row->result))
		return;
	va_start(ap, fmt);
	vsnprintf(row->result + len, sizeof(row->result) - len, fmt, ap);
	va_end(ap);
}

void report_cycle_row(const struct cycle *c, struct cycle_row *row)
{
	const struct rec *swap = NULL, *resume = NULL;
	size_t nr_swaps = 0;

	for (size_t i = 0; i < c->nr_recs; i++) {
		if (c->recs[i].type == REC_SWAP) {
			swap = &c->recs[i];
			nr_swaps++;
		} else if (c->recs[i].type == REC_RESUME) {
			resume = &c->recs[i];
		}
	}
	snprintf(row->id, sizeof(row->id), "%" PRIu64, c->swap_id);
	row->targets = swap && swap->targets && *swap->targets ? swap->targets : "-";
	if (swap && swap->sized)
		snprintf(row->size, sizeof(row->size), "%" PRIu64 " -> %" PRIu64, swap->old_sectors,
			 swap->new_sectors);
	else
		snprintf(row->size, sizeof(row->size), "-");
	if (swap)
		report_fmt_ret(row->result, sizeof(row->result), swap);
	else
		snprintf(row->result, sizeof(row->result), "no swap");
	if (nr_swaps > 1)
		result_append(row, " (%zu swaps)", nr_swaps);
	if (!resume) {
		result_append(row, ", no resume");
	} else if (resume->ret) {
		char ret[64];

		report_fmt_ret(ret, sizeof(ret), resume);
		result_append(row, ", resume %s", ret);
	}
	if (c->timed)
		fmt_dur(row->dur, sizeof(row->dur), c->end_ns - c->start_ns);
	else
		snprintf(row->dur, sizeof(row->dur), "-");
}

/* "upstream: COMMIT "TITLE" (mainline X; stable Y)", as the tool prints them. */
static void print_fixes(struct report *r, const struct viol *v, const char *indent)
{
	for (size_t k = 0; k < v->nr_fixes; k++) {
		const struct rfix *f = &v->fixes[k];

		fprintf(r->out, "%supstream: %s \"%s\" (mainline %s; stable %s)\n", indent,
			S(f->commit), S(f->title), f->mainline ? f->mainline : "not recorded",
			f->stable ? f->stable : "-");
	}
}

static void print_cycle_details(struct report *r, const struct cycle *c)
{
	size_t nr_swaps = 0;

	/* A cycle with several swaps (a table refused, then another): the earlier ones. */
	for (size_t k = 0; k < c->nr_recs; k++)
		nr_swaps += c->recs[k].type == REC_SWAP;
	for (size_t k = 0, n = 0; k < c->nr_recs && nr_swaps > 1; k++) {
		const struct rec *x = &c->recs[k];
		char ret[64];

		if (x->type != REC_SWAP || ++n == nr_swaps)
			continue;
		report_fmt_ret(ret, sizeof(ret), x);
		fprintf(r->out, "      swap %zu of %zu: %s", n, nr_swaps,
			x->targets && *x->targets ? x->targets : "-");
		if (x->sized)
			fprintf(r->out, " %" PRIu64 " -> %" PRIu64, x->old_sectors, x->new_sectors);
		fprintf(r->out, " %s\n", ret);
	}
	for (size_t k = 0; k < c->nr_viols; k++) {
		if (!c->viols[k]->shown)
			continue;
		fprintf(r->out, "      ! %s %s\n", S(c->viols[k]->inv), S(c->viols[k]->message));
		print_fixes(r, c->viols[k], "          ");
	}
}

static void print_timeline(struct report *r)
{
	int w_ts = 5, w_dev = 6, w_id = 4, w_tg = 7, w_size = 7, w_res = 6, w_dur = 8;
	struct cycle_row *rows;
	const struct cycle *prev = NULL;
	size_t shown = 0;

	for (size_t i = 0; i < r->nr_cycles; i++)
		shown += r->cycles[i].shown;
	fprintf(r->out, "\nSwap cycles by session and device, in time order:%s\n",
		shown ? "" : " none");
	if (!shown)
		return;
	rows = calloc(r->nr_cycles, sizeof(*rows));
	if (!rows) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_cycles; i++) {
		const struct cycle *c = &r->cycles[i];

		if (!c->shown)
			continue;
		report_cycle_row(c, &rows[i]);
		w_ts = widen(w_ts, strlen(S(c->ts)));
		w_dev = widen(w_dev, strlen(S(c->dev)));
		w_id = widen(w_id, strlen(rows[i].id));
		w_tg = widen(w_tg, strlen(rows[i].targets));
		w_size = widen(w_size, strlen(rows[i].size));
		w_res = widen(w_res, strlen(rows[i].result));
		w_dur = widen(w_dur, strlen(rows[i].dur));
	}
	for (size_t i = 0; i < r->nr_cycles; i++) {
		const struct cycle *c = &r->cycles[i];
		const struct cycle_row *row = &rows[i];

		if (!c->shown)
			continue;
		if (!prev || prev->session != c->session) {
			fputs(prev ? "\n" : "", r->out);
			print_session(r, &r->sessions[c->session]);
			fprintf(r->out, "\n  %-*s  %-*s  %*s  %-*s  %-*s  %-*s  %*s\n", w_ts,
				"START", w_dev, "DEVICE", w_id, "SWAP", w_tg, "TARGETS", w_size,
				"SECTORS", w_res, "RESULT", w_dur, "DURATION");
		} else if (strcmp(S(c->dev), S(prev->dev))) {
			fputc('\n', r->out);
		}
		/* The same name, another device: said where it starts. */
		if (c->instance > 1 &&
		    (!prev || prev->instance != c->instance || prev->session != c->session ||
		     strcmp(S(c->dev), S(prev->dev))))
			fprintf(r->out, "  (%s re-created%s%s: device instance %u)\n", S(c->dev),
				c->devt ? " as " : "", c->devt ? c->devt : "", c->instance);
		fprintf(r->out, "  %-*s  %-*s  %*s  %-*s  %-*s  %-*s  %*s\n", w_ts, S(c->ts), w_dev,
			S(c->dev), w_id, row->id, w_tg, row->targets, w_size, row->size, w_res,
			row->result, w_dur, row->dur);
		print_cycle_details(r, c);
		prev = c;
	}
	free(rows);
}

static int cmp_viol_time(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;

	return a->number < b->number ? -1 : a->number > b->number;
}

static void print_outside(struct report *r)
{
	struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));
	size_t n = 0;

	if (!vs) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (!r->viols[i].in_cycle && r->viols[i].shown)
			vs[n++] = &r->viols[i];
	}
	fprintf(r->out, "\nViolations outside any swap cycle:%s\n", n ? "" : " none");
	qsort(vs, n, sizeof(*vs), cmp_viol_time);
	for (size_t i = 0; i < n; i++) {
		fprintf(r->out, "  %s  %s  %s %s", S(vs[i]->ts), S(vs[i]->dev), S(vs[i]->inv),
			S(vs[i]->message));
		if (vs[i]->in_swap)
			fprintf(r->out, " (swap %" PRIu64 ")", vs[i]->swap_id);
		if (nr_joined(r) > 1)
			fprintf(r->out, "  [session %u]", r->sessions[vs[i]->session].number);
		fputc('\n', r->out);
		print_fixes(r, vs[i], "      ");
	}
	free(vs);
}

void report_print(struct report *r)
{
	print_header(r);
	print_sessions(r);
	print_devices(r);
	print_counts(r);
	print_timeline(r);
	print_outside(r);
}
