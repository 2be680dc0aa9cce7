// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the command line (cli.c's cli_parse()): the input is
 * an argument vector, its arguments separated by NUL bytes, after
 * "dmswap-trace".  Beyond the sanitizers it checks what the parser
 * promises for any arguments:
 *
 *  - the status is EXIT_OK or EXIT_USAGE, nothing else, and the same
 *    when the same arguments are parsed again (no state left behind);
 *  - a usage error is said in exactly one line on stderr, a success in
 *    none; the line carries no control byte (a hostile argument is echoed
 *    escaped, never raw to the terminal);
 *  - what is accepted is in range: seconds within 0.001 to a year (or 0:
 *    not given), counts within their bounds, every --dev well formed,
 *    run with a command, explore with its three commands.
 *
 * stderr goes to a memory file during the parse, emptied for every input.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "cli.h"
#include "devices.h"
#include "exitcode.h"

#define ENSURE(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			dprintf(saved_stderr, "fuzz_cli: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_ARGS 64
#define YEAR (365.0 * 24 * 3600)

static int err_fd, saved_stderr = 2;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	saved_stderr = dup(2);
	err_fd = memfd_create("fuzz_cli-stderr", MFD_CLOEXEC);
	if (saved_stderr < 0 || err_fd < 0)
		abort();
	/* The sanitizers' reports to the real stderr, even from inside the parse. */
	__sanitizer_set_report_fd((void *)(intptr_t)saved_stderr);
	/* Unbuffered: every message is in the memory file when cli_parse() returns. */
	setvbuf(stderr, NULL, _IONBF, 0);
	return 0;
}

static bool seconds_ok(double s)
{
	return s == 0 || (isfinite(s) && s >= 0.001 && s <= YEAR);
}

/* stderr since the input began: its length, and the number of lines. */
static size_t said(size_t *lines)
{
	static char buf[1 << 16];
	off_t len = lseek(err_fd, 0, SEEK_END);
	ssize_t n = pread(err_fd, buf, sizeof(buf), 0);

	*lines = 0;
	ENSURE(n == (len > (off_t)sizeof(buf) ? (off_t)sizeof(buf) : len));
	for (ssize_t i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c == '\n') {
			++*lines;
			continue;
		}
		/* Escaped: no C0 control byte, no DEL (UTF-8 is the terminal's). */
		ENSURE(c >= 0x20 && c != 0x7f);
	}
	ENSURE(!n || buf[n - 1] == '\n');
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct options o, again;
	char *first, *second;
	size_t lines, len;
	int argc = 1, ret;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "dmswap-trace";
	for (char *p = copy; p <= copy + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	/* A trailing NUL ends the last argument; it does not start an empty one. */
	if (size && !data[size - 1])
		argc--;
	argv[argc] = NULL;
	ENSURE(!ftruncate(err_fd, 0) && lseek(err_fd, 0, SEEK_SET) == 0);

	/*
	 * Parsed twice: the second must say and decide what the first did
	 * (getopt's state left over by a parse must not change the next one).
	 * stderr to the memory file for the parses only: libFuzzer's own
	 * output is on it.
	 */
	ENSURE(dup2(err_fd, 2) == 2);
	ret = cli_parse(argc, argv, &o);
	len = said(&lines);
	first = malloc(len + 1);
	ENSURE(first && pread(err_fd, first, len, 0) == (ssize_t)len);
	ENSURE(!ftruncate(err_fd, 0) && lseek(err_fd, 0, SEEK_SET) == 0);
	ENSURE(cli_parse(argc, argv, &again) == ret);
	ENSURE(dup2(saved_stderr, 2) == 2);
	ENSURE(said(&lines) == len);
	second = malloc(len + 1);
	ENSURE(second && pread(err_fd, second, len, 0) == (ssize_t)len);
	ENSURE(!memcmp(first, second, len));
	free(first);
	free(second);
	ENSURE(ret == EXIT_OK || ret == EXIT_USAGE);
	if (ret == EXIT_USAGE) {
		ENSURE(lines == 1);
		free(copy);
		return 0;
	}
	ENSURE(!len);
	if (o.help || o.version || o.mode == CLI_REPORT) {
		free(copy);
		return 0;
	}
	ENSURE(seconds_ok(o.watch.duration_s));
	ENSURE(seconds_ok(o.watch.metrics_interval_s));
	ENSURE(seconds_ok(o.kill_after_s));
	ENSURE(o.rate_limit <= 1000000);
	ENSURE(o.error_exitcode <= 255);
	ENSURE(o.explore.max_runs >= 1 && o.explore.max_runs <= 100000);
	ENSURE(o.nr_devs <= DEV_FILTER_MAX);
	for (size_t i = 0; i < o.nr_devs; i++)
		ENSURE(!dev_arg_check(o.devs[i]));
	ENSURE(o.mode != CLI_RUN || (o.command && o.command[0]));
	ENSURE(o.mode != CLI_EXPLORE || (o.explore.setup && o.explore.swap && o.explore.teardown));
	free(copy);
	return 0;
}
