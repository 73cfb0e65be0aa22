// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC (irq/vlapic.h). xAPIC offsets and x2APIC MSRs share one register
 * file indexed by offset / 16 (== MSR - 0x800); the two modes differ only in which registers
 * exist and in how misuse is reported (ESR or silence for MMIO, #GP for MSRs).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "irq/timer.h"
#include "irq/vlapic.h"

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

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static bool vlapic_enabled(const struct vlapic *v)
{
	return v->apic_base & APIC_BASE_EN;
}

bool vlapic_sw_enabled(const struct vlapic *v)
{
	return vlapic_enabled(v) && (v->svr & VLAPIC_SVR_ENABLE);
}

bool vlapic_x2apic(const struct vlapic *v)
{
	return vlapic_enabled(v) && (v->apic_base & APIC_BASE_EXTD);
}

bool vlapic_xapic(const struct vlapic *v)
{
	return vlapic_enabled(v) && !(v->apic_base & APIC_BASE_EXTD);
}

uint64_t vlapic_mmio_base(const struct vlapic *v)
{
	return v->apic_base & ~0xfffULL;
}

/* The highest vector set in a 256-bit register, -1 if none. */
static int vlapic_highest(const uint32_t *reg)
{
	for (int i = 7; i >= 0; i--)
		if (reg[i])
			return i * 32 + 31 - __builtin_clz(reg[i]);
	return -1;
}

static bool bit_test(const uint32_t *reg, unsigned int vec)
{
	return reg[vec / 32] & (1u << (vec % 32));
}

static void bit_set(uint32_t *reg, unsigned int vec, bool on)
{
	if (on)
		reg[vec / 32] |= 1u << (vec % 32);
	else
		reg[vec / 32] &= ~(1u << (vec % 32));
}

static uint32_t vlapic_ppr(const struct vlapic *v)
{
	int isrv = vlapic_highest(v->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (v->tpr & 0xf0) >= isr_class ? v->tpr & 0xff : isr_class;
}

/* The P6-era arbitration priority: TPR unless a pending or in-service class is higher. */
static uint32_t vlapic_apr(const struct vlapic *v)
{
	int irrv = vlapic_highest(v->irr), isrv = vlapic_highest(v->isr);
	uint32_t top = (uint32_t)(irrv > isrv ? irrv : isrv) & 0xf0;

	if (irrv < 0 && isrv < 0)
		top = 0;
	return (v->tpr & 0xf0) >= top ? v->tpr & 0xff : top;
}

uint32_t vlapic_x2_ldr(const struct vlapic *v)
{
	return (v->id >> 4) << 16 | 1u << (v->id & 0xf);
}

/* An error the guest sees in ESR after its next ESR write; the error LVT signals it. An
 * illegal vector in the error LVT itself is not delivered, so this cannot recurse. */
static void vlapic_error(struct vlapic *v, uint32_t bit)
{
	uint32_t lvt = v->lvt[VLAPIC_LVT_ERROR_I];

	v->esr_acc |= bit;
	if (!(lvt & VLAPIC_LVT_MASKED) && (lvt & 0xff) >= 16) {
		bit_set(v->irr, lvt & 0xff, true);
		bit_set(v->tmr, lvt & 0xff, false);
	}
}

int vlapic_raise(struct vlapic *v, uint8_t vector, bool level)
{
	if (!vlapic_enabled(v))
		return -ENODEV;
	if (vector < 16) {
		vlapic_error(v, VLAPIC_ESR_RECV_ILLEGAL);
		return -EINVAL;
	}
	bit_set(v->irr, vector, true);
	bit_set(v->tmr, vector, level);
	return 0;
}

/* What siblings read of it (vlapic.route): after every change, on its own CPU. */
static void vlapic_publish(struct vlapic *v)
{
	uint64_t r = v->id;

	r |= (uint64_t)(v->ldr >> 24) << VLAPIC_ROUTE_LDR_SHIFT;
	r |= (uint64_t)(v->dfr >> 28) << VLAPIC_ROUTE_DFR_SHIFT;
	if (v->apic_base & APIC_BASE_EN)
		r |= VLAPIC_ROUTE_EN;
	if (v->apic_base & APIC_BASE_EXTD)
		r |= VLAPIC_ROUTE_EXTD;
	if (v->svr & VLAPIC_SVR_ENABLE)
		r |= VLAPIC_ROUTE_SW_EN;
	__atomic_store_n(&v->route, r, __ATOMIC_RELEASE);
}

void vlapic_route_copy(const struct vlapic *v, struct vlapic *out)
{
	uint64_t r = __atomic_load_n(&v->route, __ATOMIC_ACQUIRE);

	memset(out, 0, sizeof(*out));
	out->route = r;
	out->id = (uint32_t)r;
	out->ldr = (uint32_t)((r >> VLAPIC_ROUTE_LDR_SHIFT) & 0xff) << 24;
	out->dfr = (uint32_t)((r >> VLAPIC_ROUTE_DFR_SHIFT) & 0xf) << 28 | 0x0fffffffu;
	out->apic_base = VLAPIC_DEFAULT_BASE;
	if (r & VLAPIC_ROUTE_EN)
		out->apic_base |= APIC_BASE_EN;
	if (r & VLAPIC_ROUTE_EXTD)
		out->apic_base |= APIC_BASE_EXTD;
	out->svr = 0xff | (r & VLAPIC_ROUTE_SW_EN ? VLAPIC_SVR_ENABLE : 0);
	for (int i = 0; i < VLAPIC_NR_LVT; i++)
		out->lvt[i] = VLAPIC_LVT_MASKED;
	out->timer_expiry = UINT64_MAX;
}

/* Everything but the published route, which stays readable until republished. */
#define VLAPIC_STATE_SIZE offsetof(struct vlapic, route)

static void vlapic_reset(struct vlapic *v, uint64_t apic_base)
{
	struct vlapic keep = *v;

	memset(v, 0, VLAPIC_STATE_SIZE);
	v->apic_base = apic_base;
	v->id = keep.id;
	v->tsc_khz = keep.tsc_khz;
	v->bus_khz = keep.bus_khz;
	v->min_period = keep.min_period;
	v->smp = keep.smp;
	v->ipi_self = keep.ipi_self;
	v->ipi_undeliverable = keep.ipi_undeliverable;
	v->timer_fired = keep.timer_fired;
	/* EOIs the guest sent before a disable still have to reach the I/O APIC. */
	memcpy(v->eoi_level, keep.eoi_level, sizeof(v->eoi_level));
	v->svr = 0xff;
	v->dfr = 0xffffffff;
	for (int i = 0; i < VLAPIC_NR_LVT; i++)
		v->lvt[i] = VLAPIC_LVT_MASKED;
	v->timer_expiry = UINT64_MAX;
	vlapic_publish(v);
}

void vlapic_init(struct vlapic *v, uint32_t id, bool x2apic, uint64_t tsc_khz, uint64_t bus_khz)
{
	memset(v, 0, VLAPIC_STATE_SIZE);
	v->id = id;
	v->tsc_khz = tsc_khz;
	v->bus_khz = bus_khz;
	vlapic_reset(v, VLAPIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP |
			    (x2apic ? APIC_BASE_EXTD : 0));
}

/* ---- timer ------------------------------------------------------------------------------ */

static uint32_t vlapic_timer_mode(const struct vlapic *v)
{
	return v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_TIMER_MODE;
}

static uint32_t vlapic_divide(uint32_t tdcr)
{
	uint32_t e = (tdcr & 3) | ((tdcr >> 1) & 4);

	return e == 7 ? 1 : 2u << e;
}

static void vlapic_timer_stop(struct vlapic *v)
{
	v->timer_expiry = UINT64_MAX;
	v->tsc_deadline = 0;
}

/* TMICT written: count from now. The period is rounded up to whole TSC cycles. */
static void vlapic_timer_start(struct vlapic *v, uint64_t now)
{
	uint64_t ticks, q;

	v->timer_expiry = UINT64_MAX;
	if (!v->tmict)
		return;
	v->timer_div = vlapic_divide(v->tdcr);
	ticks = (uint64_t)v->tmict * v->timer_div;
	q = timer_muldiv(ticks, v->tsc_khz, v->bus_khz);
	if (q != UINT64_MAX && timer_muldiv(q, v->bus_khz, v->tsc_khz) < ticks)
		q++;
	v->timer_period = q ? q : 1;
	/*
	 * A periodic timer re-arms itself without the guest: a period of a few cycles would be
	 * an interrupt storm the monitor pays for. Like KVM, a floor (min_period).
	 */
	if ((v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_TIMER_MODE) == VLAPIC_TIMER_PERIODIC &&
	    v->timer_period < v->min_period)
		v->timer_period = v->min_period;
	v->timer_start = now;
	v->timer_expiry = sat_add(now, v->timer_period);
}

static uint32_t vlapic_tmcct(const struct vlapic *v, uint64_t now)
{
	bool periodic = vlapic_timer_mode(v) == VLAPIC_TIMER_PERIODIC;
	uint64_t elapsed, ticks;

	if (v->timer_expiry == UINT64_MAX || vlapic_timer_mode(v) == VLAPIC_TIMER_DEADLINE ||
	    now < v->timer_start)
		return 0;
	elapsed = now - v->timer_start;
	/* Periods the timer has not been caught up with yet (vlapic_update) still reload. */
	if (periodic && v->timer_period)
		elapsed %= v->timer_period;
	ticks = timer_muldiv(elapsed, v->bus_khz, v->tsc_khz) / v->timer_div;
	if (ticks < v->tmict)
		return v->tmict - (uint32_t)ticks;
	/* A periodic count below the floor runs for the floor's period: it still runs. */
	return periodic ? 1 : 0;
}

void vlapic_update(struct vlapic *v, uint64_t now)
{
	uint32_t lvt = v->lvt[VLAPIC_LVT_TIMER_I];

	if (!vlapic_enabled(v) || now < v->timer_expiry)
		return;
	v->timer_fired++;
	if (!(lvt & VLAPIC_LVT_MASKED) && vlapic_sw_enabled(v) &&
	    vlapic_raise(v, lvt & 0xff, false) == 0 && !v->timer_due_pending) {
		v->timer_due = v->timer_expiry;
		v->timer_due_vector = lvt & 0xff;
		v->timer_due_pending = true;
	}
	if (vlapic_timer_mode(v) == VLAPIC_TIMER_PERIODIC) {
		uint64_t late = now - v->timer_expiry;

		v->timer_start = v->timer_expiry + late / v->timer_period * v->timer_period;
		v->timer_expiry = sat_add(v->timer_start, v->timer_period);
	} else {
		vlapic_timer_stop(v);
	}
}

uint64_t vlapic_next_event(const struct vlapic *v)
{
	if (!vlapic_enabled(v) || (v->lvt[VLAPIC_LVT_TIMER_I] & VLAPIC_LVT_MASKED))
		return UINT64_MAX;
	return v->timer_expiry;
}

/* LVT timer written: switching to or from TSC-deadline (or to the reserved mode) disarms
 * (SDM 10.5.4.1). Between one-shot and periodic the SDM only says the write does not start the
 * timer; a running count goes on in the new mode, as KVM does. */
static void vlapic_set_lvtt(struct vlapic *v, uint32_t val)
{
	uint32_t from = vlapic_timer_mode(v), to = val & VLAPIC_TIMER_MODE;

	if (from != to && (from == VLAPIC_TIMER_DEADLINE || to == VLAPIC_TIMER_DEADLINE ||
			   to == VLAPIC_TIMER_MODE)) {
		vlapic_timer_stop(v);
		v->tmict = 0;
	}
	v->lvt[VLAPIC_LVT_TIMER_I] = val;
	/* A count started one-shot goes on periodic: the floor applies to it too. */
	if (to == VLAPIC_TIMER_PERIODIC && v->timer_period < v->min_period)
		v->timer_period = v->min_period;
}

/* ---- interrupts ------------------------------------------------------------------------- */

int vlapic_pending(const struct vlapic *v)
{
	int irrv = vlapic_highest(v->irr);

	if (!vlapic_sw_enabled(v) || irrv < 0)
		return -1;
	return ((uint32_t)irrv & 0xf0) > (vlapic_ppr(v) & 0xf0) ? irrv : -1;
}

void vlapic_accept(struct vlapic *v, int vector)
{
	if (vector < 16 || vector > 255 || !bit_test(v->irr, vector))
		return;
	bit_set(v->irr, vector, false);
	bit_set(v->isr, vector, true);
}

static void vlapic_eoi(struct vlapic *v)
{
	int vec = vlapic_highest(v->isr);

	if (vec < 0)
		return;
	bit_set(v->isr, vec, false);
	/* A level vector's EOI is what the I/O APIC waits for to clear Remote IRR: keep it for
	 * the monitor to forward, since this model has no bus to broadcast it on. */
	if (bit_test(v->tmr, vec))
		bit_set(v->eoi_level, vec, true);
	bit_set(v->tmr, vec, false);
}

int vlapic_take_level_eoi(struct vlapic *v)
{
	for (unsigned int i = 0; i < 8; i++) {
		if (v->eoi_level[i]) {
			int vec = (int)(i * 32) + __builtin_ctz(v->eoi_level[i]);

			bit_set(v->eoi_level, vec, false);
			return vec;
		}
	}
	return -1;
}

uint64_t vlapic_cr8(const struct vlapic *v)
{
	return (v->tpr >> 4) & 0xf;
}

void vlapic_set_cr8(struct vlapic *v, uint64_t cr8)
{
	v->tpr = (cr8 & 0xf) << 4;
}

static void vlapic_send_ipi(struct vlapic *v, uint32_t icr, uint32_t dest)
{
	struct vlapic_ipi ipi = vlapic_ipi_decode(icr, dest);
	bool self = vlapic_ipi_targets(v, v, &ipi);

	if (ipi.mode == VLAPIC_IPI_FIXED && ipi.vector < 16)
		vlapic_error(v, VLAPIC_ESR_SEND_ILLEGAL);
	/*
	 * A guest with several vCPUs: the monitor delivers what is not for this vCPU alone
	 * (vlapic_take_ipi). Its own fixed interrupts it takes here either way.
	 */
	if (v->smp && ipi.shorthand != VLAPIC_IPI_SELF) {
		v->ipi_out = ipi;
		v->has_ipi_out = true;
		return;
	}
	/* A single-CPU guest: every other destination, and every mode but fixed, goes nowhere. */
	if (!self || ipi.mode != VLAPIC_IPI_FIXED) {
		v->ipi_undeliverable++;
		return;
	}
	if (vlapic_raise(v, ipi.vector, false) == 0)
		v->ipi_self++;
}

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
