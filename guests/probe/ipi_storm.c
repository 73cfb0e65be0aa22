// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipi-storm (see attacks.h): the IPIs that would stop, restart or interrupt another CPU,
 * sent through the probe's local APIC's ICR, in xAPIC mode and then, when the CPU offers it
 * and the switch works, in x2APIC mode (a probe started in x2APIC mode, `apic = x2apic`,
 * goes to xAPIC mode first by way of disabled, so it can do both). Every kind (INIT
 * asserted and de-asserted, SIPI with three vectors, NMI, SMI, a fixed vector) goes to every
 * destination: the all-including-self and all-excluding-self shorthands, physical APIC IDs
 * 0-3, the physical broadcast, and the logical all-ones destination. Under the monitor they
 * reach this guest's own virtual local APICs or nothing: never a physical CPU, so the other
 * guest (on its own core or sharing this one) must not notice, and the test judges that
 * from its lines.
 *
 * What the probe itself can see, checked after every burst (one kind to one destination,
 * IPI_BURST times): it still runs (it would not come back from a reset), its local APIC's ID,
 * software enable, spurious vector and IA32_APIC_BASE are as they were (an INIT to itself
 * that were half applied would clear them), and which interrupts arrived. Fixed IPIs and
 * NMIs whose destination includes the sender may arrive (counted, fine); more of them than
 * were sent to it, anything on a SIPI vector, or a changed APIC is NOT CONTAINED. Fewer
 * fixed ones than sent is reported, not judged: pending requests of one vector merge.
 *
 * The probe is its guest's only vCPU, so a restart by its own INIT and SIPI would also show
 * as a second "probe: attacks" line on its UART: the test checks that.
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/lib/try.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"
#include "lib/fmt.h"

#define IPI_BURST		8		/* IPIs of one kind to one destination in a row */
#define IPI_VEC_FIXED		0x61
#define IPI_VEC_NMI		2
#define IPI_WAIT_US		200		/* after a burst, for interrupts to arrive */

#define ICR_FIXED		(0u << 8)
#define ICR_SMI			(2u << 8)
#define ICR_NMI			(4u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_SIPI		(6u << 8)
#define ICR_LOGICAL		(1u << 11)
#define ICR_ASSERT		(1u << 14)
#define ICR_LEVEL		(1u << 15)
#define ICR_ALL_INCL		(2u << 18)
#define ICR_ALL_EXCL		(3u << 18)
#define CPUID_1_ECX_X2APIC	(1u << 21)

static const struct ipi_kind {
	const char *name;
	uint32_t icr;
} ipi_kinds[] = {
	{ "INIT", ICR_INIT | ICR_ASSERT },
	/* The legacy level de-assert: on old CPUs a broadcast that resynchronised every APIC. */
	{ "INIT-deassert", ICR_INIT | ICR_LEVEL },
	{ "SIPI-0x00", ICR_SIPI | ICR_ASSERT | 0x00 },
	{ "SIPI-0x10", ICR_SIPI | ICR_ASSERT | 0x10 },
	{ "SIPI-0x9f", ICR_SIPI | ICR_ASSERT | 0x9f },
	{ "NMI", ICR_NMI | ICR_ASSERT },
	{ "SMI", ICR_SMI | ICR_ASSERT },
	{ "fixed-0x61", ICR_FIXED | ICR_ASSERT | IPI_VEC_FIXED },
};
#define IPI_KINDS	(sizeof(ipi_kinds) / sizeof(ipi_kinds[0]))
#define IPI_KIND_NMI	5
#define IPI_KIND_FIXED	7

/* The SIPI vectors, which must never arrive as interrupts. */
static const uint8_t ipi_stray_vectors[] = { 0x00, 0x10, 0x9f };

static const struct ipi_dest {
	const char *name;
	uint32_t icr;			/* shorthand or destination mode */
	uint32_t xapic, x2apic;		/* the destination field in either mode */
	bool x2_only;			/* in xAPIC mode the same as another entry */
} ipi_dests[] = {
	{ "all-including-self", ICR_ALL_INCL, 0, 0, false },
	{ "all-excluding-self", ICR_ALL_EXCL, 0, 0, false },
	{ "apic-0", 0, 0, 0, false },
	{ "apic-1", 0, 1, 1, false },
	{ "apic-2", 0, 2, 2, false },
	{ "apic-3", 0, 3, 3, false },
	{ "apic-0xff", 0, 0xff, 0xff, true },
	{ "broadcast", 0, 0xff, 0xffffffffu, false },
	{ "logical-all", ICR_LOGICAL, 0xff, 0xffffffffu, false },
};
#define IPI_DESTS	(sizeof(ipi_dests) / sizeof(ipi_dests[0]))

static volatile uint64_t ipi_fixed_seen, ipi_nmi_seen, ipi_stray_seen;

/* One APIC mode's storm. */
struct ipi_storm {
	struct probe_run *r;
	bool x2;
	uint32_t id, svr;		/* as before the storm */
	uint64_t base;
	unsigned next;			/* the next (kind, destination) pair */
	uint64_t sent[IPI_KINDS], to_self[IPI_KINDS];
	uint64_t bursts, changed;
	char change[OUT_LINE_MAX];	/* the first change seen */
};

static void ipi_fixed_irq(struct trap_frame *f)
{
	(void)f;
	probe_irqs++;
	ipi_fixed_seen++;
	apic_eoi();
}

static void ipi_nmi(struct trap_frame *f)
{
	(void)f;
	probe_irqs++;
	ipi_nmi_seen++;
}

static void ipi_stray(struct trap_frame *f)
{
	(void)f;
	probe_irqs++;
	ipi_stray_seen++;
	apic_eoi();
}

static void ipi_handlers(trap_handler_fn fixed, trap_handler_fn nmi, trap_handler_fn stray)
{
	trap_set_handler(IPI_VEC_FIXED, fixed);
	trap_set_handler(IPI_VEC_NMI, nmi);
	for (unsigned i = 0; i < sizeof(ipi_stray_vectors); i++)
		trap_set_handler(ipi_stray_vectors[i], stray);
}

/* Whether the destination takes in this vCPU, as the architecture defines it. */
static bool ipi_includes_self(const struct ipi_storm *s, const struct ipi_dest *d)
{
	uint32_t dest = s->x2 ? d->x2apic : d->xapic;
	uint32_t all = s->x2 ? 0xffffffffu : 0xffu;

	if (d->icr == ICR_ALL_INCL)
		return true;
	if (d->icr == ICR_ALL_EXCL)
		return false;
	if (d->icr & ICR_LOGICAL)
		return dest == all;
	return dest == all || dest == s->id;
}

static void ipi_check(struct ipi_storm *s, const char *after)
{
	uint32_t id = apic_id(), svr = apic_read(APIC_SVR);
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (id == s->id && svr == s->svr && base == s->base)
		return;
	if (!s->changed++)
		fmt_snprintf(s->change, sizeof(s->change), "after %s: APIC ID %u was %u, SVR 0x%x "
			     "was 0x%x, IA32_APIC_BASE 0x%llx was 0x%llx", after, id, s->id, svr,
			     s->svr, (unsigned long long)base, (unsigned long long)s->base);
}

/* The phase's step: one burst of the next kind to the next destination, then the checks. */
static void ipi_burst(void *arg)
{
	struct ipi_storm *s = arg;
	unsigned k = s->next / IPI_DESTS;
	const struct ipi_dest *d = &ipi_dests[s->next % IPI_DESTS];
	char after[48];

	s->next = (s->next + 1) % (IPI_KINDS * IPI_DESTS);
	if (d->x2_only && !s->x2)
		return;
	for (unsigned i = 0; i < IPI_BURST; i++)
		apic_send_ipi(ipi_kinds[k].icr | d->icr, s->x2 ? d->x2apic : d->xapic);
	s->sent[k] += IPI_BURST;
	if (ipi_includes_self(s, d))
		s->to_self[k] += IPI_BURST;
	s->bursts++;
	probe_wait_us(s->r, IPI_WAIT_US);
	/* probe_wait_us() turned interrupts off; the phase runs with them on. */
	cpu_irq_on();
	fmt_snprintf(after, sizeof(after), "%s to %s", ipi_kinds[k].name, d->name);
	ipi_check(s, after);
}

/* One mode's phase and its report; true when nothing the probe can see went wrong. */
static bool ipi_storm_mode(struct probe_run *r, bool x2, char *sum, size_t size)
{
	static struct ipi_storm s;
	const char *mode = x2 ? "x2APIC" : "xAPIC";
	uint64_t fixed = ipi_fixed_seen, nmi = ipi_nmi_seen, stray = ipi_stray_seen, total = 0;
	bool ok;

	s = (struct ipi_storm){ .r = r, .x2 = x2, .id = apic_id(), .svr = apic_read(APIC_SVR),
				.base = rdmsr(MSR_APIC_BASE) };
	apic_write(APIC_ESR, 0);
	probe_phase(r, x2 ? "ipi-x2apic" : "ipi-xapic", ipi_burst, &s, NULL);
	/* Late arrivals still count. */
	probe_wait_us(r, IPI_WAIT_US);
	fixed = ipi_fixed_seen - fixed;
	nmi = ipi_nmi_seen - nmi;
	stray = ipi_stray_seen - stray;
	apic_write(APIC_ESR, 0);
	for (unsigned k = 0; k < IPI_KINDS; k++) {
		total += s.sent[k];
		out_log("attack %u: %s %s: sent %llu, %llu of them to destinations including this "
			"vCPU", r->number, mode, ipi_kinds[k].name, (unsigned long long)s.sent[k],
			(unsigned long long)s.to_self[k]);
	}
	ok = !s.changed && !stray && fixed <= s.to_self[IPI_KIND_FIXED] &&
	     nmi <= s.to_self[IPI_KIND_NMI];
	out_log("attack %u: %s (APIC ID %u): %llu bursts, %llu IPIs; arrived: fixed %llu of "
		"%llu, NMI %llu of %llu, on SIPI vectors %llu; ESR 0x%x; APIC %s%s", r->number,
		mode, (unsigned)s.id, (unsigned long long)s.bursts, (unsigned long long)total,
		(unsigned long long)fixed, (unsigned long long)s.to_self[IPI_KIND_FIXED],
		(unsigned long long)nmi, (unsigned long long)s.to_self[IPI_KIND_NMI],
		(unsigned long long)stray, apic_read(APIC_ESR), s.changed ? "CHANGED " : "unchanged",
		s.change);
	fmt_snprintf(sum, size, "%s %llu IPIs, fixed %llu/%llu, NMI %llu/%llu, stray %llu%s",
		     mode, (unsigned long long)total, (unsigned long long)fixed,
		     (unsigned long long)s.to_self[IPI_KIND_FIXED], (unsigned long long)nmi,
		     (unsigned long long)s.to_self[IPI_KIND_NMI], (unsigned long long)stray,
		     s.changed ? ", APIC CHANGED" : "");
	return ok;
}

static void ipi_wrmsr_base(void *arg)
{
	wrmsr(MSR_APIC_BASE, *(const uint64_t *)arg);
}

/*
 * x2APIC -> xAPIC: only by way of disabled (which resets the APIC), then enabled without
 * the x2APIC bit; the probe software-enables it again. NULL, or why not.
 */
static const char *ipi_to_xapic(struct probe_run *r)
{
	static char why[OUT_LINE_MAX];
	uint64_t base = rdmsr(MSR_APIC_BASE), off = base & ~(APIC_BASE_EN | APIC_BASE_EXTD);
	uint64_t xapic = (base & ~APIC_BASE_EXTD) | APIC_BASE_EN;
	char f[OUT_LINE_MAX];
	int rc;

	if (guest_try(ipi_wrmsr_base, &off) || guest_try(ipi_wrmsr_base, &xapic)) {
		fmt_snprintf(why, sizeof(why), "the switch faulted: %s",
			     probe_fault_text(f, sizeof(f)));
		return why;
	}
	if ((rc = apic_setup(r->env)) || apic_x2apic()) {
		fmt_snprintf(why, sizeof(why), "IA32_APIC_BASE 0x%llx after the switch (%d)",
			     (unsigned long long)rdmsr(MSR_APIC_BASE), rc);
		return why;
	}
	apic_sw_enable(PROBE_VEC_SPURIOUS);
	out_log("attack %u: local APIC now in xAPIC mode, ID %u", r->number,
		(unsigned)apic_id());
	return NULL;
}

/* xAPIC -> x2APIC, the one legal direction without disabling. NULL, or why not. */
static const char *ipi_to_x2apic(struct probe_run *r)
{
	static char why[OUT_LINE_MAX];
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD;
	char f[OUT_LINE_MAX];

	if (!(cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC))
		return "CPUID.1:ECX does not offer x2APIC";
	if (guest_try(ipi_wrmsr_base, &base)) {
		fmt_snprintf(why, sizeof(why), "the switch faulted: %s",
			     probe_fault_text(f, sizeof(f)));
		return why;
	}
	/* Mode and registers afresh from IA32_APIC_BASE. */
	if (apic_setup(r->env) || !apic_x2apic())
		return "IA32_APIC_BASE did not take the x2APIC bit";
	out_log("attack %u: local APIC now in x2APIC mode, ID %u", r->number,
		(unsigned)apic_id());
	return NULL;
}

void probe_ipi_storm(struct probe_run *r)
{
	char xapic[OUT_LINE_MAX / 2] = "", x2apic[OUT_LINE_MAX / 2] = "x2APIC skipped";
	const char *why;
	bool ok = true;

	probe_announce(r, "ipi-storm: INIT, SIPI, NMI, SMI and fixed IPIs to all, all but self, "
		       "APIC IDs 0-3, broadcast and logical all-ones, %u of each, in xAPIC then "
		       "x2APIC mode", IPI_BURST);
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	if (!probe_use_apic(r))
		return;
	probe_phase(r, "baseline", NULL, NULL, NULL);
	ipi_handlers(ipi_fixed_irq, ipi_nmi, ipi_stray);
	/* xAPIC first, so that started in either mode the probe can try both. */
	if (apic_x2apic() && (why = ipi_to_xapic(r))) {
		out_log("attack %u: xAPIC: skipped: %s", r->number, why);
		fmt_snprintf(xapic, sizeof(xapic), "xAPIC skipped");
	}
	if (!apic_x2apic())
		ok &= ipi_storm_mode(r, false, xapic, sizeof(xapic));
	if (!apic_x2apic() && (why = ipi_to_x2apic(r)))
		out_log("attack %u: x2APIC: skipped: %s", r->number, why);
	if (apic_x2apic())
		ok &= ipi_storm_mode(r, true, x2apic, sizeof(x2apic));
	ipi_handlers(NULL, NULL, NULL);
	probe_outcome(r, ok ? PROBE_SURVIVED : PROBE_NOT_CONTAINED, "%s; %s", xapic, x2apic);
}
