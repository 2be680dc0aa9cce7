// SPDX-License-Identifier: GPL-2.0
/*
 * bpf/invariants.def is the one list of the invariants: these tests fail
 * when an entry is missing, out of order or unknown to the rest of the tool
 * (hooks, fixes), and when docs/invariants.md or the manual page's list of
 * invariants no longer says what it says (each failure prints the generated
 * text that belongs there).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "hooks.h"
#include "invariants.h"
#include "sink.h"
#include "unit.h"

/* inv_mask has a bit per invariant; fix sets a bit per fix. */
_Static_assert(DMSWAP_NR_INV < 32, "inv_mask is 32 bits");
_Static_assert(FIX_END <= 8 * sizeof(unsigned long), "a fix set is an unsigned long");

/* Every rule's constant, as the BPF checks use it, against the table. */
static const struct {
	unsigned int rule, inv, code;
} rule_ids[] = {
#define RULE(n, code, name, ...) { INV##n##_##name, n, code },
#include "invariants.def"
};

TEST(invariants_ids_in_order)
{
	char id[16];

	CHECK(DMSWAP_NR_INV > 0);
	for (unsigned int i = 0; i < DMSWAP_NR_INV; i++) {
		const struct invariant *inv = &invariants[i];

		snprintf(id, sizeof(id), "INV-%u", i + 1);
		CHECK_INT(inv->n, i + 1);
		CHECK_STR(inv->id, id);
		CHECK(inv->title && inv->title[0]);
		CHECK(invariant_by_number(i + 1) == inv);
	}
	CHECK(!invariant_by_number(0));
	CHECK(!invariant_by_number(DMSWAP_NR_INV + 1));
	CHECK_INT(DMSWAP_INV_SLOTS, DMSWAP_NR_INV + 1);
	CHECK_INT(invariant_mask(), ((1u << DMSWAP_NR_INV) - 1) << 1);
}

TEST(invariants_rules_in_order)
{
	unsigned int prev_inv = 0, prev_code = 0;
	unsigned int per_inv[DMSWAP_INV_SLOTS] = {};

	CHECK_INT(sizeof(rule_ids) / sizeof(rule_ids[0]), nr_inv_rules);
	for (size_t i = 0; i < nr_inv_rules; i++) {
		const struct inv_rule *r = &inv_rules[i];

		if (r->inv < 1 || r->inv > DMSWAP_NR_INV) {
			unit_fail(__FILE__, __LINE__, "rule %s: no INV-%u", r->name, r->inv);
			continue;
		}
		if (r->inv < prev_inv || (r->inv == prev_inv && r->code <= prev_code))
			unit_fail(__FILE__, __LINE__, "INV-%u rule %u (%s) is out of order", r->inv,
				  r->code, r->name);
		if (r->code > 0xff)
			unit_fail(__FILE__, __LINE__, "INV-%u rule %u: codes are 8 bits", r->inv,
				  r->code);
		prev_inv = r->inv;
		prev_code = r->code;
		per_inv[r->inv]++;
		CHECK(r->message && r->message[0]);
		CHECK(r->fixes[0] != FIX_END);
		CHECK(invariant_rule_of(r->inv, r->code) == r);
		CHECK_STR(invariant_rule(r->inv, r->code), r->message);
		CHECK_INT(DMSWAP_RULE_INV(rule_ids[i].rule), rule_ids[i].inv);
		CHECK_INT(DMSWAP_RULE_CODE(rule_ids[i].rule), rule_ids[i].code);
		CHECK_INT(rule_ids[i].inv, r->inv);
		CHECK_INT(rule_ids[i].code, r->code);
	}
	for (unsigned int n = 1; n <= DMSWAP_NR_INV; n++)
		if (!per_inv[n])
			unit_fail(__FILE__, __LINE__, "INV-%u has no rule", n);
	CHECK_STR(invariant_rule(DMSWAP_NR_INV + 1, 0), "violated");
	CHECK_STR(invariant_rule(8, 0), "violated");
	CHECK_INT(invariant_rule_fixes(8, 0), 0);
}

static bool valid_field(const char *spec)
{
	const char *dot = spec ? strchr(spec, '.') : NULL;

	return dot && dot > spec && dot[1] && !strchr(dot + 1, '.');
}

TEST(invariants_hooks_and_fields_known)
{
	for_each_invariant (inv) {
		if (!inv->needs || !inv->needs[0])
			unit_fail(__FILE__, __LINE__, "%s needs no hook", inv->id);
		for (const char *const *h = inv->needs; h && *h; h++)
			if (!hook_by_name(*h))
				unit_fail(__FILE__, __LINE__, "%s needs %s, not in user/hooks.c",
					  inv->id, *h);
		for (const char *const *f = inv->fields; f && *f; f++)
			if (!valid_field(*f))
				unit_fail(__FILE__, __LINE__, "%s: field %s", inv->id, *f);
		for (const char *const *f = inv->any_fields; f && *f; f++)
			if (!valid_field(*f))
				unit_fail(__FILE__, __LINE__, "%s: field %s", inv->id, *f);
	}
}

TEST(invariants_rule_needs_known)
{
	for (size_t i = 0; i < nr_inv_rule_needs; i++) {
		const struct inv_rule_needs *rn = &inv_rule_needs[i];

		if (!invariant_rule_of(rn->inv, rn->code))
			unit_fail(__FILE__, __LINE__, "RULE_NEEDS(%u, %u): no such rule", rn->inv,
				  rn->code);
		for (const char *const *h = rn->hooks; h && *h; h++)
			if (!hook_by_name(*h))
				unit_fail(__FILE__, __LINE__,
					  "INV-%u rule %u needs %s, not in user/hooks.c", rn->inv,
					  rn->code, *h);
	}
}

/*
 * Every hook attachable: each invariant whose fields the offer has is
 * active.  Then each RULE_NEEDS hook missing in turn: its invariant is
 * degraded, names the rule, and BPF gets that rule's bit in rule_off.
 */
TEST(invariants_degraded_by_rule_needs)
{
	static struct probe_result res[64];
	char why[200];

	CHECK(nr_hooks <= sizeof(res) / sizeof(res[0]));
	CHECK(nr_inv_rule_needs > 0);
	for (size_t i = 0; i < nr_hooks; i++)
		res[i].mech = PROBE_FENTRY;
	for_each_invariant (inv)
		CHECK(invariant_rules_off(inv, res, why, sizeof(why)) == 0);
	for (size_t i = 0; i < nr_inv_rule_needs; i++) {
		const struct inv_rule_needs *rn = &inv_rule_needs[i];
		const struct invariant *inv = invariant_by_number(rn->inv);
		const struct hook *h = hook_by_name(rn->hooks[0]);
		char want[32];

		CHECK(inv && h);
		if (!inv || !h)
			continue;
		res[hook_index(h)].mech = PROBE_ABSENT;
		CHECK(invariant_rules_off(inv, res, why, sizeof(why)) == 1u << rn->code);
		snprintf(want, sizeof(want), "rule %u off", rn->code);
		CHECK(strstr(why, want) != NULL);
		res[hook_index(h)].mech = PROBE_FENTRY;
	}
}

TEST(invariants_fixes_complete)
{
	unsigned long used = 0;

	for (int i = 0; i < FIX_END; i++) {
		const struct upstream_fix *f = &upstream_fixes[i];
		size_t n = strspn(f->commit, "0123456789abcdef");

		if (n != 12 || f->commit[n])
			unit_fail(__FILE__, __LINE__, "fix %d: commit \"%s\"", i, f->commit);
		CHECK(f->title && f->title[0]);
		CHECK(f->mainline && f->stable);
	}
	for_each_invariant (inv) {
		unsigned long set = invariant_fixes(inv);

		if (!set)
			unit_fail(__FILE__, __LINE__, "%s relates to no upstream fix", inv->id);
		used |= set;
	}
	for (int i = 0; i < FIX_END; i++)
		if (!(used & 1ul << i))
			unit_fail(__FILE__, __LINE__, "fix %s is no rule's",
				  upstream_fixes[i].commit);
	/* INV-4 is about two fixes: both, in the table's order. */
	CHECK_INT(invariant_fixes(invariant_by_number(4)),
		  1ul << FIX_DONT_CHANGE_MD | 1ul << FIX_SET_RESTRICTIONS);
}

/* @name, a path from the top of the tree ("docs/invariants.md"), read whole. */
static char *read_file(const char *name)
{
	char path[512], *buf = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/../../%s", unit_data_dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (getdelim(&buf, &cap, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static char *read_doc(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "docs/%s", name);
	return read_file(path);
}

#define GEN_BEGIN "<!-- generated from bpf/invariants.def (tests/unit/test_invariants.c) -->\n"
#define GEN_END "<!-- end of generated -->\n"

/* The docs' section of upstream fixes, as the table says it. */
static char *fixes_markdown(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, GEN_BEGIN "| rule | says | upstream fixes |\n|---|---|---|\n");
	for_each_inv_rule (r) {
		const char *sep = "";

		fprintf(f, "| INV-%u rule %u | %s | ", r->inv, r->code, r->message);
		for_each_rule_fix (x, r) {
			fprintf(f, "%s%s", sep, upstream_fixes[*x].commit);
			sep = ", ";
		}
		fprintf(f, " |\n");
	}
	fprintf(f, "\n| commit | title | first mainline release | stable |\n|---|---|---|---|\n");
	for (int i = 0; i < FIX_END; i++) {
		const struct upstream_fix *x = &upstream_fixes[i];

		fprintf(f, "| %s | %s | %s | %s |\n", x->commit, x->title,
			x->mainline[0] ? x->mainline : "not recorded",
			x->stable[0] ? x->stable : "-");
	}
	fprintf(f, GEN_END);
	fclose(f);
	return buf;
}

TEST(invariants_doc_fixes_generated)
{
	char *doc = read_doc("invariants.md"), *want = fixes_markdown();
	const char *begin = doc ? strstr(doc, GEN_BEGIN) : NULL;
	const char *end = begin ? strstr(begin, GEN_END) : NULL;

	CHECK(want);
	if (want && (!begin || !end || (size_t)(end + strlen(GEN_END) - begin) != strlen(want) ||
		     strncmp(begin, want, strlen(want))))
		unit_fail(__FILE__, __LINE__,
			  "docs/invariants.md: the fixes section is not bpf/invariants.def's; "
			  "it should read:\n%s",
			  want);
	free(doc);
	free(want);
}

#define MAN_PAGE "man/dmswap-trace.8"
#define MAN_BEGIN ".\\\" generated from bpf/invariants.def (tests/unit/test_invariants.c)\n"
#define MAN_END ".\\\" end of generated\n"

/* @s as roff text: a backslash is \e, a hyphen-minus \- (names are typed as such). */
static void roff_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* The manual page's INVARIANTS list: a tagged paragraph per invariant, its title. */
static char *invariants_roff(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs(MAN_BEGIN, f);
	for_each_invariant (inv) {
		fputs(".TP\n.B ", f);
		roff_text(f, inv->id);
		fputc('\n', f);
		roff_text(f, inv->title);
		fputs(".\n", f);
	}
	fputs(MAN_END, f);
	fclose(f);
	return buf;
}

TEST(invariants_man_page_list_generated)
{
	char *page = read_file(MAN_PAGE), *want = invariants_roff();
	const char *begin = page ? strstr(page, MAN_BEGIN) : NULL;
	const char *end = begin ? strstr(begin, MAN_END) : NULL;

	CHECK(want);
	if (want && (!begin || !end || (size_t)(end + strlen(MAN_END) - begin) != strlen(want) ||
		     strncmp(begin, want, strlen(want))))
		unit_fail(
			__FILE__, __LINE__,
			"%s: the INVARIANTS list is not bpf/invariants.def's; it should read:\n%s",
			MAN_PAGE, want);
	free(page);
	free(want);
}

/* The row of INV-@n in the docs' main table, up to its end of line. */
static const char *doc_row(const char *doc, unsigned int n, size_t *len)
{
	char key[16];
	const char *row;

	snprintf(key, sizeof(key), "\n| INV-%u |", n);
	row = strstr(doc, key);
	if (!row)
		return NULL;
	row++;
	*len = strcspn(row, "\n");
	return row;
}

TEST(invariants_doc_rows)
{
	char *doc = read_doc("invariants.md");
	const char *prev = NULL;

	CHECK(doc);
	if (!doc)
		return;
	for_each_invariant (inv) {
		size_t len = 0;
		const char *row = doc_row(doc, inv->n, &len);
		unsigned int rules = 0;
		char mention[32];

		if (!row || row < prev) {
			unit_fail(__FILE__, __LINE__, "docs/invariants.md: %s's row %s", inv->id,
				  row ? "out of order" : "missing");
			continue;
		}
		prev = row;
		for_each_inv_rule (r)
			rules += r->inv == inv->n;
		/* One rule: the row is its description; more: each by number. */
		for_each_inv_rule (r) {
			if (r->inv != inv->n || rules < 2)
				continue;
			snprintf(mention, sizeof(mention), "rule %u:", r->code);
			if (!memmem(row, len, mention, strlen(mention)))
				unit_fail(__FILE__, __LINE__,
					  "docs/invariants.md: %s row lacks \"%s\"", inv->id,
					  mention);
		}
	}
	free(doc);
}

/* A record of an invariant the table does not have is malformed, never counted. */
TEST(invariants_event_check_bounds)
{
	struct dmswap_event e = { .type = DMSWAP_EV_VIOLATION };

	e.violation.inv = DMSWAP_NR_INV;
	CHECK_INT(event_check(&e, sizeof(e)), 0);
	e.violation.inv = DMSWAP_NR_INV + 1;
	CHECK(event_check(&e, sizeof(e)) < 0);
	e.violation.inv = 0;
	CHECK(event_check(&e, sizeof(e)) < 0);
}
