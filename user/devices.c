// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"

static const char *sysfs_root = "/sys";

void devices_set_sysfs_root(const char *root)
{
	sysfs_root = root;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int dm_name_of_devt(unsigned int major, unsigned int minor, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/dev/block/%u:%u/dm/name", sysfs_root, major, minor);
	return read_line(path, buf, len);
}

/* Find a dm device by name: fills its devt. */
static int lookup_by_name(const char *name, struct dev_match *m)
{
	char path[512], buf[DMSWAP_NAME_LEN];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/block", sysfs_root);
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "dm-", 3))
			continue;
		snprintf(path, sizeof(path), "%s/block/%s/dm/name", sysfs_root, de->d_name);
		if (read_line(path, buf, sizeof(buf)) || strcmp(buf, name))
			continue;
		snprintf(path, sizeof(path), "%s/block/%s/dev", sysfs_root, de->d_name);
		if (!read_line(path, buf, sizeof(buf)) &&
		    sscanf(buf, "%u:%u", &m->major, &m->minor) == 2) {
			m->has_devt = true;
			ret = 0;
		}
		break;
	}
	closedir(dir);
	return ret;
}

static int parse_arg(const char *arg, struct dev_match *m)
{
	char path[256], extra;
	unsigned int num;

	if (!*arg || strlen(arg) >= DMSWAP_NAME_LEN)
		return -EINVAL;
	if (!strncmp(arg, "/dev/mapper/", 12))
		arg += 12;
	else if (!strncmp(arg, "/dev/", 5))
		arg += 5;
	if (sscanf(arg, "%u:%u%c", &m->major, &m->minor, &extra) == 2) {
		m->has_devt = true;
		return dm_name_of_devt(m->major, m->minor, m->name, sizeof(m->name)) ? -ENOENT : 0;
	}
	if (sscanf(arg, "dm-%u%c", &num, &extra) == 1) {
		char dev[32];

		snprintf(path, sizeof(path), "%s/block/%s/dev", sysfs_root, arg);
		if (read_line(path, dev, sizeof(dev)) ||
		    sscanf(dev, "%u:%u", &m->major, &m->minor) != 2)
			return -ENOENT;
		m->has_devt = true;
		return dm_name_of_devt(m->major, m->minor, m->name, sizeof(m->name)) ? -ENOENT : 0;
	}
	if (strchr(arg, '/') || !*arg)
		return -EINVAL;
	snprintf(m->name, sizeof(m->name), "%s", arg);
	return lookup_by_name(arg, m);
}

int dev_filter_add(struct dev_filter *f, const char *arg, bool allow_missing)
{
	struct dev_match m = {};
	int ret;

	if (f->len == DEV_FILTER_MAX)
		return -E2BIG;
	ret = parse_arg(arg, &m);
	if (ret == -EINVAL)
		return ret;
	/* A missing device can only be waited for by name or devt. */
	if (ret == -ENOENT && (!allow_missing || (!m.name[0] && !m.has_devt)))
		return ret;
	f->items[f->len++] = m;
	return 0;
}

bool dev_filter_match(const struct dev_filter *f, const char *name, unsigned int major,
		      unsigned int minor)
{
	if (!f->len)
		return true;
	for (size_t i = 0; i < f->len; i++) {
		const struct dev_match *m = &f->items[i];

		if (m->name[0] && !strcmp(m->name, name))
			return true;
		if (m->has_devt && m->major == major && m->minor == minor)
			return true;
	}
	return false;
}
