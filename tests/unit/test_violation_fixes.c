// SPDX-License-Identifier: GPL-2.0
/* A violation names the upstream fixes of its rule, in JSON and on a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_text.h"
#include "unit.h"

static char *render(bool json, unsigned int inv, unsigned int code)
{
	struct dmswap_event e = { .type = DMSWAP_EV_VIOLATION, .major = 253, .minor = 0 };
	struct event_view ev = { .raw = &e, .dev = "cr" };
	struct json_sink js;
	struct text_sink ts;
	struct sink *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	e.violation.inv = inv;
	e.violation.code = code;
	s = json ? sink_json_init(&js, out) : sink_text_init(&ts, out, out, NULL);
	s->ops->event(s, &ev);
	sink_close(s);
	fclose(out);
	return buf;
}

TEST(violation_json_names_its_rules_fixes)
{
	char *o = render(true, 4, INV4_DEVICE_CHANGED & 0xff);

	CHECK(o && strstr(o, "\"fixes\":[{\"commit\":\"9eb7109a5bfc\",\"title\":\"dm: don't change "
			     "md if dm_table_set_restrictions() fails\",\"mainline\":\"6.16\","));
	CHECK(o && strstr(o, "{\"commit\":\"4ea30ec6fb3b\""));
	free(o);
	/* Not recorded: null, not a guess. */
	o = render(true, 3, 0);
	CHECK(o && strstr(o, "\"commit\":\"24c405fdbe21\""));
	CHECK(o && strstr(o, "\"mainline\":null,\"stable\":\"6.18.14\"}]"));
	free(o);
	/* A rule the table does not know: no fix is made up. */
	o = render(true, 8, 0);
	CHECK(o && strstr(o, "\"fixes\":[]"));
	free(o);
}

TEST(violation_text_names_its_rules_fixes)
{
	char *o = render(false, 9, 0);

	CHECK(o && strstr(o, "VIOLATION INV-9: zone write plugs"));
	CHECK(o && strstr(o, "\n    upstream: ad320ae27661 \"dm: fix native zone append devices on "
			     "top of emulated ones\" (mainline 6.16; stable none)\n"));
	free(o);
}
