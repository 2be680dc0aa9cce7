// SPDX-License-Identifier: GPL-2.0
/*
 * "dmswap-trace report" on logs in tests/data/logs: v-6.12.jsonl and
 * host-6.1.jsonl are real traces from the lab (6.12 with violations, 6.1
 * clean); torn.jsonl, binary.jsonl and mixed.jsonl are damaged copies.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_model.h"
#include "report_run.h"
#include "unit.h"

/* A path in tests/data, as the report prints it. */
static char *data_path(const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", unit_data_dir, name) < 0)
		return NULL;
	return p;
}

TEST(report_real_612_log)
{
	struct run r = report("logs/v-6.12.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK_HAS(r.out, "1 of 1 files read, 41 lines, 35 events, 4 violations");
	CHECK_HAS(r.out, "; kernel 6.12.117+deb13-amd64\n");
	/* Counts per invariant and device. */
	CHECK_HAS(r.out, "  INV    DEVICE  COUNT\n"
			 "  INV-4  cr          1\n"
			 "  INV-8  cr          2\n"
			 "  INV-9  cr          1\n");
	/* Six cycles: cr first (sorted by device), each device in time order. */
	CHECK(before(r.out, "  2026-11-24T05:34:21.188645Z  cr         4  crypt    0 -> 2097152 ",
		     "  2026-11-24T05:34:21.331118Z  cr         5  error    2097152 -> 2097152 "));
	CHECK(before(r.out, "      5  error", "      6  error"));
	CHECK(before(r.out, "      6  error",
		     "  2026-11-24T05:34:20.762370Z  lin        1  linear"));
	CHECK(before(r.out, "      1  linear", "      2  linear   1048576 -> 2097152  ok"));
	CHECK(before(r.out, "      2  linear", "      3  linear   2097152 -> 1000     EINVAL"));
	/* Cycle 6: two refused swaps, no resume, three violations under it. */
	CHECK_HAS(r.out,
		  "EINVAL (2 swaps), no resume  170.742 ms\n"
		  "      swap 1 of 2: crypt 2097152 -> 2097152 EINVAL\n"
		  "      ! INV-4 a failed swap changed the device\n"
		  "      ! INV-8 the device's own zoned table was refused after dm-error: "
		  "dm-error cannot be swapped out\n"
		  "      ! INV-8 a dm-error table was refused: dm-error must stay swappable\n");
	/* Cycle 5: its INV-9 under it; the duration spans suspend to resume. */
	CHECK_HAS(r.out,
		  "ok                            59.815 ms\n"
		  "      ! INV-9 zone write plugs on a disk that does not emulate zone append\n"
		  "  2026-11-24T05:34:21.503922Z  cr         6");
	CHECK_INT(count(r.out, "      ! INV-"), 4);
	CHECK_HAS(r.out, "\nViolations outside any swap cycle: none\n");
	/* One host: no FILE column. */
	CHECK(!strstr(r.out, "v-6.12.jsonl\n"));
	run_free(&r);
}

TEST(report_two_hosts_merge_by_wall_clock)
{
	/* The later host's file first: the timeline is still in time order. */
	struct run r = report("logs/host-6.1.jsonl", "logs/v-6.12.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK_HAS(r.out, "2 of 2 files read, 79 lines, 71 events, 4 violations");
	CHECK_HAS(r.out,
		  "host-6.1.jsonl: 38 lines, 36 events, 0 violations; kernel 6.1.0-56-amd64\n");
	CHECK_HAS(r.out,
		  "v-6.12.jsonl: 41 lines, 35 events, 4 violations; kernel 6.12.117+deb13-amd64\n");
	/* A session per file, in time order, each its own cycles: the earlier host first. */
	CHECK(before(r.out, "Session 1: armed 2026-11-24T05:34:20.612650Z, kernel 6.12",
		     "Session 2: armed 2026-11-24T05:48:32.429609Z, kernel 6.1.0"));
	CHECK(before(r.out, "Session 1: armed 2026-11-24T05:34:20.612650Z, kernel 6.12",
		     "2026-11-24T05:34:20.762370Z  lin        1  linear"));
	CHECK(before(r.out, "2026-11-24T05:34:20.762370Z  lin        1  linear",
		     "Session 2: armed"));
	CHECK(before(r.out, "Session 2: armed",
		     "2026-11-24T05:48:32.613877Z  lin        1  linear"));
	/* Same device and swap_id on two hosts: two cycles, violations only on one. */
	CHECK_INT(count(r.out, "  cr         5  error    2097152 -> 2097152  ok"), 2);
	CHECK_INT(count(r.out, "      ! INV-9 "), 1);
	CHECK(before(r.out, "Session 1: armed", "      ! INV-9"));
	CHECK(!before(r.out, "\nSession 2: armed", "      ! INV-9"));
	CHECK_HAS(r.out, "  INV-8  cr          2\n");
	run_free(&r);
}

TEST(report_torn_last_line_is_one_note)
{
	char *path = data_path("logs/torn.jsonl"), *want = NULL;
	struct run r = report("logs/torn.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_OK);
	CHECK(asprintf(&want,
		       "dmswap-trace: report: %s: last line incomplete (torn write), ignored\n",
		       path) > 0);
	CHECK_STR(r.err, want);
	CHECK_HAS(r.out,
		  "11 lines, 9 events, 0 violations; kernel 6.1.0-56-amd64; last line torn\n");
	/* The cycle the crash cut short. */
	CHECK_HAS(r.out, "      2  -        -             no swap, no resume");
	free(want);
	free(path);
	run_free(&r);
}

TEST(report_unterminated_but_whole_last_line_counts)
{
	char path[] = "/tmp/dmswap-report-XXXXXX";
	const char *log = "{\"kind\":\"event\",\"ts\":\"2026-11-24T05:34:20.762370Z\","
			  "\"mono_ns\":7845941391,\"event\":\"suspend\",\"dev\":\"lin\","
			  "\"devt\":\"253:0\",\"swap_id\":1,\"ret\":0,\"dur_ns\":647243}\n"
			  "{\"kind\":\"event\",\"ts\":\"2026-11-24T05:34:20.786923Z\","
			  "\"mono_ns\":7870494337,\"event\":\"resume\",\"dev\":\"lin\","
			  "\"devt\":\"253:0\",\"swap_id\":1,\"ret\":0,\"dur_ns\":4820702}";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	CHECK(write(fd, log, strlen(log)) == (ssize_t)strlen(log));
	close(fd);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_STR(r.err, "");
	CHECK_HAS(r.out, "2 lines, 2 events, 0 violations\n");
	/* From the start of the suspend to the end of the resume. */
	CHECK_HAS(r.out, "  lin        1  -        -        no swap  25.200 ms\n");
	unlink(path);
	run_free(&r);
}

TEST(report_unterminated_garbage_is_not_a_torn_write)
{
	char path[] = "/tmp/dmswap-report-XXXXXX";
	const char *log = "{\"kind\":\"summary\",\"dropped\":3}\nlab: 6.1: booting";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	CHECK(write(fd, log, strlen(log)) == (ssize_t)strlen(log));
	close(fd);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.err, ":2: not JSON (byte offset 0: unexpected character), line skipped\n");
	CHECK(!strstr(r.err, "torn"));
	CHECK_HAS(r.out, "2 lines, 0 events, 0 violations; 1 lines skipped; "
			 "3 events lost (ring buffer full)\n");
	unlink(path);
	run_free(&r);
}

TEST(report_binary_lines_are_named_and_capped)
{
	char *path = data_path("logs/binary.jsonl"), *want = NULL;
	struct run r = report("logs/binary.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_OK);
	CHECK(asprintf(&want,
		       "dmswap-trace: report: %s:3: binary data (NUL byte at byte offset 0), "
		       "line skipped\n",
		       path) > 0);
	CHECK(r.err && !strncmp(r.err, want, strlen(want)));
	CHECK_HAS(r.err, ":5: binary data (invalid UTF-8 at byte offset 23), line skipped\n");
	/* Five of the seven shown, then a count. */
	CHECK_INT(count(r.err, "binary data"), 5);
	CHECK(!strstr(r.err, ":8: "));
	CHECK_HAS(r.err, "binary.jsonl: 2 more binary lines skipped\n");
	CHECK_HAS(r.out,
		  "10 lines, 2 events, 0 violations; kernel 6.1.0-56-amd64; 7 lines skipped\n");
	free(want);
	free(path);
	run_free(&r);
}

TEST(report_non_json_and_unknown_kind_are_skipped)
{
	struct run r = report("logs/mixed.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_HAS(r.err, "mixed.jsonl:4: not JSON (byte offset 0: unexpected character), "
			 "line skipped\n");
	CHECK_HAS(r.err, "mixed.jsonl:5: not JSON (byte offset 60: unexpected end of input in "
			 "object), line skipped\n");
	CHECK_HAS(r.err, "mixed.jsonl:6: unknown kind \"heartbeat\", line skipped\n");
	CHECK_HAS(r.err, "mixed.jsonl:7: not a log record (a JSON array, not an object)");
	CHECK_HAS(r.err, "mixed.jsonl:8: not a log record (no \"kind\")");
	CHECK_INT(count(r.err, "\n"), 5);
	CHECK_HAS(r.out, "16 lines, 8 events, 2 violations; kernel 6.12.117+deb13-amd64; "
			 "5 lines skipped\n");
	/* INV-9 sorts before INV-10. */
	CHECK_HAS(r.out, "  INV-9   lin         1\n"
			 "  INV-10  cr          1\n");
	CHECK_HAS(r.out, "  lin        1  linear   0 -> 1048576  ok      25.200 ms\n\n");
	/* swap_id null, and a swap_id whose events are not in the log. */
	CHECK_HAS(r.out,
		  "Violations outside any swap cycle:\n"
		  "  2026-11-24T05:34:21.389335Z  lin  INV-9 synthetic: outside any cycle\n"
		  "  2026-11-24T05:34:21.389335Z  cr  INV-10 synthetic: cycle not in the log "
		  "(swap 99)\n");
	run_free(&r);
}

TEST(report_missing_file_still_reports_the_others)
{
	char *path = data_path("logs/no-such.jsonl"), *want = NULL;
	struct run r = report("logs/no-such.jsonl", "logs/v-6.12.jsonl", NULL);

	CHECK_INT(r.rc, REPORT_UNREADABLE);
	CHECK(asprintf(&want, "dmswap-trace: report: %s: No such file or directory\n", path) > 0);
	CHECK_STR(r.err, want);
	CHECK_HAS(r.out, "1 of 2 files read, 41 lines, 35 events, 4 violations\n");
	CHECK_HAS(r.out, "no-such.jsonl: not read: No such file or directory\n");
	CHECK_HAS(r.out, "  INV-8  cr          2\n");
	free(want);
	free(path);
	run_free(&r);
}

TEST(report_directory_is_unreadable)
{
	struct run r = report("/", NULL);

	CHECK_INT(r.rc, REPORT_UNREADABLE);
	CHECK_HAS(r.err, "dmswap-trace: report: /: Is a directory\n");
	run_free(&r);
}

TEST(report_usage_errors)
{
	struct run r = report(NULL);

	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "dmswap-trace: report: no FILE given\n");
	run_free(&r);

	/* An unknown option anywhere: nothing is read. */
	r = report("logs/v-6.12.jsonl", "--bogus", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "dmswap-trace: report: unknown option: --bogus\n");
	CHECK_STR(r.out, "");
	run_free(&r);

	/* Escaped, as everything printed. */
	r = report("-\x1b[2J", NULL);
	CHECK_INT(r.rc, REPORT_USAGE);
	CHECK_HAS(r.err, "unknown option: -\\x1b[2J\n");
	run_free(&r);

	r = report("--help", NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.out, "Usage: dmswap-trace report [OPTIONS] LOG...");
	run_free(&r);

	/* After "--", a name starting with '-' is a file. */
	r = report("--", "--bogus", NULL);
	CHECK_INT(r.rc, REPORT_UNREADABLE);
	CHECK_HAS(r.err, "dmswap-trace: report: --bogus: No such file or directory\n");
	run_free(&r);
}

TEST(report_escapes_names_from_the_log)
{
	char path[] = "/tmp/dmswap-report-XXXXXX";
	const char *log =
		"{\"kind\":\"violation\",\"ts\":\"2026-11-24T05:34:21.389335Z\",\"mono_ns\":1,"
		"\"inv\":\"INV-4\",\"rule\":0,\"message\":\"bad \\u001b]0;title\\u0007\","
		"\"dev\":\"cr\\u001b[2J\\u00e9\",\"devt\":\"253:1\",\"swap_id\":null}\n";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	CHECK(write(fd, log, strlen(log)) == (ssize_t)strlen(log));
	close(fd);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_VIOLATION);
	CHECK_STR(r.err, "");
	CHECK(!strchr(r.out, '\x1b'));
	CHECK(!strchr(r.out, '\x07'));
	CHECK_HAS(r.out, "  INV-4  cr\\x1b[2J\\xc3\\xa9      1\n");
	CHECK_HAS(r.out, "cr\\x1b[2J\\xc3\\xa9  INV-4 bad \\x1b]0;title\\x07\n");
	unlink(path);
	run_free(&r);
}

/* A record with a key twice means two things (jq reads the last): malformed. */
TEST(report_duplicate_key_is_malformed)
{
	char path[] = "/tmp/dmswap-report-XXXXXX";
	const char *log =
		"{\"kind\":\"summary\",\"dropped\":0}\n"
		"{\"kind\":\"violation\",\"ts\":\"2026-11-24T05:34:21.389335Z\",\"inv\":\"INV-4\","
		"\"message\":\"m\",\"dev\":\"cr\",\"kind\":\"summary\"}\n"
		"{\"kind\":\"summary\",\"dropped\":1,\"dropped\":0}";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	CHECK(write(fd, log, strlen(log)) == (ssize_t)strlen(log));
	close(fd);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.err, ":2: not a log record (duplicate key in object at byte offset 0), "
			 "line skipped\n");
	/* Whole JSON at the end without its newline: not a torn write. */
	CHECK_HAS(r.err, ":3: not a log record (duplicate key in object at byte offset 0)");
	CHECK(!strstr(r.err, "torn"));
	CHECK_HAS(r.out, "3 lines, 0 events, 0 violations; 2 lines skipped\n");
	CHECK(!strstr(r.out, "events lost"));
	unlink(path);
	run_free(&r);
}

/* Each kernel once, in order, however often and in whatever order it armed. */
TEST(report_kernels_distinct_and_sorted)
{
	char path[] = "/tmp/dmswap-report-XXXXXX";
	const char *log = "{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"6.12\"}\n"
			  "{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"6.1\"}\n"
			  "{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"6.12\"}\n"
			  "{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"6.1\"}\n"
			  "{\"kind\":\"event\",\"event\":\"armed\",\"kernel\":\"7.3\"}\n";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	CHECK(write(fd, log, strlen(log)) == (ssize_t)strlen(log));
	close(fd);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	CHECK_HAS(r.out, "5 lines, 0 events, 0 violations; kernel 6.1, 6.12, 7.3\n");
	unlink(path);
	run_free(&r);
}

/*
 * A cycle's result is made of the swap's errno name, the number of swaps and
 * the resume's errno name, all from the log: too long, it is cut at the
 * column's size, never written past it (found by fuzz/report_line).
 */
TEST(report_long_result_is_cut)
{
	char *path = data_path("fuzz-regress/report_line/long-results.jsonl");
	char want[sizeof(((struct cycle_row *)0)->result)];
	struct run r;

	CHECK(path);
	r = report(path, NULL);
	CHECK_INT(r.rc, REPORT_OK);
	for (size_t i = 0; i + 1 < sizeof(want); i++)
		want[i] = "EINVAL"[i % 6];
	want[sizeof(want) - 1] = '\0';
	CHECK_HAS(r.out, want);
	CHECK_HAS(r.out, "      swap 1 of 2: - EINVALEINVAL");
	free(path);
	run_free(&r);
}
