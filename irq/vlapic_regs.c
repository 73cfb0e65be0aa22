// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC's register file (irq/vlapic.h). xAPIC offsets and x2APIC MSRs share one
 * register file indexed by offset / 16 (== MSR - 0x800); the two modes differ only in which
 * registers exist and in how misuse is reported (ESR or silence for MMIO, #GP for MSRs).
 */
#include <errno.h>

#include "irq/vlapic_internal.h"

enum {
	R_ID = 0x02,
	R_LVR = 0x03,
	R_TPR = 0x08,
	R_APR = 0x09,
	R_PPR = 0x0a,
	R_EOI = 0x0b,
	R_RRD = 0x0c,
	R_LDR = 0x0d,
	R_DFR = 0x0e,
	R_SVR = 0x0f,
	R_ISR = 0x10,
	R_TMR = 0x18,
	R_IRR = 0x20,
	R_ESR = 0x28,
	R_CMCI = 0x2f,
	R_ICR = 0x30,
	R_ICR2 = 0x31,
	R_LVTT = 0x32,
	R_LVTERR = 0x37,
	R_TMICT = 0x38,
	R_TMCCT = 0x39,
	R_TDCR = 0x3e,
	R_SELF_IPI = 0x3f,
};

/* How a register access went; the MMIO and MSR front ends turn these into their own rules. */
enum { REG_OK, REG_NONE, REG_RO, REG_WO, REG_BITS };

/* Writable bits per LVT: vector, delivery mode, polarity, trigger, mask, timer mode. */
static const uint32_t vlapic_lvt_bits[VLAPIC_NR_LVT] = {0x107ff, 0x700ff, 0x107ff, 0x107ff,
							0x1a7ff, 0x1a7ff, 0x100ff};
/* Delivery status and remote IRR: read-only, always 0 here, harmless to write back. */
#define LVT_RO_BITS ((1u << 12) | (1u << 14))
#define SVR_BITS    0x3ffu	/* vector, enable, focus check (no EOI suppression) */
#define ICR_BITS    0x000ccfffu /* vector, mode, dest mode, level, trigger, shorthand */
#define ICR_LOGICAL (1u << 11)

/* ---- the register file ------------------------------------------------------------------ */

static int vlapic_lvt_index(unsigned int reg)
{
	if (reg == R_CMCI)
		return VLAPIC_LVT_CMCI_I;
	if (reg >= R_LVTT && reg <= R_LVTERR)
		return (int)reg - R_LVTT + VLAPIC_LVT_TIMER_I;
	return -1;
}

static int vlapic_reg_read(struct vlapic *v, unsigned int reg, bool x2, uint64_t now, uint64_t *val)
{
	int lvt = vlapic_lvt_index(reg);

	*val = 0;
	if (lvt >= 0) {
		*val = v->lvt[lvt];
		return REG_OK;
	}
	switch (reg) {
	case R_ID: *val = x2 ? v->id : (v->id & 0xff) << 24; break;
	case R_LVR: *val = VLAPIC_VERSION; break;
	case R_TPR: *val = v->tpr; break;
	case R_PPR: *val = vlapic_ppr(v); break;
	case R_EOI: return x2 ? REG_WO : REG_OK;
	case R_SELF_IPI: return x2 ? REG_WO : REG_NONE;
	case R_LDR: *val = x2 ? vlapic_x2_ldr(v) : v->ldr; break;
	case R_SVR: *val = v->svr; break;
	case R_ISR ... R_ISR + 7: *val = v->isr[reg - R_ISR]; break;
	case R_TMR ... R_TMR + 7: *val = v->tmr[reg - R_TMR]; break;
	case R_IRR ... R_IRR + 7: *val = v->irr[reg - R_IRR]; break;
	case R_ESR: *val = v->esr; break;
	case R_ICR: *val = v->icr_lo | (x2 ? (uint64_t)v->icr_hi << 32 : 0); break;
	case R_TMICT: *val = v->tmict; break;
	case R_TMCCT: *val = vlapic_tmcct(v, now); break;
	case R_TDCR: *val = v->tdcr; break;
	default:
		if (x2)
			return REG_NONE;
		/* Registers only the xAPIC has. RRD (remote read) is never valid: reads 0. */
		if (reg == R_APR)
			*val = vlapic_apr(v);
		else if (reg == R_DFR)
			*val = v->dfr;
		else if (reg == R_ICR2)
			*val = v->icr_hi;
		else if (reg != R_RRD)
			return REG_NONE;
	}
	return REG_OK;
}

/* In x2APIC mode a write with reserved bits set faults (SDM 10.12.1.3); xAPIC drops them. */
static int vlapic_bits(uint64_t val, uint64_t ok, bool x2)
{
	return x2 && (val & ~ok) ? REG_BITS : REG_OK;
}

static int vlapic_reg_write(struct vlapic *v, unsigned int reg, uint64_t val, bool x2, uint64_t now)
{
	int lvt = vlapic_lvt_index(reg);

	if (x2 && reg != R_ICR && val >> 32)
		return REG_BITS;
	if (lvt >= 0) {
		uint32_t bits = vlapic_lvt_bits[lvt];

		if (vlapic_bits(val, bits | LVT_RO_BITS, x2))
			return REG_BITS;
		val &= bits;
		/* Software disabled: the masks stay set (SDM 10.4.7.2). */
		if (!vlapic_sw_enabled(v))
			val |= VLAPIC_LVT_MASKED;
		if (lvt == VLAPIC_LVT_TIMER_I)
			vlapic_set_lvtt(v, (uint32_t)val);
		else
			v->lvt[lvt] = (uint32_t)val;
		return REG_OK;
	}
	switch (reg) {
	case R_ID:
	case R_LVR:
	case R_PPR:
	case R_TMCCT:
	case R_ISR ... R_ISR + 7:
	case R_TMR ... R_TMR + 7:
	case R_IRR ... R_IRR + 7: return REG_RO;
	case R_TPR:
		if (vlapic_bits(val, 0xff, x2))
			return REG_BITS;
		v->tpr = val & 0xff;
		return REG_OK;
	case R_EOI:
		if (x2 && val)
			return REG_BITS;
		vlapic_eoi(v);
		return REG_OK;
	case R_LDR:
		if (x2)
			return REG_RO;
		v->ldr = val & 0xff000000u;
		return REG_OK;
	case R_SVR:
		if (vlapic_bits(val, SVR_BITS, x2))
			return REG_BITS;
		v->svr = val & SVR_BITS;
		if (!(v->svr & VLAPIC_SVR_ENABLE))
			for (int i = 0; i < VLAPIC_NR_LVT; i++)
				v->lvt[i] |= VLAPIC_LVT_MASKED;
		return REG_OK;
	case R_ESR:
		/* x2APIC: WRMSR of nonzero faults (SDM table 10-6). The write latches. */
		if (x2 && val)
			return REG_BITS;
		v->esr = v->esr_acc;
		v->esr_acc = 0;
		return REG_OK;
	case R_ICR:
		if (vlapic_bits(val, ICR_BITS | 0xffffffff00000000ULL, x2))
			return REG_BITS;
		v->icr_lo = val & ICR_BITS;
		if (x2)
			v->icr_hi = val >> 32;
		vlapic_send_ipi(v, v->icr_lo, x2 ? v->icr_hi : v->icr_hi >> 24);
		return REG_OK;
	case R_TMICT:
		if (vlapic_timer_mode(v) == VLAPIC_TIMER_DEADLINE)
			return REG_OK;
		v->tmict = (uint32_t)val;
		if (vlapic_timer_mode(v) != VLAPIC_TIMER_MODE)
			vlapic_timer_start(v, now);
		return REG_OK;
	case R_TDCR:
		/* Takes effect at the next TMICT write: a running count keeps its divider. */
		if (vlapic_bits(val, 0xb, x2))
			return REG_BITS;
		v->tdcr = val & 0xb;
		return REG_OK;
	case R_SELF_IPI:
		if (!x2)
			return REG_NONE;
		if (val & ~0xffULL)
			return REG_BITS;
		vlapic_send_ipi(v, (uint32_t)val | 1u << 18, 0);
		return REG_OK;
	}
	if (x2)
		return REG_NONE;
	switch (reg) {
	case R_APR:
	case R_RRD: return REG_RO;
	case R_DFR: v->dfr = (uint32_t)val | 0x0fffffffu; return REG_OK;
	case R_ICR2: v->icr_hi = val & 0xff000000u; return REG_OK;
	}
	return REG_NONE;
}

/* ---- front ends ------------------------------------------------------------------------- */

static int vlapic_mmio_check(struct vlapic *v, uint32_t off, uint64_t now)
{
	if (!vlapic_xapic(v) || (off & 0xf) || off > 0xff0)
		return -EINVAL;
	vlapic_update(v, now);
	return 0;
}

int vlapic_mmio_read(struct vlapic *v, uint32_t off, uint64_t now, uint32_t *val)
{
	uint64_t r;
	int err = vlapic_mmio_check(v, off, now);

	if (err)
		return err;
	if (vlapic_reg_read(v, off >> 4, false, now, &r) == REG_NONE)
		vlapic_error(v, VLAPIC_ESR_ILLEGAL_REG);
	*val = (uint32_t)r;
	return 0;
}

int vlapic_mmio_write(struct vlapic *v, uint32_t off, uint32_t val, uint64_t now)
{
	int err = vlapic_mmio_check(v, off, now);

	if (err)
		return err;
	if (vlapic_reg_write(v, off >> 4, val, false, now) == REG_NONE)
		vlapic_error(v, VLAPIC_ESR_ILLEGAL_REG);
	vlapic_publish(v);
	return 0;
}

static int vlapic_set_base(struct vlapic *v, uint64_t val)
{
	uint64_t mode = APIC_BASE_EN | APIC_BASE_EXTD;
	uint64_t from = v->apic_base & mode, to = val & mode;

	if ((val & ~(mode | APIC_BASE_BSP)) != VLAPIC_DEFAULT_BASE || to == APIC_BASE_EXTD ||
	    (from == mode && to == APIC_BASE_EN) || (from == 0 && to == mode))
		return -EINVAL;
	/* BSP is the platform's fact, not the guest's to change. */
	val = (val & ~APIC_BASE_BSP) | (v->apic_base & APIC_BASE_BSP);
	/* Disabling resets the APIC, and enabling starts from that reset state. */
	if (!to || !from)
		vlapic_reset(v, val);
	else
		v->apic_base = val;
	return 0;
}

int vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *val)
{
	*val = 0;
	if (msr == MSR_APIC_BASE) {
		*val = v->apic_base;
		return 0;
	}
	if (msr != MSR_TSC_DEADLINE && (msr < 0x800 || msr > 0x8ff))
		return -ENOENT;
	vlapic_update(v, now);
	if (msr == MSR_TSC_DEADLINE) {
		/* Only ever nonzero in deadline mode: writes elsewhere are ignored, and leaving
		 * the mode clears it. */
		*val = v->tsc_deadline;
		return 0;
	}
	if (!vlapic_x2apic(v))
		return -EINVAL;
	return vlapic_reg_read(v, msr - 0x800, true, now, val) == REG_OK ? 0 : -EINVAL;
}

int vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now)
{
	int err;

	if (msr == MSR_APIC_BASE) {
		err = vlapic_set_base(v, val);
		vlapic_publish(v);
		return err;
	}
	if (msr != MSR_TSC_DEADLINE && (msr < 0x800 || msr > 0x8ff))
		return -ENOENT;
	vlapic_update(v, now);
	if (msr == MSR_TSC_DEADLINE) {
		/* A deadline already past fires at the next vlapic_update(). */
		if (vlapic_enabled(v) && vlapic_timer_mode(v) == VLAPIC_TIMER_DEADLINE) {
			v->tsc_deadline = val;
			v->timer_expiry = val ? val : UINT64_MAX;
		}
		return 0;
	}
	if (!vlapic_x2apic(v))
		return -EINVAL;
	err = vlapic_reg_write(v, msr - 0x800, val, true, now) == REG_OK ? 0 : -EINVAL;
	vlapic_publish(v);
	return err;
}
