/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping of user-controlled strings (device names, comm) for output.
 * dm device names may hold any byte but '/' and NUL.
 */
#ifndef DMSWAP_ESCAPE_H
#define DMSWAP_ESCAPE_H

#include <stddef.h>

/*
 * Terminal: printable ASCII passes, except '\\' which doubles; every other
 * byte becomes \xNN, so no escape sequence (ESC, or the C1 CSI as UTF-8)
 * reaches the terminal.  Always NUL-terminates; truncates at whole escapes.
 */
size_t escape_term(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * JSON string contents (without the quotes): '"', '\\' and control
 * characters are escaped; valid UTF-8 passes unchanged; each byte of an
 * invalid sequence becomes U+FFFD, so the output is always valid UTF-8 JSON.
 */
size_t escape_json(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * Prometheus label values (text format): '\\', '"' and newline escaped,
 * valid UTF-8 passes, each byte of an invalid sequence becomes U+FFFD.
 */
size_t escape_prom(char *dst, size_t dstlen, const char *src, size_t srclen);

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), 0 if invalid. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* Worst-case output size for @n input bytes, NUL included. */
#define ESCAPE_TERM_MAX(n) ((n)*4 + 1)
#define ESCAPE_JSON_MAX(n) ((n)*6 + 1)
#define ESCAPE_PROM_MAX(n) ((n)*3 + 1)

#endif /* DMSWAP_ESCAPE_H */
