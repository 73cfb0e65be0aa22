// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/stats_line.h"

#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "monitor/abi.h"
#include "monitor/hist.h"
#include "monitor/stats.h"

/* A record being written: its header, and the line under way (the header and pairs). */
struct stats_line {
	struct monitor *m;
	char line[STATS_LINE_MAX + 1];
	unsigned head_len, len;
};

static const char *const stats_exit_names[TM_EXIT_REASONS] = {
	[TM_EXIT_IO] = "io",		[TM_EXIT_MSR] = "msr",
	[TM_EXIT_CPUID] = "cpuid",	[TM_EXIT_NPF] = "npf",
	[TM_EXIT_VMMCALL] = "vmmcall",	[TM_EXIT_HLT] = "hlt",
	[TM_EXIT_INTR] = "intr",	[TM_EXIT_NMI] = "nmi",
	[TM_EXIT_SVM_INSN] = "svm_insn", [TM_EXIT_SHUTDOWN] = "shutdown",
	[TM_EXIT_EXCEPTION] = "exception", [TM_EXIT_OTHER] = "other",
	[TM_EXIT_UNKNOWN] = "unknown",	[TM_EXIT_VINTR] = "vintr",
	[TM_EXIT_CR] = "cr",		[TM_EXIT_PAUSE] = "pause",
};

const char *stats_exit_name(unsigned reason)
{
	return reason < TM_EXIT_REASONS && stats_exit_names[reason] ? stats_exit_names[reason]
								    : "unknown";
}

static void stats_line_begin(struct stats_line *l, struct monitor *m, const char *scope,
			     const char *when, uint64_t tsc, const char *ids)
{
	int n = fmt_snprintf(l->line, sizeof(l->line), "TWINMON-STATS v=%u scope=%s when=%s tsc=%llu%s",
			     STATS_LINE_VERSION, scope, when, (unsigned long long)tsc, ids);

	l->m = m;
	l->head_len = l->len = n < 0 ? 0 : (unsigned)n;
}

static void stats_line_flush(struct stats_line *l)
{
	if (l->len == l->head_len)
		return;
	l->line[l->len] = '\0';
	monitor_log(l->m, "%s", l->line);
	l->len = l->head_len;
}

/* " key=value" on the line, or on a new line with the same header if it does not fit. */
static void stats_line_put(struct stats_line *l, const char *key, const char *fmt, ...)
{
	char pair[STATS_LINE_MAX];
	int n = fmt_snprintf(pair, sizeof(pair), " %s=", key);
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(pair + n, sizeof(pair) - (unsigned)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(pair);	/* what fit, not what would have */
	if (l->len + (unsigned)n > STATS_LINE_MAX)
		stats_line_flush(l);
	for (int i = 0; i < n && l->len < STATS_LINE_MAX; i++)
		l->line[l->len++] = pair[i];
}

static void stats_line_u64(struct stats_line *l, const char *key, uint64_t value)
{
	stats_line_put(l, key, "%llu", (unsigned long long)value);
}

/* name_count, _sum, _min, _max and name_log2_K for each non-empty bucket K. */
static void stats_line_hist(struct stats_line *l, const char *name, const struct hist *h)
{
	char key[48];

	fmt_snprintf(key, sizeof(key), "%s_count", name);
	stats_line_u64(l, key, h->count);
	if (!h->count)
		return;
	fmt_snprintf(key, sizeof(key), "%s_sum", name);
	stats_line_u64(l, key, h->sum);
	fmt_snprintf(key, sizeof(key), "%s_min", name);
	stats_line_u64(l, key, h->min);
	fmt_snprintf(key, sizeof(key), "%s_max", name);
	stats_line_u64(l, key, h->max);
	for (unsigned k = 0; k < HIST_BUCKETS; k++) {
		if (!h->bucket[k])
			continue;
		fmt_snprintf(key, sizeof(key), "%s_log2_%u", name, k);
		stats_line_u64(l, key, h->bucket[k]);
	}
}

/* The world-switch meter (monitor/sw_meter.h): PREFIX_metered, PREFIX_PHASE_cycles, ... */
static void stats_line_sw(struct stats_line *l, const char *prefix, const struct sw_sums *x)
{
	char key[32];

	fmt_snprintf(key, sizeof(key), "%s_metered", prefix);
	stats_line_u64(l, key, x->count);
	for (unsigned k = 0; k < SW_PHASES; k++) {
		fmt_snprintf(key, sizeof(key), "%s_%s_cycles", prefix, sw_meter_phase_name(k));
		stats_line_u64(l, key, x->cycles[k]);
	}
	fmt_snprintf(key, sizeof(key), "%s_long", prefix);
	stats_line_u64(l, key, x->longs);
}

static void stats_line_exits(struct stats_line *l, const struct tm_guest_stats *s)
{
	char key[32];

	stats_line_u64(l, "exits", s->exits_total);
	for (unsigned r = 0; r < TM_EXIT_REASONS; r++) {
		fmt_snprintf(key, sizeof(key), "exit.%s", stats_exit_name(r));
		stats_line_u64(l, key, s->exits_by_reason[r]);
	}
	stats_line_u64(l, "cycles_guest", s->cycles_in_guest);
	stats_line_u64(l, "cycles_monitor", s->cycles_in_monitor);
}

/* The delays of the interrupts other than the timer's, by source (monitor/virq_due.h). */
static const char *const stats_due_names[VIRQ_SRCS] = {
	[VIRQ_SRC_DEV] = "dev_delay", [VIRQ_SRC_MSI] = "msi_delay", [VIRQ_SRC_IPI] = "ipi_delay",
};

static void stats_line_due(struct stats_line *l, const struct hist *delay, uint64_t unmeasured)
{
	for (unsigned s = VIRQ_SRC_NONE + 1; s < VIRQ_SRCS; s++)
		stats_line_hist(l, stats_due_names[s], &delay[s]);
	stats_line_u64(l, "irq_unmeasured", unmeasured);
}

static void stats_lines_vcpu(struct monitor *m, const struct guest *g, unsigned k,
			     const char *when, uint64_t tsc)
{
	const struct vcpu *v = &g->vcpu[k];
	const struct sched_entity *e = &v->cpu->sched.e[g->id];
	struct stats_line l;
	char ids[48];

	fmt_snprintf(ids, sizeof(ids), " guest=%c vcpu=%u cpu=%u", g->letter, k, v->cpu->index);
	stats_line_begin(&l, m, "vcpu", when, tsc, ids);
	stats_line_exits(&l, &v->stats);
	stats_line_u64(&l, "switches_in", e->switches_in);
	stats_line_u64(&l, "slots", e->slots);
	stats_line_u64(&l, "slot_cfg", e->slice);
	stats_line_hist(&l, "slot", &e->slot_len);
	stats_line_u64(&l, "overrun", e->overrun);
	stats_line_u64(&l, "irq_injected", v->injected);
	stats_line_u64(&l, "timer_fired", v->lapic.timer_fired);
	stats_line_u64(&l, "ipi_self", v->lapic.ipi_self);
	stats_line_u64(&l, "ipi_dropped", v->lapic.ipi_undeliverable);
	stats_line_hist(&l, "irq_delay", &v->irq_delay);
	stats_line_due(&l, v->due.delay, v->due.unmeasured);
	stats_line_flush(&l);
}

void stats_lines_guest(struct monitor *m, const struct guest *g, const char *when, uint64_t tsc)
{
	struct tm_guest_stats s;
	struct hist delay = { 0 }, due[VIRQ_SRCS] = { 0 };
	uint64_t injected = 0, timer_fired = 0, unmeasured = 0;
	struct stats_line l;
	char ids[16];

	stats_snapshot(g, &s);
	for (unsigned k = 0; k < g->nr_vcpus; k++) {
		injected += g->vcpu[k].injected;
		timer_fired += g->vcpu[k].lapic.timer_fired;
		hist_merge(&delay, &g->vcpu[k].irq_delay);
		for (unsigned src = 0; src < VIRQ_SRCS; src++)
			hist_merge(&due[src], &g->vcpu[k].due.delay[src]);
		unmeasured += g->vcpu[k].due.unmeasured;
	}
	fmt_snprintf(ids, sizeof(ids), " guest=%c", g->letter);
	stats_line_begin(&l, m, "guest", when, tsc, ids);
	stats_line_u64(&l, "vcpus", g->nr_vcpus);
	stats_line_u64(&l, "slice_us", g->slice_us);
	stats_line_u64(&l, "stopped", g->stopped);
	stats_line_u64(&l, "switches", s.switches_in);
	stats_line_exits(&l, &s);
	stats_line_u64(&l, "irq_injected", injected);
	stats_line_u64(&l, "timer_fired", timer_fired);
	stats_line_hist(&l, "irq_delay", &delay);
	stats_line_due(&l, due, unmeasured);
	stats_line_u64(&l, "device_irqs", g->device_irqs);
	stats_line_u64(&l, "device_delivered", g->ioapic.delivered);
	stats_line_u64(&l, "device_masked", g->ioapic.masked_drops);
	stats_line_u64(&l, "msi_delivered", g->msi_delivered);
	stats_line_u64(&l, "msi_dropped", g->msi_dropped);
	stats_line_u64(&l, "restarts", g->restarts);
	stats_line_flush(&l);
	for (unsigned k = 0; k < g->nr_vcpus; k++)
		stats_lines_vcpu(m, g, k, when, tsc);
}

void stats_lines_print(struct monitor *m, const char *when)
{
	uint64_t tsc = m->plat->now(m->plat->ctx);
	unsigned guests = 0, cpus = 0;
	struct stats_line l;

	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
		guests += m->guest[i].present;
	for (unsigned c = 0; c < MONITOR_MAX_CPUS; c++)
		cpus += m->cpu[c].guests != 0;
	stats_line_begin(&l, m, "monitor", when, tsc, "");
	stats_line_u64(&l, "tsc_khz", m->tsc_khz);
	stats_line_u64(&l, "guests", guests);
	stats_line_u64(&l, "cpus", cpus);
	stats_line_flush(&l);
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
		if (m->guest[i].present)
			stats_lines_guest(m, &m->guest[i], when, tsc);
	for (unsigned c = 0; c < MONITOR_MAX_CPUS; c++) {
		const struct pcpu *pc = &m->cpu[c];
		char ids[16], who[2 * MONITOR_MAX_GUESTS + 1];
		unsigned n = 0;

		if (!pc->guests)
			continue;
		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
			if (pcpu_runs(pc, i) && m->guest[i].present) {
				if (n)
					who[n++] = ',';
				who[n++] = m->guest[i].letter;
			}
		who[n] = '\0';
		fmt_snprintf(ids, sizeof(ids), " cpu=%u", pc->index);
		stats_line_begin(&l, m, "cpu", when, tsc, ids);
		stats_line_u64(&l, "apic_id", pc->apic_id);
		stats_line_put(&l, "guests", "%s", n ? who : "-");
		stats_line_u64(&l, "runs", pc->runs);
		stats_line_u64(&l, "switches", pc->switches);
		stats_line_u64(&l, "idles", pc->idles);
		stats_line_u64(&l, "idle_cycles", pc->idle_cycles);
		stats_line_sw(&l, "sw", &pc->sw.sw);
		stats_line_hist(&l, "sw_total", &pc->sw.total);
		stats_line_u64(&l, "sw_skipped", pc->sw.skipped);
		stats_line_sw(&l, "rs", &pc->sw.rs);
		stats_line_flush(&l);
	}
}
