// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's entries (twin mode, guest A alone, guest B alone): stage the guests with
 * prep, build what the hardware reads for each (nested page tables, I/O permission map) in
 * the monitor's pool, measure the TSC while the firmware can still time it, then leave boot
 * services and hand everything to monitor_run().
 */
#include "efi/twin.h"

#include <efilib.h>
#include <errno.h>

#include "efi/cpus.h"
#include "efi/identmap.h"
#include "efi/iommu_boot.h"
#include "lib/date.h"
#include "lib/fmt.h"
#include "efi/log.h"
#include "efi/platform.h"
#include "efi/prep.h"
#include "irq/ioapic.h"
#include "monitor/cpu.h"
#include "monitor/monitor.h"
#include "monitor/vmx/vmx_boot.h"
#include "partition/iopm.h"
#include "partition/devices.h"
#include "partition/npt.h"
#include "partition/pci_filter.h"
#include "partition/pci_text.h"
#include "partition/pci_msix.h"
#include "efi/port.h"

/* A generous bound on any guest's nested page tables: every region it may have, 1 TiB. */
#define TWIN_NPT_MAX_END (1ULL << 40)
#define TWIN_TSC_STALL_US 20000

static struct prep twin_prep;
static struct monitor_boot twin_boot;
static struct npt twin_npt[CONFIG_NR_GUESTS];
/* The nested tables' entry format and builder flags for the backend this CPU gets
 * (twin_pt_choose): EPT under Intel VMX, AMD's format under SVM. */
static const struct npt_format *twin_pt_format = &npt_format_amd;
static unsigned twin_pt_flags;
static struct pci_filter twin_pci_filter[CONFIG_NR_GUESTS];
static struct iommu twin_iommu;

/*
 * Configuration space before the monitor owns it (boot services still run): the host's ECAM
 * (ctx: struct acpi_ecam) where it covers the bus, else mechanism #1, which reaches only the
 * first 256 bytes: extended registers then read as ones, as on a function without them.
 */
static volatile uint32_t *twin_pci_ecam(void *ctx, uint16_t bdf, uint16_t reg)
{
	const struct acpi_ecam *e = ctx;
	unsigned bus = PARTITION_BDF_BUS(bdf);

	if (!e->base || bus < e->bus_start || bus > e->bus_end)
		return NULL;
	return (volatile uint32_t *)(uintptr_t)(e->base + ((uint64_t)bdf << 12) + (reg & 0xffc));
}

static uint32_t twin_pci_read32(void *ctx, uint16_t bdf, uint16_t reg)
{
	volatile uint32_t *p = twin_pci_ecam(ctx, bdf, reg);

	if (p)
		return *p;
	/* Without ECAM, extended registers are out of reach: through 0xcf8 they would alias
	 * the header. */
	if (reg >= 0x100)
		return 0xffffffffu;
	port_outl(PCI_CFG_ADDR, PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc));
	return port_inl(PCI_CFG_DATA);
}

static void twin_pci_write32(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	volatile uint32_t *p = twin_pci_ecam(ctx, bdf, reg);

	if (p) {
		*p = val;
		return;
	}
	if (reg >= 0x100)
		return;
	port_outl(PCI_CFG_ADDR, PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc));
	port_outl(PCI_CFG_DATA, val);
}

/*
 * The machine's BARs as the first partition_add_pci_bars() scanned them, in the text form
 * twinmon-check --pci reads (partition/pci_text.h): "pci: " lines, for capture.
 */
static void twin_log_machine_bars(const struct partition_plan *plan)
{
	char line[96];

	for (size_t i = 0; i < plan->nr_machine_bars; i++) {
		int len = partition_pci_format_line(line, sizeof(line), &plan->machine_bars[i]);

		if (len > 0 && (size_t)len < sizeof(line))
			line[len - 1] = 0;
		log_printf("pci: %s", line);
	}
}

/*
 * A guest's PCI functions: their BARs join its MMIO and ports (so the nested page tables and
 * the I/O map built next include them), and its configuration filter shows it only them.
 */
static int twin_pci(struct prep *p, unsigned gi)
{
	const struct partition_pci_ops ops = { twin_pci_read32, twin_pci_write32, &p->ecam };
	const struct partition_guest *pg = &p->plan.guest[gi];
	bool scanned = p->plan.pci_scanned;
	const struct prep_guest *g = &p->guest[gi];

	if (!pg->nr_pci)
		return 0;
	/* Its ECAM window, when it has one, covers buses 0..bus_end of the host's. */
	if (partition_add_pci_bars(&p->plan, gi, &ops) < 0 ||
	    partition_add_pci_intx(&p->plan, gi, &ops) < 0 ||
	    partition_pci_filter(&p->plan, gi, 0, g->ecam ? g->bus_end : 0,
				 &twin_pci_filter[gi]) < 0) {
		log_printf("%s", partition_error(&p->plan));
		return -EINVAL;
	}
	if (!scanned)
		twin_log_machine_bars(&p->plan);
	for (size_t i = 0; i < pg->nr_intx; i++) {
		const struct partition_intx *x = &pg->intx[i];
		char gsi[8] = "none";

		if (x->gsi)
			fmt_snprintf(gsi, sizeof(gsi), "%u", x->gsi);
		log_printf("efi: guest %c: pci %02x:%02x.%x INT%c -> GSI %s (%s)", pg->letter,
			   PARTITION_BDF_BUS(x->bdf), PARTITION_BDF_DEV(x->bdf),
			   PARTITION_BDF_FN(x->bdf), 'A' + x->pin - 1, gsi,
			   partition_intx_source_name(x->source));
	}
	for (size_t i = 0; i < pg->nr_bars; i++)
		log_printf("efi: guest %c: pci %02x:%02x.%x BAR%u: %s 0x%llx (%llu bytes)",
			   pg->letter, PARTITION_BDF_BUS(pg->bars[i].bdf),
			   PARTITION_BDF_DEV(pg->bars[i].bdf), PARTITION_BDF_FN(pg->bars[i].bdf),
			   pg->bars[i].index, pg->bars[i].kind == PARTITION_BAR_IO ? "ports" : "mmio",
			   (unsigned long long)pg->bars[i].base,
			   (unsigned long long)pg->bars[i].size);
	twin_boot.guest[gi].pci = &twin_pci_filter[gi];
	/* Their MSI-X tables, which the nested page tables leave to the monitor. It reaches them
	 * through its identity map: one beyond it would fault in the monitor. */
	twin_boot.guest[gi].msix = pg->msix;
	twin_boot.guest[gi].nr_msix = pg->nr_msix;
	for (size_t i = 0; i < pg->nr_msix; i++) {
		uint64_t end = pg->msix[i].table + pg->msix[i].entries * 16ULL;

		if (end > p->map_end ||
		    pg->msix[i].pba + partition_msix_pba_bytes(pg->msix[i].entries) > p->map_end) {
			log_printf("efi: guest %c: pci %02x:%02x.%x: its MSI-X table at 0x%llx is "
				   "beyond the monitor's identity map (0x%llx): not supported",
				   pg->letter, PARTITION_BDF_BUS(pg->msix[i].bdf),
				   PARTITION_BDF_DEV(pg->msix[i].bdf),
				   PARTITION_BDF_FN(pg->msix[i].bdf),
				   (unsigned long long)pg->msix[i].table,
				   (unsigned long long)p->map_end);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < pg->nr_msix; i++)
		log_printf("efi: guest %c: pci %02x:%02x.%x MSI-X: %u entries, table 0x%llx, "
			   "PBA 0x%llx (emulated by the monitor)",
			   pg->letter, PARTITION_BDF_BUS(pg->msix[i].bdf),
			   PARTITION_BDF_DEV(pg->msix[i].bdf), PARTITION_BDF_FN(pg->msix[i].bdf),
			   pg->msix[i].entries, (unsigned long long)pg->msix[i].table,
			   (unsigned long long)pg->msix[i].pba);
	return 0;
}

static size_t twin_boot_pages(const struct partition_guest *g)
{
	return monitor_guest_boot_pages(g->ram, g->nr_ram);
}

static void twin_log(void *ctx, const char *line)
{
	log_printf("%s", line);
}

static void twin_fatal(void *ctx)
{
	platform_power_off(RT, PLATFORM_EXIT_FAILURE);
}

static uint64_t twin_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The firmware's Stall is calibrated; 20 ms of it gives the TSC to about 0.1 %. */
static uint64_t twin_tsc_khz(void)
{
	uint64_t t0 = twin_rdtsc();
	BS->Stall(TWIN_TSC_STALL_US);
	uint64_t t1 = twin_rdtsc();
	return (t1 - t0) / (TWIN_TSC_STALL_US / 1000);
}

/* A copy of every segment in the pool, owned by no guest: what a restart starts from. */
static int twin_keep_segments(struct prep *p, unsigned gi)
{
	struct monitor_guest_boot *mg = &twin_boot.guest[gi];
	const struct loader_plan *lp = &p->guest[gi].lplan;
	uint64_t bytes = 0;

	if (lp->nseg > MONITOR_MAX_SEGMENTS)
		return -E2BIG;
	for (size_t i = 0; i < lp->nseg; i++) {
		const struct loader_segment *s = &lp->seg[i];
		uint64_t pa = s->bufsz ? prep_pool_alloc(p, s->bufsz) : 0;

		if (s->bufsz && !pa) {
			log_printf("efi: guest %c: no room to keep its segments (restarts off)",
				   p->guest[gi].letter);
			mg->nr_segs = 0;
			return 0;
		}
		if (s->bufsz)
			CopyMem((void *)(uintptr_t)pa, (void *)s->buf, s->bufsz);
		mg->segs[i] = (struct monitor_segment){ pa, s->mem, s->bufsz, s->memsz };
		bytes += s->bufsz;
	}
	mg->nr_segs = lp->nseg;
	log_printf("efi: guest %c: %zu segments kept for restarts (%llu KiB)", p->guest[gi].letter,
		   lp->nseg, (unsigned long long)(bytes >> 10));
	return 0;
}

/* The firmware's clock, for the guests' virtual RTC (UTC when the firmware says so). */
static void twin_wall_clock(struct monitor_boot *b)
{
	EFI_TIME t;

	if (EFI_ERROR(RT->GetTime(&t, NULL)) || t.Year < 1970 || t.Month < 1 || t.Month > 12) {
		log_printf("efi: no wall-clock time from the firmware");
		return;
	}
	b->wall_tsc = twin_rdtsc();
	b->wall_seconds = (uint64_t)date_days_from_civil(t.Year, t.Month, t.Day) * 86400 +
			  t.Hour * 3600 + t.Minute * 60 + t.Second;
	if (t.TimeZone != EFI_UNSPECIFIED_TIMEZONE)
		b->wall_seconds += (int64_t)t.TimeZone * 60;
}

/*
 * The monitor takes its local APIC from IA32_APIC_BASE and the I/O APIC at its architectural
 * address, tables or not. A firmware with no ACPI tables at all (OVMF under Bochs: it gets
 * them from QEMU's fw_cfg) is said once, because the IOMMU and ECAM lines that follow follow
 * from it.
 */
static void twin_log_acpi(void)
{
	uint64_t rsdp = prep_find_rsdp();

	if (rsdp) {
		log_printf("efi: ACPI tables from the firmware (RSDP at 0x%llx)",
			   (unsigned long long)rsdp);
		return;
	}
	log_printf("efi: no ACPI tables from the firmware: architectural defaults (local APIC from "
		   "IA32_APIC_BASE, I/O APIC at 0x%llx), PCI configuration through ports "
		   "0xcf8/0xcfc, no IOMMU", (unsigned long long)IOAPIC_DEFAULT_BASE);
}

/* The monitor picks VMX on an Intel CPU (monitor/run.c): its guests' tables are EPT, with the
 * page sizes IA32_VMX_EPT_VPID_CAP allows. A CPU without a usable VMX still gets tables in
 * the AMD format; the monitor then refuses it with the reason logged here too. */
static void twin_pt_choose(void)
{
	char why[200];

	if (!cpu_is_intel()) {
		twin_pt_format = &npt_format_amd;
		twin_pt_flags = identmap_has_1g() ? 0 : NPT_NO_1G;
		log_printf("efi: AMD-format nested page tables (SVM backend)");
		return;
	}
	if (vmx_boot_pt_flags(&twin_pt_flags, why, sizeof(why)) < 0) {
		log_printf("%s", why);
		twin_pt_flags = identmap_has_1g() ? 0 : NPT_NO_1G;
		return;
	}
	twin_pt_format = &npt_format_ept;
	log_printf("efi: EPT nested page tables (VMX backend)%s%s",
		   (twin_pt_flags & NPT_NO_2M) ? ", no 2 MiB pages" : "",
		   (twin_pt_flags & NPT_NO_1G) ? ", no 1 GiB pages" : "");
}

static int twin_hw_tables(struct prep *p, unsigned gi, size_t npt_pages)
{
	struct monitor_guest_boot *mg = &twin_boot.guest[gi];
	struct prep_guest *g = &p->guest[gi];
	struct npt_pool pool;
	struct npt_ops ops;
	int err;

	uint64_t npt_pa = prep_pool_alloc(p, npt_pages * MONITOR_PAGE_SIZE);
	uint64_t iopm_pa = prep_pool_alloc(p, IOPM_SIZE);
	uint64_t zero_pa = prep_pool_alloc(p, MONITOR_PAGE_SIZE);
	if (!npt_pa || !iopm_pa || !zero_pa) {
		log_printf("efi: guest %c: monitor pool exhausted", g->letter);
		return -ENOMEM;
	}
	npt_pool_init(&pool, npt_pa, (void *)(uintptr_t)npt_pa, npt_pages);
	npt_pool_ops(&pool, &ops);
	err = partition_build_pt(&p->plan, gi, &ops, twin_pt_flags, twin_pt_format,
				 &twin_npt[gi]);
	if (!err)
		err = partition_npt_zero_low(&p->plan, gi, &twin_npt[gi], zero_pa);
	if (err < 0 || (err = partition_build_iopm(&p->plan, gi, (uint8_t *)(uintptr_t)iopm_pa,
						    IOPM_SIZE)) < 0) {
		log_printf("%s", partition_error(&p->plan));
		return err;
	}
	log_printf("efi: guest %c: nested page tables at 0x%llx (%zu pages), I/O map at 0x%llx",
		   g->letter, (unsigned long long)twin_npt[gi].root_pa, twin_npt[gi].tables,
		   (unsigned long long)iopm_pa);

	/* A vCPU per CPU its list names (partition/cpu_plan.h): vCPU k on the k-th. */
	mg->nr_vcpus = (uint8_t)(p->plan.cpus.nr_vcpus[gi] ? p->plan.cpus.nr_vcpus[gi] : 1);
	for (unsigned k = 0; k < mg->nr_vcpus && k < MONITOR_MAX_VCPUS; k++)
		mg->cpu[k] = p->plan.cpus.nr_vcpus[gi] ? p->plan.cpus.vcpu_cpu[gi][k] : 0;
	mg->present = true;
	mg->letter = g->letter;
	mg->name = g->cfg->name;
	mg->entry = g->lplan.entry;
	mg->boot_params = g->lplan.boot_params;
	mg->npt_root = twin_npt[gi].root_pa;
	mg->iopm_pa = iopm_pa;
	mg->ram = p->plan.guest[gi].ram;
	mg->nr_ram = p->plan.guest[gi].nr_ram;
	mg->boot_pages_gpa = g->boot_pages_gpa;
	mg->boot_pages = g->boot_pages;
	mg->irq_mask = p->plan.guest[gi].irq_mask;
	for (size_t i = 0; i < p->plan.guest[gi].nr_ports; i++)
		if (p->plan.guest[gi].ports[i].first <= IOPM_KBC_CMD &&
		    IOPM_KBC_CMD <= p->plan.guest[gi].ports[i].last)
			mg->owns_kbc = true;
	mg->reset_port = PREP_RESET_PORT;
	mg->reset_value = PREP_RESET_VALUE;
	return twin_keep_segments(p, gi);
}


/* On the pool's stack, segments copied and checked. */
static void twin_run(struct prep *p)
{
	size_t running = 0;

	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		if (!twin_boot.guest[gi].present)
			continue;
		if (!p->guest[gi].verified) {
			/* The other guest still starts: one damaged image costs only its owner. */
			twin_boot.guest[gi].present = false;
			continue;
		}
		running++;
	}
	if (!running) {
		log_printf("twinmon: no guest can start");
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	/* DMA is confined before any guest can start a device (docs/iommu.md). */
	if (iommu_boot_enable(&twin_iommu) < 0)
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	twin_boot.iommu = twin_iommu.kind != IOMMU_NONE ? &twin_iommu : NULL;
	int ret = monitor_run(&twin_boot);
	log_printf("twinmon: monitor finished (%d)", ret);
	platform_power_off(RT, ret == 0 ? PLATFORM_EXIT_OK : PLATFORM_EXIT_FAILURE);
}

EFI_STATUS twin_boot_run(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
			 uint32_t boot)
{
	size_t npt_pages;
	uint64_t extra;

	twin_pt_choose();
	npt_pages = npt_tables_bound_flags(PARTITION_MAX_NPT_REGIONS, TWIN_NPT_MAX_END,
					   twin_pt_flags);
	extra = MONITOR_POOL_SIZE + CONFIG_NR_GUESTS * (npt_pages * MONITOR_PAGE_SIZE +
								 IOPM_SIZE + MONITOR_PAGE_SIZE);

	/* Before the guests are staged: Linux gets the frequency on its command line. */
	twin_boot.tsc_khz = twin_tsc_khz();
	log_printf("efi: TSC %llu kHz (measured against the firmware's Stall)",
		   (unsigned long long)twin_boot.tsc_khz);
	twin_wall_clock(&twin_boot);
	/* The CPUs: the plan checks the guests' lists against them; the monitor starts those
	 * the guests use and parks the others. */
	cpus_enumerate(&twin_boot);
	twin_prep.machine_cpus = twin_boot.nr_cpus;
	twin_prep.want_ap_start_page = twin_boot.nr_cpus > 1;
	extra += (twin_boot.nr_cpus - 1) * MONITOR_POOL_PER_CPU;
	twin_prep.boot_pages = twin_boot_pages;
	twin_prep.virtual_platform = true;
	twin_prep.tsc_khz = twin_boot.tsc_khz;
	twin_prep.keep_segments = true;
	twin_log_acpi();
	extra += iommu_boot_probe(&twin_iommu);
	twin_prep.pci = twin_pci;
	if (prep_load(&twin_prep, image, root, cfg, boot, extra) < 0)
		return EFI_LOAD_ERROR;
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		if (!twin_prep.guest[gi].present)
			continue;
		if (twin_hw_tables(&twin_prep, gi, npt_pages) < 0)
			return EFI_LOAD_ERROR;
		twin_boot.guest[gi].slice_us = cfg->slice_us[gi];
		twin_boot.guest[gi].on_reset = cfg->guest[gi].on_reset == CONFIG_RESET_STOP
						       ? MONITOR_RESET_STOP
						       : cfg->guest[gi].on_reset == CONFIG_RESET_IGNORE
							 ? MONITOR_RESET_IGNORE
							 : MONITOR_RESET_RESTART;
		twin_boot.guest[gi].x2apic = cfg->guest[gi].apic == CONFIG_APIC_X2APIC;
	}
	if (iommu_boot_build(&twin_iommu, &twin_prep, cfg) < 0)
		return EFI_LOAD_ERROR;
	twin_boot.pool_size = MONITOR_POOL_SIZE +
			      (twin_boot.nr_cpus - 1) * MONITOR_POOL_PER_CPU;
	twin_boot.pool_base = prep_pool_alloc(&twin_prep, twin_boot.pool_size);
	twin_boot.ap_start_page = twin_prep.ap_start_page;
	if (!twin_boot.pool_base) {
		log_printf("efi: monitor pool exhausted");
		return EFI_OUT_OF_RESOURCES;
	}
	twin_boot.switch_on_irq = cfg->irq_policy == CONFIG_IRQ_SWITCH;
	twin_boot.ecam_base = twin_prep.ecam.base;
	twin_boot.ecam_bus_start = twin_prep.ecam.bus_start;
	twin_boot.ecam_bus_end = twin_prep.ecam.bus_end;
	twin_boot.log = twin_log;
	twin_boot.fatal = twin_fatal;
	prep_start(&twin_prep, image, twin_run);
}
