/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IPIs between the vCPUs of an SMP guest (docs/monitor.md, "SMP guests"). A vCPU's ICR write
 * that is not a pure self IPI waits in its vLAPIC's outbox (irq/vlapic.h, vlapic.smp); after
 * each exit its CPU takes it and delivers it to the vCPUs of the same guest it names, never
 * anywhere else:
 *   - fixed, lowest priority (to the first vCPU that matches, in vCPU order): raised at once
 *     in the sender's own vLAPIC; for a sibling posted to its post box, then its CPU kicked;
 *   - NMI: posted (the sender's own: pending at once); the target's CPU injects it;
 *   - INIT (not the level de-assert): posted; the target waits for a startup IPI with its
 *     vLAPIC reset (ID kept);
 *   - SIPI: posted; a target that waits for one starts in real mode at vector << 12;
 *   - INIT and SIPI to the sender itself are ignored (a vCPU never resets itself: a
 *     single-vCPU guest has no way to), SMI is dropped.
 * A vLAPIC is written only by the CPU that runs its vCPU: the post box is drained there, in
 * the loop, before it decides what to run. Nothing reaches a physical CPU but the kick
 * (IRQ_KICK_VECTOR), which only makes it leave its guest and look.
 */
#ifndef TWINMON_MONITOR_VIPI_H
#define TWINMON_MONITOR_VIPI_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

/* After v's exit, on its CPU: deliver the IPI its vLAPIC's outbox holds, if any. */
void vipi_send(struct monitor *m, struct vcpu *v);
/*
 * On v's CPU, before it decides what to run: take what v's siblings posted (fixed vectors into
 * its vLAPIC, NMI, INIT, SIPI). Whether v got something that makes it runnable (a start, an
 * NMI; a fixed vector shows in its vLAPIC).
 */
bool vipi_receive(struct monitor *m, struct vcpu *v);

/*
 * v executed HLT with interrupts off: in an SMP guest that parks the vCPU (Linux's
 * stop_this_cpu before a reboot or power-off): it waits, off its CPU, until INIT and SIPI
 * start it again (an NMI does not wake it here). Whether every vCPU of the guest is now
 * parked: then nothing can ever wake the guest.
 */
bool vipi_park_halted(struct vcpu *v);
/* v to wait-for-SIPI: its vLAPIC reset (ID and mode kept, not the BSP), no NMI pending. */
void vipi_wait_sipi(struct vcpu *v);
/* v waits for a startup IPI: start it in real mode at vector << 12. 0 or -errno. */
int vipi_sipi(struct monitor *m, struct vcpu *v, uint8_t vector);

#endif
