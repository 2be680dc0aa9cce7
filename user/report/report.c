// SPDX-License-Identifier: GPL-2.0
/*
 * "dmswap-trace report": its options, then the steps: the outputs opened
 * (before anything is read: an OUT that cannot be written, or that is one
 * of the inputs, stops it at once), every file read (report_read.c), the
 * model made (report_group.c), the text report printed (report_text.c),
 * the page and the trace written (report_html.c, report_trace.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "outfile.h"
#include "report.h"
#include "report_html.h"
#include "report_model.h"
#include "report_trace.h"

#ifndef DMSWAP_VERSION
#define DMSWAP_VERSION "dev"
#endif

/* Quoted arguments in messages: enough to recognise them. */
#define QUOTE_MAX 64
/* "INV-" and a number: the invariants are few, their numbers small. */
#define INV_MAX 9999

static void usage(FILE *f)
{
	fputs("Usage: dmswap-trace report [OPTIONS] LOG...\n"
	      "Summarize JSON-lines logs of dmswap-trace (several hosts', rotated ones, plain\n"
	      "or gzip-compressed, in any order; - is stdin): the sessions (starts of the tool),\n"
	      "per device the swaps, failures, violations and durations, the violations per\n"
	      "invariant and device with their upstream fixes, and the swap cycles of each\n"
	      "session and device in time order.\n"
	      "\nOptions of report:\n"
	      "      --html OUT       also draw them on a timeline: a self-contained HTML page,\n"
	      "                       to OUT\n"
	      "      --trace-event OUT  also write them as Trace Event JSON (Perfetto,\n"
	      "                       chrome://tracing) to OUT\n"
	      "      --since TIME     only what happened at or after TIME (UTC, as in the logs:\n"
	      "                       2026-11-24, 2026-11-24T05:34, 2026-11-24T05:34:21.5Z)\n"
	      "      --until TIME     only what happened before TIME\n"
	      "  -d, --dev NAME       only this device: dm name or MAJOR:MINOR; repeatable\n"
	      "      --inv INV        only violations of this invariant (INV-4 or 4), and the\n"
	      "                       cycles that have one; repeatable\n"
	      "  -h, --help           this text\n"
	      "  -V, --version        version\n"
	      "\nExit status: 0 no violation, 1 violations (after the filters), 2 usage, 7 an\n"
	      "OUT or the report not written, 10 a file could not be read, 11 a file holds no\n"
	      "record of dmswap-trace (not a log).\n",
	      f);
}

/* Flush @out; a write error of it (a full disk, a closed pipe) said on @err: 0 or errno. */
static int out_failed(FILE *out, FILE *err)
{
	int e = outfile_flush(out);

	if (e)
		fprintf(err, REPORT_PFX "cannot write the report: %s\n", strerror(e));
	return e;
}

/* "PFX @what@arg@after": one line, @arg the user's, quoted. */
static void say_usage(FILE *err, const char *what, const char *arg, const char *after)
{
	char quoted[ESCAPE_TERM_MAX(QUOTE_MAX)];

	escape_term(quoted, sizeof(quoted), arg, strnlen(arg, QUOTE_MAX));
	fprintf(err, REPORT_PFX "%s%s%s\n", what, quoted, after);
}

struct options {
	const char *html, *trace;
	char (*invs)[16];
	bool help, version;
};

/* "--name VALUE" or "--name=VALUE": the value, NULL when @a is not --name. */
static const char *value_of(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 == argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* "INV-4" or "4" to "INV-4"; false when it names no invariant. */
static bool parse_inv(const char *s, char buf[16])
{
	char *end;
	unsigned long n;

	if (!strncmp(s, "INV-", 4))
		s += 4;
	if (*s < '1' || *s > '9')
		return false;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > INV_MAX)
		return false;
	snprintf(buf, 16, "INV-%lu", n);
	return true;
}

/*
 * Every option first, so that a typo reads no file: REPORT_OK, or the
 * status of a usage error said on @err.
 */
static int parse_args(struct report *r, struct options *o, int argc, char **argv)
{
	struct report_filter *f = &r->filter;
	bool dashdash = false;

	f->since_us = INT64_MIN;
	f->until_us = INT64_MAX;
	f->devs = calloc(argc, sizeof(*f->devs));
	f->invs = calloc(argc, sizeof(*f->invs));
	o->invs = calloc(argc, sizeof(*o->invs));
	r->files = calloc(argc, sizeof(*r->files));
	if (!f->devs || !f->invs || !o->invs || !r->files) {
		fprintf(r->err, REPORT_PFX "out of memory\n");
		return REPORT_UNREADABLE;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		bool missing = false;
		int64_t *t = NULL;

		if (dashdash || a[0] != '-' || !strcmp(a, "-")) {
			r->files[r->nr_files++].path = a;
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			o->help = true;
			return REPORT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			o->version = true;
			return REPORT_OK;
		} else if ((v = value_of(argc, argv, &i, "--html", &missing))) {
			o->html = v;
		} else if ((v = value_of(argc, argv, &i, "--trace-event", &missing))) {
			o->trace = v;
		} else if ((v = value_of(argc, argv, &i, "--dev", &missing)) ||
			   (v = value_of(argc, argv, &i, "-d", &missing))) {
			/* As the logs name it: "/dev/mapper/NAME" is NAME. */
			if (!strncmp(v, "/dev/mapper/", 12))
				v += 12;
			if (!*v) {
				say_usage(r->err, "--dev: an empty name", "", "");
				return REPORT_USAGE;
			}
			f->devs[f->nr_devs++] = v;
		} else if ((v = value_of(argc, argv, &i, "--inv", &missing))) {
			if (!parse_inv(v, o->invs[f->nr_invs])) {
				say_usage(r->err, "--inv: not an invariant: ", v,
					  " (INV-N or N, N from 1)");
				return REPORT_USAGE;
			}
			f->invs[f->nr_invs] = o->invs[f->nr_invs];
			f->nr_invs++;
		} else if ((v = value_of(argc, argv, &i, "--since", &missing)) ||
			   (v = value_of(argc, argv, &i, "--until", &missing))) {
			t = a[2] == 's' ? &f->since_us : &f->until_us;
			if (!report_parse_ts(v, t, true)) {
				say_usage(r->err, "not a UTC time: ", v,
					  " (2026-11-24, 2026-11-24T05:34 or "
					  "2026-11-24T05:34:21.5Z)");
				return REPORT_USAGE;
			}
		} else if (missing) {
			say_usage(r->err, "option ", a, " needs an argument");
			return REPORT_USAGE;
		} else {
			say_usage(r->err, "unknown option: ", a, "");
			return REPORT_USAGE;
		}
		if (missing) {
			say_usage(r->err, "option ", a, " needs an argument");
			return REPORT_USAGE;
		}
	}
	if (f->since_us != INT64_MIN && f->until_us != INT64_MAX && f->since_us >= f->until_us) {
		fprintf(r->err, REPORT_PFX "--since is not before --until: nothing to report\n");
		return REPORT_USAGE;
	}
	if (!r->nr_files) {
		fprintf(r->err, REPORT_PFX "no FILE given\n");
		return REPORT_USAGE;
	}
	return REPORT_OK;
}

/* Is input @path (or stdin, "-") the file output @o replaces? */
static bool replaces_input(const struct outfile *o, const char *path)
{
	struct stat st;

	if (strcmp(path, "-"))
		return outfile_is(o, path);
	/* "report --html X - < X": stdin has no name to compare, but a file. */
	return o->existed && !fstat(STDIN_FILENO, &st) && st.st_dev == o->dev &&
	       st.st_ino == o->ino;
}

/* Two outputs naming one file (by any path): the second rename would orphan the first. */
static bool same_target(const struct outfile *a, const struct outfile *b)
{
	struct stat sa, sb;

	return !strcmp(a->name, b->name) && !fstat(a->dirfd, &sa) && !fstat(b->dirfd, &sb) &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int open_outputs(struct report *r, const struct options *o, struct outfile *html,
			struct outfile *trace, bool *have_html, bool *have_trace)
{
	int e;

	if (o->html) {
		if (report_html_open(html, o->html, r->err))
			return REPORT_OUTPUT;
		*have_html = true;
	}
	if (o->trace) {
		e = outfile_open(trace, o->trace, REPORT_TRACE_MODE);
		if (e) {
			say_usage(r->err, "cannot write ", o->trace, "");
			fprintf(r->err, REPORT_PFX "%s\n", outfile_strerror(-e));
			return REPORT_OUTPUT;
		}
		*have_trace = true;
	}
	if (*have_html && *have_trace && same_target(html, trace)) {
		fprintf(r->err, REPORT_PFX "--html and --trace-event name the same file\n");
		return REPORT_USAGE;
	}
	r->keep_lines = *have_html || *have_trace;
	for (size_t i = 0; i < r->nr_files; i++) {
		if ((*have_html && replaces_input(html, r->files[i].path)) ||
		    (*have_trace && replaces_input(trace, r->files[i].path))) {
			fprintf(r->err, REPORT_PFX "%s: %s is also an input\n",
				*have_html && replaces_input(html, r->files[i].path)
					? "--html"
					: "--trace-event",
				r->files[i].name);
			return REPORT_USAGE;
		}
	}
	return REPORT_OK;
}

static int finish(struct report *r, struct options *o, int ret)
{
	free(r->filter.devs);
	free(r->filter.invs);
	free(o->invs);
	report_free(r);
	return ret;
}

int report_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct report r = { .out = out, .err = err };
	struct options o = {};
	struct outfile html, trace;
	bool have_html = false, have_trace = false, unreadable = false, not_a_log = false;
	int ret;

	ret = parse_args(&r, &o, argc, argv);
	if (ret || o.help || o.version) {
		if (o.help)
			usage(out);
		else if (o.version)
			fprintf(out, "dmswap-trace %s\n", DMSWAP_VERSION);
		if (!ret && out_failed(out, err))
			ret = REPORT_OUTPUT;
		return finish(&r, &o, ret);
	}
	for (size_t i = 0; i < r.nr_files; i++) {
		r.files[i].name = report_esc(&r, r.files[i].path, strlen(r.files[i].path));
		if (!r.files[i].name)
			goto oom;
	}
	/* Before reading anything: an OUT that cannot be written, or is an input. */
	ret = open_outputs(&r, &o, &html, &trace, &have_html, &have_trace);
	if (ret)
		goto abort;

	for (size_t i = 0; i < r.nr_files && !r.oom; i++) {
		report_read_file(&r, i);
		unreadable |= r.files[i].read_errno != 0;
		not_a_log |= r.files[i].not_a_log;
	}
	if (r.oom || report_group(&r))
		goto oom;

	/* The first failed write sets errno (outfile_flush()). */
	errno = 0;
	report_print(&r);
	if (r.oom)
		goto oom;
	ret = unreadable      ? REPORT_UNREADABLE
	      : not_a_log     ? REPORT_NOT_A_LOG
	      : r.shown_viols ? REPORT_VIOLATION
			      : REPORT_OK;
	/* A report that did not reach its reader is no report. */
	if (out_failed(out, err))
		ret = REPORT_OUTPUT;
	/* An output asked for: without it the command failed, whatever the logs say. */
	if (have_html && report_html_write(&r, &html, o.html, err))
		ret = REPORT_OUTPUT;
	if (have_trace && report_trace_write(&r, &trace, o.trace, err))
		ret = REPORT_OUTPUT;
	return finish(&r, &o, ret);
oom:
	fprintf(err, REPORT_PFX "out of memory\n");
	ret = REPORT_UNREADABLE;
abort:
	if (have_html)
		outfile_abort(&html);
	if (have_trace)
		outfile_abort(&trace);
	return finish(&r, &o, ret);
}
