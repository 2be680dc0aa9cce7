// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the logs of "dmswap-trace report": each file, plain or
 * gzip-compressed (what logrotate leaves: zlib reads both, and several
 * gzip members one after the other), line by line into small records
 * (only what the outputs show).  Logs may be damaged (a crash mid-write, a
 * wrong file): each bad line is named on r->err and skipped, never fatal;
 * a file in which no line at all is a record is "not a log".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "escape.h"
#include "report_model.h"

/* Messages per file and kind of problem: a garbage file must not flood. */
#define WARN_SHOWN 5
/* Quoted input in messages (an unknown kind): enough to recognise it. */
#define QUOTE_MAX 64
/* Read in chunks of this; a line may be longer (the buffer grows). */
#define CHUNK (64 * 1024)

static const char *const warn_what[W_NR] = {
	[W_BINARY] = "binary",
	[W_NOT_JSON] = "non-JSON",
	[W_RECORD] = "malformed",
	[W_KIND] = "unknown-kind",
};

int report_reserve(struct report *r, void **arr, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *a;

	if (need <= *cap)
		return 0;
	if (c < need)
		c = need;
	a = realloc(*arr, c * size);
	if (!a) {
		r->oom = true;
		return -1;
	}
	*arr = a;
	*cap = c;
	return 0;
}

/*
 * Every string printed is user data: escaped once, when it is kept.
 * escape_term() ends at a NUL (the tool's own names are NUL-padded), but a
 * JSON string may hold "\u0000": "lin\u0000forged" must not read as "lin",
 * so each NUL is escaped here, between the pieces, and the string kept whole.
 */
size_t report_esc_into(char *dst, size_t len, const char *s, size_t n)
{
	size_t pos = 0;

	for (;;) {
		const char *nul = memchr(s, '\0', n);
		size_t seg = nul ? (size_t)(nul - s) : n;

		pos += escape_term(dst + pos, len - pos, s, seg);
		if (!nul || len - pos < 5)
			return pos;
		pos += snprintf(dst + pos, len - pos, "\\x00");
		n -= seg + 1;
		s = nul + 1;
	}
}

char *report_esc(struct report *r, const char *s, size_t n)
{
	char *buf;

	if (!s)
		return NULL;
	buf = malloc(REPORT_ESC_MAX(n));
	if (!buf) {
		r->oom = true;
		return NULL;
	}
	report_esc_into(buf, REPORT_ESC_MAX(n), s, n);
	return buf;
}

static char *esc_member(struct report *r, const struct jp_value *o, const char *key)
{
	size_t n;
	const char *s = jp_get_str(o, key, &n);

	return report_esc(r, s, n);
}

/* The device a line is about: its name, else its devt, else "-". */
static char *esc_dev(struct report *r, const struct jp_value *o)
{
	char *dev = esc_member(r, o, "dev");

	if (!dev)
		dev = esc_member(r, o, "devt");
	return dev ? dev : report_esc(r, "-", 1);
}

/*
 * "2026-11-24T05:34:21.188645Z" to microseconds since the epoch.  With
 * @prefix (--since, --until), a shorter one too: "2026-11-24",
 * "2026-11-24T05:34", each UTC, with or without the "Z".
 */
bool report_parse_ts(const char *s, int64_t *us, bool prefix)
{
	struct tm tm = {};
	int64_t frac = 0, scale = 100000;
	int n = 0, fields;
	time_t t;

	if (!s)
		return false;
	fields = sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n);
	if (fields != 3 || n != 10)
		return false;
	s += n;
	if (*s == 'T') {
		n = 0;
		if (sscanf(s, "T%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &n) != 2 || n != 6)
			return false;
		s += n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s, ":%2d%n", &tm.tm_sec, &n) != 1 || n != 3)
				return false;
			s += n;
		} else if (!prefix) {
			return false;
		}
	} else if (!prefix) {
		return false;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			frac += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (strcmp(s, "Z") && !(prefix && !*s))
		return false;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
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

	*ts = report_esc(r, s, n);
	if (!s || strlen(s) != n || !report_parse_ts(s, us, false))
		*us = REPORT_NO_TIME;
}

__attribute__((format(printf, 5, 6))) static void
warn(struct report *r, struct rfile *f, enum warn w, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	f->skipped++;
	if (f->warned[w]++ >= WARN_SHOWN)
		return;
	fprintf(r->err, REPORT_PFX "%s:%lu: ", f->name, line);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputs(", line skipped\n", r->err);
}

/* A new session, opened by an armed line or (orphan) a file's first record. */
static size_t new_session(struct report *r, size_t fi, unsigned long line, const struct jp_value *o,
			  bool orphan)
{
	struct rsession *s;
	uint64_t mono;

	if (RESERVE(r, r->sessions, r->cap_sessions, r->nr_sessions + 1))
		return NO_SESSION;
	s = &r->sessions[r->nr_sessions];
	memset(s, 0, sizeof(*s));
	s->file = fi;
	s->line = line;
	s->orphan = orphan;
	s->same = r->nr_sessions;
	take_ts(r, o, &s->ts, &s->ts_us);
	if (jp_uint64(jp_get(o, "mono_ns"), &mono) && s->ts_us != REPORT_NO_TIME &&
	    mono / 1000 <= INT64_MAX / 2) {
		s->mono_ns = mono;
		s->offset_us = s->ts_us - (int64_t)(mono / 1000);
		s->timed = true;
	}
	if (!orphan) {
		s->host = esc_member(r, o, "host");
		s->boot_id = esc_member(r, o, "boot_id");
		s->started = esc_member(r, o, "started");
		s->kernel = esc_member(r, o, "kernel");
	}
	return r->nr_sessions++;
}

/* The session of a record: its file's current one, or a new orphan. */
static size_t session_of(struct report *r, size_t fi, unsigned long line, const struct jp_value *o)
{
	struct rfile *f = &r->files[fi];

	if (f->session == NO_SESSION)
		f->session = new_session(r, fi, line, o, true);
	return f->session;
}

/* "crypt,linear": target type names, each escaped. */
static char *join_targets(struct report *r, const struct jp_value *arr)
{
	size_t len = 1, n;
	char *buf, *p;

	for (const struct jp_value *t = jp_first(arr); t; t = jp_next(arr, t)) {
		if (jp_str(t, &n))
			len += REPORT_ESC_MAX(n);
	}
	p = buf = malloc(len);
	if (!buf) {
		r->oom = true;
		return NULL;
	}
	*p = '\0';
	for (const struct jp_value *t = jp_first(arr); t; t = jp_next(arr, t)) {
		const char *s = jp_str(t, &n);
		char *e;

		if (!s)
			continue;
		e = report_esc(r, s, n);
		if (!e)
			break;
		if (p != buf)
			*p++ = ',';
		p = stpcpy(p, e);
		free(e);
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
	size_t type, session;

	if (!ev) {
		warn(r, f, W_RECORD, line, "an event without \"event\"");
		return;
	}
	f->records++;
	/* Not an event in the tool's own count: a start of the tool, armed. */
	if (!strcmp(ev, "armed")) {
		f->session = new_session(r, fi, line, o, false);
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
	session = session_of(r, fi, line, o);
	if (session == NO_SESSION || RESERVE(r, r->recs, r->cap_recs, r->nr_recs + 1))
		return;
	x = &r->recs[r->nr_recs++];
	memset(x, 0, sizeof(*x));
	x->file = fi;
	x->line = line;
	x->session = session;
	x->type = type;
	x->dev = esc_dev(r, o);
	x->devt = esc_member(r, o, "devt");
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

/* "fixes": the upstream commits of the violation's rule, as the tool wrote them. */
static void take_fixes(struct report *r, struct viol *v, const struct jp_value *arr)
{
	size_t n = 0, cap = 0;

	if (jp_type(arr) != JP_ARRAY)
		return;
	for (const struct jp_value *f = jp_first(arr); f; f = jp_next(arr, f)) {
		struct rfix *x;

		if (jp_type(f) != JP_OBJECT || !jp_get_str(f, "commit", NULL))
			continue;
		if (RESERVE(r, v->fixes, cap, n + 1))
			return;
		x = &v->fixes[n++];
		x->commit = esc_member(r, f, "commit");
		x->title = esc_member(r, f, "title");
		x->mainline = esc_member(r, f, "mainline");
		x->stable = esc_member(r, f, "stable");
		v->nr_fixes = n;
	}
}

static void take_violation(struct report *r, size_t fi, unsigned long line,
			   const struct jp_value *o, const char *s, size_t n)
{
	size_t session = session_of(r, fi, line, o);
	struct viol *v;

	r->files[fi].records++;
	r->files[fi].violations++;
	if (session == NO_SESSION || RESERVE(r, r->viols, r->cap_viols, r->nr_viols + 1))
		return;
	v = &r->viols[r->nr_viols++];
	memset(v, 0, sizeof(*v));
	v->file = fi;
	v->line = line;
	v->session = session;
	v->dev = esc_dev(r, o);
	v->devt = esc_member(r, o, "devt");
	v->in_swap = jp_uint64(jp_get(o, "swap_id"), &v->swap_id);
	take_ts(r, o, &v->ts, &v->ts_us);
	v->inv = esc_member(r, o, "inv");
	if (!v->inv)
		v->inv = report_esc(r, "INV-?", 5);
	v->message = esc_member(r, o, "message");
	take_fixes(r, v, jp_get(o, "fixes"));
	/* The page and the trace show the evidence and the stack too: parsed again there. */
	if (r->keep_lines) {
		v->json = strndup(s, n);
		if (!v->json)
			r->oom = true;
	}
}

static void take_summary(struct rfile *f, const struct jp_value *o)
{
	uint64_t dropped;

	f->records++;
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
	fprintf(r->err, REPORT_PFX "%s: last line incomplete (torn write), ignored\n", f->name);
}

/*
 * The file through zlib: gzip members are inflated, anything else passes
 * as it is (zlib's transparent mode), so a rotated log needs no name.
 */
static gzFile open_log(struct rfile *f, bool is_stdin)
{
	int fd = is_stdin ? dup(STDIN_FILENO) : open(f->path, O_RDONLY | O_CLOEXEC);
	gzFile gz;

	if (fd < 0)
		return NULL;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	gzbuffer(gz, CHUNK);
	return gz;
}

/* A read error of zlib as an errno: a damaged gzip stream reads as EIO. */
static int gz_errno(gzFile gz)
{
	int zerr;

	gzerror(gz, &zerr);
	if (zerr == Z_ERRNO)
		return errno ? errno : EIO;
	return zerr == Z_MEM_ERROR ? ENOMEM : EIO;
}

static bool gz_truncated(gzFile gz)
{
	int zerr;

	gzerror(gz, &zerr);
	return zerr != Z_OK && zerr != Z_STREAM_END;
}

void report_read_file(struct report *r, size_t fi)
{
	struct rfile *f = &r->files[fi];
	bool is_stdin = !strcmp(f->path, "-");
	gzFile in;
	char *buf = NULL;
	/* scan: up to where buf holds no '\n' (a long line is searched once). */
	size_t cap = 0, len = 0, start = 0, scan = 0;
	bool eof = false;

	f->session = NO_SESSION;
	errno = 0;
	in = open_log(f, is_stdin);
	if (!in) {
		f->read_errno = errno ? errno : EIO;
		fprintf(r->err, REPORT_PFX "%s: %s\n", f->name, strerror(f->read_errno));
		return;
	}
	/* Lines from chunks; only the last can lack its '\n'. */
	while (!r->oom) {
		char *nl = len > scan ? memchr(buf + scan, '\n', len - scan) : NULL;
		int got;

		scan = len;
		if (nl) {
			f->lines++;
			take_line(r, fi, f->lines, buf + start, nl - (buf + start), false);
			start = scan = nl + 1 - buf;
			continue;
		}
		if (eof) {
			if (len > start) {
				f->lines++;
				take_line(r, fi, f->lines, buf + start, len - start, true);
			}
			break;
		}
		/* Keep the partial line, at the start of the buffer. */
		if (start) {
			memmove(buf, buf + start, len - start);
			len -= start;
			scan -= start;
			start = 0;
		}
		if (RESERVE(r, buf, cap, len + CHUNK + 1))
			break;
		errno = 0;
		got = gzread(in, buf + len, CHUNK);
		if (got < 0) {
			f->read_errno = gz_errno(in);
			eof = true;
			/* What was read before the error still counts, but not as a torn line. */
			len = start;
			continue;
		}
		eof = got == 0;
		len += got;
		/* A gzip stream cut short ends without an error from gzread(). */
		if (eof && gz_truncated(in)) {
			f->read_errno = EIO;
			len = start;
		}
	}
	f->gzip = !gzdirect(in);
	gzclose_r(in);
	free(buf);
	if (f->read_errno == ENOMEM)
		r->oom = true;
	if (f->read_errno)
		fprintf(r->err, REPORT_PFX "%s: %s%s\n", f->name,
			f->gzip && f->read_errno == EIO ? "damaged gzip data: " : "",
			strerror(f->read_errno));
	for (int w = 0; w < W_NR; w++) {
		if (f->warned[w] > WARN_SHOWN)
			fprintf(r->err, REPORT_PFX "%s: %lu more %s lines skipped\n", f->name,
				f->warned[w] - WARN_SHOWN, warn_what[w]);
	}
	/* Lines, none of them ours: a wrong file given (README.md), not a clean log. */
	if (!f->read_errno && f->lines && !f->records) {
		f->not_a_log = true;
		fprintf(r->err, REPORT_PFX "%s: no dmswap-trace record in it: not a log\n",
			f->name);
	}
}
