// SPDX-License-Identifier: GPL-2.0
/*
 * Probe resolution against what the lab kernels really offer: samples of
 * their BTF function lists, available_filter_functions and kallsyms,
 * recorded in the guest (tests/data/KERNEL/, see tests/data/README.md).
 */
#include <stdlib.h>

#include "hooks.h"
#include "offer.h"
#include "probe.h"
#include "unit.h"

static int load_sample(struct kernel_offer *k, const char *kernel)
{
	static const char *const files[] = { "btf_funcs.txt", "available_filter_functions.txt",
					     "kallsyms.txt" };
	int (*parsers[])(struct kernel_offer *, FILE *,
			 const char *const *) = { offer_parse_btf_list, offer_parse_ftrace,
						  offer_parse_kallsyms };

	for (int i = 0; i < 3; i++) {
		char path[512];
		FILE *f;
		int err;

		snprintf(path, sizeof(path), "%s/%s/%s", unit_data_dir, kernel, files[i]);
		f = fopen(path, "r");
		if (!f) {
			unit_fail(__FILE__, __LINE__, "missing sample %s", path);
			return -1;
		}
		err = parsers[i](k, f, offer_wanted_names());
		fclose(f);
		if (err)
			return err;
	}
	offer_finish(k);
	return 0;
}

static void expect(const struct kernel_offer *k, enum probe_policy policy, const char *hook,
		   enum probe_mech mech, const char *target)
{
	struct probe_result r;

	probe_resolve(hook_by_name(hook), k, policy, &r);
	if (r.mech != mech || strcmp(r.target, target))
		unit_fail(__FILE__, __LINE__, "%s: got %s %s (%s), want %s %s", hook,
			  probe_mech_name(r.mech), r.target, r.why, probe_mech_name(mech), target);
}

static void expect_common(const struct kernel_offer *k, enum probe_policy policy)
{
	enum probe_mech m = policy == PROBE_FORCE_KPROBE ? PROBE_KPROBE : PROBE_FENTRY;

	expect(k, policy, "dm_suspend", m, "dm_suspend");
	expect(k, policy, "dm_swap_table", m, "dm_swap_table");
	expect(k, policy, "dm_table_set_restrictions", m, "dm_table_set_restrictions");
	expect(k, policy, "dm_resume", m, "dm_resume");
	expect(k, policy, "dm_blk_report_zones", m, "dm_blk_report_zones");
	/* Inlined everywhere: seen at dm_swap_table. */
	expect(k, policy, "__bind", PROBE_OBSERVED, "dm_swap_table");
}

TEST(probe_6_1)
{
	struct kernel_offer k = {};

	if (load_sample(&k, "6.1"))
		return;
	expect_common(&k, PROBE_PREFER_FENTRY);
	/* dm_revalidate_zones is inlined into dm_set_zones_restrictions. */
	expect(&k, PROBE_PREFER_FENTRY, "dm_revalidate_zones", PROBE_FENTRY,
	       "dm_set_zones_restrictions");
	expect(&k, PROBE_PREFER_FENTRY, "dm_blk_do_report_zones", PROBE_KPROBE,
	       "dm_blk_do_report_zones.isra.0");
	expect_common(&k, PROBE_FORCE_KPROBE);
	expect(&k, PROBE_FORCE_KPROBE, "dm_revalidate_zones", PROBE_KPROBE,
	       "dm_set_zones_restrictions");
	offer_free(&k);
}

TEST(probe_6_12)
{
	struct kernel_offer k = {};

	if (load_sample(&k, "6.12"))
		return;
	expect_common(&k, PROBE_PREFER_FENTRY);
	expect(&k, PROBE_PREFER_FENTRY, "dm_revalidate_zones", PROBE_FENTRY, "dm_revalidate_zones");
	expect(&k, PROBE_PREFER_FENTRY, "dm_blk_do_report_zones", PROBE_KPROBE,
	       "dm_blk_do_report_zones.isra.0");
	expect_common(&k, PROBE_FORCE_KPROBE);
	offer_free(&k);
}

TEST(probe_latest)
{
	struct kernel_offer k = {};

	if (load_sample(&k, "latest"))
		return;
	expect_common(&k, PROBE_PREFER_FENTRY);
	expect(&k, PROBE_PREFER_FENTRY, "dm_revalidate_zones", PROBE_FENTRY, "dm_revalidate_zones");
	expect(&k, PROBE_PREFER_FENTRY, "dm_blk_do_report_zones", PROBE_FENTRY,
	       "dm_blk_do_report_zones");
	expect(&k, PROBE_FORCE_KPROBE, "dm_blk_do_report_zones", PROBE_KPROBE,
	       "dm_blk_do_report_zones");
	offer_free(&k);
}

/* Synthetic offers for the fallbacks no lab kernel shows. */
static void offer_from(struct kernel_offer *k, const char *btf, const char *ftrace,
		       const char *kallsyms)
{
	FILE *f;

	memset(k, 0, sizeof(*k));
	f = fmemopen((void *)btf, strlen(btf), "r");
	offer_parse_btf_list(k, f, offer_wanted_names());
	fclose(f);
	f = fmemopen((void *)ftrace, strlen(ftrace), "r");
	offer_parse_ftrace(k, f, offer_wanted_names());
	fclose(f);
	f = fmemopen((void *)kallsyms, strlen(kallsyms), "r");
	offer_parse_kallsyms(k, f, offer_wanted_names());
	fclose(f);
	offer_finish(k);
}

TEST(probe_fallbacks)
{
	struct kernel_offer k;
	struct probe_result r;

	/* No BTF for dm_suspend: kprobe.  dm_resume only notrace: kprobe. */
	offer_from(&k, "dm_mod dm_resume\n", "dm_suspend [dm_mod]\n",
		   "0 t dm_suspend [dm_mod]\n0 T dm_resume [dm_mod]\n");
	probe_resolve(hook_by_name("dm_suspend"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK_INT(r.mech, PROBE_KPROBE);
	CHECK(strstr(r.why, "no BTF") != NULL);
	probe_resolve(hook_by_name("dm_resume"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK_INT(r.mech, PROBE_KPROBE);
	CHECK(strstr(r.why, "available_filter_functions") != NULL);
	offer_free(&k);

	/* A hook that reads arguments refuses a clone; a marker takes it. */
	offer_from(&k, "",
		   "dm_swap_table.constprop.0 [dm_mod]\n"
		   "dm_blk_do_report_zones.part.0 [dm_mod]\n",
		   "");
	probe_resolve(hook_by_name("dm_swap_table"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK_INT(r.mech, PROBE_ABSENT);
	CHECK(strstr(r.why, "dm_swap_table.constprop.0") != NULL);
	probe_resolve(hook_by_name("dm_blk_do_report_zones"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK_INT(r.mech, PROBE_KPROBE);
	CHECK_STR(r.target, "dm_blk_do_report_zones.part.0");
	/* Nothing at all: absent, and said why. */
	probe_resolve(hook_by_name("dm_resume"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK_INT(r.mech, PROBE_ABSENT);
	CHECK(strstr(r.why, "inlined or not in this kernel") != NULL);
	offer_free(&k);
}

TEST(offer_keeps_only_wanted_names)
{
	const char *const wanted[] = { "dm_resume", NULL };

	CHECK(offer_name_wanted("dm_resume", 9, wanted));
	CHECK(offer_name_wanted("dm_resume.isra.0", 16, wanted));
	CHECK(!offer_name_wanted("dm_resume_md", 12, wanted));
	CHECK(!offer_name_wanted("dm_resum", 8, wanted));
}

/*
 * Without CAP_SYS_ADMIN the module's BTF object is out of reach: dm_mod's
 * functions fall back to kprobes.
 */
TEST(probe_module_btf_denied)
{
	struct kernel_offer k = {};
	struct probe_result r;

	if (load_sample(&k, "6.12"))
		return;
	k.module_btf_denied = true;
	expect(&k, PROBE_PREFER_FENTRY, "dm_suspend", PROBE_KPROBE, "dm_suspend");
	expect(&k, PROBE_PREFER_FENTRY, "dm_swap_table", PROBE_KPROBE, "dm_swap_table");
	probe_resolve(hook_by_name("dm_resume"), &k, PROBE_PREFER_FENTRY, &r);
	CHECK(strstr(r.why, "CAP_SYS_ADMIN") != NULL);
	offer_free(&k);
}
