// SPDX-License-Identifier: GPL-2.0
/* Fault-injection detection for explore, on recorded error-injection lists. */
#include <bpf/btf.h>
#include <stdio.h>

#include "faultinject.h"
#include "unit.h"

static FILE *sample(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/faultinject/%s", unit_data_dir, name);
	return fopen(path, "re");
}

TEST(faultinject_lab_kernel_available)
{
	FILE *f = sample("list-fi.txt");
	struct fault_offer fo = {};

	CHECK(f);
	fault_offer_decide(&fo, true, f, true);
	CHECK_INT(fo.state, FAULT_AVAILABLE);
	CHECK(fo.in_list);
	CHECK(strstr(fo.why, "fmod_ret on should_failslab") != NULL);
	if (f)
		fclose(f);
}

TEST(faultinject_stock_kernel_says_why)
{
	struct fault_offer fo = {};

	/* Debian: no FAILSLAB, so should_failslab is a static inline, not in BTF. */
	fault_offer_decide(&fo, false, NULL, true);
	CHECK_INT(fo.state, FAULT_UNAVAILABLE);
	CHECK(strstr(fo.why, "CONFIG_FAILSLAB") != NULL);
}

TEST(faultinject_not_on_the_list)
{
	FILE *f = sample("list-no-failslab.txt");
	struct fault_offer fo = {};

	CHECK(f);
	fault_offer_decide(&fo, true, f, true);
	CHECK_INT(fo.state, FAULT_UNAVAILABLE);
	CHECK(strstr(fo.why, "CONFIG_FUNCTION_ERROR_INJECTION") != NULL);
	if (f)
		fclose(f);
}

TEST(faultinject_no_list_with_debugfs)
{
	struct fault_offer fo = {};

	/* Debian 6.1: should_failslab is always a function, but no error injection. */
	fault_offer_decide(&fo, true, NULL, true);
	CHECK_INT(fo.state, FAULT_UNAVAILABLE);
	CHECK(strstr(fo.why, "no error-injection list") != NULL);
	/* Without debugfs nothing is known: try, and let the attach decide. */
	fault_offer_decide(&fo, true, NULL, false);
	CHECK_INT(fo.state, FAULT_AVAILABLE);
}

TEST(faultinject_gfp_nofail_from_btf)
{
	struct btf *btf = btf__new_empty();
	int id;

	CHECK(btf);
	if (!btf)
		return;
	CHECK_INT(fault_gfp_nofail(btf), 0); /* 6.1: a #define, not in BTF */
	/* 6.12: an anonymous enum of bit numbers (gfp_types.h). */
	id = btf__add_enum(btf, NULL, 4);
	CHECK(id > 0);
	btf__add_enum_value(btf, "___GFP_DMA_BIT", 0);
	btf__add_enum_value(btf, "___GFP_NOFAIL_BIT", 15);
	CHECK_INT(fault_gfp_nofail(btf), 0x8000);
	btf__free(btf);
}
