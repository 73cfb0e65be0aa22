// SPDX-License-Identifier: GPL-2.0-only
#include "irq/vector.h"

#include "irq/ioapic.h"
#include "irq/irq.h"

bool irq_vector_needs_isr(unsigned vector)
{
	return (vector < IRQ_VECTOR_FIRST_IRQ && vector != IRQ_VECTOR_NMI_NUMBER) ||
	       vector == IRQ_SPURIOUS_VECTOR;
}

enum irq_vector_class irq_vector_classify(unsigned vector, bool in_service)
{
	if (vector == IRQ_VECTOR_NMI_NUMBER)
		return IRQ_CLASS_NMI;
	if (vector < IRQ_VECTOR_FIRST_IRQ)
		return in_service ? IRQ_CLASS_RESERVED : IRQ_CLASS_EXCEPTION;
	if (vector == IRQ_TIMER_VECTOR)
		return IRQ_CLASS_TIMER;
	if (vector == IRQ_KICK_VECTOR)
		return IRQ_CLASS_KICK;
	if (vector >= IRQ_DEVICE_VECTOR(0) && vector < IRQ_DEVICE_VECTOR(IOAPIC_MAX_PINS))
		return IRQ_CLASS_DEVICE;
	if (vector >= IRQ_MSI_BASE && vector < IRQ_MSI_BASE + IRQ_MSI_COUNT)
		return IRQ_CLASS_MSI;
	if (vector == IRQ_SPURIOUS_VECTOR)
		return in_service ? IRQ_CLASS_OTHER : IRQ_CLASS_SPURIOUS;
	return IRQ_CLASS_OTHER;
}
