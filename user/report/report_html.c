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
#include "report_model.h"
#include "report_page.h"

#define PFX "dmswap-trace: report: "
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

/* A string from a log: escaped for the terminal, as everything the report keeps. */
static void put_esc(struct json *j, const char *key, const char *s, size_t n)
{
	char stackbuf[256];
	size_t need = ESCAPE_TERM_MAX(n);
	char *buf = need <= sizeof(stackbuf) ? stackbuf : malloc(need);

	if (!buf) {
		j->failed = true;
		return;
	}
	json_strn(j, key, buf, escape_term(buf, need, s, n));
	if (buf != stackbuf)
		free(buf);
}

/* An evidence value, as text: the tooltip shows it, nothing computes on it. */
static void put_text(struct json *j, const char *key, const struct jp_value *v)
{
	char buf[40] = "";
	int64_t i;
	uint64_t u;
	double d;

	switch (jp_type(v)) {
	case JP_STRING:
		put_esc(j, key, v->str, v->str_len);
		return;
	case JP_NUMBER:
		if (jp_int64(v, &i))
			snprintf(buf, sizeof(buf), "%" PRId64, i);
		else if (jp_uint64(v, &u))
			snprintf(buf, sizeof(buf), "%" PRIu64, u);
		else if (jp_double(v, &d))
			snprintf(buf, sizeof(buf), "%.17g", d);
		break;
	case JP_BOOL:
		snprintf(buf, sizeof(buf), "%s", v->b ? "true" : "false");
		break;
	case JP_NULL:
		snprintf(buf, sizeof(buf), "%s", v ? "null" : "-");
		break;
	/* The tool writes nothing deeper than before/after. */
	case JP_ARRAY:
		snprintf(buf, sizeof(buf), "[...]");
		break;
	case JP_OBJECT:
		snprintf(buf, sizeof(buf), "{...}");
		break;
	}
	json_str(j, key, buf);
}

static void put_file(struct json *j, const struct rfile *f)
{
	json_object_begin(j);
	json_str(j, "name", S(f->name));
	json_uint(j, "lines", f->lines);
	json_uint(j, "events", f->events);
	json_uint(j, "violations", f->violations);
	json_array_begin(j, "kernels");
	for (size_t k = 0; k < f->nr_kernels; k++)
		json_str(j, NULL, f->kernels[k]);
	json_array_end(j);
	json_uint(j, "skipped", f->skipped);
	json_bool(j, "torn", f->torn);
	json_uint(j, "dropped", f->dropped);
	if (f->read_errno)
		json_str(j, "error", strerror(f->read_errno));
	else
		json_null(j, "error");
	json_object_end(j);
}

/* Violations by invariant and device, in the text report's order. */
static void put_counts(struct json *j, const struct report *r)
{
	const struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));

	if (!vs) {
		j->failed = true;
		return;
	}
	for (size_t i = 0; i < r->nr_viols; i++)
		vs[i] = &r->viols[i];
	qsort(vs, r->nr_viols, sizeof(*vs), report_cmp_viol_inv);
	json_array_begin(j, "counts");
	for (size_t i = 0, k; i < r->nr_viols; i = k) {
		for (k = i; k < r->nr_viols && !report_cmp_viol_inv(&vs[i], &vs[k]); k++) {
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

/* The colour of a bar: as the result column, the last swap and resume decide. */
static const char *cycle_status(const struct cycle *c)
{
	const struct rec *swap = NULL, *resume = NULL;

	for (size_t i = 0; i < c->nr_recs; i++) {
		if (c->recs[i].type == REC_SWAP)
			swap = &c->recs[i];
		else if (c->recs[i].type == REC_RESUME)
			resume = &c->recs[i];
	}
	if ((swap && swap->ret) || (resume && resume->ret))
		return "failed";
	return resume ? "ok" : "noresume";
}

/*
 * Wall-clock span, in microseconds: the monotonic span of the events, moved
 * to the wall clock by one of them (its ts is its mono_ns).  Differences
 * only, in microseconds, rounded: a damaged log's values cannot overflow,
 * and the duration is the text report's.
 */
static bool cycle_span(const struct cycle *c, int64_t *start, int64_t *end)
{
	bool have = false;

	for (size_t i = 0; i < c->nr_recs; i++) {
		const struct rec *x = &c->recs[i];

		if (x->ts_us == INT64_MAX)
			continue;
		if (c->timed && x->timed) {
			*start = x->ts_us - (int64_t)((x->mono_ns - c->start_ns + 500) / 1000);
			*end = *start + (int64_t)((c->end_ns - c->start_ns + 500) / 1000);
			return true;
		}
		if (!have || x->ts_us < *start)
			*start = x->ts_us;
		if (!have || x->ts_us > *end)
			*end = x->ts_us;
		have = true;
	}
	return have;
}

static void put_cycle(struct json *j, const struct report *r, const struct cycle *c)
{
	struct cycle_row row;
	int64_t start, end;
	size_t nr_swaps = 0, n = 0;

	report_cycle_row(c, &row);
	json_object_begin(j);
	json_uint(j, "file", c->file);
	json_str(j, "dev", S(c->dev));
	json_uint(j, "swap_id", c->swap_id);
	json_str(j, "start", S(c->ts));
	if (cycle_span(c, &start, &end)) {
		json_int(j, "start_us", start);
		json_int(j, "end_us", end);
	} else {
		json_null(j, "start_us");
		json_null(j, "end_us");
	}
	json_str(j, "status", cycle_status(c));
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
	json_array_begin(j, "violations");
	for (size_t k = 0; k < c->nr_viols; k++)
		json_uint(j, NULL, c->viols[k] - r->viols);
	json_array_end(j);
	json_object_end(j);
}

static void put_evidence(struct json *j, const struct jp_value *evidence)
{
	json_array_begin(j, "evidence");
	for (const struct jp_value *m = jp_first(evidence); m && jp_type(evidence) == JP_OBJECT;
	     m = jp_next(evidence, m)) {
		const struct jp_value *before = jp_get(m, "before"), *after = jp_get(m, "after");

		json_object_begin(j);
		put_esc(j, "field", m->key, m->key_len);
		if (before && after) {
			put_text(j, "before", before);
			put_text(j, "after", after);
		} else {
			put_text(j, "value", m);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

static void put_violation(struct json *j, struct jp_doc *doc, const struct viol *v, size_t cycle)
{
	const struct jp_value *o = NULL, *stack;
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
	json_uint(j, "file", v->file);
	json_uint(j, "line", v->line);
	json_str(j, "dev", S(v->dev));
	json_str(j, "ts", S(v->ts));
	if (v->ts_us != INT64_MAX)
		json_int(j, "ts_us", v->ts_us);
	else
		json_null(j, "ts_us");
	if (v->in_swap)
		json_uint(j, "swap_id", v->swap_id);
	else
		json_null(j, "swap_id");
	if (v->in_cycle)
		json_uint(j, "cycle", cycle);
	else
		json_null(j, "cycle");
	json_str(j, "inv", S(v->inv));
	json_str(j, "message", S(v->message));
	if (jp_int64(jp_get(o, "rule"), &i))
		json_int(j, "rule", i);
	else
		json_null(j, "rule");
	if (jp_get_str(o, "comm", &n))
		put_esc(j, "comm", jp_get_str(o, "comm", NULL), n);
	else
		json_null(j, "comm");
	if (jp_int64(jp_get(o, "pid"), &i))
		json_int(j, "pid", i);
	else
		json_null(j, "pid");
	put_evidence(j, jp_get(o, "evidence"));
	stack = jp_get(o, "stack");
	json_array_begin(j, "stack");
	n = 0;
	for (const struct jp_value *f = jp_first(stack); f && n < STACK_MAX;
	     f = jp_next(stack, f)) {
		if (jp_type(stack) == JP_ARRAY && jp_type(f) == JP_STRING) {
			put_esc(j, NULL, f->str, f->str_len);
			n++;
		}
	}
	json_array_end(j);
	json_object_end(j);
}

static int build_data(struct json *j, const struct report *r)
{
	size_t *cycle_of = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*cycle_of));
	struct jp_doc doc;

	if (!cycle_of)
		return -1;
	jp_doc_init(&doc);
	for (size_t c = 0; c < r->nr_cycles; c++) {
		for (size_t k = 0; k < r->cycles[c].nr_viols; k++)
			cycle_of[r->cycles[c].viols[k] - r->viols] = c;
	}
	json_object_begin(j);
	json_str(j, "generator", "dmswap-trace " DMSWAP_VERSION);
	json_array_begin(j, "files");
	for (size_t i = 0; i < r->nr_files; i++)
		put_file(j, &r->files[i]);
	json_array_end(j);
	put_counts(j, r);
	json_array_begin(j, "cycles");
	for (size_t i = 0; i < r->nr_cycles; i++)
		put_cycle(j, r, &r->cycles[i]);
	json_array_end(j);
	/* In the order read: the cycles name them by index. */
	json_array_begin(j, "violations");
	for (size_t i = 0; i < r->nr_viols && !j->failed; i++)
		put_violation(j, &doc, &r->viols[i], cycle_of[i]);
	json_array_end(j);
	json_object_end(j);
	jp_doc_free(&doc);
	free(cycle_of);
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
