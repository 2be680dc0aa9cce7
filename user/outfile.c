// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* A temporary name is tried this many times before giving up (EEXIST). */
#define TMP_TRIES 16

/* -errno for what sits at @name in @dirfd: none (0), a regular file, or a refusal. */
static int check_target(int dirfd, const char *name, struct stat *st)
{
	if (fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 1 : -errno;
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	return 0;
}

int outfile_dir(const char *path, char name[NAME_MAX + 1])
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	int fd;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EISDIR;
	if (strlen(base) > NAME_MAX)
		return -ENAMETOOLONG;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	strcpy(name, base);
	return fd;
}

/* ".NAME.XXXXXXXXXXXX": hidden, and not guessable by whoever shares the directory. */
static int open_tmp(struct outfile *o, mode_t mode)
{
	for (int i = 0; i < TMP_TRIES; i++) {
		unsigned char rnd[6];
		int fd;

		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -EIO;
		if (snprintf(o->tmp, sizeof(o->tmp), ".%s.%02x%02x%02x%02x%02x%02x", o->name,
			     rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]) >= (int)sizeof(o->tmp))
			return -ENAMETOOLONG;
		fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -errno;
		if (fchmod(fd, mode)) {
			int err = -errno;

			unlinkat(o->dirfd, o->tmp, 0);
			close(fd);
			return err;
		}
		return fd;
	}
	return -EEXIST;
}

int outfile_open(struct outfile *o, const char *path, mode_t mode)
{
	struct stat st;
	int ret, fd;

	memset(o, 0, sizeof(*o));
	o->dirfd = outfile_dir(path, o->name);
	if (o->dirfd < 0)
		return o->dirfd;
	ret = check_target(o->dirfd, o->name, &st);
	if (ret < 0)
		goto fail;
	o->existed = ret == 0;
	if (o->existed) {
		o->dev = st.st_dev;
		o->ino = st.st_ino;
	}
	fd = ret = open_tmp(o, mode);
	if (ret < 0)
		goto fail;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		ret = -errno;
		unlinkat(o->dirfd, o->tmp, 0);
		close(fd);
		goto fail;
	}
	return 0;
fail:
	close(o->dirfd);
	o->dirfd = -1;
	return ret;
}

int outfile_commit(struct outfile *o)
{
	struct stat st;
	int err = outfile_flush(o->f), t;

	if (fclose(o->f) && !err)
		err = errno;
	o->f = NULL;
	/*
	 * No fsync(): the rename already gives readers the old file or the
	 * new one while the system runs, and none of these files is worth a
	 * disk flush: the metrics are rewritten every interval, a summary or
	 * page cut by a power loss belongs to a run that did not finish.
	 * The target is checked again: a link put there since is not replaced.
	 */
	t = err ? 0 : check_target(o->dirfd, o->name, &st);
	if (t < 0)
		err = -t;
	if (!err && renameat(o->dirfd, o->tmp, o->dirfd, o->name))
		err = errno;
	if (err)
		unlinkat(o->dirfd, o->tmp, 0);
	close(o->dirfd);
	o->dirfd = -1;
	return -err;
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->dirfd >= 0) {
		unlinkat(o->dirfd, o->tmp, 0);
		close(o->dirfd);
	}
	o->dirfd = -1;
}

/* @path's directory and, if it exists, the file it names (not followed). */
struct out_id {
	struct stat dir, file;
	bool exists;
	char name[NAME_MAX + 1];
};

static bool out_id(const char *path, struct out_id *id)
{
	int dirfd = outfile_dir(path, id->name);
	bool ok;

	if (dirfd < 0)
		return false;
	ok = !fstat(dirfd, &id->dir);
	id->exists = ok && !fstatat(dirfd, id->name, &id->file, AT_SYMLINK_NOFOLLOW);
	close(dirfd);
	return ok;
}

bool outfile_same(const char *a, const char *b)
{
	struct out_id x, y;

	if (!out_id(a, &x) || !out_id(b, &y))
		return false;
	if (x.dir.st_dev == y.dir.st_dev && x.dir.st_ino == y.dir.st_ino && !strcmp(x.name, y.name))
		return true;
	return x.exists && y.exists && x.file.st_dev == y.file.st_dev &&
	       x.file.st_ino == y.file.st_ino;
}

bool outfile_is(const struct outfile *o, const char *path)
{
	struct stat st;

	return o->existed && !stat(path, &st) && st.st_dev == o->dev && st.st_ino == o->ino;
}

/*
 * An existing log, seen through the descriptor just opened (not the path,
 * which may have changed since): another user's file, one they may write,
 * or one with a second name elsewhere (a hard link made by whoever could
 * then read it there) may have been planted to read the records or to
 * forge earlier ones.  0, or the refusal.
 */
static int check_planted(const struct stat *st)
{
	if (st->st_uid != geteuid())
		return -OUTFILE_ENOTOWNER;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return -OUTFILE_EWRITABLE;
	if (st->st_nlink > 1)
		return -OUTFILE_ELINKS;
	return 0;
}

int outfile_open_append_at(int dirfd, const char *name, mode_t mode)
{
	/* O_NONBLOCK: opening a FIFO without a reader would wait for one. */
	int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
	int fd = openat(dirfd, name, flags | O_CREAT | O_EXCL, mode);
	bool created = fd >= 0;
	struct stat st;
	int err;

	if (fd < 0 && errno == EEXIST)
		fd = openat(dirfd, name, flags);
	if (fd < 0)
		/* ENXIO: a FIFO with no reader, or a device file without its device. */
		return errno == ENXIO ? -EINVAL : -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	/* An existing file keeps the mode its owner gave it, if it is the tool's. */
	else if (!created)
		err = check_planted(&st);
	else
		err = fchmod(fd, mode) ? -errno : 0;
	if (!err && fcntl(fd, F_SETFL, O_APPEND))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

const char *outfile_strerror(int err)
{
	if (err == ELOOP)
		return "a symbolic link, not followed";
	if (err == EINVAL)
		return "not a regular file";
	if (err == OUTFILE_ENOTOWNER)
		return "owned by another user: not appended to";
	if (err == OUTFILE_EWRITABLE)
		return "writable by group or others: not appended to";
	if (err == OUTFILE_ELINKS)
		return "has more than one link: not appended to";
	return strerror(err);
}

static int stdout_err;

int outfile_flush(FILE *f)
{
	int err;

	/*
	 * A write that failed earlier left errno to the caller, who cleared it
	 * before writing; a failed fflush() drops what it held, so the first
	 * errno is the only one there will be.
	 */
	if (!ferror(f))
		errno = 0;
	if (!fflush(f) && !ferror(f))
		return 0;
	err = errno ? errno : EIO;
	if (f != stdout)
		return err;
	if (!stdout_err)
		stdout_err = err;
	return stdout_err;
}
