// SPDX-License-Identifier: GPL-2.0
/*
 * The command line, as tables: the modes, and the options with the modes
 * that take each one.  The parser, the help of each mode (and through it
 * the man page's and the completion's checks: tests/host/man.sh) all read
 * them.  report parses its own arguments (user/report/): it needs no
 * kernel, and its fuzz target links it without the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "escape.h"
#include "exitcode.h"

#define ALL_LIVE (CLI_WATCH | CLI_RUN | CLI_COVERAGE | CLI_EXPLORE)
#define TRACING (CLI_WATCH | CLI_RUN | CLI_EXPLORE)

struct cli_cmd {
	const char *name;
	enum cli_mode mode;
	const char *args; /* after the options, in the synopsis */
	const char *what;
	const char *notes; /* after its options in its help, or NULL */
	const char *exits; /* its exit statuses, last in its help */
};

static const struct cli_cmd cmds[] = {
	{ "watch", CLI_WATCH, "", "live timeline of dm table swaps (the default mode)",
	  "Records go to stdout (--json: JSON lines), notices to stderr.  SIGHUP\n"
	  "reopens --log (logrotate); SIGINT and SIGTERM stop.",
	  "Exit status: 0 stopped, 1 an invariant violated (when --duration ends it),\n"
	  "2 bad usage, 3 not privileged (CAP_BPF, CAP_PERFMON; CAP_SYS_ADMIN on\n"
	  "kernels without fprobe), 4 no kernel BTF, 5 dm_mod not loaded, 6 unknown\n"
	  "device, 7 output not writable, 8 BPF load/attach failed.\n" },
	{ "run", CLI_RUN, "-- COMMAND [ARGS...]", "verify around a command",
	  "COMMAND owns stdout: violations (--events: every event) go to stderr,\n"
	  "as text or, with --json, as JSON lines.  dm_mod is loaded before arming\n"
	  "when it is not.  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2\n"
	  "are passed on to COMMAND (SIGHUP does not reopen --log).",
	  "Exit status: 0 when COMMAND succeeded and nothing was violated, 1 (or\n"
	  "--error-exitcode N) when an invariant was violated, 2 for any error of\n"
	  "dmswap-trace itself, otherwise COMMAND's status (128 + signal if killed).\n" },
	{ "coverage", CLI_COVERAGE, "", "hooks and invariants on this kernel", NULL,
	  "Exit status: 0 ok, 2 bad usage, 3 not privileged (CAP_BPF, CAP_PERFMON;\n"
	  "CAP_SYS_ADMIN on kernels without fprobe), 4 no kernel BTF, 5 dm_mod not\n"
	  "loaded, 7 stdout not writable, 8 the kernel's BTF or symbols not readable.\n" },
	{ "explore", CLI_EXPLORE, "--setup CMD --swap CMD --teardown CMD",
	  "fail each slab allocation of a swap in turn (kernels with fault injection)",
	  "CMD: shell commands, run by /bin/sh -c.  Rows go to stdout, violations\n"
	  "to stderr.  SIGHUP reopens --log between runs.",
	  "Exit status: 0 ok, 1 an invariant violated, 2 bad usage, 3 not privileged\n"
	  "(CAP_BPF, CAP_PERFMON; CAP_SYS_ADMIN on kernels without fprobe), 4 no\n"
	  "kernel BTF, 5 dm_mod not loaded, 6 unknown device, 7 output not writable,\n"
	  "8 BPF load/attach failed, 9 no fault injection in this kernel.\n" },
	/* Its help is report.c's: it parses its own arguments. */
	{ "report", CLI_REPORT, "LOG...", "counts and swap timeline from logs", NULL, NULL },
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

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

struct quoted {
	char s[ESCAPE_TERM_MAX(ARG_QUOTE_MAX)];
};

/* @arg for a message: never its raw bytes, which could drive the terminal. */
static const char *quote(struct quoted *q, const char *arg)
{
	escape_term(q->s, sizeof(q->s), arg, strnlen(arg, ARG_QUOTE_MAX));
	return q->s;
}

static void bad_number(const char *opt, const char *range, const char *arg)
{
	struct quoted q;

	fprintf(stderr, "dmswap-trace: %s: %s, not %s\n", opt, range, quote(&q, arg));
}

/*
 * Plain decimal: digits, and a point followed by digits.  strtod() alone
 * also takes leading spaces, signs, exponents, hex floats (0x1p-3), inf
 * and nan: none is a way anyone writes seconds on purpose.
 */
static bool is_decimal(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (!n)
		return false;
	s += n;
	if (*s == '.') {
		n = strspn(s + 1, "0123456789");
		if (!n)
			return false;
		s += 1 + n;
	}
	return !*s;
}

static int parse_seconds(const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = is_decimal(arg) ? strtod(arg, &end) : NAN;
	if (errno || !isfinite(v) || v < SECONDS_MIN || v > SECONDS_MAX) {
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

/* The setters: each stores its option; a bad argument is a usage error. */
static int set_dev(struct options *o, const char *arg)
{
	struct quoted q;

	/* Its spelling now (a usage error); whether it exists once dm_mod is there. */
	if (dev_arg_check(arg)) {
		fprintf(stderr,
			"dmswap-trace: --dev: not a device name: %s (MAJOR:MINOR and dm-N: "
			"decimal, at most %d:%d)\n",
			quote(&q, arg), DEV_MAJOR_MAX, DEV_MINOR_MAX);
		return EXIT_USAGE;
	}
	if (o->nr_devs == DEV_FILTER_MAX) {
		fprintf(stderr, "dmswap-trace: at most %d --dev options\n", DEV_FILTER_MAX);
		return EXIT_USAGE;
	}
	o->devs[o->nr_devs++] = arg;
	return EXIT_OK;
}

#define FLAG_SETTER(fn, field, value)                                             \
	static int fn(struct options *o, const char *arg __attribute__((unused))) \
	{                                                                         \
		o->field = value;                                                 \
		return EXIT_OK;                                                   \
	}
#define STRING_SETTER(fn, field)                          \
	static int fn(struct options *o, const char *arg) \
	{                                                 \
		o->field = arg;                           \
		return EXIT_OK;                           \
	}

FLAG_SETTER(set_json, json, true)
FLAG_SETTER(set_wait, wait, true)
FLAG_SETTER(set_force_kprobe, force_kprobe, true)
FLAG_SETTER(set_syslog, syslog, true)
FLAG_SETTER(set_events, events, true)
FLAG_SETTER(set_kmsg, kmsg, true)
FLAG_SETTER(set_no_verify, explore.verify, false)
FLAG_SETTER(set_verbose, verbose, true)
FLAG_SETTER(set_help, help, true)
FLAG_SETTER(set_version, version, true)
STRING_SETTER(set_summary, summary_path)
STRING_SETTER(set_log, log_path)
STRING_SETTER(set_metrics, watch.metrics_path)
STRING_SETTER(set_setup, explore.setup)
STRING_SETTER(set_swap, explore.swap)
STRING_SETTER(set_teardown, explore.teardown)

static int set_duration(struct options *o, const char *arg)
{
	return parse_seconds("--duration", arg, &o->watch.duration_s);
}

static int set_metrics_interval(struct options *o, const char *arg)
{
	return parse_seconds("--metrics-interval", arg, &o->watch.metrics_interval_s);
}

static int set_rate_limit(struct options *o, const char *arg)
{
	return parse_count("--rate-limit", arg, 0, RATE_LIMIT_MAX, &o->rate_limit);
}

static int set_error_exitcode(struct options *o, const char *arg)
{
	return parse_count("--error-exitcode", arg, 0, 255, &o->error_exitcode);
}

static int set_kill_after(struct options *o, const char *arg)
{
	return parse_seconds("--kill-after", arg, &o->kill_after_s);
}

static int set_max_runs(struct options *o, const char *arg)
{
	return parse_count("--max-runs", arg, 1, MAX_RUNS_MAX, &o->explore.max_runs);
}

static int set_log_level(struct options *o, const char *arg)
{
	if (!strcmp(arg, "violations")) {
		o->log_violations_only = true;
	} else if (strcmp(arg, "all")) {
		struct quoted q;

		fprintf(stderr, "dmswap-trace: --log-level: all or violations, not %s\n",
			quote(&q, arg));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

struct cli_opt {
	const char *name; /* --name */
	char short_name; /* -c, or 0 */
	const char *arg; /* its argument's name, or NULL for a flag */
	unsigned int modes; /* enum cli_mode bits: the modes that take it */
	int (*set)(struct options *o, const char *arg);
	const char *help; /* lines after the first indented in the help */
};

/* In the order of the help; shared options once, with every mode that takes them. */
static const struct cli_opt opts[] = {
	{ "dev", 'd', "NAME", TRACING, set_dev,
	  "only this device: dm name, /dev/mapper/NAME, dm-N or\n"
	  "MAJOR:MINOR (repeatable)" },
	{ "json", 'j', NULL, ALL_LIVE, set_json,
	  "JSON lines instead of text (on stdout; run, explore: their\n"
	  "violations on stderr)" },
	{ "wait", 'w', NULL, ALL_LIVE, set_wait,
	  "wait for dm_mod to be loaded; accept --dev names that\n"
	  "do not exist yet" },
	{ "duration", 't', "SECS", CLI_WATCH, set_duration,
	  "stop after SECS seconds (0.001 to a year)" },
	{ "force-kprobe", 0, NULL, ALL_LIVE, set_force_kprobe,
	  "use kprobes even where fentry works (tests the fallback)" },
	{ "log", 0, "FILE", TRACING, set_log,
	  "append every event and violation to FILE as JSON lines\n"
	  "(created 0600; watch, explore: SIGHUP reopens it, for\n"
	  "logrotate; run: SIGHUP goes to COMMAND)" },
	{ "log-level", 0, "L", TRACING, set_log_level,
	  "all (default) or violations: what goes to the log" },
	{ "metrics", 0, "FILE", CLI_WATCH, set_metrics,
	  "Prometheus textfile metrics, rewritten atomically" },
	{ "metrics-interval", 0, "SECS", CLI_WATCH, set_metrics_interval,
	  "how often --metrics is rewritten (default 10)" },
	{ "syslog", 0, NULL, CLI_WATCH, set_syslog,
	  "\"<N>\" severity prefixes on output lines, for journald\n"
	  "(the default when run by systemd)" },
	{ "rate-limit", 0, "N", CLI_WATCH, set_rate_limit,
	  "show N violations per invariant and device, count the\n"
	  "rest (default 5, 0: no limit; the log keeps all)" },
	{ "kmsg", 0, NULL, CLI_WATCH | CLI_RUN, set_kmsg,
	  "also write each violation to the kernel log as a\n"
	  "\"WARNING:\" line (test suites' dmesg checks catch it)" },
	{ "summary", 0, "FILE", CLI_RUN, set_summary, "write the run's summary as JSON to FILE" },
	{ "events", 0, NULL, CLI_RUN, set_events,
	  "show every event on stderr, not only violations" },
	{ "error-exitcode", 0, "N", CLI_RUN, set_error_exitcode,
	  "exit N (0 to 255, default 1) when an invariant was\n"
	  "violated; 0: COMMAND's own status regardless" },
	{ "kill-after", 0, "SECS", CLI_RUN, set_kill_after,
	  "SIGKILL COMMAND SECS after passing it a SIGINT or\n"
	  "SIGTERM (a second one kills at once)" },
	{ "setup", 0, "CMD", CLI_EXPLORE, set_setup, "creates the device(s) before each run" },
	{ "swap", 0, "CMD", CLI_EXPLORE, set_swap, "loads a table and resumes: the swap explored" },
	{ "teardown", 0, "CMD", CLI_EXPLORE, set_teardown, "removes them after each run" },
	{ "max-runs", 0, "N", CLI_EXPLORE, set_max_runs,
	  "stop after failing allocation N (default 200)" },
	{ "no-verify", 0, NULL, CLI_EXPLORE, set_no_verify,
	  "inject only, no invariant checks (to see what the\n"
	  "kernel's own debug checks say on their own)" },
	{ "verbose", 'v', NULL, ALL_LIVE, set_verbose, "libbpf's log on stderr" },
	{ "help", 'h', NULL, ALL_LIVE | CLI_REPORT, set_help, "this text" },
	{ "version", 'V', NULL, ALL_LIVE | CLI_REPORT, set_version, "version" },
};

#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

/* A shared option's help in the modes where the one above would say too much. */
static const struct {
	const char *name;
	unsigned int modes;
	const char *help;
} opts_in_mode[] = {
	{ "json", CLI_WATCH | CLI_COVERAGE, "JSON lines instead of text, on stdout" },
	{ "wait", CLI_COVERAGE, "wait for dm_mod to be loaded" },
	{ "wait", CLI_RUN,
	  "accept --dev names that do not exist yet (run\n"
	  "loads dm_mod itself: it does not wait)" },
};
/* getopt_long's value of an option without a short name: past every char. */
#define LONG_ONLY 256

static const struct cli_cmd *cmd_by_name(const char *name)
{
	for (size_t i = 0; i < NR_CMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static const struct cli_cmd *cmd_by_mode(enum cli_mode mode)
{
	for (size_t i = 0; i < NR_CMDS; i++)
		if (cmds[i].mode == mode)
			return &cmds[i];
	return &cmds[0];
}

/* The modes that take @opt, "run or explore". */
static void modes_of(const struct cli_opt *opt, char *buf, size_t len)
{
	size_t n = 0, total = 0, at = 0;

	for (size_t i = 0; i < NR_CMDS; i++)
		total += !!(opt->modes & cmds[i].mode);
	buf[0] = '\0';
	for (size_t i = 0; i < NR_CMDS && at < len; i++) {
		if (!(opt->modes & cmds[i].mode))
			continue;
		n++;
		at += snprintf(buf + at, len - at, "%s%s",
			       n == 1	    ? ""
			       : n == total ? " or "
					    : ", ",
			       cmds[i].name);
	}
}

/* The long options for getopt_long, and its short option string, from opts[]. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	char *s = shortopts;

	*s++ = '+'; /* stop at the mode, or at run's COMMAND */
	*s++ = ':'; /* a missing argument is ':' */
	for (size_t i = 0; i < NR_OPTS; i++) {
		longopts[i] = (struct option){ opts[i].name,
					       opts[i].arg ? required_argument : no_argument, NULL,
					       opts[i].short_name ? opts[i].short_name
								  : (int)(LONG_ONLY + i) };
		if (opts[i].short_name) {
			*s++ = opts[i].short_name;
			if (opts[i].arg)
				*s++ = ':';
		}
	}
	longopts[NR_OPTS] = (struct option){};
	*s = '\0';
}

static const struct cli_opt *opt_of(int c)
{
	if (c >= LONG_ONLY && (size_t)(c - LONG_ONLY) < NR_OPTS)
		return &opts[c - LONG_ONLY];
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].short_name && opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

/* What the mode needs once every option is in. */
static int check_mode(struct options *o, int argc, char **argv)
{
	if (o->mode == CLI_RUN) {
		if (optind >= argc) {
			fprintf(stderr,
				"dmswap-trace: run: no command (dmswap-trace run -- COMMAND)\n");
			return EXIT_USAGE;
		}
		o->command = argv + optind;
		return EXIT_OK;
	}
	if (optind < argc) {
		struct quoted q;

		fprintf(stderr, "dmswap-trace: unexpected argument: %s\n", quote(&q, argv[optind]));
		return EXIT_USAGE;
	}
	if (o->mode == CLI_EXPLORE &&
	    (!o->explore.setup || !o->explore.swap || !o->explore.teardown)) {
		fprintf(stderr, "dmswap-trace: explore needs --setup, --swap and --teardown\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static void defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = CLI_WATCH;
	o->rate_limit = 5;
	o->error_exitcode = EXIT_VIOLATION;
	o->explore.max_runs = 200;
	o->explore.verify = true;
	/* systemd connects stdout/stderr to the journal and says so. */
	o->syslog = getenv("JOURNAL_STREAM") != NULL;
}

int cli_parse(int argc, char **argv, struct options *o)
{
	struct option longopts[NR_OPTS + 1];
	char shortopts[2 + 2 * NR_OPTS + 1];
	/* Each option as the user spelled it first: the mode is known only later. */
	const char *given[NR_OPTS] = {};
	const struct cli_cmd *cmd;
	const struct cli_opt *opt;
	struct quoted q;
	int c, ret;

	defaults(o);
	getopt_tables(longopts, shortopts);
	opterr = 0;
	/*
	 * 0, not 1: glibc then starts afresh.  With 1 it went on inside the
	 * short-option cluster where an earlier parse stopped ("-Qt": after
	 * the unknown Q, the t), a pointer into that parse's arguments (found
	 * by fuzz_cli; main() parses once, the tests and the fuzzer many times).
	 */
	optind = 0;
	for (;;) {
		c = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (c == -1) {
			/* The mode may come after global options: dmswap-trace --json coverage. */
			if (o->mode_name || optind >= argc || !strcmp(argv[optind - 1], "--"))
				break;
			cmd = cmd_by_name(argv[optind]);
			if (!cmd) {
				fprintf(stderr,
					"dmswap-trace: unknown command: %s (Try 'dmswap-trace "
					"--help'.)\n",
					quote(&q, argv[optind]));
				return EXIT_USAGE;
			}
			o->mode = cmd->mode;
			o->mode_name = cmd->name;
			optind++;
			/* report's arguments are its own. */
			if (o->mode == CLI_REPORT) {
				o->report_argc = argc - optind + 1;
				o->report_argv = argv + optind - 1;
				break;
			}
			continue;
		}
		if (c == ':') {
			fprintf(stderr, "dmswap-trace: option %s needs an argument\n",
				quote(&q, argv[optind - 1]));
			return EXIT_USAGE;
		}
		opt = opt_of(c);
		if (!opt) {
			fprintf(stderr,
				"dmswap-trace: unknown option: %s (Try 'dmswap-trace --help'.)\n",
				quote(&q, argv[optind - 1]));
			return EXIT_USAGE;
		}
		if (!given[opt - opts])
			given[opt - opts] = argv[optind - 1];
		ret = opt->set(o, optarg);
		if (ret)
			return ret;
	}
	/* Help and version before anything else is checked. */
	if (o->help || o->version)
		return EXIT_OK;
	for (size_t i = 0; i < NR_OPTS; i++) {
		char modes[64];

		if (!given[i] || opts[i].modes & o->mode)
			continue;
		modes_of(&opts[i], modes, sizeof(modes));
		fprintf(stderr, "dmswap-trace: --%s is for %s, not %s\n", opts[i].name, modes,
			cmd_by_mode(o->mode)->name);
		return EXIT_USAGE;
	}
	return o->mode == CLI_REPORT ? EXIT_OK : check_mode(o, argc, argv);
}

/* "  -d, --dev NAME" in a column, the help beside it, continuation lines aligned. */
#define HELP_COLUMN 23

static void opt_help(FILE *out, const struct cli_opt *opt, enum cli_mode mode)
{
	char left[64];
	const char *h = opt->help;
	int n;

	for (size_t i = 0; i < sizeof(opts_in_mode) / sizeof(opts_in_mode[0]); i++)
		if (opts_in_mode[i].modes & mode && !strcmp(opts_in_mode[i].name, opt->name))
			h = opts_in_mode[i].help;

	if (opt->short_name)
		n = snprintf(left, sizeof(left), "  -%c, --%s", opt->short_name, opt->name);
	else
		n = snprintf(left, sizeof(left), "      --%s", opt->name);
	if (opt->arg)
		snprintf(left + n, sizeof(left) - n, " %s", opt->arg);
	fprintf(out, "%-*s", HELP_COLUMN - 1, left);
	if (strlen(left) >= HELP_COLUMN - 1)
		fprintf(out, "\n%*s", HELP_COLUMN - 1, "");
	for (;;) {
		size_t len = strcspn(h, "\n");

		fprintf(out, " %.*s\n", (int)len, h);
		if (!h[len])
			break;
		h += len + 1;
		fprintf(out, "%*s", HELP_COLUMN - 1, "");
	}
}

static void synopsis(FILE *out, const struct cli_cmd *cmd, const char *lead)
{
	fprintf(out, "%s dmswap-trace %s [OPTIONS]%s%s\n", lead,
		cmd->mode == CLI_WATCH ? "[watch]" : cmd->name, cmd->args[0] ? " " : "", cmd->args);
	fprintf(out, "%*s%s\n", (int)strlen(lead) + 5, "", cmd->what);
}

void cli_usage(FILE *out, const struct options *o)
{
	const struct cli_cmd *cmd = cmd_by_mode(o->mode);

	/* Without a mode: every mode's synopsis, then watch's options. */
	if (!o->mode_name) {
		for (size_t i = 0; i < NR_CMDS; i++)
			synopsis(out, &cmds[i], i ? "      " : "Usage:");
		fprintf(out, "\n'dmswap-trace MODE --help' shows the options and exit statuses "
			     "of MODE.\n");
	} else {
		synopsis(out, cmd, "Usage:");
	}
	fprintf(out, "\nOptions of %s:\n", cmd->name);
	for (size_t i = 0; i < NR_OPTS; i++)
		if (opts[i].modes & cmd->mode)
			opt_help(out, &opts[i], cmd->mode);
	if (cmd->notes)
		fprintf(out, "\n%s\n", cmd->notes);
	/* Each mode's own statuses, once: run's and report's are not watch's. */
	if (cmd->exits)
		fprintf(out, "\n%s", cmd->exits);
}
