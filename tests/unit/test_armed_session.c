// SPDX-License-Identifier: GPL-2.0
/*
 * The armed line opens a session in the log: it names the host, the boot
 * and the tool's start, so that "report" never joins the cycles of two
 * starts of the tool (a restart counts swap_id from 1 again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "clock.h"
#include "env.h"
#include "hooks.h"
#include "sink.h"
#include "sink_json.h"
#include "unit.h"

static char *render_armed(const struct armed_info *info)
{
	struct json_sink js;
	struct sink *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	s = sink_json_init(&js, out);
	s->ops->armed(s, info);
	sink_close(s);
	fclose(out);
	return buf;
}

TEST(armed_line_names_host_boot_and_start)
{
	uint64_t now = clock_mono_ns();
	struct armed_info info = {
		.mono_ns = now,
		.start_to_armed_ns = 2000000000,
		.kernel = "6.12",
		.host = env_host(),
		.boot_id = env_boot_id(),
		.start_ns = now - 2000000000,
	};
	char *o, *want = NULL, started[40], armed[40];
	struct probe_result *no_hooks = calloc(nr_hooks, sizeof(*no_hooks));
	struct utsname uts;
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	char boot[64] = "";

	info.res = no_hooks;
	CHECK(no_hooks && !uname(&uts));
	o = render_armed(&info);
	CHECK(f && fgets(boot, sizeof(boot), f));
	if (f)
		fclose(f);
	boot[strcspn(boot, "\n")] = '\0';
	CHECK(asprintf(&want, "\"host\":\"%s\",\"boot_id\":\"%s\",", uts.nodename, boot) > 0);
	CHECK(o && strstr(o, want));
	free(want);
	/* The start, two seconds before the armed line's own ts. */
	clock_format_iso(started, sizeof(started), clock_wall_of_mono(now - 2000000000));
	clock_format_iso(armed, sizeof(armed), clock_wall_of_mono(now));
	CHECK(asprintf(&want, "\"started\":\"%s\",", started) > 0);
	CHECK(o && strstr(o, want));
	CHECK(strcmp(started, armed) < 0);
	free(want);
	free(o);

	/* No boot id (no /proc): null, never a made-up one. */
	info.boot_id = NULL;
	o = render_armed(&info);
	CHECK(o && strstr(o, "\"boot_id\":null,"));
	free(o);
	free(no_hooks);
}
