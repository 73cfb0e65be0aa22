// SPDX-License-Identifier: GPL-2.0-only
/*
 * The APs' start page (monitor/ap_start_block.c): the parameter block the real start code
 * (monitor/ap_start.asm, assembled for this test too) reads, and what is refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "loader/trampoline.h"
#include "monitor/ap_start.h"

extern const uint8_t ap_start_begin[], ap_start_pm32[], ap_start_lm64[], ap_start_end[];

#define PAGE_PA 0x9f000ull

static uint8_t page[AP_START_PAGE_SIZE] __attribute__((aligned(4096)));

static const struct ap_start_cpu_state good_state = {
	.cr3 = 0x7f000000,
	.cr4 = 0x20,			/* PAE */
	.cr0 = 0x80010033,		/* PG, WP, NE, ET, MP, PE */
	.efer = 0x900,			/* LME, NXE */
};

static struct ap_start_code real_code(void)
{
	return (struct ap_start_code){
		.start = ap_start_begin,
		.size = (size_t)(ap_start_end - ap_start_begin),
		.pm32_off = (size_t)(ap_start_pm32 - ap_start_begin),
		.lm64_off = (size_t)(ap_start_lm64 - ap_start_begin),
	};
}

static void test_ap_start_real_code(void **state)
{
	struct ap_start_code code = real_code();
	struct ap_start_params *p = ap_start_params(page);

	/* The assembly fits below the block and its parts are in the right order. */
	assert_true(code.size <= AP_START_PARAMS_OFF);
	assert_true(0 < code.pm32_off && code.pm32_off < code.lm64_off && code.lm64_off < code.size);
	memset(page, 0xcc, sizeof(page));
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &good_state), 0);
	assert_memory_equal(page, ap_start_begin, code.size);
	assert_int_equal(page[0], 0xfa);	/* cli, first thing in real mode */
	/* Everything between the code and the block is zero (no stale bytes). */
	for (size_t i = code.size; i < AP_START_PARAMS_OFF; i++)
		assert_int_equal(page[i], 0);
	assert_ptr_equal(p, page + AP_START_PARAMS_OFF);
	assert_int_equal(p->to_pm32.offset, PAGE_PA + code.pm32_off);
	assert_int_equal(p->to_lm64.offset, PAGE_PA + code.lm64_off);
}

static void test_ap_start_block(void **state)
{
	static const uint8_t blob[64] = { 0xfa };
	struct ap_start_code code = { blob, sizeof(blob), 16, 32 };
	struct ap_start_params *p = ap_start_params(page);

	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &good_state), 0);
	/* LGDT's operand: limit, then the GDT's linear address inside the page. */
	assert_int_equal(p->gdt_limit, AP_START_GDT_ENTRIES * 8 - 1);
	assert_int_equal(p->gdt_base, PAGE_PA + AP_START_PARAMS_OFF +
					      offsetof(struct ap_start_params, gdt));
	assert_memory_equal((uint8_t *)p + offsetof(struct ap_start_params, gdt_limit) + 2,
			    &p->gdt_base, 4);
	assert_int_equal(p->to_pm32.offset, PAGE_PA + 16);
	assert_int_equal(p->to_pm32.selector, AP_START_SEL_CODE32);
	assert_int_equal(p->to_lm64.offset, PAGE_PA + 32);
	assert_int_equal(p->to_lm64.selector, AP_START_SEL_CODE64);
	/* null; 32-bit code (D set, L clear); the boot protocol's 64-bit code and data. */
	assert_int_equal(p->gdt[0], 0);
	assert_true(p->gdt[AP_START_SEL_CODE32 / 8] & LOADER_SEG_DB);
	assert_false(p->gdt[AP_START_SEL_CODE32 / 8] & LOADER_SEG_L);
	assert_true(p->gdt[AP_START_SEL_CODE32 / 8] & LOADER_SEG_P);
	assert_int_equal(p->gdt[AP_START_SEL_CODE64 / 8], LOADER_GDT_CODE64);
	assert_int_equal(p->gdt[AP_START_SEL_DATA / 8], LOADER_GDT_DATA);
	assert_int_equal(p->cr3, good_state.cr3);
	assert_int_equal(p->cr4, good_state.cr4);
	assert_int_equal(p->cr0, good_state.cr0);
	assert_int_equal(p->efer, good_state.efer);
	assert_int_equal(ap_start_vector(PAGE_PA), 0x9f);

	/* Each AP's part, its flag cleared for the wait. */
	p->started = 1;
	ap_start_set_cpu(p, 0x123450, 0xabcdef, 0x777);
	assert_int_equal(p->stack_top, 0x123450);
	assert_int_equal(p->entry, 0xabcdef);
	assert_int_equal(p->arg, 0x777);
	assert_int_equal(p->started, 0);
}

static void test_ap_start_refused(void **state)
{
	static const uint8_t blob[AP_START_PARAMS_OFF + 1];
	struct ap_start_code code = { blob, 64, 16, 32 };
	struct ap_start_cpu_state st;

	assert_int_equal(ap_start_install(page, PAGE_PA + 8, &code, &good_state), -EINVAL);
	assert_int_equal(ap_start_install(page, 0x100000, &code, &good_state), -EINVAL);
	st = good_state;
	st.cr3 = 1ULL << 32;			/* protected mode loads 32 bits */
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &st), -EINVAL);
	st = good_state;
	st.cr3 |= 0x800;
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &st), -EINVAL);
	st = good_state;
	st.cr4 = 0;				/* long mode needs PAE */
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &st), -EINVAL);
	st = good_state;
	st.cr0 &= ~(1ULL << 31);
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &st), -EINVAL);
	st = good_state;
	st.efer = 0x800;
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &st), -EINVAL);
	code.size = sizeof(blob);		/* runs into the block */
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &good_state), -E2BIG);
	code.size = 64;
	code.lm64_off = 64;
	assert_int_equal(ap_start_install(page, PAGE_PA, &code, &good_state), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ap_start_real_code),
		cmocka_unit_test(test_ap_start_block),
		cmocka_unit_test(test_ap_start_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
