// SPDX-License-Identifier: GPL-2.0-only
/*
 * EFI_MP_SERVICES_PROTOCOL is in the UEFI Platform Initialization spec (vol. 2), not in
 * gnu-efi's headers: its GUID and the two functions used here are declared below. Only the
 * questions are asked: the APs are started by the monitor after ExitBootServices (smp.h),
 * since the firmware's MP driver takes its APs back into its own loop at that point.
 */
#include "efi/cpus.h"

#include <efi.h>
#include <efilib.h>
#include <errno.h>

#include "efi/log.h"
#include "irq/lapic.h"
#include "monitor/cpu.h"
#include "monitor/cpu_list.h"

#define CPUS_START_PAGE_MAX	0x9ffffULL	/* conventional memory, below the EBDA/VGA hole */

/* EFI_CPU_PHYSICAL_LOCATION, then the PI 1.7 extension some firmware fill in. */
struct cpus_efi_info {
	UINT64 processor_id;		/* the local APIC ID */
	UINT32 status_flag;		/* CPU_LIST_BSP, _ENABLED, _HEALTHY */
	UINT32 package, core, thread;
	UINT32 extended[6];
};

struct cpus_efi_mp;
typedef EFI_STATUS(EFIAPI *cpus_efi_count_fn)(struct cpus_efi_mp *self, UINTN *total,
					      UINTN *enabled);
typedef EFI_STATUS(EFIAPI *cpus_efi_info_fn)(struct cpus_efi_mp *self, UINTN index,
					     struct cpus_efi_info *info);

/* The protocol's function table, in the spec's order; the rest are not called. */
struct cpus_efi_mp {
	cpus_efi_count_fn get_number_of_processors;
	cpus_efi_info_fn get_processor_info;
	void *startup_all_aps;
	void *startup_this_ap;
	void *switch_bsp;
	void *enable_disable_ap;
	void *who_am_i;
};

static EFI_GUID cpus_mp_guid = {
	0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 }
};

static struct cpu_list_fw cpus_fw[MONITOR_MAX_CPUS * 4];

/* This CPU's APIC ID from its local APIC, as the firmware left it (xAPIC or x2APIC). */
static uint32_t cpus_own_apic_id(void)
{
	uint64_t base = cpu_rdmsr(MSR_APIC_BASE);

	if (base & LAPIC_BASE_X2APIC)
		return (uint32_t)cpu_rdmsr(0x800 + (LAPIC_ID >> 4));
	return *(volatile uint32_t *)(uintptr_t)((base & 0x000ffffffffff000ULL) + LAPIC_ID) >>
	       24;
}

/* The firmware's list, or -errno when there is none to use. */
static int cpus_from_firmware(struct monitor_boot *b)
{
	struct cpus_efi_mp *mp = NULL;
	UINTN total = 0, enabled = 0;
	size_t n;
	int kept;

	if (EFI_ERROR(BS->LocateProtocol(&cpus_mp_guid, NULL, (void **)&mp)) || !mp)
		return -ENODEV;
	if (EFI_ERROR(mp->get_number_of_processors(mp, &total, &enabled)) || !total)
		return -EIO;
	n = total < sizeof(cpus_fw) / sizeof(cpus_fw[0]) ? total
							 : sizeof(cpus_fw) / sizeof(cpus_fw[0]);
	for (size_t i = 0; i < n; i++) {
		struct cpus_efi_info info = { 0 };

		if (EFI_ERROR(mp->get_processor_info(mp, i, &info)))
			return -EIO;
		cpus_fw[i] = (struct cpu_list_fw){ info.processor_id, info.status_flag };
	}
	kept = cpu_list_build(cpus_fw, n, b->cpu_apic_id, MONITOR_MAX_CPUS);
	if (kept < 0)
		return kept;
	if ((size_t)kept < enabled)
		log_printf("efi: %llu CPUs enabled, the monitor knows the first %d",
			   (unsigned long long)enabled, kept);
	b->nr_cpus = (uint32_t)kept;
	return 0;
}

void cpus_enumerate(struct monitor_boot *b)
{
	char ids[MONITOR_MAX_CPUS * 12 + 4];
	int err = cpus_from_firmware(b);

	if (err < 0) {
		b->nr_cpus = 1;
		b->cpu_apic_id[0] = cpus_own_apic_id();
		log_printf("efi: %s (error %d): the boot CPU alone",
			   err == -ENODEV ? "no MP services protocol"
					  : "the MP services' CPU list is unusable",
			   err);
	}
	cpu_list_format(ids, sizeof(ids), b->cpu_apic_id, b->nr_cpus);
	log_printf("efi: %u CPU%s (APIC IDs %s)", b->nr_cpus, b->nr_cpus == 1 ? "" : "s", ids);
}

int cpus_claim_start_page(struct partition_plan *plan, uint64_t *pa)
{
	EFI_PHYSICAL_ADDRESS page = CPUS_START_PAGE_MAX;
	int err;

	*pa = 0;
	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, 1, &page)) ||
	    page == 0) {
		log_printf("efi: no free page below 640 KiB to start the other CPUs in: they "
			   "will be parked");
		return 0;
	}
	err = partition_reserve_fixed(plan, page, EFI_PAGE_SIZE, "AP start page");
	if (err < 0) {
		log_printf("%s", partition_error(plan));
		BS->FreePages(page, 1);
		return err;
	}
	*pa = page;
	log_printf("efi: AP start page 0x%llx (SIPI vector 0x%02llx)", (unsigned long long)page,
		   (unsigned long long)(page >> 12));
	return 0;
}
