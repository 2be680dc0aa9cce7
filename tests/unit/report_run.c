// SPDX-License-Identifier: GPL-2.0
/* Running "dmswap-trace report" in a unit test (report_run.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"
#include "report_run.h"

struct run report(const char *arg, ...)
{
	char *argv[REPORT_RUN_MAX_ARGS + 2] = { "report" };
	char *paths[REPORT_RUN_MAX_ARGS + 2] = {};
	struct run r = {};
	size_t outlen, errlen;
	FILE *out = open_memstream(&r.out, &outlen);
	FILE *err = open_memstream(&r.err, &errlen);
	int argc = 1;
	va_list ap;

	va_start(ap, arg);
	for (; arg && argc <= REPORT_RUN_MAX_ARGS; arg = va_arg(ap, const char *), argc++) {
		if (!strncmp(arg, "logs/", 5) &&
		    asprintf(&paths[argc], "%s/%s", unit_data_dir, arg) > 0)
			argv[argc] = paths[argc];
		else
			argv[argc] = (char *)arg;
	}
	va_end(ap);
	r.rc = report_main(argc, argv, out, err);
	fclose(out);
	fclose(err);
	for (int i = 0; i < argc; i++)
		free(paths[i]);
	return r;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

bool before(const char *hay, const char *a, const char *b)
{
	const char *pa = strstr(hay, a);

	return pa && strstr(pa + strlen(a), b);
}
