// SPDX-License-Identifier: GPL-2.0
/* The JSON "report" writes for other programs: see report_json.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_json.h"
#include "report_model.h"

void report_put_esc(struct json *j, const char *key, const char *s, size_t n)
{
	char stackbuf[256];
	size_t need = REPORT_ESC_MAX(n);
	char *buf = need <= sizeof(stackbuf) ? stackbuf : malloc(need);

	if (!buf) {
		j->failed = true;
		return;
	}
	json_strn(j, key, buf, report_esc_into(buf, need, s, n));
	if (buf != stackbuf)
		free(buf);
}

void report_put_text(struct json *j, const char *key, const struct jp_value *v)
{
	char buf[40] = "";
	int64_t i;
	uint64_t u;
	double d;

	switch (jp_type(v)) {
	case JP_STRING:
		report_put_esc(j, key, v->str, v->str_len);
		return;
	case JP_NUMBER:
		if (jp_int64(v, &i))
			snprintf(buf, sizeof(buf), "%" PRId64, i);
		else if (jp_uint64(v, &u))
			snprintf(buf, sizeof(buf), "%" PRIu64, u);
		else if (jp_double(v, &d))
			snprintf(buf, sizeof(buf), "%.17g", d);
		break;
	case JP_BOOL:
		snprintf(buf, sizeof(buf), "%s", v->b ? "true" : "false");
		break;
	case JP_NULL:
		snprintf(buf, sizeof(buf), "%s", v ? "null" : "-");
		break;
	/* The tool writes nothing deeper than before/after. */
	case JP_ARRAY:
		snprintf(buf, sizeof(buf), "[...]");
		break;
	case JP_OBJECT:
		snprintf(buf, sizeof(buf), "{...}");
		break;
	}
	json_str(j, key, buf);
}

void report_put_evidence(struct json *j, const struct jp_value *evidence)
{
	json_array_begin(j, "evidence");
	for (const struct jp_value *m = jp_first(evidence); m && jp_type(evidence) == JP_OBJECT;
	     m = jp_next(evidence, m)) {
		const struct jp_value *before = jp_get(m, "before"), *after = jp_get(m, "after");

		json_object_begin(j);
		report_put_esc(j, "field", m->key, m->key_len);
		if (before && after) {
			report_put_text(j, "before", before);
			report_put_text(j, "after", after);
		} else {
			report_put_text(j, "value", m);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

void report_put_stack(struct json *j, const struct jp_value *stack, size_t max)
{
	size_t n = 0;

	json_array_begin(j, "stack");
	for (const struct jp_value *f = jp_first(stack); f && n < max; f = jp_next(stack, f)) {
		if (jp_type(stack) == JP_ARRAY && jp_type(f) == JP_STRING) {
			report_put_esc(j, NULL, f->str, f->str_len);
			n++;
		}
	}
	json_array_end(j);
}

void report_put_fixes(struct json *j, const struct viol *v)
{
	json_array_begin(j, "fixes");
	for (size_t k = 0; k < v->nr_fixes; k++) {
		const struct rfix *f = &v->fixes[k];

		json_object_begin(j);
		json_str(j, "commit", S(f->commit));
		json_str(j, "title", S(f->title));
		if (f->mainline)
			json_str(j, "mainline", f->mainline);
		else
			json_null(j, "mainline");
		json_str(j, "stable", S(f->stable));
		json_object_end(j);
	}
	json_array_end(j);
}
