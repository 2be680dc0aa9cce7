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

/*
 * A decimal number up to @max at @s, ending at @end: digits only.  sscanf's
 * %u took a sign and wrapped what overflowed (253:4294967296 was 253:0).
 */
static bool parse_num(const char *s, const char *end, unsigned long max, unsigned int *out)
{
	unsigned long n = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (*s - '0');
		if (n > max)
			return false;
	}
	*out = n;
	return true;
}

/* What @arg spells, without sysfs: a devt, a dm-N, a name, or malformed. */
enum dev_spelling { DEV_DEVT, DEV_DM_N, DEV_NAME };

/*
 * MAJOR:MINOR is anything with a colon that starts with a digit, a sign or
 * a space, and dm-N anything after "dm-" that starts with one: both must
 * then be in range, or the argument is malformed, rather than taken for a
 * dm name no one would give (and found missing).
 */
static int spelling(const char *arg, struct dev_match *m, unsigned int *num)
{
	const char *colon;

	if (!*arg || strlen(arg) >= DMSWAP_NAME_LEN)
		return -EINVAL;
	if (!strncmp(arg, "/dev/mapper/", 12))
		arg += 12;
	else if (!strncmp(arg, "/dev/", 5))
		arg += 5;
	colon = strchr(arg, ':');
	if (colon && strchr("0123456789+- ", arg[0])) {
		if (!parse_num(arg, colon, DEV_MAJOR_MAX, &m->major) ||
		    !parse_num(colon + 1, colon + strlen(colon), DEV_MINOR_MAX, &m->minor))
			return -EINVAL;
		return DEV_DEVT;
	}
	if (!strncmp(arg, "dm-", 3) && strchr("0123456789+- ", arg[3])) {
		if (!arg[3] || !parse_num(arg + 3, arg + strlen(arg), DEV_MINOR_MAX, num))
			return -EINVAL;
		return DEV_DM_N;
	}
	if (strchr(arg, '/'))
		return -EINVAL;
	return DEV_NAME;
}

int dev_arg_check(const char *arg)
{
	struct dev_match m;
	unsigned int num;
	int ret = spelling(arg, &m, &num);

	return ret < 0 ? ret : 0;
}

static int parse_arg(const char *arg, struct dev_match *m)
{
	char path[256];
	unsigned int num;
	int kind = spelling(arg, m, &num);

	if (kind < 0)
		return kind;
	if (!strncmp(arg, "/dev/mapper/", 12))
		arg += 12;
	else if (!strncmp(arg, "/dev/", 5))
		arg += 5;
	if (kind == DEV_DEVT) {
		m->has_devt = true;
		return dm_name_of_devt(m->major, m->minor, m->name, sizeof(m->name)) ? -ENOENT : 0;
	}
	if (kind == DEV_DM_N) {
		char dev[32];

		snprintf(path, sizeof(path), "%s/block/%s/dev", sysfs_root, arg);
		if (read_line(path, dev, sizeof(dev)) ||
		    sscanf(dev, "%u:%u", &m->major, &m->minor) != 2)
			return -ENOENT;
		m->has_devt = true;
		return dm_name_of_devt(m->major, m->minor, m->name, sizeof(m->name)) ? -ENOENT : 0;
	}
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
	if (ret == -ENOENT && !allow_missing)
		return ret;
	/* A missing device can only be waited for by name or devt: dm-N's N comes at creation. */
	if (ret == -ENOENT && !m.name[0] && !m.has_devt)
		return -ENXIO;
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
