// SPDX-License-Identifier: GPL-2.0
/*
 * dmswap-trace: runtime verifier and tracer for device-mapper table swaps.
 * This file parses the command line and dispatches to a mode.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "coverage.h"
#include "env.h"
#include "escape.h"
#include "report.h"
#include "run.h"
#include "exitcode.h"
#include "explore.h"
#include "metrics.h"
#include "outfile.h"
#include "session.h"
#include "sink.h"
#include "watch.h"

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

struct options {
	const char *mode;
	bool json;
	bool wait;
	bool force_kprobe;
	bool verbose;
	bool events; /* run: the whole timeline, not only violations */
	const char *summary_path; /* run: --summary FILE */
	unsigned int error_exitcode; /* run: the status a violation gives (1) */
	bool run_only_opts; /* --error-exitcode or --kill-after given */
	double kill_after_s; /* run: SIGKILL COMMAND this long after a stop signal */
	bool kmsg; /* violations also to the kernel log */
	const char *log_path; /* --log FILE */
	bool syslog; /* --syslog, or run by systemd (JOURNAL_STREAM) */
	unsigned int rate_limit;
	bool log_violations_only; /* --log-level violations */
	char **command; /* run: COMMAND [ARGS...] */
	struct explore_opts explore;
	struct watch_opts watch;
	const char *devs[DEV_FILTER_MAX];
	size_t nr_devs;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dmswap-trace [watch] [OPTIONS]     live timeline of dm table swaps\n"
		"       dmswap-trace run [OPTIONS] -- COMMAND [ARGS...]\n"
		"                                          verify around a command\n"
		"       dmswap-trace coverage [OPTIONS]    hooks and invariants on this kernel\n"
		"       dmswap-trace explore --setup CMD --swap CMD --teardown CMD [OPTIONS]\n"
		"                                          fail each slab allocation of a swap\n"
		"                                          in turn (kernels with fault injection)\n"
		"       dmswap-trace report [--html OUT] LOG...\n"
		"                                          counts and swap timeline from logs\n"
		"\n"
		"Options:\n"
		"  -d, --dev NAME       only this device: dm name, /dev/mapper/NAME, dm-N or\n"
		"                       MAJOR:MINOR (repeatable)\n"
		"  -j, --json           JSON lines on stdout instead of text\n"
		"  -w, --wait           wait for dm_mod to be loaded; accept --dev names that\n"
		"                       do not exist yet\n"
		"  -t, --duration SECS  stop after SECS seconds (0.001 to a year)\n"
		"      --force-kprobe   use kprobes even where fentry works (tests the fallback)\n"
		"      --log FILE       append every event and violation to FILE as JSON lines\n"
		"                       (created 0600; SIGHUP reopens it, for logrotate)\n"
		"      --log-level L    all (default) or violations: what goes to the log\n"
		"      --metrics FILE   Prometheus textfile metrics, rewritten atomically\n"
		"      --metrics-interval SECS  how often (default 10)\n"
		"      --syslog         \"<N>\" severity prefixes on output lines, for journald\n"
		"                       (the default when run by systemd)\n"
		"      --rate-limit N   show N violations per invariant and device, count the\n"
		"                       rest (default 5, 0: no limit; the log keeps all)\n"
		"      --kmsg           also write each violation to the kernel log as a\n"
		"                       \"WARNING:\" line (test suites' dmesg checks catch it)\n"
		"run only (its reports go to stderr: COMMAND owns stdout):\n"
		"      --summary FILE   write the run's summary as JSON to FILE\n"
		"      --events         show every event on stderr, not only violations\n"
		"      --error-exitcode N  exit N (0 to 255, default 1) when an invariant was\n"
		"                       violated; 0: COMMAND's own status regardless\n"
		"      --kill-after SECS  SIGKILL COMMAND SECS after passing it a SIGINT or\n"
		"                       SIGTERM (a second one kills at once)\n"
		"explore only (CMD: shell commands, run by /bin/sh -c):\n"
		"      --setup CMD      creates the device(s) before each run\n"
		"      --swap CMD       loads a table and resumes: the swap explored\n"
		"      --teardown CMD   removes them after each run\n"
		"      --max-runs N     stop after failing allocation N (default 200)\n"
		"      --no-verify      inject only, no invariant checks (to see what the\n"
		"                       kernel's own debug checks say on their own)\n"
		"  -v, --verbose        libbpf's log on stderr\n"
		"  -h, --help           this text\n"
		"  -V, --version        version\n"
		"\n"
		"Exit status: 0 ok, 1 invariant violated, 2 bad usage, 3 not privileged\n"
		"(CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN),\n"
		"4 no kernel BTF, 5 dm_mod not loaded, 6 unknown device, 7 output not\n"
		"writable, 8 BPF load/attach failed, 9 explore: no fault injection in this\n"
		"kernel.  run: 0 when COMMAND succeeded and\n"
		"nothing was violated, 1 when an invariant was violated, 2 for any error\n"
		"of dmswap-trace itself, otherwise COMMAND's status.\n");
}

/*
 * Numeric options: each has a range, and anything outside it (negative,
 * non-finite, absurd) is a usage error naming the option and the range.
 * Seconds stop at a year: past that a deadline in nanoseconds is no longer
 * a meaningful timer, and no run is meant to last longer.
 */
#define SECONDS_MIN 0.001
#define SECONDS_MAX (365.0 * 24 * 3600)
/* Violations shown per invariant and device; explore's failed allocations. */
#define RATE_LIMIT_MAX 1000000
#define MAX_RUNS_MAX 100000

/* The argument as given, escaped for the terminal and cut to a readable length. */
#define ARG_QUOTE_MAX 64

static void bad_number(const char *opt, const char *range, const char *arg)
{
	char quoted[ESCAPE_TERM_MAX(ARG_QUOTE_MAX)];

	escape_term(quoted, sizeof(quoted), arg, strnlen(arg, ARG_QUOTE_MAX));
	fprintf(stderr, "dmswap-trace: %s: %s, not %s\n", opt, range, quoted);
}

static int parse_seconds(const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < SECONDS_MIN || v > SECONDS_MAX) {
		char range[64];

		snprintf(range, sizeof(range), "seconds from %g to %.0f (a year)", SECONDS_MIN,
			 SECONDS_MAX);
		bad_number(opt, range, arg);
		return EXIT_USAGE;
	}
	*out = v;
	return EXIT_OK;
}

/* A decimal count from @min to @max; no sign, no other base. */
static int parse_count(const char *opt, const char *arg, unsigned long min, unsigned long max,
		       unsigned int *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || errno || *end || n < min || n > max) {
		char range[64];

		snprintf(range, sizeof(range), "a count from %lu to %lu", min, max);
		bad_number(opt, range, arg);
		return EXIT_USAGE;
	}
	*out = n;
	return EXIT_OK;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "wait", no_argument, NULL, 'w' },
		{ "duration", required_argument, NULL, 't' },
		{ "force-kprobe", no_argument, NULL, 'K' },
		{ "summary", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'L' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "metrics-interval", required_argument, NULL, 'I' },
		{ "syslog", no_argument, NULL, 'y' },
		{ "rate-limit", required_argument, NULL, 'r' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "events", no_argument, NULL, 'E' },
		{ "setup", required_argument, NULL, 1 },
		{ "swap", required_argument, NULL, 2 },
		{ "teardown", required_argument, NULL, 3 },
		{ "max-runs", required_argument, NULL, 4 },
		{ "no-verify", no_argument, NULL, 5 },
		{ "error-exitcode", required_argument, NULL, 6 },
		{ "kill-after", required_argument, NULL, 7 },
		{ "kmsg", no_argument, NULL, 8 },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{},
	};
	int c;

	o->mode = "watch";
	o->rate_limit = 5;
	o->error_exitcode = EXIT_VIOLATION;
	o->explore.max_runs = 200;
	o->explore.verify = true;
	/* systemd connects stdout/stderr to the journal and says so. */
	o->syslog = getenv("JOURNAL_STREAM") != NULL;
	if (argc > 1 && argv[1][0] != '-') {
		o->mode = argv[1];
		argc--;
		argv++;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:d:jwt:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (o->nr_devs == DEV_FILTER_MAX) {
				fprintf(stderr, "dmswap-trace: at most %d --dev options\n",
					DEV_FILTER_MAX);
				return EXIT_USAGE;
			}
			o->devs[o->nr_devs++] = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'w':
			o->wait = true;
			break;
		case 't':
			if (parse_seconds("--duration", optarg, &o->watch.duration_s))
				return EXIT_USAGE;
			break;
		case 'K':
			o->force_kprobe = true;
			break;
		case 'S':
			o->summary_path = optarg;
			break;
		case 'E':
			o->events = true;
			break;
		case 'L':
			o->log_path = optarg;
			break;
		case 'M':
			o->watch.metrics_path = optarg;
			break;
		case 'I':
			if (parse_seconds("--metrics-interval", optarg,
					  &o->watch.metrics_interval_s))
				return EXIT_USAGE;
			break;
		case 'y':
			o->syslog = true;
			break;
		case 'r':
			if (parse_count("--rate-limit", optarg, 0, RATE_LIMIT_MAX, &o->rate_limit))
				return EXIT_USAGE;
			break;
		case 'l':
			if (!strcmp(optarg, "violations")) {
				o->log_violations_only = true;
			} else if (strcmp(optarg, "all")) {
				fprintf(stderr,
					"dmswap-trace: --log-level: all or violations, not %s\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 6:
			if (parse_count("--error-exitcode", optarg, 0, 255, &o->error_exitcode))
				return EXIT_USAGE;
			o->run_only_opts = true;
			break;
		case 7:
			if (parse_seconds("--kill-after", optarg, &o->kill_after_s))
				return EXIT_USAGE;
			o->run_only_opts = true;
			break;
		case 8:
			o->kmsg = true;
			break;
		case 1:
			o->explore.setup = optarg;
			break;
		case 2:
			o->explore.swap = optarg;
			break;
		case 3:
			o->explore.teardown = optarg;
			break;
		case 4:
			if (parse_count("--max-runs", optarg, 1, MAX_RUNS_MAX,
					&o->explore.max_runs))
				return EXIT_USAGE;
			break;
		case 5:
			o->explore.verify = false;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("dmswap-trace %s\n", DMSWAP_VERSION);
			exit(EXIT_OK);
		case ':':
			fprintf(stderr, "dmswap-trace: option %s needs an argument\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "dmswap-trace: unknown option: %s\n", argv[optind - 1]);
			fprintf(stderr, "Try 'dmswap-trace --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (!strcmp(o->mode, "run")) {
		if (optind >= argc) {
			fprintf(stderr,
				"dmswap-trace: run: no command (dmswap-trace run -- COMMAND)\n");
			return EXIT_USAGE;
		}
		o->command = argv + optind;
		return EXIT_OK;
	}
	if (o->summary_path || o->events || o->run_only_opts) {
		fprintf(stderr,
			"dmswap-trace: --summary, --events, --error-exitcode and --kill-after "
			"are for run\n");
		return EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "dmswap-trace: unexpected argument: %s\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!strcmp(o->mode, "explore")) {
		if (!o->explore.setup || !o->explore.swap || !o->explore.teardown) {
			fprintf(stderr,
				"dmswap-trace: explore needs --setup, --swap and --teardown\n");
			return EXIT_USAGE;
		}
	} else if (o->explore.setup || o->explore.swap || o->explore.teardown ||
		   !o->explore.verify) {
		fprintf(stderr, "dmswap-trace: --setup, --swap, --teardown and --no-verify are for "
				"explore\n");
		return EXIT_USAGE;
	}
	if (strcmp(o->mode, "watch") && strcmp(o->mode, "coverage") && strcmp(o->mode, "explore")) {
		fprintf(stderr, "dmswap-trace: unknown command: %s\n", o->mode);
		fprintf(stderr, "Try 'dmswap-trace --help'.\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Resolve --dev arguments; devices must exist unless --wait. */
static int build_filter(struct options *o)
{
	for (size_t i = 0; i < o->nr_devs; i++) {
		int ret = dev_filter_add(&o->watch.filter, o->devs[i], o->wait);

		if (ret == -EINVAL) {
			fprintf(stderr, "dmswap-trace: --dev: not a device name: %s\n", o->devs[i]);
			return EXIT_USAGE;
		}
		if (ret) {
			fprintf(stderr,
				"dmswap-trace: --dev: no dm device %s (pass --wait to trace it "
				"once it is created)\n",
				o->devs[i]);
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
	if (o->watch.metrics_path && strcmp(o->mode, "coverage")) {
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
	const char *mode = exit_opts ? exit_opts->mode : NULL;
	int err = outfile_flush(stdout);

	if (!err)
		return;
	fprintf(stderr, "dmswap-trace: cannot write standard output: %s\n", strerror(err));
	_exit(mode && !strcmp(mode, "run") ? EXIT_USAGE : EXIT_OUTPUT);
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
	struct sink sink;
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
	if (o->json)
		sink_json_init(&sink, stderr);
	else
		sink_text_init(&sink, stderr, stderr);
	sink.violations_only = !o->events;
	sink.no_header = !o->events;
	sink.next = log;
	ret = run_command(s, &o->watch, &ropts, &sink);
	sink_close(&sink);
	/* Not written (the command never ran): no summary file at all. */
	if (ropts.summary)
		outfile_abort(ropts.summary);
	return ret;
}

/* explore: rows on stdout; the verifier's violations on stderr as they come. */
static int do_explore(struct options *o, struct session *s, struct sink *log)
{
	static struct fault_offer fault;
	struct sink sink;
	int ret;

	ret = explore_check_kernel(s, &fault);
	if (!ret && o->explore.verify)
		ret = session_arm(s);
	if (ret)
		return ret;
	o->explore.fault = &fault;
	if (o->json)
		sink_json_init(&sink, stderr);
	else
		sink_text_init(&sink, stderr, stderr);
	sink.violations_only = true;
	sink.no_header = true;
	sink.next = log;
	o->explore.json = o->json;
	o->explore.force_kprobe = o->force_kprobe;
	o->explore.stop = &stop;
	ret = explore_main(s, &o->watch, &o->explore, &sink, stdout);
	sink_close(&sink);
	return ret;
}

int main(int argc, char **argv)
{
	struct session s = { .start_ns = clock_mono_ns() };
	struct options o = {};
	static struct ratelimit rl;
	struct sink sink, log, kmsg, *extra = NULL;
	int ret;

	/* Reading logs needs no kernel, privilege or BPF: its own parser. */
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report_main(argc - 1, argv + 1, stdout, stderr);
	exit_opts = &o;
	atexit(check_stdout);
	clock_sync();
	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret;
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
	ret = wait_for_dm(&o);
	if (ret)
		return ret == EXIT_STOPPED_WAITING ? EXIT_OK : setup_error(&o, ret);
	ret = build_filter(&o);
	if (ret)
		return setup_error(&o, ret);
	ret = session_resolve(&s, o.force_kprobe ? PROBE_FORCE_KPROBE : PROBE_PREFER_FENTRY);
	if (ret) {
		fprintf(stderr, "dmswap-trace: cannot read the kernel's BTF and symbols: %s\n",
			strerror(-ret));
		session_close(&s);
		return setup_error(&o, EXIT_KERNEL);
	}

	if (!strcmp(o.mode, "coverage")) {
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
	if (o.log_path) {
		ret = sink_log_open(&log, o.log_path, o.log_violations_only);
		if (ret) {
			fprintf(stderr, "dmswap-trace: --log: cannot write %s: %s\n", o.log_path,
				outfile_strerror(-ret));
			session_close(&s);
			return setup_error(&o, EXIT_OUTPUT);
		}
		extra = &log;
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
		kmsg.next = extra;
		extra = &kmsg;
	}
	if (!strcmp(o.mode, "explore")) {
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
	if (o.json)
		sink_json_init(&sink, stdout);
	else
		sink_text_init(&sink, stdout, stderr);
	sink.syslog = o.syslog;
	rl.burst = o.rate_limit;
	sink.ratelimit = &rl;
	sink.next = extra;
	o.watch.reopen = &reopen;
	ret = watch_run(&s, &o.watch, &sink, &stop);
	sink_close(&sink);
	close_sinks(extra);
	session_close(&s);
	return ret;
}
