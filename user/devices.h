/* SPDX-License-Identifier: GPL-2.0 */
/* dm devices as sysfs shows them, and the --dev filter. */
#ifndef DMSWAP_DEVICES_H
#define DMSWAP_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "dmswap.h"

#define DEV_FILTER_MAX 32

struct dev_match {
	char name[DMSWAP_NAME_LEN]; /* dm name, empty if only a devt was given */
	unsigned int major, minor;
	bool has_devt;
};

struct dev_filter {
	struct dev_match items[DEV_FILTER_MAX];
	size_t len;
};

/* Sysfs root, "/sys" unless a test points it elsewhere. */
void devices_set_sysfs_root(const char *root);

/* The dm name of MAJOR:MINOR from sysfs; -errno if there is none. */
int dm_name_of_devt(unsigned int major, unsigned int minor, char *buf, size_t len);

/* dev_t's ranges (12 and 20 bits): MAJOR:MINOR and dm-N beyond them are malformed. */
#define DEV_MAJOR_MAX 4095
#define DEV_MINOR_MAX 1048575

/*
 * Add a --dev argument: a dm name, /dev/mapper/NAME, dm-N, /dev/dm-N or
 * MAJOR:MINOR (decimal, within range).  Returns 0, -ENOENT if no such dm
 * device exists now (the entry is still added, by name or devt, when
 * @allow_missing), -ENXIO for a missing dm-N with @allow_missing (its
 * number comes at creation: it cannot be waited for), -EINVAL if
 * malformed, -E2BIG if too many.
 */
int dev_filter_add(struct dev_filter *f, const char *arg, bool allow_missing);
/* Whether @arg is well formed (0) or not (-EINVAL), without looking at sysfs. */
int dev_arg_check(const char *arg);
bool dev_filter_match(const struct dev_filter *f, const char *name, unsigned int major,
		      unsigned int minor);

#endif /* DMSWAP_DEVICES_H */
