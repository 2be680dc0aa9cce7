// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "caps.h"
#include "coverage.h"
#include "env.h"
#include "faultinject.h"
#include "invariants.h"
#include "json.h"
#include "sink.h"

static const char *known(bool ok)
{
	return ok ? "read" : "unreadable";
}

/* Capabilities held now; watch and run keep none once armed. */
static uint64_t held_now(void)
{
	struct caps_sets now;

	return caps_sets_read("self", &now) ? now.prm : 0;
}

static void print_privileges(FILE *out)
{
	char names[512];

	caps_set_names(held_now(), names, sizeof(names));
	fprintf(out,
		"\nprivileges: held now: %s; watch and run drop every one once armed (run "
		"after forking COMMAND, which keeps them; the bounding set too with "
		"CAP_SETPCAP); explore keeps them\n",
		names);
}

void coverage_print_text(FILE *out, const struct session *s)
{
	const struct kernel_offer *k = &s->offer;
	struct fault_offer fo;
	char why[200], line[256];

	fprintf(out, "dmswap-trace coverage on %s\n", env_kernel_release());
	fprintf(out, "sources: BTF %s, available_filter_functions %s, kallsyms %s\n\n",
		known(k->btf_known), known(k->ftrace_known),
		k->kallsyms_tried ? known(k->kallsyms_known) : "not needed");
	fprintf(out, "%-26s %-9s %-32s %s\n", "HOOK", "MECHANISM", "TARGET", "NOTE");
	for_each_hook (h) {
		const struct probe_result *r = &s->res[hook_index(h)];

		fprintf(out, "%-26s %-9s %-32s %s\n", h->name, probe_mech_name(r->mech),
			r->target[0] ? r->target : "-", r->why[0] ? r->why : h->purpose);
	}
	fprintf(out, "\n%-6s %-12s %-52s %s\n", "ID", "STATE", "INVARIANT", "WHY");
	for_each_invariant (inv) {
		enum inv_state st = invariant_state(inv, s->res, &s->offer, why, sizeof(why));

		fprintf(out, "%-6s %-12s %-52s %s\n", inv->id, inv_state_name(st), inv->title, why);
	}
	fprintf(out, "\nupstream fixes the invariants are about:\n");
	for_each_invariant (inv) {
		unsigned long set = invariant_fixes(inv);

		for (int i = 0; i < FIX_END; i++)
			if (set & 1ul << i) {
				upstream_fix_format(&upstream_fixes[i], line, sizeof(line));
				fprintf(out, "%-6s %s\n", inv->id, line);
			}
	}
	fault_offer_probe(&fo, s->offer.btf_vmlinux);
	fprintf(out, "\nexplore (fault injection): %s: %s\n",
		fo.state == FAULT_AVAILABLE ? "available" : "unavailable", fo.why);
	print_privileges(out);
}

void coverage_print_json(FILE *out, const struct session *s)
{
	struct fault_offer fo;
	struct json j = {};
	char why[200], names[512];

	json_reset(&j);
	json_object_begin(&j);
	json_str(&j, "kernel", env_kernel_release());
	json_array_begin(&j, "hooks");
	for_each_hook (h) {
		const struct probe_result *r = &s->res[hook_index(h)];

		json_object_begin(&j);
		json_str(&j, "hook", h->name);
		json_str(&j, "mechanism", probe_mech_name(r->mech));
		json_str(&j, "target", r->target);
		json_str(&j, "why", r->why);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "invariants");
	for_each_invariant (inv) {
		enum inv_state st = invariant_state(inv, s->res, &s->offer, why, sizeof(why));

		json_object_begin(&j);
		json_str(&j, "inv", inv->id);
		json_str(&j, "state", inv_state_name(st));
		json_str(&j, "title", inv->title);
		json_str(&j, "why", why);
		json_upstream_fixes(&j, "fixes", invariant_fixes(inv));
		json_object_end(&j);
	}
	json_array_end(&j);
	fault_offer_probe(&fo, s->offer.btf_vmlinux);
	json_key_object(&j, "explore");
	json_bool(&j, "available", fo.state == FAULT_AVAILABLE);
	json_str(&j, "why", fo.why);
	json_object_end(&j);
	json_key_object(&j, "privileges");
	caps_set_names(held_now(), names, sizeof(names));
	json_str(&j, "held", names);
	json_array_begin(&j, "dropped_once_armed_by");
	json_str(&j, NULL, "watch");
	json_str(&j, NULL, "run");
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	if (!j.failed)
		fprintf(out, "%s\n", j.buf);
	json_free(&j);
}
