// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stopping a guest and restarting it at its reset (docs/monitor.md, "Reset requests and
 * restarts"), on every CPU that runs one of its vCPUs: the CPU that decides kicks the others,
 * whose loops (monitor/core.c) then stop or hold their vCPUs.
 */
#include <stdarg.h>

#include "lib/fmt.h"
#include "monitor/core.h"
#include "monitor/hypercall.h"
#include "monitor/vmsi.h"

/*
 * Make CPU pc leave its guest or idle and look at its loop's conditions again. here: the CPU
 * this runs on, NULL when the caller does not know it (then the platform is asked, which
 * reads the LAPIC ID: not for the loop's own paths). A CPU does not kick itself.
 */
static void monitor_kick(struct monitor *m, const struct pcpu *here, const struct pcpu *pc)
{
	const struct monitor_platform *p = m->plat;

	if (!p || !p->kick)
		return;
	if (!here)
		here = monitor_this_cpu(m);
	if (pc != here)
		p->kick(p->ctx, pc->index);
}

void monitor_guest_stop(struct monitor *m, struct guest *g, const char *fmt, ...)
{
	struct pcpu *here;
	char why[192];
	va_list ap;

	/* Several of its CPUs may stop it at once (a violation on each): the first one does. */
	spinlock_lock(&g->state_lock);
	if (g->stopping) {
		spinlock_unlock(&g->state_lock);
		return;
	}
	g->stopping = true;
	spinlock_unlock(&g->state_lock);
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hypercall_console_flush(m, g);
	monitor_guest_events_flush(m, g);
	__atomic_store_n(&g->stopped, true, __ATOMIC_RELEASE);
	/* This CPU stops its own vCPU's slot; the guest's other CPUs see g->stopped in their
	 * loops and stop theirs (each scheduler is its CPU's alone): kicked to look now. */
	here = monitor_this_cpu(m);
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		if (g->vcpu[i].cpu == here)
			sched_stop(&here->sched, g->id);
		else
			monitor_kick(m, here, g->vcpu[i].cpu);
	}
	/* Its devices' MSIs too: disabled, its vectors released (monitor/vmsi.h). */
	vmsi_guest_reset(m, g, here);
	/* Its device lines would only interrupt the others now. Under its vIOAPIC lock: vCPU 0's
	 * CPU releases held lines under it, after seeing the guest still running. */
	spinlock_lock(&g->ioapic_lock);
	for (unsigned pin = 0; g->boot && m->plat && m->plat->mask_device_irq && pin < 32; pin++)
		if (g->has_ioapic && (g->boot->irq_mask & (1u << pin)))
			m->plat->mask_device_irq(m->plat->ctx, pin, true);
	spinlock_unlock(&g->ioapic_lock);
	monitor_log(m, "monitor: guest %c stopped: %s", g->letter, why);
}

/*
 * A guest that resets again and again right after starting would keep the CPU busy
 * restarting it: MONITOR_RESTART_BURST restarts within MONITOR_RESTART_WINDOW_MS stop it.
 */
static bool monitor_restart_loop(struct monitor *m, struct guest *g)
{
	uint64_t now = m->plat->now(m->plat->ctx);
	uint64_t window = monitor_us_to_cycles(MONITOR_RESTART_WINDOW_MS * 1000, m->tsc_khz);

	if (!g->burst_restarts || now - g->burst_start > window) {
		g->burst_start = now;
		g->burst_restarts = 0;
	}
	if (++g->burst_restarts <= MONITOR_RESTART_BURST)
		return false;
	monitor_log(m, "monitor: guest %c: %u resets within %u ms: not restarting it again",
		    g->letter, MONITOR_RESTART_BURST + 1, MONITOR_RESTART_WINDOW_MS);
	return true;
}

enum exit_action monitor_guest_reset(struct monitor *m, struct guest *g, bool can_ignore,
				     const char *why)
{
	uint8_t policy = g->boot ? g->boot->on_reset : MONITOR_RESET_STOP;
	const struct pcpu *here;

	if (policy == MONITOR_RESET_IGNORE && can_ignore) {
		monitor_guest_event(m, g, "monitor: guest %c: %s ignored (on-reset = ignore)",
				    g->letter, why);
		return EXIT_RESUME;
	}
	/*
	 * Any of its vCPUs may reset it, several at once: the decision, the reset-loop counters
	 * and the start of a restart are g->state_lock's. A reset while a restart is pending (or
	 * a stop under way) is the same one: not counted again. (restart_pending is cleared by
	 * vCPU 0's CPU once every other vCPU is held: none of them can reset it then.)
	 */
	spinlock_lock(&g->state_lock);
	if (g->stopping || g->restart_pending) {
		bool stopping = g->stopping;

		spinlock_unlock(&g->state_lock);
		return stopping ? EXIT_STOP : EXIT_YIELD;
	}
	if (policy == MONITOR_RESET_RESTART && m->restart && g->boot && g->boot->nr_segs &&
	    !monitor_restart_loop(m, g)) {
		/* Every vCPU held first (monitor_restart_hold), then vCPU 0's CPU restarts it. */
		g->restart_pending = true;
		__atomic_store_n(&g->restarting, true, __ATOMIC_RELEASE);
		spinlock_unlock(&g->state_lock);
		hypercall_console_flush(m, g);
		monitor_log(m, "monitor: guest %c: %s: restarting it", g->letter, why);
		/* A reset is rare: this CPU is looked up once for the kicks. */
		here = monitor_this_cpu(m);
		for (unsigned i = 0; i < g->nr_vcpus; i++)
			monitor_kick(m, here, g->vcpu[i].cpu);
		/* Off the CPU now; the loop restarts it before its next entry. */
		return EXIT_YIELD;
	}
	spinlock_unlock(&g->state_lock);
	monitor_guest_stop(m, g, "%s", why);
	return EXIT_STOP;
}

/*
 * A restart of an SMP guest (docs/monitor.md, "Stop and restart"): the CPU of each vCPU k > 0
 * holds it (off its scheduler, its CPU state no longer loaded), says so in restart_acks and
 * kicks vCPU 0's CPU, which restarts the guest once every other vCPU is held. Returns
 * whether v's CPU may go on to restart it (vCPU 0, all held).
 */
bool monitor_restart_hold(struct monitor *m, struct pcpu *pc, struct guest *g,
				 struct vcpu *v)
{
	uint32_t others = ((1u << g->nr_vcpus) - 1) & ~1u;

	if (v->index == 0 && g->restart_pending &&
	    (__atomic_load_n(&g->restart_acks, __ATOMIC_ACQUIRE) & others) == others)
		return true;
	/* Off this CPU until the restart is done (the restart wakes vCPU 0). */
	sched_halt(&pc->sched, g->id);
	if (v->index) {
		if (!(__atomic_load_n(&g->restart_acks, __ATOMIC_ACQUIRE) & (1u << v->index))) {
			if (pc->loaded == v)
				pc->loaded = NULL;
			__atomic_fetch_or(&g->restart_acks, 1u << v->index, __ATOMIC_RELEASE);
			monitor_kick(m, pc, g->vcpu[0].cpu);
		}
	}
	return false;
}
