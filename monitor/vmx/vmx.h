/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMX backend's own state and the privileged instructions it uses. vmx.c enables VMX
 * (IA32_FEATURE_CONTROL, CR0/CR4 fixed bits, VMXON), sets up each vCPU's VMCS and enters it
 * through vmx_switch.asm; vmx_vcpu.c is the vendor interface's accessors over VMREAD/VMWRITE;
 * vmx_exit.c decodes exits into struct vcpu_exit for the shared handlers. EFI build only:
 * only monitor/vmx/ includes this header.
 */
#ifndef TWINMON_MONITOR_VMX_VMX_H
#define TWINMON_MONITOR_VMX_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/vcpu_exit.h"
#include "monitor/vmx/vmx_caps.h"
#include "monitor/vmx/vmx_vmcs.h"

/* One vCPU's VMX state. */
struct vmx_vcpu {
	uint64_t vmcs_pa;
	void *vmcs;
	uint16_t vpid;
	bool launched;		/* VMLAUNCH done since the last VMCLEAR: VMRESUME next */
	bool ready;		/* the VMCS holds this start's state (set up on the vCPU's CPU) */
	int entry_error;	/* the last entry failed: VMX_SWITCH_FAIL_*, VM-instruction error */
	uint32_t insn_error;
	uint32_t proc;		/* the primary processor-based controls now in the VMCS */
	uint32_t entry;		/* the VM-entry controls now in the VMCS */
	uint64_t eptp;
	struct vcpu_start start;	/* what the next set-up loads */
	/* What VMX does not switch and the policy lets the guest reach (monitor/policy.h):
	 * the SYSCALL MSRs and KERNEL_GS_BASE; and CR2, DR6. Switched when another vCPU
	 * runs on the CPU. */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t cr2, dr6;
};

/* What VMX keeps per physical CPU (pcpu.arch in the EFI build). */
struct vmx_pcpu {
	uint64_t vmxon_pa;
	bool on;		/* VMXON done */
	struct vmx_vcpu *current;	/* whose VMCS is current (VMPTRLD) here */
	struct vmx_vcpu *loaded;	/* whose SYSCALL MSRs, CR2 and DR6 are in the CPU */
};

/* The VMX state of the machine (m->arch in the EFI build). */
struct vmx_cpu {
	struct vmx_caps caps;
	uint64_t msr_bitmap_pa;	/* the MSR bitmap all guests share (vmx_msrbitmap.c) */
	struct vmx_vcpu vcpu[MONITOR_MAX_GUESTS][MONITOR_MAX_VCPUS];
	struct vmx_pcpu pcpu[MONITOR_MAX_CPUS];
};

/* The machine's state, for the accessors that get only a vCPU. */
extern struct vmx_cpu vmx_cpu_state;

/* ---- privileged instructions ---- */
static inline uint64_t vmx_read(uint32_t field)
{
	uint64_t v = 0;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)field) : "cc");
	return v;
}

static inline void vmx_write(uint32_t field, uint64_t v)
{
	__asm__ volatile("vmwrite %0, %1" : : "r"(v), "r"((uint64_t)field) : "cc");
}

/* VMXON, VMCLEAR, VMPTRLD of the region at pa: true on success. */
static inline bool vmx_vmxon(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool vmx_vmclear(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool vmx_vmptrld(uint64_t pa)
{
	uint8_t fail;

	__asm__ volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline void vmx_vmxoff(void)
{
	__asm__ volatile("vmxoff" : : : "cc", "memory");
}

static inline void vmx_invept(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, reserved;
	} d = { eptp, 0 };

	__asm__ volatile("invept %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

/* ---- vmx.c ---- */
/* Make v's VMCS current on this CPU, setting it up from v->start if it is not yet. */
void vmx_load(struct vcpu *vc);
/* The CPU's IA32_VMX_* MSRs into *c (CPUID.1:ECX.VMX checked). 0, or -ENODEV with a
 * message in c->error. */
int vmx_probe(struct vmx_caps *c);

/* ---- vmx_vcpu.c: the vendor interface's accessors (monitor/vcpu.h) ---- */
void vmx_vcpu_inject(struct monitor *m, struct vcpu *vc, const struct vcpu_event *ev);
bool vmx_vcpu_interruptible(struct monitor *m, struct vcpu *vc);
bool vmx_vcpu_event_queued(struct monitor *m, struct vcpu *vc);
void vmx_vcpu_irq_window(struct monitor *m, struct vcpu *vc, bool on);
uint64_t vmx_vcpu_get(struct vcpu *vc, enum vcpu_reg r);
void vmx_vcpu_set(struct vcpu *vc, enum vcpu_reg r, uint64_t val);
void vmx_vcpu_advance(struct vcpu *vc, uint64_t next);
const char *vmx_vcpu_exit_name(struct vcpu *vc, uint64_t *code);
void vmx_dump(struct monitor *m, struct vcpu *vc);
/* The IA-32e mode guest entry control from the guest's EFER.LMA. */
void vmx_sync_entry(struct vmx_vcpu *v);

/* ---- vmx_exit.c ---- */
/* The exit reason's name ("io", "ept-violation", "unknown"). */
const char *vmx_exit_name(uint32_t basic);
/* Decode the exit in the current VMCS, count it and handle it: the backend's handle_exit. */
enum exit_action vmx_exit_dispatch(struct monitor *m, struct vcpu *vc);

#endif
