// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "escape.h"
#include "ratelimit.h"

bool ratelimit_allow(struct ratelimit *rl, uint32_t inv, const char *dev)
{
	struct ratelimit_key *k = NULL;

	if (!rl || !rl->burst)
		return true;
	for (size_t i = 0; i < rl->nr_keys && !k; i++)
		if (rl->keys[i].inv == inv && !strcmp(rl->keys[i].dev, dev))
			k = &rl->keys[i];
	if (!k) {
		/* Out of keys: never hide what cannot be counted. */
		if (rl->nr_keys == RATELIMIT_KEYS) {
			rl->untracked++;
			return true;
		}
		k = &rl->keys[rl->nr_keys++];
		snprintf(k->dev, sizeof(k->dev), "%s", dev);
		k->inv = inv;
	}
	if (k->shown < rl->burst) {
		k->shown++;
		return true;
	}
	k->suppressed++;
	return false;
}

void ratelimit_report(const struct ratelimit *rl, FILE *out, const char *prefix)
{
	for (size_t i = 0; rl && i < rl->nr_keys; i++) {
		const struct ratelimit_key *k = &rl->keys[i];
		char dev[ESCAPE_TERM_MAX(DMSWAP_NAME_LEN)];

		if (!k->suppressed)
			continue;
		escape_term(dev, sizeof(dev), k->dev, sizeof(k->dev));
		fprintf(out,
			"%sdmswap-trace: INV-%u on %s: %" PRIu64 " more violations not shown "
			"(rate limit %u; all are in the log and the metrics)\n",
			prefix, k->inv, dev, k->suppressed, rl->burst);
	}
}
