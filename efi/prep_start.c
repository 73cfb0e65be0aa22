// SPDX-License-Identifier: GPL-2.0-only
/*
 * The final steps of a start (prep_start, efi/prep.h): leave boot services, log the final
 * memory map, move to the pool's stack and identity map, copy every segment into place and
 * check its digest, then hand over to the caller's continuation.
 */
#include "efi/prep.h"

#include <efilib.h>

#include "efi/log.h"
#include "efi/platform.h"
#include "efi/stack_switch.h"

/* The loader's reasons, logged as soon as they are given. */
static struct loader_err prep_err;

static const void *prep_phys(void *ctx, uint64_t pa, uint64_t len)
{
	return (const void *)(uintptr_t)pa;
}

/* What the machine has, on the log once the map is final (after ExitBootServices). */
static void prep_log_memory(struct prep *p)
{
	struct memmap_summary s;

	efimap_convert(&p->map);
	efimap_log(&p->map, "memmap: ");
	if (!p->scratch || memmap_summarize(&p->map.map, p->scratch, &s) < 0) {
		log_printf("memory: cannot summarise the memory map");
		return;
	}
	log_printf("memory: %zu descriptors; usable %llu KiB (%llu MiB) in %zu ranges; "
		   "highest usable byte 0x%llx",
		   p->map.map.count, (unsigned long long)(s.usable_bytes >> 10),
		   (unsigned long long)(s.usable_bytes >> 20), s.usable_ranges,
		   (unsigned long long)(s.highest_usable_end ? s.highest_usable_end - 1 : 0));
	if (s.largest_size)
		log_printf("memory: largest free range 0x%llx-0x%llx (%llu KiB)",
			   (unsigned long long)s.largest_base,
			   (unsigned long long)(s.largest_base + s.largest_size - 1),
			   (unsigned long long)(s.largest_size >> 10));
}

static uint64_t prep_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Runs on the pool's stack, after ExitBootServices. */
static void prep_finish(void *arg)
{
	struct prep *p = arg;
	uint64_t pages, t0, t1;

	__asm__ volatile("mov %0, %%cr3" : : "r"(p->cr3) : "memory");
	t0 = prep_rdtsc();
	pages = p->relocate(p->reloc.head);
	t1 = prep_rdtsc();
#ifdef TWINMON_TEST_CORRUPT_SEGMENT
	/* Test build only (build/test/): damage the first guest's kernel after relocation, as
	 * a stray DMA or a bad copy would, so the QEMU tests see the digest check refuse it. */
	{
		const struct loader_segment *k = &p->all.seg[0];
		((volatile uint8_t *)(uintptr_t)k->mem)[k->bufsz / 2] ^= 0x40;
		log_printf("efi: test build: flipped one bit of %s at 0x%llx", k->what,
			   (unsigned long long)(k->mem + k->bufsz / 2));
	}
#endif
	/* The real path's time: make bench's R1r (docs/measuring.md). */
	log_printf("efi: relocated %llu pages in %llu cycles", (unsigned long long)pages,
		   (unsigned long long)(t1 - t0));
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		struct prep_guest *g = &p->guest[gi];
		if (!g->present)
			continue;
		g->verified = loader_verify_segments(&g->lplan, prep_phys, NULL, &prep_err) == 0;
		if (g->verified) {
			log_printf("loader: guest %c: every segment digest verified", g->letter);
		} else {
			log_printf("guest %c: %s", g->letter, prep_err.msg);
			log_printf("loader: guest %c refused: a segment changed after it was loaded",
				   g->letter);
		}
	}
	p->cont(p);
	log_printf("efi: nothing left to run");
	platform_power_off(RT, PLATFORM_EXIT_FAILURE);
}

void prep_start(struct prep *p, EFI_HANDLE image, void (*cont)(struct prep *p))
{
	EFI_STATUS st;

	p->cont = cont;
	log_printf("efi: exiting boot services");
	st = efimap_exit_boot_services(image, &p->map);
	if (EFI_ERROR(st)) {
		log_printf("efi: ExitBootServices failed after %u attempts (status 0x%lx)",
			   p->map.attempts, (unsigned long)st);
		platform_power_off(RT, PLATFORM_EXIT_FAILURE);
	}
	log_console_off();
	log_printf("efi: boot services exited (attempt %u)", p->map.attempts);
	prep_log_memory(p);
	stack_switch_call((void *)(uintptr_t)p->stack_top, prep_finish, p);
}
