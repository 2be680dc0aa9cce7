// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms.h"

struct ksym {
	uint64_t addr;
	char *name; /* "name" or "name [module]" */
};

struct ksym_table {
	struct ksym *syms;
	size_t len;
	size_t cap;
};

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct ksym_table *ksym_load(FILE *f)
{
	struct ksym_table *t = calloc(1, sizeof(*t));
	char line[512];

	if (!t)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char type, name[256], module[128] = "";
		uint64_t addr;
		int n = sscanf(line, "%" SCNx64 " %c %255s [%127[^]]]", &addr, &type, name, module);

		if (n < 3 || !addr || (type != 't' && type != 'T'))
			continue;
		if (t->len == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 4096;
			struct ksym *s = realloc(t->syms, cap * sizeof(*s));

			if (!s)
				break;
			t->syms = s;
			t->cap = cap;
		}
		if (module[0]) {
			size_t need = strlen(name) + strlen(module) + 4;
			char *full = malloc(need);

			if (full)
				snprintf(full, need, "%s [%s]", name, module);
			t->syms[t->len].name = full;
		} else {
			t->syms[t->len].name = strdup(name);
		}
		if (!t->syms[t->len].name)
			break;
		t->syms[t->len++].addr = addr;
	}
	qsort(t->syms, t->len, sizeof(*t->syms), cmp_addr);
	return t;
}

void ksym_format(const struct ksym_table *t, uint64_t addr, char *buf, size_t len)
{
	size_t lo = 0, hi = t ? t->len : 0;
	const struct ksym *s;
	const char *mod;

	/* Last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(buf, len, "0x%" PRIx64, addr);
		return;
	}
	s = &t->syms[lo - 1];
	/* Gaps of over 1 MiB are not the symbol's: trampolines, BPF programs. */
	if (addr - s->addr > (1u << 20)) {
		snprintf(buf, len, "0x%" PRIx64, addr);
		return;
	}
	mod = strchr(s->name, ' ');
	if (mod)
		snprintf(buf, len, "%.*s+0x%" PRIx64 "%s", (int)(mod - s->name), s->name,
			 addr - s->addr, mod);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, s->name, addr - s->addr);
}

int ksym_is_bpf(const char *formatted)
{
	size_t len = strlen(formatted);

	return len >= 5 && !strcmp(formatted + len - 5, "[bpf]");
}

void ksym_free(struct ksym_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->len; i++)
		free(t->syms[i].name);
	free(t->syms);
	free(t);
}

static struct ksym_table *running;
static bool loaded;
static int kept_fd = -1;
static uint64_t modules_seen; /* /proc/modules' signature when the table was read */
static const char *kallsyms_path = "/proc/kallsyms", *modules_path = "/proc/modules";

static void free_running(void)
{
	ksym_free(running);
	running = NULL;
	if (kept_fd >= 0)
		close(kept_fd);
	kept_fd = -1;
}

void ksym_set_sources(const char *kallsyms, const char *modules)
{
	free_running();
	loaded = false;
	kallsyms_path = kallsyms ? kallsyms : "/proc/kallsyms";
	modules_path = modules ? modules : "/proc/modules";
}

int ksym_keep_open(void)
{
	if (kept_fd < 0)
		kept_fd = open(kallsyms_path, O_RDONLY | O_CLOEXEC);
	return kept_fd < 0 ? -errno : 0;
}

/*
 * FNV-1a of each module's name, size and state (not its address, which
 * reads as 0 without privilege): changes when one is loaded, unloaded or
 * goes live.  Readable by anyone; 0 if not (then read once).
 */
static uint64_t modules_signature(void)
{
	FILE *f = fopen(modules_path, "re");
	uint64_t h = 1469598103934665603ull;
	char line[512], name[128], state[16];
	unsigned long size;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %lu %*s %*s %15s", name, &size, state) != 3)
			continue;
		snprintf(line, sizeof(line), "%s %lu %s;", name, size, state);
		for (const char *p = line; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
	}
	fclose(f);
	return h;
}

static FILE *open_kallsyms(void)
{
	int fd;

	if (kept_fd < 0)
		return fopen(kallsyms_path, "re");
	/* From the start again: seq_file restarts its walk at offset 0. */
	if (lseek(kept_fd, 0, SEEK_SET) < 0)
		return NULL;
	fd = fcntl(kept_fd, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? NULL : fdopen(fd, "re");
}

const struct ksym_table *ksym_running(void)
{
	static bool registered;
	uint64_t sig = modules_signature();
	struct ksym_table *t;
	FILE *f;

	if (loaded && sig == modules_seen)
		return running;
	loaded = true;
	modules_seen = sig;
	if (!registered) {
		atexit(free_running);
		registered = true;
	}
	f = open_kallsyms();
	if (!f)
		return running;
	t = ksym_load(f);
	fclose(f);
	/* A failed reload keeps the table there was. */
	if (t) {
		ksym_free(running);
		running = t;
	}
	return running;
}
