// SPDX-License-Identifier: GPL-2.0
/* What the sinks share beyond the chain (sink.h's inline functions). */
#include <inttypes.h>
#include <stdio.h>

#include "sink.h"

void sink_say_unwritten(const char *path, uint64_t write_errors, uint64_t torn_records)
{
	if (!write_errors)
		return;
	fprintf(stderr,
		"dmswap-trace: %s: %" PRIu64 " records could not be written (%" PRIu64
		" of them left as an incomplete line)\n",
		path, write_errors, torn_records);
}
