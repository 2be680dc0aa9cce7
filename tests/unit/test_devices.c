// SPDX-License-Identifier: GPL-2.0
/* --dev resolution against a fake sysfs tree. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"
#include "unit.h"

static char root[64];

static void put_file(const char *rel, const char *content)
{
	char path[256], cmd[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	CHECK(system(cmd) == 0);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

/* Two dm devices: dm-0 "lin" 253:0 and dm-3 "crypt0" 253:3. */
static void fake_sysfs(void)
{
	snprintf(root, sizeof(root), "/tmp/dmswap-unit-sysfs.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	put_file("block/dm-0/dm/name", "lin\n");
	put_file("block/dm-0/dev", "253:0\n");
	put_file("block/dm-3/dm/name", "crypt0\n");
	put_file("block/dm-3/dev", "253:3\n");
	put_file("dev/block/253:0/dm/name", "lin\n");
	put_file("dev/block/253:3/dm/name", "crypt0\n");
	devices_set_sysfs_root(root);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	devices_set_sysfs_root("/sys");
}

TEST(dev_filter_resolves_every_spelling)
{
	struct dev_filter f = {};

	fake_sysfs();
	CHECK_INT(dev_filter_add(&f, "crypt0", false), 0);
	CHECK_INT(f.items[0].major, 253);
	CHECK_INT(f.items[0].minor, 3);
	CHECK_INT(dev_filter_add(&f, "/dev/mapper/lin", false), 0);
	CHECK_INT(dev_filter_add(&f, "dm-3", false), 0);
	CHECK_STR(f.items[2].name, "crypt0");
	CHECK_INT(dev_filter_add(&f, "/dev/dm-0", false), 0);
	CHECK_STR(f.items[3].name, "lin");
	CHECK_INT(dev_filter_add(&f, "253:3", false), 0);
	CHECK_STR(f.items[4].name, "crypt0");
	cleanup();
}

TEST(dev_filter_unknown_and_malformed)
{
	struct dev_filter f = {};

	fake_sysfs();
	CHECK_INT(dev_filter_add(&f, "nosuch", false), -ENOENT);
	CHECK_INT(dev_filter_add(&f, "dm-9", false), -ENOENT);
	CHECK_INT(dev_filter_add(&f, "253:9", false), -ENOENT);
	CHECK_INT(dev_filter_add(&f, "", false), -EINVAL);
	CHECK_INT(dev_filter_add(&f, "a/b", false), -EINVAL);
	CHECK_INT(f.len, 0);
	/* --wait: a name or devt may appear later; dm-N cannot be waited for. */
	CHECK_INT(dev_filter_add(&f, "nosuch", true), 0);
	CHECK_INT(dev_filter_add(&f, "253:9", true), 0);
	CHECK_INT(dev_filter_add(&f, "dm-9", true), -ENXIO);
	CHECK_INT(f.len, 2);
	cleanup();
}

/*
 * MAJOR:MINOR and dm-N are decimal numbers within dev_t's ranges (12 and
 * 20 bits): a sign, an overflow or another base is malformed, never
 * wrapped onto a device that exists (before, 253:4294967296 was 253:0).
 */
TEST(dev_filter_numbers_do_not_wrap)
{
	static const char *const bad[] = {
		"253:99999999999999999999",
		"253:4294967296",
		"253:-1",
		"-1:0",
		"4096:0",
		"253:1048576",
		"253: 3",
		"253:+3",
		"253:0x3",
		"dm--1",
		"dm-4294967296",
		"dm-99999999999999999999",
		"dm-+3",
		"/dev/dm- 3",
	};
	struct dev_filter f = {};

	fake_sysfs();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = dev_filter_add(&f, bad[i], true);

		if (ret != -EINVAL)
			unit_fail(__FILE__, __LINE__, "%s: got %d, want -EINVAL", bad[i], ret);
		CHECK_INT(dev_arg_check(bad[i]), -EINVAL);
	}
	CHECK_INT(f.len, 0);
	CHECK_INT(dev_arg_check("4095:1048575"), 0);
	CHECK_INT(dev_arg_check("253:0"), 0);
	CHECK_INT(dev_arg_check("dm-3"), 0);
	CHECK_INT(dev_arg_check("lin"), 0);
	CHECK_INT(dev_filter_add(&f, "4095:1048575", true), 0);
	CHECK_INT(f.items[0].major, 4095);
	CHECK_INT(f.items[0].minor, 1048575);
	cleanup();
}

TEST(dev_filter_matches_by_name_or_devt)
{
	struct dev_filter f = {};

	fake_sysfs();
	CHECK(dev_filter_match(&f, "anything", 1, 2)); /* empty filter: all */
	CHECK_INT(dev_filter_add(&f, "crypt0", false), 0);
	CHECK(dev_filter_match(&f, "crypt0", 0, 0));
	CHECK(dev_filter_match(&f, "renamed", 253, 3));
	CHECK(!dev_filter_match(&f, "lin", 253, 0));
	cleanup();
}
