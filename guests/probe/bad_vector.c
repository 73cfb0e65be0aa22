// SPDX-License-Identifier: GPL-2.0-only
/*
 * bad-vector (see attacks.h): interrupt vectors nobody should use, from the probe's virtual
 * sources. Vectors 0x10-0x1f are the CPU's exception vectors; 0xff is a common spurious
 * vector. (a) self-IPIs through the local APIC's ICR, (b) the edu's INTx routed through
 * the I/O APIC with such a vector. After each source a phase shows whether the other guest
 * (and so the monitor's timer) still runs. The edu's MSI, which the device sends to the
 * physical local APIC, is the msi attack's (msi.c).
 */
#include "guests/lib/apic.h"
#include "guests/lib/cpu.h"
#include "guests/lib/ioapic.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/probe/attacks.h"
#include "guests/probe/phase.h"
#include "lib/fmt.h"

#define BV_WAIT_US	1000	/* for an IPI or MSI to arrive */
#define BV_ROUTE_US	100000	/* for a routed line: the monitor passes it on */
#define BV_RAISE_BITS	1u

static volatile uint32_t bv_seen[256];
static struct edu *bv_edu;		/* set: the handler acknowledges the edu */

static void bv_irq(struct trap_frame *f)
{
	probe_irqs++;
	bv_seen[f->vector & 0xff]++;
	if (bv_edu)
		edu_ack(bv_edu, BV_RAISE_BITS);
	apic_eoi();
}

/* The guest's stubs take an error code for these exception vectors; an interrupt has none. */
static bool bv_usable(struct probe_run *r, uint8_t v, const char *what)
{
	if (v < 32 && (TRAP_ERROR_MASK >> v) & 1) {
		out_log("attack %u: %s vector 0x%02x skipped: its exception frame has an error "
			"code, an interrupt's has none", r->number, what, v);
		return false;
	}
	return true;
}

/* "0x10 1, 0x1f 0, ..." for what arrived per vector since before[]. */
static void bv_summary(char *buf, size_t size, const struct probe_vectors *vs,
		       const uint32_t *before)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < vs->n && len < size; i++)
		len += (size_t)fmt_snprintf(buf + len, size - len, "%s0x%02x %u", i ? ", " : "",
					    vs->v[i], bv_seen[vs->v[i]] - before[i]);
}

static void bv_snapshot(const struct probe_vectors *vs, uint32_t *before)
{
	for (unsigned i = 0; i < vs->n; i++)
		before[i] = bv_seen[vs->v[i]];
}

static void bv_handlers(const struct probe_vectors *vs, trap_handler_fn fn)
{
	for (unsigned i = 0; i < vs->n; i++)
		trap_set_handler(vs->v[i], fn);
}

static void bv_ipis(struct probe_run *r, char *sum, size_t size)
{
	const struct probe_vectors *vs = &r->opt->vectors;
	uint32_t before[PROBE_VECTORS_MAX];

	bv_snapshot(vs, before);
	for (unsigned i = 0; i < vs->n; i++) {
		if (!bv_usable(r, vs->v[i], "self-IPI"))
			continue;
		apic_write(APIC_ESR, 0);
		apic_self_ipi(vs->v[i]);
		probe_wait_us(r, BV_WAIT_US);
		apic_write(APIC_ESR, 0);
		out_log("attack %u: self-IPI vector 0x%02x: arrived %u times, ESR 0x%x", r->number,
			vs->v[i], bv_seen[vs->v[i]] - before[i], apic_read(APIC_ESR));
	}
	bv_summary(sum, size, vs, before);
	probe_phase(r, "after-ipi", NULL, NULL, NULL);
}

static void bv_routes(struct probe_run *r, char *sum, size_t size)
{
	const struct probe_vectors *vs = &r->opt->vectors;
	unsigned pin = r->opt->edu_irq;
	uint64_t dest = (uint64_t)(apic_id() & 0xff) << IOAPIC_RTE_DEST_SHIFT;
	uint32_t before[PROBE_VECTORS_MAX];

	bv_snapshot(vs, before);
	bv_edu = &r->edu;
	for (unsigned i = 0; i < vs->n; i++) {
		uint64_t rte = IOAPIC_RTE_FIXED | IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW |
			       vs->v[i] | dest;
		uint64_t until;

		if (!bv_usable(r, vs->v[i], "route"))
			continue;
		ioapic_set_rte(pin, rte);
		edu_raise(&r->edu, BV_RAISE_BITS);
		until = rdtsc() + BV_ROUTE_US * r->tsc_khz / 1000;
		while (bv_seen[vs->v[i]] == before[i] && rdtsc() < until)
			probe_wait_us(r, BV_WAIT_US);
		/* Undelivered: the line is dropped here, so the next vector starts clean. */
		edu_ack(&r->edu, BV_RAISE_BITS);
		ioapic_set_rte(pin, rte | IOAPIC_RTE_MASKED);
		probe_wait_us(r, BV_WAIT_US);
		out_log("attack %u: I/O APIC pin %u, vector 0x%02x: arrived %u times", r->number,
			pin, vs->v[i], bv_seen[vs->v[i]] - before[i]);
	}
	bv_edu = NULL;
	bv_summary(sum, size, vs, before);
	probe_phase(r, "after-route", NULL, NULL, NULL);
}

void probe_bad_vector(struct probe_run *r)
{
	char ipi[96] = "skipped", route[96] = "skipped";

	probe_announce(r, "bad-vector: vectors 0x10-0x1f and 0xff by self-IPI and I/O APIC "
		       "route, a phase after each");
	if (!r->tsc_khz) {
		probe_outcome(r, PROBE_SKIPPED, "needs the monitor's TSC frequency");
		return;
	}
	if (!probe_use_apic(r))
		return;
	probe_phase(r, "baseline", NULL, NULL, NULL);
	bv_handlers(&r->opt->vectors, bv_irq);
	bv_ipis(r, ipi, sizeof(ipi));
	/* The routes need the edu's line. */
	if (r->opt->edu_irq != PROBE_NO_IRQ && probe_use_ioapic(r) && probe_use_edu(r))
		bv_routes(r, route, sizeof(route));
	bv_handlers(&r->opt->vectors, NULL);
	probe_outcome(r, PROBE_SURVIVED, "arrived: self-IPI %s; route %s", ipi, route);
}
