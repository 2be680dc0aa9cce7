// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the log reader of "dmswap-trace report": the input is
 * a log file (one line or many).  The reader (report.c's read_file() and
 * take_line(): split into lines, tell torn, binary and non-JSON lines apart,
 * keep events and violations in the model) is static behind report_main(),
 * so the input goes through report_main() "--html PAGE" on a file: the
 * model is then built into cycles, sorted, printed and drawn as well.
 *
 * Beyond the sanitizers (ASan, UBSan, LSan) it checks what the report
 * promises for any log, however damaged:
 *
 *  - exit status 0 or 1, or 11 when no line at all is a record (not a
 *    log): a damaged line is skipped, never fatal, and the file itself
 *    always reads (but for a gzip stream, damaged: 10);
 *  - the text report and the messages reach the terminal escaped: valid
 *    UTF-8 without control characters but '\n';
 *  - the page is report_page_head, data, report_page_tail, the data one
 *    JSON value with no '<' (nothing may end the <script> element);
 *  - the trace events (--trace-event) are one JSON object with an array
 *    "traceEvents".
 *
 * Deterministic: the two files are made anew for every input, at fixed
 * paths in a private directory made once; report_main() frees everything.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "report/jsonparse.h"
#include "report/report.h"
#include "report/report_page.h"

static void cleanup(void);

#define ENSURE(cond)                                                                         \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fuzz_report_line: %s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			cleanup();                                                           \
			abort();                                                             \
		}                                                                            \
	} while (0)

static char *dir, *log_path, *page_path, *trace_path;

static void cleanup(void)
{
	unlink(log_path);
	unlink(page_path);
	unlink(trace_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");

	ENSURE(asprintf(&dir, "%s/fuzz_report_line.XXXXXX", tmp && *tmp ? tmp : "/tmp") > 0);
	ENSURE(mkdtemp(dir));
	ENSURE(asprintf(&log_path, "%s/log.jsonl", dir) > 0);
	ENSURE(asprintf(&page_path, "%s/page.html", dir) > 0);
	ENSURE(asprintf(&trace_path, "%s/trace.json", dir) > 0);
	/* Gone after a finding too: abort() and a sanitizer's report skip atexit(). */
	atexit(cleanup);
	__sanitizer_set_death_callback(cleanup);
	return 0;
}

/*
 * New files each time, never truncated ones: ext4 flushes a file rewritten
 * after a truncation when it is closed (auto_da_alloc), 5 ms an input.
 */
static void write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f;

	unlink(path);
	f = fopen(path, "w");

	ENSURE(f);
	ENSURE(fwrite(data, 1, size, f) == size);
	ENSURE(!fclose(f));
}

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n;

	ENSURE(f);
	*size = 0;
	do {
		if (*size + 4096 > cap) {
			cap = (*size + 4096) * 2;
			buf = realloc(buf, cap);
			ENSURE(buf);
		}
		n = fread(buf + *size, 1, cap - *size - 1, f);
		*size += n;
	} while (n);
	ENSURE(!ferror(f));
	fclose(f);
	buf[*size] = '\0';
	return buf;
}

/* What a terminal may be shown: valid UTF-8, no control character but '\n'. */
static bool terminal_safe(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!jp_utf8_valid(s, n, NULL))
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f)
			return false;
		/* C1 controls, U+0080..U+009F: 0xc2 0x80..0x9f in UTF-8. */
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] < 0xa0)
			return false;
	}
	return true;
}

/* Say what was unsafe, escaped itself: the log is read on a terminal too. */
static void check_terminal(const char *what, const char *s, size_t n)
{
	if (terminal_safe(s, n))
		return;
	fprintf(stderr, "fuzz_report_line: unescaped byte in the %s:\n", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\n' || (c >= 0x20 && c < 0x7f))
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	ENSURE(!"terminal-safe output");
}

static void check_page(void)
{
	size_t head = strlen(report_page_head), tail = strlen(report_page_tail), size, n;
	char *page = read_file(page_path, &size);
	const char *data = page + head;
	struct jp_doc doc;
	struct jp_error err;

	ENSURE(size >= head + tail);
	ENSURE(!memcmp(page, report_page_head, head));
	ENSURE(!memcmp(page + size - tail, report_page_tail, tail));
	n = size - head - tail;
	ENSURE(!memchr(data, '<', n));
	jp_doc_init(&doc);
	if (!jp_parse(&doc, data, n, &err)) {
		fprintf(stderr, "fuzz_report_line: page data: %s at %zu\n", err.msg, err.offset);
		ENSURE(!"page data is JSON");
	}
	jp_doc_free(&doc);
	free(page);
}

/* The trace events: one JSON object with its "traceEvents" array. */
static void check_trace(void)
{
	size_t size;
	char *trace = read_file(trace_path, &size);
	const struct jp_value *root;
	struct jp_doc doc;
	struct jp_error err;

	jp_doc_init(&doc);
	root = jp_parse(&doc, trace, size, &err);
	if (!root) {
		fprintf(stderr, "fuzz_report_line: trace: %s at %zu\n", err.msg, err.offset);
		ENSURE(!"trace events are JSON");
	}
	ENSURE(jp_type(jp_get(root, "traceEvents")) == JP_ARRAY);
	jp_doc_free(&doc);
	free(trace);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = {
		"report", log_path, "--html", page_path, "--trace-event", trace_path, NULL
	};
	char *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out, *err;
	int rc;

	write_file(log_path, data, size);
	unlink(page_path);
	unlink(trace_path);
	out = open_memstream(&out_buf, &out_len);
	err = open_memstream(&err_buf, &err_len);
	ENSURE(out && err);
	rc = report_main(6, argv, out, err);
	fclose(out);
	fclose(err);
	/* gzip's magic: a damaged stream is an unreadable file (10), rightly. */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b && rc == REPORT_UNREADABLE)
		rc = REPORT_OK;
	if (rc != REPORT_OK && rc != REPORT_VIOLATION && rc != REPORT_NOT_A_LOG) {
		fprintf(stderr, "fuzz_report_line: exit status %d:\n%s", rc, err_buf);
		ENSURE(!"exit status 0, 1 or 11");
	}
	/* 11 only for a file of which no line is a record. */
	if (rc == REPORT_NOT_A_LOG)
		ENSURE(strstr(err_buf, "not a log\n"));
	check_terminal("report", out_buf, out_len);
	check_terminal("messages", err_buf, err_len);
	check_page();
	check_trace();
	free(out_buf);
	free(err_buf);
	return 0;
}
