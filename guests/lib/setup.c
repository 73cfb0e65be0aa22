// SPDX-License-Identifier: GPL-2.0-only
/*
 * The common start of every test guest (see setup.h). Order matters: the IDT comes first so
 * that any mistake after it is reported; the zero page and the command line are copied
 * before anything else is written, since they sit in RAM the guest is about to use; the
 * guest's own page tables replace the loader's identity map, which lives in memory that
 * belongs to the monitor (or, booted directly, to nobody any more).
 */
#include "guests/lib/setup.h"

#include <errno.h>
#include <stdarg.h>

#include "guests/lib/cmdline.h"
#include "guests/lib/cpu.h"
#include "guests/lib/desc.h"
#include "guests/lib/out.h"
#include "guests/lib/uart.h"
#include "lib/fmt.h"

#define SETUP_FAIL_CODE	0x200	/* verdict code of a failed start */

/* From guests/guest.ld. */
extern char __image_start[], __image_end[];

static struct guest_env env;
static uint64_t pt_pool[GUEST_PT_PAGES][PT_PAGE / sizeof(uint64_t)]
	__attribute__((aligned(PT_PAGE)));

void guest_stop(uint64_t code, const char *fmt, ...)
{
	char msg[OUT_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out_verdict(code, "%s", msg);
	out_line("halted");
	cpu_halt_forever();
}

int guest_map(struct guest_env *e, uint64_t pa)
{
	int rc = pt_map_2m(&e->pt, pa);

	/* Reloading CR3 drops every cached translation, including paging-structure caches. */
	if (!rc)
		write_cr3(read_cr3());
	return rc;
}

static void setup_report_monitor(const struct tm_presence *tm)
{
	if (tm->twinmon)
		out_log("monitor: twinmon, ABI version %u (CPUID 0x40000000 \"%s\")",
			(unsigned)tm->version, tm->signature);
	else if (tm->hypervisor)
		out_line("monitor: none (another hypervisor: CPUID 0x40000000 \"%s\", max leaf "
			 "0x%x)", tm->signature, (unsigned)tm->max_leaf);
	else
		out_line("monitor: none (no hypervisor bit in CPUID 1)");
}

static void setup_report_ram(void)
{
	for (size_t i = 0; i < env.nram; i++)
		out_line("ram: 0x%llx-0x%llx (%llu KiB)", (unsigned long long)env.ram[i].base,
			 (unsigned long long)env.ram[i].end - 1,
			 (unsigned long long)(env.ram[i].end - env.ram[i].base) >> 10);
	out_line("ram: %llu KiB in %zu ranges", (unsigned long long)ram_total(env.ram, env.nram) >> 10,
		 env.nram);
	if (env.boot.e820_clamped)
		out_log("warning: the zero page claims more than %d e820 entries; the rest are "
			"ignored", BOOTINFO_E820_MAX);
	if (!ram_contains(env.ram, env.nram, env.image_base, env.image_end - env.image_base))
		out_log("warning: the image 0x%llx-0x%llx is not inside the e820 RAM (linked for "
			"another partition?)", (unsigned long long)env.image_base,
			(unsigned long long)env.image_end - 1);
}

/* Identity-map all RAM and the image, switch to it, and set the control registers. */
static void setup_paging(void)
{
	uint64_t cr4 = read_cr4();
	int rc = pt_init(&env.pt, pt_pool, (uint64_t)(uintptr_t)pt_pool, GUEST_PT_PAGES,
			 (cr4 & CR4_LA57) != 0);

	for (size_t i = 0; !rc && i < env.nram; i++)
		rc = pt_map_range(&env.pt, env.ram[i].base, env.ram[i].end - env.ram[i].base);
	/* The image is RAM under every correct loader; mapped anyway so a wrong one is
	 * reported by the warning above rather than by a page fault here. */
	if (!rc)
		rc = pt_map_range(&env.pt, env.image_base, env.image_end - env.image_base);
	if (rc)
		guest_stop(SETUP_FAIL_CODE, "page tables: %s after %zu tables",
			   rc == -ERANGE ? "RAM above the canonical limit" : "pool exhausted",
			   env.pt.used);
	write_cr3(env.pt.root_pa);
	/* Known values, so the heartbeat's later comparisons test the monitor, not the loader:
	 * PAE (and LA57, which long mode cannot change) only; caches on, write protect on. */
	write_cr4(CR4_PAE | (cr4 & CR4_LA57));
	write_cr0((read_cr0() | CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG) &
		  ~(CR0_EM | CR0_TS | CR0_AM | CR0_NW | CR0_CD));
	wrmsr(MSR_EFER, EFER_LME | EFER_LMA);
	out_line("paging: %zu of %d table pages, %u levels, cr3 0x%llx", env.pt.used,
		 GUEST_PT_PAGES, env.pt.levels, (unsigned long long)env.pt.root_pa);
}

void guest_main(uint64_t boot_params)
{
	static char prefix[32];
	struct cmdline_arg a;
	bool bad_uart = false;
	const char *cl;

	desc_init();
	tm_detect(&env.tm);
	bootinfo_read(&env.boot, (const struct zero_page *)(uintptr_t)boot_params, boot_params);
	bootinfo_copy_cmdline(&env.boot, env.boot.cmdline_pa ?
				(const char *)(uintptr_t)env.boot.cmdline_pa : NULL);
	cl = env.boot.cmdline;
	env.letter = guest_letter;
	env.image_base = (uint64_t)(uintptr_t)__image_start;
	env.image_end = (uint64_t)(uintptr_t)__image_end;
	env.nram = ram_from_e820(env.boot.e820, env.boot.n_e820, env.ram);

	env.uart = GUEST_DEFAULT_UART;
	if (cmdline_find(cl, "uart", &a) && cmdline_parse_uart(a.val, a.val_len, &env.uart)) {
		env.uart = GUEST_DEFAULT_UART;
		bad_uart = true;
	}
	uart_init(env.uart);
	guest_program_prefix(prefix, sizeof(prefix), env.letter);
	out_init(prefix, env.tm.twinmon);

	out_log("start: built for partition %s, image 0x%llx-0x%llx, boot_params 0x%llx",
		env.letter, (unsigned long long)env.image_base,
		(unsigned long long)env.image_end - 1, (unsigned long long)boot_params);
	out_line("cmdline: \"%s\"%s", cl, env.boot.cmdline_truncated ? " (truncated)" : "");
	if (bad_uart)
		out_log("warning: uart=%.*s is not com1..com4 or a port; using com1",
			(int)a.val_len, a.val);
	setup_report_monitor(&env.tm);
	setup_report_ram();
	setup_paging();
	guest_program_main(&env);
}
