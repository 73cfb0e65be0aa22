// SPDX-License-Identifier: GPL-2.0-only
/*
 * level-storm (see attacks.h): the edu's INTx raised once and never acknowledged, so the
 * level line stays asserted, while the probe's I/O APIC entry for it is programmed, case by
 * case, so that it cannot deliver: masked, a vector below 16, delivery modes a line cannot
 * use, an edge trigger, another CPU as destination, its local APIC disabled in software and
 * in hardware. A monitor that unmasks the physical pin whenever the guest has nothing in
 * service takes the interrupt again at once, for ever: every VMRUN of either guest exits
 * before its first instruction. Each case runs for a phase; the last step programs a valid
 * entry and must get the interrupt, which proves the line was asserted on that pin all
 * along, then acknowledges the device.
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"

#define LEVEL_RAISE_BITS	1u
#define LEVEL_VECTOR_LOW	0x05
#define LEVEL_CHECK_US		100000	/* how long the valid entry has to deliver */

static unsigned level_pin;
static uint64_t level_entry;		/* the entry as last programmed */
static volatile uint64_t level_taken;

/*
 * An interrupt that came. A level entry is masked before the EOI, so the held line cannot
 * repeat it. An edge entry on a held line should give one interrupt (one edge); a monitor
 * that turns every re-sample of the line into a new edge gives one after another, and then
 * only the handler can end the phase: it masks the entry once the phase is over.
 */
static void level_irq(struct trap_frame *f)
{
	probe_irqs++;
	level_taken++;
	if ((level_entry & IOAPIC_RTE_LEVEL) || rdtsc() >= probe_phase_end) {
		level_entry |= IOAPIC_RTE_MASKED;
		ioapic_set_rte(level_pin, level_entry);
	}
	apic_eoi();
}

static void level_program(uint64_t rte)
{
	level_entry = rte;
	ioapic_set_rte(level_pin, rte);
}

/* A fixed, level, active-low entry for this CPU with vector vec, unmasked. */
static uint64_t level_valid(uint8_t vec)
{
	return IOAPIC_RTE_FIXED | IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW | vec |
	       (uint64_t)(apic_id() & 0xff) << IOAPIC_RTE_DEST_SHIFT;
}

static void level_case(struct probe_run *r, enum probe_level_case c)
{
	uint64_t valid = level_valid(PROBE_VEC_LINE);
	uint64_t bad_dest = (uint64_t)((apic_id() + 1) & 0x7f) << IOAPIC_RTE_DEST_SHIFT;
	uint64_t no_dest = valid & ~(0xffull << IOAPIC_RTE_DEST_SHIFT);

	switch (c) {
	case PROBE_LEVEL_MASKED:
		/* As at reset if nothing was programmed yet: the case as the issue has it. */
		if (!(ioapic_rte(level_pin) & IOAPIC_RTE_MASKED))
			level_program(valid | IOAPIC_RTE_MASKED);
		break;
	case PROBE_LEVEL_VECTOR_LOW:
		level_program((valid & ~0xffull) | LEVEL_VECTOR_LOW);
		break;
	case PROBE_LEVEL_NMI: level_program(valid | IOAPIC_RTE_NMI); break;
	case PROBE_LEVEL_INIT: level_program(valid | IOAPIC_RTE_INIT); break;
	case PROBE_LEVEL_EXTINT: level_program(valid | IOAPIC_RTE_EXTINT); break;
	case PROBE_LEVEL_EDGE: level_program(valid & ~IOAPIC_RTE_LEVEL); break;
	case PROBE_LEVEL_FOREIGN_DEST: level_program(no_dest | bad_dest); break;
	case PROBE_LEVEL_SW_DISABLED:
		apic_sw_disable();
		level_program(valid);
		break;
	case PROBE_LEVEL_HW_DISABLED:
		/* Nothing touches the APIC's registers from here to apic_hw_enable(). */
		apic_hw_disable();
		level_program(valid);
		break;
	case PROBE_LEVEL_CASES:
		break;
	}
	probe_phase(r, probe_level_case_name(c), NULL, NULL, NULL);
	/* Back to a usable APIC; what it held for the line arrives as soon as it can. */
	level_program(level_entry | IOAPIC_RTE_MASKED);
	if (c == PROBE_LEVEL_HW_DISABLED)
		apic_hw_enable();
	if (c == PROBE_LEVEL_SW_DISABLED || c == PROBE_LEVEL_HW_DISABLED)
		apic_sw_enable(PROBE_VEC_SPURIOUS);
	probe_wait_us(r, 1000);
}

void probe_level_storm(struct probe_run *r)
{
	uint64_t taken;
	uint32_t status;

	probe_announce(r, "level-storm: edu INTx raised and never acknowledged on I/O APIC pin "
		       "%u, its entry unable to deliver, %llu ms per case",
		       r->opt->edu_irq, (unsigned long long)r->opt->phase_ms);
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	if (!probe_use_apic(r) || !probe_use_ioapic(r) || !probe_use_edu(r))
		return;
	level_pin = r->opt->edu_irq;
	level_entry = ioapic_rte(level_pin);
	probe_phase(r, "baseline", NULL, NULL, NULL);
	trap_set_handler(PROBE_VEC_LINE, level_irq);
	edu_raise(&r->edu, LEVEL_RAISE_BITS);
	out_log("attack %u: edu raised: status 0x%x, entry 0x%llx", r->number,
		edu_status(&r->edu), (unsigned long long)level_entry);
	for (unsigned c = 0; c < PROBE_LEVEL_CASES; c++)
		if (r->opt->level_cases & (1u << c))
			level_case(r, c);

	/* The proof: a deliverable entry takes the line that was held all along. */
	taken = level_taken;
	level_program(level_valid(PROBE_VEC_LINE));
	probe_wait_us(r, LEVEL_CHECK_US);
	taken = level_taken - taken;
	status = edu_status(&r->edu);
	edu_ack(&r->edu, status);
	level_program(level_entry | IOAPIC_RTE_MASKED);
	probe_wait_us(r, 1000);
	trap_set_handler(PROBE_VEC_LINE, NULL);
	if (!taken)
		probe_outcome(r, PROBE_SKIPPED, "a valid entry on pin %u got no interrupt (edu "
			      "status 0x%x): is edu-irq= the edu's INTx input?", level_pin, status);
	else
		probe_outcome(r, PROBE_SURVIVED, "line held on pin %u throughout (a valid entry "
			      "took it: %llu interrupts, status 0x%x, now acknowledged); the other "
			      "guest's share is the test's to judge", level_pin,
			      (unsigned long long)taken, status);
}
