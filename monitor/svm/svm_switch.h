/* SPDX-License-Identifier: GPL-2.0-only */
/* The world switch (svm_switch.asm): its argument block and prototypes. */
#ifndef TWINMON_MONITOR_SVM_SVM_SWITCH_H
#define TWINMON_MONITOR_SVM_SVM_SWITCH_H

#include <stdint.h>

#include "monitor/guest.h"

struct svm_switch {
	uint64_t vmcb_pa;		/* the guest's VMCB */
	uint64_t host_pa;		/* the host's VMSAVE image (FS, GS, TR, LDTR, ...) */
	struct vcpu_regs *regs;		/* the guest's GPRs but RAX and RSP */
};

/*
 * Run the guest of sw until its next #VMEXIT. Entered and left with interrupts off and GIF
 * set; inside, the guest runs with the host's IF set (so physical interrupts exit it).
 */
void svm_world_switch(struct svm_switch *sw);

/* VMSAVE into the page at pa (the host's hidden state, once at start). */
void svm_vmsave(uint64_t pa);

#endif
