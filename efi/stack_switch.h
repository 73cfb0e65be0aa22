/* SPDX-License-Identifier: GPL-2.0-only */
/* Leaving the firmware's stack for one twinmon owns (efi/stack_switch.asm). */
#ifndef TWINMON_EFI_STACK_SWITCH_H
#define TWINMON_EFI_STACK_SWITCH_H

/* Call fn(arg) with rsp = stack_top (16-byte aligned); fn must never return. */
__attribute__((noreturn)) void stack_switch_call(void *stack_top, void (*fn)(void *), void *arg);

#endif
