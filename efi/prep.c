// SPDX-License-Identifier: GPL-2.0-only
/*
 * Staging guests the kexec way (see prep.h). Everything the steps after ExitBootServices touch
 * lives in memory the partition plan keeps away from every guest: the app's image (code,
 * static data, the log) and one pool holding a stack, an identity map and a copy of the
 * relocation trampoline. The firmware's stack and page tables are boot-services memory that a
 * guest's segments may overwrite, so both are left before the copy starts. The indirection
 * list is efi/prep_reloc.c's, the steps after ExitBootServices are efi/prep_start.c's.
 */
#include "efi/prep.h"

#include <efilib.h>
#include <errno.h>
#include <string.h>

#include "efi/cpus.h"
#include "efi/identmap.h"
#include "efi/log.h"
#include "efi/prep_pci.h"
#include "efi/prep_reloc.h"
#include "lib/fmt.h"
#include "loader/trampoline.h"
#include "partition/acpi.h"
#include "partition/cmdline.h"
#include "partition/config_request.h"
#include "partition/devices.h"
#include "partition/cpu_plan.h"
#include "partition/plan_print.h"

#define PREP_IMAGE_MAX (512ULL << 20)
#define PREP_STACK_SIZE (64 * 1024)
#define PREP_PAGE 4096ULL
/* boot_params, command line, setup_data, ACPI tables: the segments no file holds. */
#define PREP_PRISTINE_SLACK (64 * 1024)
/* Lines a guest's virtual I/O APIC can carry: 1-23 (IRQ 0, the timer, is the monitor's). */
#define PREP_IOAPIC_LINES 0x00fffffeu

static struct loader_err prep_err;

static void *prep_staging_alloc(void *ctx, size_t size)
{
	return AllocateZeroPool(size);
}

static void prep_staging_free(void *ctx, void *ptr, size_t size)
{
	FreePool(ptr);
}

static void prep_emit(void *ctx, const char *line)
{
	log_printf("partition: %s", line);
}

uint64_t prep_find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	uint64_t v1 = 0;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20))
			return (uint64_t)(uintptr_t)t->VendorTable;
		if (!CompareGuid(&t->VendorGuid, &AcpiTableGuid))
			v1 = (uint64_t)(uintptr_t)t->VendorTable;
	}
	return v1;
}

static const char *prep_basename(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

static int prep_read(EFI_FILE_HANDLE root, char letter, const char *path,
		     struct efi_file_buf *buf)
{
	EFI_STATUS st = file_read(root, path, PREP_IMAGE_MAX, buf);

	if (EFI_ERROR(st)) {
		log_printf("efi: guest %c: %s: %s", letter, path, file_status_str(st));
		return -EIO;
	}
	log_printf("efi: guest %c: read %s (%zu bytes)", letter, path, buf->size);
	return 0;
}

static void prep_log_segments(const struct prep_guest *g)
{
	const struct loader_plan *lp = &g->lplan;
	char hex[17];

	for (size_t i = 0; i < lp->nseg; i++) {
		const struct loader_segment *s = &lp->seg[i];
		loader_digest_hex(s->digest, 8, hex);
		log_printf("loader: guest %c segment %zu: mem 0x%09llx memsz 0x%08llx bufsz "
			   "0x%08llx sha256 %s %s",
			   g->letter, i, (unsigned long long)s->mem, (unsigned long long)s->memsz,
			   (unsigned long long)s->bufsz, hex, s->what);
	}
	log_printf("loader: guest %c entry 0x%llx, boot_params 0x%llx", g->letter,
		   (unsigned long long)lp->entry, (unsigned long long)lp->boot_params);
}

uint64_t prep_pool_alloc(struct prep *p, uint64_t bytes)
{
	uint64_t size = (bytes + PREP_PAGE - 1) & ~(PREP_PAGE - 1);
	uint64_t pa = p->pool_next;

	if (!size || size > p->pool_end - pa)
		return 0;
	p->pool_next += size;
	SetMem((void *)(uintptr_t)pa, size, 0);
	return pa;
}

/*
 * Reserve the pool in the plan and claim it from the firmware; lay out the identity map,
 * the trampoline copy and the stack; the caller's part sits between them.
 */
static int prep_pool(struct prep *p, uint64_t limit, uint64_t extra)
{
	int use_1g = identmap_has_1g();
	uint64_t uc_base = 0, uc_end = 0;

	if (p->ecam.base) {
		uc_base = p->ecam.base + ((uint64_t)p->ecam.bus_start << ACPI_ECAM_BUS_SHIFT);
		uc_end = p->ecam.base + (((uint64_t)p->ecam.bus_end + 1) << ACPI_ECAM_BUS_SHIFT);
	}
	size_t map_pages = identmap_pages(limit, use_1g, uc_base, uc_end);
	size_t tramp = (size_t)(loader_tramp_end - loader_tramp_start);
	size_t tramp_pages = (tramp + PREP_PAGE - 1) / PREP_PAGE;
	uint64_t extra_pages = (extra + PREP_PAGE - 1) / PREP_PAGE;
	uint64_t size = (map_pages + tramp_pages + extra_pages) * PREP_PAGE + PREP_STACK_SIZE;
	EFI_PHYSICAL_ADDRESS base;
	int err;

	/*
	 * The firmware picks the pages (below 4 GiB) and the plan then keeps them from every
	 * guest: choosing from the plan's copy of the map first could name pages the firmware
	 * has handed out since the map was read.
	 */
	base = PARTITION_4G - 1;
	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, size / PREP_PAGE,
					&base))) {
		log_printf("efi: cannot claim %llu KiB below 4 GiB for the monitor pool",
			   (unsigned long long)(size >> 10));
		return -ENOMEM;
	}
	err = partition_reserve_fixed(&p->plan, base, size, "monitor pool");
	if (err < 0) {
		log_printf("%s", partition_error(&p->plan));
		BS->FreePages(base, size / PREP_PAGE);
		return err;
	}
	uint8_t *pool = (uint8_t *)(uintptr_t)base;
	p->cr3 = identmap_build(pool, map_pages, limit, use_1g, uc_base, uc_end);
	p->map_end = (limit + (1ULL << 30) - 1) & ~((1ULL << 30) - 1);
	uint8_t *code = pool + map_pages * PREP_PAGE;
	CopyMem(code, (void *)loader_tramp_start, tramp);
	p->relocate = (uint64_t(*)(uint64_t))(
		code + ((const uint8_t *)loader_tramp_relocate - loader_tramp_start));
	p->enter = (void (*)(uint64_t, uint64_t))(
		code + ((const uint8_t *)loader_tramp_enter - loader_tramp_start));
	p->pool_base = base;
	p->pool_size = size;
	p->pool_next = base + (map_pages + tramp_pages) * PREP_PAGE;
	p->pool_end = p->pool_next + extra_pages * PREP_PAGE;
	p->stack_top = base + size;
	log_printf("efi: monitor pool 0x%llx-0x%llx (%llu KiB): identity map of %llu GiB "
		   "(%s pages), trampoline, %llu KiB for the monitor, stack",
		   (unsigned long long)base, (unsigned long long)(base + size - 1),
		   (unsigned long long)(size >> 10),
		   (unsigned long long)((limit + (1ULL << 30) - 1) >> 30), use_1g ? "1G" : "2M",
		   (unsigned long long)(extra_pages * 4));
	return p->cr3 ? 0 : -ENOMEM;
}

static int prep_plan(struct prep *p, EFI_HANDLE image, const struct twin_config *cfg,
		     uint64_t pool_extra)
{
	EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	struct partition_request req;
	struct memmap_summary sum;
	EFI_LOADED_IMAGE *li = NULL;
	int err;

	if (EFI_ERROR(efimap_prepare(&p->map))) {
		log_printf("efi: cannot read the memory map");
		return -EIO;
	}
	efimap_convert(&p->map);
	/* Kept for the summary after ExitBootServices: the map only shrinks by then. */
	p->scratch = AllocatePool(p->map.map.capacity * sizeof(*p->scratch));
	if (!p->scratch)
		return -ENOMEM;
	err = memmap_summarize(&p->map.map, p->scratch, &sum);
	if (err < 0)
		return err;
	uint64_t limit = sum.highest_usable_end > (4ULL << 30) ? sum.highest_usable_end
							       : (4ULL << 30);

	/* The monitor reaches ECAM through the identity map: it must cover the window. */
	prep_host_ecam(p);
	if (p->ecam.base) {
		uint64_t end = p->ecam.base +
			       (((uint64_t)p->ecam.bus_end + 1) << ACPI_ECAM_BUS_SHIFT);

		if (end > limit)
			limit = end;
	}

	if ((err = partition_plan_init(&p->plan, &p->map.map)) < 0)
		goto out_plan;
	if (!EFI_ERROR(BS->HandleProtocol(image, &li_guid, (void **)&li)) &&
	    (err = partition_reserve_fixed(&p->plan, (uint64_t)(uintptr_t)li->ImageBase,
					   li->ImageSize, "twinmon image")) < 0)
		goto out_plan;
	if ((err = prep_pool(p, limit, pool_extra)) < 0)
		return err;
	if (p->want_ap_start_page &&
	    (err = cpus_claim_start_page(&p->plan, &p->ap_start_page)) < 0)
		return err;
	err = partition_request_from_config(cfg, p->boot, &req, prep_err.msg, sizeof(prep_err.msg));
	if (err < 0) {
		log_printf("%s", prep_err.msg);
		return err;
	}
	/* The guests' cpus lists against the CPUs the firmware reported (0: not checked). */
	req.nr_machine_cpus = p->machine_cpus;
	if ((err = partition_plan_build(&p->plan, &req)) < 0)
		goto out_plan;
	partition_plan_print(&p->plan, prep_emit, NULL);
	if (p->virtual_platform)
		partition_cpu_plan_print(&p->plan.cpus, prep_emit, NULL);
	return 0;
out_plan:
	log_printf("%s", partition_error(&p->plan));
	return err;
}

/*
 * The guest's own platform under the monitor: ACPI tables in pages carved from the top of its
 * RAM (listed reserved), naming only its UARTs, and its command line with the platform's
 * options appended.
 */
static int prep_guest_platform(struct prep *p, unsigned gi)
{
	struct prep_guest *g = &p->guest[gi];
	const struct partition_guest *pg = &p->plan.guest[gi];
	uint16_t uarts[PARTITION_NR_UARTS];
	uint8_t irqs[PARTITION_NR_UARTS];
	struct acpi_guest ag = { 0 };
	struct acpi_layout layout;
	void *buf;
	int err;

	/*
	 * A guest that owns IRQ lines gets a virtual I/O APIC for them, and its UARTs their
	 * interrupt (owning a UART means owning its line, unless another UART shares it).
	 */
	ag.ioapic = (pg->irq_mask & PREP_IOAPIC_LINES) != 0;
	ag.nr_vcpus = pg->nr_vcpus;
	for (unsigned u = 0; u < PARTITION_NR_UARTS; u++) {
		unsigned irq = partition_uart_irq(u);

		if (!(pg->uart_mask & (1u << u)))
			continue;
		irqs[ag.n_uarts] = ag.ioapic && (pg->irq_mask & (1u << irq)) ? (uint8_t)irq : 0;
		uarts[ag.n_uarts++] = partition_uart_port(u);
	}
	ag.uart_ports = uarts;
	ag.uart_irqs = irqs;
	ag.reset_port = PREP_RESET_PORT;
	ag.reset_value = PREP_RESET_VALUE;
	if ((err = prep_guest_acpi_pci(p, gi, &ag)) < 0)
		return err;
	g->acpi_size = acpi_tables_size(&ag);
	if (!g->acpi_size)
		return -EINVAL;
	err = e820_carve_top(&g->e820, (g->acpi_size + PREP_PAGE - 1) & ~(PREP_PAGE - 1),
			     &g->acpi_gpa);
	if (err < 0 || !(buf = AllocateZeroPool(g->acpi_size))) {
		log_printf("efi: guest %c: no room for its ACPI tables", g->letter);
		return err < 0 ? err : -ENOMEM;
	}
	if ((err = acpi_build(&ag, buf, g->acpi_size, g->acpi_gpa, &layout)) < 0) {
		log_printf("efi: guest %c: ACPI tables not built (%d)", g->letter, err);
		FreePool(buf);
		return err;
	}
	g->acpi_buf = buf;
	g->acpi_rsdp = layout.rsdp_gpa;
	log_printf("efi: guest %c: ACPI tables at 0x%llx (%llu bytes: RSDP, XSDT, FADT, MADT%s, "
		   "%sDSDT with %u UART%s%s)",
		   g->letter, (unsigned long long)g->acpi_gpa, (unsigned long long)g->acpi_size,
		   ag.ioapic ? " with an I/O APIC" : "", ag.ecam_base ? "MCFG, " : "", ag.n_uarts,
		   ag.n_uarts == 1 ? "" : "s", ag.pci ? " and PCI0" : "");
	if (ag.pci)
		log_printf("efi: guest %c: PCI0: buses 00-%02x, %u BAR windows, %u _PRT entries%s",
			   g->letter, ag.pci->bus_end, ag.pci->n_windows, ag.pci->n_routes,
			   ag.ecam_base ? ", ECAM trapped" : ", no ECAM");

	/* Other kernels (the test guests) read their own options and get theirs alone. */
	struct loader_image img;
	g->linux_guest = loader_probe(prep_basename(g->cfg->kernel), g->kernel.data,
				      g->kernel.size, &img, &prep_err) == 0 &&
			 !strcmp(img.format->name, "bzImage");
	if (!g->linux_guest)
		err = fmt_snprintf(g->cmdline, sizeof(g->cmdline), "%s", g->cfg->cmdline);
	else
		err = partition_linux_cmdline(&p->plan, gi, g->cfg->cmdline, p->tsc_khz,
					      g->cmdline, sizeof(g->cmdline));
	if (err < 0) {
		log_printf("efi: guest %c: the command line with the platform's options is too "
			   "long", g->letter);
		return err;
	}
	return 0;
}

static int prep_guest_load(struct prep *p, unsigned gi)
{
	struct prep_guest *g = &p->guest[gi];
	static const struct loader_staging staging = { NULL, prep_staging_alloc,
						       prep_staging_free };
	int err;

	if ((err = partition_build_e820(&p->plan, gi, &g->e820)) < 0) {
		log_printf("%s", partition_error(&p->plan));
		return err;
	}
	if (p->boot_pages && (g->boot_pages = p->boot_pages(&p->plan.guest[gi]))) {
		err = e820_carve_top(&g->e820, g->boot_pages * PREP_PAGE, &g->boot_pages_gpa);
		if (err < 0) {
			log_printf("efi: guest %c: no room for %zu boot pages in its RAM", g->letter,
				   g->boot_pages);
			return err;
		}
		log_printf("efi: guest %c: boot pages 0x%llx-0x%llx (reserved in its e820)",
			   g->letter, (unsigned long long)g->boot_pages_gpa,
			   (unsigned long long)(g->boot_pages_gpa + g->boot_pages * PREP_PAGE - 1));
	}
	if (p->virtual_platform && (err = prep_guest_platform(p, gi)) < 0)
		return err;
	g->map_count = e820_to_memmap(&g->e820, g->map, E820_MAX_ENTRIES);
	struct loader_params lp = {
		.name = prep_basename(g->cfg->kernel),
		.image = g->kernel.data,
		.image_size = g->kernel.size,
		.initrd = g->initrd.data,
		.initrd_size = g->initrd.size,
		.cmdline = p->virtual_platform ? g->cmdline : g->cfg->cmdline,
		.map = g->map,
		.map_count = g->map_count,
		.mem_min = g->cfg->mem_min,
		.mem_max = g->cfg->mem_max == UINT64_MAX ? 0 : g->cfg->mem_max,
		.acpi_rsdp = p->virtual_platform ? g->acpi_rsdp : prep_find_rsdp(),
		.staging = &staging,
	};
	if ((err = loader_load(&lp, &g->lplan, &prep_err)) < 0 ||
	    (g->acpi_buf && (err = loader_plan_add_blob(&g->lplan, "acpi", g->acpi_buf,
							g->acpi_size, g->acpi_gpa, &prep_err)) < 0)) {
		log_printf("guest %c: %s", g->letter, prep_err.msg);
		return err;
	}
	if (g->linux_guest)
		log_printf("efi: guest %c: command line: %s", g->letter, g->cmdline);
	prep_log_segments(g);
	return 0;
}

int prep_load(struct prep *p, EFI_HANDLE image, EFI_FILE_HANDLE root,
	      const struct twin_config *cfg, uint32_t boot, uint64_t pool_extra)
{
	int err;

	p->boot = boot;
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		struct prep_guest *g = &p->guest[gi];
		g->present = config_boot_needs_guest(boot, gi) && cfg->guest[gi].present;
		g->letter = config_guest_letter(gi);
		g->cfg = &cfg->guest[gi];
		if (!g->present)
			continue;
		if ((err = prep_read(root, g->letter, g->cfg->kernel, &g->kernel)) < 0)
			return err;
		if (g->cfg->initrd[0] &&
		    (err = prep_read(root, g->letter, g->cfg->initrd, &g->initrd)) < 0)
			return err;
	}
	/* A pristine copy of every segment: at most the files plus the small built ones. */
	p->pristine_bytes = 0;
	for (unsigned gi = 0; p->keep_segments && gi < CONFIG_NR_GUESTS; gi++)
		if (p->guest[gi].present)
			p->pristine_bytes += p->guest[gi].kernel.size + p->guest[gi].initrd.size +
					     LOADER_MAX_SEGMENTS * PREP_PAGE + PREP_PRISTINE_SLACK;
	pool_extra += p->pristine_bytes;
	if ((err = prep_plan(p, image, cfg, pool_extra)) < 0)
		return err;
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++)
		if (p->guest[gi].present && (err = prep_guest_pci_read(p, gi)) < 0)
			return err;
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++)
		if (p->guest[gi].present && (err = prep_guest_load(p, gi)) < 0)
			return err;
	return prep_reloc(p);
}
