/* SPDX-License-Identifier: GPL-2.0 */
/* A set of strings: append, then sort once, then look up by bsearch. */
#ifndef DMSWAP_STRSET_H
#define DMSWAP_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **items;
	size_t len;
	size_t cap;
	bool sorted;
};

int strset_add(struct strset *set, const char *s, size_t n);
void strset_sort(struct strset *set);
bool strset_has(const struct strset *set, const char *s);
void strset_free(struct strset *set);

#endif /* DMSWAP_STRSET_H */
