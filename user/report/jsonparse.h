/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON parser (RFC 8259) for reading our own JSON lines back.
 *
 * The tree lives in a reusable struct jp_doc: nodes in one array, in
 * document order, decoded strings in one buffer; parsing line after line
 * into the same doc allocates nothing once it has grown to the longest
 * line.  Values point into the doc and stay valid until the next parse.
 *
 * Strict: one value, then only whitespace; no comments, no trailing
 * commas, no NaN, no leading zeros; strings must be valid UTF-8 without raw
 * control characters; \uXXXX escapes (surrogate pairs included) decode to
 * UTF-8 and a lone surrogate is an error.  Nesting is limited to
 * JP_MAX_DEPTH arrays/objects.  An object with a key given twice is an
 * error (jp_err_duplicate_key): readers differ on which one counts.
 */
#ifndef DMSWAP_JSONPARSE_H
#define DMSWAP_JSONPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JP_MAX_DEPTH 32

enum jp_type {
	JP_NULL,
	JP_BOOL,
	JP_NUMBER,
	JP_STRING,
	JP_ARRAY,
	JP_OBJECT,
};

/* How a number was written, hence which accessors are exact. */
enum jp_num {
	JP_NUM_INT, /* an integer that fits int64_t */
	JP_NUM_UINT, /* an integer past INT64_MAX that fits uint64_t */
	JP_NUM_REAL, /* a fraction, an exponent, or an integer too large */
};

struct jp_value {
	enum jp_type type;
	enum jp_num num;
	uint32_t size; /* nodes in this subtree, itself included */
	uint32_t count; /* members of an object or array */
	const char *key; /* for object members: the decoded key */
	size_t key_len;
	const char *str; /* JP_STRING: decoded, NUL-terminated */
	size_t str_len; /* may hold NULs (from \u0000) */
	union {
		bool b;
		int64_t i;
		uint64_t u;
	};
	double d; /* every number, also integers */
};

struct jp_doc {
	struct jp_value *nodes;
	size_t nr_nodes;
	size_t cap_nodes;
	char *strbuf;
	size_t strbuf_cap;
};

struct jp_error {
	size_t offset; /* byte offset into the input */
	const char *msg; /* a static string */
};

/* The error message (same pointer) of an object with a duplicate key. */
extern const char jp_err_duplicate_key[];

void jp_doc_init(struct jp_doc *doc);
void jp_doc_free(struct jp_doc *doc);

/*
 * Parse @len bytes of @text (need not be NUL-terminated).  Returns the root
 * value, or NULL with @err set (offset and message; "out of memory" too).
 */
const struct jp_value *jp_parse(struct jp_doc *doc, const char *text, size_t len,
				struct jp_error *err);

/*
 * Every accessor accepts NULL (an absent member) and answers "absent" or
 * false for it; jp_type(NULL) is JP_NULL, so tell null from absent with
 * jp_is_null().
 */
enum jp_type jp_type(const struct jp_value *v);
const char *jp_type_name(enum jp_type t);
bool jp_is_null(const struct jp_value *v);

/* Object member by key, NULL if absent or not an object. */
const struct jp_value *jp_get(const struct jp_value *obj, const char *key);
/* Members of an array or object; 0 for anything else. */
size_t jp_len(const struct jp_value *v);
/* Element @i of an array or member @i of an object (its key in ->key). */
const struct jp_value *jp_at(const struct jp_value *v, size_t i);
/* Iteration: first member, then the member after @v (NULL at the end). */
const struct jp_value *jp_first(const struct jp_value *v);
const struct jp_value *jp_next(const struct jp_value *parent, const struct jp_value *v);

/* NULL unless a string; @len (may be NULL) gets the length. */
const char *jp_str(const struct jp_value *v, size_t *len);
/* False unless the value is a number exactly representable in the type. */
bool jp_int64(const struct jp_value *v, int64_t *out);
bool jp_uint64(const struct jp_value *v, uint64_t *out);
/* Any number (integers past 2^53 lose precision). */
bool jp_double(const struct jp_value *v, double *out);
bool jp_bool(const struct jp_value *v, bool *out);

/* Member shortcuts: the member's string, or NULL if absent/not a string. */
const char *jp_get_str(const struct jp_value *obj, const char *key, size_t *len);

/*
 * True if @s holds valid UTF-8 (no overlongs, surrogates, or values past
 * U+10FFFF); else false with the offset of the first bad byte in @bad.
 */
bool jp_utf8_valid(const char *s, size_t len, size_t *bad);

#endif /* DMSWAP_JSONPARSE_H */
