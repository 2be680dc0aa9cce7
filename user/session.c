// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfmerge.h"
#include "caps.h"
#include "clock.h"
#include "dmswap.skel.h"
#include "env.h"
#include "exitcode.h"
#include "invariants.h"
#include "session.h"

static bool verbose;
static char last_libbpf_warning[256];

static uint64_t print_start_ns;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	/* Timestamped, to see where start-up time goes. */
	if (verbose) {
		fprintf(stderr, "[%8.1f ms] ", (clock_mono_ns() - print_start_ns) / 1e6);
		return vfprintf(stderr, fmt, args);
	}
	/* Keep the last warning to explain a failure; print nothing else. */
	if (level == LIBBPF_WARN) {
		vsnprintf(last_libbpf_warning, sizeof(last_libbpf_warning), fmt, args);
		last_libbpf_warning[strcspn(last_libbpf_warning, "\n")] = '\0';
	}
	return 0;
}

void session_set_verbose(bool on)
{
	verbose = on;
	print_start_ns = clock_mono_ns();
	libbpf_set_print(libbpf_print);
}

int session_check_env(bool wait)
{
	struct caps_state caps;
	const char *btf;
	char why[512];

	/* Whatever the uid: root with a reduced bounding set lacks some too. */
	if (!caps_read(&caps)) {
		fprintf(stderr, "dmswap-trace: not privileged: cannot read capabilities: %s\n",
			strerror(errno));
		return EXIT_PRIVILEGE;
	}
	if (caps_missing(&caps, why, sizeof(why))) {
		fprintf(stderr, "dmswap-trace: not privileged: missing %s%s\n", why,
			caps.user_ns ? " (in a user namespace, whose capabilities do not count)"
			: geteuid()  ? " (try: sudo dmswap-trace)"
				     : "");
		return EXIT_PRIVILEGE;
	}
	if (caps_warning(&caps, why, sizeof(why)))
		fprintf(stderr, "dmswap-trace: warning: %s\n", why);
	if (!env_has_btf(&btf)) {
		fprintf(stderr,
			"dmswap-trace: this kernel has no BTF (%s missing): it needs "
			"CONFIG_DEBUG_INFO_BTF=y and CONFIG_DEBUG_INFO_BTF_MODULES=y\n",
			btf);
		return EXIT_NO_BTF;
	}
	if (env_dm_loaded() || wait)
		return EXIT_OK;
	fprintf(stderr, "dmswap-trace: device-mapper (dm_mod) is not loaded; load it "
			"(modprobe dm_mod) or pass --wait\n");
	return EXIT_NO_DM;
}

int session_wait_dm(volatile bool *stop, uint64_t deadline_ns)
{
	if (env_dm_loaded())
		return EXIT_OK;
	fprintf(stderr, "dmswap-trace: waiting for dm_mod to be loaded\n");
	return env_wait_dm(stop, deadline_ns) ? EXIT_OK : EXIT_STOPPED_WAITING;
}

int session_resolve(struct session *s, enum probe_policy policy)
{
	uint64_t t0 = clock_mono_ns();
	int err;

	s->res = calloc(nr_hooks, sizeof(*s->res));
	if (!s->res)
		return -ENOMEM;
	err = offer_load_running(&s->offer);
	if (err)
		return err;
	for_each_hook (h)
		probe_resolve(h, &s->offer, policy, &s->res[hook_index(h)]);
	/* Functions that ftrace cannot patch are only in kallsyms (kprobe-able). */
	for_each_hook (h) {
		if (s->res[hook_index(h)].mech != PROBE_ABSENT)
			continue;
		s->offer.kallsyms_tried = true;
		if (!offer_load_kallsyms(&s->offer))
			for_each_hook (again)
				probe_resolve(again, &s->offer, policy, &s->res[hook_index(again)]);
		break;
	}
	s->resolve_ns = clock_mono_ns() - t0;
	return 0;
}

/*
 * A failed load or attach: exit 8, or 3 when the kernel said EPERM/EACCES
 * (a capability the up-front check does not know of, an LSM): the same
 * one line either way, with libbpf's last warning.
 */
static int fail(struct session *s, const char *what, const char *detail, int err)
{
	bool perm = err == -EPERM || err == -EACCES;

	fprintf(stderr, "dmswap-trace: %s%s: %s%s%s", perm ? "not privileged: " : "", what, detail,
		last_libbpf_warning[0] ? "; libbpf: " : "", last_libbpf_warning);
	if (perm)
		fprintf(stderr, " (needs %s)", caps_all_names());
	fputc('\n', stderr);
	if (!verbose && err && !perm)
		fprintf(stderr, "dmswap-trace: run with --verbose for libbpf's log\n");
	session_close(s);
	return perm ? EXIT_PRIVILEGE : EXIT_KERNEL;
}

/*
 * Nothing to attach (every hook absent: dm_mod's symbols unreadable or not
 * in this kernel) is a failure, never "armed": say why for the first hook.
 */
static int check_attachable(struct session *s)
{
	const struct hook *first = NULL;
	char detail[PROBE_WHY_LEN + 160];
	size_t own = 0;

	for_each_hook (h) {
		const struct probe_result *r = &s->res[hook_index(h)];

		if (probe_mech_attaches(r->mech))
			return EXIT_OK;
		if (r->mech == PROBE_OBSERVED)
			continue;
		own++;
		if (!first)
			first = h;
	}
	snprintf(detail, sizeof(detail), "none of the %zu hooks is in this kernel (%s: %s)", own,
		 first ? first->name : "-", first ? s->res[hook_index(first)].why : "-");
	return fail(s, "nothing could be attached", detail, 0);
}

/*
 * --verbose: the verifier's statistics of every program loaded (log level
 * 4: time, instructions processed, states), to see where load time goes.
 */
#define VERIFIER_STATS_LEN 1024

static void verifier_stats_request(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
	{
		char *buf;

		if (!bpf_program__autoload(prog))
			continue;
		buf = calloc(1, VERIFIER_STATS_LEN);
		if (!buf)
			continue;
		bpf_program__set_log_buf(prog, buf, VERIFIER_STATS_LEN);
		bpf_program__set_log_level(prog, 4);
	}
}

static void verifier_stats_print(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
	{
		size_t size;
		char *buf = (char *)bpf_program__log_buf(prog, &size);

		if (!buf)
			continue;
		for (char *nl = strchr(buf, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
		fprintf(stderr, "dmswap-trace: verifier: %s: %s\n", bpf_program__name(prog), buf);
		bpf_program__set_log_buf(prog, NULL, 0);
		free(buf);
	}
}

/*
 * Without CAP_SYS_ADMIN libbpf cannot reach dm_mod's BTF object for CO-RE:
 * give it vmlinux's and dm_mod's BTF as one file instead (btfmerge.h).
 * Returns the file's descriptor, -1 when not needed, or -errno.
 */
static int custom_btf(const struct session *s, char *path, size_t len)
{
	if (!s->offer.module_btf_denied || !s->offer.btf_dm)
		return -1;
	return btf_merge_module("/sys/kernel/btf", "dm_mod", path, len);
}

int session_arm(struct session *s)
{
	uint64_t t0 = clock_mono_ns(), t1;
	char err[256], btf_path[64];
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	int btf_fd, ret;

	ret = check_attachable(s);
	if (ret)
		return ret;
	/* Without it, libbpf finds the fentry targets by name: slower, same result. */
	attach_use_btf(s->offer.btf_vmlinux, s->offer.btf_dm);
	btf_fd = custom_btf(s, btf_path, sizeof(btf_path));
	if (btf_fd < -1)
		return fail(s, "cannot read dm_mod's BTF from /sys/kernel/btf", strerror(-btf_fd),
			    btf_fd);
	if (btf_fd >= 0)
		open_opts.btf_custom_path = btf_path;
	s->skel = dmswap_bpf__open_opts(&open_opts);
	if (!s->skel) {
		ret = -errno;
		if (btf_fd >= 0)
			close(btf_fd);
		return fail(s, "cannot open the BPF object", strerror(-ret), ret);
	}
	s->skel->rodata->self_tgid = getpid();
	s->skel->rodata->inv_mask = invariant_mask();
	for_each_invariant (inv)
		s->skel->rodata->rule_off[inv->n] = invariant_rules_off(inv, s->res, NULL, 0);
	ret = attach_prepare(s->skel->obj, s->res, err, sizeof(err));
	if (ret) {
		if (btf_fd >= 0)
			close(btf_fd);
		return fail(s, "cannot prepare the probes", err, ret);
	}
	/*
	 * The loader's BTF has served (probe resolution, attach targets): free
	 * it before libbpf parses its own copy, so that the two are never in
	 * memory together (peak RSS) and ours does not stay (RSS).  Only
	 * `coverage` asks it about fields, and coverage never arms.
	 */
	attach_use_btf(NULL, NULL);
	btf__free(s->offer.btf_dm);
	btf__free(s->offer.btf_vmlinux);
	s->offer.btf_dm = s->offer.btf_vmlinux = NULL;
	if (verbose)
		verifier_stats_request(s->skel->obj);
	/* libbpf reads the custom BTF at load, not at open. */
	ret = dmswap_bpf__load(s->skel);
	if (btf_fd >= 0)
		close(btf_fd);
	if (ret)
		return fail(s, "cannot load the BPF programs", strerror(-ret), ret);
	t1 = clock_mono_ns();
	if (verbose)
		verifier_stats_print(s->skel->obj);
	s->load_ns = t1 - t0;
	ret = attach_all(s->skel->obj, s->res, &s->links, err, sizeof(err));
	if (ret)
		return fail(s, "cannot attach", err, ret);
	if (!s->links.nr_fentry && !s->links.nr_kprobe)
		return fail(s, "nothing could be attached", "no hook has a program", 0);
	s->armed_ns = clock_mono_ns();
	s->attach_ns = s->armed_ns - t1;
	if (verbose)
		fprintf(stderr,
			"dmswap-trace: start-up: resolve %.1f ms, open+load %.1f ms, attach %.1f "
			"ms\n",
			s->resolve_ns / 1e6, s->load_ns / 1e6, s->attach_ns / 1e6);
	return EXIT_OK;
}

uint64_t session_counter(struct session *s, unsigned int which)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t sum = 0;
	uint64_t *vals;

	if (!s->skel || ncpu <= 0)
		return 0;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.counters), &which, vals)) {
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
	} else if (!s->counters_failed) {
		/* Said once: dropped events would otherwise read as none. */
		fprintf(stderr, "dmswap-trace: warning: cannot read the BPF counters: %s\n",
			strerror(errno));
		s->counters_failed = true;
	}
	free(vals);
	return sum;
}

void session_close(struct session *s)
{
	attach_destroy(&s->links);
	dmswap_bpf__destroy(s->skel);
	s->skel = NULL;
	offer_free(&s->offer);
	free(s->res);
	s->res = NULL;
}
