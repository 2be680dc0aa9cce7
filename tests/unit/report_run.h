/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running "dmswap-trace report" in a unit test: report_main() on a list of
 * arguments, its output and messages caught in memory, and the checks on
 * that text the report tests share.
 */
#ifndef DMSWAP_TEST_REPORT_RUN_H
#define DMSWAP_TEST_REPORT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "unit.h"

struct run {
	int rc;
	char *out;
	char *err;
};

/*
 * report_main() on the arguments (NULL-terminated, at most
 * REPORT_RUN_MAX_ARGS); logs/ names are in tests/data.
 */
#define REPORT_RUN_MAX_ARGS 22
struct run report(const char *arg, ...);
void run_free(struct run *r);

/* How many times @needle is in @hay. */
size_t count(const char *hay, const char *needle);
/* Does @hay hold @a, then later @b? */
bool before(const char *hay, const char *a, const char *b);

#define CHECK_HAS(hay, needle)                                                           \
	do {                                                                             \
		if (!strstr(hay, needle))                                                \
			unit_fail(__FILE__, __LINE__, "no \"%s\" in:\n%s", needle, hay); \
	} while (0)

#endif
