/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding what a VM exit reports (Intel SDM vol. 3C, "Recording VM-Exit Information"):
 * the exit qualification of I/O
 * instructions, EPT violations and control-register accesses, and the interruption
 * information of VM exits, IDT vectoring and VM entry. I/O exits and EPT violations decode
 * into the structs the shared handlers take (struct io_access, struct npf_access), so the
 * same handlers serve SVM and VMX; what only VMX reports is kept beside them.
 */
#ifndef TWINMON_MONITOR_VMX_EXITQUAL_H
#define TWINMON_MONITOR_VMX_EXITQUAL_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/io.h"
#include "monitor/npf.h"
#include "monitor/vcpu.h"
#include "monitor/vmx/vmx_vmcs.h"

/* Exit qualification for I/O instructions */
#define VMX_IOQ_SIZE_MASK	7ULL		/* bytes minus one: 0, 1 or 3 */
#define VMX_IOQ_IN		(1ULL << 3)
#define VMX_IOQ_STRING		(1ULL << 4)
#define VMX_IOQ_REP		(1ULL << 5)
#define VMX_IOQ_IMM		(1ULL << 6)	/* the port came from an immediate, not DX */
#define VMX_IOQ_PORT_SHIFT	16
/* The instruction information of INS/OUTS, when IA32_VMX_BASIC bit 54 is set */
#define VMX_IOI_ADDR_SHIFT	7		/* 9:7: 0 16-bit, 1 32-bit, 2 64-bit */
#define VMX_IOI_SEG_SHIFT	15		/* 17:15: ES, CS, SS, DS, FS, GS */

struct vmx_io_exit {
	struct io_access a;	/* what io_emulate() takes */
	bool imm;		/* IN/OUT with an immediate port */
	uint8_t seg;		/* OUTS source segment (0 ES ... 5 GS); 3 (DS) when not reported */
};

/*
 * Decode an I/O exit. insn_info is the VM-exit instruction-information field, used for
 * string instructions when has_info (IA32_VMX_BASIC bit 54); else the address size is left
 * 0 (the caller's default applies). -EINVAL for a size, address size or segment the
 * architecture does not define, or reserved bits set.
 */
int vmx_io_decode(uint64_t qual, uint32_t insn_info, bool has_info, struct vmx_io_exit *x);

/* Exit qualification for EPT violations */
#define VMX_EPTQ_READ		(1ULL << 0)
#define VMX_EPTQ_WRITE		(1ULL << 1)
#define VMX_EPTQ_FETCH		(1ULL << 2)
#define VMX_EPTQ_CAN_READ	(1ULL << 3)	/* the AND of the walk's R bits */
#define VMX_EPTQ_CAN_WRITE	(1ULL << 4)
#define VMX_EPTQ_CAN_EXEC	(1ULL << 5)
#define VMX_EPTQ_GLA_VALID	(1ULL << 7)
#define VMX_EPTQ_GLA_FINAL	(1ULL << 8)	/* with GLA_VALID: the translation of the linear
						 * address, else a guest paging-structure entry */
#define VMX_EPTQ_NMI_UNBLOCK	(1ULL << 12)

struct vmx_ept_violation {
	struct npf_access a;	/* what the shared #NPF emulation takes */
	bool can_read, can_write, can_exec;	/* what the EPT entries allowed */
	bool nmi_unblock;	/* IRET unblocked NMIs before the fault: block them again */
};

/* Decode an EPT violation from the qualification and the guest-physical and guest-linear
 * address fields (gla is kept only when the qualification says it is valid). */
void vmx_ept_decode(uint64_t qual, uint64_t gpa, uint64_t gla, struct vmx_ept_violation *v);

/* Exit qualification for control-register accesses */
enum vmx_cr_type {
	VMX_CR_MOV_TO = 0,
	VMX_CR_MOV_FROM = 1,
	VMX_CR_CLTS = 2,
	VMX_CR_LMSW = 3,
};

struct vmx_cr_access {
	uint8_t cr;		/* 0, 3, 4 or 8 */
	enum vmx_cr_type type;
	uint8_t gpr;		/* MOV: the general register, in the CPU's numbering (0 RAX ...) */
	bool lmsw_mem;		/* LMSW: the source was memory (the linear address field has it) */
	uint16_t lmsw_data;	/* LMSW: the source operand */
};

/* -EINVAL for a CR other than 0, 3, 4, 8 (CLTS and LMSW: other than 0) or reserved bits. */
int vmx_cr_decode(uint64_t qual, struct vmx_cr_access *c);

/* Interruption information: VM-exit (exceptions, NMIs), IDT vectoring (an event whose
 * delivery the exit interrupted), VM entry (injection). */
struct vmx_event_info {
	bool valid;
	uint8_t vector;
	enum vmx_intr_type type;
	bool has_error;
	uint32_t error;		/* the error-code field, when has_error */
	bool nmi_unblock;	/* VM-exit information only */
};

/* -EINVAL for a valid field with reserved bits or the reserved type 1. */
int vmx_event_decode(uint32_t info, uint32_t error, struct vmx_event_info *e);

/*
 * The vendor-neutral event behind a hardware event (external interrupt, NMI, hardware
 * exception), for re-queueing what an exit interrupted. -EOPNOTSUPP for software
 * interrupts and exceptions (they need the instruction length: the backend re-injects
 * them itself), -EINVAL if e is not valid.
 */
int vmx_event_to_vcpu(const struct vmx_event_info *e, struct vcpu_event *ev);

/*
 * The VM-entry interruption-information field that injects ev; *error the error code.
 * cr0_pe: the guest's CR0.PE. A guest in real mode (unrestricted guest) gets no error
 * code: VM entry refuses one there (SDM vol. 3C, checks on VM-entry control fields), as
 * real-mode delivery pushes none.
 */
uint32_t vmx_event_encode(const struct vcpu_event *ev, bool cr0_pe, uint32_t *error);

#endif
