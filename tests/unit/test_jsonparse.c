// SPDX-License-Identifier: GPL-2.0
/* The strict JSON parser that reads logs back. */
#include <math.h>
#include <stdlib.h>

#include "report/jsonparse.h"
#include "unit.h"

/* Parse a C string; NULL on error, with the error in @err. */
static const struct jp_value *parse(struct jp_doc *doc, const char *s, struct jp_error *err)
{
	return jp_parse(doc, s, strlen(s), err);
}

/* The byte offset of the error @s gives, or -1 if it parses. */
static long err_at(const char *s, const char **msg)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v;

	jp_doc_init(&doc);
	v = parse(&doc, s, &err);
	jp_doc_free(&doc);
	if (msg)
		*msg = err.msg;
	return v ? -1 : (long)err.offset;
}

TEST(jp_tree_api)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v, *a, *o;
	const char *s;
	size_t n;
	bool b;
	int64_t i;

	jp_doc_init(&doc);
	v = parse(&doc,
		  " {\"kind\":\"event\", \"targets\":[\"crypt\",\"linear\",[]], "
		  "\"before\":{\"sectors\":2097152,\"zoned\":\"none\"}, \"dev\":null, "
		  "\"map_used\":true, \"in_swap\":false, \"x\":{}} \r\n",
		  &err);
	CHECK(v != NULL);
	CHECK_INT(jp_type(v), JP_OBJECT);
	CHECK_INT(jp_len(v), 7);
	CHECK_STR(jp_get_str(v, "kind", NULL), "event");
	a = jp_get(v, "targets");
	CHECK_INT(jp_type(a), JP_ARRAY);
	CHECK_INT(jp_len(a), 3);
	CHECK_STR(jp_str(jp_at(a, 1), &n), "linear");
	CHECK_INT(n, 6);
	CHECK_INT(jp_type(jp_at(a, 2)), JP_ARRAY);
	CHECK_INT(jp_len(jp_at(a, 2)), 0);
	CHECK(jp_at(a, 3) == NULL);
	/* The member after a nested container is found past its subtree. */
	o = jp_get(v, "before");
	CHECK(jp_int64(jp_get(o, "sectors"), &i));
	CHECK_INT(i, 2097152);
	CHECK_STR(jp_get_str(o, "zoned", NULL), "none");
	CHECK(jp_is_null(jp_get(v, "dev")));
	CHECK(!jp_is_null(jp_get(v, "absent")));
	CHECK(jp_get(v, "absent") == NULL);
	CHECK(jp_bool(jp_get(v, "map_used"), &b) && b);
	CHECK(jp_bool(jp_get(v, "in_swap"), &b) && !b);
	CHECK_INT(jp_len(jp_get(v, "x")), 0);
	/* Iteration in document order, keys included. */
	n = 0;
	for (const struct jp_value *m = jp_first(v); m; m = jp_next(v, m))
		n++;
	CHECK_INT(n, 7);
	CHECK_STR(jp_at(v, 6)->key, "x");
	/* Wrong types answer "absent", NULL too. */
	CHECK(jp_str(jp_get(v, "before"), NULL) == NULL);
	CHECK(!jp_int64(jp_get(v, "kind"), &i));
	CHECK(jp_get(a, "kind") == NULL);
	CHECK(jp_get(NULL, "kind") == NULL);
	CHECK_INT(jp_len(NULL), 0);
	s = jp_get_str(NULL, "kind", NULL);
	CHECK(s == NULL);
	jp_doc_free(&doc);
}

TEST(jp_string_escapes)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v;
	const char *s;
	size_t n;

	jp_doc_init(&doc);
	v = parse(&doc, "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"", &err);
	CHECK_STR(jp_str(v, NULL), "q\" b\\ s/ \b\f\n\r\t");
	/* \u to UTF-8: 1, 2 and 3 bytes, and a surrogate pair to 4. */
	v = parse(&doc, "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", &err);
	CHECK_STR(jp_str(v, NULL), "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Raw UTF-8 passes unchanged. */
	v = parse(&doc, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", &err);
	CHECK_STR(jp_str(v, NULL), "caf\xc3\xa9 \xf0\x9f\x98\x80");
	/* \u0000 is a NUL inside the string: the length tells. */
	v = parse(&doc, "\"a\\u0000b\"", &err);
	s = jp_str(v, &n);
	CHECK_INT(n, 3);
	CHECK(s && !memcmp(s, "a\0b", 4));
	/* Keys are decoded as well. */
	v = parse(&doc, "{\"k\\u00e9y\":1}", &err);
	CHECK(jp_get(v, "k\xc3\xa9y") != NULL);
	jp_doc_free(&doc);
}

TEST(jp_numbers)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v;
	int64_t i;
	uint64_t u;
	double d;

	jp_doc_init(&doc);
	v = parse(&doc,
		  "[0, -0, 42, -9223372036854775808, 9223372036854775807, 9223372036854775808, "
		  "18446744073709551615, 18446744073709551616, 1.5, -2.5e3, 1E2, 0.125e+1, 7e-1]",
		  &err);
	CHECK(v != NULL);
	CHECK(jp_int64(jp_at(v, 0), &i) && i == 0);
	CHECK(jp_int64(jp_at(v, 1), &i) && i == 0);
	CHECK(jp_uint64(jp_at(v, 2), &u) && u == 42);
	CHECK(jp_int64(jp_at(v, 3), &i) && i == INT64_MIN);
	CHECK(!jp_uint64(jp_at(v, 3), &u));
	CHECK(jp_int64(jp_at(v, 4), &i) && i == INT64_MAX);
	/* Past INT64_MAX: still exact as uint64_t. */
	CHECK(!jp_int64(jp_at(v, 5), &i));
	CHECK(jp_uint64(jp_at(v, 5), &u) && u == 9223372036854775808ull);
	CHECK(jp_uint64(jp_at(v, 6), &u) && u == UINT64_MAX);
	/* Past UINT64_MAX: only a double. */
	CHECK(!jp_uint64(jp_at(v, 7), &u));
	CHECK_INT(jp_at(v, 7)->num, JP_NUM_REAL);
	CHECK(jp_double(jp_at(v, 7), &d) && d == 18446744073709551616.0);
	CHECK(!jp_int64(jp_at(v, 8), &i));
	CHECK(jp_double(jp_at(v, 8), &d) && d == 1.5);
	CHECK(jp_double(jp_at(v, 9), &d) && d == -2500.0);
	/* An exponent makes a real even when the value is whole. */
	CHECK(!jp_int64(jp_at(v, 10), &i));
	CHECK(jp_double(jp_at(v, 10), &d) && d == 100.0);
	CHECK(jp_double(jp_at(v, 11), &d) && d == 1.25);
	CHECK(jp_double(jp_at(v, 12), &d) && fabs(d - 0.7) < 1e-12);
	CHECK(jp_double(jp_at(v, 2), &d) && d == 42.0);
	jp_doc_free(&doc);
}

TEST(jp_input_need_not_be_nul_terminated)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v;
	int64_t i;

	jp_doc_init(&doc);
	v = jp_parse(&doc, "123456", 3, &err);
	CHECK(jp_int64(v, &i) && i == 123);
	v = jp_parse(&doc, "\"ab\"cd", 4, &err);
	CHECK_STR(jp_str(v, NULL), "ab");
	v = jp_parse(&doc, "truex", 4, &err);
	CHECK_INT(jp_type(v), JP_BOOL);
	jp_doc_free(&doc);
}

TEST(jp_doc_is_reused)
{
	struct jp_doc doc;
	struct jp_error err;
	const struct jp_value *v;
	size_t cap;

	jp_doc_init(&doc);
	v = parse(&doc, "{\"a\":[1,2,3,4,5,6,7,8,9,10],\"b\":\"long enough string\"}", &err);
	CHECK_INT(jp_len(jp_get(v, "a")), 10);
	cap = doc.cap_nodes;
	v = parse(&doc, "{\"b\":\"x\"}", &err);
	CHECK_STR(jp_get_str(v, "b", NULL), "x");
	CHECK(jp_get(v, "a") == NULL);
	CHECK_INT(doc.cap_nodes, cap);
	/* A failed parse leaves the doc usable. */
	CHECK(parse(&doc, "{\"b\":", &err) == NULL);
	v = parse(&doc, "[true]", &err);
	CHECK_INT(jp_len(v), 1);
	jp_doc_free(&doc);
}

TEST(jp_rejects_bad_syntax_with_offsets)
{
	const char *msg;

	CHECK_INT(err_at("", &msg), 0);
	CHECK_STR(msg, "empty input");
	CHECK_INT(err_at("  \n", &msg), 3);
	CHECK_INT(err_at("{} x", &msg), 3);
	CHECK_STR(msg, "trailing characters after the value");
	CHECK_INT(err_at("{}{}", &msg), 2);
	CHECK_INT(err_at("[1,]", &msg), 3);
	CHECK_STR(msg, "unexpected character");
	CHECK_INT(err_at("{\"a\":1,}", &msg), 7);
	CHECK_STR(msg, "expected a string as object key");
	CHECK_INT(err_at("{a:1}", &msg), 1);
	CHECK_INT(err_at("{'a':1}", &msg), 1);
	CHECK_INT(err_at("{\"a\" 1}", &msg), 5);
	CHECK_STR(msg, "expected ':' after object key");
	CHECK_INT(err_at("{\"a\":1 \"b\":2}", &msg), 7);
	CHECK_STR(msg, "expected ',' or '}' in object");
	CHECK_INT(err_at("[1 2]", &msg), 3);
	CHECK_STR(msg, "expected ',' or ']' in array");
	CHECK_INT(err_at("{\"kind\":\"event\",\"ts\"", &msg), 20);
	CHECK_STR(msg, "unexpected end of input in object");
	CHECK_INT(err_at("[1,", &msg), 3);
	CHECK_STR(msg, "unexpected end of input");
	CHECK_INT(err_at("tru", &msg), 0);
	CHECK_STR(msg, "invalid literal");
	CHECK_INT(err_at("nul", NULL), 0);
	CHECK_INT(err_at("True", NULL), 0);
	CHECK_INT(err_at("NaN", NULL), 0);
	CHECK_INT(err_at("/* c */ 1", NULL), 0);
}

TEST(jp_rejects_bad_numbers)
{
	const char *msg;

	CHECK_INT(err_at("01", &msg), 0);
	CHECK_STR(msg, "leading zero in number");
	CHECK_INT(err_at("-", &msg), 0);
	CHECK_STR(msg, "invalid number");
	CHECK_INT(err_at("-a", NULL), 0);
	CHECK_INT(err_at("1.", &msg), 2);
	CHECK_STR(msg, "expected a digit after '.'");
	CHECK_INT(err_at(".5", NULL), 0);
	CHECK_INT(err_at("1e", &msg), 2);
	CHECK_STR(msg, "expected a digit in the exponent");
	CHECK_INT(err_at("1e+", NULL), 3);
	CHECK_INT(err_at("+1", NULL), 0);
	CHECK_INT(err_at("0x10", NULL), 1);
	CHECK_INT(err_at("[1e999]", &msg), 1);
	CHECK_STR(msg, "number out of range");
	CHECK_INT(err_at("1e-999", NULL), -1);
}

TEST(jp_rejects_bad_strings)
{
	const char *msg;

	CHECK_INT(err_at("\"abc", &msg), 0);
	CHECK_STR(msg, "unterminated string");
	CHECK_INT(err_at("\"abc\\", &msg), 0);
	CHECK_INT(err_at("\"a\tb\"", &msg), 2);
	CHECK_STR(msg, "control character in string");
	CHECK_INT(err_at("\"a\\xb\"", &msg), 2);
	CHECK_STR(msg, "invalid escape in string");
	CHECK_INT(err_at("\"\\u12g4\"", &msg), 5);
	CHECK_STR(msg, "invalid hex digit in \\u escape");
	CHECK_INT(err_at("\"\\u12", &msg), 1);
	CHECK_STR(msg, "truncated \\u escape");
	/* Surrogates only in pairs, high then low. */
	CHECK_INT(err_at("\"x\\ud83d\"", &msg), 2);
	CHECK_STR(msg, "unpaired high surrogate in \\u escape");
	CHECK_INT(err_at("\"\\ud83d\\u0041\"", &msg), 7);
	CHECK_STR(msg, "high surrogate not followed by a low one");
	CHECK_INT(err_at("\"\\ude00\"", &msg), 1);
	CHECK_STR(msg, "unpaired low surrogate in \\u escape");
	/* Raw bytes must be valid UTF-8: no stray, overlong or surrogate forms. */
	CHECK_INT(err_at("\"ab\xff\"", &msg), 3);
	CHECK_STR(msg, "invalid UTF-8 in string");
	CHECK_INT(err_at("\"\xc0\xaf\"", NULL), 1);
	CHECK_INT(err_at("\"\xed\xa0\x80\"", NULL), 1);
	CHECK_INT(err_at("\"\xe2\x82\"", NULL), 1);
}

TEST(jp_depth_limit)
{
	char deep[2 * (JP_MAX_DEPTH + 1) + 1];
	const char *msg;

	/* 32 levels parse, 33 do not. */
	memset(deep, '[', JP_MAX_DEPTH);
	memset(deep + JP_MAX_DEPTH, ']', JP_MAX_DEPTH);
	deep[2 * JP_MAX_DEPTH] = '\0';
	CHECK_INT(err_at(deep, NULL), -1);
	memset(deep, '[', JP_MAX_DEPTH + 1);
	memset(deep + JP_MAX_DEPTH + 1, ']', JP_MAX_DEPTH + 1);
	deep[2 * (JP_MAX_DEPTH + 1)] = '\0';
	CHECK_INT(err_at(deep, &msg), JP_MAX_DEPTH);
	CHECK_STR(msg, "nesting deeper than 32 levels");
	CHECK_INT(err_at("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
			 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
			 "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
			 "{\"a\":{\"a\":{}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}",
			 &msg),
		  32 * 5);
}

TEST(jp_utf8_validation)
{
	size_t bad = 99;

	CHECK(jp_utf8_valid("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 17, &bad));
	CHECK(!jp_utf8_valid("ab\xc3", 3, &bad));
	CHECK_INT(bad, 2);
	CHECK(!jp_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* past U+10FFFF */
	CHECK_INT(bad, 0);
	CHECK(!jp_utf8_valid("a\xe0\x80\x80", 4, &bad)); /* overlong */
	CHECK_INT(bad, 1);
	CHECK(jp_utf8_valid("", 0, NULL));
}

/* jq reads the last of two equal keys, jp_get() would read the first: refused. */
TEST(jp_rejects_duplicate_keys)
{
	struct jp_doc doc;
	struct jp_error err;
	const char *msg;
	char *big;
	size_t len = 0;

	CHECK_INT(err_at("{\"a\":1,\"a\":2}", &msg), 0);
	CHECK(msg == jp_err_duplicate_key);
	/* Equal once decoded; nested objects checked on their own. */
	CHECK_INT(err_at("{\"a\":1,\"\\u0061\":2}", &msg), 0);
	CHECK_STR(msg, "duplicate key in object");
	CHECK_INT(err_at("[0,{\"x\":{\"k\":1,\"j\":2,\"k\":3}}]", &msg), 8);
	CHECK_STR(msg, "duplicate key in object");
	/* Not duplicates: a prefix, a NUL inside, the same key in sibling objects. */
	CHECK_INT(err_at("{\"a\":1,\"ab\":2,\"a\\u0000\":3,\"\":4}", NULL), -1);
	CHECK_INT(err_at("[{\"a\":1},{\"a\":2}]", NULL), -1);
	CHECK_INT(err_at("{\"a\":{\"a\":1}}", NULL), -1);

	/* Many members (past the on-stack keys): distinct pass, one repeat fails. */
	big = malloc(4000 * 16);
	CHECK(big != NULL);
	if (!big)
		return;
	len += sprintf(big + len, "{");
	for (int i = 0; i < 4000; i++)
		len += sprintf(big + len, "%s\"k%d\":%d", i ? "," : "", i, i);
	jp_doc_init(&doc);
	CHECK(jp_parse(&doc, big, len, &err) == NULL);
	CHECK_STR(err.msg, "unexpected end of input in object");
	big[len] = '}';
	CHECK(jp_parse(&doc, big, len + 1, &err) != NULL);
	CHECK_INT(jp_len(&doc.nodes[0]), 4000);
	len += sprintf(big + len, ",\"k1234\":0}");
	CHECK(jp_parse(&doc, big, len, &err) == NULL);
	CHECK(err.msg == jp_err_duplicate_key);
	jp_doc_free(&doc);
	free(big);
}
