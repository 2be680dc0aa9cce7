// SPDX-License-Identifier: GPL-2.0
/*
 * "dmswap-trace report" over a canary's life: restarts (restart-6.12.jsonl:
 * v-6.12.jsonl appended to itself an hour later, as systemctl restart
 * gives), rotation (rotated/: the log cut by logrotate in a swap cycle, the
 * older part gzip-compressed, the armed line naming host, boot and start),
 * files that are not logs, stdin, the filters, the per-device counts, the
 * upstream fixes and the trace events.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "report/jsonparse.h"
#include "report/report.h"
#include "report_run.h"
#include "unit.h"

/* A temporary file holding @text: its path, to unlink and free. */
static char *temp_log(const char *text)
{
	char *path = strdup("/tmp/dmswap-report-XXXXXX");
	int fd = path ? mkstemp(path) : -1;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		unit_fail(__FILE__, __LINE__, "cannot make a temporary log");
		if (fd >= 0)
			close(fd);
		return path;
	}
	close(fd);
	return path;
}

static void temp_free(char *path)
{
	if (path)
		unlink(path);
	free(path);
}

/* A restart counts swap_id from 1 again: its cycles are its own. */
TEST(report_restart_never_joins_cycles)
{
	struct run r = report("logs/restart-6.12.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK_HAS(r.out, "82 lines, 70 events, 8 violations");
	CHECK_HAS(r.out, "  Session 1: armed 2026-11-24T05:34:20.612650Z, kernel "
			 "6.12.117+deb13-amd64 (");
	CHECK_HAS(r.out, "restart-6.12.jsonl:1): 6 cycles, 4 violations\n");
	CHECK_HAS(r.out, "restart-6.12.jsonl:42): 6 cycles, 4 violations\n");
	/* Twelve cycles, each as in one session: never 4 swaps, never an hour long. */
	CHECK_INT(count(r.out, "EINVAL (2 swaps), no resume  170.742 ms\n"), 2);
	CHECK(!strstr(r.out, "(4 swaps)"));
	CHECK(!strstr(r.out, "3600."));
	CHECK_INT(count(r.out, "      ! INV-"), 8);
	CHECK(before(r.out, "\nSession 1: armed", "  2026-11-24T05:34:21.503922Z  cr         6"));
	CHECK(before(r.out, "\nSession 2: armed", "  2026-11-24T06:34:21.503922Z  cr         6"));
	run_free(&r);
}

/*
 * Rotated in a cycle (cycle 5's suspend in the .gz, its swap, violation
 * and resume in the current file), given in any order: one session, whole
 * cycles, as the log unrotated.
 */
TEST(report_rotation_joins_the_session_it_cut)
{
	struct run r = report("logs/rotated/events.jsonl", "logs/rotated/events.jsonl.1.gz", NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK_HAS(r.out, "2 of 2 files read, 41 lines, 35 events, 4 violations\n");
	CHECK_HAS(r.out, "events.jsonl.1.gz: gzip, 29 lines, 28 events, 0 violations; "
			 "kernel 6.12.117+deb13-amd64\n");
	CHECK_HAS(r.out, "  Session 1: host canary-1, boot 5c0e8a0e-8d7e-4c61-9d8a-3f1f6b0e2a41, "
			 "started 2026-11-24T05:34:16.871977Z, kernel 6.12.117+deb13-amd64 (");
	CHECK_HAS(r.out, "events.jsonl.1.gz:1): 6 cycles, 4 violations\n");
	CHECK(!strstr(r.out, "Session 2"));
	CHECK_HAS(r.out,
		  "  2026-11-24T05:34:21.331118Z  cr         5  error    2097152 -> 2097152  "
		  "ok                            59.815 ms\n"
		  "      ! INV-9 zone write plugs");
	CHECK(!strstr(r.out, "no swap"));
	/* The host names the device's row. */
	CHECK_HAS(r.out, "  canary-1  cr           3       3         1           4    0.815 ms   "
			 "57.844 ms    0.249 ms    0.284 ms\n");
	run_free(&r);
}

/* The same log as the unrotated one, whether it is gzip or not. */
TEST(report_gzip_reads_as_plain)
{
	char *gz = strdup("/tmp/dmswap-report-XXXXXX"), *src = NULL, *want;
	struct run a, b;
	int fd = gz ? mkstemp(gz) : -1;
	gzFile w = fd >= 0 ? gzdopen(fd, "wb") : NULL;
	FILE *in;
	char buf[4096];
	size_t n;

	CHECK(asprintf(&src, "%s/logs/v-6.12.jsonl", unit_data_dir) > 0);
	in = fopen(src, "r");
	CHECK(w && in);
	while (w && in && (n = fread(buf, 1, sizeof(buf), in)))
		CHECK(gzwrite(w, buf, n) == (int)n);
	if (in)
		fclose(in);
	if (w)
		gzclose(w);
	a = report(src, NULL);
	b = report(gz, NULL);
	CHECK_INT(b.rc, REPORT_VIOLATION);
	CHECK_STR(b.err, "");
	/* The same counts, cycles and durations. */
	want = strstr(a.out, "\nViolations by invariant");
	CHECK(want && strstr(b.out, "\nViolations by invariant") &&
	      !strncmp(strstr(b.out, "\nViolations by invariant"), want,
		       strstr(want, "\nSwap cycles") - want));
	CHECK_HAS(b.out, "EINVAL (2 swaps), no resume  170.742 ms\n");
	CHECK_HAS(b.out,
		  ": gzip, 41 lines, 35 events, 4 violations; kernel 6.12.117+deb13-amd64\n");
	CHECK_INT(count(b.out, "      ! INV-"), 4);
	run_free(&a);
	run_free(&b);
	free(src);
	temp_free(gz);
}

/* A cut gzip stream: what it held is read, and the report says it is incomplete. */
TEST(report_damaged_gzip_is_unreadable)
{
	char *path = NULL, *cut = strdup("/tmp/dmswap-report-XXXXXX");
	int fd = cut ? mkstemp(cut) : -1;
	FILE *in;
	char buf[8192];
	size_t n = 0;
	struct run r;

	CHECK(asprintf(&path, "%s/logs/rotated/events.jsonl.1.gz", unit_data_dir) > 0);
	in = fopen(path, "r");
	CHECK(in && fd >= 0);
	if (in) {
		n = fread(buf, 1, sizeof(buf), in);
		fclose(in);
	}
	/* Half of it: no end of stream, no CRC. */
	CHECK(fd >= 0 && write(fd, buf, n / 2) == (ssize_t)(n / 2));
	if (fd >= 0)
		close(fd);
	r = report(cut, NULL);
	CHECK_INT(r.rc, REPORT_UNREADABLE);
	CHECK_HAS(r.err, ": damaged gzip data: Input/output error\n");
	CHECK_HAS(r.out, "; read error: Input/output error\n");
	run_free(&r);
	free(path);
	temp_free(cut);
}

/* README.md given by mistake: an error of its own, the real log still reported. */
TEST(report_not_a_log_has_its_own_status)
{
	char *path = temp_log("# dmswap-trace\n\nA runtime verifier.\n");
	struct run r = report(path, "logs/host-6.1.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_NOT_A_LOG);
	CHECK_HAS(r.err, ": no dmswap-trace record in it: not a log\n");
	CHECK_HAS(r.out,
		  "3 lines, 0 events, 0 violations; no record: not a log; 2 lines skipped\n");
	CHECK_HAS(r.out, "host-6.1.jsonl: 38 lines, 36 events, 0 violations");
	run_free(&r);
	/* It wins over a violation: a log meant may be missing. */
	r = report(path, "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_NOT_A_LOG);
	run_free(&r);
	/* A gzip of garbage too. */
	temp_free(path);
	/* An empty file (logrotate's create) is no error. */
	path = temp_log("");
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_STR(r.err, "");
	run_free(&r);
	temp_free(path);
}

/* "report --html X - < X": X is the input, by stdin; it must stay the log. */
TEST(report_html_refuses_to_replace_stdin)
{
	char *log = NULL, *copy = temp_log(""), *page = NULL;
	int saved = dup(STDIN_FILENO), fd;
	struct stat before_st, after_st;
	FILE *in, *outf;
	char buf[8192];
	size_t n;
	struct run r;

	CHECK(asprintf(&log, "%s/logs/v-6.12.jsonl", unit_data_dir) > 0);
	in = fopen(log, "r");
	outf = fopen(copy, "w");
	CHECK(in && outf);
	while (in && outf && (n = fread(buf, 1, sizeof(buf), in)))
		CHECK(fwrite(buf, 1, n, outf) == n);
	if (in)
		fclose(in);
	if (outf)
		fclose(outf);
	CHECK(!stat(copy, &before_st));
	fd = open(copy, O_RDONLY);
	CHECK(fd >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	r = report("--html", copy, "-", NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	if (fd >= 0)
		close(fd);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "dmswap-trace: report: --html: - is also an input\n");
	CHECK(!stat(copy, &after_st));
	CHECK_INT(after_st.st_size, before_st.st_size);
	CHECK_INT(after_st.st_ino, before_st.st_ino);
	run_free(&r);
	/* --trace-event too. */
	fd = open(copy, O_RDONLY);
	saved = dup(STDIN_FILENO);
	CHECK(fd >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	r = report("--trace-event", copy, "-", NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	if (fd >= 0)
		close(fd);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "--trace-event: - is also an input\n");
	run_free(&r);
	free(log);
	free(page);
	temp_free(copy);
}

/* "lin\u0000forged" is not "lin": kept whole, the NUL shown escaped. */
TEST(report_nul_in_a_name_is_kept_escaped)
{
	char *path = temp_log(
		"{\"kind\":\"violation\",\"ts\":\"2026-11-24T05:34:21.389335Z\",\"inv\":\"INV-4\","
		"\"message\":\"m\\u0000n\",\"dev\":\"lin\\u0000forged\",\"swap_id\":null}\n"
		"{\"kind\":\"violation\",\"ts\":\"2026-11-24T05:34:22.389335Z\",\"inv\":\"INV-4\","
		"\"message\":\"m\",\"dev\":\"lin\",\"swap_id\":null}\n");
	struct run r = report(path, NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_HAS(r.out, "  INV-4  lin                1\n"
			 "  INV-4  lin\\x00forged      1\n");
	CHECK_HAS(r.out, "  lin\\x00forged  INV-4 m\\x00n\n");
	run_free(&r);
	/* --dev names it as the report shows it. */
	r = report("--dev", "lin", path, NULL);
	CHECK_INT(count(r.out, "  INV-4  lin"), 1);
	CHECK(!strstr(r.out, "forged"));
	run_free(&r);
	temp_free(path);
}

TEST(report_filters)
{
	struct run r = report("--dev", "lin", "logs/v-6.12.jsonl", NULL);

	/* lin has no violation: 0, though the file has some. */
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.out, "Violations by invariant and device: none\n");
	CHECK_INT(count(r.out, "Z  lin        "), 3);
	CHECK(!strstr(r.out, "Z  cr         "));
	run_free(&r);

	r = report("-d", "253:1", "--inv", "8", "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_HAS(r.out, "  INV    DEVICE  COUNT\n  INV-8  cr          2\n\n");
	/* Only the cycle that has one. */
	CHECK_INT(count(r.out, "Z  cr         "), 1);
	CHECK_HAS(r.out, "Z  cr         6  error");
	CHECK(!strstr(r.out, "INV-4 a failed"));
	run_free(&r);

	/* [since, until): cycle 5 starts at 05:34:21.331118, 6 at .503922. */
	r = report("--since", "2026-11-24T05:34:21.3Z", "--until", "2026-11-24T05:34:21.5Z",
		   "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_HAS(r.out, "Z  cr         5  error");
	CHECK_INT(count(r.out, "Z  cr         "), 1);
	CHECK_INT(count(r.out, "      ! INV-"), 1);
	CHECK_HAS(r.out, ": 1 cycles, 1 violations\n");
	run_free(&r);
	r = report("--since", "2026-11-25", "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.out, "Swap cycles by session and device, in time order: none\n");
	run_free(&r);

	r = report("--since", "yesterday", "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "dmswap-trace: report: not a UTC time: yesterday (");
	CHECK_STR(r.out, "");
	run_free(&r);
	r = report("--inv", "INV-0", "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "--inv: not an invariant: INV-0");
	run_free(&r);
	r = report("--since", "2026-11-25", "--until", "2026-11-24", "logs/v-6.12.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	run_free(&r);
	r = report("logs/v-6.12.jsonl", "--dev", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "option --dev needs an argument\n");
	run_free(&r);
}

/* Swaps, failures, violations, p50/p99 of swap and suspend (nearest rank). */
TEST(report_per_device_counts_and_durations)
{
	struct run r = report("logs/v-6.12.jsonl", NULL);

	CHECK_HAS(r.out, "  HOST                          DEVICE  CYCLES   SWAPS  FAILURES  "
			 "VIOLATIONS    SWAP p50    SWAP p99    SUSP p50    SUSP p99\n");
	/* cr: swaps of 0.815, 57.844 ms and the two of cycle 6; suspends 0.249 to 0.284 ms. */
	CHECK_HAS(r.out, "  cr           3       3         1           4    0.815 ms   57.844 ms  "
			 "  0.249 ms    0.284 ms\n");
	CHECK_HAS(r.out, "  lin          3       3         1           0   18.582 ms   24.606 ms  "
			 "  0.647 ms    1.605 ms\n");
	run_free(&r);
}

/* The same name, another device: a first table (from 0 sectors) or another devt. */
TEST(report_recreated_device_is_another_instance)
{
	char *path = temp_log(
		"{\"kind\":\"event\",\"event\":\"armed\",\"ts\":\"2026-11-24T05:00:00.000000Z\","
		"\"mono_ns\":1000000000,\"kernel\":\"6.12\"}\n"
		"{\"kind\":\"event\",\"event\":\"swap\",\"ts\":\"2026-11-24T05:00:01.000000Z\","
		"\"mono_ns\":2000000000,\"dev\":\"x\",\"devt\":\"253:0\",\"swap_id\":1,\"ret\":0,"
		"\"dur_ns\":1000,\"old_sectors\":0,\"new_sectors\":8,\"targets\":[\"zero\"]}\n"
		"{\"kind\":\"event\",\"event\":\"swap\",\"ts\":\"2026-11-24T05:00:02.000000Z\","
		"\"mono_ns\":3000000000,\"dev\":\"x\",\"devt\":\"253:0\",\"swap_id\":2,\"ret\":0,"
		"\"dur_ns\":1000,\"old_sectors\":8,\"new_sectors\":16,\"targets\":[\"zero\"]}\n"
		"{\"kind\":\"event\",\"event\":\"swap\",\"ts\":\"2026-11-24T05:00:03.000000Z\","
		"\"mono_ns\":4000000000,\"dev\":\"x\",\"devt\":\"253:0\",\"swap_id\":3,\"ret\":0,"
		"\"dur_ns\":1000,\"old_sectors\":0,\"new_sectors\":8,\"targets\":[\"zero\"]}\n"
		"{\"kind\":\"event\",\"event\":\"swap\",\"ts\":\"2026-11-24T05:00:04.000000Z\","
		"\"mono_ns\":5000000000,\"dev\":\"x\",\"devt\":\"253:1\",\"swap_id\":4,\"ret\":0,"
		"\"dur_ns\":1000,\"old_sectors\":8,\"new_sectors\":8,\"targets\":[\"zero\"]}\n");
	struct run r = report(path, NULL);

	CHECK_INT(r.rc, REPORT_OK);
	CHECK(before(r.out, "Z  x          2  zero",
		     "  (x re-created as 253:0: device instance 2)\n"
		     "  2026-11-24T05:00:03.000000Z  x          3  zero"));
	CHECK(before(r.out, "Z  x          3  zero",
		     "  (x re-created as 253:1: device instance 3)\n"
		     "  2026-11-24T05:00:04.000000Z  x          4  zero"));
	CHECK_INT(count(r.out, "re-created"), 2);
	run_free(&r);
	temp_free(path);
}

/* A trace-event file: the fields the format documents, per kind of event. */
TEST(report_trace_event_format)
{
	char dir[] = "/tmp/dmswap-trace-XXXXXX", *out = NULL, *buf = NULL;
	struct jp_doc doc;
	struct jp_error jerr;
	const struct jp_value *root, *evs;
	size_t len = 0, x = 0, inst = 0, meta_p = 0, meta_t = 0, sess = 0;
	bool evidence = false, fixes = false;
	struct stat st;
	struct run r;
	FILE *f;

	CHECK(mkdtemp(dir));
	CHECK(asprintf(&out, "%s/trace.json", dir) > 0);
	r = report("--trace-event", out, "logs/rotated/events.jsonl.1.gz",
		   "logs/rotated/events.jsonl", "logs/host-6.1.jsonl", NULL);
	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK(!stat(out, &st) && (st.st_mode & 07777) == 0644);
	f = fopen(out, "r");
	CHECK(f);
	if (f) {
		buf = malloc(st.st_size + 1);
		len = buf ? fread(buf, 1, st.st_size, f) : 0;
		fclose(f);
	}
	jp_doc_init(&doc);
	root = buf ? jp_parse(&doc, buf, len, &jerr) : NULL;
	CHECK(root && jp_type(root) == JP_OBJECT);
	evs = jp_get(root, "traceEvents");
	CHECK(jp_type(evs) == JP_ARRAY);
	CHECK_STR(jp_get_str(root, "displayTimeUnit", NULL), "ms");
	for (const struct jp_value *e = jp_first(evs); e; e = jp_next(evs, e)) {
		const char *ph = jp_get_str(e, "ph", NULL), *name = jp_get_str(e, "name", NULL);
		int64_t ts, dur, pid, tid;

		/* Every event: name, ph, pid, tid; all but metadata a ts in µs. */
		CHECK(ph && name);
		CHECK(jp_int64(jp_get(e, "pid"), &pid) && pid >= 1);
		CHECK(jp_int64(jp_get(e, "tid"), &tid) && tid >= 0);
		if (!ph)
			continue;
		if (!strcmp(ph, "M")) {
			const char *an = jp_get_str(jp_get(e, "args"), "name", NULL);

			CHECK(an);
			meta_p += !strcmp(name, "process_name");
			meta_t += !strcmp(name, "thread_name");
			if (!strcmp(name, "process_name"))
				CHECK(!strcmp(an, "canary-1") || strstr(an, "host-6.1.jsonl"));
			continue;
		}
		CHECK(jp_int64(jp_get(e, "ts"), &ts) && ts > 1700000000000000ll);
		if (!strcmp(ph, "X")) {
			x++;
			CHECK(jp_int64(jp_get(e, "dur"), &dur) && dur >= 1);
			CHECK(tid >= 1);
			if (!strcmp(name, "swap 1.6: EINVAL (2 swaps), no resume"))
				CHECK_INT(dur, 170742);
		} else if (!strcmp(ph, "i")) {
			const struct jp_value *args = jp_get(e, "args");
			const char *s = jp_get_str(e, "s", NULL);

			CHECK(s && (!strcmp(s, "t") || !strcmp(s, "p")));
			if (!strcmp(jp_get_str(e, "cat", NULL), "session")) {
				sess++;
				continue;
			}
			inst++;
			CHECK(jp_get_str(args, "message", NULL));
			CHECK(jp_type(jp_get(args, "stack")) == JP_ARRAY);
			if (!strcmp(name, "INV-4")) {
				evidence = !strcmp(jp_get_str(jp_at(jp_get(args, "evidence"), 1),
							      "field", NULL),
						   "md.flags.EMULATE_ZONE_APPEND");
				fixes = !strcmp(
					jp_get_str(jp_at(jp_get(args, "fixes"), 0), "commit", NULL),
					"9eb7109a5bfc");
			}
		} else {
			unit_fail(__FILE__, __LINE__, "unexpected ph %s", ph);
		}
	}
	/* Two hosts (one named by its file), four devices, 13 cycles, 4 violations. */
	CHECK_INT(meta_p, 2);
	CHECK_INT(meta_t, 4);
	CHECK_INT(x, 13);
	CHECK_INT(inst, 4);
	CHECK_INT(sess, 2);
	CHECK(evidence);
	CHECK(fixes);
	jp_doc_free(&doc);
	free(buf);
	run_free(&r);
	unlink(out);
	rmdir(dir);
	free(out);
}
