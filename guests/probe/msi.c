// SPDX-License-Identifier: GPL-2.0-only
/*
 * msi (see attacks.h): the edu's MSI programmed with messages that must never reach the
 * physical CPU as written. An MSI is a memory write to the local APIC: without remapping,
 * INIT resets the CPU (the monitor and the other guest with it), NMI and vectors 0x10-0x1f
 * land on the monitor's exception gates, and 0xff can block its timer. The monitor keeps the
 * probe's message and programs the device with one of its own vectors:
 *  - INIT and NMI delivery modes, and a vector below 16: never enabled on the device, so
 *    nothing arrives anywhere (the edu falls back to its INTx line, which the probe's masked
 *    I/O APIC entry holds);
 *  - vectors from 16 up (msi-vectors=, default 0x10, 0xff, 0x61): each raise arrives here,
 *    once, as the probe's own vector.
 * The test reads the per-case counts, the monitor's count of interrupts that reached its
 * exception and other vectors (none may), and the heartbeat's share in the phase after.
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"
#include "lib/fmt.h"

#define MSI_RAISES	3
#define MSI_BITS	1u
#define MSI_WAIT_US	100000	/* for one that should arrive: the monitor passes it on */
#define MSI_QUIET_US	20000	/* for one that must not */
#define MSI_MODE_NMI	0x400
#define MSI_MODE_INIT	0x500
#define MSI_REFUSED_VEC	0x61	/* the vector in the refused modes' messages */
#define MSI_LOW_VECTOR	0x0f

static volatile uint32_t msi_seen[256];
static struct edu *msi_edu;

static void msi_irq(struct trap_frame *f)
{
	probe_irqs++;
	msi_seen[f->vector & 0xff]++;
	edu_ack(msi_edu, MSI_BITS);
	apic_eoi();
}

/* Raise MSI_RAISES times with data; how many arrived as its vector. */
static unsigned msi_case(struct probe_run *r, const char *what, uint16_t data, bool expect)
{
	unsigned vec = data & 0xff, before = msi_seen[vec];

	/* Gates that take an error code would misread an interrupt's frame: not used. */
	if (vec < 32 && (TRAP_ERROR_MASK >> vec) & 1) {
		out_log("attack %u: MSI %s skipped: vector 0x%02x has an error code", r->number,
			what, vec);
		return 0;
	}
	trap_set_handler(vec, msi_irq);
	edu_msi_data(&r->edu, data);
	for (unsigned i = 0; i < MSI_RAISES; i++) {
		uint64_t wait = expect ? MSI_WAIT_US : MSI_QUIET_US;
		uint64_t until = rdtsc() + wait * r->tsc_khz / 1000;
		unsigned want = before + i + 1;

		edu_raise(&r->edu, MSI_BITS);
		while (msi_seen[vec] < want && rdtsc() < until)
			probe_wait_us(r, 1000);
		/* Not delivered (refused, or the INTx the edu fell back to): dropped here. */
		edu_ack(&r->edu, MSI_BITS);
	}
	edu_msi_off(&r->edu);
	probe_wait_us(r, 1000);
	trap_set_handler(vec, NULL);
	out_log("attack %u: MSI %s (data 0x%03x): raised %u, arrived %u", r->number, what, data,
		MSI_RAISES, msi_seen[vec] - before);
	return msi_seen[vec] - before;
}

void probe_msi(struct probe_run *r)
{
	const struct probe_vectors *vs = &r->opt->msi_vectors;
	unsigned refused = 0, bad = 0;
	char sum[160], what[32];
	size_t len = 0;

	probe_announce(r, "msi: the edu's MSI with INIT and NMI delivery, a vector below 16, and "
		       "vectors the monitor must remap");
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	if (!probe_use_apic(r) || !probe_use_edu(r))
		return;
	if (!r->edu.msi_cap) {
		probe_outcome(r, PROBE_SKIPPED, "the edu has no MSI capability");
		return;
	}
	msi_edu = &r->edu;
	probe_phase(r, "baseline", NULL, NULL, NULL);
	refused += msi_case(r, "INIT", MSI_MODE_INIT | MSI_REFUSED_VEC, false);
	refused += msi_case(r, "NMI", MSI_MODE_NMI | MSI_REFUSED_VEC, false);
	refused += msi_case(r, "vector 0x0f", MSI_LOW_VECTOR, false);
	len = (size_t)fmt_snprintf(sum, sizeof(sum), "refused ones arrived %u", refused);
	for (unsigned i = 0; i < vs->n; i++) {
		unsigned got;

		fmt_snprintf(what, sizeof(what), "vector 0x%02x", vs->v[i]);
		got = msi_case(r, what, vs->v[i], vs->v[i] >= 16);
		bad += vs->v[i] >= 16 ? got != MSI_RAISES : got != 0;
		if (len < sizeof(sum))
			len += (size_t)fmt_snprintf(sum + len, sizeof(sum) - len, "; 0x%02x %u",
						    vs->v[i], got);
	}
	probe_phase(r, "after-msi", NULL, NULL, NULL);
	if (refused)
		probe_outcome(r, PROBE_NOT_CONTAINED, "a refused MSI reached this guest (%s)", sum);
	else if (bad)
		probe_outcome(r, PROBE_NOT_CONTAINED, "the edu's own MSIs did not arrive here as "
			      "programmed, %u each (%s)", MSI_RAISES, sum);
	else
		probe_outcome(r, PROBE_SURVIVED, "remapped: %s", sum);
}
