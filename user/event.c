// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "event.h"

static const char *const type_names[DMSWAP_EV_MAX] = {
	[DMSWAP_EV_SUSPEND] = "suspend",
	[DMSWAP_EV_SWAP] = "swap",
	[DMSWAP_EV_RESTRICTIONS] = "restrictions",
	[DMSWAP_EV_REVALIDATE] = "revalidate",
	[DMSWAP_EV_RESUME] = "resume",
	[DMSWAP_EV_REPORT_ZONES] = "report_zones",
	[DMSWAP_EV_VIOLATION] = "violation",
};

const char *event_type_name(uint32_t type)
{
	if (type < DMSWAP_EV_MAX && type_names[type])
		return type_names[type];
	return "unknown";
}

const char *zoned_name(uint8_t zoned)
{
	switch (zoned) {
	case DMSWAP_ZONED_NONE:
		return "none";
	case DMSWAP_ZONED_HA:
		return "host-aware";
	case DMSWAP_ZONED_HM:
		return "host-managed";
	default:
		return "unknown";
	}
}

const char *zone_append_name(uint8_t za)
{
	switch (za) {
	case DMSWAP_ZA_NONE:
		return "none";
	case DMSWAP_ZA_NATIVE:
		return "native";
	case DMSWAP_ZA_EMULATED:
		return "emulated";
	default:
		return "unknown";
	}
}

const char *event_errno_name(int64_t ret)
{
	if (ret >= 0 || ret < -4095)
		return NULL;
	return strerrorname_np((int)-ret);
}

void event_format_ret(char *buf, size_t len, int64_t ret)
{
	const char *name = event_errno_name(ret);

	if (!ret)
		snprintf(buf, len, "ok");
	else if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%" PRId64, ret);
}

int event_check(const void *data, size_t size)
{
	const struct dmswap_event *e = data;

	if (size < sizeof(*e))
		return -EINVAL;
	if (e->type == 0 || e->type >= DMSWAP_EV_MAX)
		return -EINVAL;
	if (e->type == DMSWAP_EV_SWAP && e->swap.num_types > DMSWAP_MAX_TYPES)
		return -EINVAL;
	if (e->type == DMSWAP_EV_VIOLATION &&
	    (e->violation.inv < 1 || e->violation.inv > DMSWAP_NR_INV ||
	     e->violation.nr_evidence > DMSWAP_MAX_EVIDENCE ||
	     e->violation.stack_bytes > (int)sizeof(e->violation.stack)))
		return -EINVAL;
	return 0;
}
