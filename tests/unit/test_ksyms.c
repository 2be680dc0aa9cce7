// SPDX-License-Identifier: GPL-2.0
/* Stack symbolization and the rendering of evidence fields. */
#include <stdlib.h>
#include <unistd.h>

#include "fields.h"
#include "ksyms.h"
#include "unit.h"

static const char sample[] = "ffffffff81000000 T _stext\n"
			     "ffffffff81001000 t do_syscall_64\n"
			     "ffffffff81002000 D some_data\n"
			     "ffffffffc0400000 t dm_swap_table\t[dm_mod]\n"
			     "ffffffffc0400400 t dev_suspend\t[dm_mod]\n"
			     "0000000000000000 t hidden_by_kptr_restrict\n";

static struct ksym_table *load(void)
{
	FILE *f = fmemopen((void *)sample, sizeof(sample) - 1, "r");
	struct ksym_table *t = ksym_load(f);

	fclose(f);
	return t;
}

TEST(ksym_resolves_vmlinux_and_module_symbols)
{
	struct ksym_table *t = load();
	char buf[128];

	ksym_format(t, 0xffffffff81001010ull, buf, sizeof(buf));
	CHECK_STR(buf, "do_syscall_64+0x10");
	ksym_format(t, 0xffffffffc0400009ull, buf, sizeof(buf));
	CHECK_STR(buf, "dm_swap_table+0x9 [dm_mod]");
	ksym_format(t, 0xffffffffc04004b7ull, buf, sizeof(buf));
	CHECK_STR(buf, "dev_suspend+0xb7 [dm_mod]");
	ksym_free(t);
}

TEST(ksym_unknown_addresses_stay_numeric)
{
	struct ksym_table *t = load();
	char buf[128];

	/* Below the first symbol, and far past the last (a trampoline). */
	ksym_format(t, 0x1000, buf, sizeof(buf));
	CHECK_STR(buf, "0x1000");
	ksym_format(t, 0xffffffffc0800000ull, buf, sizeof(buf));
	CHECK_STR(buf, "0xffffffffc0800000");
	ksym_format(NULL, 0xffffffff81001010ull, buf, sizeof(buf));
	CHECK_STR(buf, "0xffffffff81001010");
	CHECK(ksym_is_bpf("bpf_prog_x_dm_swap_table__fexit+0x10 [bpf]"));
	CHECK(!ksym_is_bpf("dm_swap_table+0x9 [dm_mod]"));
	ksym_free(t);
}

TEST(fields_never_print_pointers)
{
	char before[64], after[64];

	field_format(DMSWAP_F_WPLUGS_HASH, 0xffff888004123c00ull, after, sizeof(after));
	CHECK_STR(after, "set");
	field_format(DMSWAP_F_WPLUGS_HASH, 0, after, sizeof(after));
	CHECK_STR(after, "null");
	field_format_change(DMSWAP_F_MAP, 0xffff888000000001ull, 0xffff888000000002ull, before,
			    after, sizeof(before));
	CHECK_STR(before, "set");
	CHECK_STR(after, "set (replaced)");
}

TEST(fields_render_by_kind)
{
	char buf[64];

	field_format(DMSWAP_F_LIM_ZONED, DMSWAP_ZONED_HM, buf, sizeof(buf));
	CHECK_STR(buf, "host-managed");
	field_format(DMSWAP_F_ERRNO, 22, buf, sizeof(buf));
	CHECK_STR(buf, "EINVAL");
	field_format(DMSWAP_F_EMULATE_ZA, 1, buf, sizeof(buf));
	CHECK_STR(buf, "true");
	field_format(DMSWAP_F_SRCU_PUT_IDX, (uint64_t)-1, buf, sizeof(buf));
	CHECK_STR(buf, "-1");
	field_format(DMSWAP_F_LIM_LOGICAL_BS, 4096, buf, sizeof(buf));
	CHECK_STR(buf, "4096");
	CHECK(field_is_numeric(DMSWAP_F_CAPACITY));
	CHECK(!field_is_numeric(DMSWAP_F_MAP));
	/* Every field has a name. */
	for (unsigned int f = 0; f < DMSWAP_F_MAX; f++)
		CHECK(strcmp(field_name(f), "unknown") != 0);
}

/*
 * Once the capabilities are dropped, /proc/kallsyms opened anew shows no
 * addresses: the table is read through the descriptor opened while
 * privileged (the kernel decides at open), and read again through it when
 * /proc/modules changes (a module loaded since: its frames are named).
 */
TEST(ksym_reread_through_the_kept_descriptor_when_modules_change)
{
	char dir[] = "/tmp/dmswap-ksyms-XXXXXX", syms[64], mods[64], other[64], kept[64];
	char buf[128];
	const struct ksym_table *t;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(syms, sizeof(syms), "%s/kallsyms", dir);
	snprintf(mods, sizeof(mods), "%s/modules", dir);
	snprintf(other, sizeof(other), "%s/unprivileged", dir);
	snprintf(kept, sizeof(kept), "%s/kept", dir);
	f = fopen(syms, "w");
	fputs(sample, f);
	fclose(f);
	f = fopen(mods, "w");
	fputs("dm_mod 188416 1 - Live 0x0000000000000000\n", f);
	fclose(f);
	ksym_set_sources(syms, mods);
	CHECK_INT(ksym_keep_open(), 0);
	/* What an unprivileged open would see now takes the name: not read. */
	CHECK(!link(syms, kept));
	f = fopen(other, "w");
	fputs("0000000000000000 t dm_swap_table\t[dm_mod]\n", f);
	fclose(f);
	CHECK(!rename(other, syms));
	t = ksym_running();
	ksym_format(t, 0xffffffffc0400009ull, buf, sizeof(buf));
	CHECK_STR(buf, "dm_swap_table+0x9 [dm_mod]");
	/* dm_crypt loaded later: the kept file grows (as kallsyms would), modules change. */
	f = fopen(kept, "a");
	fputs("ffffffffc0600000 t crypt_map\t[dm_crypt]\n", f);
	fclose(f);
	/* Not read again while /proc/modules is the same. */
	ksym_format(ksym_running(), 0xffffffffc0600010ull, buf, sizeof(buf));
	CHECK_STR(buf, "0xffffffffc0600010");
	f = fopen(mods, "a");
	fputs("dm_crypt 61440 0 - Live 0x0000000000000000\n", f);
	fclose(f);
	ksym_format(ksym_running(), 0xffffffffc0600010ull, buf, sizeof(buf));
	CHECK_STR(buf, "crypt_map+0x10 [dm_crypt]");
	ksym_set_sources(NULL, NULL);
	snprintf(buf, sizeof(buf), "rm -rf '%s'", dir);
	CHECK(!system(buf));
}
