// SPDX-License-Identifier: GPL-2.0
/*
 * "report --trace-event OUT": the Trace Event Format (the JSON object form:
 * {"traceEvents": [...], "displayTimeUnit": "ms"}), as Perfetto and
 * chrome://tracing read it.  Each event has "name", "ph", "ts" (µs), "pid"
 * and "tid"; complete events ("X") have "dur" (µs), instant events ("i")
 * a scope "s" ("t": the thread, "p": the process), metadata events ("M")
 * name the processes and threads in "args".
 *
 * A process per host (or per file, for logs without the host: older ones),
 * a thread per device instance; ts is the wall clock, so the hosts line up.
 * The cycles and violations are those shown (the filters apply).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report_json.h"
#include "report_model.h"
#include "report_trace.h"

/* Frames kept per violation, as on the page. */
#define STACK_MAX 32

struct track {
	const char *origin, *dev;
	unsigned int instance;
};

struct tracks {
	const char **origins; /* sorted, distinct: pid = index + 1 */
	size_t nr_origins;
	struct track *threads; /* sorted, distinct: tid = index + 1 */
	size_t nr_threads;
};

static const char *origin_of(const struct report *r, size_t session)
{
	const struct rsession *s = &r->sessions[session];

	return s->host ? s->host : r->files[s->file].name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_track(const void *pa, const void *pb)
{
	const struct track *a = pa, *b = pb;
	int c = strcmp(a->origin, b->origin);

	if (!c)
		c = strcmp(a->dev, b->dev);
	return c ? c : (a->instance > b->instance) - (a->instance < b->instance);
}

static size_t dedup(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t k = 0;

	qsort(base, n, size, cmp);
	for (size_t i = 0; i < n; i++) {
		if (k && !cmp(b + (k - 1) * size, b + i * size))
			continue;
		memmove(b + k * size, b + i * size, size);
		k++;
	}
	return k;
}

static int make_tracks(const struct report *r, struct tracks *t)
{
	size_t n = 0;

	t->origins = calloc(r->nr_sessions + 1, sizeof(*t->origins));
	t->threads = calloc(r->nr_cycles + r->nr_viols + 1, sizeof(*t->threads));
	if (!t->origins || !t->threads)
		return -1;
	for (size_t i = 0; i < r->nr_sessions; i++) {
		if (r->sessions[i].same == i)
			t->origins[n++] = origin_of(r, i);
	}
	t->nr_origins = dedup(t->origins, n, sizeof(*t->origins), cmp_str);
	n = 0;
	for (size_t i = 0; i < r->nr_cycles; i++) {
		const struct cycle *c = &r->cycles[i];

		if (c->shown)
			t->threads[n++] =
				(struct track){ origin_of(r, c->session), S(c->dev), c->instance };
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		const struct viol *v = &r->viols[i];

		if (v->shown)
			t->threads[n++] =
				(struct track){ origin_of(r, v->session), S(v->dev), v->instance };
	}
	t->nr_threads = dedup(t->threads, n, sizeof(*t->threads), cmp_track);
	return 0;
}

static size_t pid_of(const struct tracks *t, const char *origin)
{
	const char **p = bsearch(&origin, t->origins, t->nr_origins, sizeof(*t->origins), cmp_str);

	return p ? (size_t)(p - t->origins) + 1 : 0;
}

static size_t tid_of(const struct tracks *t, struct track k)
{
	const struct track *p =
		bsearch(&k, t->threads, t->nr_threads, sizeof(*t->threads), cmp_track);

	return p ? (size_t)(p - t->threads) + 1 : 0;
}

static void put_meta(struct tracks *t, struct json *j)
{
	for (size_t i = 0; i < t->nr_origins; i++) {
		json_object_begin(j);
		json_str(j, "name", "process_name");
		json_str(j, "ph", "M");
		json_uint(j, "pid", i + 1);
		json_uint(j, "tid", 0);
		json_key_object(j, "args");
		json_str(j, "name", t->origins[i]);
		json_object_end(j);
		json_object_end(j);
	}
	for (size_t i = 0; i < t->nr_threads; i++) {
		const struct track *k = &t->threads[i];

		json_object_begin(j);
		json_str(j, "name", "thread_name");
		json_str(j, "ph", "M");
		json_uint(j, "pid", pid_of(t, k->origin));
		json_uint(j, "tid", i + 1);
		json_key_object(j, "args");
		if (k->instance > 1) {
			/* The same name, another device: the thread says which. */
			size_t n = strlen(k->dev) + 32;
			char *name = malloc(n);

			if (!name) {
				j->failed = true;
				return;
			}
			snprintf(name, n, "%s (instance %u)", k->dev, k->instance);
			json_str(j, "name", name);
			free(name);
		} else {
			json_str(j, "name", k->dev);
		}
		json_object_end(j);
		json_object_end(j);
	}
}

/* A start of the tool: an instant on its host's process (a restart shows). */
static void put_sessions(const struct report *r, struct tracks *t, struct json *j)
{
	char name[48];

	for (size_t i = 0; i < r->nr_sessions; i++) {
		const struct rsession *s = &r->sessions[i];

		if (s->same != i || s->ts_us == REPORT_NO_TIME)
			continue;
		snprintf(name, sizeof(name), "session %u%s", s->number,
			 s->orphan ? " (no armed line)" : ": armed");
		json_object_begin(j);
		json_str(j, "name", name);
		json_str(j, "cat", "session");
		json_str(j, "ph", "i");
		json_str(j, "s", "p");
		json_int(j, "ts", s->ts_us);
		json_uint(j, "pid", pid_of(t, origin_of(r, i)));
		json_uint(j, "tid", 0);
		json_key_object(j, "args");
		json_uint(j, "session", s->number);
		if (s->host)
			json_str(j, "host", s->host);
		if (s->boot_id)
			json_str(j, "boot_id", s->boot_id);
		if (s->started)
			json_str(j, "started", s->started);
		if (s->kernel)
			json_str(j, "kernel", s->kernel);
		json_str(j, "file", r->files[s->file].name);
		json_uint(j, "line", s->line);
		json_object_end(j);
		json_object_end(j);
	}
}

static void put_cycle(const struct report *r, struct tracks *t, struct json *j,
		      const struct cycle *c)
{
	struct cycle_row row;
	char label[48], name[200];
	int64_t start, end;

	if (!report_cycle_span(c, &start, &end))
		return;
	report_cycle_row(c, &row);
	report_cycle_label(r, c, label, sizeof(label));
	snprintf(name, sizeof(name), "swap %s: %s", label, row.result);
	json_object_begin(j);
	json_str(j, "name", name);
	json_str(j, "cat", c->failed ? "cycle,failed" : c->resumed ? "cycle,ok" : "cycle,noresume");
	json_str(j, "ph", "X");
	json_int(j, "ts", start);
	/* A cycle shorter than a µs is still drawn. */
	json_int(j, "dur", end > start ? end - start : 1);
	json_uint(j, "pid", pid_of(t, origin_of(r, c->session)));
	json_uint(j, "tid",
		  tid_of(t, (struct track){ origin_of(r, c->session), S(c->dev), c->instance }));
	json_key_object(j, "args");
	json_str(j, "cycle", label);
	json_uint(j, "session", r->sessions[c->session].number);
	json_uint(j, "swap_id", c->swap_id);
	json_str(j, "start", S(c->ts));
	json_str(j, "targets", row.targets);
	json_str(j, "sectors", row.size);
	json_str(j, "result", row.result);
	json_str(j, "duration", row.dur);
	json_uint(j, "violations", c->nr_viols);
	json_object_end(j);
	json_object_end(j);
}

static void put_violation(const struct report *r, struct tracks *t, struct json *j,
			  struct jp_doc *doc, const struct viol *v)
{
	const struct jp_value *o = NULL;
	struct jp_error jerr;
	const char *origin = origin_of(r, v->session);
	size_t n;
	int64_t i;

	if (v->ts_us == REPORT_NO_TIME)
		return;
	/* It parsed when read: only memory can fail it now. */
	if (v->json) {
		o = jp_parse(doc, v->json, strlen(v->json), &jerr);
		if (!o)
			j->failed = true;
	}
	json_object_begin(j);
	json_str(j, "name", S(v->inv));
	json_str(j, "cat", "violation");
	json_str(j, "ph", "i");
	json_str(j, "s", "t");
	json_int(j, "ts", v->ts_us);
	json_uint(j, "pid", pid_of(t, origin));
	json_uint(j, "tid", tid_of(t, (struct track){ origin, S(v->dev), v->instance }));
	json_key_object(j, "args");
	json_uint(j, "violation", v->number);
	json_str(j, "message", S(v->message));
	if (jp_int64(jp_get(o, "rule"), &i))
		json_int(j, "rule", i);
	json_uint(j, "session", r->sessions[v->session].number);
	if (v->in_swap)
		json_uint(j, "swap_id", v->swap_id);
	else
		json_null(j, "swap_id");
	json_str(j, "dev", S(v->dev));
	if (v->devt)
		json_str(j, "devt", v->devt);
	if (jp_get_str(o, "comm", &n))
		report_put_esc(j, "comm", jp_get_str(o, "comm", NULL), n);
	if (jp_int64(jp_get(o, "pid"), &i))
		json_int(j, "task_pid", i);
	json_str(j, "line", r->files[v->file].name);
	json_uint(j, "line_number", v->line);
	report_put_evidence(j, jp_get(o, "evidence"));
	report_put_stack(j, jp_get(o, "stack"), STACK_MAX);
	report_put_fixes(j, v);
	json_object_end(j);
	json_object_end(j);
}

static int build(const struct report *r, struct json *j)
{
	struct tracks t = {};
	struct jp_doc doc;

	if (make_tracks(r, &t)) {
		free(t.origins);
		free(t.threads);
		return -1;
	}
	jp_doc_init(&doc);
	json_object_begin(j);
	json_array_begin(j, "traceEvents");
	put_meta(&t, j);
	put_sessions(r, &t, j);
	for (size_t i = 0; i < r->nr_cycles && !j->failed; i++) {
		if (r->cycles[i].shown)
			put_cycle(r, &t, j, &r->cycles[i]);
	}
	for (size_t i = 0; i < r->nr_viols && !j->failed; i++) {
		if (r->viols[i].shown)
			put_violation(r, &t, j, &doc, &r->viols[i]);
	}
	json_array_end(j);
	json_str(j, "displayTimeUnit", "ms");
	json_key_object(j, "otherData");
	json_str(j, "generator", "dmswap-trace " DMSWAP_VERSION);
	json_object_end(j);
	json_object_end(j);
	jp_doc_free(&doc);
	free(t.origins);
	free(t.threads);
	return j->failed ? -1 : 0;
}

int report_trace_write(const struct report *r, struct outfile *o, const char *path, FILE *err)
{
	struct json j = {};
	char *name;
	int e;

	if (build(r, &j)) {
		fprintf(err, REPORT_PFX "out of memory for the trace events\n");
		json_free(&j);
		outfile_abort(o);
		return -1;
	}
	errno = 0;
	fwrite(j.buf, 1, j.len, o->f);
	fputc('\n', o->f);
	json_free(&j);
	e = outfile_commit(o);
	if (!e)
		return 0;
	name = malloc(REPORT_ESC_MAX(strlen(path)));
	if (name)
		report_esc_into(name, REPORT_ESC_MAX(strlen(path)), path, strlen(path));
	fprintf(err, REPORT_PFX "cannot write %s: %s\n", name ? name : "the trace events",
		outfile_strerror(-e));
	free(name);
	return -1;
}
