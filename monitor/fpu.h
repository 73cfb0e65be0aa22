/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-vCPU state that VMRUN does not exchange: the x87/SSE/AVX registers (XSAVE, or
 * FXSAVE without it), XCR0 (a guest's XSETBV runs natively and changes the physical one) and
 * DR0-DR3. Swapped only when the CPU goes to a different vCPU; the monitor itself never
 * touches them (it is built with -mgeneral-regs-only).
 */
#ifndef TWINMON_MONITOR_FPU_H
#define TWINMON_MONITOR_FPU_H

#include "monitor/core.h"

/* Enable FXSR/XSAVE for the host (CR4), size the save area. -ENODEV without FXSR. */
int fpu_init(struct monitor *m);
/* On another CPU, after fpu_init ran on the boot CPU: the same CR0/CR4 bits and XCR0. */
void fpu_init_cpu(void);
/* The vCPU's save area from the pool, in the power-on state (FCW 0x37f, MXCSR 0x1f80,
 * XCR0 = x87, DR0-3 and SPEC_CTRL 0). */
int fpu_guest_init(struct monitor *m, struct vcpu *v);
/* A change of vCPU, in two halves: the CPU's state into v's area (the vCPU leaving), and
 * v's into the CPU (the one coming; after a save or on its own, as after a restart). */
void fpu_save(struct vcpu *v);
void fpu_load(struct vcpu *v);

#endif
