// SPDX-License-Identifier: GPL-2.0
/*
 * explore: the failure paths of one swap, one run per failed allocation.
 *
 * Run 0 is the baseline (nothing failed) and counts the swap's slab
 * allocations; run N fails the Nth.  The verifier stays armed throughout,
 * and a collector sink in front of the usual ones files each violation
 * under the run it happened in.  Fault injection is armed only while the
 * swap command runs, and only counts allocations of tasks that are inside
 * dm_swap_table(): set-up and tear-down (which swap tables too, when they
 * create devices) are never failed.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "event.h"
#include "exitcode.h"
#include "explore_run.h"
#include "explore.h"
#include "explore.skel.h"
#include "faultinject.h"
#include "json.h"
#include "ksyms.h"
#include "outfile.h"

#define OUTPUT_TAIL 512 /* bytes of a command's output kept for the row */
#define SITE_FRAMES 3 /* call-site frames shown in the text row */

struct run_row {
	unsigned int n; /* 0: baseline */
	bool reached; /* an Nth allocation happened and was failed */
	uint32_t allocations; /* failable allocations seen inside the swap */
	uint32_t swaps;
	int64_t swap_ret; /* dm_swap_table(): 0 or -errno */
	bool resume_seen;
	int64_t resume_ret;
	int status; /* of the swap command */
	char output[OUTPUT_TAIL]; /* its last line */
	uint64_t by_inv[DMSWAP_INV_SLOTS];
	uint64_t violations;
	int stack_len;
	uint64_t stack[EXPLORE_STACK_DEPTH];
};

/* The sink that files events under the current run, then passes them on. */
struct collector {
	struct sink sink; /* first: the chain hands us &sink */
	struct run_row *row;
	bool in_swap; /* the swap command is running (its resume is the row's) */
};

static void collect_armed(struct sink *s, const struct armed_info *info)
{
	(void)s;
	(void)info;
}

static void collect_event(struct sink *s, const struct event_view *ev)
{
	struct run_row *row = ((struct collector *)s)->row;
	const struct dmswap_event *e = ev->raw;

	if (!row)
		return;
	if (e->type == DMSWAP_EV_VIOLATION) {
		row->violations++;
		if (e->violation.inv < DMSWAP_INV_SLOTS)
			row->by_inv[e->violation.inv]++;
	} else if (e->type == DMSWAP_EV_RESUME && ((struct collector *)s)->in_swap) {
		row->resume_seen = true;
		row->resume_ret = e->ret;
	}
}

static void collect_summary(struct sink *s, const struct summary *sum)
{
	(void)s;
	(void)sum;
}

static const struct sink_ops collector_ops = {
	.armed = collect_armed,
	.event = collect_event,
	.summary = collect_summary,
};

/*
 * Run @cmd with /bin/sh, DMSWAP_EXPLORE_RUN=@run in its environment (so a
 * scenario can keep per-run evidence); its output (stdout and stderr) goes
 * to @tail, of which the last @len - 1 bytes are kept.
 */
static int run_shell(const char *cmd, unsigned int run, char *tail, size_t len)
{
	size_t used = 0;
	int fds[2], status;
	pid_t pid;

	tail[0] = 0;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		char nth[16];

		snprintf(nth, sizeof(nth), "%u", run);
		setenv("DMSWAP_EXPLORE_RUN", nth, 1);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char buf[1024];
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* Keep the last len - 1 bytes. */
		if ((size_t)n >= len - 1) {
			memcpy(tail, buf + n - (len - 1), len - 1);
			used = len - 1;
		} else {
			if (used + n > len - 1) {
				size_t drop = used + n - (len - 1);

				memmove(tail, tail + drop, used - drop);
				used -= drop;
			}
			memcpy(tail + used, buf, n);
			used += n;
		}
	}
	close(fds[0]);
	tail[used] = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The last non-empty line of a command's output, in place. */
static const char *last_line(char *text)
{
	size_t len = strlen(text);
	char *nl;

	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = 0;
	nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

static int open_injector(struct explore_bpf **out, const struct fault_offer *fo, bool force_kprobe,
			 const char **mech)
{
	struct explore_bpf *skel;
	int err;

	for (int attempt = force_kprobe ? 1 : 0; attempt < 2; attempt++) {
		bool fmod = attempt == 0;

		skel = explore_bpf__open();
		if (!skel)
			return -errno;
		skel->rodata->gfp_nofail = fo->gfp_nofail;
		bpf_program__set_autoload(skel->progs.explore_failslab_fmod_ret, fmod);
		bpf_program__set_autoload(skel->progs.explore_swap_fentry, fmod);
		bpf_program__set_autoload(skel->progs.explore_swap_fexit, fmod);
		bpf_program__set_autoload(skel->progs.explore_failslab_kprobe, !fmod);
		bpf_program__set_autoload(skel->progs.explore_swap_kprobe, !fmod);
		bpf_program__set_autoload(skel->progs.explore_swap_kretprobe, !fmod);
		err = explore_bpf__load(skel);
		if (!err)
			err = explore_bpf__attach(skel);
		if (!err) {
			*out = skel;
			*mech = fmod ? "fmod_ret on should_failslab"
				     : "kprobe + bpf_override_return on should_failslab";
			return 0;
		}
		explore_bpf__destroy(skel);
	}
	return err;
}

/* The first frame that is not the allocator itself: the call site. */
static bool allocator_frame(const char *sym)
{
	static const char *const prefixes[] = {
		"should_failslab",
		"kmem_cache_alloc",
		"__kmem_cache_alloc",
		"kmalloc",
		"__kmalloc",
		"slab_",
		"__slab_",
		"___slab_",
		"kvmalloc",
		"__kvmalloc",
		"kmemdup",
		"kstrdup",
		"kzalloc",
		"0x",
	};

	if (ksym_is_bpf(sym))
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sym, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static int first_site_frame(const struct run_row *row, const struct ksym_table *ks)
{
	char sym[160];

	for (int i = 0; i < row->stack_len; i++) {
		ksym_format(ks, row->stack[i], sym, sizeof(sym));
		if (!allocator_frame(sym))
			return i;
	}
	return row->stack_len;
}

/* "f+0x10 [mod]" and "f+0x9 [mod]": the same function. */
static bool same_function(const char *a, const char *b)
{
	size_t la = strcspn(a, "+ "), lb = strcspn(b, "+ ");

	return la && la == lb && !strncmp(a, b, la);
}

/* "blk_alloc_zone_wplugs+0x3c <- disk_alloc_zone_resources+0x9 <- ..." */
static void format_site(const struct run_row *row, char *buf, size_t len)
{
	const struct ksym_table *ks = ksym_running();
	int first = first_site_frame(row, ks), shown = 0;
	char prev[160] = "";
	size_t used = 0;

	buf[0] = 0;
	if (!row->reached) {
		snprintf(buf, len, "-");
		return;
	}
	for (int i = first; i < row->stack_len && shown < SITE_FRAMES; i++) {
		char sym[160];

		ksym_format(ks, row->stack[i], sym, sizeof(sym));
		/*
		 * The verifier's own trampolines (fentry on dm_* functions), and
		 * the "FUNC+0x9" frame a trampoline leaves under FUNC's own.
		 */
		if (ksym_is_bpf(sym) || !strncmp(sym, "0x", 2) || same_function(sym, prev))
			continue;
		snprintf(prev, sizeof(prev), "%s", sym);
		shown++;
		used += snprintf(buf + used, len > used ? len - used : 0, "%s%s",
				 shown > 1 ? " <- " : "", sym);
	}
	if (!shown)
		snprintf(buf, len, "(no stack)");
}

static void format_violations(const struct run_row *row, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (int n = 1; n < DMSWAP_INV_SLOTS; n++) {
		if (!row->by_inv[n])
			continue;
		used += snprintf(buf + used, len > used ? len - used : 0, "%sINV-%d",
				 used ? "," : "", n);
		if (row->by_inv[n] > 1)
			used += snprintf(buf + used, len > used ? len - used : 0, "x%" PRIu64,
					 row->by_inv[n]);
	}
	if (!used)
		snprintf(buf, len, "-");
}

static void print_header(FILE *out)
{
	fprintf(out, "%-4s %-8s %-8s %-6s %-11s %-64s %s\n", "RUN", "SWAP", "RESUME", "STATUS",
		"VIOLATIONS", "FAILED ALLOCATION (call site)", "MESSAGE");
}

static void print_row_text(FILE *out, const struct run_row *row)
{
	char swap[24], resume[24], site[512], viol[96];
	char msg[ESCAPE_TERM_MAX(OUTPUT_TAIL)], line[OUTPUT_TAIL];
	const char *last;

	event_format_ret(swap, sizeof(swap), row->swap_ret);
	if (row->resume_seen)
		event_format_ret(resume, sizeof(resume), row->resume_ret);
	else
		snprintf(resume, sizeof(resume), "-");
	format_site(row, site, sizeof(site));
	format_violations(row, viol, sizeof(viol));
	memcpy(line, row->output, sizeof(line));
	last = last_line(line);
	escape_term(msg, sizeof(msg), last, strlen(last));
	fprintf(out, "%-4u %-8s %-8s %-6d %-11s %-64s %s\n", row->n, row->swaps ? swap : "none",
		resume, row->status, viol, site, msg);
	outfile_flush(out); /* a write error is said at exit (main.c) */
}

static void print_row_json(FILE *out, const struct run_row *row, const char *mech)
{
	const struct ksym_table *ks = ksym_running();
	char buf[160], line[OUTPUT_TAIL];
	struct json j = {};

	json_reset(&j);
	json_object_begin(&j);
	json_str(&j, "kind", "explore");
	json_uint(&j, "run", row->n);
	json_str(&j, "injection", mech);
	json_bool(&j, "reached", row->reached);
	json_uint(&j, "allocations", row->allocations);
	json_uint(&j, "swaps", row->swaps);
	json_int(&j, "swap_ret", row->swap_ret);
	if (row->resume_seen)
		json_int(&j, "resume_ret", row->resume_ret);
	json_int(&j, "status", row->status);
	memcpy(line, row->output, sizeof(line));
	json_str(&j, "message", last_line(line));
	if (row->reached) {
		format_site(row, buf, sizeof(buf));
		json_str(&j, "site", buf);
		json_array_begin(&j, "stack");
		for (int i = 0; i < row->stack_len; i++) {
			ksym_format(ks, row->stack[i], buf, sizeof(buf));
			json_str(&j, NULL, buf);
		}
		json_array_end(&j);
	}
	json_by_inv(&j, "violations", row->by_inv, true);
	json_object_end(&j);
	if (!j.failed)
		fprintf(out, "%s\n", j.buf);
	json_free(&j);
	outfile_flush(out); /* a write error is said at exit (main.c) */
}

/* A scenario command that must succeed (set-up); its output on failure. */
static int must_run(const char *what, const char *cmd, unsigned int n)
{
	char tail[OUTPUT_TAIL], esc[ESCAPE_TERM_MAX(OUTPUT_TAIL)];
	int status = run_shell(cmd, n, tail, sizeof(tail));

	if (!status)
		return 0;
	escape_term(esc, sizeof(esc), tail, strlen(tail));
	if (status < 0)
		fprintf(stderr, "dmswap-trace: explore: cannot run the %s: %s\n", what,
			strerror(-status));
	else
		fprintf(stderr,
			"dmswap-trace: explore: the %s failed (status %d) before run %u: %s\n",
			what, status, n, esc);
	return -1;
}

/* Hand what the verifier reported so far to the sinks (none: --no-verify). */
static void drain(struct watch *w)
{
	if (w->rb)
		ring_buffer__consume(w->rb);
}

/* One run: set-up, the swap with allocation N failing, tear-down. */
static int explore_run(struct explore_bpf *inj, struct watch *w, struct collector *col,
		       const struct explore_opts *o, struct run_row *row)
{
	struct explore_run *r = &inj->bss->run;
	char tail[OUTPUT_TAIL];
	int status;

	col->row = row;
	if (must_run("set-up", o->setup, row->n))
		return -1;
	drain(w);
	memset(r, 0, sizeof(*r));
	r->fail_nth = row->n;
	r->stack_bytes = -1;
	col->in_swap = true;
	__atomic_store_n(&r->armed, 1, __ATOMIC_SEQ_CST);
	row->status = run_shell(o->swap, row->n, row->output, sizeof(row->output));
	__atomic_store_n(&r->armed, 0, __ATOMIC_SEQ_CST);
	drain(w);
	col->in_swap = false;
	row->allocations = r->seen;
	row->swaps = r->swaps;
	row->swap_ret = r->swap_ret;
	row->reached = r->failed;
	row->stack_len = r->stack_bytes > 0 ? r->stack_bytes / 8 : 0;
	memcpy(row->stack, r->stack, sizeof(row->stack));
	/* A tear-down may fail after a failed swap: say so, go on. */
	status = run_shell(o->teardown, row->n, tail, sizeof(tail));
	drain(w);
	col->row = NULL;
	if (status) {
		char esc[ESCAPE_TERM_MAX(OUTPUT_TAIL)];

		escape_term(esc, sizeof(esc), tail, strlen(tail));
		fprintf(stderr,
			"dmswap-trace: explore: run %u: the tear-down failed (status %d): %s\n",
			row->n, status, esc);
	}
	return 0;
}

/* Says why this kernel cannot fail allocations on purpose; the exit status. */
static int no_fault_injection(const char *why)
{
	fprintf(stderr,
		"dmswap-trace: explore: this kernel cannot fail slab allocations on purpose: "
		"%s.  explore needs CONFIG_FAILSLAB and CONFIG_FUNCTION_ERROR_INJECTION (see "
		"scripts/lab build-kernel).\n",
		why);
	return EXIT_NO_FAULT_INJECTION;
}

int explore_check_kernel(const struct session *s, struct fault_offer *fo)
{
	fault_offer_probe(fo, s->offer.btf_vmlinux);
	return fo->state == FAULT_AVAILABLE ? EXIT_OK : no_fault_injection(fo->why);
}

int explore_main(struct session *s, const struct watch_opts *wopts, const struct explore_opts *o,
		 struct sink *sink, FILE *out)
{
	struct collector col = { .sink = { .ops = &collector_ops, .next = sink } };
	struct explore_bpf *inj = NULL;
	uint64_t violations = 0;
	/* Probed before arming: the session frees its BTF when it loads. */
	const struct fault_offer *fo = o->fault;
	const char *mech = "";
	struct run_row *row;
	struct watch w;
	int ret, err;

	if (fo->state != FAULT_AVAILABLE)
		return EXIT_NO_FAULT_INJECTION;
	err = open_injector(&inj, fo, o->force_kprobe, &mech);
	if (err) {
		char why[160];

		snprintf(why, sizeof(why),
			 "attaching to should_failslab failed (fmod_ret, then kprobe + "
			 "bpf_override_return): %s",
			 strerror(-err));
		return no_fault_injection(why);
	}
	row = calloc(1, sizeof(*row));
	if (!row) {
		explore_bpf__destroy(inj);
		return EXIT_KERNEL;
	}
	memset(&w, 0, sizeof(w));
	ret = o->verify ? watch_open(&w, s, wopts, &col.sink) : EXIT_OK;
	if (ret) {
		free(row);
		explore_bpf__destroy(inj);
		return ret;
	}
	/* Capabilities kept: every run attaches again, its commands need them. */
	if (o->verify)
		watch_start(&w, NULL);
	fprintf(stderr, "dmswap-trace: explore: failing allocations with %s%s\n", mech,
		fo->gfp_from_btf ? "" : " (__GFP_NOFAIL not in BTF: assumed 0x8000)");
	if (!o->json)
		print_header(out);
	ret = EXIT_OK;
	for (unsigned int n = 0; n <= o->max_runs && !*o->stop; n++) {
		/* SIGHUP: the log is reopened between runs, as watch does (logrotate). */
		if (wopts->reopen && *wopts->reopen) {
			*wopts->reopen = false;
			sinks_reopen(&col.sink);
		}
		memset(row, 0, sizeof(*row));
		row->n = n;
		if (explore_run(inj, &w, &col, o, row)) {
			ret = EXIT_USAGE;
			break;
		}
		violations += row->violations;
		if (n == 0 && !row->swaps) {
			fprintf(stderr,
				"dmswap-trace: explore: the swap command made no table swap "
				"(dm_swap_table was not called: does it load a table and "
				"resume?)\n");
			ret = EXIT_USAGE;
			break;
		}
		/* Run N that did not get to an Nth allocation ends the walk. */
		if (n > 0 && !row->reached) {
			fprintf(stderr,
				"dmswap-trace: explore: run %u made %u allocations inside the "
				"swap: "
				"every failure path was taken\n",
				n, row->allocations);
			break;
		}
		if (o->json)
			print_row_json(out, row, mech);
		else
			print_row_text(out, row);
		if (n == 0)
			fprintf(stderr,
				"dmswap-trace: explore: the baseline swap made %u failable slab "
				"allocation%s (%u __GFP_NOFAIL ones are never failed)\n",
				row->allocations, row->allocations == 1 ? "" : "s",
				inj->bss->run.nofail);
		if (n == o->max_runs)
			fprintf(stderr, "dmswap-trace: explore: stopped at --max-runs %u\n", n);
	}
	if (o->verify)
		watch_close(&w, NULL);
	free(row);
	explore_bpf__destroy(inj);
	if (ret == EXIT_OK && violations)
		ret = EXIT_VIOLATION;
	return ret;
}
