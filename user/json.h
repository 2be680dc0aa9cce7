/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON writer into a growing buffer; one object per output line. */
#ifndef DMSWAP_JSON_H
#define DMSWAP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 8

struct json {
	char *buf;
	size_t len;
	size_t cap;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool failed; /* out of memory: the line is dropped */
};

void json_reset(struct json *j);
void json_free(struct json *j);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
/* Keyed members; a NULL key writes a bare value (inside arrays). */
void json_key_object(struct json *j, const char *key);
void json_str(struct json *j, const char *key, const char *val);
void json_strn(struct json *j, const char *key, const char *val, size_t len);
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

#endif /* DMSWAP_JSON_H */
