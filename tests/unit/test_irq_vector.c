// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which IDT vectors are the monitor's faults and which are interrupts anyone could have sent:
 * the in-service bit decides on the exception vectors and on the spurious vector, nowhere else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "irq/ioapic.h"
#include "irq/irq.h"
#include "irq/vector.h"

/* The exceptions with an error code classify like the rest. (Their stubs' handling of a frame
 * without one, entry.asm, is exercised end to end by tests/qemu/twin-attack-vectors.sh: MSIs
 * on 0x11 and 0x1e.) */
static const unsigned error_vectors[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };

static void test_vector_nmi_is_never_an_interrupt(void **state)
{
	assert_false(irq_vector_needs_isr(2));
	assert_int_equal(irq_vector_classify(2, false), IRQ_CLASS_NMI);
	assert_int_equal(irq_vector_classify(2, true), IRQ_CLASS_NMI);
}

static void test_vector_exception_range_by_isr(void **state)
{
	for (unsigned v = 0; v < 32; v++) {
		if (v == 2)
			continue;
		assert_true(irq_vector_needs_isr(v));
		/* A fault of the monitor's own: never in service. */
		assert_int_equal(irq_vector_classify(v, false), IRQ_CLASS_EXCEPTION);
		/* An interrupt message on the same vector: acknowledged and counted. */
		assert_int_equal(irq_vector_classify(v, true), IRQ_CLASS_RESERVED);
	}
	/* The cases: #MC's vector from a device, the range's ends. */
	assert_int_equal(irq_vector_classify(0x12, true), IRQ_CLASS_RESERVED);
	assert_int_equal(irq_vector_classify(0x10, true), IRQ_CLASS_RESERVED);
	assert_int_equal(irq_vector_classify(0x1f, true), IRQ_CLASS_RESERVED);
}

static void test_vector_error_code_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(error_vectors) / sizeof(error_vectors[0]); i++) {
		unsigned v = error_vectors[i];

		assert_true(irq_vector_needs_isr(v));
		assert_int_equal(irq_vector_classify(v, false), IRQ_CLASS_EXCEPTION);
		assert_int_equal(irq_vector_classify(v, true), IRQ_CLASS_RESERVED);
	}
}

static void test_vector_spurious_by_isr(void **state)
{
	assert_true(irq_vector_needs_isr(IRQ_SPURIOUS_VECTOR));
	/* A true spurious interrupt: nothing in service, no EOI. */
	assert_int_equal(irq_vector_classify(IRQ_SPURIOUS_VECTOR, false), IRQ_CLASS_SPURIOUS);
	/* A message that used vector 0xff is in service and must be acknowledged. */
	assert_int_equal(irq_vector_classify(IRQ_SPURIOUS_VECTOR, true), IRQ_CLASS_OTHER);
}

static void test_vector_allocated_and_others(void **state)
{
	unsigned devices = 0, msis = 0, others = 0;

	assert_false(irq_vector_needs_isr(IRQ_TIMER_VECTOR));
	assert_int_equal(irq_vector_classify(IRQ_TIMER_VECTOR, true), IRQ_CLASS_TIMER);
	assert_int_equal(irq_vector_classify(IRQ_KICK_VECTOR, true), IRQ_CLASS_KICK);
	for (unsigned v = 32; v < 255; v++) {
		enum irq_vector_class c = irq_vector_classify(v, true);

		/* Only the spurious vector's class depends on the ISR from 32 up. */
		assert_false(irq_vector_needs_isr(v));
		assert_int_equal(irq_vector_classify(v, false), c);
		if (v == IRQ_TIMER_VECTOR || v == IRQ_KICK_VECTOR)
			continue;
		if (c == IRQ_CLASS_DEVICE) {
			assert_true(v >= IRQ_DEVICE_VECTOR(0) &&
				    v <= IRQ_DEVICE_VECTOR(IOAPIC_MAX_PINS - 1));
			devices++;
		} else if (c == IRQ_CLASS_MSI) {
			assert_true(v >= IRQ_MSI_BASE && v < IRQ_MSI_BASE + IRQ_MSI_COUNT);
			msis++;
		} else {
			assert_int_equal(c, IRQ_CLASS_OTHER);
			others++;
		}
	}
	assert_int_equal(devices, IOAPIC_MAX_PINS);
	assert_int_equal(msis, IRQ_MSI_COUNT);
	assert_int_equal(others, 255 - 32 - 2 - IOAPIC_MAX_PINS - IRQ_MSI_COUNT);
	/* The remapped MSI vectors touch neither the device lines nor the timer. */
	assert_true(IRQ_MSI_BASE >= IRQ_DEVICE_VECTOR(IOAPIC_MAX_PINS));
	assert_true(IRQ_MSI_BASE + IRQ_MSI_COUNT <= IRQ_TIMER_VECTOR);
	assert_int_equal(irq_vector_classify(IRQ_MSI_BASE - 1, true), IRQ_CLASS_OTHER);
	assert_int_equal(irq_vector_classify(IRQ_MSI_BASE + IRQ_MSI_COUNT, true), IRQ_CLASS_OTHER);
	assert_int_equal(irq_vector_classify(IRQ_DEVICE_BASE - 1, true), IRQ_CLASS_OTHER);
	assert_int_equal(irq_vector_classify(IRQ_DEVICE_VECTOR(IOAPIC_MAX_PINS), true),
			 IRQ_CLASS_OTHER);
	assert_int_equal(irq_vector_classify(32, false), IRQ_CLASS_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_nmi_is_never_an_interrupt),
		cmocka_unit_test(test_vector_exception_range_by_isr),
		cmocka_unit_test(test_vector_error_code_vectors),
		cmocka_unit_test(test_vector_spurious_by_isr),
		cmocka_unit_test(test_vector_allocated_and_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
