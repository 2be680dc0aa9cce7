// SPDX-License-Identifier: GPL-2.0
/*
 * "dmswap-trace report": logs are read whole into small records (only what
 * the report prints), then sorted: by file, device and swap_id to group the
 * events of each swap cycle and attach the violations to it, then by device
 * and wall-clock time for the timeline.  Wall-clock time, not mono_ns: the
 * monotonic clocks of different hosts are unrelated.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "jsonparse.h"
#include "report.h"
#include "report_html.h"
#include "report_model.h"

#ifndef DMSWAP_VERSION
#define DMSWAP_VERSION "dev"
#endif

#define PFX "dmswap-trace: report: "
/* Messages per file and kind of problem: a garbage file must not flood. */
#define WARN_SHOWN 5
/* Quoted input in messages (an unknown kind): enough to recognise it. */
#define QUOTE_MAX 64
/*
 * Columns are as wide as their widest cell up to this; a longer cell
 * overflows its own row and pads no other: the output stays linear in
 * the input, whatever the names in it.
 */
#define COLUMN_MAX 32

static const char *const warn_what[W_NR] = {
	[W_BINARY] = "binary",
	[W_NOT_JSON] = "non-JSON",
	[W_RECORD] = "malformed",
	[W_KIND] = "unknown-kind",
};

static int reserve_(struct report *r, void **arr, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *a;

	if (need <= *cap)
		return 0;
	a = realloc(*arr, c * size);
	if (!a) {
		r->oom = true;
		return -1;
	}
	*arr = a;
	*cap = c;
	return 0;
}

#define RESERVE(r, arr, cap, need) reserve_(r, (void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* Every string printed is user data: escape it once, when it is kept. */
static char *esc(struct report *r, const char *s, size_t n)
{
	char *buf;

	if (!s)
		return NULL;
	buf = malloc(ESCAPE_TERM_MAX(n));
	if (!buf) {
		r->oom = true;
		return NULL;
	}
	escape_term(buf, ESCAPE_TERM_MAX(n), s, n);
	return buf;
}

static char *esc_member(struct report *r, const struct jp_value *o, const char *key)
{
	size_t n;
	const char *s = jp_get_str(o, key, &n);

	return esc(r, s, n);
}

/* The device a line is about: its name, else its devt, else "-". */
static char *esc_dev(struct report *r, const struct jp_value *o)
{
	char *dev = esc_member(r, o, "dev");

	if (!dev)
		dev = esc_member(r, o, "devt");
	return dev ? dev : esc(r, "-", 1);
}

/* "2026-11-24T05:34:21.188645Z" to microseconds since the epoch. */
static bool parse_ts(const char *s, int64_t *us)
{
	struct tm tm = {};
	int64_t frac = 0, scale = 100000;
	int n = 0;
	time_t t;

	if (!s ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != 19)
		return false;
	s += n;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			frac += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (strcmp(s, "Z"))
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*us = (int64_t)t * 1000000 + frac;
	return true;
}

/* Wall-clock time of a line; lines without one sort last. */
static void take_ts(struct report *r, const struct jp_value *o, char **ts, int64_t *us)
{
	size_t n;
	const char *s = jp_get_str(o, "ts", &n);

	*ts = esc(r, s, n);
	if (!parse_ts(s, us))
		*us = INT64_MAX;
}

__attribute__((format(printf, 5, 6))) static void
warn(struct report *r, struct rfile *f, enum warn w, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	f->skipped++;
	if (f->warned[w]++ >= WARN_SHOWN)
		return;
	fprintf(r->err, PFX "%s:%lu: ", f->name, line);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputs(", line skipped\n", r->err);
}

/*
 * Kernels of a file's armed lines: appended (a repeat of the last one
 * skipped), made distinct once the file is read (sort_kernels), not
 * searched per line: a log of many distinct kernels stays n log n.
 */
static void add_kernel(struct report *r, struct rfile *f, const struct jp_value *o)
{
	char *k = esc_member(r, o, "kernel");

	if (!k)
		return;
	if ((f->nr_kernels && !strcmp(f->kernels[f->nr_kernels - 1], k)) ||
	    RESERVE(r, f->kernels, f->cap_kernels, f->nr_kernels + 1)) {
		free(k);
		return;
	}
	f->kernels[f->nr_kernels++] = k;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_kernels(struct rfile *f)
{
	size_t n = 0;

	if (!f->nr_kernels)
		return;
	qsort(f->kernels, f->nr_kernels, sizeof(*f->kernels), cmp_str);
	for (size_t i = 0; i < f->nr_kernels; i++) {
		if (n && !strcmp(f->kernels[n - 1], f->kernels[i]))
			free(f->kernels[i]);
		else
			f->kernels[n++] = f->kernels[i];
	}
	f->nr_kernels = n;
}

/* "crypt,linear": target type names, each escaped. */
static char *join_targets(struct report *r, const struct jp_value *arr)
{
	size_t len = 1, n;
	char *buf, *p;

	for (const struct jp_value *t = jp_first(arr); t; t = jp_next(arr, t)) {
		if (jp_str(t, &n))
			len += ESCAPE_TERM_MAX(n);
	}
	p = buf = malloc(len);
	if (!buf) {
		r->oom = true;
		return NULL;
	}
	*p = '\0';
	for (const struct jp_value *t = jp_first(arr); t; t = jp_next(arr, t)) {
		const char *s = jp_str(t, &n);

		if (!s)
			continue;
		if (p != buf)
			*p++ = ',';
		p += escape_term(p, buf + len - p, s, n);
	}
	return buf;
}

static void take_event(struct report *r, size_t fi, unsigned long line, const struct jp_value *o)
{
	static const char *const types[] = {
		[REC_SUSPEND] = "suspend",
		[REC_SWAP] = "swap",
		[REC_RESUME] = "resume",
	};
	struct rfile *f = &r->files[fi];
	const char *ev = jp_get_str(o, "event", NULL);
	struct rec *x;
	uint64_t swap_id;
	size_t type;

	if (!ev) {
		warn(r, f, W_RECORD, line, "an event without \"event\"");
		return;
	}
	/* Not an event in the tool's own count: it says the probes are armed. */
	if (!strcmp(ev, "armed")) {
		add_kernel(r, f, o);
		return;
	}
	f->events++;
	for (type = 0; type < sizeof(types) / sizeof(types[0]); type++) {
		if (!strcmp(ev, types[type]))
			break;
	}
	/* Events of other types, or outside a cycle, are only counted. */
	if (type == sizeof(types) / sizeof(types[0]) || !jp_uint64(jp_get(o, "swap_id"), &swap_id))
		return;
	if (RESERVE(r, r->recs, r->cap_recs, r->nr_recs + 1))
		return;
	x = &r->recs[r->nr_recs++];
	memset(x, 0, sizeof(*x));
	x->file = fi;
	x->line = line;
	x->type = type;
	x->dev = esc_dev(r, o);
	x->swap_id = swap_id;
	take_ts(r, o, &x->ts, &x->ts_us);
	x->timed = jp_uint64(jp_get(o, "mono_ns"), &x->mono_ns);
	if (!jp_uint64(jp_get(o, "dur_ns"), &x->dur_ns) || x->dur_ns > x->mono_ns)
		x->dur_ns = 0;
	if (!jp_int64(jp_get(o, "ret"), &x->ret))
		x->ret = 0;
	x->err_name = esc_member(r, o, "errno");
	if (type == REC_SWAP) {
		x->targets = join_targets(r, jp_get(o, "targets"));
		x->sized = jp_uint64(jp_get(o, "old_sectors"), &x->old_sectors) &&
			   jp_uint64(jp_get(o, "new_sectors"), &x->new_sectors);
	}
}

static void take_violation(struct report *r, size_t fi, unsigned long line,
			   const struct jp_value *o, const char *s, size_t n)
{
	struct viol *v;

	r->files[fi].violations++;
	if (RESERVE(r, r->viols, r->cap_viols, r->nr_viols + 1))
		return;
	v = &r->viols[r->nr_viols++];
	memset(v, 0, sizeof(*v));
	v->file = fi;
	v->line = line;
	v->dev = esc_dev(r, o);
	v->in_swap = jp_uint64(jp_get(o, "swap_id"), &v->swap_id);
	take_ts(r, o, &v->ts, &v->ts_us);
	v->inv = esc_member(r, o, "inv");
	if (!v->inv)
		v->inv = esc(r, "INV-?", 5);
	v->message = esc_member(r, o, "message");
	/* The page shows the evidence and the stack too: parsed again there. */
	if (r->keep_lines) {
		v->json = strndup(s, n);
		if (!v->json)
			r->oom = true;
	}
}

static void take_summary(struct rfile *f, const struct jp_value *o)
{
	uint64_t dropped;

	if (jp_uint64(jp_get(o, "dropped"), &dropped))
		f->dropped += dropped;
}

/* Why a line is not text: a NUL byte, or invalid UTF-8. */
static bool binary_line(const char *s, size_t n, const char **why, size_t *at)
{
	const char *nul = memchr(s, '\0', n);

	if (nul) {
		*why = "NUL byte";
		*at = nul - s;
		return true;
	}
	if (!jp_utf8_valid(s, n, at)) {
		*why = "invalid UTF-8";
		return true;
	}
	return false;
}

/*
 * One line, without its '\n'; @last_unterminated: the file ends in it
 * without a newline, so a crash may have cut it short.  What a crash leaves
 * is a prefix of one of our lines, or blocks of NULs the file system had
 * allocated: anything else is damage of another kind, reported as such.
 */
static void take_line(struct report *r, size_t fi, unsigned long line, const char *s, size_t n,
		      bool last_unterminated)
{
	struct rfile *f = &r->files[fi];
	const struct jp_value *o;
	struct jp_error jerr;
	const char *why, *kind;
	size_t at, kind_len;
	char quoted[ESCAPE_TERM_MAX(QUOTE_MAX)];

	if (n && s[n - 1] == '\r')
		n--;
	if (!n)
		return;
	last_unterminated &= s[0] == '{' || s[0] == '\0';
	if (binary_line(s, n, &why, &at)) {
		if (last_unterminated)
			goto torn;
		warn(r, f, W_BINARY, line, "binary data (%s at byte offset %zu)", why, at);
		return;
	}
	o = jp_parse(&r->doc, s, n, &jerr);
	/* JSON, but a record that means two things: not a torn write either. */
	if (!o && jerr.msg == jp_err_duplicate_key) {
		warn(r, f, W_RECORD, line, "not a log record (%s at byte offset %zu)", jerr.msg,
		     jerr.offset);
		return;
	}
	if (!o) {
		if (last_unterminated)
			goto torn;
		warn(r, f, W_NOT_JSON, line, "not JSON (byte offset %zu: %s)", jerr.offset,
		     jerr.msg);
		return;
	}
	if (jp_type(o) != JP_OBJECT) {
		warn(r, f, W_RECORD, line, "not a log record (a JSON %s, not an object)",
		     jp_type_name(jp_type(o)));
		return;
	}
	kind = jp_get_str(o, "kind", &kind_len);
	if (!kind) {
		warn(r, f, W_RECORD, line, "not a log record (no \"kind\")");
		return;
	}
	if (!strcmp(kind, "event")) {
		take_event(r, fi, line, o);
	} else if (!strcmp(kind, "violation")) {
		take_violation(r, fi, line, o, s, n);
	} else if (!strcmp(kind, "summary")) {
		take_summary(f, o);
	} else {
		escape_term(quoted, sizeof(quoted), kind,
			    kind_len < QUOTE_MAX ? kind_len : QUOTE_MAX);
		warn(r, f, W_KIND, line, "unknown kind \"%s%s\"", quoted,
		     kind_len > QUOTE_MAX ? "..." : "");
	}
	return;
torn:
	f->torn = true;
	fprintf(r->err, PFX "%s: last line incomplete (torn write), ignored\n", f->name);
}

static void read_file(struct report *r, size_t fi)
{
	struct rfile *f = &r->files[fi];
	bool is_stdin = !strcmp(f->path, "-");
	FILE *in = is_stdin ? stdin : fopen(f->path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!in) {
		f->read_errno = errno;
		fprintf(r->err, PFX "%s: %s\n", f->name, strerror(f->read_errno));
		return;
	}
	/* Only the last line can lack its '\n': getline() stops at one. */
	while (!r->oom) {
		bool nl;

		errno = 0;
		n = getline(&buf, &cap, in);
		if (n <= 0) {
			/* A directory opens but does not read: EISDIR. */
			if (errno == ENOMEM)
				r->oom = true;
			else if (ferror(in))
				f->read_errno = errno ? errno : EIO;
			break;
		}
		nl = buf[n - 1] == '\n';
		f->lines++;
		take_line(r, fi, f->lines, buf, nl ? n - 1 : n, !nl);
	}
	sort_kernels(f);
	if (f->read_errno)
		fprintf(r->err, PFX "%s: %s\n", f->name, strerror(f->read_errno));
	for (int w = 0; w < W_NR; w++) {
		if (f->warned[w] > WARN_SHOWN)
			fprintf(r->err, PFX "%s: %lu more %s lines skipped\n", f->name,
				f->warned[w] - WARN_SHOWN, warn_what[w]);
	}
	free(buf);
	if (!is_stdin)
		fclose(in);
}

/* "INV-4" < "INV-10": digit runs compare as numbers. */
static int cmp_natural(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long long na = strtoull(a, &ea, 10), nb = strtoull(b, &eb, 10);

			if (na != nb)
				return na < nb ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* Grouping order: a cycle's events, and its violations, come together. */
static int cmp_rec(const void *pa, const void *pb)
{
	const struct rec *a = pa, *b = pb;
	int c;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	c = cmp_u64(a->swap_id, b->swap_id);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_viol_cycle(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	c = strcmp(S(a->dev), S(b->dev));
	if (c)
		return c;
	/* Those outside a cycle apart, even from a cycle with swap_id 0. */
	if (a->in_swap != b->in_swap)
		return a->in_swap ? 1 : -1;
	c = cmp_u64(a->swap_id, b->swap_id);
	return c ? c : a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_viol_time(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c = cmp_i64(a->ts_us, b->ts_us);

	if (c)
		return c;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

int report_cmp_viol_inv(const void *pa, const void *pb)
{
	const struct viol *a = *(struct viol *const *)pa, *b = *(struct viol *const *)pb;
	int c = cmp_natural(S(a->inv), S(b->inv));

	return c ? c : strcmp(S(a->dev), S(b->dev));
}

/* Timeline order: per device, then by time (across hosts: wall clock). */
static int cmp_cycle(const void *pa, const void *pb)
{
	const struct cycle *a = pa, *b = pb;
	int c = strcmp(S(a->dev), S(b->dev));

	if (c)
		return c;
	c = cmp_i64(a->ts_us, b->ts_us);
	if (c)
		return c;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return cmp_u64(a->swap_id, b->swap_id);
}

/* Sorted records to cycles; the cycle's span is over its events' own spans. */
static int build_cycles(struct report *r)
{
	if (r->nr_recs)
		qsort(r->recs, r->nr_recs, sizeof(*r->recs), cmp_rec);
	r->cycles = calloc(r->nr_recs ? r->nr_recs : 1, sizeof(*r->cycles));
	if (!r->cycles)
		return -1;
	for (size_t i = 0; i < r->nr_recs;) {
		struct cycle *c = &r->cycles[r->nr_cycles++];
		const struct rec *x = &r->recs[i];

		c->file = x->file;
		c->dev = x->dev;
		c->swap_id = x->swap_id;
		c->ts = x->ts;
		c->ts_us = x->ts_us;
		c->recs = x;
		while (i < r->nr_recs && r->recs[i].file == x->file &&
		       !strcmp(S(r->recs[i].dev), S(x->dev)) && r->recs[i].swap_id == x->swap_id) {
			const struct rec *y = &r->recs[i++];

			c->nr_recs++;
			if (!y->timed)
				continue;
			if (!c->timed || y->mono_ns - y->dur_ns < c->start_ns)
				c->start_ns = y->mono_ns - y->dur_ns;
			if (!c->timed || y->mono_ns > c->end_ns)
				c->end_ns = y->mono_ns;
			c->timed = true;
		}
	}
	return 0;
}

/* Violations to the cycle of their file, device and swap_id, if it is there. */
static int attach_violations(struct report *r, struct viol ***sorted)
{
	struct viol **vs = calloc(r->nr_viols ? r->nr_viols : 1, sizeof(*vs));
	size_t ci = 0;

	if (!vs)
		return -1;
	for (size_t i = 0; i < r->nr_viols; i++)
		vs[i] = &r->viols[i];
	qsort(vs, r->nr_viols, sizeof(*vs), cmp_viol_cycle);
	/* Both are in (file, dev, swap_id) order: merge. */
	for (size_t i = 0; i < r->nr_viols; i++) {
		struct viol *v = vs[i];
		int c = 1;

		if (!v->in_swap)
			continue;
		for (; ci < r->nr_cycles; ci++) {
			const struct cycle *cy = &r->cycles[ci];

			c = cy->file != v->file ? (cy->file < v->file ? -1 : 1)
						: strcmp(S(cy->dev), S(v->dev));
			if (!c)
				c = cmp_u64(cy->swap_id, v->swap_id);
			if (c >= 0)
				break;
		}
		if (ci < r->nr_cycles && !c) {
			struct cycle *cy = &r->cycles[ci];

			if (!cy->nr_viols)
				cy->viols = &vs[i];
			cy->nr_viols++;
			v->in_cycle = true;
		}
	}
	*sorted = vs;
	return 0;
}

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
		fprintf(r->out, "%lu lines, %lu events, %lu violations", f->lines, f->events,
			f->violations);
		for (size_t k = 0; k < f->nr_kernels; k++)
			fprintf(r->out, "%s%s", k ? ", " : "; kernel ", f->kernels[k]);
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

/* A column of width @w with a cell of @len: wider, up to COLUMN_MAX. */
static int widen(int w, size_t len)
{
	if (len > COLUMN_MAX)
		len = COLUMN_MAX;
	return (size_t)w > len ? w : (int)len;
}

static void print_counts(struct report *r)
{
	struct viol **vs;
	int w_inv = 3, w_dev = 6;

	fprintf(r->out, "\nViolations by invariant and device:%s\n", r->nr_viols ? "" : " none");
	if (!r->nr_viols)
		return;
	vs = calloc(r->nr_viols, sizeof(*vs));
	if (!vs) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_viols; i++) {
		vs[i] = &r->viols[i];
		w_inv = widen(w_inv, strlen(S(vs[i]->inv)));
		w_dev = widen(w_dev, strlen(S(vs[i]->dev)));
	}
	qsort(vs, r->nr_viols, sizeof(*vs), report_cmp_viol_inv);
	fprintf(r->out, "  %-*s  %-*s  %5s\n", w_inv, "INV", w_dev, "DEVICE", "COUNT");
	for (size_t i = 0, j; i < r->nr_viols; i = j) {
		for (j = i; j < r->nr_viols && !report_cmp_viol_inv(&vs[i], &vs[j]); j++) {
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

static void print_timeline(struct report *r)
{
	int w_ts = 5, w_dev = 6, w_id = 4, w_tg = 7, w_size = 7, w_res = 6, w_dur = 8;
	bool hosts = r->nr_files > 1;
	struct cycle_row *rows;

	fprintf(r->out, "\nSwap cycles by device, in time order:%s\n", r->nr_cycles ? "" : " none");
	if (!r->nr_cycles)
		return;
	rows = calloc(r->nr_cycles, sizeof(*rows));
	if (!rows) {
		r->oom = true;
		return;
	}
	for (size_t i = 0; i < r->nr_cycles; i++) {
		const struct cycle *c = &r->cycles[i];

		report_cycle_row(c, &rows[i]);
		w_ts = widen(w_ts, strlen(S(c->ts)));
		w_dev = widen(w_dev, strlen(S(c->dev)));
		w_id = widen(w_id, strlen(rows[i].id));
		w_tg = widen(w_tg, strlen(rows[i].targets));
		w_size = widen(w_size, strlen(rows[i].size));
		w_res = widen(w_res, strlen(rows[i].result));
		w_dur = widen(w_dur, strlen(rows[i].dur));
	}
	fprintf(r->out, "  %-*s  %-*s  %*s  %-*s  %-*s  %-*s  %*s%s\n", w_ts, "START", w_dev,
		"DEVICE", w_id, "SWAP", w_tg, "TARGETS", w_size, "SECTORS", w_res, "RESULT", w_dur,
		"DURATION", hosts ? "  FILE" : "");
	for (size_t i = 0; i < r->nr_cycles; i++) {
		const struct cycle *c = &r->cycles[i];
		const struct cycle_row *row = &rows[i];
		size_t nr_swaps = 0;

		if (i && strcmp(S(c->dev), S(r->cycles[i - 1].dev)))
			fputc('\n', r->out);
		fprintf(r->out, "  %-*s  %-*s  %*s  %-*s  %-*s  %-*s  %*s", w_ts, S(c->ts), w_dev,
			S(c->dev), w_id, row->id, w_tg, row->targets, w_size, row->size, w_res,
			row->result, w_dur, row->dur);
		if (hosts)
			fprintf(r->out, "  %s", r->files[c->file].name);
		fputc('\n', r->out);
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
				fprintf(r->out, " %" PRIu64 " -> %" PRIu64, x->old_sectors,
					x->new_sectors);
			fprintf(r->out, " %s\n", ret);
		}
		for (size_t k = 0; k < c->nr_viols; k++)
			fprintf(r->out, "      ! %s %s\n", S(c->viols[k]->inv),
				S(c->viols[k]->message));
	}
	free(rows);
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
		if (!r->viols[i].in_cycle)
			vs[n++] = &r->viols[i];
	}
	fprintf(r->out, "\nViolations outside any swap cycle:%s\n", n ? "" : " none");
	qsort(vs, n, sizeof(*vs), cmp_viol_time);
	for (size_t i = 0; i < n; i++) {
		fprintf(r->out, "  %s  %s  %s %s", S(vs[i]->ts), S(vs[i]->dev), S(vs[i]->inv),
			S(vs[i]->message));
		if (vs[i]->in_swap)
			fprintf(r->out, " (swap %" PRIu64 ")", vs[i]->swap_id);
		if (r->nr_files > 1)
			fprintf(r->out, "  [%s]", r->files[vs[i]->file].name);
		fputc('\n', r->out);
	}
	free(vs);
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nr_files; i++) {
		free(r->files[i].name);
		for (size_t k = 0; k < r->files[i].nr_kernels; k++)
			free(r->files[i].kernels[k]);
		free(r->files[i].kernels);
	}
	free(r->files);
	for (size_t i = 0; i < r->nr_recs; i++) {
		free(r->recs[i].dev);
		free(r->recs[i].ts);
		free(r->recs[i].err_name);
		free(r->recs[i].targets);
	}
	free(r->recs);
	for (size_t i = 0; i < r->nr_viols; i++) {
		free(r->viols[i].dev);
		free(r->viols[i].ts);
		free(r->viols[i].inv);
		free(r->viols[i].message);
		free(r->viols[i].json);
	}
	free(r->viols);
	free(r->cycles);
	jp_doc_free(&r->doc);
}

static void usage(FILE *f)
{
	fputs("Usage: dmswap-trace report FILE... [--html OUT]\n"
	      "Summarize JSON-lines logs of dmswap-trace (several hosts', any order; - is stdin):\n"
	      "violations per invariant and device, and the swap cycles of each device in time\n"
	      "order with their violations.\n"
	      "\nOptions of report:\n"
	      "      --html OUT       also draw them on a timeline: a self-contained HTML page,\n"
	      "                       to OUT\n"
	      "  -h, --help           this text\n"
	      "  -V, --version        version\n"
	      "\nExit status: 0 no violation, 1 violations, 2 usage, 7 OUT or the report not\n"
	      "written, 10 a file could not be read.\n",
	      f);
}

/* Flush @out; a write error of it (a full disk, a closed pipe) said on @err: 0 or errno. */
static int out_failed(FILE *out, FILE *err)
{
	int e = outfile_flush(out);

	if (e)
		fprintf(err, PFX "cannot write the report: %s\n", strerror(e));
	return e;
}

/* "PFX @what@arg@after": one line, @arg the user's, quoted. */
static int usage_error(struct report *r, const char *what, const char *arg, const char *after)
{
	char quoted[ESCAPE_TERM_MAX(QUOTE_MAX)];

	escape_term(quoted, sizeof(quoted), arg, strnlen(arg, QUOTE_MAX));
	fprintf(r->err, PFX "%s%s%s\n", what, quoted, after);
	report_free(r);
	return REPORT_USAGE;
}

int report_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct report r = { .out = out, .err = err };
	struct viol **by_cycle = NULL;
	unsigned long violations = 0;
	bool unreadable = false, dashdash = false;
	const char *html_path = NULL;
	struct outfile html_file, *html = NULL;
	int ret, out_err;

	r.files = calloc(argc > 1 ? argc - 1 : 1, sizeof(*r.files));
	if (!r.files)
		goto oom;
	/* Every option first, so that a typo reads no file. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (dashdash || a[0] != '-' || !strcmp(a, "-")) {
			r.files[r.nr_files++].path = a;
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(out);
			report_free(&r);
			return out_failed(out, err) ? REPORT_OUTPUT : REPORT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			fprintf(out, "dmswap-trace %s\n", DMSWAP_VERSION);
			report_free(&r);
			return out_failed(out, err) ? REPORT_OUTPUT : REPORT_OK;
		} else if (!strcmp(a, "--html")) {
			if (i + 1 == argc)
				return usage_error(&r, "option ", a, " needs an argument");
			html_path = argv[++i];
		} else if (!strncmp(a, "--html=", 7)) {
			html_path = a + 7;
		} else {
			return usage_error(&r, "unknown option: ", a, "");
		}
	}
	if (!r.nr_files) {
		fprintf(err, PFX "no FILE given\n");
		report_free(&r);
		return REPORT_USAGE;
	}
	/* Before reading anything: an OUT that cannot be written. */
	if (html_path) {
		if (report_html_open(&html_file, html_path, err)) {
			report_free(&r);
			return REPORT_OUTPUT;
		}
		html = &html_file;
		r.keep_lines = true;
	}
	for (size_t i = 0; i < r.nr_files; i++) {
		r.files[i].name = esc(&r, r.files[i].path, strlen(r.files[i].path));
		if (!r.files[i].name)
			goto oom;
		/* The page would replace a log it is drawn from. */
		if (html && strcmp(r.files[i].path, "-") && outfile_is(html, r.files[i].path)) {
			fprintf(err, PFX "--html: %s is also an input\n", r.files[i].name);
			outfile_abort(html);
			report_free(&r);
			return REPORT_USAGE;
		}
	}

	for (size_t i = 0; i < r.nr_files && !r.oom; i++) {
		read_file(&r, i);
		unreadable |= r.files[i].read_errno != 0;
		violations += r.files[i].violations;
	}
	if (r.oom || build_cycles(&r) || attach_violations(&r, &by_cycle))
		goto oom;
	qsort(r.cycles, r.nr_cycles, sizeof(*r.cycles), cmp_cycle);

	/* The first failed write sets errno (outfile_flush()). */
	errno = 0;
	print_header(&r);
	print_counts(&r);
	print_timeline(&r);
	print_outside(&r);
	if (r.oom)
		goto oom;
	out_err = out_failed(out, err);

	ret = unreadable ? REPORT_UNREADABLE : violations ? REPORT_VIOLATION : REPORT_OK;
	/* A report that did not reach its reader is no report. */
	if (out_err)
		ret = REPORT_OUTPUT;
	/* The page was asked for: without it the command failed, whatever the logs say. */
	if (html && report_html_write(&r, html, html_path, err))
		ret = REPORT_OUTPUT;
	free(by_cycle);
	report_free(&r);
	return ret;
oom:
	fprintf(err, PFX "out of memory\n");
	if (html)
		outfile_abort(html);
	free(by_cycle);
	report_free(&r);
	return REPORT_UNREADABLE;
}
