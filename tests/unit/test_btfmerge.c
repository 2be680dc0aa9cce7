// SPDX-License-Identifier: GPL-2.0
/*
 * vmlinux's BTF and a module's split BTF laid end to end must read back as
 * one BTF in which the module's types keep their ids and names and still
 * refer to the base's types.  Both are made here with libbpf, written as
 * the files /sys/kernel/btf would hold.
 */
#include <bpf/btf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "btfmerge.h"
#include "unit.h"

static int write_raw(const char *dir, const char *name, const struct btf *btf)
{
	char path[512];
	__u32 size;
	const void *data = btf__raw_data(btf, &size);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || !data || write(fd, data, size) != (ssize_t)size) {
		unit_fail(__FILE__, __LINE__, "cannot write %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

TEST(btfmerge_base_and_split)
{
	char dir[] = "/tmp/dmswap-btfmerge.XXXXXX", path[64];
	struct btf *base = btf__new_empty(), *split, *merged = NULL;
	int int_id, sdev_id, md_id, fd;
	const struct btf_type *t;

	CHECK(mkdtemp(dir) != NULL);
	int_id = btf__add_int(base, "int", 4, BTF_INT_SIGNED);
	sdev_id = btf__add_struct(base, "block_device", 8);
	btf__add_field(base, "bd_dev", int_id, 0, 0);
	split = btf__new_empty_split(base);
	md_id = btf__add_struct(split, "mapped_device", 16);
	btf__add_field(split, "flags", int_id, 0, 0);
	btf__add_field(split, "bdev", sdev_id, 64, 0);
	if (write_raw(dir, "vmlinux", base) || write_raw(dir, "dm_mod", split))
		goto out;

	fd = btf_merge_module(dir, "dm_mod", path, sizeof(path));
	CHECK(fd >= 0);
	if (fd < 0)
		goto out;
	merged = btf__parse_raw(path);
	close(fd);
	CHECK(merged != NULL);
	if (!merged)
		goto out;
	CHECK_INT(btf__type_cnt(merged), btf__type_cnt(split));
	CHECK_INT(btf__find_by_name_kind(merged, "mapped_device", BTF_KIND_STRUCT), md_id);
	t = btf__type_by_id(merged, md_id);
	CHECK_INT(btf_vlen(t), 2);
	CHECK_STR(btf__name_by_offset(merged, btf_members(t)[1].name_off), "bdev");
	CHECK_INT(btf_members(t)[1].type, sdev_id);
	CHECK_STR(btf__name_by_offset(merged, btf__type_by_id(merged, sdev_id)->name_off),
		  "block_device");
	/* A module that is not there: an error, not an empty BTF. */
	CHECK(btf_merge_module(dir, "no_such_module", path, sizeof(path)) < 0);
out:
	btf__free(merged);
	btf__free(split);
	btf__free(base);
	unlink(strcat(strcpy(path, dir), "/vmlinux"));
	snprintf(path, sizeof(path), "%s/dm_mod", dir);
	unlink(path);
	rmdir(dir);
}
