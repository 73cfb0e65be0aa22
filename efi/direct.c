// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `direct` boot entry: load one guest with the segment loader, leave boot services and
 * jump to it without the monitor, as kexec and akmem do. It is the baseline the partitioned
 * runs are compared with, and the first proof of the loader on real kernels.
 *
 * Everything the final steps touch after ExitBootServices lives in memory the partition plan
 * keeps away from the guest: the app's image (code, static data, the log) and one pool that
 * holds a stack, an identity map and a copy of the relocation trampoline. The firmware's
 * stack and page tables are boot-services memory and may be overwritten by the guest's
 * segments, so the app leaves both before the copy starts.
 */
#include "efi/direct.h"

#include <efilib.h>
#include <errno.h>

#include "efi/efimap.h"
#include "efi/file.h"
#include "efi/identmap.h"
#include "efi/log.h"
#include "efi/platform.h"
#include "efi/stack_switch.h"
#include "lib/fmt.h"
#include "loader/indirection.h"
#include "loader/loader.h"
#include "loader/trampoline.h"
#include "partition/config_request.h"
#include "partition/e820.h"
#include "partition/plan_print.h"

#define DIRECT_IMAGE_MAX (512ULL << 20)
#define DIRECT_STACK_SIZE (64 * 1024)
#define DIRECT_PAGE 4096ULL
#define DIRECT_REJECT_MAX 32

/* Large structures live here, not on the firmware's (small) stack. */
static struct partition_plan direct_plan;
static struct e820_table direct_e820;
static struct memmap_entry direct_map[E820_MAX_ENTRIES];
static struct loader_plan direct_lplan;
static struct loader_reloc direct_reloc;
static struct loader_err direct_err;

struct direct_start {
	uint64_t cr3;
	uint64_t (*relocate)(uint64_t head);
	void (*enter)(uint64_t entry, uint64_t boot_params);
	char letter;
};
static struct direct_start direct_start;

/* Pages the allocator handed out inside a destination and set aside to try again. */
static struct {
	uint64_t pa[DIRECT_REJECT_MAX];
	size_t n;
} direct_rejects;

static void *direct_staging_alloc(void *ctx, size_t size)
{
	return AllocateZeroPool(size);
}

static void direct_staging_free(void *ctx, void *ptr, size_t size)
{
	FreePool(ptr);
}

static bool direct_in_ranges(uint64_t pa, const struct loader_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pa >= r[i].base && pa - r[i].base < r[i].size)
			return true;
	return false;
}

/*
 * Firmware pages for the list and its sources. Pages outside every destination are
 * preferred (fewer moves), but the list builder copes with any page, as kexec's does.
 */
static int direct_page_alloc(void *ctx, const struct loader_range *avoid, size_t navoid,
			     uint64_t *pa)
{
	EFI_PHYSICAL_ADDRESS addr;

	for (;;) {
		if (EFI_ERROR(BS->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &addr)))
			return -ENOMEM;
		if (!direct_in_ranges(addr, avoid, navoid) || direct_rejects.n == DIRECT_REJECT_MAX)
			break;
		direct_rejects.pa[direct_rejects.n++] = addr;
	}
	*pa = addr;
	return 0;
}

static void direct_page_free(void *ctx, uint64_t pa)
{
	BS->FreePages(pa, 1);
}

static void *direct_page_va(void *ctx, uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static const void *direct_phys(void *ctx, uint64_t pa, uint64_t len)
{
	return (const void *)(uintptr_t)pa;
}

static void direct_emit(void *ctx, const char *line)
{
	log_printf("partition: %s", line);
}

static uint64_t direct_find_rsdp(void)
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

static const char *direct_basename(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

static EFI_STATUS direct_read(EFI_FILE_HANDLE root, const char *letter_path, const char *path,
			      struct efi_file_buf *buf)
{
	EFI_STATUS st = file_read(root, path, DIRECT_IMAGE_MAX, buf);

	if (EFI_ERROR(st))
		log_printf("direct: %s %s: %s", letter_path, path, file_status_str(st));
	else
		log_printf("direct: read %s %s (%zu bytes)", letter_path, path, buf->size);
	return st;
}

static void direct_log_segments(const struct loader_plan *p)
{
	char hex[17];

	for (size_t i = 0; i < p->nseg; i++) {
		const struct loader_segment *s = &p->seg[i];
		loader_digest_hex(s->digest, 8, hex);
		log_printf("loader: segment %zu: mem 0x%09llx memsz 0x%08llx bufsz 0x%08llx "
			   "sha256 %s %s",
			   i, (unsigned long long)s->mem, (unsigned long long)s->memsz,
			   (unsigned long long)s->bufsz, hex, s->what);
	}
	log_printf("loader: entry 0x%llx, boot_params 0x%llx", (unsigned long long)p->entry,
		   (unsigned long long)p->boot_params);
}

/* Runs on the pool's stack, after ExitBootServices. */
static void direct_finish(void *arg)
{
	struct direct_start *s = arg;
	uint64_t pages;

	__asm__ volatile("mov %0, %%cr3" : : "r"(s->cr3) : "memory");
	pages = s->relocate(direct_reloc.head);
#ifdef TWINMON_TEST_CORRUPT_SEGMENT
	/* Test build only (build/test/): damage the kernel after relocation, as a stray DMA or
	 * a bad copy would, so the QEMU tests see the digest check refuse the start. */
	{
		const struct loader_segment *k = &direct_lplan.seg[0];
		((volatile uint8_t *)(uintptr_t)k->mem)[k->bufsz / 2] ^= 0x40;
		log_printf("direct: test build: flipped one bit of segment 0 (%s) at 0x%llx", k->what,
			   (unsigned long long)(k->mem + k->bufsz / 2));
	}
#endif
	if (loader_verify_segments(&direct_lplan, direct_phys, NULL, &direct_err) < 0) {
		log_printf("%s", direct_err.msg);
		log_printf("direct: guest %c refused: a segment changed after it was loaded",
			   s->letter);
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	log_printf("direct: relocated %llu pages; every segment digest verified",
		   (unsigned long long)pages);
	log_printf("direct: entering guest %c at 0x%llx (boot_params 0x%llx)", s->letter,
		   (unsigned long long)direct_lplan.entry,
		   (unsigned long long)direct_lplan.boot_params);
	s->enter(direct_lplan.entry, direct_lplan.boot_params);
}

/* Claim the pool the plan set aside, and fill it: identity map, trampoline copy, stack. */
static EFI_STATUS direct_pool(uint64_t limit, uint64_t *stack_top)
{
	int use_1g = identmap_has_1g();
	size_t map_pages = identmap_pages(limit, use_1g);
	size_t tramp = (size_t)(loader_tramp_end - loader_tramp_start);
	size_t tramp_pages = (tramp + DIRECT_PAGE - 1) / DIRECT_PAGE;
	uint64_t size = (map_pages + tramp_pages) * DIRECT_PAGE + DIRECT_STACK_SIZE;
	EFI_PHYSICAL_ADDRESS base;
	int err;

	err = partition_reserve_monitor(&direct_plan, size, DIRECT_PAGE, "direct-boot pool",
					&base);
	if (err < 0) {
		log_printf("%s", partition_error(&direct_plan));
		return EFI_OUT_OF_RESOURCES;
	}
	if (EFI_ERROR(BS->AllocatePages(AllocateAddress, EfiLoaderData, size / DIRECT_PAGE,
					&base))) {
		log_printf("direct: cannot claim the pool at 0x%llx (%llu KiB)",
			   (unsigned long long)base, (unsigned long long)(size >> 10));
		return EFI_OUT_OF_RESOURCES;
	}
	uint8_t *pool = (uint8_t *)(uintptr_t)base;
	direct_start.cr3 = identmap_build(pool, map_pages, limit, use_1g);
	uint8_t *code = pool + map_pages * DIRECT_PAGE;
	CopyMem(code, (void *)loader_tramp_start, tramp);
	direct_start.relocate = (uint64_t(*)(uint64_t))(
		code + ((const uint8_t *)loader_tramp_relocate - loader_tramp_start));
	direct_start.enter = (void (*)(uint64_t, uint64_t))(
		code + ((const uint8_t *)loader_tramp_enter - loader_tramp_start));
	*stack_top = base + size;
	log_printf("direct: pool 0x%llx-0x%llx: identity map of %llu GiB (%s pages), "
		   "trampoline, stack",
		   (unsigned long long)base, (unsigned long long)(base + size - 1),
		   (unsigned long long)((limit + (1ULL << 30) - 1) >> 30), use_1g ? "1G" : "2M");
	return direct_start.cr3 ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;
}

EFI_STATUS direct_boot(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
		       uint32_t boot)
{
	unsigned gi = boot == CONFIG_BOOT_DIRECT_B ? CONFIG_GUEST_B : CONFIG_GUEST_A;
	const struct guest_config *g = &cfg->guest[gi];
	char letter = config_guest_letter(gi);
	EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	struct efi_file_buf kernel = { 0 }, initrd = { 0 };
	struct partition_request req;
	struct efimap m = { 0 };
	EFI_LOADED_IMAGE *li = NULL;
	uint64_t stack_top = 0;
	char what[16];
	EFI_STATUS st;
	int err;

	fmt_snprintf(what, sizeof(what), "guest %c", letter);
	st = direct_read(root, what, g->kernel, &kernel);
	if (EFI_ERROR(st))
		return st;
	if (g->initrd[0]) {
		st = direct_read(root, what, g->initrd, &initrd);
		if (EFI_ERROR(st))
			goto out_files;
	}

	/* Plan this guest's partition from the map as it is now. */
	st = efimap_prepare(&m);
	if (EFI_ERROR(st)) {
		log_printf("efi: cannot read the memory map (status 0x%lx)", (unsigned long)st);
		goto out_files;
	}
	efimap_convert(&m);
	st = EFI_LOAD_ERROR;
	if ((err = partition_plan_init(&direct_plan, &m.map)) < 0)
		goto out_plan;
	if (!EFI_ERROR(BS->HandleProtocol(image, &li_guid, (void **)&li)) &&
	    (err = partition_reserve_fixed(&direct_plan, (uint64_t)(uintptr_t)li->ImageBase,
					   li->ImageSize, "twinmon image")) < 0)
		goto out_plan;
	struct memmap_summary sum;
	struct memmap_entry *scratch = AllocatePool(m.map.count * sizeof(*scratch) + 1);
	if (!scratch || memmap_summarize(&m.map, scratch, &sum) < 0) {
		log_printf("direct: cannot summarise the memory map");
		goto out_files;
	}
	FreePool(scratch);
	uint64_t limit = sum.highest_usable_end > (4ULL << 30) ? sum.highest_usable_end
							       : (4ULL << 30);
	if (EFI_ERROR(direct_pool(limit, &stack_top)))
		goto out_files;
	err = partition_request_from_config(cfg, boot, &req, direct_err.msg,
					    sizeof(direct_err.msg));
	if (err < 0) {
		log_printf("%s", direct_err.msg);
		goto out_files;
	}
	if ((err = partition_plan_build(&direct_plan, &req)) < 0 ||
	    (err = partition_build_e820(&direct_plan, gi, &direct_e820)) < 0)
		goto out_plan;
	partition_plan_print(&direct_plan, direct_emit, NULL);

	struct loader_staging staging = { NULL, direct_staging_alloc, direct_staging_free };
	struct loader_params p = {
		.name = direct_basename(g->kernel),
		.image = kernel.data,
		.image_size = kernel.size,
		.initrd = initrd.data,
		.initrd_size = initrd.size,
		.cmdline = g->cmdline,
		.map = direct_map,
		.map_count = e820_to_memmap(&direct_e820, direct_map, E820_MAX_ENTRIES),
		.mem_min = g->mem_min,
		.mem_max = g->mem_max == UINT64_MAX ? 0 : g->mem_max,
		.acpi_rsdp = direct_find_rsdp(),
		.staging = &staging,
	};
	if (loader_load(&p, &direct_lplan, &direct_err) < 0) {
		log_printf("%s", direct_err.msg);
		goto out_files;
	}
	direct_log_segments(&direct_lplan);
	struct loader_page_ops ops = { NULL, direct_page_alloc, direct_page_free, direct_page_va };
	if (loader_reloc_build(&direct_reloc, &direct_lplan, &ops, &direct_err) < 0) {
		log_printf("%s", direct_err.msg);
		goto out_loader;
	}
	log_printf("loader: indirection list: %zu list pages, %zu source pages, %zu zero, "
		   "%zu moved onto their destination, %zu set aside",
		   direct_reloc.ind_pages, direct_reloc.src_pages, direct_reloc.zero_entries,
		   direct_reloc.moved, direct_reloc.parked);
	for (size_t i = 0; i < direct_rejects.n; i++)
		BS->FreePages(direct_rejects.pa[i], 1);
	direct_rejects.n = 0;

	log_printf("efi: exiting boot services");
	st = efimap_exit_boot_services(image, &m);
	if (EFI_ERROR(st)) {
		log_printf("efi: ExitBootServices failed after %u attempts (status 0x%lx)",
			   m.attempts, (unsigned long)st);
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	log_console_off();
	log_printf("efi: boot services exited (attempt %u)", m.attempts);
	direct_start.letter = letter;
	stack_switch_call((void *)(uintptr_t)stack_top, direct_finish, &direct_start);

out_loader:
	loader_plan_release(&direct_lplan);
	goto out_files;
out_plan:
	log_printf("%s", partition_error(&direct_plan));
out_files:
	file_free(&initrd);
	file_free(&kernel);
	return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
}
