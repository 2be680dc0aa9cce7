// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "escape.h"

/* Append @s of @n bytes if it fits with room for the NUL. */
static int put(char *dst, size_t dstlen, size_t *pos, const char *s, size_t n)
{
	if (*pos + n + 1 > dstlen)
		return -1;
	memcpy(dst + *pos, s, n);
	*pos += n;
	return 0;
}

size_t escape_term(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t pos = 0;

	if (!dstlen)
		return 0;
	for (size_t i = 0; i < srclen && src[i]; i++) {
		unsigned char c = src[i];
		char buf[5];
		int ret;

		if (c == '\\')
			ret = put(dst, dstlen, &pos, "\\\\", 2);
		else if (c >= 0x20 && c < 0x7f)
			ret = put(dst, dstlen, &pos, (const char *)&src[i], 1);
		else
			ret = put(dst, dstlen, &pos, buf, snprintf(buf, sizeof(buf), "\\x%02x", c));
		if (ret)
			break;
	}
	dst[pos] = '\0';
	return pos;
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t escape_json(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t pos = 0;

	if (!dstlen)
		return 0;
	for (size_t i = 0; i < srclen && s[i];) {
		unsigned char c = s[i];
		char buf[8];
		size_t len;
		int ret;

		if (c == '"' || c == '\\') {
			buf[0] = '\\';
			buf[1] = c;
			ret = put(dst, dstlen, &pos, buf, 2);
			len = 1;
		} else if (c == '\n') {
			ret = put(dst, dstlen, &pos, "\\n", 2);
			len = 1;
		} else if (c == '\t') {
			ret = put(dst, dstlen, &pos, "\\t", 2);
			len = 1;
		} else if (c < 0x20 || c == 0x7f) {
			ret = put(dst, dstlen, &pos, buf, snprintf(buf, sizeof(buf), "\\u%04x", c));
			len = 1;
		} else {
			len = utf8_seq_len(s + i, srclen - i);
			if (len)
				ret = put(dst, dstlen, &pos, (const char *)s + i, len);
			else
				ret = put(dst, dstlen, &pos, "\\ufffd", 6);
			if (!len)
				len = 1;
		}
		if (ret)
			break;
		i += len;
	}
	dst[pos] = '\0';
	return pos;
}

size_t escape_prom(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t pos = 0;

	if (!dstlen)
		return 0;
	for (size_t i = 0; i < srclen && s[i];) {
		size_t len = utf8_seq_len(s + i, srclen - i);
		int ret;

		if (!len) {
			/* node_exporter rejects the whole file for one invalid byte. */
			ret = put(dst, dstlen, &pos, "\xef\xbf\xbd", 3);
			len = 1;
		} else if (s[i] == '\\' || s[i] == '"') {
			char buf[2] = { '\\', s[i] };

			ret = put(dst, dstlen, &pos, buf, 2);
		} else if (s[i] == '\n') {
			ret = put(dst, dstlen, &pos, "\\n", 2);
		} else {
			ret = put(dst, dstlen, &pos, (const char *)s + i, len);
		}
		if (ret)
			break;
		i += len;
	}
	dst[pos] = '\0';
	return pos;
}
