// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the log's reopen path (sink_log.c, outfile.c): the
 * input is a script of what a hostile neighbour and logrotate do to the
 * log's directory between records and SIGHUPs, one byte an operation (low
 * nibble: which, high nibble: a variant):
 *
 *   0 write a record          5 a symbolic link at the name (to the decoy)
 *   1 rotate (rename away)    6 a directory at the name
 *   2 SIGHUP: reopen          7 the directory renamed away, a link to the
 *   3 a file planted at the        decoy put at its path
 *     name (owner, mode, a    8 clear the name (whatever is there goes)
 *     second link: variant)   9 close and open again by path (a restart,
 *                                  while the path still leads there)
 *   4 a FIFO at the name
 *
 * Beyond the sanitizers it checks what the log promises, whatever is done:
 *
 *  - open and reopen succeed, or refuse with one of the log's refusals
 *    (not regular, a link, a directory, planted: owner, mode, links);
 *  - the file written is always one in the directory opened at start-up
 *    (found there by device and inode), a regular file of the tool's user,
 *    writable by no one else, with one link;
 *  - no record ever reaches the decoy directory, and every record written
 *    is in the pinned directory exactly once, whole (rotated files
 *    included): a refused reopen keeps the old file;
 *  - no descriptor is left open once the log is closed.
 *
 * Runs as root (planted files belong to another uid): the lab and CI do.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "sink_log.h"

#define ENSURE(cond)                                                                        \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "fuzz_log_reopen: %s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                                     \
			abort();                                                            \
		}                                                                           \
	} while (0)

#define NAME "events.jsonl"
#define MAX_OPS 64
#define OTHER_UID 65534

static char base[64], dir[96], decoy[96], path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	strcpy(base, "/tmp/fuzz_log_reopen.XXXXXX");
	ENSURE(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/logs", base);
	snprintf(decoy, sizeof(decoy), "%s/decoy", base);
	snprintf(path, sizeof(path), "%s/" NAME, dir);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void empty_base(void)
{
	char sub[96];
	DIR *d = opendir(base);
	struct dirent *de;

	ENSURE(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", base, de->d_name);
		nftw(sub, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ENSURE(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* A record, as the tool writes it (one line): its number is its identity. */
static void write_record(struct log_sink *l, unsigned int n)
{
	struct dmswap_event e = { .type = DMSWAP_EV_SUSPEND, .swap_id = 1000 + n, .major = 253 };
	struct event_view ev = { .raw = &e };

	memcpy(ev.dev, "lin", 4);
	l->json.sink.ops->event(&l->json.sink, &ev);
}

static bool refusal(int err)
{
	return err == -EINVAL || err == -ELOOP || err == -EISDIR || err == -OUTFILE_ENOTOWNER ||
	       err == -OUTFILE_EWRITABLE || err == -OUTFILE_ELINKS;
}

/* The log's current file is one of @pin's entries, and the tool's own. */
static void check_current(const struct log_sink *l, int pin)
{
	struct stat st, in;
	struct dirent *de;
	bool found = false;
	DIR *d;

	ENSURE(!fstat(l->fd, &st));
	ENSURE(S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_nlink == 1);
	ENSURE(!(st.st_mode & (S_IWGRP | S_IWOTH)));
	d = fdopendir(dup(pin));
	ENSURE(d);
	rewinddir(d);
	while ((de = readdir(d)) && !found)
		found = !fstatat(pin, de->d_name, &in, AT_SYMLINK_NOFOLLOW) &&
			in.st_dev == st.st_dev && in.st_ino == st.st_ino;
	closedir(d);
	ENSURE(found);
}

/* How many times record @n is in @dirfd's regular files (lines "...swap_id":N,...). */
static unsigned int count_in(int dirfd, unsigned int n, bool *any_file)
{
	char want[32], line[4096];
	struct dirent *de;
	unsigned int found = 0;
	DIR *d;

	snprintf(want, sizeof(want), "\"swap_id\":%u,", 1000 + n);
	d = fdopendir(dup(dirfd));
	ENSURE(d);
	rewinddir(d);
	while ((de = readdir(d))) {
		struct stat st;
		FILE *f;
		int fd;

		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (any_file)
			*any_file = true;
		fd = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		ENSURE(fd >= 0);
		f = fdopen(fd, "r");
		ENSURE(f);
		while (fgets(line, sizeof(line), f))
			if (strstr(line, want)) {
				/* Whole: the record's line ends with its newline. */
				ENSURE(line[strlen(line) - 1] == '\n');
				found++;
			}
		fclose(f);
	}
	closedir(d);
	return found;
}

static void plant(int pin, unsigned int variant, unsigned int *rotated)
{
	int fd = openat(pin, NAME, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	char other[32];

	if (fd < 0)
		return;
	ENSURE(write(fd, "planted\n", 8) == 8);
	switch (variant % 5) {
	case 0: /* another user's */
		ENSURE(!fchown(fd, OTHER_UID, OTHER_UID));
		break;
	case 1: /* writable by the group */
		ENSURE(!fchmod(fd, 0620));
		break;
	case 2: /* writable by all */
		ENSURE(!fchmod(fd, 0666));
		break;
	case 3: /* a second name, elsewhere in the directory */
		snprintf(other, sizeof(other), "hard.%u", (*rotated)++);
		ENSURE(!linkat(pin, NAME, pin, other, 0));
		break;
	default: /* the tool's own, as a restart would find it: appended to */
		break;
	}
	close(fd);
}

/*
 * Whatever a neighbour put at the name goes; the log itself stays (in a
 * shared, sticky directory no one else may remove the tool's file).
 */
static void clear_name(int pin, const struct log_sink *l, bool is_open)
{
	struct stat st, cur;

	if (fstatat(pin, NAME, &st, AT_SYMLINK_NOFOLLOW))
		return;
	if (is_open && !fstat(l->fd, &cur) && cur.st_dev == st.st_dev && cur.st_ino == st.st_ino)
		return;
	unlinkat(pin, NAME, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int records = 0, rotated = 0, swapped = 0;
	int fds = open_fds(), pin, decoy_fd, ret;
	char from[128], to[128];
	struct log_sink l;
	bool is_open = false, any = false;

	empty_base();
	ENSURE(!mkdir(dir, 0700) && !mkdir(decoy, 0777));
	pin = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	decoy_fd = open(decoy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ENSURE(pin >= 0 && decoy_fd >= 0);
	ret = sink_log_open(&l, path, false);
	ENSURE(!ret);
	is_open = true;
	for (size_t i = 0; i < size && i < MAX_OPS; i++) {
		unsigned int op = data[i] & 0xf, variant = data[i] >> 4;

		switch (op) {
		case 0:
			if (is_open)
				write_record(&l, records++);
			break;
		case 1:
			snprintf(to, sizeof(to), NAME ".%u", rotated++);
			renameat(pin, NAME, pin, to);
			break;
		case 2:
			if (!is_open)
				break;
			ret = sink_log_reopen(&l);
			ENSURE(!ret || refusal(ret));
			break;
		case 3:
			plant(pin, variant, &rotated);
			break;
		case 4:
			mkfifoat(pin, NAME, 0600);
			break;
		case 5:
			symlinkat(variant & 1 ? decoy : "../decoy/" NAME, pin, NAME);
			break;
		case 6:
			mkdirat(pin, NAME, 0700);
			break;
		case 7:
			/* Only while the path is still the pinned directory itself. */
			snprintf(to, sizeof(to), "%s/moved.%u", base, swapped++);
			if (!rename(dir, to))
				ENSURE(!symlink(decoy, dir));
			break;
		case 8:
			clear_name(pin, &l, is_open);
			break;
		default:
			/*
			 * A restart, by path: only while the path leads to the pin
			 * (a path swapped for a link is followed at start-up, by
			 * design: the admin's directories may be links).
			 */
			if (!is_open || swapped)
				break;
			sink_close(&l.json.sink);
			is_open = false;
			snprintf(from, sizeof(from), "%s", path);
			ret = sink_log_open(&l, from, false);
			ENSURE(!ret || refusal(ret) || ret == -ENOENT);
			is_open = !ret;
			break;
		}
		if (is_open)
			check_current(&l, pin);
	}
	if (is_open)
		sink_close(&l.json.sink);
	/* Every record once in the pinned directory, none in the decoy. */
	for (unsigned int n = 0; n < records; n++) {
		ENSURE(count_in(pin, n, &any) == 1);
		ENSURE(count_in(decoy_fd, n, NULL) == 0);
	}
	ENSURE(!records || any);
	close(pin);
	close(decoy_fd);
	ENSURE(open_fds() == fds);
	return 0;
}
