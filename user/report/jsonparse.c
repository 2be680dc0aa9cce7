// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonparse.h"

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	struct jp_doc *doc;
	size_t out; /* next free byte in doc->strbuf */
	int depth;
	struct jp_error *err;
};

void jp_doc_init(struct jp_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
}

void jp_doc_free(struct jp_doc *doc)
{
	free(doc->nodes);
	free(doc->strbuf);
	jp_doc_init(doc);
}

static int fail(struct parser *p, size_t offset, const char *msg)
{
	p->err->offset = offset;
	p->err->msg = msg;
	return -1;
}

bool jp_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(u + i, len - i);

		if (!n) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* A new zeroed node; by index, as the array may move while it grows. */
static int new_node(struct parser *p, size_t *idx)
{
	struct jp_doc *d = p->doc;

	if (d->nr_nodes == d->cap_nodes) {
		size_t cap = d->cap_nodes ? d->cap_nodes * 2 : 64;
		struct jp_value *n = realloc(d->nodes, cap * sizeof(*n));

		if (!n)
			return fail(p, p->pos, "out of memory");
		d->nodes = n;
		d->cap_nodes = cap;
	}
	*idx = d->nr_nodes++;
	memset(&d->nodes[*idx], 0, sizeof(d->nodes[*idx]));
	return 0;
}

/* The four hex digits at @at, just after a \u (a truncated escape: at its backslash). */
static int hex4(struct parser *p, size_t at, unsigned int *cp)
{
	*cp = 0;
	if (at + 4 > p->len)
		return fail(p, at - 2, "truncated \\u escape");
	for (size_t i = at; i < at + 4; i++) {
		char c = p->s[i];
		unsigned int v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return fail(p, i, "invalid hex digit in \\u escape");
		*cp = *cp << 4 | v;
	}
	return 0;
}

static size_t utf8_put(char *dst, unsigned int cp)
{
	if (cp < 0x80) {
		dst[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = 0xc0 | cp >> 6;
		dst[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = 0xe0 | cp >> 12;
		dst[1] = 0x80 | (cp >> 6 & 0x3f);
		dst[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	dst[0] = 0xf0 | cp >> 18;
	dst[1] = 0x80 | (cp >> 12 & 0x3f);
	dst[2] = 0x80 | (cp >> 6 & 0x3f);
	dst[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* \uXXXX at p->pos (the backslash), a surrogate pair taken whole. */
static int parse_u_escape(struct parser *p, char *dst, size_t *n)
{
	size_t at = p->pos;
	unsigned int cp, lo;

	if (hex4(p, at + 2, &cp))
		return -1;
	p->pos = at + 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, at, "unpaired low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->pos + 1 >= p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
			return fail(p, at, "unpaired high surrogate in \\u escape");
		if (hex4(p, p->pos + 2, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, p->pos, "high surrogate not followed by a low one");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p->pos += 6;
	}
	*n = utf8_put(dst, cp);
	return 0;
}

/*
 * The string at p->pos (its opening quote), decoded into the doc's string
 * buffer.  Decoding never lengthens a string and the two quotes make room
 * for the NUL, so a buffer as long as the input always suffices.
 */
static int parse_string(struct parser *p, const char **str, size_t *str_len)
{
	const unsigned char *u = (const unsigned char *)p->s;
	size_t start = p->pos;
	char *dst = p->doc->strbuf + p->out;
	size_t n = 0;

	p->pos++;
	for (;;) {
		unsigned char c;
		size_t k;

		if (p->pos >= p->len)
			return fail(p, start, "unterminated string");
		c = u[p->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(p, p->pos, "control character in string");
		if (c >= 0x80) {
			k = utf8_seq_len(u + p->pos, p->len - p->pos);
			if (!k)
				return fail(p, p->pos, "invalid UTF-8 in string");
			memcpy(dst + n, p->s + p->pos, k);
			n += k;
			p->pos += k;
			continue;
		}
		if (c != '\\') {
			dst[n++] = c;
			p->pos++;
			continue;
		}
		if (p->pos + 1 >= p->len)
			return fail(p, start, "unterminated string");
		switch (p->s[p->pos + 1]) {
		case '"':
		case '\\':
		case '/':
			dst[n++] = p->s[p->pos + 1];
			break;
		case 'b':
			dst[n++] = '\b';
			break;
		case 'f':
			dst[n++] = '\f';
			break;
		case 'n':
			dst[n++] = '\n';
			break;
		case 'r':
			dst[n++] = '\r';
			break;
		case 't':
			dst[n++] = '\t';
			break;
		case 'u':
			if (parse_u_escape(p, dst + n, &k))
				return -1;
			n += k;
			continue;
		default:
			return fail(p, p->pos, "invalid escape in string");
		}
		p->pos += 2;
	}
	p->pos++;
	dst[n] = '\0';
	p->out += n + 1;
	*str = dst;
	*str_len = n;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(struct parser *p, struct jp_value *v)
{
	size_t start = p->pos, n;
	bool integer = true;
	char small[128], *buf = small;
	int ret = 0;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return fail(p, start, "invalid number");
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && is_digit(p->s[p->pos]))
			return fail(p, start, "leading zero in number");
	} else {
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		integer = false;
		p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, p->pos, "expected a digit after '.'");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		integer = false;
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !is_digit(p->s[p->pos]))
			return fail(p, p->pos, "expected a digit in the exponent");
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
	}

	/* strto*() want a NUL-terminated copy; the input need not be. */
	n = p->pos - start;
	if (n >= sizeof(small)) {
		buf = malloc(n + 1);
		if (!buf)
			return fail(p, start, "out of memory");
	}
	memcpy(buf, p->s + start, n);
	buf[n] = '\0';

	v->type = JP_NUMBER;
	v->num = JP_NUM_REAL;
	if (integer) {
		errno = 0;
		v->i = strtoll(buf, NULL, 10);
		if (!errno) {
			v->num = JP_NUM_INT;
		} else if (buf[0] != '-') {
			errno = 0;
			v->u = strtoull(buf, NULL, 10);
			if (!errno)
				v->num = JP_NUM_UINT;
		}
	}
	v->d = strtod(buf, NULL);
	if (isinf(v->d))
		ret = fail(p, start, "number out of range");
	if (buf != small)
		free(buf);
	return ret;
}

static int parse_literal(struct parser *p, struct jp_value *v)
{
	static const struct {
		const char *word;
		enum jp_type type;
		bool b;
	} lits[] = {
		{ "true", JP_BOOL, true },
		{ "false", JP_BOOL, false },
		{ "null", JP_NULL, false },
	};

	for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		size_t n = strlen(lits[i].word);

		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, lits[i].word, n)) {
			v->type = lits[i].type;
			v->b = lits[i].b;
			p->pos += n;
			return 0;
		}
	}
	return fail(p, p->pos, "invalid literal");
}

static int parse_value(struct parser *p, const char *key, size_t key_len);

const char jp_err_duplicate_key[] = "duplicate key in object";

static int cmp_key(const void *pa, const void *pb)
{
	const struct jp_value *a = *(const struct jp_value *const *)pa;
	const struct jp_value *b = *(const struct jp_value *const *)pb;
	int c = memcmp(a->key, b->key, a->key_len < b->key_len ? a->key_len : b->key_len);

	return c ? c : a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/*
 * Readers disagree on a key given twice (jq and most take the last, this
 * parser's jp_get() the first): such an object means two things, so it is
 * refused.  Sorted, not compared pairwise: an object of n members costs
 * n log n, whatever a crafted line holds.
 */
static int check_unique_keys(struct parser *p, size_t idx, size_t at)
{
	struct jp_value *obj = &p->doc->nodes[idx];
	const struct jp_value *small[16], **keys = small;
	size_t n = 0;
	int ret = 0;

	if (obj->count < 2)
		return 0;
	if (obj->count > sizeof(small) / sizeof(small[0])) {
		keys = malloc(obj->count * sizeof(*keys));
		if (!keys)
			return fail(p, at, "out of memory");
	}
	/* Members follow the object in document order, one subtree apart. */
	for (const struct jp_value *c = obj + 1; n < obj->count; c += c->size)
		keys[n++] = c;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 1; i < n && !ret; i++)
		if (!cmp_key(&keys[i - 1], &keys[i]))
			ret = fail(p, at, jp_err_duplicate_key);
	if (keys != small)
		free(keys);
	return ret;
}

/* Members of an object or elements of an array, after the opening bracket. */
static int parse_container(struct parser *p, size_t idx, bool object)
{
	char close = object ? '}' : ']';
	size_t start = p->pos;
	uint32_t count = 0;

	if (++p->depth > JP_MAX_DEPTH)
		return fail(p, p->pos, "nesting deeper than 32 levels");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		const char *key = NULL;
		size_t key_len = 0;

		skip_ws(p);
		if (object) {
			if (p->pos >= p->len)
				return fail(p, p->pos, "unexpected end of input in object");
			if (p->s[p->pos] != '"')
				return fail(p, p->pos, "expected a string as object key");
			if (parse_string(p, &key, &key_len))
				return -1;
			skip_ws(p);
			if (p->pos >= p->len)
				return fail(p, p->pos, "unexpected end of input in object");
			if (p->s[p->pos] != ':')
				return fail(p, p->pos, "expected ':' after object key");
			p->pos++;
		}
		if (parse_value(p, key, key_len))
			return -1;
		count++;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, p->pos,
				    object ? "unexpected end of input in object"
					   : "unexpected end of input in array");
		if (p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		if (p->s[p->pos] != ',')
			return fail(p, p->pos,
				    object ? "expected ',' or '}' in object"
					   : "expected ',' or ']' in array");
		p->pos++;
	}
done:
	p->depth--;
	p->doc->nodes[idx].count = count;
	/* Every member's subtree size is set (parse_value): they can be walked. */
	return object ? check_unique_keys(p, idx, start) : 0;
}

static int parse_value(struct parser *p, const char *key, size_t key_len)
{
	struct jp_value *v;
	size_t idx;
	int ret;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, p->pos, "unexpected end of input");
	if (new_node(p, &idx))
		return -1;
	v = &p->doc->nodes[idx];
	v->key = key;
	v->key_len = key_len;
	switch (p->s[p->pos]) {
	case '{':
		v->type = JP_OBJECT;
		ret = parse_container(p, idx, true);
		break;
	case '[':
		v->type = JP_ARRAY;
		ret = parse_container(p, idx, false);
		break;
	case '"':
		v->type = JP_STRING;
		ret = parse_string(p, &v->str, &v->str_len);
		break;
	case 't':
	case 'f':
	case 'n':
		ret = parse_literal(p, v);
		break;
	case '-':
	case '0' ... '9':
		ret = parse_number(p, v);
		break;
	default:
		ret = fail(p, p->pos, "unexpected character");
	}
	/* Containers may have grown the array: find the node again. */
	p->doc->nodes[idx].size = p->doc->nr_nodes - idx;
	return ret;
}

const struct jp_value *jp_parse(struct jp_doc *doc, const char *text, size_t len,
				struct jp_error *err)
{
	struct parser p = { .s = text, .len = len, .doc = doc, .err = err };

	err->offset = 0;
	err->msg = NULL;
	doc->nr_nodes = 0;
	if (len >= UINT32_MAX) {
		fail(&p, 0, "input too large");
		return NULL;
	}
	if (doc->strbuf_cap < len + 1) {
		char *b = realloc(doc->strbuf, len + 1);

		if (!b) {
			fail(&p, 0, "out of memory");
			return NULL;
		}
		doc->strbuf = b;
		doc->strbuf_cap = len + 1;
	}
	skip_ws(&p);
	if (p.pos == len) {
		fail(&p, p.pos, "empty input");
		return NULL;
	}
	if (parse_value(&p, NULL, 0))
		return NULL;
	skip_ws(&p);
	if (p.pos != len) {
		fail(&p, p.pos, "trailing characters after the value");
		return NULL;
	}
	return &doc->nodes[0];
}

enum jp_type jp_type(const struct jp_value *v)
{
	return v ? v->type : JP_NULL;
}

const char *jp_type_name(enum jp_type t)
{
	static const char *const names[] = {
		[JP_NULL] = "null",	[JP_BOOL] = "boolean", [JP_NUMBER] = "number",
		[JP_STRING] = "string", [JP_ARRAY] = "array",  [JP_OBJECT] = "object",
	};

	return (unsigned int)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}

bool jp_is_null(const struct jp_value *v)
{
	return v && v->type == JP_NULL;
}

size_t jp_len(const struct jp_value *v)
{
	return v && (v->type == JP_ARRAY || v->type == JP_OBJECT) ? v->count : 0;
}

/* Children follow their parent in document order: a sibling is one subtree on. */
const struct jp_value *jp_first(const struct jp_value *v)
{
	return jp_len(v) ? v + 1 : NULL;
}

const struct jp_value *jp_next(const struct jp_value *parent, const struct jp_value *v)
{
	const struct jp_value *n;

	if (!parent)
		return NULL;
	n = v + v->size;
	return n < parent + parent->size ? n : NULL;
}

const struct jp_value *jp_at(const struct jp_value *v, size_t i)
{
	const struct jp_value *c;

	if (i >= jp_len(v))
		return NULL;
	for (c = v + 1; i; i--)
		c += c->size;
	return c;
}

const struct jp_value *jp_get(const struct jp_value *obj, const char *key)
{
	size_t n = strlen(key);

	if (jp_type(obj) != JP_OBJECT)
		return NULL;
	for (const struct jp_value *c = jp_first(obj); c; c = jp_next(obj, c)) {
		if (c->key_len == n && !memcmp(c->key, key, n))
			return c;
	}
	return NULL;
}

const char *jp_str(const struct jp_value *v, size_t *len)
{
	if (jp_type(v) != JP_STRING)
		return NULL;
	if (len)
		*len = v->str_len;
	return v->str;
}

const char *jp_get_str(const struct jp_value *obj, const char *key, size_t *len)
{
	return jp_str(jp_get(obj, key), len);
}

bool jp_int64(const struct jp_value *v, int64_t *out)
{
	if (jp_type(v) != JP_NUMBER || v->num != JP_NUM_INT)
		return false;
	*out = v->i;
	return true;
}

bool jp_uint64(const struct jp_value *v, uint64_t *out)
{
	if (jp_type(v) != JP_NUMBER)
		return false;
	if (v->num == JP_NUM_UINT) {
		*out = v->u;
		return true;
	}
	if (v->num == JP_NUM_INT && v->i >= 0) {
		*out = v->i;
		return true;
	}
	return false;
}

bool jp_double(const struct jp_value *v, double *out)
{
	if (jp_type(v) != JP_NUMBER)
		return false;
	*out = v->d;
	return true;
}

bool jp_bool(const struct jp_value *v, bool *out)
{
	if (jp_type(v) != JP_BOOL)
		return false;
	*out = v->b;
	return true;
}
