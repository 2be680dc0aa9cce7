// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "hooks.h"

#define HOOK_ALT(...) ((const char *const[]){ __VA_ARGS__, NULL })

const struct hook hooks[] = {
	{ .name = "dm_suspend",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "suspend events: duration, result" },
	{ .name = "dm_swap_table",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "swap events: the bind, old/new size, targets, zoned state" },
	{ .name = "__bind",
	  .module = "dm_mod",
	  .observed_at = "dm_swap_table",
	  .purpose = "static, inlined into dm_swap_table on Debian builds: its result is "
		     "dm_swap_table's (old map or ERR_PTR)" },
	{ .name = "dm_table_set_restrictions",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "restrictions events: result" },
	{ .name = "dm_revalidate_zones",
	  .alt_names = HOOK_ALT("dm_set_zones_restrictions"),
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "revalidate events inside a swap (6.1 inlines it into "
		     "dm_set_zones_restrictions)" },
	{ .name = "dm_resume",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "resume events: duration, result; closes the swap cycle" },
	{ .name = "dm_blk_report_zones",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS | HOOK_HAS_EXIT,
	  .purpose = "report_zones events: task, result" },
	{ .name = "dm_get_live_table",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "INV-1/INV-2: SRCU gets inside report calls (per-bio: one load otherwise)" },
	{ .name = "dm_put_live_table",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "INV-1: SRCU puts and their index" },
	{ .name = "dm_destroy",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "frees the state kept per device" },
	{ .name = "dm_destroy_immediate",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "frees the state kept per device (forced removal)" },
	{ .name = "dm_table_destroy",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "INV-10: a table freed while it is its device's live map" },
	{ .name = "dm_start_queue",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "INV-11: request-based queue started (resume)" },
	{ .name = "dm_stop_queue",
	  .module = "dm_mod",
	  .flags = HOOK_READS_ARGS,
	  .purpose = "INV-11: request-based queue stopped (suspend)" },
	{ .name = "dm_blk_do_report_zones",
	  .module = "dm_mod",
	  .purpose = "marks report_zones calls that used a table (map_used)" },
	{ .name = "blkdev_report_zones_ioctl",
	  .flags = HOOK_HAS_EXIT,
	  .purpose = "INV-3: marks user space's zone reports (BLKREPORTZONE), which may "
		     "fail with EAGAIN" },
};

const size_t nr_hooks = sizeof(hooks) / sizeof(hooks[0]);

const struct hook *hook_by_name(const char *name)
{
	for_each_hook (h)
		if (!strcmp(h->name, name))
			return h;
	return NULL;
}

size_t hook_index(const struct hook *h)
{
	return (size_t)(h - hooks);
}
