// SPDX-License-Identifier: GPL-2.0-only
/* Taking a CPU state snapshot: the privileged half of cpustate.h, built only for guests. */
#include "guests/lib/cpu.h"
#include "guests/lib/cpustate.h"

void cpu_state_read(struct cpu_state *s)
{
	struct desc_ptr g = sgdt(), i = sidt();

	*s = (struct cpu_state){
		.gdtr_base = g.base, .gdtr_limit = g.limit,
		.idtr_base = i.base, .idtr_limit = i.limit,
		.tr = str(),
		.cr0 = read_cr0(), .cr3 = read_cr3(), .cr4 = read_cr4(),
		.efer = rdmsr(MSR_EFER),
	};
}
