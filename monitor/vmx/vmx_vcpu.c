// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vendor interface's accessors (monitor/vcpu.h) over the vCPU's VMCS: registers, event
 * injection through the VM-entry interruption-information field, the interrupt window
 * (interrupt-window exiting), and the state dump. Each makes the vCPU's VMCS current first.
 */
#include "monitor/vmx/vmx.h"

#include "monitor/vmx/vmx_exitqual.h"

/* VMCS access rights keep descriptor bits 55:52 in 15:12; the core's CS_ATTR in 11:8. */
static uint64_t vmx_ar_to_attr(uint64_t ar)
{
	return (ar & 0xff) | ((ar >> 12) & 0xf) << 8;
}

_Static_assert(VCPU_SEG_L == 1u << 9 && VCPU_SEG_DB == 1u << 10,
	       "CS_ATTR packs descriptor bits 55:52 in 11:8");

static struct vmx_vcpu *vmx_vcpu_of(struct vcpu *vc)
{
	vmx_load(vc);
	return vc->arch;
}

void vmx_sync_entry(struct vmx_vcpu *v)
{
	uint32_t want = v->entry & ~VMX_ENTRY_CTL_IA32E_GUEST;

	if (vmx_read(VMCS_GUEST_EFER) & EFER_LMA)
		want |= VMX_ENTRY_CTL_IA32E_GUEST;
	if (want != v->entry) {
		v->entry = want;
		vmx_write(VMCS_ENTRY_CTLS, want);
	}
}

void vmx_vcpu_inject(struct monitor *m, struct vcpu *vc, const struct vcpu_event *ev)
{
	uint32_t error = 0, info;

	vmx_vcpu_of(vc);
	info = vmx_event_encode(ev, vmx_read(VMCS_GUEST_CR0) & CR0_PE, &error);
	vmx_write(VMCS_ENTRY_EXCEPTION_ERROR, error);
	vmx_write(VMCS_ENTRY_INTR_INFO, info);
}

bool vmx_vcpu_interruptible(struct monitor *m, struct vcpu *vc)
{
	vmx_vcpu_of(vc);
	return (vmx_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
	       !(vmx_read(VMCS_GUEST_INTERRUPTIBILITY) &
		 (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS)) &&
	       !(vmx_read(VMCS_ENTRY_INTR_INFO) & VMX_INTR_VALID);
}

bool vmx_vcpu_event_queued(struct monitor *m, struct vcpu *vc)
{
	vmx_vcpu_of(vc);
	return vmx_read(VMCS_ENTRY_INTR_INFO) & VMX_INTR_VALID;
}

void vmx_vcpu_irq_window(struct monitor *m, struct vcpu *vc, bool on)
{
	struct vmx_vcpu *v = vmx_vcpu_of(vc);
	uint32_t proc = on ? v->proc | VMX_PROC_INTR_WINDOW : v->proc & ~VMX_PROC_INTR_WINDOW;

	if (proc != v->proc) {
		v->proc = proc;
		vmx_write(VMCS_PROC_CTLS, proc);
	}
}

/* The guest's view of CR0/CR4: its read shadow where the monitor owns the bits. */
static uint64_t vmx_guest_view(uint32_t real, uint32_t shadow, uint32_t mask)
{
	return (vmx_read(real) & ~vmx_read(mask)) | (vmx_read(shadow) & vmx_read(mask));
}

uint64_t vmx_vcpu_get(struct vcpu *vc, enum vcpu_reg r)
{
	vmx_vcpu_of(vc);
	switch (r) {
	case VCPU_REG_RIP:
		return vmx_read(VMCS_GUEST_RIP);
	case VCPU_REG_RSP:
		return vmx_read(VMCS_GUEST_RSP);
	case VCPU_REG_RFLAGS:
		return vmx_read(VMCS_GUEST_RFLAGS);
	case VCPU_REG_CR0:
		return vmx_guest_view(VMCS_GUEST_CR0, VMCS_CR0_SHADOW, VMCS_CR0_MASK);
	case VCPU_REG_CR3:
		return vmx_read(VMCS_GUEST_CR3);
	case VCPU_REG_CR4:
		return vmx_guest_view(VMCS_GUEST_CR4, VMCS_CR4_SHADOW, VMCS_CR4_MASK);
	case VCPU_REG_EFER:
		return vmx_read(VMCS_GUEST_EFER);
	case VCPU_REG_PAT:
		return vmx_read(VMCS_GUEST_PAT);
	case VCPU_REG_CPL:
		/* SS.DPL is the CPL (SDM vol. 3C, "Checks on Guest Segment Registers"). */
		return (vmx_read(VMCS_GUEST_SS_AR) >> 5) & 3;
	case VCPU_REG_CS_BASE:
		return vmx_read(VMCS_GUEST_CS_BASE);
	case VCPU_REG_CS_ATTR:
		return vmx_ar_to_attr(vmx_read(VMCS_GUEST_CS_AR));
	case VCPU_REG_ES_BASE:
		return vmx_read(VMCS_GUEST_ES_BASE);
	}
	return 0;
}

void vmx_vcpu_set(struct vcpu *vc, enum vcpu_reg r, uint64_t val)
{
	struct vmx_vcpu *v = vmx_vcpu_of(vc);

	switch (r) {
	case VCPU_REG_RIP:
		vmx_write(VMCS_GUEST_RIP, val);
		break;
	case VCPU_REG_RSP:
		vmx_write(VMCS_GUEST_RSP, val);
		break;
	case VCPU_REG_RFLAGS:
		vmx_write(VMCS_GUEST_RFLAGS, val | 2);
		break;
	case VCPU_REG_EFER:
		vmx_write(VMCS_GUEST_EFER, val);
		vmx_sync_entry(v);
		break;
	case VCPU_REG_PAT:
		vmx_write(VMCS_GUEST_PAT, val);
		break;
	default:
		/* The others are not the shared handlers' to change. */
		break;
	}
}

void vmx_vcpu_advance(struct vcpu *vc, uint64_t next)
{
	bool lm;

	vmx_vcpu_of(vc);
	lm = (vmx_read(VMCS_GUEST_EFER) & EFER_LMA) &&
	     (vmx_read(VMCS_GUEST_CS_AR) & (1u << 13));
	vmx_write(VMCS_GUEST_RIP, lm ? next : (uint32_t)next);
	vmx_write(VMCS_GUEST_INTERRUPTIBILITY,
		  vmx_read(VMCS_GUEST_INTERRUPTIBILITY) &
		  ~(uint64_t)(VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS));
}

const char *vmx_vcpu_exit_name(struct vcpu *vc, uint64_t *code)
{
	vmx_vcpu_of(vc);
	*code = vmx_read(VMCS_EXIT_REASON);
	return vmx_exit_name(VMX_EXIT_REASON_BASIC((uint32_t)*code));
}

void vmx_dump(struct monitor *m, struct vcpu *vc)
{
	static const uint32_t fields[] = {
		VMCS_EXIT_REASON, VMCS_EXIT_QUALIFICATION, VMCS_GUEST_PHYS_ADDR,
		VMCS_EXIT_INTR_INFO, VMCS_IDT_VECTORING_INFO, VMCS_INSN_ERROR,
		VMCS_GUEST_RIP, VMCS_GUEST_RSP, VMCS_GUEST_RFLAGS, VMCS_GUEST_CR0,
		VMCS_GUEST_CR3, VMCS_GUEST_CR4, VMCS_GUEST_EFER, VMCS_GUEST_CS_SEL,
		VMCS_GUEST_CS_AR, VMCS_GUEST_CS_BASE, VMCS_GUEST_SS_AR,
		VMCS_GUEST_INTERRUPTIBILITY, VMCS_GUEST_ACTIVITY, VMCS_ENTRY_CTLS,
		VMCS_ENTRY_INTR_INFO, VMCS_EPTP,
	};
	const struct vcpu_regs *r = &vc->regs;

	vmx_vcpu_of(vc);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		monitor_log(m, "vmx: guest %c: %s 0x%llx", vc->g->letter,
			    vmx_vmcs_field_name(fields[i]),
			    (unsigned long long)vmx_read(fields[i]));
	monitor_log(m, "vmx: guest %c: rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx rsi 0x%llx "
		       "rdi 0x%llx rbp 0x%llx",
		    vc->g->letter, (unsigned long long)r->rax, (unsigned long long)r->rbx,
		    (unsigned long long)r->rcx, (unsigned long long)r->rdx,
		    (unsigned long long)r->rsi, (unsigned long long)r->rdi,
		    (unsigned long long)r->rbp);
}
