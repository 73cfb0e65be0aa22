// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt sources of the storms (see attacks.h), set up when an attack first needs
 * them, so attacks that need none never touch the APIC pages or configuration space. An
 * attack whose source is missing is reported as skipped, not failed: the config decides
 * what the probe owns.
 */
#include "guests/lib/apic.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/out.h"
#include "guests/probe/attacks.h"

bool probe_use_apic(struct probe_run *r)
{
	int rc;

	if (r->apic_state == 0) {
		rc = apic_setup(r->env);
		r->apic_state = rc ? -1 : 1;
		if (rc) {
			probe_outcome(r, PROBE_SKIPPED, "no local APIC to use (%d)", rc);
			return false;
		}
		apic_sw_enable(PROBE_VEC_SPURIOUS);
		out_log("local APIC: %s mode, ID %u", apic_x2apic() ? "x2APIC" : "xAPIC",
			(unsigned)apic_id());
	}
	if (r->apic_state < 0)
		probe_outcome(r, PROBE_SKIPPED, "no local APIC to use");
	return r->apic_state > 0;
}

bool probe_use_ioapic(struct probe_run *r)
{
	int rc;

	/* The I/O APIC page exists only for a guest that owns lines: without edu-irq= the
	 * probe cannot know it does, and an access would be an isolation violation. */
	if (r->opt->edu_irq == PROBE_NO_IRQ) {
		probe_outcome(r, PROBE_SKIPPED, "no edu-irq= given: the I/O APIC input of the "
			      "edu's INTx is unknown");
		return false;
	}
	if (r->ioapic_state == 0) {
		rc = ioapic_setup(r->env, IOAPIC_DEFAULT_BASE);
		r->ioapic_state = rc ? -1 : 1;
		if (rc) {
			probe_outcome(r, PROBE_SKIPPED, "cannot map the I/O APIC (%d)", rc);
			return false;
		}
		out_log("I/O APIC: %u pins at 0x%llx; the edu's INTx on pin %u", ioapic_pins(),
			(unsigned long long)IOAPIC_DEFAULT_BASE, r->opt->edu_irq);
		if (r->opt->edu_irq >= ioapic_pins()) {
			r->ioapic_state = -1;
			probe_outcome(r, PROBE_SKIPPED, "edu-irq=%u: the I/O APIC has %u pins",
				      r->opt->edu_irq, ioapic_pins());
			return false;
		}
	}
	if (r->ioapic_state < 0)
		probe_outcome(r, PROBE_SKIPPED, "no I/O APIC to use");
	return r->ioapic_state > 0;
}

bool probe_use_edu(struct probe_run *r)
{
	char why[OUT_LINE_MAX];

	if (r->edu_state == 0) {
		r->edu_state = edu_setup(r->env, &r->edu, r->opt->edu_bdf, why, sizeof(why)) ? -1
											       : 1;
		if (r->edu_state < 0) {
			probe_outcome(r, PROBE_SKIPPED, "edu: %s", why);
			return false;
		}
		out_log("edu: %02x:%02x.%x, BAR0 0x%llx, MSI capability at 0x%x", r->edu.bdf >> 8,
			(r->edu.bdf >> 3) & 0x1f, r->edu.bdf & 7, (unsigned long long)r->edu.bar,
			r->edu.msi_cap);
	}
	if (r->edu_state < 0)
		probe_outcome(r, PROBE_SKIPPED, "no edu device to use");
	return r->edu_state > 0;
}
