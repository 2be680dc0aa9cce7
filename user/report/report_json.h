/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON that "report" writes for other programs (the page's data, the trace
 * events): strings from the logs escaped as the text report shows them
 * (report_esc_into()), then as JSON; the evidence and the stack of a
 * violation parsed again from its line.
 */
#ifndef DMSWAP_REPORT_JSON_H
#define DMSWAP_REPORT_JSON_H

#include <stddef.h>

#include "json.h"
#include "jsonparse.h"

struct viol;

/* A string from a log (@n bytes, NULs included), escaped as the text report shows it. */
void report_put_esc(struct json *j, const char *key, const char *s, size_t n);
/* An evidence value, as text: read, not computed on. */
void report_put_text(struct json *j, const char *key, const struct jp_value *v);
/* "evidence": [{"field", "before", "after"} or {"field", "value"}]. */
void report_put_evidence(struct json *j, const struct jp_value *evidence);
/* "stack": the first @max frames. */
void report_put_stack(struct json *j, const struct jp_value *stack, size_t max);
/* "fixes": [{"commit", "title", "mainline" (null: not recorded), "stable"}]. */
void report_put_fixes(struct json *j, const struct viol *v);

#endif /* DMSWAP_REPORT_JSON_H */
