// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "strset.h"

int strset_add(struct strset *set, const char *s, size_t n)
{
	char *copy;

	if (set->len == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		char **items = realloc(set->items, cap * sizeof(*items));

		if (!items)
			return -1;
		set->items = items;
		set->cap = cap;
	}
	copy = strndup(s, n);
	if (!copy)
		return -1;
	set->items[set->len++] = copy;
	set->sorted = false;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strset_sort(struct strset *set)
{
	if (set->len)
		qsort(set->items, set->len, sizeof(*set->items), cmp_str);
	set->sorted = true;
}

bool strset_has(const struct strset *set, const char *s)
{
	if (!set->sorted) {
		for (size_t i = 0; i < set->len; i++)
			if (!strcmp(set->items[i], s))
				return true;
		return false;
	}
	return set->len && bsearch(&s, set->items, set->len, sizeof(*set->items), cmp_str);
}

void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->len; i++)
		free(set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}
