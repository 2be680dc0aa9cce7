/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test harness: TEST(name) defines and registers a test;
 * CHECK* record failures with file and line and let the test go on.
 * Output: one "PASS name" or "FAIL name" line per test (tests/run counts
 * them), failures explained on the lines before.
 */
#ifndef DMSWAP_UNIT_H
#define DMSWAP_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Directory of recorded kernel samples (tests/data), from argv[1]. */
extern const char *unit_data_dir;

#define TEST(tname)                                                                    \
	static void test_##tname(void);                                                \
	static struct unit_test unit_##tname = { .name = #tname, .fn = test_##tname }; \
	__attribute__((constructor)) static void register_##tname(void)                \
	{                                                                              \
		unit_register(&unit_##tname);                                          \
	}                                                                              \
	static void test_##tname(void)

#define CHECK(cond)                                                 \
	do {                                                        \
		if (!(cond))                                        \
			unit_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)

#define CHECK_STR(got, want)                                                               \
	do {                                                                               \
		const char *g_ = (got), *w_ = (want);                                      \
		if (!g_ || strcmp(g_, w_))                                                 \
			unit_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", #got, \
				  g_ ? g_ : "(null)", w_);                                 \
	} while (0)

#define CHECK_INT(got, want)                                                                    \
	do {                                                                                    \
		long long g_ = (got), w_ = (want);                                              \
		if (g_ != w_)                                                                   \
			unit_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

#endif /* DMSWAP_UNIT_H */
