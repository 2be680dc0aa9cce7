// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

static struct unit_test *tests, **tail = &tests;
static int current_failed;
const char *unit_data_dir = "tests/data";

void unit_register(struct unit_test *t)
{
	*tail = t;
	tail = &t->next;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	current_failed = 1;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	if (argc > 1)
		unit_data_dir = argv[1];
	for (struct unit_test *t = tests; t; t = t->next) {
		current_failed = 0;
		t->fn();
		printf("%s unit/%s\n", current_failed ? "FAIL" : "PASS", t->name);
		fflush(stdout);
		if (current_failed)
			failed++;
		else
			passed++;
	}
	return failed ? 1 : 0;
	(void)passed;
}
