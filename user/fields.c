// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "fields.h"

enum field_kind { FK_NUMBER, FK_SIGNED, FK_POINTER, FK_BOOL, FK_ZONED, FK_ERRNO, FK_HEX, FK_DEVT };

struct field_desc {
	const char *name;
	enum field_kind kind;
};

/* Names follow the kernel's: struct, then member. */
static const struct field_desc fields[DMSWAP_F_MAX] = {
	[DMSWAP_F_CAPACITY] = { "capacity", FK_NUMBER },
	[DMSWAP_F_MAP] = { "md.map", FK_POINTER },
	[DMSWAP_F_MEMPOOLS] = { "md.mempools", FK_POINTER },
	[DMSWAP_F_IMMUTABLE_TYPE] = { "md.immutable_target_type", FK_POINTER },
	[DMSWAP_F_MD_TYPE] = { "md.type", FK_NUMBER },
	[DMSWAP_F_EMULATE_ZA] = { "md.flags.EMULATE_ZONE_APPEND", FK_BOOL },
	[DMSWAP_F_MD_NR_ZONES] = { "md.nr_zones", FK_NUMBER },
	[DMSWAP_F_ZWP_OFFSET] = { "md.zwp_offset", FK_POINTER },
	[DMSWAP_F_DISK_NR_ZONES] = { "disk.nr_zones", FK_NUMBER },
	[DMSWAP_F_ZONE_CAPACITY] = { "disk.zone_capacity", FK_NUMBER },
	[DMSWAP_F_LAST_ZONE_CAPACITY] = { "disk.last_zone_capacity", FK_NUMBER },
	[DMSWAP_F_CONV_BITMAP] = { "disk.conv_zones_bitmap", FK_POINTER },
	[DMSWAP_F_SEQ_ZONES_WLOCK] = { "disk.seq_zones_wlock", FK_POINTER },
	[DMSWAP_F_ZONES_COND] = { "disk.zones_cond", FK_POINTER },
	[DMSWAP_F_WPLUGS_HASH] = { "disk.zone_wplugs_hash", FK_POINTER },
	[DMSWAP_F_WPLUGS_HASH_BITS] = { "disk.zone_wplugs_hash_bits", FK_NUMBER },
	[DMSWAP_F_WPLUG_POOL] = { "disk.zone_wplugs_pool", FK_POINTER },
	[DMSWAP_F_WPLUG_POOL_SIZE] = { "disk.zone_wplugs_pool.min_nr", FK_NUMBER },
	[DMSWAP_F_LIM_ZONED] = { "limits.zoned", FK_ZONED },
	[DMSWAP_F_LIM_FEATURES] = { "limits.features", FK_HEX },
	[DMSWAP_F_LIM_CHUNK_SECTORS] = { "limits.chunk_sectors", FK_NUMBER },
	[DMSWAP_F_LIM_LOGICAL_BS] = { "limits.logical_block_size", FK_NUMBER },
	[DMSWAP_F_LIM_PHYSICAL_BS] = { "limits.physical_block_size", FK_NUMBER },
	[DMSWAP_F_LIM_MAX_OPEN_ZONES] = { "limits.max_open_zones", FK_NUMBER },
	[DMSWAP_F_LIM_MAX_ACTIVE_ZONES] = { "limits.max_active_zones", FK_NUMBER },
	[DMSWAP_F_LIM_MAX_ZONE_APPEND] = { "limits.max_zone_append_sectors", FK_NUMBER },
	[DMSWAP_F_LIM_MAX_HW_ZONE_APPEND] = { "limits.max_hw_zone_append_sectors", FK_NUMBER },
	[DMSWAP_F_LIM_ZONE_WRITE_GRAN] = { "limits.zone_write_granularity", FK_NUMBER },
	[DMSWAP_F_LIM_MAX_SECTORS] = { "limits.max_sectors", FK_NUMBER },
	[DMSWAP_F_TABLE_MEMPOOLS] = { "table.mempools", FK_POINTER },
	[DMSWAP_F_TABLE_SECTORS] = { "table.sectors", FK_NUMBER },
	[DMSWAP_F_EXPECTED_NR_ZONES] = { "expected_nr_zones", FK_NUMBER },
	[DMSWAP_F_NR_DEVICES] = { "table.nr_devices", FK_NUMBER },
	[DMSWAP_F_DEVICES_SIG] = { "table.devices_signature", FK_HEX },
	[DMSWAP_F_FIRST_DEVICE] = { "table.first_device", FK_DEVT },
	[DMSWAP_F_ERRNO] = { "errno", FK_ERRNO },
	[DMSWAP_F_RET] = { "ret", FK_SIGNED },
	[DMSWAP_F_LIVE_GETS] = { "dm_get_live_table.calls", FK_NUMBER },
	[DMSWAP_F_LIVE_PUTS] = { "dm_put_live_table.calls", FK_NUMBER },
	[DMSWAP_F_SRCU_GET_IDX] = { "srcu_idx.get", FK_SIGNED },
	[DMSWAP_F_SRCU_PUT_IDX] = { "srcu_idx.put", FK_SIGNED },
	[DMSWAP_F_REVALIDATE_MAP] = { "md.zone_revalidate_map", FK_POINTER },
	[DMSWAP_F_REVALIDATE_TASK] = { "md.revalidate_map_task.pid", FK_NUMBER },
	[DMSWAP_F_SUSPENDED] = { "md.flags.SUSPENDED", FK_BOOL },
	[DMSWAP_F_SUSPENDED_AT_ENTRY] = { "suspended_at_report_entry", FK_BOOL },
	[DMSWAP_F_SUSPENDED_AT_GET] = { "suspended_at_get_live_table", FK_BOOL },
	[DMSWAP_F_REPORTS_USING_MAP] = { "reports_using_the_table", FK_NUMBER },
	[DMSWAP_F_TABLE_IS_MAP] = { "table.is_md_map", FK_BOOL },
	[DMSWAP_F_QUIESCE_DEPTH] = { "queue.quiesce_depth", FK_SIGNED },
	[DMSWAP_F_MQ_OPS] = { "queue.mq_ops", FK_POINTER },
	[DMSWAP_F_TAG_SET] = { "queue.tag_set", FK_POINTER },
	[DMSWAP_F_TABLE_TYPE] = { "table.type", FK_NUMBER },
	[DMSWAP_F_BAD_DEVICES] = { "table.not_rq_stackable_devices", FK_NUMBER },
	[DMSWAP_F_BAD_DEVICE] = { "table.not_rq_stackable_device", FK_DEVT },
	[DMSWAP_F_BAD_DEVICE_PARTITION] = { "device.is_partition", FK_BOOL },
	[DMSWAP_F_BAD_DEVICE_MQ] = { "device.queue_is_mq", FK_BOOL },
	[DMSWAP_F_OPEN_COUNT] = { "md.open_count", FK_NUMBER },
};

const char *field_name(unsigned int field)
{
	if (field < DMSWAP_F_MAX && fields[field].name)
		return fields[field].name;
	return "unknown";
}

int field_is_numeric(unsigned int field)
{
	return field < DMSWAP_F_MAX && fields[field].name &&
	       (fields[field].kind == FK_NUMBER || fields[field].kind == FK_SIGNED);
}

int field_is_signed(unsigned int field)
{
	return field < DMSWAP_F_MAX && fields[field].kind == FK_SIGNED;
}

void field_format(unsigned int field, uint64_t value, char *buf, size_t len)
{
	enum field_kind kind = field < DMSWAP_F_MAX ? fields[field].kind : FK_NUMBER;
	const char *name;

	switch (kind) {
	case FK_POINTER:
		/* Kernel addresses are not logged: only whether it is set. */
		snprintf(buf, len, "%s", value ? "set" : "null");
		break;
	case FK_BOOL:
		snprintf(buf, len, "%s", value ? "true" : "false");
		break;
	case FK_ZONED:
		snprintf(buf, len, "%s", zoned_name((uint8_t)value));
		break;
	case FK_ERRNO:
		name = event_errno_name(-(int64_t)value);
		snprintf(buf, len, "%s", name ? name : "unknown");
		break;
	case FK_DEVT:
		/* The kernel's dev_t: 12-bit major, 20-bit minor. */
		snprintf(buf, len, "%u:%u", (unsigned int)(value >> 20),
			 (unsigned int)(value & 0xfffff));
		break;
	case FK_SIGNED:
		snprintf(buf, len, "%" PRId64, (int64_t)value);
		break;
	case FK_HEX:
		snprintf(buf, len, "0x%" PRIx64, value);
		break;
	default:
		snprintf(buf, len, "%" PRIu64, value);
	}
}

void field_format_change(unsigned int field, uint64_t before, uint64_t after, char *bbuf,
			 char *abuf, size_t len)
{
	field_format(field, before, bbuf, len);
	field_format(field, after, abuf, len);
	/* Two different non-NULL pointers render alike: say it was replaced. */
	if (before != after && !strcmp(bbuf, abuf))
		snprintf(abuf, len, "%s (replaced)", bbuf);
}
