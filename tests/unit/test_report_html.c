// SPDX-License-Identifier: GPL-2.0
/*
 * "dmswap-trace report --html OUT": the data embedded in the page (parsed
 * back with our own parser), its safety inside <script> against hostile
 * strings (tests/data/logs/hostile.jsonl: a device named
 * "</script><img src=x onerror=alert(1)>" plus ESC, a message closing the
 * script, a comm with an escape sequence), and the file itself.  The page's
 * drawing is checked in a browser by tests/host/html.sh.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/jsonparse.h"
#include "report/report.h"
#include "unit.h"

#define DATA_OPEN "<script type=\"application/json\" id=\"dmswap-data\">"

struct page {
	int rc;
	char *out, *err;
	char *html; /* the file, NUL-terminated; NULL if none */
	size_t len;
	mode_t mode;
	struct jp_doc doc;
	const struct jp_value *data; /* parsed back, or NULL */
	char *raw; /* the data as embedded */
};

/* When not 0: files the report writes stop at this size (EFBIG), as on a full disk. */
static rlim_t render_fsize;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &cap);
	for (int c; (c = getc(f)) != EOF;)
		putc(c, m);
	fclose(m);
	fclose(f);
	*len = cap;
	return buf;
}

/* report_main() with --html to a fresh file; logs/ names are in tests/data. */
static void render(struct page *p, const char *html, const char *log)
{
	char tmp[] = "/tmp/dmswap-html-XXXXXX", *path = NULL, *logpath = NULL;
	char *argv[5] = { "report", "--html" };
	size_t outlen, errlen;
	FILE *out, *err;
	struct jp_error jerr;
	struct rlimit old_lim;
	struct stat st;
	mode_t old;
	char *start, *end;

	memset(p, 0, sizeof(*p));
	jp_doc_init(&p->doc);
	CHECK(mkdtemp(tmp) != NULL);
	CHECK(asprintf(&path, "%s/%s", tmp, html ? html : "page.html") > 0);
	CHECK(asprintf(&logpath, "%s/%s", unit_data_dir, log) > 0);
	argv[2] = html && html[0] == '/' ? (char *)html : path;
	argv[3] = logpath;
	out = open_memstream(&p->out, &outlen);
	err = open_memstream(&p->err, &errlen);
	/* 0644 as the page asks, whatever the umask: the service's is 0077. */
	old = umask(077);
	if (render_fsize) {
		struct rlimit lim = { render_fsize, RLIM_INFINITY };

		getrlimit(RLIMIT_FSIZE, &old_lim);
		lim.rlim_max = old_lim.rlim_max;
		signal(SIGXFSZ, SIG_IGN);
		CHECK(!setrlimit(RLIMIT_FSIZE, &lim));
	}
	p->rc = report_main(4, argv, out, err);
	if (render_fsize) {
		setrlimit(RLIMIT_FSIZE, &old_lim);
		signal(SIGXFSZ, SIG_DFL);
	}
	umask(old);
	fclose(out);
	fclose(err);
	/* Regular files only: /dev/full reads zeros forever. */
	if (!stat(argv[2], &st) && S_ISREG(st.st_mode)) {
		p->mode = st.st_mode & 07777;
		p->html = slurp(argv[2], &p->len);
	}
	if (argv[2] == path)
		unlink(path);
	rmdir(tmp);
	free(path);
	free(logpath);
	if (!p->html)
		return;
	start = strstr(p->html, DATA_OPEN);
	end = start ? strstr(start, "</script>") : NULL;
	if (!end)
		return;
	start += strlen(DATA_OPEN);
	p->raw = strndup(start, end - start);
	p->data = jp_parse(&p->doc, p->raw, strlen(p->raw), &jerr);
	if (!p->data)
		unit_fail(__FILE__, __LINE__, "data not JSON at %zu: %s", jerr.offset, jerr.msg);
}

static void page_free(struct page *p)
{
	free(p->out);
	free(p->err);
	free(p->html);
	free(p->raw);
	jp_doc_free(&p->doc);
}

static size_t count_ci(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		n += !strncasecmp(hay + i, needle, k);
	return n;
}

/* Member @key of @o, through "a.0.b" paths of keys and array indexes. */
static const struct jp_value *at(const struct jp_value *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save))
		o = jp_type(o) == JP_ARRAY ? jp_at(o, strtoul(k, NULL, 10)) : jp_get(o, k);
	return o;
}

static const char *str_at(const struct jp_value *o, const char *path)
{
	return jp_str(at(o, path), NULL);
}

static long long int_at(const struct jp_value *o, const char *path)
{
	int64_t i;

	return jp_int64(at(o, path), &i) ? i : -1;
}

TEST(report_html_612_data)
{
	struct page p;
	const struct jp_value *d, *cycles, *cy;
	size_t with_viols = 0;

	render(&p, NULL, "logs/v-6.12.jsonl");
	d = p.data;
	/* The text report still goes to stdout, with the same status. */
	CHECK_INT(p.rc, REPORT_VIOLATION);
	CHECK_STR(p.err, "");
	CHECK(strstr(p.out, "1 of 1 files read, 41 lines, 35 events, 4 violations") != NULL);
	CHECK_INT(p.mode, 0644);
	CHECK(p.html && !strncmp(p.html, "<!DOCTYPE html>", 15));
	CHECK(p.html && strstr(p.html, "</html>\n"));
	/* Self-contained: nothing to fetch, and its policy forbids any fetch. */
	CHECK(p.html && !strstr(p.html, " src=") && !strstr(p.html, " href="));
	CHECK(p.html && !strstr(p.html, "url(") && !strstr(p.html, "@import"));
	CHECK(p.html && strstr(p.html, "content=\"default-src 'none';"));
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_INT(jp_len(at(d, "files")), 1);
	CHECK_INT(int_at(d, "files.0.lines"), 41);
	CHECK_INT(int_at(d, "files.0.events"), 35);
	CHECK_INT(int_at(d, "files.0.violations"), 4);
	CHECK_INT(jp_len(at(d, "sessions")), 1);
	CHECK_STR(str_at(d, "sessions.0.kernel"), "6.12.117+deb13-amd64");
	/* Older logs: no host in the armed line, the file stands for it. */
	CHECK(at(d, "sessions.0.host") && jp_type(at(d, "sessions.0.host")) == JP_NULL);
	/* The counts of the text report, in its order. */
	CHECK_INT(jp_len(at(d, "counts")), 3);
	CHECK_STR(str_at(d, "counts.0.inv"), "INV-4");
	CHECK_STR(str_at(d, "counts.1.inv"), "INV-8");
	CHECK_INT(int_at(d, "counts.1.count"), 2);
	CHECK_STR(str_at(d, "counts.2.dev"), "cr");
	/* Six cycles in timeline order (cr first), four violations. */
	cycles = at(d, "cycles");
	CHECK_INT(jp_len(cycles), 6);
	CHECK_INT(jp_len(at(d, "violations")), 4);
	CHECK_STR(str_at(d, "cycles.0.dev"), "cr");
	CHECK_INT(int_at(d, "cycles.0.swap_id"), 4);
	CHECK_STR(str_at(d, "cycles.0.status"), "ok");
	CHECK_STR(str_at(d, "cycles.0.targets"), "crypt");
	CHECK_STR(str_at(d, "cycles.0.sectors"), "0 -> 2097152");
	CHECK_STR(str_at(d, "cycles.0.duration"), "20.506 ms");
	/* Cycle 6: refused twice, never resumed; three violations on it. */
	CHECK_INT(int_at(d, "cycles.2.swap_id"), 6);
	CHECK_STR(str_at(d, "cycles.2.status"), "failed");
	CHECK_STR(str_at(d, "cycles.2.result"), "EINVAL (2 swaps), no resume");
	CHECK_STR(str_at(d, "cycles.2.swaps.0.targets"), "crypt");
	CHECK_STR(str_at(d, "cycles.2.swaps.0.result"), "EINVAL");
	CHECK_INT(jp_len(at(d, "cycles.2.violations")), 3);
	CHECK_STR(str_at(d, "cycles.5.status"), "failed");
	/* Wall-clock span: from the start of the suspend to the end of the resume. */
	CHECK_INT(int_at(d, "cycles.3.start_us") % 60000000, 20762370 - 647);
	CHECK_INT(int_at(d, "cycles.3.end_us") - int_at(d, "cycles.3.start_us"), 25200);
	for (cy = jp_first(cycles); cy; cy = jp_next(cycles, cy)) {
		for (size_t k = 0; k < jp_len(jp_get(cy, "violations")); k++) {
			int64_t vn = -1;

			with_viols++;
			/* By number, 1 first, as #violation-N: the Nth in the array. */
			CHECK(jp_int64(jp_at(jp_get(cy, "violations"), k), &vn));
			CHECK(vn >= 1);
			/* Both sides agree on the link. */
			CHECK_INT(int_at(jp_at(at(d, "violations"), vn - 1), "number"), vn);
			CHECK_INT(int_at(jp_at(at(d, "violations"), vn - 1), "swap_id"),
				  int_at(cy, "swap_id"));
			CHECK_STR(str_at(jp_at(at(d, "violations"), vn - 1), "cycle"),
				  str_at(cy, "label"));
		}
	}
	CHECK_INT(with_viols, 4);
	/* A violation carries its evidence (before/after) and its stack. */
	CHECK_STR(str_at(d, "violations.1.inv"), "INV-4");
	CHECK_STR(str_at(d, "violations.1.message"), "a failed swap changed the device");
	CHECK_INT(int_at(d, "violations.1.rule"), 0);
	CHECK_STR(str_at(d, "violations.1.comm"), "dmsetup");
	CHECK_INT(int_at(d, "violations.1.pid"), 297);
	CHECK_STR(str_at(d, "violations.1.evidence.0.field"), "errno");
	CHECK_STR(str_at(d, "violations.1.evidence.0.value"), "EINVAL");
	CHECK_STR(str_at(d, "violations.1.evidence.1.field"), "md.flags.EMULATE_ZONE_APPEND");
	CHECK_STR(str_at(d, "violations.1.evidence.1.before"), "false");
	CHECK_STR(str_at(d, "violations.1.evidence.1.after"), "true");
	CHECK_INT(jp_len(at(d, "violations.1.stack")), 7);
	CHECK_STR(str_at(d, "violations.1.stack.0"), "dm_swap_table+0x9 [dm_mod]");
	/* Numbers in evidence become text: the tooltip only shows them. */
	CHECK_STR(str_at(d, "violations.0.evidence.3.value"), "8");
	/* Its cycle by label: swap 5, drawn "#5", anchored #cycle-5. */
	CHECK_STR(str_at(d, "violations.0.cycle"), "5");
	CHECK_STR(str_at(d, "cycles.1.label"), "5");
	/* Nothing in the data can end the element. */
	CHECK(!strchr(p.raw, '<'));
	CHECK_INT(count_ci(p.html, p.len, "</script"), 2);
out:
	page_free(&p);
}

TEST(report_html_hostile_names_stay_data)
{
	static const char dev[] = "</script><img src=x onerror=alert(1)>\\x1b";
	struct page p;
	const struct jp_value *d;

	render(&p, NULL, "logs/hostile.jsonl");
	d = p.data;
	CHECK_INT(p.rc, REPORT_VIOLATION);
	CHECK(p.html != NULL && d != NULL);
	if (!p.html || !d)
		goto out;
	/* Only the page's own two script elements end; no tag comes from the logs. */
	CHECK_INT(count_ci(p.html, p.len, "</script"), 2);
	CHECK_INT(count_ci(p.html, p.len, "<script"), 2);
	CHECK_INT(count_ci(p.html, p.len, "<img"), 0);
	CHECK_INT(count_ci(p.html, p.len, "<!--"), 0);
	CHECK_INT(count_ci(p.html, p.len, "<b>"), 0);
	CHECK(!memchr(p.html, '\x1b', p.len));
	CHECK(!strchr(p.raw, '<') && !strchr(p.raw, '>') && !strchr(p.raw, '&'));
	CHECK(strstr(p.raw,
		     "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\\\x1b"));
	/* Decoded, the strings are as the text report shows them. */
	CHECK_STR(str_at(d, "cycles.0.dev"), dev);
	CHECK_STR(str_at(d, "cycles.0.targets"), "linear,<b>t</b>");
	CHECK_STR(str_at(d, "counts.0.dev"), dev);
	CHECK_STR(str_at(d, "violations.0.dev"), dev);
	CHECK_STR(str_at(d, "violations.0.message"), "</script><script>alert(2)</script><!--");
	CHECK_STR(str_at(d, "violations.0.comm"), "</SCRIPT>\\x1b[31m");
	CHECK_STR(str_at(d, "violations.0.evidence.0.field"), "<img src=y>");
	CHECK_STR(str_at(d, "violations.0.evidence.0.before"), "</script>");
	CHECK_STR(str_at(d, "violations.0.evidence.0.after"), "&amp;");
	CHECK_STR(str_at(d, "violations.0.stack.0"), "</script>+0x1");
	/* The other device's cycle was never resumed. */
	CHECK_STR(str_at(d, "cycles.1.dev"), "web");
	CHECK_STR(str_at(d, "cycles.1.status"), "noresume");
out:
	page_free(&p);
}

TEST(report_html_unwritable_out)
{
	struct page p;

	/* Said before anything is read: nothing on stdout. */
	render(&p, "/nonexistent-dir/page.html", "logs/v-6.12.jsonl");
	CHECK_INT(p.rc, REPORT_OUTPUT);
	CHECK_STR(p.out, "");
	CHECK_STR(p.err, "dmswap-trace: report: cannot write /nonexistent-dir/page.html: "
			 "No such file or directory\n");
	page_free(&p);

	/* Not a regular file: refused before anything is read, never written to. */
	render(&p, "/dev/full", "logs/v-6.12.jsonl");
	CHECK_INT(p.rc, REPORT_OUTPUT);
	CHECK_STR(p.out, "");
	CHECK_STR(p.err, "dmswap-trace: report: cannot write /dev/full: not a regular file\n");
	page_free(&p);
}

/* A fresh directory holding @name (when not NULL) with @text; its path in @dir. */
static void scratch(char dir[32], const char *name, const char *text, char **path)
{
	FILE *f;

	strcpy(dir, "/tmp/dmswap-out-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	CHECK(asprintf(path, "%s/%s", dir, name) > 0);
	if (!text)
		return;
	f = fopen(*path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* How many entries @dir holds, "." and ".." aside. */
static int dir_entries(const char *dir)
{
	char *cmd = NULL, line[64] = "";
	FILE *p;

	CHECK(asprintf(&cmd, "ls -A '%s' | wc -l", dir) > 0);
	p = popen(cmd, "r");
	if (p && !fgets(line, sizeof(line), p))
		line[0] = '\0';
	if (p)
		pclose(p);
	free(cmd);
	return atoi(line);
}

TEST(report_html_write_fails_at_the_end)
{
	char dir[32], *path = NULL, *cmd = NULL;
	struct page p;

	/* A disk that fills while the page is written: OUT is left as it was. */
	scratch(dir, "page.html", "the old page\n", &path);
	render_fsize = 4096;
	render(&p, path, "logs/v-6.12.jsonl");
	render_fsize = 0;
	CHECK_INT(p.rc, REPORT_OUTPUT);
	CHECK(strstr(p.out, "4 violations") != NULL);
	CHECK(strstr(p.err, ": File too large\n") != NULL);
	CHECK(p.html && !strcmp(p.html, "the old page\n"));
	/* And no temporary file stays behind. */
	CHECK_INT(dir_entries(dir), 1);
	page_free(&p);
	CHECK(asprintf(&cmd, "rm -rf '%s'", dir) > 0 && !system(cmd));
	free(cmd);
	free(path);
}

TEST(report_html_does_not_follow_a_link)
{
	char dir[32], *path = NULL, *victim = NULL, *cmd = NULL;
	struct page p;

	/* OUT a link to a file someone else cares about: refused, the file kept. */
	scratch(dir, "victim", "precious\n", &victim);
	CHECK(asprintf(&path, "%s/page.html", dir) > 0);
	CHECK(!symlink(victim, path));
	render(&p, path, "logs/v-6.12.jsonl");
	CHECK_INT(p.rc, REPORT_OUTPUT);
	CHECK_STR(p.out, "");
	CHECK(strstr(p.err, "page.html: a symbolic link, not followed\n") != NULL);
	CHECK(p.html && !strcmp(p.html, "precious\n"));
	page_free(&p);
	CHECK(asprintf(&cmd, "rm -rf '%s'", dir) > 0 && !system(cmd));
	free(cmd);
	free(path);
	free(victim);
}

TEST(report_html_out_is_an_input)
{
	char dir[32], *log = NULL, *alias = NULL, *cmd = NULL, *before, *after;
	size_t outlen, errlen, len;
	char *o = NULL, *e = NULL;
	FILE *out, *err;

	/* "report --html a a": refused, a untouched (it was emptied, then read as empty). */
	CHECK(asprintf(&cmd, "%s/logs/v-6.12.jsonl", unit_data_dir) > 0);
	before = slurp(cmd, &len);
	free(cmd);
	scratch(dir, "a.jsonl", before, &log);
	/* The same file by another name: a hard link. */
	CHECK(asprintf(&alias, "%s/b.jsonl", dir) > 0);
	CHECK(!link(log, alias));
	for (int i = 0; i < 2; i++) {
		char *argv[] = { "report", "--html", i ? alias : log, log };

		out = open_memstream(&o, &outlen);
		err = open_memstream(&e, &errlen);
		CHECK_INT(report_main(4, argv, out, err), REPORT_USAGE);
		fclose(out);
		fclose(err);
		CHECK_STR(o, "");
		CHECK(strstr(e, "dmswap-trace: report: --html: ") == e);
		CHECK(strstr(e, "a.jsonl is also an input\n") != NULL);
		after = slurp(log, &len);
		CHECK(after && before && !strcmp(after, before));
		free(after);
		free(o);
		free(e);
	}
	free(before);
	CHECK(asprintf(&cmd, "rm -rf '%s'", dir) > 0 && !system(cmd));
	free(cmd);
	free(log);
	free(alias);
}

TEST(report_html_option_needs_argument)
{
	size_t outlen, errlen;
	char *o = NULL, *e = NULL;
	FILE *out = open_memstream(&o, &outlen), *err = open_memstream(&e, &errlen);
	char *argv[] = { "report", "x.jsonl", "--html" };

	CHECK_INT(report_main(3, argv, out, err), REPORT_USAGE);
	fclose(out);
	fclose(err);
	CHECK(strstr(e, "dmswap-trace: report: option --html needs an argument\n") != NULL);
	free(o);
	free(e);
}
