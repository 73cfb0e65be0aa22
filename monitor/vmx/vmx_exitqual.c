// SPDX-License-Identifier: GPL-2.0-only
/* Exit qualifications and interruption information, decoded (see vmx_exitqual.h). */
#include <errno.h>
#include <string.h>

#include "monitor/vmx/vmx_exitqual.h"

/* Bits the architecture leaves reserved (cleared to 0) in each qualification. */
#define VMX_IOQ_RESERVED	(0xffffffff0000ff80ULL)
#define VMX_CRQ_RESERVED	(0xffffffff0000f080ULL)
#define VMX_INTR_RESERVED	(0x7fffe000u)

int vmx_io_decode(uint64_t qual, uint32_t insn_info, bool has_info, struct vmx_io_exit *x)
{
	struct io_access *a = &x->a;
	unsigned size = (unsigned)(qual & VMX_IOQ_SIZE_MASK);

	memset(x, 0, sizeof(*x));
	if (qual & VMX_IOQ_RESERVED)
		return -EINVAL;
	if (size != 0 && size != 1 && size != 3)
		return -EINVAL;
	a->size = (uint8_t)(size + 1);
	a->port = (uint16_t)(qual >> VMX_IOQ_PORT_SHIFT);
	a->in = qual & VMX_IOQ_IN;
	a->string = qual & VMX_IOQ_STRING;
	a->rep = qual & VMX_IOQ_REP;
	x->imm = qual & VMX_IOQ_IMM;
	x->seg = 3;
	if (x->imm && a->string)
		return -EINVAL;	/* INS/OUTS take the port from DX only */
	if (a->string && has_info) {
		unsigned as = (insn_info >> VMX_IOI_ADDR_SHIFT) & 7;
		unsigned seg = (insn_info >> VMX_IOI_SEG_SHIFT) & 7;

		if (as > 2)
			return -EINVAL;
		a->addr_size = (uint8_t)(2u << as);
		/* INS always writes through ES; the field is undefined for it. */
		if (a->in)
			seg = 0;
		else if (seg > 5)
			return -EINVAL;
		x->seg = (uint8_t)seg;
	} else if (a->string && a->in) {
		x->seg = 0;
	}
	return 0;
}

void vmx_ept_decode(uint64_t qual, uint64_t gpa, uint64_t gla, struct vmx_ept_violation *v)
{
	struct npf_access *a = &v->a;

	memset(v, 0, sizeof(*v));
	a->gpa = gpa;
	a->read = qual & VMX_EPTQ_READ;
	a->write = qual & VMX_EPTQ_WRITE;
	a->fetch = qual & VMX_EPTQ_FETCH;
	v->can_read = qual & VMX_EPTQ_CAN_READ;
	v->can_write = qual & VMX_EPTQ_CAN_WRITE;
	v->can_exec = qual & VMX_EPTQ_CAN_EXEC;
	/* Not present is R, W and X all clear along the walk; anything else is a permission. */
	a->present = v->can_read || v->can_write || v->can_exec;
	a->gla_valid = qual & VMX_EPTQ_GLA_VALID;
	if (a->gla_valid) {
		a->gla = gla;
		a->final = qual & VMX_EPTQ_GLA_FINAL;
		a->tables = !a->final;
	}
	v->nmi_unblock = qual & VMX_EPTQ_NMI_UNBLOCK;
}

int vmx_cr_decode(uint64_t qual, struct vmx_cr_access *c)
{
	memset(c, 0, sizeof(*c));
	if (qual & VMX_CRQ_RESERVED)
		return -EINVAL;
	c->cr = (uint8_t)(qual & 0xf);
	c->type = (enum vmx_cr_type)((qual >> 4) & 3);
	switch (c->type) {
	case VMX_CR_MOV_TO:
	case VMX_CR_MOV_FROM:
		if (c->cr != 0 && c->cr != 3 && c->cr != 4 && c->cr != 8)
			return -EINVAL;
		c->gpr = (uint8_t)((qual >> 8) & 0xf);
		break;
	case VMX_CR_LMSW:
		c->lmsw_mem = qual & (1ULL << 6);
		c->lmsw_data = (uint16_t)(qual >> 16);
		return c->cr == 0 ? 0 : -EINVAL;
	case VMX_CR_CLTS:
		return c->cr == 0 ? 0 : -EINVAL;
	}
	return 0;
}

int vmx_event_decode(uint32_t info, uint32_t error, struct vmx_event_info *e)
{
	memset(e, 0, sizeof(*e));
	if (!(info & VMX_INTR_VALID))
		return 0;
	if (info & VMX_INTR_RESERVED)
		return -EINVAL;
	e->type = (enum vmx_intr_type)((info & VMX_INTR_TYPE_MASK) >> VMX_INTR_TYPE_SHIFT);
	if (e->type == 1)
		return -EINVAL;
	e->valid = true;
	e->vector = (uint8_t)(info & VMX_INTR_VECTOR_MASK);
	e->has_error = info & VMX_INTR_ERROR_VALID;
	e->error = e->has_error ? error : 0;
	e->nmi_unblock = info & VMX_INTR_NMI_UNBLOCK;
	return 0;
}

int vmx_event_to_vcpu(const struct vmx_event_info *e, struct vcpu_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (!e->valid)
		return -EINVAL;
	switch (e->type) {
	case VMX_INTR_EXT:
		ev->type = VCPU_EVENT_INTR;
		break;
	case VMX_INTR_NMI:
		ev->type = VCPU_EVENT_NMI;
		break;
	case VMX_INTR_HW_EXCEPTION:
		ev->type = VCPU_EVENT_EXCEPTION;
		ev->has_error = e->has_error;
		ev->error = e->error;
		break;
	default:
		return -EOPNOTSUPP;
	}
	ev->vector = e->vector;
	return 0;
}

uint32_t vmx_event_encode(const struct vcpu_event *ev, bool cr0_pe, uint32_t *error)
{
	uint32_t info = VMX_INTR_VALID | ev->vector;

	*error = 0;
	switch (ev->type) {
	case VCPU_EVENT_EXCEPTION:
		info |= (uint32_t)VMX_INTR_HW_EXCEPTION << VMX_INTR_TYPE_SHIFT;
		if (ev->has_error && cr0_pe) {
			info |= VMX_INTR_ERROR_VALID;
			*error = ev->error;
		}
		break;
	case VCPU_EVENT_NMI:
		/* The NMI vector is 2 whatever ev says: entry checks require it. */
		info = VMX_INTR_VALID | (uint32_t)VMX_INTR_NMI << VMX_INTR_TYPE_SHIFT | 2;
		break;
	case VCPU_EVENT_INTR:
		info |= (uint32_t)VMX_INTR_EXT << VMX_INTR_TYPE_SHIFT;
		break;
	}
	return info;
}
