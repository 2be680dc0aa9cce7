// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "exitcode.h"
#include "json.h"
#include "run.h"

static volatile pid_t child_pid;
static volatile sig_atomic_t child_signal;
static volatile sig_atomic_t stop_signals; /* SIGINT/SIGTERM received */

/* Signals meant for the run go to COMMAND; we stop when it does. */
static void forward_signal(int sig)
{
	bool stop = sig == SIGINT || sig == SIGTERM;

	child_signal = sig;
	if (stop && stop_signals++ && child_pid > 0) {
		kill(child_pid, SIGKILL);
		return;
	}
	if (child_pid > 0)
		kill(child_pid, sig);
}

/*
 * SIGHUP too: a hang-up meant for the run (its terminal closed) reaches
 * COMMAND as it would without the tool; so run never reopens its --log.
 */
void run_forward_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_handler = forward_signal };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * Fork COMMAND, held until go() (or the end of @go_fd, if this process
 * dies first: then it does not run): forked now, it keeps every capability
 * this process has (its exec transforms them as it would without the
 * tool), and it starts only once this process has dropped them and said it
 * is armed.
 */
static pid_t spawn(char **argv, int *go_fd)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid) {
		close(p[0]);
		if (pid < 0)
			close(p[1]);
		*go_fd = p[1];
		return pid;
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		_exit(126);
	close(p[0]);
	/* The child: default signal handling back, then COMMAND. */
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "dmswap-trace: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Write the summary and rename it into place: 0 or -errno. */
static int write_summary(struct outfile *o, const struct summary *sum, char **argv, int status,
			 uint64_t duration_ns)
{
	struct json j = {};

	json_reset(&j);
	json_object_begin(&j);
	json_array_begin(&j, "command");
	for (char **a = argv; *a; a++)
		json_str(&j, NULL, *a);
	json_array_end(&j);
	json_int(&j, "command_status", status);
	json_uint(&j, "duration_ns", duration_ns);
	json_uint(&j, "violations", sum->violations);
	json_by_inv(&j, "by_inv", sum->by_inv, false);
	json_uint(&j, "swaps", sum->by_type[DMSWAP_EV_SWAP]);
	json_uint(&j, "events", sum->events);
	json_uint(&j, "dropped", sum->dropped);
	json_uint(&j, "state_full", sum->state_full);
	json_object_end(&j);
	if (j.failed) {
		json_free(&j);
		outfile_abort(o);
		return -ENOMEM;
	}
	errno = 0;
	fprintf(o->f, "%s\n", j.buf);
	json_free(&j);
	return outfile_commit(o);
}

int run_command(struct session *s, const struct watch_opts *wopts, const struct run_opts *ropts,
		struct sink *sink)
{
	uint64_t start = clock_mono_ns();
	struct caps_drop caps;
	struct summary sum;
	struct watch w;
	int go;
	uint64_t kill_at = 0;
	bool killed = false;
	int status = 0, ret;
	pid_t pid;

	ret = watch_open(&w, s, wopts, sink);
	if (ret)
		return EXIT_USAGE;
	/* Armed: COMMAND is forked with our capabilities, then held. */
	pid = spawn(ropts->argv, &go);
	if (pid < 0) {
		fprintf(stderr, "dmswap-trace: fork: %s\n", strerror(errno));
		watch_close(&w, NULL);
		return EXIT_USAGE;
	}
	child_pid = pid;
	/* This process needs none from now on; COMMAND starts only then. */
	watch_drop_caps(&caps);
	watch_start(&w, &caps);
	if (write(go, "g", 1) != 1)
		fprintf(stderr, "dmswap-trace: cannot start %s: %s\n", ropts->argv[0],
			strerror(errno));
	close(go);
	/* A signal that came before child_pid was set: pass it on now. */
	if (child_signal)
		kill(pid, child_signal);
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);

		if (done == pid || (done < 0 && errno != EINTR))
			break;
		watch_poll(&w, 100);
		/* --kill-after: the clock starts at the first stop signal seen. */
		if (stop_signals && ropts->kill_after_s > 0 && !kill_at)
			kill_at = clock_mono_ns() + (uint64_t)(ropts->kill_after_s * 1e9);
		if (kill_at && clock_mono_ns() >= kill_at && !killed) {
			fprintf(stderr,
				"dmswap-trace: %s did not stop within --kill-after %g s: "
				"killed\n",
				ropts->argv[0], ropts->kill_after_s);
			kill(pid, SIGKILL);
			killed = true;
		}
	}
	child_pid = 0;
	watch_close(&w, &sum);

	if (WIFSIGNALED(status))
		ret = 128 + WTERMSIG(status);
	else
		ret = WEXITSTATUS(status);
	if (ropts->summary) {
		int err = write_summary(ropts->summary, &sum, ropts->argv, ret,
					clock_mono_ns() - start);

		if (err) {
			fprintf(stderr, "dmswap-trace: --summary: cannot write %s: %s\n",
				ropts->summary_path, outfile_strerror(-err));
			return EXIT_USAGE;
		}
	}
	if (sum.violations && ropts->error_exitcode)
		return ropts->error_exitcode;
	return ret;
}
