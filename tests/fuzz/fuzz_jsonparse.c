// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the strict JSON parser (user/report/jsonparse.c): the input
 * is one JSON text, as a log line.  Beyond the sanitizers (ASan, UBSan, LSan)
 * it checks what the parser promises, so that a wrong answer is a finding
 * too, not only a crash:
 *
 *  - the tree is consistent: subtree sizes add up, counts match what the
 *    accessors iterate, keys only in objects, depth within JP_MAX_DEPTH;
 *  - decoded strings and keys are valid UTF-8 and NUL-terminated;
 *  - numbers are finite, and each accessor answers as the kind says;
 *  - reusing a doc that already holds a (shorter) parse gives the same
 *    answer as a fresh one (the report parses every line into one doc);
 *  - the tree written back as JSON (strings by escape_json(), as the logs
 *    are written) parses to the same tree.
 *
 * Deterministic: no state survives an iteration, every doc is freed.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report/jsonparse.h"

/* A broken promise: say which, and abort so that libFuzzer keeps the input. */
#define ENSURE(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_jsonparse: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A growing output buffer for the tree written back. */
struct out {
	char *buf;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;

		o->buf = realloc(o->buf, cap);
		ENSURE(o->buf);
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/*
 * A string as escape_json() writes it.  It stops at a NUL (log strings are
 * C strings): each NUL is written as \u0000 between the runs it escapes.
 */
static void put_string(struct out *o, const char *s, size_t n)
{
	size_t cap = ESCAPE_JSON_MAX(n);
	char *esc = malloc(cap);

	ENSURE(esc);
	put(o, "\"", 1);
	for (size_t i = 0;;) {
		size_t run = strnlen(s + i, n - i);

		put(o, esc, escape_json(esc, cap, s + i, run));
		i += run;
		if (i == n)
			break;
		put(o, "\\u0000", 6);
		i++;
	}
	put(o, "\"", 1);
	free(esc);
}

static void write_value(struct out *o, const struct jp_value *v)
{
	char num[64];
	int n = 0;

	switch (v->type) {
	case JP_NULL:
		put(o, "null", 4);
		return;
	case JP_BOOL:
		put(o, v->b ? "true" : "false", v->b ? 4 : 5);
		return;
	case JP_NUMBER:
		if (v->num == JP_NUM_INT)
			n = snprintf(num, sizeof(num), "%lld", (long long)v->i);
		else if (v->num == JP_NUM_UINT)
			n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v->u);
		else
			n = snprintf(num, sizeof(num), "%.17g", v->d);
		put(o, num, n);
		return;
	case JP_STRING:
		put_string(o, v->str, v->str_len);
		return;
	case JP_ARRAY:
	case JP_OBJECT:
		put(o, v->type == JP_OBJECT ? "{" : "[", 1);
		for (const struct jp_value *c = jp_first(v); c; c = jp_next(v, c)) {
			if (c != jp_first(v))
				put(o, ",", 1);
			if (v->type == JP_OBJECT) {
				put_string(o, c->key, c->key_len);
				put(o, ":", 1);
			}
			write_value(o, c);
		}
		put(o, v->type == JP_OBJECT ? "}" : "]", 1);
		return;
	}
	ENSURE(!"unknown type");
}

static void check_text(const char *s, size_t n)
{
	ENSURE(s);
	ENSURE(s[n] == '\0');
	ENSURE(jp_utf8_valid(s, n, NULL));
}

static void check_number(const struct jp_value *v)
{
	int64_t i;
	uint64_t u;
	double d;

	ENSURE(jp_double(v, &d) && d == v->d && isfinite(d));
	switch (v->num) {
	case JP_NUM_INT:
		ENSURE(jp_int64(v, &i) && i == v->i);
		ENSURE(jp_uint64(v, &u) == (v->i >= 0));
		break;
	case JP_NUM_UINT:
		ENSURE(!jp_int64(v, &i));
		ENSURE(jp_uint64(v, &u) && u == v->u && u > (uint64_t)INT64_MAX);
		break;
	case JP_NUM_REAL:
		ENSURE(!jp_int64(v, &i) && !jp_uint64(v, &u));
		break;
	default:
		ENSURE(!"unknown number kind");
	}
}

/* Check @v and its subtree; the number of nodes in it. */
static size_t check_tree(const struct jp_value *v, int depth)
{
	size_t nodes = 1, i = 0;
	bool b;

	ENSURE(jp_type(v) == v->type);
	ENSURE(jp_bool(v, &b) == (v->type == JP_BOOL));
	ENSURE(jp_is_null(v) == (v->type == JP_NULL));
	ENSURE((jp_str(v, NULL) != NULL) == (v->type == JP_STRING));
	ENSURE(strcmp(jp_type_name(v->type), "unknown"));
	if (v->type == JP_NUMBER)
		check_number(v);
	if (v->type == JP_STRING)
		check_text(v->str, v->str_len);
	if (v->type != JP_ARRAY && v->type != JP_OBJECT) {
		ENSURE(v->size == 1 && jp_len(v) == 0 && !jp_first(v) && !jp_at(v, 0));
		return 1;
	}
	ENSURE(depth < JP_MAX_DEPTH);
	ENSURE(jp_len(v) == v->count);
	for (const struct jp_value *c = jp_first(v); c; c = jp_next(v, c), i++) {
		ENSURE(jp_at(v, i) == c);
		if (v->type == JP_OBJECT) {
			check_text(c->key, c->key_len);
			/* jp_get() finds the first member of that key (C keys only). */
			if (strlen(c->key) == c->key_len) {
				const struct jp_value *g = jp_get(v, c->key);

				ENSURE(g && g <= c && g->key_len == c->key_len &&
				       !memcmp(g->key, c->key, c->key_len));
			}
		} else {
			ENSURE(!c->key);
		}
		nodes += check_tree(c, depth + 1);
	}
	ENSURE(i == v->count);
	ENSURE(!jp_at(v, i));
	ENSURE(nodes == v->size);
	return nodes;
}

/*
 * Same trees?  @exact: @b is @a parsed again, everything equal; else @b is
 * @a written back, where a real may come back as an integer of the same
 * value ("1.0" is written "1").
 */
static void same_tree(const struct jp_value *a, const struct jp_value *b, bool exact)
{
	ENSURE(a->type == b->type && a->size == b->size && a->count == b->count);
	ENSURE(!a->key == !b->key);
	if (a->key)
		ENSURE(a->key_len == b->key_len && !memcmp(a->key, b->key, a->key_len));
	switch (a->type) {
	case JP_BOOL:
		ENSURE(a->b == b->b);
		break;
	case JP_NUMBER:
		if (exact || a->num != JP_NUM_REAL)
			ENSURE(a->num == b->num);
		if (a->num == JP_NUM_INT)
			ENSURE(a->i == b->i);
		else if (a->num == JP_NUM_UINT)
			ENSURE(a->u == b->u);
		ENSURE(a->d == b->d);
		break;
	case JP_STRING:
		ENSURE(a->str_len == b->str_len && !memcmp(a->str, b->str, a->str_len));
		break;
	default:
		break;
	}
	for (const struct jp_value *c = jp_first(a), *d = jp_first(b); c || d;
	     c = jp_next(a, c), d = jp_next(b, d)) {
		ENSURE(c && d);
		same_tree(c, d, exact);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct jp_doc fresh, reused, back;
	struct jp_error err, err2;
	const struct jp_value *v, *w;
	struct out o = {};

	jp_doc_init(&fresh);
	jp_doc_init(&reused);
	jp_doc_init(&back);

	v = jp_parse(&fresh, text, size, &err);
	if (!v) {
		ENSURE(err.msg && err.offset <= size);
	} else {
		ENSURE(!err.msg);
		check_tree(v, 0);
	}

	/* A doc that held a parse of the first half answers the same. */
	jp_parse(&reused, text, size / 2, &err2);
	w = jp_parse(&reused, text, size, &err2);
	ENSURE(!v == !w);
	if (v)
		same_tree(v, w, true);
	else
		ENSURE(err2.offset == err.offset && !strcmp(err2.msg, err.msg));

	if (v) {
		write_value(&o, v);
		w = jp_parse(&back, o.buf, o.len, &err2);
		if (!w)
			fprintf(stderr, "fuzz_jsonparse: written back: %s at %zu: %s\n", err2.msg,
				err2.offset, o.buf);
		ENSURE(w);
		same_tree(v, w, false);
	}

	free(o.buf);
	jp_doc_free(&fresh);
	jp_doc_free(&reused);
	jp_doc_free(&back);
	return 0;
}
