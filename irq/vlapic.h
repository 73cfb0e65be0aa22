/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's virtual local APIC (Intel SDM vol. 3 ch. 10/11, AMD APM vol. 2 ch. 16), for a
 * single-CPU guest: the physical LAPIC stays the monitor's. Pure C, host tested, no pointers
 * in the state. Time is the TSC: every call that can observe time takes `now` in TSC cycles.
 *
 * The monitor's part: call vlapic_update() before each guest entry (and after an exit if it
 * wants IRR current), arm its own timer for vlapic_next_event(), and when the guest can take
 * an interrupt inject vlapic_pending() then call vlapic_accept() with it. Register accesses
 * come in decoded: xAPIC MMIO as 32-bit reads/writes at a page offset, x2APIC as MSRs.
 *
 * What is not modelled: other CPUs (without vlapic.smp, IPIs to anyone but the guest itself
 * are counted and dropped, as are NMI/INIT/SIPI/SMI IPIs; with it the monitor delivers them,
 * monitor/vipi.h), the LINT pins, thermal and performance monitor
 * events (their LVTs are plain storage), spurious-interrupt generation, EOI-broadcast
 * suppression (LVR bit 24 clear), APIC base relocation.
 */
#ifndef TWINMON_IRQ_VLAPIC_H
#define TWINMON_IRQ_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define VLAPIC_DEFAULT_BASE 0xfee00000ULL
/* Spelled as monitor/cpu.h spells it, so both headers can meet in one file. */
#define MSR_APIC_BASE	 0x0000001b
#define MSR_TSC_DEADLINE 0x6e0

#define APIC_BASE_BSP  (1ULL << 8)
#define APIC_BASE_EXTD (1ULL << 10) /* x2APIC mode */
#define APIC_BASE_EN   (1ULL << 11)

/* xAPIC register offsets; the x2APIC MSR is VLAPIC_MSR(offset). */
#define VLAPIC_ID	   0x020
#define VLAPIC_LVR	   0x030
#define VLAPIC_TPR	   0x080
#define VLAPIC_APR	   0x090
#define VLAPIC_PPR	   0x0a0
#define VLAPIC_EOI	   0x0b0
#define VLAPIC_LDR	   0x0d0
#define VLAPIC_DFR	   0x0e0
#define VLAPIC_SVR	   0x0f0
#define VLAPIC_ISR	   0x100 /* 8 words, 0x10 apart */
#define VLAPIC_TMR	   0x180
#define VLAPIC_IRR	   0x200
#define VLAPIC_ESR	   0x280
#define VLAPIC_LVT_CMCI	   0x2f0
#define VLAPIC_ICR	   0x300
#define VLAPIC_ICR2	   0x310 /* xAPIC only: destination in bits 31:24 */
#define VLAPIC_LVT_TIMER   0x320
#define VLAPIC_LVT_THERMAL 0x330
#define VLAPIC_LVT_PERF	   0x340
#define VLAPIC_LVT_LINT0   0x350
#define VLAPIC_LVT_LINT1   0x360
#define VLAPIC_LVT_ERROR   0x370
#define VLAPIC_TMICT	   0x380
#define VLAPIC_TMCCT	   0x390
#define VLAPIC_TDCR	   0x3e0
#define VLAPIC_SELF_IPI	   0x3f0 /* x2APIC only */
#define VLAPIC_MSR(off)	   (0x800u + ((off) >> 4))

/* Version 0x14 (integrated), max LVT entry 5 as AMD parts report: 6 LVTs without CMCI. */
#define VLAPIC_VERSION	      0x00050014u
/* The shortest periodic timer the monitor allows (vlapic.min_period); one-shot is not limited. */
#define VLAPIC_MIN_PERIOD_US 200
#define VLAPIC_SVR_ENABLE     (1u << 8)
#define VLAPIC_LVT_MASKED     (1u << 16)
#define VLAPIC_TIMER_ONESHOT  (0u << 17)
#define VLAPIC_TIMER_PERIODIC (1u << 17)
#define VLAPIC_TIMER_DEADLINE (2u << 17)
#define VLAPIC_TIMER_MODE     (3u << 17)
/* ESR bits. */
#define VLAPIC_ESR_SEND_ILLEGAL (1u << 5)
#define VLAPIC_ESR_RECV_ILLEGAL (1u << 6)
#define VLAPIC_ESR_ILLEGAL_REG	(1u << 7)

/* The LVT slots, in register order with CMCI (0x2f0) first. */
enum {
	VLAPIC_LVT_CMCI_I,
	VLAPIC_LVT_TIMER_I,
	VLAPIC_LVT_THERMAL_I,
	VLAPIC_LVT_PERF_I,
	VLAPIC_LVT_LINT0_I,
	VLAPIC_LVT_LINT1_I,
	VLAPIC_LVT_ERROR_I,
	VLAPIC_NR_LVT
};

/* An inter-processor interrupt as a vCPU sent it (its ICR), decoded. */
enum vlapic_ipi_mode {
	VLAPIC_IPI_FIXED = 0,
	VLAPIC_IPI_LOWEST = 1,
	VLAPIC_IPI_SMI = 2,
	VLAPIC_IPI_NMI = 4,
	VLAPIC_IPI_INIT = 5,
	VLAPIC_IPI_SIPI = 6,
};
enum vlapic_ipi_shorthand {
	VLAPIC_IPI_DEST = 0,		/* the destination field */
	VLAPIC_IPI_SELF = 1,
	VLAPIC_IPI_ALL = 2,		/* all including self */
	VLAPIC_IPI_OTHERS = 3,		/* all excluding self */
};
struct vlapic_ipi {
	uint8_t vector;
	uint8_t mode;			/* enum vlapic_ipi_mode */
	uint8_t shorthand;		/* enum vlapic_ipi_shorthand */
	bool logical;
	bool deassert;			/* INIT level de-assert: does nothing */
	uint32_t dest;			/* xAPIC: 8 bits; x2APIC: 32 */
};

struct vlapic {
	uint64_t apic_base; /* IA32_APIC_BASE */
	uint64_t tsc_khz, bus_khz;
	uint32_t id;		     /* initial (x2)APIC ID; xAPIC shows its low 8 bits */
	uint32_t tpr, svr, ldr, dfr; /* ldr, dfr: the xAPIC registers */
	uint32_t isr[8], tmr[8], irr[8];
	/* Level-triggered vectors the guest has EOIed and the monitor has not yet taken with
	 * vlapic_take_level_eoi(): the EOI broadcast an I/O APIC would see. */
	uint32_t eoi_level[8];
	uint32_t esr;	  /* what the guest reads */
	uint32_t esr_acc; /* errors since the last ESR write */
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[VLAPIC_NR_LVT];
	uint32_t tmict, tdcr;
	/* One-shot/periodic: the current period began at timer_start and lasts timer_period
	 * TSC cycles (timer_div is the divider it was armed with). */
	uint32_t timer_div;
	uint64_t timer_start, timer_period;
	uint64_t timer_expiry; /* UINT64_MAX: not armed */
	uint64_t min_period;   /* TSC cycles, periodic mode; 0 after vlapic_init: no floor */
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE, 0: not armed */
	/* Statistics for the monitor's report; vlapic_init() zeroes them, nothing else does. */
	/* Several vCPUs (set by the monitor): an IPI for others waits here for it. */
	bool smp;
	bool has_ipi_out;
	struct vlapic_ipi ipi_out;
	uint64_t ipi_self;	    /* IPIs delivered to the guest itself */
	uint64_t ipi_undeliverable; /* other destinations, all-but-self, non-fixed modes */
	uint64_t timer_fired;	    /* expiries, masked or not */
	/* The timer interrupt waiting in IRR: when it became due (its expiry, TSC; the first
	 * if several coalesced) and its vector. The monitor measures from it how late the
	 * interrupt was injected, and clears timer_due_pending then (monitor/virq.c). */
	uint64_t timer_due;
	uint8_t timer_due_vector;
	bool timer_due_pending;
	/*
	 * What another CPU may read of this vLAPIC (a sibling's IPI, the vIOAPIC or an MSI
	 * written on another vCPU's CPU): its ID, LDR, DFR model and enables packed in one word
	 * (VLAPIC_ROUTE_*), stored with release order by the only CPU that writes the vLAPIC
	 * after every change, so a reader never sees a torn or half-updated destination. Last
	 * in the struct: a reset clears everything before it and republishes it.
	 */
	uint64_t route;
};

/* vlapic.route: bits 31:0 the ID, 39:32 LDR[31:24], 43:40 DFR[31:28], then the enables. */
#define VLAPIC_ROUTE_LDR_SHIFT	32
#define VLAPIC_ROUTE_DFR_SHIFT	40
#define VLAPIC_ROUTE_EN		(1ULL << 44)
#define VLAPIC_ROUTE_EXTD	(1ULL << 45)
#define VLAPIC_ROUTE_SW_EN	(1ULL << 46)

/*
 * Reset as after power-on: everything 0, LVTs masked, SVR 0xff, DFR all ones, ID id. x2apic:
 * IA32_APIC_BASE starts EN|EXTD|BSP (x2APIC pre-enabled), else EN|BSP. tsc_khz: the TSC
 * frequency; bus_khz: the frequency the APIC timer counts at before TDCR divides it (both
 * nonzero, or the one-shot/periodic timer never fires; TSC-deadline does not need them).
 */
void vlapic_init(struct vlapic *v, uint32_t id, bool x2apic, uint64_t tsc_khz, uint64_t bus_khz);
bool vlapic_x2apic(const struct vlapic *v); /* enabled and in x2APIC mode */
/* Enabled in IA32_APIC_BASE and in the spurious vector register: it takes interrupts. */
bool vlapic_sw_enabled(const struct vlapic *v);
bool vlapic_xapic(const struct vlapic *v);  /* enabled and in xAPIC (MMIO) mode */
uint64_t vlapic_mmio_base(const struct vlapic *v);

/*
 * xAPIC MMIO: a 32-bit access at page offset off (16-byte aligned, 0..0xff0). Reads of
 * write-only registers return 0; writes to read-only ones are ignored; reserved offsets read
 * 0, ignore writes and set ESR bit 7 (illegal register address). -EINVAL if not in xAPIC mode
 * or off is misaligned or out of range (the caller decides what the guest sees).
 */
int vlapic_mmio_read(struct vlapic *v, uint32_t off, uint64_t now, uint32_t *val);
int vlapic_mmio_write(struct vlapic *v, uint32_t off, uint32_t val, uint64_t now);

/*
 * MSR_APIC_BASE, MSR_TSC_DEADLINE and 0x800-0x8ff. 0, -EINVAL meaning "inject #GP" (x2APIC
 * MSR while not in x2APIC mode, a missing register, reading a write-only or writing a
 * read-only one, reserved bits set, a nonzero EOI or ESR write, an illegal APIC_BASE
 * transition or a base other than VLAPIC_DEFAULT_BASE: relocation is refused), or -ENOENT
 * for an MSR outside those (not this model's). ICR is the one 64-bit MSR 0x830, destination
 * in bits 63:32. IA32_TSC_DEADLINE reads 0 and ignores writes unless the LVT timer is in
 * TSC-deadline mode. Disabling (EN clear) resets all state but the ID and the statistics;
 * x2APIC -> xAPIC must go through disabled; disabled -> x2APIC must go through xAPIC.
 */
int vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t now, uint64_t *val);
int vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t val, uint64_t now);

/*
 * Fire the timer if its time has come: IRR gets the LVT timer vector unless masked (or the
 * APIC is software disabled); one-shot disarms, TSC-deadline disarms (the MSR reads 0),
 * periodic re-arms from the previous expiry, not from now, so there is no drift (periods
 * missed entirely coalesce into one interrupt). Register accesses call it themselves.
 */
void vlapic_update(struct vlapic *v, uint64_t now);
/*
 * TSC time at which vlapic_update() has something to do, UINT64_MAX when nothing: no timer
 * armed, or its LVT is masked (a masked timer still counts; vlapic_update() or any register
 * access catches up lazily). May be in the past: then update at once.
 */
uint64_t vlapic_next_event(const struct vlapic *v);
/*
 * The highest vector in IRR whose priority class is above PPR's, -1 if none or the APIC is
 * disabled (hardware or software).
 */
int vlapic_pending(const struct vlapic *v);
/* The CPU took vector (it was vlapic_pending()): IRR -> ISR, so PPR rises. */
void vlapic_accept(struct vlapic *v, int vector);
/*
 * A fixed interrupt from a device or the monitor: IRR set, TMR set for level, clear for edge.
 * -EINVAL for vectors < 16 (ESR bit 6, received illegal vector, is set), -ENODEV while the
 * APIC is hardware disabled (the interrupt is lost). Accepted while software disabled: it
 * waits in IRR, vlapic_pending() does not offer it until the guest enables the APIC.
 */
int vlapic_raise(struct vlapic *v, uint8_t vector, bool level);

/* ---- vlapic_ipi.c: IPIs between the vCPUs of one guest ---- */
/* The ICR's low word and its destination (8 bits in xAPIC mode, 32 in x2APIC). */
struct vlapic_ipi vlapic_ipi_decode(uint32_t icr, uint32_t dest);
/*
 * Whether target is among ipi's destinations when src sent it: the shorthands, the physical
 * ID or broadcast, logical flat/cluster (xAPIC, by target's LDR and DFR) or x2APIC cluster.
 */
bool vlapic_ipi_targets(const struct vlapic *target, const struct vlapic *src,
			const struct vlapic_ipi *ipi);
/* The IPI a vCPU of a multi-vCPU guest sent, once (v->smp); false: none. */
bool vlapic_take_ipi(struct vlapic *v, struct vlapic_ipi *out);
/* The x2APIC logical ID that follows from the APIC ID (cluster << 16 | 1 << position). */
uint32_t vlapic_x2_ldr(const struct vlapic *v);

/*
 * What other CPUs post to a vCPU (its siblings' IPIs), lock-free: any CPU sets bits, the CPU
 * that runs the vCPU drains them into its vLAPIC before entering it. A vLAPIC is written only
 * by the CPU that runs its vCPU.
 */
#define VLAPIC_POST_NMI		(1u << 0)
#define VLAPIC_POST_INIT	(1u << 1)
#define VLAPIC_POST_SIPI	(1u << 2)
struct vlapic_post {
	uint32_t irr[8];		/* fixed vectors */
	uint32_t tmr[8];		/* of them, level-triggered (a vIOAPIC's level pin) */
	uint32_t events;		/* VLAPIC_POST_* */
	uint32_t sipi_vector;		/* the last SIPI's */
};
/* From any CPU. A fixed vector below 16 is not posted (the sender's ESR says so). */
void vlapic_post_fixed(struct vlapic_post *p, uint8_t vector);
void vlapic_post_event(struct vlapic_post *p, uint32_t event, uint8_t sipi_vector);
/*
 * Post every vector proxy's IRR holds (a vlapic_route_copy() the vIOAPIC raised in on
 * another CPU), level-triggered where its TMR says so. Whether there was any: then kick.
 */
bool vlapic_post_raised(struct vlapic_post *p, const struct vlapic *proxy);
/* On the vCPU's CPU: the fixed vectors into v's IRR (edge, or level for those posted so);
 * the events taken, returned. */
uint32_t vlapic_post_drain(struct vlapic_post *p, struct vlapic *v, uint8_t *sipi_vector);
/* The same, and the fixed vectors it took (vector n: bit n % 32 of taken[n / 32]), raised
 * or refused. */
uint32_t vlapic_post_drain_taken(struct vlapic_post *p, struct vlapic *v, uint8_t *sipi_vector,
				 uint32_t taken[8]);
/* Whether anything waits (without taking it). */
bool vlapic_post_pending(const struct vlapic_post *p);

/*
 * The lowest vector the guest EOIed while its TMR bit was set (a level-triggered interrupt,
 * see vlapic_raise()), which is then forgotten; -1 if none. The monitor forwards each to the
 * guest's virtual I/O APIC (vioapic_eoi()) after an exit, in a loop until -1. An EOI is
 * remembered across an APIC disable (it happened), and once however often it was repeated.
 */
int vlapic_take_level_eoi(struct vlapic *v);

/*
 * Another CPU's view of v for routing: out is a vLAPIC with nothing but v's published ID,
 * LDR, DFR and enables (its IRR, TMR, ISR empty), read in one atomic load. The destination
 * and enable checks (vlapic_ipi_targets(), vioapic_dest_matches(), vlapic_sw_enabled()) give
 * on it what they would give on v; vlapic_raise() on it collects what is to be posted to v
 * (vlapic_post_raised()).
 */
void vlapic_route_copy(const struct vlapic *v, struct vlapic *out);

/* CR8 as the guest sees it: TPR[7:4] (for a monitor that intercepts CR8 accesses). */
uint64_t vlapic_cr8(const struct vlapic *v);
void vlapic_set_cr8(struct vlapic *v, uint64_t cr8);

#endif
