// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"

static void append(struct json *j, const char *s, size_t n)
{
	if (j->failed)
		return;
	if (j->len + n + 1 > j->cap) {
		size_t cap = j->cap ? j->cap : 512;
		char *buf;

		while (j->len + n + 1 > cap)
			cap *= 2;
		buf = realloc(j->buf, cap);
		if (!buf) {
			j->failed = true;
			return;
		}
		j->buf = buf;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void append_str(struct json *j, const char *s)
{
	append(j, s, strlen(s));
}

static void quoted(struct json *j, const char *s, size_t n)
{
	char stackbuf[1024];
	size_t need = ESCAPE_JSON_MAX(n);
	char *out = need <= sizeof(stackbuf) ? stackbuf : malloc(need);

	if (!out) {
		j->failed = true;
		return;
	}
	append(j, "\"", 1);
	append(j, out, escape_json(out, need, s, n));
	append(j, "\"", 1);
	if (out != stackbuf)
		free(out);
}

/* Comma and key before a member. */
static void member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		append(j, ",", 1);
	j->need_comma[j->depth] = true;
	if (key) {
		quoted(j, key, strlen(key));
		append(j, ":", 1);
	}
}

static void push(struct json *j, const char *open)
{
	append_str(j, open);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	else
		j->failed = true;
	j->need_comma[j->depth] = false;
}

void json_reset(struct json *j)
{
	j->len = 0;
	j->depth = 0;
	j->failed = false;
	memset(j->need_comma, 0, sizeof(j->need_comma));
	if (j->buf)
		j->buf[0] = '\0';
}

void json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof(*j));
}

void json_object_begin(struct json *j)
{
	if (j->depth)
		member(j, NULL);
	push(j, "{");
}

void json_key_object(struct json *j, const char *key)
{
	member(j, key);
	push(j, "{");
}

void json_object_end(struct json *j)
{
	append(j, "}", 1);
	if (j->depth)
		j->depth--;
}

void json_array_begin(struct json *j, const char *key)
{
	member(j, key);
	push(j, "[");
}

void json_array_end(struct json *j)
{
	append(j, "]", 1);
	if (j->depth)
		j->depth--;
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_strn(j, key, val, strlen(val));
}

void json_strn(struct json *j, const char *key, const char *val, size_t len)
{
	member(j, key);
	quoted(j, val, strnlen(val, len));
}

void json_int(struct json *j, const char *key, int64_t val)
{
	char buf[32];

	member(j, key);
	append(j, buf, snprintf(buf, sizeof(buf), "%" PRId64, val));
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	char buf[32];

	member(j, key);
	append(j, buf, snprintf(buf, sizeof(buf), "%" PRIu64, val));
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	append_str(j, val ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	append_str(j, "null");
}
