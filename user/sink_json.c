// SPDX-License-Identifier: GPL-2.0
/*
 * JSON lines: one object per line, each with "kind", "ts" (wall clock,
 * UTC), "mono_ns" (CLOCK_MONOTONIC), "dev" and "devt" (null for lines that
 * concern no device).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "fields.h"
#include "invariants.h"
#include "ksyms.h"
#include "outfile.h"
#include "sink_json.h"

static void begin_line(struct json *j, const char *kind, uint64_t mono_ns)
{
	char ts[40];

	clock_format_iso(ts, sizeof(ts), clock_wall_of_mono(mono_ns));
	json_reset(j);
	json_object_begin(j);
	json_str(j, "kind", kind);
	json_str(j, "ts", ts);
	json_uint(j, "mono_ns", mono_ns);
}

static void end_line(struct json_sink *js)
{
	json_object_end(&js->json);
	if (!js->json.failed)
		js->put_line(js);
}

static void dev_state(struct json *j, const char *key, const struct dmswap_dev_state *st)
{
	json_key_object(j, key);
	json_uint(j, "sectors", st->capacity);
	json_str(j, "zoned", zoned_name(st->zoned));
	json_str(j, "zone_append", zone_append_name(st->zone_append));
	json_uint(j, "nr_zones", st->nr_zones);
	json_object_end(j);
}

static void swap_fields(struct json *j, const struct dmswap_swap_info *si)
{
	json_uint(j, "old_sectors", si->before.capacity);
	json_uint(j, "new_sectors", si->table_sectors);
	json_uint(j, "num_targets", si->num_targets);
	json_array_begin(j, "targets");
	for (uint32_t i = 0; i < si->num_types; i++)
		json_strn(j, NULL, si->types[i], DMSWAP_TYPE_LEN);
	json_array_end(j);
	dev_state(j, "before", &si->before);
	dev_state(j, "after", &si->after);
}

/* "dev", "devt" and "swap_id": the device and the swap a record belongs to. */
static void device_fields(struct json *j, const struct event_view *ev)
{
	const struct dmswap_event *e = ev->raw;
	char devt[24];

	json_strn(j, "dev", ev->dev, sizeof(ev->dev));
	snprintf(devt, sizeof(devt), "%u:%u", e->major, e->minor);
	json_str(j, "devt", devt);
	if (e->swap_id)
		json_uint(j, "swap_id", e->swap_id);
	else
		json_null(j, "swap_id");
}

static void task_fields(struct json *j, const struct dmswap_event *e)
{
	json_uint(j, "pid", e->pid);
	json_uint(j, "tid", e->tid);
	json_strn(j, "comm", e->comm, sizeof(e->comm));
}

/* The flight recorder: what the device went through before the violation. */
static void recent_fields(struct json *j, const struct flight_ring *r)
{
	char ts[40];

	json_array_begin(j, "recent");
	for (unsigned int i = 0; r && i < r->len; i++) {
		const struct flight_entry *x = flight_at(r, i);

		clock_format_iso(ts, sizeof(ts), clock_wall_of_mono(x->mono_ns));
		json_object_begin(j);
		json_str(j, "ts", ts);
		json_str(j, "event", event_type_name(x->type));
		json_int(j, "ret", x->ret);
		json_uint(j, "dur_ns", x->dur_ns);
		if (x->swap_id)
			json_uint(j, "swap_id", x->swap_id);
		else
			json_null(j, "swap_id");
		json_uint(j, "pid", x->pid);
		json_strn(j, "comm", x->comm, sizeof(x->comm));
		json_object_end(j);
	}
	json_array_end(j);
}

static void violation_fields(struct json *j, const struct dmswap_violation_info *v)
{
	const struct ksym_table *ksyms = ksym_running();
	char before[64], after[64], sym[256];
	int frames = v->stack_bytes > 0 ? v->stack_bytes / 8 : 0;

	json_key_object(j, "evidence");
	for (uint32_t i = 0; i < v->nr_evidence; i++) {
		const struct dmswap_evidence *ev = &v->evidence[i];

		field_format_change(ev->field, ev->before, ev->after, before, after,
				    sizeof(before));
		if (ev->kind == DMSWAP_EVK_CHANGED) {
			json_key_object(j, field_name(ev->field));
			if (field_is_signed(ev->field)) {
				json_int(j, "before", (int64_t)ev->before);
				json_int(j, "after", (int64_t)ev->after);
			} else if (field_is_numeric(ev->field)) {
				json_uint(j, "before", ev->before);
				json_uint(j, "after", ev->after);
			} else {
				json_str(j, "before", before);
				json_str(j, "after", after);
			}
			json_object_end(j);
		} else if (field_is_signed(ev->field)) {
			json_int(j, field_name(ev->field), (int64_t)ev->after);
		} else if (field_is_numeric(ev->field)) {
			json_uint(j, field_name(ev->field), ev->after);
		} else {
			json_str(j, field_name(ev->field), after);
		}
	}
	json_object_end(j);
	json_array_begin(j, "stack");
	for (int i = 0; i < frames && i < DMSWAP_STACK_DEPTH; i++) {
		ksym_format(ksyms, v->stack[i], sym, sizeof(sym));
		if (!ksym_is_bpf(sym))
			json_str(j, NULL, sym);
	}
	json_array_end(j);
}

static void json_violation(struct json_sink *s, const struct event_view *ev)
{
	const struct dmswap_event *e = ev->raw;
	const struct dmswap_violation_info *v = &e->violation;
	struct json *j = &s->json;
	char id[16];

	begin_line(j, "violation", e->mono_ns);
	snprintf(id, sizeof(id), "INV-%u", v->inv);
	json_str(j, "inv", id);
	json_uint(j, "rule", v->code);
	json_str(j, "message", invariant_rule(v->inv, v->code));
	json_upstream_fixes(j, "fixes", invariant_rule_fixes(v->inv, v->code));
	device_fields(j, ev);
	task_fields(j, e);
	violation_fields(j, v);
	recent_fields(j, ev->recent);
	end_line(s);
}

void sink_json_event(struct sink *sink, const struct event_view *ev)
{
	struct json_sink *s = sink_of(sink, struct json_sink);
	const struct dmswap_event *e = ev->raw;
	struct json *j = &s->json;
	const char *err = event_errno_name(e->ret);

	if (e->type == DMSWAP_EV_VIOLATION) {
		json_violation(s, ev);
		return;
	}
	if (s->sink.violations_only)
		return;
	begin_line(j, "event", e->mono_ns);
	json_str(j, "event", event_type_name(e->type));
	device_fields(j, ev);
	json_int(j, "ret", e->ret);
	if (err)
		json_str(j, "errno", err);
	json_uint(j, "dur_ns", e->dur_ns);
	task_fields(j, e);
	switch (e->type) {
	case DMSWAP_EV_SUSPEND:
		json_bool(j, "lockfs", e->suspend.flags & 1);
		json_bool(j, "noflush", e->suspend.flags & 2);
		break;
	case DMSWAP_EV_SWAP:
		swap_fields(j, &e->swap);
		break;
	case DMSWAP_EV_REVALIDATE:
		json_uint(j, "nr_zones", e->revalidate.nr_zones);
		break;
	case DMSWAP_EV_REPORT_ZONES:
		json_uint(j, "sector", e->report.sector);
		json_uint(j, "nr_zones", e->report.nr_zones);
		json_bool(j, "map_used", e->report.map_used);
		json_bool(j, "in_swap", e->report.in_swap);
		break;
	}
	end_line(s);
}

static void json_cap_list(struct json *j, const char *key, uint64_t set)
{
	char names[512], *p = names;

	json_array_begin(j, key);
	if (set) {
		caps_set_names(set, names, sizeof(names));
		for (char *next; p; p = next) {
			next = strstr(p, ", ");
			if (next) {
				*next = '\0';
				next += 2;
			}
			json_str(j, NULL, p);
		}
	}
	json_array_end(j);
}

/*
 * "capabilities": what was held before arming and what is held now, each
 * set as /proc/self/status has it; null when kept (explore).
 */
static void json_caps(struct json *j, const struct caps_drop *d)
{
	if (!d) {
		json_null(j, "capabilities");
		return;
	}
	json_key_object(j, "capabilities");
	json_cap_list(j, "dropped", d->held);
	json_bool(j, "bounding_dropped", d->bounding);
	if (d->err)
		json_str(j, "error", strerror(-d->err));
	json_key_object(j, "now");
	json_cap_list(j, "permitted", d->after.prm);
	json_cap_list(j, "effective", d->after.eff);
	json_cap_list(j, "inheritable", d->after.inh);
	json_cap_list(j, "ambient", d->after.amb);
	json_cap_list(j, "bounding", d->after.bnd);
	json_object_end(j);
	json_object_end(j);
}

void sink_json_armed(struct sink *sink, const struct armed_info *info)
{
	struct json_sink *s = sink_of(sink, struct json_sink);
	struct json *j = &s->json;
	char started[40];

	begin_line(j, "event", info->mono_ns);
	json_str(j, "event", "armed");
	json_null(j, "dev");
	json_null(j, "devt");
	json_str(j, "kernel", info->kernel);
	/* The session: which host, which boot, which start of the tool. */
	if (info->host)
		json_str(j, "host", info->host);
	else
		json_null(j, "host");
	if (info->boot_id)
		json_str(j, "boot_id", info->boot_id);
	else
		json_null(j, "boot_id");
	clock_format_iso(started, sizeof(started), clock_wall_of_mono(info->start_ns));
	json_str(j, "started", started);
	json_uint(j, "start_to_armed_ns", info->start_to_armed_ns);
	json_key_object(j, "startup_ns");
	json_uint(j, "resolve", info->resolve_ns);
	json_uint(j, "load", info->load_ns);
	json_uint(j, "attach", info->attach_ns);
	json_object_end(j);
	json_key_object(j, "hooks");
	for_each_hook (h) {
		const struct probe_result *r = &info->res[hook_index(h)];

		json_key_object(j, h->name);
		json_str(j, "mechanism", probe_mech_name(r->mech));
		if (r->target[0])
			json_str(j, "target", r->target);
		json_object_end(j);
	}
	json_object_end(j);
	json_caps(j, info->caps);
	end_line(s);
}

void sink_json_summary(struct sink *sink, const struct summary *sum)
{
	struct json_sink *s = sink_of(sink, struct json_sink);
	struct json *j = &s->json;

	begin_line(j, "summary", sum->mono_ns);
	json_null(j, "dev");
	json_null(j, "devt");
	json_uint(j, "events", sum->events);
	json_uint(j, "shown", sum->shown);
	json_uint(j, "violations", sum->violations);
	json_uint(j, "dropped", sum->dropped);
	json_uint(j, "state_full", sum->state_full);
	json_uint(j, "malformed", sum->malformed);
	json_by_inv(j, "by_inv", sum->by_inv, false);
	json_key_object(j, "by_event");
	for (uint32_t t = 1; t < DMSWAP_EV_MAX; t++)
		json_uint(j, event_type_name(t), sum->by_type[t]);
	json_object_end(j);
	end_line(s);
}

void json_upstream_fixes(struct json *j, const char *key, unsigned long set)
{
	json_array_begin(j, key);
	for (int i = 0; i < FIX_END; i++) {
		const struct upstream_fix *f = &upstream_fixes[i];

		if (!(set & 1ul << i))
			continue;
		json_object_begin(j);
		json_str(j, "commit", f->commit);
		json_str(j, "title", f->title);
		if (f->mainline[0])
			json_str(j, "mainline", f->mainline);
		else
			json_null(j, "mainline");
		json_str(j, "stable", f->stable);
		json_object_end(j);
	}
	json_array_end(j);
}

void json_by_inv(struct json *j, const char *key, const uint64_t by_inv[DMSWAP_INV_SLOTS],
		 bool counted_only)
{
	json_key_object(j, key);
	for (int n = 1; n < DMSWAP_INV_SLOTS; n++) {
		char id[16];

		if (counted_only && !by_inv[n])
			continue;
		snprintf(id, sizeof(id), "INV-%d", n);
		json_uint(j, id, by_inv[n]);
	}
	json_object_end(j);
}

/* --json: a line and its newline to the stream, flushed (a pipe reads it at once). */
static void put_stream(struct json_sink *js)
{
	fputs(js->json.buf, js->out);
	fputc('\n', js->out);
	outfile_flush(js->out);
}

static bool json_failed(const struct sink *sink)
{
	return ferror(sink_of(sink, const struct json_sink)->out);
}

void sink_json_free(struct json_sink *js)
{
	json_free(&js->json);
}

static void json_close(struct sink *sink)
{
	struct json_sink *js = sink_of(sink, struct json_sink);

	sink_json_free(js);
	outfile_flush(js->out);
}

static const struct sink_ops json_ops = {
	.armed = sink_json_armed,
	.event = sink_json_event,
	.summary = sink_json_summary,
	.failed = json_failed,
	.close = json_close,
};

void sink_json_init_with(struct json_sink *js, const struct sink_ops *ops,
			 void (*put_line)(struct json_sink *js))
{
	memset(js, 0, sizeof(*js));
	js->sink.ops = ops;
	js->put_line = put_line;
}

struct sink *sink_json_init(struct json_sink *js, FILE *out)
{
	sink_json_init_with(js, &json_ops, put_stream);
	js->out = out;
	return &js->sink;
}
