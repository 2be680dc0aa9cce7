// SPDX-License-Identifier: GPL-2.0
/*
 * The files the tool writes, through the writers themselves: the metrics
 * textfile (mode, private temporary file, labels), the postmortem log (not a
 * FIFO, short writes) and the report on a stdout that cannot be written.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "metrics.h"
#include "outfile.h"
#include "report/report.h"
#include "sink.h"
#include "sink_log.h"
#include "unit.h"

/* A fresh directory, its path in @dir; and "@dir/@name" in @path. */
static void scratch(char dir[32], const char *name, char path[64])
{
	strcpy(dir, "/tmp/dmswap-out-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, 64, "%s/%s", dir, name);
}

static void scratch_free(const char *dir)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(!system(cmd));
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's contents, NUL-terminated (free it), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

/* Directory entries of @dir, "." and ".." aside. */
static int entries(const char *dir)
{
	char cmd[64], line[16] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p && !fgets(line, sizeof(line), p))
		line[0] = '\0';
	if (p)
		pclose(p);
	return atoi(line);
}

static struct metrics *one_device(const char *dev)
{
	struct metrics *m = calloc(1, sizeof(*m));

	snprintf(m->series[0].dev, sizeof(m->series[0].dev), "%s", dev);
	m->series[0].count = 3;
	m->nr_series = 1;
	m->armed = true;
	return m;
}

TEST(metrics_file_is_0644_whatever_the_umask)
{
	struct metrics *m = one_device("lin");
	char dir[32], path[64];
	struct stat st;
	mode_t old;

	/* The service's UMask=0077: node_exporter (user prometheus) must still read it. */
	scratch(dir, "dmswap.prom", path);
	old = umask(077);
	CHECK_INT(metrics_write(m, path, 0, 0, "6.1.0"), 0);
	umask(old);
	CHECK(!lstat(path, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_INT(st.st_mode & 07777, 0644);
	CHECK_INT(entries(dir), 1);
	scratch_free(dir);
	free(m);
}

TEST(metrics_temp_file_is_private)
{
	struct metrics *m = one_device("lin");
	char dir[32], path[64], victim[64], guess[64];
	char *text;

	/* A link planted at the old predictable temporary name: never written through. */
	scratch(dir, "dmswap.prom", path);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(guess, sizeof(guess), "%s/.dmswap.prom.tmp", dir);
	put_file(victim, "precious\n");
	CHECK(!symlink(victim, guess));
	CHECK_INT(metrics_write(m, path, 0, 0, "6.1.0"), 0);
	text = slurp(victim);
	CHECK_STR(text, "precious\n");
	free(text);
	text = slurp(path);
	CHECK(text && strstr(text, "dmswap_armed 1\n"));
	free(text);
	/* victim, the planted link, dmswap.prom: no temporary file left. */
	CHECK_INT(entries(dir), 3);
	scratch_free(dir);
	free(m);
}

TEST(metrics_target_link_is_refused)
{
	struct metrics *m = one_device("lin");
	char dir[32], path[64], victim[64], *text;
	struct stat st;

	scratch(dir, "dmswap.prom", path);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	put_file(victim, "precious\n");
	CHECK(!symlink(victim, path));
	CHECK_INT(metrics_write(m, path, 0, 0, "6.1.0"), -ELOOP);
	CHECK(!lstat(path, &st) && S_ISLNK(st.st_mode));
	text = slurp(victim);
	CHECK_STR(text, "precious\n");
	free(text);
	CHECK_INT(entries(dir), 2);
	scratch_free(dir);
	free(m);
}

/* Whether @s is valid UTF-8 throughout, by the one validator (escape.c). */
static bool valid_utf8(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0, len; i < n; i += len) {
		len = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (!len)
			return false;
	}
	return true;
}

TEST(metrics_labels_are_valid_utf8)
{
	/* An invalid byte, a quote, a backslash, a newline, then a valid "é". */
	struct metrics *m = one_device("a\xff\"b\\\nc\xc3\xa9");
	char dir[32], path[64], *text;

	scratch(dir, "dmswap.prom", path);
	CHECK_INT(metrics_write(m, path, 0, 0, "6.1.0\xc3"), 0);
	text = slurp(path);
	CHECK(text != NULL);
	if (text) {
		/* node_exporter rejected the whole file for one invalid byte. */
		CHECK(valid_utf8(text));
		CHECK(strstr(text, "dmswap_swaps_total{dev=\"a\xef\xbf\xbd\\\"b\\\\\\nc\xc3\xa9\","
				   "result=\"ok\"} 3\n") != NULL);
		CHECK(strstr(text, "dmswap_kernel_info{release=\"6.1.0\xef\xbf\xbd\"} 1\n"));
	}
	free(text);
	scratch_free(dir);
	free(m);
}

/*
 * Run @fn(@arg) in a child, which must end within 2 s with status 0: a call
 * that blocks (a FIFO opened for writing waits for a reader) fails the test
 * instead of hanging the suite.
 */
static int in_child(int (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();
	int status;

	if (!pid)
		_exit(fn(arg));
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1; /* blocked */
}

static int open_fifo_log(const char *path)
{
	struct log_sink s;

	/* Refused (not a regular file) is right; opened or another error is not. */
	return sink_log_open(&s, path, false) == -EINVAL ? 0 : 1;
}

TEST(log_fifo_refused_at_once)
{
	char dir[32], path[64];

	scratch(dir, "events.jsonl", path);
	CHECK(!mkfifo(path, 0600));
	CHECK_INT(in_child(open_fifo_log, path), 0);
	scratch_free(dir);
}

static struct dmswap_event suspend_event(uint64_t swap_id)
{
	struct dmswap_event e = {
		.type = DMSWAP_EV_SUSPEND,
		.mono_ns = 5000000000ull + swap_id * 1000,
		.dur_ns = 1500,
		.swap_id = swap_id,
		.pid = 42,
		.tid = 42,
		.major = 253,
	};

	memcpy(e.comm, "dmsetup", 8);
	memcpy(e.dev, "lin", 4);
	return e;
}

static void log_event(struct sink *s, uint64_t swap_id)
{
	struct dmswap_event e = suspend_event(swap_id);
	struct event_view ev = { .raw = &e };

	memcpy(ev.dev, e.dev, sizeof(ev.dev));
	s->ops->event(s, &ev);
}

/*
 * Opens the log at PATH, moves it to PATH.1 as logrotate does, lets PLANT put
 * something under its name, reopens, and logs swap SWAP_ID (to the old file
 * when the reopen was refused).  Returns what the reopen returned, or 2, 3 or
 * 4 for the step that failed before it.
 */
static int rotate_plant_reopen(const char *path, int (*plant)(const char *path), int swap_id)
{
	char moved[80];
	struct log_sink s;
	int ret;

	if (sink_log_open(&s, path, false))
		return 2;
	snprintf(moved, sizeof(moved), "%s.1", path);
	if (rename(path, moved))
		return 3;
	if (plant(path))
		return 4;
	ret = sink_log_reopen(&s);
	log_event(&s.json.sink, swap_id);
	sink_close(&s.json.sink);
	return ret;
}

static int plant_fifo(const char *path)
{
	return mkfifo(path, 0600);
}

static int reopen_on_fifo(const char *path)
{
	return rotate_plant_reopen(path, plant_fifo, 1) == -EINVAL ? 0 : 1;
}

TEST(log_reopen_refuses_a_fifo)
{
	char dir[32], path[64], moved[80], *text;

	scratch(dir, "events.jsonl", path);
	CHECK_INT(in_child(reopen_on_fifo, path), 0);
	snprintf(moved, sizeof(moved), "%s.1", path);
	text = slurp(moved);
	CHECK(text && strstr(text, "\"event\":\"suspend\"") && strstr(text, "\"swap_id\":1,"));
	free(text);
	scratch_free(dir);
}

TEST(log_created_0600_whatever_the_umask)
{
	char dir[32], path[64];
	struct log_sink s;
	struct stat st;
	mode_t old;

	scratch(dir, "events.jsonl", path);
	old = umask(0277);
	CHECK_INT(sink_log_open(&s, path, false), 0);
	umask(old);
	sink_close(&s.json.sink);
	CHECK(!stat(path, &st));
	CHECK_INT(st.st_mode & 07777, 0600);
	scratch_free(dir);
}

/* @fn's stderr, captured (free it). */
static char *stderr_of(void (*fn)(struct sink *), struct sink *s)
{
	char path[] = "/tmp/dmswap-err-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char *text;

	fflush(stderr);
	dup2(fd, 2);
	fn(s);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	text = slurp(path);
	unlink(path);
	return text;
}

TEST(log_short_write_never_joins_records)
{
	char dir[32], path[64], want[160], *text, *o = NULL, *e = NULL;
	char *argv[] = { "report", path };
	struct rlimit old, lim;
	size_t olen, elen;
	struct log_sink s;
	struct stat st;
	FILE *out, *err;

	scratch(dir, "events.jsonl", path);
	CHECK_INT(sink_log_open(&s, path, false), 0);
	log_event(&s.json.sink, 1);
	/* The file may grow 40 bytes more: record 2 is cut, record 3 finds it full. */
	CHECK(!stat(path, &st));
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = st.st_size + 40;
	signal(SIGXFSZ, SIG_IGN);
	CHECK(!setrlimit(RLIMIT_FSIZE, &lim));
	log_event(&s.json.sink, 2);
	log_event(&s.json.sink, 3);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	log_event(&s.json.sink, 4);
	log_event(&s.json.sink, 5);
	CHECK_INT(s.write_errors, 2);
	text = stderr_of(sink_close, &s.json.sink);
	snprintf(want, sizeof(want),
		 "dmswap-trace: %s: 2 records could not be written (1 of them left as an "
		 "incomplete line)\n",
		 path);
	CHECK_STR(text, want);
	free(text);

	/* The report reads record 1, one torn line, and records 4 and 5 whole. */
	out = open_memstream(&o, &olen);
	err = open_memstream(&e, &elen);
	CHECK_INT(report_main(2, argv, out, err), REPORT_OK);
	fclose(out);
	fclose(err);
	CHECK(strstr(o, "1 of 1 files read, 4 lines, 3 events, 0 violations\n") != NULL);
	CHECK(strstr(o, "1 lines skipped") != NULL);
	free(o);
	free(e);
	scratch_free(dir);
}

TEST(report_stdout_write_error_exits_2)
{
	char log[256], *e = NULL;
	char *argv[] = { "report", log };
	char *help[] = { "report", "--help" };
	size_t elen;
	FILE *out, *err;

	snprintf(log, sizeof(log), "%s/logs/v-6.12.jsonl", unit_data_dir);
	for (int i = 0; i < 2; i++) {
		out = fopen("/dev/full", "w");
		err = open_memstream(&e, &elen);
		CHECK(out != NULL);
		if (!out)
			return;
		CHECK_INT(report_main(2, i ? help : argv, out, err), REPORT_OUTPUT);
		fclose(out);
		fclose(err);
		CHECK(strstr(e, "dmswap-trace: report: cannot write the report: No space left on "
				"device\n") != NULL);
		free(e);
	}
}

/*
 * An existing log is appended to only when nobody else could have planted
 * or could read it: owned by this user, writable by no one else, one link.
 * Each refusal is its own error, in its own words.
 */
static void planted(const char *path, uid_t uid, mode_t mode, int want, const char *says)
{
	struct log_sink s;
	int ret;

	put_file(path, "{\"kind\":\"event\",\"event\":\"forged\"}\n");
	CHECK(!chown(path, uid, (gid_t)-1));
	CHECK(!chmod(path, mode));
	ret = sink_log_open(&s, path, false);
	CHECK_INT(ret, want);
	if (!ret)
		sink_close(&s.json.sink);
	else
		CHECK_STR(outfile_strerror(-ret), says);
}

TEST(log_planted_by_another_user_is_refused)
{
	char dir[32], path[64], other[80];

	scratch(dir, "events.jsonl", path);
	planted(path, geteuid() + 1, 0600, -OUTFILE_ENOTOWNER,
		"owned by another user: not appended to");
	planted(path, geteuid(), 0620, -OUTFILE_EWRITABLE,
		"writable by group or others: not appended to");
	planted(path, geteuid(), 0602, -OUTFILE_EWRITABLE,
		"writable by group or others: not appended to");
	/* A hard link elsewhere lets whoever made it read the log there. */
	snprintf(other, sizeof(other), "%s/other", dir);
	CHECK(!link(path, other));
	planted(path, geteuid(), 0600, -OUTFILE_ELINKS, "has more than one link: not appended to");
	CHECK(!unlink(other));
	/* The log's own, 0644 (readable is the owner's choice): appended to. */
	planted(path, geteuid(), 0644, 0, "");
	scratch_free(dir);
}

/* Another user's file, writable by all, where the log was. */
static int plant_foreign(const char *path)
{
	put_file(path, "");
	return chown(path, 65534, 65534) || chmod(path, 0666);
}

static int reopen_on_planted(const char *path)
{
	return rotate_plant_reopen(path, plant_foreign, 7) == -OUTFILE_ENOTOWNER ? 0 : 1;
}

TEST(log_reopen_refuses_a_planted_file)
{
	char dir[32], path[64], moved[80], *text;

	scratch(dir, "events.jsonl", path);
	CHECK_INT(in_child(reopen_on_planted, path), 0);
	snprintf(moved, sizeof(moved), "%s.1", path);
	text = slurp(moved);
	CHECK(text && strstr(text, "\"swap_id\":7,"));
	free(text);
	text = slurp(path);
	CHECK(text && !*text);
	free(text);
	scratch_free(dir);
}

/*
 * SIGHUP reopens the log in the directory pinned at start-up: a directory
 * swapped for a symbolic link since (to one another user can read) does
 * not get the records.
 */
static int reopen_in_swapped_dir(const char *dir)
{
	char sub[64], old[80], elsewhere[80], path[96], moved[96], rotated[112];
	struct log_sink s;
	int ret;

	snprintf(sub, sizeof(sub), "%s/logs", dir);
	snprintf(old, sizeof(old), "%s/logs.old", dir);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", dir);
	snprintf(path, sizeof(path), "%s/events.jsonl", sub);
	if (mkdir(sub, 0700) || mkdir(elsewhere, 0777) || sink_log_open(&s, path, false))
		return 2;
	/* The directory moved away, a link to another put in its place. */
	if (rename(sub, old) || symlink(elsewhere, sub))
		return 3;
	/* logrotate's rename, then the HUP (the sink keeps @path: not reused). */
	snprintf(moved, sizeof(moved), "%s/events.jsonl", old);
	snprintf(rotated, sizeof(rotated), "%s/events.jsonl.1", old);
	if (rename(moved, rotated))
		return 4;
	ret = sink_log_reopen(&s);
	log_event(&s.json.sink, 9);
	sink_close(&s.json.sink);
	return ret;
}

TEST(log_reopen_stays_in_the_pinned_directory)
{
	char dir[32], unused[64], path[96], *text;

	scratch(dir, "x", unused);
	CHECK_INT(in_child(reopen_in_swapped_dir, dir), 0);
	snprintf(path, sizeof(path), "%s/elsewhere/events.jsonl", dir);
	CHECK(access(path, F_OK) && errno == ENOENT);
	snprintf(path, sizeof(path), "%s/logs.old/events.jsonl", dir);
	text = slurp(path);
	CHECK(text && strstr(text, "\"swap_id\":9,"));
	free(text);
	scratch_free(dir);
}
