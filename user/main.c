// SPDX-License-Identifier: GPL-2.0
/*
 * dmswap-trace: runtime verifier and tracer for device-mapper table swaps.
 * This file dispatches to a mode; cli.c parses the command line.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "clock.h"
#include "coverage.h"
#include "env.h"
#include "escape.h"
#include "report/report.h"
#include "run.h"
#include "exitcode.h"
#include "explore.h"
#include "metrics.h"
#include "outfile.h"
#include "session.h"
#include "sink.h"
#include "sink_json.h"
#include "sink_kmsg.h"
#include "sink_log.h"
#include "sink_text.h"
#include "watch.h"

/* A path in a message: escaped for the terminal, cut to a readable length. */
#define PATH_QUOTE_MAX 256

#ifndef DMSWAP_VERSION
#define DMSWAP_VERSION "dev"
#endif

static volatile bool stop, reopen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = true;
	else
		stop = true;
}

/* Resolve --dev arguments; devices must exist unless --wait. */
static int build_filter(struct options *o)
{
	for (size_t i = 0; i < o->nr_devs; i++) {
		int ret = dev_filter_add(&o->watch.filter, o->devs[i], o->wait);
		char dev[ESCAPE_TERM_MAX(PATH_QUOTE_MAX)];

		escape_term(dev, sizeof(dev), o->devs[i], strnlen(o->devs[i], PATH_QUOTE_MAX));
		/* cli.c checked the spelling: malformed here is a bug, said all the same. */
		if (ret == -EINVAL) {
			fprintf(stderr, "dmswap-trace: --dev: not a device name: %s\n", dev);
			return EXIT_USAGE;
		}
		if (ret == -ENXIO) {
			fprintf(stderr,
				"dmswap-trace: --dev %s: no such device, and dm-N cannot be waited "
				"for (its number is given when it is created): name it, or give "
				"MAJOR:MINOR\n",
				dev);
			return EXIT_UNKNOWN_DEV;
		}
		if (ret) {
			fprintf(stderr,
				"dmswap-trace: --dev: no dm device %s (pass --wait to trace it "
				"once it is created)\n",
				dev);
			return EXIT_UNKNOWN_DEV;
		}
	}
	return EXIT_OK;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/*
 * Two outputs on one file, by any path: refused before anything else.  The
 * metrics' or the summary's rename would replace the log, whose records
 * would then go to a file no longer there, without an error.
 */
static int check_outputs_distinct(const struct options *o)
{
	const struct {
		const char *opt, *path;
	} other[] = { { "--metrics", o->watch.metrics_path }, { "--summary", o->summary_path } };

	if (!o->log_path)
		return EXIT_OK;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		char quoted[ESCAPE_TERM_MAX(PATH_QUOTE_MAX)];

		if (!other[i].path || !outfile_same(o->log_path, other[i].path))
			continue;
		escape_term(quoted, sizeof(quoted), other[i].path,
			    strnlen(other[i].path, PATH_QUOTE_MAX));
		fprintf(stderr, "dmswap-trace: --log and %s name the same file: %s\n", other[i].opt,
			quoted);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * watch and run give up every capability once armed, CAP_DAC_OVERRIDE
 * included: an output whose directory only that lets them write would
 * fail later (the metrics at the first interval, the summary at the end,
 * the log at the first rotation).  Said now instead.
 */
static int check_dir_once_dropped(const struct options *o, const char *opt, const char *path,
				  int dirfd)
{
	char quoted[ESCAPE_TERM_MAX(PATH_QUOTE_MAX)];

	if (o->mode == CLI_EXPLORE || caps_dir_writable_unprivileged(dirfd))
		return EXIT_OK;
	escape_term(quoted, sizeof(quoted), path, strnlen(path, PATH_QUOTE_MAX));
	fprintf(stderr,
		"dmswap-trace: %s: cannot write %s once armed: its directory is writable only "
		"with a capability (CAP_DAC_OVERRIDE), and every one is dropped then; use a "
		"directory its uid may write\n",
		opt, quoted);
	return EXIT_OUTPUT;
}

static int check_path_once_dropped(const struct options *o, const char *opt, const char *path)
{
	char name[NAME_MAX + 1];
	int dirfd = outfile_dir(path, name), ret;

	/* Not openable at all: opening the output will say why. */
	if (dirfd < 0)
		return EXIT_OK;
	ret = check_dir_once_dropped(o, opt, path, dirfd);
	close(dirfd);
	return ret;
}

/* Said at start-up, not at the first interval: a trial temporary file, removed. */
static int check_metrics_path(const char *path)
{
	struct outfile trial;
	int ret = outfile_open(&trial, path, METRICS_MODE);

	if (!ret)
		outfile_abort(&trial);
	return ret;
}

/*
 * --wait: until dm_mod is live, the metrics say "not armed" (a canary
 * waiting for ever is then seen, and alerted on, as such), and --duration
 * and SIGTERM end the wait as they would end the trace.
 */
static int wait_for_dm(const struct options *o)
{
	uint64_t deadline = 0;
	int ret;

	if (!o->wait || o->command || env_dm_loaded())
		return EXIT_OK;
	if (o->watch.metrics_path && o->mode != CLI_COVERAGE) {
		static struct metrics not_armed;

		ret = metrics_write(&not_armed, o->watch.metrics_path, 0, 0, env_kernel_release());
		if (ret) {
			fprintf(stderr, "dmswap-trace: --metrics: cannot write %s: %s\n",
				o->watch.metrics_path, outfile_strerror(-ret));
			return EXIT_OUTPUT;
		}
	}
	if (o->watch.duration_s > 0)
		deadline = clock_mono_ns() + (uint64_t)(o->watch.duration_s * 1e9);
	return session_wait_dm(&stop, deadline);
}

/* The options, for the exit handler: its status depends on the mode. */
static const struct options *exit_opts;

/*
 * At exit (a return from main() or exit()): stdout flushed, and a write
 * error of it (a full disk, a closed pipe: SIGPIPE is ignored so that the
 * tool stops in order) is said and turns the status into 7, or 2 for run,
 * whose every error of its own is 2.
 */
static void check_stdout(void)
{
	int err = outfile_flush(stdout);

	if (!err)
		return;
	fprintf(stderr, "dmswap-trace: cannot write standard output: %s\n", strerror(err));
	_exit(exit_opts && exit_opts->mode == CLI_RUN ? EXIT_USAGE : EXIT_OUTPUT);
}

/* run: every error of dmswap-trace itself is 2, COMMAND's statuses pass. */
/* The sinks after the terminal's: the log, the kernel log. */
static void close_sinks(struct sink *s)
{
	while (s) {
		struct sink *next = s->next;

		sink_close(s);
		s = next;
	}
}

/* The terminal's sink: text, or JSON lines with --json. */
union terminal {
	struct text_sink text;
	struct json_sink json;
};

static struct sink *terminal_open(union terminal *t, const struct options *o, FILE *out,
				  const struct text_opts *text)
{
	if (o->json)
		return sink_json_init(&t->json, out);
	return sink_text_init(&t->text, out, stderr, text);
}

static int setup_error(const struct options *o, int ret)
{
	return o->command && ret ? EXIT_USAGE : ret;
}

static int do_run(struct options *o, struct session *s, struct sink *log)
{
	struct run_opts ropts = { .argv = o->command,
				  .summary_path = o->summary_path,
				  .error_exitcode = o->error_exitcode,
				  .kill_after_s = o->kill_after_s };
	struct outfile summary;
	union terminal term;
	struct sink *sink;
	int ret;

	/* Checked and opened before anything runs; renamed into place at the end. */
	if (o->summary_path) {
		ret = outfile_open(&summary, o->summary_path, SUMMARY_MODE);
		if (ret) {
			fprintf(stderr, "dmswap-trace: --summary: cannot write %s: %s\n",
				o->summary_path, outfile_strerror(-ret));
			return EXIT_USAGE;
		}
		ropts.summary = &summary;
	}
	/* From now on signals are COMMAND's, even those that come while arming. */
	run_forward_signals();
	ret = session_arm(s);
	if (ret) {
		if (ropts.summary)
			outfile_abort(ropts.summary);
		return EXIT_USAGE;
	}
	/* The command owns stdout: reports go to stderr. */
	sink = terminal_open(&term, o, stderr, &(struct text_opts){ .no_header = !o->events });
	sink->violations_only = !o->events;
	sink->next = log;
	ret = run_command(s, &o->watch, &ropts, sink);
	sink_close(sink);
	/* Not written (the command never ran): no summary file at all. */
	if (ropts.summary)
		outfile_abort(ropts.summary);
	return ret;
}

/* explore: rows on stdout; the verifier's violations on stderr as they come. */
static int do_explore(struct options *o, struct session *s, struct sink *log)
{
	static struct fault_offer fault;
	union terminal term;
	struct sink *sink;
	int ret;

	ret = explore_check_kernel(s, &fault);
	if (!ret && o->explore.verify)
		ret = session_arm(s);
	if (ret)
		return ret;
	o->explore.fault = &fault;
	sink = terminal_open(&term, o, stderr, &(struct text_opts){ .no_header = true });
	sink->violations_only = true;
	sink->next = log;
	o->explore.json = o->json;
	o->explore.force_kprobe = o->force_kprobe;
	o->explore.stop = &stop;
	ret = explore_main(s, &o->watch, &o->explore, sink, stdout);
	sink_close(sink);
	return ret;
}

int main(int argc, char **argv)
{
	struct session s = { .start_ns = clock_mono_ns() };
	struct options o = {};
	static struct ratelimit rl;
	union terminal term;
	struct log_sink log;
	struct kmsg_sink kmsg;
	struct sink *sink, *extra = NULL;
	int ret;

	ret = cli_parse(argc, argv, &o);
	if (ret)
		return ret;
	/* Reading logs needs no kernel, privilege or BPF: its own arguments. */
	if (o.mode == CLI_REPORT && !o.version) {
		char *help[] = { "report", "--help", NULL };

		if (o.help)
			return report_main(2, help, stdout, stderr);
		return report_main(o.report_argc, o.report_argv, stdout, stderr);
	}
	exit_opts = &o;
	atexit(check_stdout);
	if (o.version) {
		printf("dmswap-trace %s\n", DMSWAP_VERSION);
		return EXIT_OK;
	}
	if (o.help) {
		cli_usage(stdout, &o);
		return EXIT_OK;
	}
	ret = check_outputs_distinct(&o);
	if (ret)
		return ret;
	clock_sync();
	session_set_verbose(o.verbose);
	install_signals();

	/* run loads dm_mod itself, so that the command's first swap is seen. */
	if (o.command && !env_dm_loaded()) {
		fprintf(stderr, "dmswap-trace: loading dm_mod\n");
		if (!env_load_dm(&stop))
			fprintf(stderr, "dmswap-trace: modprobe dm_mod failed\n");
	}
	ret = session_check_env(o.wait);
	if (ret)
		return setup_error(&o, ret);
	/*
	 * Before waiting: with --wait a device that does not exist yet is
	 * kept by name or number, and one that can never be waited for
	 * (dm-N) is said now, not once dm_mod is loaded.
	 */
	ret = build_filter(&o);
	if (ret)
		return setup_error(&o, ret);
	ret = wait_for_dm(&o);
	if (ret)
		return ret == EXIT_STOPPED_WAITING ? EXIT_OK : setup_error(&o, ret);
	ret = session_resolve(&s, o.force_kprobe ? PROBE_FORCE_KPROBE : PROBE_PREFER_FENTRY);
	if (ret) {
		fprintf(stderr, "dmswap-trace: cannot read the kernel's BTF and symbols: %s\n",
			strerror(-ret));
		session_close(&s);
		return setup_error(&o, EXIT_KERNEL);
	}

	if (o.mode == CLI_COVERAGE) {
		if (o.json)
			coverage_print_json(stdout, &s);
		else
			coverage_print_text(stdout, &s);
		session_close(&s);
		return EXIT_OK;
	}
	ret = o.watch.metrics_path ? check_metrics_path(o.watch.metrics_path) : 0;
	if (ret) {
		fprintf(stderr, "dmswap-trace: --metrics: cannot write %s: %s\n",
			o.watch.metrics_path, outfile_strerror(-ret));
		session_close(&s);
		return setup_error(&o, EXIT_OUTPUT);
	}
	ret = o.watch.metrics_path ? check_path_once_dropped(&o, "--metrics", o.watch.metrics_path)
				   : EXIT_OK;
	if (!ret && o.summary_path)
		ret = check_path_once_dropped(&o, "--summary", o.summary_path);
	/* Before the log is created: a refused one leaves no file behind. */
	if (!ret && o.log_path)
		ret = check_path_once_dropped(&o, "--log", o.log_path);
	if (ret) {
		session_close(&s);
		return setup_error(&o, ret);
	}
	if (o.log_path) {
		ret = sink_log_open(&log, o.log_path, o.log_violations_only);
		if (ret) {
			fprintf(stderr, "dmswap-trace: --log: cannot write %s: %s\n", o.log_path,
				outfile_strerror(-ret));
			session_close(&s);
			return setup_error(&o, EXIT_OUTPUT);
		}
		extra = &log.json.sink;
	}
	if (o.kmsg) {
		ret = sink_kmsg_open(&kmsg);
		if (ret) {
			fprintf(stderr, "dmswap-trace: --kmsg: cannot write /dev/kmsg: %s\n",
				strerror(-ret));
			close_sinks(extra);
			session_close(&s);
			return setup_error(&o, EXIT_OUTPUT);
		}
		kmsg.sink.next = extra;
		extra = &kmsg.sink;
	}
	/*
	 * SIGHUP reopens the log in watch and explore (logrotate); run passes
	 * it on to COMMAND with the other signals (run_forward_signals()), and
	 * never reopens: a run is bounded, its log is rotated after it.
	 */
	o.watch.reopen = &reopen;
	if (o.mode == CLI_EXPLORE) {
		ret = do_explore(&o, &s, extra);
		close_sinks(extra);
		session_close(&s);
		return ret;
	}
	if (o.command) {
		ret = do_run(&o, &s, extra);
		close_sinks(extra);
		session_close(&s);
		return ret;
	}

	ret = session_arm(&s);
	if (ret) {
		close_sinks(extra);
		return ret;
	}
	rl.burst = o.rate_limit;
	sink = terminal_open(&term, &o, stdout,
			     &(struct text_opts){ .syslog = o.syslog, .ratelimit = &rl });
	sink->next = extra;
	ret = watch_run(&s, &o.watch, sink, &stop);
	sink_close(sink);
	close_sinks(extra);
	session_close(&s);
	return ret;
}
