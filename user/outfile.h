/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files dmswap-trace writes, as root; the rules in one place:
 *  - an output path names a regular file or nothing: its last component is
 *    never followed, and a symbolic link, FIFO, device or directory there is
 *    refused.  The directories above it are the caller's choice and are
 *    followed (an admin may well have /var/lib on a link), but the directory
 *    is pinned by a descriptor once opened, so the file is created and
 *    renamed in the directory that was checked;
 *  - a file replaced whole (--metrics, --summary, report --html) is written
 *    to a private temporary file beside it (O_EXCL, a random name, a dot
 *    name that node_exporter's textfile collector skips), then renamed over
 *    the target: a reader sees the old file or the new one, never half, and
 *    a link planted at a predictable name is never written through;
 *  - modes are set with fchmod(), so the umask (the service's is 0077) does
 *    not decide who may read them.
 */
#ifndef DMSWAP_OUTFILE_H
#define DMSWAP_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	FILE *f; /* the temporary file: write here */
	int dirfd; /* the target's directory (O_PATH) */
	char tmp[NAME_MAX + 1]; /* the temporary file's name in it */
	char name[NAME_MAX + 1]; /* the target's */
	bool existed; /* the target existed at open: then dev and ino are its */
	dev_t dev;
	ino_t ino;
};

/*
 * Check @path and open a private temporary file beside it with mode @mode.
 * 0, or -errno: -ELOOP a symbolic link, -EISDIR a directory, -EINVAL
 * another file that is not regular (outfile_strerror() says so).
 */
int outfile_open(struct outfile *o, const char *path, mode_t mode);
/* Flush and close the temporary file and rename it over the target: 0 or -errno. */
int outfile_commit(struct outfile *o);
/* Remove the temporary file; the target stays as it was. */
void outfile_abort(struct outfile *o);
/* Whether @path names the file the target was at open (it existed then). */
bool outfile_is(const struct outfile *o, const char *path);

/*
 * An existing log is appended to only if no one else could have planted it
 * or can read it by another name: it is refused (-OUTFILE_E..., said by
 * outfile_strerror()) when not owned by the effective uid, writable by group
 * or others, or hard-linked.  Beyond every errno value.
 */
enum {
	OUTFILE_ENOTOWNER = 4096,
	OUTFILE_EWRITABLE,
	OUTFILE_ELINKS,
};

/*
 * Split @path: its directory, opened (O_PATH) and returned to be kept, and
 * its last component in @name.  -errno: -EISDIR when it names a directory
 * ("", ".", "..").
 */
int outfile_dir(const char *path, char name[NAME_MAX + 1]);

/*
 * Open @name in @dirfd (outfile_dir()) to append (a log): created with
 * exactly @mode if absent, a regular file otherwise (a FIFO is refused at
 * once, never waited on), @name not followed.  A descriptor, or -errno as
 * outfile_open().  The directory stays the one opened at start-up, whatever
 * its path names since.
 */
int outfile_open_append_at(int dirfd, const char *name, mode_t mode);

/*
 * Whether @a and @b name the same file, by any path: the same directory
 * (by device and inode, links above it followed as outfile_dir() does)
 * and the same last component, or two existing names of one file.  Two
 * outputs on one file lose records without an error (the metrics' rename
 * orphans the log), so that is refused before anything is opened.  A path
 * whose directory cannot be opened is not the same as anything: opening it
 * will say why.
 */
bool outfile_same(const char *a, const char *b);

/* strerror(), but naming this module's refusals ("a symbolic link, not followed"). */
const char *outfile_strerror(int err);

/*
 * fflush(@f) and its error state: 0, or the errno of its first failed write
 * (remembered for stdout, whose errors are said at exit; EIO if unknown).
 */
int outfile_flush(FILE *f);

#endif /* DMSWAP_OUTFILE_H */
