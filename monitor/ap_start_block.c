// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/ap_start.h"

#include <errno.h>
#include <string.h>

#include "loader/trampoline.h"

#define AP_START_CR0_PE		(1ULL << 0)
#define AP_START_CR0_PG		(1ULL << 31)
#define AP_START_CR4_PAE	(1ULL << 5)
#define AP_START_EFER_LME	(1ULL << 8)
#define AP_START_CR0_NEED	(AP_START_CR0_PG | AP_START_CR0_PE)

/* Flat 4 GiB 32-bit code: the protected-mode step between real and long mode. */
#define AP_START_GDT_CODE32 (LOADER_SEG_LIMIT_FLAT | LOADER_SEG_TYPE(LOADER_SEG_TYPE_CODE_XR) | \
			     LOADER_SEG_S | LOADER_SEG_P | LOADER_SEG_DB | LOADER_SEG_G)

struct ap_start_params *ap_start_params(void *page_va)
{
	return (struct ap_start_params *)((uint8_t *)page_va + AP_START_PARAMS_OFF);
}

static int ap_start_check(uint64_t page_pa, const struct ap_start_code *code,
			  const struct ap_start_cpu_state *st)
{
	if ((page_pa & (AP_START_PAGE_SIZE - 1)) || page_pa >= AP_START_PAGE_LIMIT)
		return -EINVAL;
	/* Protected mode loads CR3 with 32 bits. */
	if (st->cr3 >= (1ULL << 32) || (st->cr3 & 0xfff))
		return -EINVAL;
	if (!(st->cr4 & AP_START_CR4_PAE) || st->cr4 >> 32 || st->cr0 >> 32 ||
	    (st->cr0 & AP_START_CR0_NEED) != AP_START_CR0_NEED ||
	    !(st->efer & AP_START_EFER_LME))
		return -EINVAL;
	if (code->size > AP_START_PARAMS_OFF || code->pm32_off >= code->size ||
	    code->lm64_off >= code->size)
		return -E2BIG;
	return 0;
}

int ap_start_install(void *page_va, uint64_t page_pa, const struct ap_start_code *code,
		     const struct ap_start_cpu_state *st)
{
	struct ap_start_params *p = ap_start_params(page_va);
	int err = ap_start_check(page_pa, code, st);

	if (err)
		return err;
	memset(page_va, 0, AP_START_PAGE_SIZE);
	memcpy(page_va, code->start, code->size);

	p->gdt[0] = 0;
	p->gdt[AP_START_SEL_CODE32 / 8] = AP_START_GDT_CODE32;
	p->gdt[AP_START_SEL_CODE64 / 8] = LOADER_GDT_CODE64;
	p->gdt[AP_START_SEL_DATA / 8] = LOADER_GDT_DATA;
	p->gdt_limit = sizeof(p->gdt) - 1;
	/* Linear addresses: the page's physical address, the same under the identity map. */
	p->gdt_base = (uint32_t)(page_pa + AP_START_PARAMS_OFF +
				 offsetof(struct ap_start_params, gdt));
	p->to_pm32 = (struct ap_start_far32){ (uint32_t)(page_pa + code->pm32_off),
					      AP_START_SEL_CODE32, 0 };
	p->to_lm64 = (struct ap_start_far32){ (uint32_t)(page_pa + code->lm64_off),
					      AP_START_SEL_CODE64, 0 };
	p->cr3 = (uint32_t)st->cr3;
	p->cr4 = (uint32_t)st->cr4;
	p->cr0 = (uint32_t)st->cr0;
	p->efer = st->efer;
	return 0;
}

void ap_start_set_cpu(struct ap_start_params *p, uint64_t stack_top, uint64_t entry,
		      uint64_t arg)
{
	p->stack_top = stack_top;
	p->entry = entry;
	p->arg = arg;
	__atomic_store_n(&p->started, 0, __ATOMIC_RELEASE);
}
