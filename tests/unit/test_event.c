// SPDX-License-Identifier: GPL-2.0
/* Decoding of ring-buffer records and their JSON/text rendering. */
#include <stdlib.h>

#include "clock.h"
#include "event.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_text.h"
#include "unit.h"

static struct dmswap_event swap_event(void)
{
	struct dmswap_event e = {
		.type = DMSWAP_EV_SWAP,
		.mono_ns = 5000000000ull,
		.dur_ns = 1500000,
		.swap_id = 7,
		.ret = 0,
		.pid = 42,
		.tid = 43,
		.major = 253,
		.minor = 1,
	};

	memcpy(e.comm, "dmsetup", 8);
	memcpy(e.dev,
	       "cr\x1b"
	       "ypt",
	       7);
	e.swap.before = (struct dmswap_dev_state){ .capacity = 2097152, .zoned = 0 };
	e.swap.after = (struct dmswap_dev_state){ .capacity = 2097152,
						  .zoned = DMSWAP_ZONED_HM,
						  .zone_append = DMSWAP_ZA_EMULATED,
						  .nr_zones = 16 };
	e.swap.table_sectors = 2097152;
	e.swap.num_targets = 2;
	e.swap.num_types = 1;
	memcpy(e.swap.types[0], "crypt", 6);
	return e;
}

/* Render @e through a sink into a string (caller frees). */
static char *render(struct dmswap_event *e, bool json)
{
	struct event_view ev = { .raw = e, .wall_ns = clock_wall_of_mono(e->mono_ns) };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json_sink js;
	struct text_sink ts;
	struct sink *s;

	memcpy(ev.dev, e->dev, sizeof(ev.dev));
	s = json ? sink_json_init(&js, out) : sink_text_init(&ts, out, out, NULL);
	s->ops->event(s, &ev);
	sink_close(s);
	fclose(out);
	return buf;
}

TEST(event_check_rejects_short_and_unknown_records)
{
	struct dmswap_event e = swap_event();

	CHECK_INT(event_check(&e, sizeof(e)), 0);
	CHECK(event_check(&e, sizeof(e) - 1) < 0);
	e.type = DMSWAP_EV_MAX;
	CHECK(event_check(&e, sizeof(e)) < 0);
	e = swap_event();
	e.swap.num_types = DMSWAP_MAX_TYPES + 1;
	CHECK(event_check(&e, sizeof(e)) < 0);
}

TEST(event_names)
{
	CHECK_STR(event_type_name(DMSWAP_EV_REPORT_ZONES), "report_zones");
	CHECK_STR(event_type_name(99), "unknown");
	CHECK_STR(event_errno_name(-11), "EAGAIN");
	CHECK(event_errno_name(0) == NULL);
	CHECK(event_errno_name(-5000) == NULL);
	CHECK_STR(zone_append_name(DMSWAP_ZA_EMULATED), "emulated");
}

TEST(json_swap_line_has_required_fields)
{
	struct dmswap_event e = swap_event();
	char *line = render(&e, true);

	CHECK(strncmp(line, "{\"kind\":\"event\",\"ts\":\"", 22) == 0);
	CHECK(strstr(line, "\"mono_ns\":5000000000,") != NULL);
	CHECK(strstr(line, "\"event\":\"swap\"") != NULL);
	/* The ESC in the device name must arrive escaped. */
	CHECK(strstr(line, "\"dev\":\"cr\\u001bypt\"") != NULL);
	CHECK(strstr(line, "\"devt\":\"253:1\"") != NULL);
	CHECK(strstr(line, "\"swap_id\":7") != NULL);
	CHECK(strstr(line, "\"ret\":0") != NULL);
	CHECK(strstr(line, "\"targets\":[\"crypt\"]") != NULL);
	CHECK(strstr(line, "\"after\":{\"sectors\":2097152,\"zoned\":\"host-managed\","
			   "\"zone_append\":\"emulated\",\"nr_zones\":16}") != NULL);
	CHECK(line[strlen(line) - 1] == '\n');
	CHECK(strchr(line, '\n') == line + strlen(line) - 1);
	free(line);
}

TEST(json_report_line_carries_errno)
{
	struct dmswap_event e = { .type = DMSWAP_EV_REPORT_ZONES, .ret = -11, .major = 253 };
	char *line;

	memcpy(e.dev, "z", 2);
	e.report.nr_zones = 16;
	line = render(&e, true);
	CHECK(strstr(line, "\"event\":\"report_zones\"") != NULL);
	CHECK(strstr(line, "\"ret\":-11,\"errno\":\"EAGAIN\"") != NULL);
	CHECK(strstr(line, "\"swap_id\":null") != NULL);
	CHECK(strstr(line, "\"map_used\":false") != NULL);
	free(line);
}

TEST(text_swap_line_is_escaped_and_complete)
{
	struct dmswap_event e = swap_event();
	char *line = render(&e, false);

	CHECK(strstr(line, "cr\\x1bypt") != NULL);
	CHECK(strchr(line, '\x1b') == NULL);
	CHECK(strstr(line, "#7") != NULL);
	CHECK(strstr(line, "swap") != NULL);
	CHECK(strstr(line, "2097152 -> 2097152 sectors, 2 targets [crypt]") != NULL);
	CHECK(strstr(line, "zoned host-managed, zone append emulated, 16 zones") != NULL);
	free(line);
}
