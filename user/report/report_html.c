// SPDX-License-Identifier: GPL-2.0
/*
 * The page of "report --html": its static parts (page.html, report_page.h)
 * around one JSON object, the data, that its script draws from.  The data
 * holds what the text report prints, plus what only fits in a tooltip: each
 * cycle's wall-clock span and each violation's evidence and stack, parsed
 * again from the violation's line.  Strings are escaped as on the terminal,
 * as the text report shows them, then as JSON; the script puts them in the
 * page as text, never as markup.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"
#include "jsonparse.h"
#include "report_html.h"
#include "report_json.h"
#include "report_model.h"
#include "report_page.h"

#define PFX REPORT_PFX
/* Frames kept per violation: the tooltip shows the first few. */
#define STACK_MAX 32

static void say_error(FILE *err, const char *path, int e)
{
	size_t n = strlen(path);
	char *name = malloc(ESCAPE_TERM_MAX(n));

	if (name)
		escape_term(name, ESCAPE_TERM_MAX(n), path, n);
	fprintf(err, PFX "cannot write %s: %s\n", name ? name : "the HTML page",
		outfile_strerror(e));
	free(name);
}

int report_html_open(struct outfile *o, const char *path, FILE *err)
{
	/* Readable by others, unlike the 0600 log: the page is made to be passed on. */
	int ret = outfile_open(o, path, REPORT_HTML_MODE);

	if (ret)
		say_error(err, path, -ret);
	return ret;
}

static void put_file(struct json *j, const struct report *r, size_t fi)
{
	const struct rfile *f = &r->files[fi];

	json_object_begin(j);
	json_str(j, "name", S(f->name));
	json_bool(j, "gzip", f->gzip);
	json_uint(j, "lines", f->lines);
	json_uint(j, "events", f->events);
	json_uint(j, "violations", f->violations);
	json_uint(j, "skipped", f->skipped);
	json_bool(j, "torn", f->torn);
	json_bool(j, "not_a_log", f->not_a_log);
	json_uint(j, "dropped", f->dropped);
	if (f->read_errno)
		json_str(j, "error", strerror(f->read_errno));
	else
		json_null(j, "error");
	json_object_end(j);
}

static void put_opt(struct json *j, const char *key, const char *s)
{
	if (s)
		json_str(j, key, s);
	else
		json_null(j, key);
}

/* The sessions, by number: a start of the tool each. */
static void put_sessions(struct json *j, const struct report *r)
{
	size_t n = 0;
	const struct rsession **order = calloc(r->nr_sessions + 1, sizeof(*order));

	if (!order) {
		j->failed = true;
		return;
	}
	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].same == i) {
			order[r->sessions[i].number - 1] = &r->sessions[i];
			n++;
		}
	}
	json_array_begin(j, "sessions");
	for (size_t i = 0; i < n; i++) {
		const struct rsession *s = order[i];

		json_object_begin(j);
		json_uint(j, "number", s->number);
		json_str(j, "origin", s->host ? s->host : r->files[s->file].name);
		put_opt(j, "host", s->host);
		put_opt(j, "boot_id", s->boot_id);
		put_opt(j, "started", s->started);
		put_opt(j, "kernel", s->kernel);
		json_str(j, "ts", S(s->ts));
		if (s->ts_us != REPORT_NO_TIME)
			json_int(j, "ts_us", s->ts_us);
		else
			json_null(j, "ts_us");
		json_bool(j, "armed", !s->orphan);
		json_str(j, "file", r->files[s->file].name);
		json_uint(j, "line", s->line);
		json_uint(j, "cycles", s->cycles);
		json_uint(j, "violations", s->violations);
		json_object_end(j);
	}
	json_array_end(j);
	free(order);
}

static void put_stats(struct json *j, const struct report *r)
{
	json_array_begin(j, "devices");
	for (size_t i = 0; i < r->nr_stats; i++) {
		const struct dev_stats *st = &r->stats[i];

		json_object_begin(j);
		json_str(j, "host", st->host);
		json_str(j, "dev", st->dev);
		json_uint(j, "cycles", st->cycles);
		json_uint(j, "swaps", st->swaps);
		json_uint(j, "failures", st->failures);
		json_uint(j, "violations", st->violations);
		if (st->have_swap) {
			json_uint(j, "swap_p50_ns", st->swap_p50);
			json_uint(j, "swap_p99_ns", st->swap_p99);
		} else {
			json_null(j, "swap_p50_ns");
			json_null(j, "swap_p99_ns");
		}
		if (st->have_suspend) {
			json_uint(j, "suspend_p50_ns", st->suspend_p50);
			json_uint(j, "suspend_p99_ns", st->suspend_p99);
		} else {
			json_null(j, "suspend_p50_ns");
			json_null(j, "suspend_p99_ns");
		}
		json_object_end(j);
	}
	json_array_end(j);
}

/* Violations by invariant and device, in the text report's order. */
static void put_counts(struct json *j, const struct report *r)
{
	const struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));
	size_t n = 0;

	if (!vs) {
		j->failed = true;
		return;
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (r->viols[i].shown)
			vs[n++] = &r->viols[i];
	}
	qsort(vs, n, sizeof(*vs), report_cmp_viol_inv);
	json_array_begin(j, "counts");
	for (size_t i = 0, k; i < n; i = k) {
		for (k = i; k < n && !report_cmp_viol_inv(&vs[i], &vs[k]); k++) {
		}
		json_object_begin(j);
		json_str(j, "inv", S(vs[i]->inv));
		json_str(j, "dev", S(vs[i]->dev));
		json_uint(j, "count", k - i);
		json_object_end(j);
	}
	json_array_end(j);
	free(vs);
}

static void put_cycle(struct json *j, const struct report *r, const struct cycle *c)
{
	const struct rsession *s = &r->sessions[c->session];
	struct cycle_row row;
	char label[48];
	int64_t start, end;
	size_t nr_swaps = 0, n = 0;

	report_cycle_row(c, &row);
	report_cycle_label(r, c, label, sizeof(label));
	json_object_begin(j);
	/* The anchor is #cycle-LABEL: the label drawn, and the text report's. */
	json_str(j, "label", label);
	json_uint(j, "session", s->number);
	json_str(j, "origin", s->host ? s->host : r->files[s->file].name);
	json_str(j, "dev", S(c->dev));
	put_opt(j, "devt", c->devt);
	json_uint(j, "instance", c->instance);
	json_uint(j, "swap_id", c->swap_id);
	json_str(j, "start", S(c->ts));
	if (report_cycle_span(c, &start, &end)) {
		json_int(j, "start_us", start);
		json_int(j, "end_us", end);
	} else {
		json_null(j, "start_us");
		json_null(j, "end_us");
	}
	json_str(j, "status", c->failed ? "failed" : c->resumed ? "ok" : "noresume");
	json_str(j, "targets", row.targets);
	json_str(j, "sectors", row.size);
	json_str(j, "result", row.result);
	json_str(j, "duration", row.dur);
	/* The swaps before the last, refused: the text report lists them too. */
	for (size_t k = 0; k < c->nr_recs; k++)
		nr_swaps += c->recs[k].type == REC_SWAP;
	json_array_begin(j, "swaps");
	for (size_t k = 0; k < c->nr_recs; k++) {
		const struct rec *x = &c->recs[k];
		char buf[64];

		if (x->type != REC_SWAP || ++n == nr_swaps)
			continue;
		json_object_begin(j);
		json_str(j, "targets", x->targets && *x->targets ? x->targets : "-");
		if (x->sized)
			snprintf(buf, sizeof(buf), "%" PRIu64 " -> %" PRIu64, x->old_sectors,
				 x->new_sectors);
		else
			snprintf(buf, sizeof(buf), "-");
		json_str(j, "sectors", buf);
		report_fmt_ret(buf, sizeof(buf), x);
		json_str(j, "result", buf);
		json_object_end(j);
	}
	json_array_end(j);
	/* By their numbers, as #violation-N names them. */
	json_array_begin(j, "violations");
	for (size_t k = 0; k < c->nr_viols; k++) {
		if (c->viols[k]->shown)
			json_uint(j, NULL, c->viols[k]->number);
	}
	json_array_end(j);
	json_object_end(j);
}

static void put_violation(struct json *j, struct jp_doc *doc, const struct report *r,
			  const struct viol *v, const char *cycle)
{
	const struct jp_value *o = NULL;
	struct jp_error jerr;
	size_t n = 0;
	int64_t i;

	/* It parsed when read: only memory can fail it now. */
	if (v->json) {
		o = jp_parse(doc, v->json, strlen(v->json), &jerr);
		if (!o)
			j->failed = true;
	}
	json_object_begin(j);
	json_uint(j, "number", v->number);
	json_uint(j, "file", v->file);
	json_uint(j, "line", v->line);
	json_uint(j, "session", r->sessions[v->session].number);
	json_str(j, "origin",
		 r->sessions[v->session].host ? r->sessions[v->session].host
					      : r->files[r->sessions[v->session].file].name);
	json_str(j, "dev", S(v->dev));
	json_uint(j, "instance", v->instance);
	json_str(j, "ts", S(v->ts));
	if (v->ts_us != REPORT_NO_TIME)
		json_int(j, "ts_us", v->ts_us);
	else
		json_null(j, "ts_us");
	if (v->in_swap)
		json_uint(j, "swap_id", v->swap_id);
	else
		json_null(j, "swap_id");
	put_opt(j, "cycle", cycle);
	json_str(j, "inv", S(v->inv));
	json_str(j, "message", S(v->message));
	if (jp_int64(jp_get(o, "rule"), &i))
		json_int(j, "rule", i);
	else
		json_null(j, "rule");
	if (jp_get_str(o, "comm", &n))
		report_put_esc(j, "comm", jp_get_str(o, "comm", NULL), n);
	else
		json_null(j, "comm");
	if (jp_int64(jp_get(o, "pid"), &i))
		json_int(j, "pid", i);
	else
		json_null(j, "pid");
	report_put_evidence(j, jp_get(o, "evidence"));
	report_put_stack(j, jp_get(o, "stack"), STACK_MAX);
	report_put_fixes(j, v);
	json_object_end(j);
}

static int cmp_number(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;

	return (a->number > b->number) - (a->number < b->number);
}

static int build_data(struct json *j, const struct report *r)
{
	/* Each violation's cycle label, by index in r->viols. */
	char(*cycle_of)[48] = calloc(r->nr_viols + 1, sizeof(*cycle_of));
	const struct viol **vs = calloc(r->nr_viols + 1, sizeof(*vs));
	struct jp_doc doc;
	size_t n = 0;

	if (!cycle_of || !vs) {
		free(cycle_of);
		free(vs);
		return -1;
	}
	jp_doc_init(&doc);
	for (size_t c = 0; c < r->nr_cycles; c++) {
		for (size_t k = 0; k < r->cycles[c].nr_viols; k++)
			report_cycle_label(r, &r->cycles[c],
					   cycle_of[r->cycles[c].viols[k] - r->viols],
					   sizeof(*cycle_of));
	}
	json_object_begin(j);
	json_str(j, "generator", "dmswap-trace " DMSWAP_VERSION);
	json_array_begin(j, "files");
	for (size_t i = 0; i < r->nr_files; i++)
		put_file(j, r, i);
	json_array_end(j);
	put_sessions(j, r);
	put_stats(j, r);
	put_counts(j, r);
	json_array_begin(j, "cycles");
	for (size_t i = 0; i < r->nr_cycles; i++) {
		if (r->cycles[i].shown)
			put_cycle(j, r, &r->cycles[i]);
	}
	json_array_end(j);
	/* In time order: the Nth is #violation-N. */
	for (size_t i = 0; i < r->nr_viols; i++) {
		if (r->viols[i].shown)
			vs[n++] = &r->viols[i];
	}
	qsort(vs, n, sizeof(*vs), cmp_number);
	json_array_begin(j, "violations");
	for (size_t i = 0; i < n && !j->failed; i++)
		put_violation(j, &doc, r, vs[i],
			      vs[i]->in_cycle ? cycle_of[vs[i] - r->viols] : NULL);
	json_array_end(j);
	json_object_end(j);
	jp_doc_free(&doc);
	free(cycle_of);
	free(vs);
	return j->failed ? -1 : 0;
}

/*
 * JSON inside <script>: the HTML parser ends the element at "</script" and
 * treats "<!--" specially, whatever the JSON says, so no '<' may stay raw.
 * '<', '>' and '&' only occur inside JSON strings, where \u003c etc. mean
 * the same to JSON.parse().
 */
static void put_script_json(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			fputs("\\u003c", f);
			break;
		case '>':
			fputs("\\u003e", f);
			break;
		case '&':
			fputs("\\u0026", f);
			break;
		default:
			putc(s[i], f);
		}
	}
}

int report_html_write(const struct report *r, struct outfile *o, const char *path, FILE *err)
{
	struct json j = {};
	int e;

	if (build_data(&j, r)) {
		fprintf(err, PFX "out of memory for the HTML page\n");
		json_free(&j);
		outfile_abort(o);
		return -1;
	}
	/* The first failed write sets errno: a full disk shows as such. */
	errno = 0;
	fputs(report_page_head, o->f);
	put_script_json(o->f, j.buf, j.len);
	fputs(report_page_tail, o->f);
	json_free(&j);
	e = outfile_commit(o);
	if (e) {
		say_error(err, path, -e);
		return -1;
	}
	return 0;
}
