// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/stats.h"

#include <string.h>

#include "lib/fmt.h"
#include "monitor/abi.h"
#include "monitor/stats_line.h"

void stats_count_exit(struct vcpu *v, unsigned reason)
{
	if (reason >= TM_EXIT_REASONS)
		reason = TM_EXIT_UNKNOWN;
	v->stats.exits_total++;
	v->stats.exits_by_reason[reason]++;
}

/* The TSC only goes forward on one CPU: an interval that ends before it starts is a bug,
 * never counted as a huge run. */
void stats_account_guest(struct vcpu *v, uint64_t entry, uint64_t exit)
{
	if (exit >= entry)
		v->stats.cycles_in_guest += exit - entry;
}

void stats_account_monitor(struct vcpu *v, uint64_t from, uint64_t to)
{
	if (to >= from)
		v->stats.cycles_in_monitor += to - from;
}

void stats_snapshot(const struct guest *g, struct tm_guest_stats *out)
{
	*out = g->stats;
	out->version = TM_STATS_VERSION;
	out->slice_us = g->slice_us;
	/* Exits and cycles are counted per vCPU: the guest's are their sum. */
	out->exits_total = out->cycles_in_guest = out->cycles_in_monitor = 0;
	memset(out->exits_by_reason, 0, sizeof(out->exits_by_reason));
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		const struct tm_guest_stats *v = &g->vcpu[i].stats;

		out->exits_total += v->exits_total;
		for (unsigned r = 0; r < TM_EXIT_REASONS; r++)
			out->exits_by_reason[r] += v->exits_by_reason[r];
		out->cycles_in_guest += v->cycles_in_guest;
		out->cycles_in_monitor += v->cycles_in_monitor;
	}
}

/* What its virtual platform did: interrupts in, timer, IPIs, device lines, restarts, and the
 * time it kept the CPU past its slots (paid back from later ones). */
static void stats_print_platform(struct monitor *m, const struct guest *g)
{
	uint64_t injected = 0, timer_fired = 0, ipi_self = 0, ipi_undeliverable = 0;

	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		const struct vcpu *v = &g->vcpu[i];

		injected += v->injected;
		timer_fired += v->lapic.timer_fired;
		ipi_self += v->lapic.ipi_self;
		ipi_undeliverable += v->lapic.ipi_undeliverable;
	}
	monitor_log(m, "monitor: guest %c: interrupts injected %llu (vLAPIC timer %llu, self-IPIs "
		       "%llu, IPIs dropped %llu), device interrupts %llu (delivered %llu, masked "
		       "%llu), MSIs %llu (dropped %llu), restarts %llu, cycles past its slots %llu",
		    g->letter, (unsigned long long)injected, (unsigned long long)timer_fired,
		    (unsigned long long)ipi_self, (unsigned long long)ipi_undeliverable,
		    (unsigned long long)g->device_irqs, (unsigned long long)g->ioapic.delivered,
		    (unsigned long long)g->ioapic.masked_drops,
		    (unsigned long long)g->msi_delivered, (unsigned long long)g->msi_dropped,
		    (unsigned long long)g->restarts,
		    (unsigned long long)g->vcpu[0].cpu->sched.e[g->id].overrun);
}

/*
 * An SMP guest's vCPUs one by one (a single-vCPU guest's two lines above say it all): where
 * it ran, its scheduler's figures on that CPU (RUN decisions after someone else, slots
 * started), its own exits and cycles, and what its vLAPIC took.
 */
static void stats_print_vcpus(struct monitor *m, const struct guest *g)
{
	for (unsigned k = 0; g->nr_vcpus > 1 && k < g->nr_vcpus; k++) {
		const struct vcpu *v = &g->vcpu[k];
		const struct tm_guest_stats *s = &v->stats;
		const struct sched_entity *e = &v->cpu->sched.e[g->id];

		monitor_log(m, "monitor: guest %c vcpu %u on cpu %u: switches in %llu, slots %llu, "
			       "exits %llu (hlt %llu, npf %llu, intr %llu), guest cycles %llu, "
			       "monitor cycles %llu, interrupts injected %llu (vLAPIC timer %llu, "
			       "self-IPIs %llu, IPIs dropped %llu)",
			    g->letter, k, v->cpu->index, (unsigned long long)e->switches_in,
			    (unsigned long long)e->slots, (unsigned long long)s->exits_total,
			    (unsigned long long)s->exits_by_reason[TM_EXIT_HLT],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_NPF],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_INTR],
			    (unsigned long long)s->cycles_in_guest,
			    (unsigned long long)s->cycles_in_monitor, (unsigned long long)v->injected,
			    (unsigned long long)v->lapic.timer_fired,
			    (unsigned long long)v->lapic.ipi_self,
			    (unsigned long long)v->lapic.ipi_undeliverable);
	}
}

/* A CPU set as the config writes it: "0-1", "0,2-3". */
static void stats_cpu_set(uint64_t set, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (unsigned c = 0; c < 64 && n < size; c++) {
		unsigned e = c;

		if (!(set >> c & 1))
			continue;
		while (e + 1 < 64 && (set >> (e + 1) & 1))
			e++;
		if (e > c)
			n += (size_t)fmt_snprintf(buf + n, size - n, "%s%u-%u", n ? "," : "", c, e);
		else
			n += (size_t)fmt_snprintf(buf + n, size - n, "%s%u", n ? "," : "", c);
		c = e;
	}
}

/* The gang-scheduled set: its slots, those every CPU entered, and how far apart. */
static void stats_print_gang(struct monitor *m)
{
	struct gang_meter *g = &m->gang;
	char cpus[64];

	if (!g->cpus)
		return;
	gang_meter_finish(g);
	stats_cpu_set(g->cpus, cpus, sizeof(cpus));
	monitor_log(m, "monitor: gang cpus %s: %llu slot changes, %llu on all CPUs together, "
		       "spread max %llu us, p99 %llu us; guest switches %llu, out of slot %llu",
		    cpus, (unsigned long long)g->slots, (unsigned long long)g->together,
		    (unsigned long long)gang_meter_max_us(g), (unsigned long long)gang_meter_p99_us(g),
		    (unsigned long long)g->switches, (unsigned long long)g->off_slot);
}

void stats_print(struct monitor *m)
{
	static const unsigned shown[] = { TM_EXIT_IO,	   TM_EXIT_MSR, TM_EXIT_CPUID,
					  TM_EXIT_NPF,	   TM_EXIT_VMMCALL, TM_EXIT_HLT,
					  TM_EXIT_INTR };
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct tm_guest_stats snap;
		const struct tm_guest_stats *s = &snap;
		uint64_t other;

		if (!m->guest[i].present)
			continue;
		stats_snapshot(&m->guest[i], &snap);
		other = s->exits_total;
		for (unsigned k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
			other -= s->exits_by_reason[shown[k]];
		monitor_log(m, "monitor: guest %c: switches %llu, exits %llu (io %llu, msr %llu, "
			       "cpuid %llu, npf %llu, vmmcall %llu, hlt %llu, intr %llu, "
			       "other %llu), guest cycles %llu, monitor cycles %llu",
			    m->guest[i].letter, (unsigned long long)s->switches_in,
			    (unsigned long long)s->exits_total,
			    (unsigned long long)s->exits_by_reason[TM_EXIT_IO],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_MSR],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_CPUID],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_NPF],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_VMMCALL],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_HLT],
			    (unsigned long long)s->exits_by_reason[TM_EXIT_INTR],
			    (unsigned long long)other, (unsigned long long)s->cycles_in_guest,
			    (unsigned long long)s->cycles_in_monitor);
		stats_print_platform(m, &m->guest[i]);
		stats_print_vcpus(m, &m->guest[i]);
	}
	for (unsigned c = 0; c < MONITOR_MAX_CPUS; c++) {
		const struct pcpu *pc = &m->cpu[c];
		char who[2 * MONITOR_MAX_GUESTS + 1];
		size_t n = 0;

		if (!pc->guests)
			continue;
		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
			if (pcpu_runs(pc, i) && m->guest[i].present) {
				if (n)
					who[n++] = ',';
				who[n++] = m->guest[i].letter;
			}
		who[n] = 0;
		monitor_log(m, "monitor: cpu %u (APIC ID %u): guests %s, runs %llu, guest switches "
			       "%llu, idle %llu times, %llu cycles",
			    pc->index, pc->apic_id, n ? who : "-", (unsigned long long)pc->runs,
			    (unsigned long long)pc->switches, (unsigned long long)pc->idles,
			    (unsigned long long)pc->idle_cycles);
	}
	stats_print_gang(m);
	stats_lines_print(m, "end");
}
