# SPDX-License-Identifier: GPL-2.0-only
# irq/: the monitor's timer and host interrupts. Plain C: time arithmetic (host-tested as
# test_monitor_timer, registered in monitor/module.mk). EFI only: the local APIC, the
# PIT/TSC calibration and the host interrupt handlers.
LIB_SRCS += irq/timer.c
# The guests' virtual local APICs (plain C).
LIB_SRCS += irq/vlapic.c irq/vlapic_timer.c irq/vlapic_regs.c irq/vlapic_ipi.c
UNIT_TESTS += test_vlapic
test_vlapic_SRCS := tests/unit/test_vlapic.c
EFI_SRCS += irq/lapic.c irq/irq.c irq/calibrate.c irq/ioapic.c
# The guests' virtual I/O APICs (plain C).
LIB_SRCS += irq/vioapic.c
UNIT_TESTS += test_vioapic
test_vioapic_SRCS := tests/unit/test_vioapic.c
# What an IDT vector is: exception, NMI, an interrupt message on an exception vector, ...
LIB_SRCS += irq/vector.c
UNIT_TESTS += test_irq_vector
test_irq_vector_SRCS := tests/unit/test_irq_vector.c
# IPIs between the vCPUs of one guest: ICR decoding, destinations, the outbox.
UNIT_TESTS += test_vlapic_ipi
test_vlapic_ipi_SRCS := tests/unit/test_vlapic_ipi.c
