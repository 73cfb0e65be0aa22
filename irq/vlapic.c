// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual local APIC (irq/vlapic.h): its state, priorities and interrupts. The timer is
 * irq/vlapic_timer.c's, the register file and its MMIO and MSR front ends irq/vlapic_regs.c's;
 * what the three share is in irq/vlapic_internal.h.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "irq/vlapic_internal.h"

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

uint32_t vlapic_ppr(const struct vlapic *v)
{
	int isrv = vlapic_highest(v->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (v->tpr & 0xf0) >= isr_class ? v->tpr & 0xff : isr_class;
}

/* The P6-era arbitration priority: TPR unless a pending or in-service class is higher. */
uint32_t vlapic_apr(const struct vlapic *v)
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
void vlapic_error(struct vlapic *v, uint32_t bit)
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
void vlapic_publish(struct vlapic *v)
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

void vlapic_reset(struct vlapic *v, uint64_t apic_base)
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

void vlapic_eoi(struct vlapic *v)
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

void vlapic_send_ipi(struct vlapic *v, uint32_t icr, uint32_t dest)
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
