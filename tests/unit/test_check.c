// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check's pieces below main(): the synthesized and captured memory maps, the plan
 * made with the partition library, and the table and JSON printers. tests/cli/ runs the
 * tool itself. Run from the repository root (the captured samples are read by path).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "partition/memmap_efi.h"
#include "tools/check.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TWO(a, b) "[guest a]\nkernel = \\a\n" a "\n[guest b]\nkernel = \\b\n" b "\n"

static struct memmap_entry synth[CHECK_SYNTH_MAX];

static uint64_t usable(size_t n)
{
	struct memmap map = { synth, n, CHECK_SYNTH_MAX };

	return check_map_usable(&map);
}

static void test_check_map_synth_small(void **state)
{
	size_t n = check_map_synth(1 * GiB, synth, CHECK_SYNTH_MAX);

	/* Below 2G all RAM stays below 4G: no entry above it. */
	assert_int_equal(n, 9);
	assert_true(synth[0].base == 0 && synth[0].size == 0x9f000);
	assert_int_equal(synth[0].type, MEMMAP_USABLE);
	assert_true(synth[1].base == 0x9f000 && synth[1].size == 0x61000);
	assert_int_equal(synth[1].type, MEMMAP_RESERVED);
	assert_true(synth[2].base == MiB && synth[2].size == GiB - 2 * MiB);
	assert_int_equal(synth[2].efi_type, EFI_MT_CONVENTIONAL);
	/* The 1M tail: runtime code and data (reserved for good), ACPI tables and NVS. */
	assert_int_equal(synth[3].type, MEMMAP_RESERVED);
	assert_int_equal(synth[4].type, MEMMAP_RESERVED);
	assert_int_equal(synth[5].type, MEMMAP_ACPI);
	assert_int_equal(synth[6].type, MEMMAP_NVS);
	assert_int_equal(synth[6].base + synth[6].size, GiB);
	assert_int_equal(synth[7].base, 0xb0000000);
	assert_int_equal(synth[8].type, MEMMAP_MMIO);
	assert_int_equal(usable(n), 0x9f000 + GiB - 2 * MiB);
}

static void test_check_map_synth_large(void **state)
{
	size_t n = check_map_synth(3 * GiB, synth, CHECK_SYNTH_MAX);

	/* As q35 with -m 3072: 2G below 4G, the other 1G from 4G up. */
	assert_int_equal(n, CHECK_SYNTH_MAX);
	assert_int_equal(synth[6].base + synth[6].size, 2 * GiB);
	assert_true(synth[9].base == 4 * GiB && synth[9].size == GiB);
	assert_int_equal(synth[9].type, MEMMAP_USABLE);
	assert_int_equal(usable(n), 0x9f000 + 2 * GiB - 2 * MiB + GiB);

	/* Exactly 2G: nothing above 4G yet. */
	assert_int_equal(check_map_synth(2 * GiB, synth, CHECK_SYNTH_MAX), 9);
}

static void test_check_map_synth_bounds(void **state)
{
	/* The smallest map still has 1M..3M; RAM is cut to whole pages. */
	assert_int_equal(check_map_synth(CHECK_RAM_MIN, synth, CHECK_SYNTH_MAX), 9);
	assert_int_equal(synth[2].size, 2 * MiB);
	assert_int_equal(check_map_synth(CHECK_RAM_MIN + 0xfff, synth, CHECK_SYNTH_MAX), 9);
	assert_int_equal(synth[6].base + synth[6].size, CHECK_RAM_MIN);
	assert_int_equal(check_map_synth(CHECK_RAM_MIN - 1, synth, CHECK_SYNTH_MAX), 0);
	assert_int_equal(check_map_synth(CHECK_RAM_MAX + 0x1000, synth, CHECK_SYNTH_MAX), 0);
	assert_int_equal(check_map_synth(CHECK_RAM_MAX, synth, CHECK_SYNTH_MAX), 10);
	assert_true(synth[9].base + synth[9].size <= PARTITION_PHYS_LIMIT);
	assert_int_equal(check_map_synth(1 * GiB, synth, CHECK_SYNTH_MAX - 1), 0);
}

static void test_check_map_load(void **state)
{
	struct check_machine m = { .memmap_path = "partition/samples/ovmf-q35-1g.memmap" };
	char err[512], want[512], bad[] = "/tmp/test_check_XXXXXX";
	FILE *f;
	int fd;

	assert_int_equal(check_map_load(&m, err, sizeof(err)), 0);
	assert_int_equal(m.map.count, 122);
	/* OVMF's own summary of this map, as the EFI app logged it. */
	assert_int_equal(check_map_usable(&m.map), 1066983424);
	check_map_free(&m);

	m.memmap_path = "partition/samples/no-such.memmap";
	assert_int_equal(check_map_load(&m, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "partition/samples/no-such.memmap: cannot read: No such file "
				 "or directory");

	/* A malformed line: the parser's message, after the file's name. */
	fd = mkstemp(bad);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("twinmon-memmap 1\nconventional 0x100000 16 0xf\nconventional 0x100\n", f);
	fclose(f);
	m.memmap_path = bad;
	assert_int_equal(check_map_load(&m, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: partition: memmap line 3: ", bad);
	assert_memory_equal(err, want, strlen(want));
	check_map_free(&m);
	remove(bad);

	m = (struct check_machine){ .ram = 2 * MiB };
	assert_int_equal(check_map_load(&m, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--ram: 2M is outside 4M..64T");
	check_map_free(&m);
}

static void test_check_entries(void **state)
{
	struct twin_config cfg;
	uint32_t e = 99;

	assert_int_equal(check_entry_parse("direct-b", &e), 0);
	assert_int_equal(e, CONFIG_BOOT_DIRECT_B);
	assert_int_equal(check_entry_parse("twin", &e), 0);
	assert_int_equal(e, CONFIG_BOOT_TWIN);
	/* "exit" starts nothing: there is no plan to show for it. */
	assert_int_equal(check_entry_parse("exit", &e), -EINVAL);
	assert_int_equal(check_entry_parse("Twin", &e), -EINVAL);
	assert_int_equal(check_entry_parse("", &e), -EINVAL);

	config_defaults(&cfg);
	cfg.mode = CONFIG_MODE_B_ALONE;
	cfg.boot_default = CONFIG_BOOT_DIRECT_A;
	assert_int_equal(check_entry_default(&cfg), CONFIG_BOOT_B_ALONE);
}

/* The tool's steps for one config text: parse, then plan on machine m unless it is NULL. */
static struct check_file *plan_text(const char *t, struct check_machine *m, int entry)
{
	static struct check_file cf;
	char err[256];

	memset(&cf, 0, sizeof(cf));
	cf.path = "p.conf";
	cf.valid = config_parse("p.conf", t, strlen(t), &cf.cfg, &cf.diag) == 0;
	assert_true(cf.valid);
	if (m) {
		assert_int_equal(check_map_load(m, err, sizeof(err)), 0);
		cf.machine = m;
		check_plan_build(&cf, entry < 0 ? check_entry_default(&cf.cfg) : (uint32_t)entry);
	}
	return &cf;
}

static void test_check_plan_twin(void **state)
{
	struct check_machine m = { .ram = 2 * GiB };
	struct check_file *cf = plan_text(TWO("memory = 64M", "memory = 64M"), &m, -1);
	const struct partition_plan *p = &cf->plan;
	const struct partition_range *mon = &p->monitor[0].r;

	assert_true(cf->valid);
	assert_true(p->built && cf->monitor_runs);
	assert_int_equal(cf->entry, CONFIG_BOOT_TWIN);
	/* The estimate: 16M, 2M aligned, below 4G, owned by neither guest. */
	assert_int_equal(p->nr_monitor, 1);
	assert_int_equal(mon->end - mon->base, CHECK_MONITOR_SIZE);
	assert_int_equal(mon->base % CHECK_MONITOR_ALIGN, 0);
	assert_true(mon->end <= PARTITION_4G);
	assert_int_equal(partition_page_owner(p, mon->base), PARTITION_OWNER_MONITOR);
	/* TwinOS: A from the top, B from 1M; both with a share below 640K. */
	assert_true(p->guest[0].ram[p->guest[0].nr_ram - 1].end > p->guest[1].ram[0].end);
	assert_true(p->guest[0].ram[1].base > p->guest[1].ram[p->guest[1].nr_ram - 1].end);
	assert_int_equal(p->guest[1].ram[1].base, MiB);
	assert_true(p->guest[0].low_bytes && p->guest[1].low_bytes);
	check_map_free(&m);
}

static void test_check_plan_fails(void **state)
{
	struct check_machine m = { .ram = 256 * MiB };
	struct check_file *cf = plan_text(TWO("memory = 512M", "memory = 64M"), &m, -1);
	char got[512];

	/* The library's message, whole-file, and the file is no longer valid. */
	assert_false(cf->valid);
	assert_int_equal(cf->diag.count, 1);
	config_diag_format(&cf->diag, 0, got, sizeof(got));
	assert_string_equal(got, "p.conf: partition: guest a: wants 512M high, only 238M usable "
				 "left (short by 274M)");
	check_map_free(&m);

	cf = plan_text("[global]\nmode = a-alone\n[guest a]\nkernel = \\a\n", &m,
		       CONFIG_BOOT_B_ALONE);
	assert_false(cf->valid);
	config_diag_format(&cf->diag, 0, got, sizeof(got));
	assert_string_equal(got, "p.conf: partition: b-alone needs [guest b], which the config "
				 "lacks");
	check_map_free(&m);
}

static void test_check_plan_direct(void **state)
{
	struct check_machine m = { .memmap_path = "partition/samples/ovmf-q35-3g.memmap" };
	struct check_file *cf = plan_text(TWO("memory = 1G", ""), &m, CONFIG_BOOT_DIRECT_A);
	const struct partition_plan *p = &cf->plan;

	/* No monitor, only what the app keeps until the jump; guest b is not started. */
	assert_true(cf->valid);
	assert_false(cf->monitor_runs);
	assert_int_equal(p->monitor_bytes, CHECK_DIRECT_SIZE);
	assert_true(p->guest[0].present);
	assert_false(p->guest[1].present);
	assert_int_equal(p->guest[0].ram[p->guest[0].nr_ram - 1].end, 5 * GiB);
	check_map_free(&m);
}

static char *print(struct check_file *cf, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	if (json)
		check_print_json(f, cf, 1);
	else
		check_print_table(f, cf);
	fclose(f);
	return out;
}

static void test_check_table(void **state)
{
	static const char text[] = "[global]\nlog-port = none\nslice-a = 20ms\n" TWO(
		"name = Ünï A\n"
		"cmdline = one two three four five six seven eight nine ten eleven\n"
		"uarts = com1",
		"memory = 64M\npci = 00:1f.2");
	char *out = print(plan_text(text, NULL, -1), false);

	/* Labels, guest columns aligned, long values wrapped at a blank, no trailing blanks. */
	assert_non_null(strstr(out, "p.conf: valid\n  mode          twin\n"));
	assert_non_null(strstr(out, "  log-port      none\n"));
	assert_non_null(strstr(out, "\n                [guest a]                               "
				    "[guest b]\n"));
	assert_non_null(strstr(out, "\n  name          Ünï A                                   "
				    "guest b\n"));
	assert_non_null(strstr(out, "\n  cmdline       one two three four five six seven       "
				    "-\n                eight nine ten eleven\n"));
	assert_non_null(strstr(out, "\n  memory        auto high                               "
				    "64M low\n"));
	/* Without a machine, no plan. */
	assert_null(strstr(out, "plan for entry"));
	assert_null(strstr(out, " \n"));
	free(out);
}

static void test_check_table_plan(void **state)
{
	struct check_machine m = { .ram = 2 * GiB };
	char *out = print(plan_text("[global]\nslice-a = 20ms\n" TWO("memory = 64M",
								     "memory = 64M"),
				    &m, -1),
			  false);

	assert_non_null(strstr(out, "\n  plan for entry twin\n  memory map    synthesized q35 map "
				    "for --ram 2G: 9 descriptors, 2095740K usable\n"));
	assert_non_null(strstr(out, "\n  monitor       16M at 0x7ee00000-0x7fdfffff (estimate: "));
	/* The guests' summary lines up in columns; the slices are the config's. */
	assert_non_null(strstr(out, "\n                guest a"));
	assert_non_null(strstr(out, "\n  slice         20ms"));
	assert_non_null(strstr(out, "10ms\n"));
	/* Then partition_plan_print(), indented: monitor, per guest RAM, e820, devices. */
	assert_non_null(strstr(out, "\n  partition plan\n"));
	assert_non_null(strstr(out, "\n    mon    0x000000007ee00000-0x000000007fdfffff      16M  "
				    "monitor (estimate)\n"));
	assert_non_null(strstr(out, "\n    ram    0x0000000000100000-"));
	assert_non_null(strstr(out, "\n    e820   0x00000000b0000000-0x00000000bfffffff     256M  "
				    "reserved\n"));
	assert_non_null(strstr(out, "\n    ports  0xcf8-0xcff (PCI configuration)\n"));
	assert_null(strstr(out, " \n"));
	free(out);
	check_map_free(&m);
}

static void test_check_json(void **state)
{
	struct check_file *cf = plan_text("[global]\nmode = a-alone\n[guest a]\nkernel = \\k\n"
					  "name = q\"x\\y\ncmdline = tab\tin\n",
					  NULL, -1);
	char *out = print(cf, true);

	assert_non_null(strstr(out, "\"version\": 2,"));
	assert_non_null(strstr(out, "\"valid\": true"));
	assert_non_null(strstr(out, "\"kernel\": \"\\\\k\""));
	/* Quotes, backslashes and tabs escaped so the output stays JSON. */
	assert_non_null(strstr(out, "\"name\": \"q\\\"x\\\\y\""));
	assert_non_null(strstr(out, "\"cmdline\": \"tab\\u0009in\""));
	assert_non_null(strstr(out, "\"b\": null"));
	assert_null(strstr(out, "\"plan\": {"));
	free(out);

	memset(cf, 0, sizeof(*cf));
	cf->path = "p.conf";
	config_parse("p.conf", "[guest a]\nkernal = x\n", 21, &cf->cfg, &cf->diag);
	out = print(cf, true);
	assert_non_null(strstr(out, "\"valid\": false"));
	assert_non_null(strstr(out, "{\"line\": 2, \"column\": 1, \"message\": \"unknown key "
				    "'kernal' in [guest a]; "));
	assert_non_null(strstr(out, "\"text\": \"p.conf:2:1: unknown key"));
	assert_null(strstr(out, "\"guests\""));
	free(out);
}

static void test_check_json_plan(void **state)
{
	struct check_machine m = { .ram = 2 * GiB };
	char *out = print(plan_text(TWO("memory = 64M\nuarts = com1", "memory = 64M low"), &m,
				    -1),
			  true);

	assert_non_null(strstr(out, "\"plan\": {\n        \"entry\": \"twin\",\n"));
	assert_non_null(strstr(out, "\"machine\": {\"memmap\": null, \"ram\": 2147483648, "
				    "\"descriptors\": 9, \"usable\": 2146037760}"));
	assert_non_null(strstr(out, "\"monitor\": {\"runs\": true, \"estimate\": true, "
				    "\"bytes\": 16777216, \"ranges\": [{\"base\": 2128609280, "
				    "\"last\": 2145386495, \"size\": 16777216, \"label\": "
				    "\"monitor (estimate)\"}]"));
	/* Guest b's RAM: its share below 640K, then 1M up (64M, cut on a 2M boundary). */
	assert_non_null(strstr(out, "\"ram\": [{\"base\": 4096, \"last\": 327679, \"size\": "
				    "323584}, {\"base\": 1048576, \"last\": 69206015, "));
	assert_non_null(strstr(out, "{\"base\": 2952790016, \"last\": 3221225471, \"size\": "
				    "268435456, \"type\": \"reserved\"}"));
	assert_non_null(strstr(out, "\"uarts\": [\"com1\"]"));
	assert_non_null(strstr(out, "\"irqs\": [4]"));
	assert_non_null(strstr(out, "\"slice_us\": 10000"));
	assert_non_null(strstr(out, "\"unassigned\": [{\"base\": "));
	free(out);
	check_map_free(&m);
}

/* The CPU plan needs no memory map: checked against --cpus, shown in the table and JSON. */
static void test_check_cpu_plan(void **state)
{
	struct check_file *cf = plan_text(TWO("cpus = 1", "cpus = 0"), NULL, -1);
	char *out;

	cf->nr_cpus = 2;
	assert_int_equal(check_cpu_plan_build(cf, CONFIG_BOOT_TWIN), 0);
	assert_true(cf->valid && cf->cpus_planned);
	assert_int_equal(cf->cpus.vcpu_cpu[0][0], 1);
	assert_int_equal(cf->cpus.vcpu_cpu[1][0], 0);
	out = print(cf, false);
	assert_non_null(strstr(out, "  cpus          1"));
	assert_non_null(strstr(out, "\n  CPUs for entry twin on a machine with 2 (--cpus)\n"
				    "  cpus: 2 used (0-1) of 2, core-partitioned; vCPUs: guest a 1, "
				    "guest b 1\n"));
	free(out);
	out = print(cf, true);
	assert_non_null(strstr(out, "\"cpus\": [1]"));
	assert_non_null(strstr(out, "\"machine_cpus\": 2"));
	assert_non_null(strstr(out, "\"vcpu_cpu\": {\n          \"a\": [1],\n          \"b\": [0]"));
	free(out);

	/* Guest a alone needs only its CPU; a direct entry plans none. */
	cf->nr_cpus = 1;
	assert_int_equal(check_cpu_plan_build(cf, CONFIG_BOOT_B_ALONE), 0);
	assert_int_equal(check_cpu_plan_build(cf, CONFIG_BOOT_DIRECT_A), 0);
	assert_false(cf->cpus_planned);
	assert_int_equal(check_cpu_plan_build(cf, CONFIG_BOOT_TWIN), -EINVAL);
	assert_false(cf->valid);
	assert_string_equal(cf->diag.msg[cf->diag.count - 1].text,
			    "partition: guest a: cpus = 1 (line 3) names CPU 1, but this machine "
			    "has 1 (0)");
}

/* ESP paths resolve as FAT finds names: case ignored, an exact match first, the rest kept. */
static void test_check_esp_resolve(void **state)
{
	char dir[] = "/tmp/twinmon-test-esp.XXXXXX", path[PATH_MAX], out[PATH_MAX];
	static const char *const made[] = { "EFI", "EFI/Twinmon", "EFI/Twinmon/VMLINUZ",
					    "EFI/Twinmon/vmlinuz-a", "EFI/Twinmon/Vmlinuz-A" };

	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
		if (i < 2) {
			assert_int_equal(mkdir(path, 0755), 0);
		} else {
			FILE *f = fopen(path, "w");

			assert_non_null(f);
			fclose(f);
		}
	}
	assert_int_equal(check_esp_resolve(dir, "\\EFI\\twinmon\\vmlinuz", out, sizeof(out)), 1);
	snprintf(path, sizeof(path), "%s/EFI/Twinmon/VMLINUZ", dir);
	assert_string_equal(out, path);
	/* Two names that differ only in case (not on FAT, but in a folder): the exact one. */
	assert_int_equal(check_esp_resolve(dir, "/efi//TWINMON/Vmlinuz-A", out, sizeof(out)), 1);
	snprintf(path, sizeof(path), "%s/EFI/Twinmon/Vmlinuz-A", dir);
	assert_string_equal(out, path);
	assert_int_equal(check_esp_resolve(dir, "\\efi\\twinmon\\vmlinuz-a", out, sizeof(out)), 1);
	snprintf(path, sizeof(path), "%s/EFI/Twinmon/vmlinuz-a", dir);
	assert_string_equal(out, path);
	/* Missing: where it would go, the part that exists as found, the rest as written. */
	assert_int_equal(check_esp_resolve(dir, "\\efi\\New\\initrd.img", out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/EFI/New/initrd.img", dir);
	assert_string_equal(out, path);
	/* A file where a folder is needed is not found either. */
	assert_int_equal(check_esp_resolve(dir, "\\EFI\\twinmon\\vmlinuz\\x", out, sizeof(out)), 0);
	assert_int_equal(check_esp_resolve(dir, "\\EFI\\twinmon\\vmlinuz", out, 8), -ENAMETOOLONG);
	for (size_t i = sizeof(made) / sizeof(made[0]); i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
		assert_int_equal(i < 2 ? rmdir(path) : unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_map_synth_small),
		cmocka_unit_test(test_check_map_synth_large),
		cmocka_unit_test(test_check_map_synth_bounds),
		cmocka_unit_test(test_check_map_load),
		cmocka_unit_test(test_check_entries),
		cmocka_unit_test(test_check_plan_twin),
		cmocka_unit_test(test_check_plan_fails),
		cmocka_unit_test(test_check_plan_direct),
		cmocka_unit_test(test_check_table),
		cmocka_unit_test(test_check_table_plan),
		cmocka_unit_test(test_check_json),
		cmocka_unit_test(test_check_json_plan),
		cmocka_unit_test(test_check_cpu_plan),
		cmocka_unit_test(test_check_esp_resolve),
	};
	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
