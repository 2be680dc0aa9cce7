// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <time.h>

#include "clock.h"

static int64_t wall_minus_mono;

static uint64_t read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void clock_sync(void)
{
	uint64_t mono = read_ns(CLOCK_MONOTONIC);

	wall_minus_mono = (int64_t)(read_ns(CLOCK_REALTIME) - mono);
}

uint64_t clock_mono_ns(void)
{
	return read_ns(CLOCK_MONOTONIC);
}

uint64_t clock_wall_of_mono(uint64_t mono_ns)
{
	return mono_ns + wall_minus_mono;
}

static void format(char *buf, size_t len, uint64_t wall_ns, const char *fmt, int utc)
{
	time_t sec = wall_ns / 1000000000ull;
	struct tm tm;
	char base[32];

	if (utc)
		gmtime_r(&sec, &tm);
	else
		localtime_r(&sec, &tm);
	strftime(base, sizeof(base), fmt, &tm);
	snprintf(buf, len, "%s.%06llu%s", base,
		 (unsigned long long)(wall_ns % 1000000000ull) / 1000, utc ? "Z" : "");
}

void clock_format_iso(char *buf, size_t len, uint64_t wall_ns)
{
	format(buf, len, wall_ns, "%Y-%m-%dT%H:%M:%S", 1);
}

void clock_format_hms(char *buf, size_t len, uint64_t wall_ns)
{
	format(buf, len, wall_ns, "%H:%M:%S", 0);
}
