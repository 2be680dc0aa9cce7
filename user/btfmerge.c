// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfmerge.h"

struct btf_blob {
	unsigned char *data;
	size_t size;
	struct btf_header hdr;
};

static int read_blob(const char *dir, const char *name, struct btf_blob *b)
{
	char path[256];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* sysfs reports the BTF's exact size. */
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(b->hdr)) {
		err = -EINVAL;
		goto out;
	}
	b->size = st.st_size;
	b->data = malloc(b->size);
	if (!b->data) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t done = 0; done < b->size; done += n) {
		n = read(fd, b->data + done, b->size - done);
		if (n <= 0) {
			err = n ? -errno : -EIO;
			goto out;
		}
	}
	memcpy(&b->hdr, b->data, sizeof(b->hdr));
	if (b->hdr.magic != BTF_MAGIC || b->hdr.hdr_len < sizeof(b->hdr) ||
	    (size_t)b->hdr.hdr_len + b->hdr.type_off + b->hdr.type_len > b->size ||
	    (size_t)b->hdr.hdr_len + b->hdr.str_off + b->hdr.str_len > b->size)
		err = -EINVAL;
out:
	close(fd);
	return err;
}

static const unsigned char *section(const struct btf_blob *b, __u32 off)
{
	return b->data + b->hdr.hdr_len + off;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= n;
	}
	return 0;
}

int btf_merge_module(const char *sysfs_dir, const char *module, char *path, size_t len)
{
	struct btf_blob base = {}, split = {};
	struct btf_header hdr;
	int fd = -1, err;

	err = read_blob(sysfs_dir, "vmlinux", &base);
	if (!err)
		err = read_blob(sysfs_dir, module, &split);
	if (err)
		goto out;
	hdr = base.hdr;
	hdr.hdr_len = sizeof(hdr);
	hdr.type_off = 0;
	hdr.type_len = base.hdr.type_len + split.hdr.type_len;
	hdr.str_off = hdr.type_len;
	hdr.str_len = base.hdr.str_len + split.hdr.str_len;
	fd = memfd_create("dmswap-btf", MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	err = write_all(fd, &hdr, sizeof(hdr));
	if (!err)
		err = write_all(fd, section(&base, base.hdr.type_off), base.hdr.type_len);
	if (!err)
		err = write_all(fd, section(&split, split.hdr.type_off), split.hdr.type_len);
	if (!err)
		err = write_all(fd, section(&base, base.hdr.str_off), base.hdr.str_len);
	if (!err)
		err = write_all(fd, section(&split, split.hdr.str_off), split.hdr.str_len);
	if (!err)
		snprintf(path, len, "/proc/self/fd/%d", fd);
out:
	free(base.data);
	free(split.data);
	if (err && fd >= 0)
		close(fd);
	return err ? err : fd;
}
