// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling loop: ask the scheduler, exchange the per-vCPU CPU state on a change of
 * vCPU, arm the timer for the slot's end, run the guest until it exits, handle the exit,
 * account the time. Privileged work goes through m->vops and m->plat. Stopping and restarting
 * a guest is monitor/stop_restart.c's.
 */
#include <errno.h>
#include <string.h>

#include "irq/timer.h"
#include "lib/fmt.h"
#include "monitor/core.h"
#include "monitor/stats.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"

int monitor_guest_init(struct monitor *m, unsigned id, const struct monitor_guest_boot *b)
{
	struct guest *g;

	if (id >= MONITOR_MAX_GUESTS || !b->present)
		return -EINVAL;
	if (b->nr_ram == 0 || b->nr_ram > PARTITION_MAX_RAM || !b->ram || b->slice_us == 0)
		return -EINVAL;
	g = &m->guest[id];
	memset(g, 0, sizeof(*g));
	g->present = true;
	g->id = id;
	g->letter = b->letter ? b->letter : (char)('a' + id);
	fmt_snprintf(g->name, sizeof(g->name), "%s", b->name ? b->name : "");
	g->nr_ram = b->nr_ram;
	memcpy(g->ram, b->ram, b->nr_ram * sizeof(g->ram[0]));
	g->slice_us = b->slice_us;
	g->stats.version = TM_STATS_VERSION;
	g->stats.slice_us = b->slice_us;
	g->nr_vcpus = b->nr_vcpus ? b->nr_vcpus : 1;
	if (g->nr_vcpus > MONITOR_MAX_VCPUS)
		return -EINVAL;
	/* A CPU runs one vCPU of a guest at most. */
	for (unsigned k = 0; k < g->nr_vcpus; k++)
		for (unsigned j = 0; j <= k; j++)
			if (b->cpu[k] >= MONITOR_MAX_CPUS || (j < k && b->cpu[j] == b->cpu[k]))
				return -EINVAL;
	/* vCPU k on its CPU, APIC ID k. */
	for (unsigned k = 0; k < g->nr_vcpus; k++) {
		struct vcpu *v = &g->vcpu[k];

		v->g = g;
		v->index = k;
		v->cpu = &m->cpu[b->cpu[k]];
		v->cpu->index = b->cpu[k];
		v->cpu->guests |= 1u << id;
		v->cpu->vcpu[id] = v;
		if (k == 0)
			v->cpu->boot_guests |= 1u << id;
	}
	log_budget_init(&g->con_budget);
	log_budget_init(&g->event_budget);
	log_budget_init(&g->iommu_budget);
	return 0;
}

uint64_t monitor_us_to_cycles(uint64_t us, uint64_t tsc_khz)
{
	uint64_t c = timer_us_to_cycles(us, tsc_khz);

	return c ? c : 1;
}

static void monitor_apply(struct monitor *m, struct vcpu *v, enum exit_action action)
{
	struct guest *g = v->g;

	switch (action) {
	case EXIT_RESUME:
		break;
	case EXIT_HALT:
		sched_halt(&v->cpu->sched, g->id);
		break;
	case EXIT_YIELD:
		sched_yield_slot(&v->cpu->sched, g->id);
		break;
	case EXIT_STOP:
		/* The handler logged why; make sure the scheduler knows. */
		if (!g->stopped)
			monitor_guest_stop(m, g, "stopped by its exit handler");
		break;
	}
}

/*
 * Between two entries: restart the guests that asked for it, take what the vCPUs' siblings
 * posted, and wake the halted ones whose interrupt (or NMI, or startup IPI) came (their timer's deadline passed, or something raised a vector). Returns the
 * time after that work: a restart copies the guest's image back, which takes a while, and is
 * charged to the guest that asked for it.
 */
static uint64_t monitor_events(struct monitor *m, struct pcpu *pc, uint64_t now)
{
	const struct monitor_platform *p = m->plat;

	virq_devices(m, pc);
	monitor_iommu_poll(m, now);
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *g = &m->guest[i];
		bool woken;

		if (!g->present || !pcpu_runs(pc, i) || !pc->vcpu[i])
			continue;
		if (__atomic_load_n(&g->stopped, __ATOMIC_ACQUIRE)) {
			/* Stopped by another CPU: this one stops its own vCPU's slot. */
			if (sched_alive(&pc->sched, i))
				sched_stop(&pc->sched, i);
			continue;
		}
		if (__atomic_load_n(&g->restarting, __ATOMIC_ACQUIRE)) {
			if (!monitor_restart_hold(m, pc, g, pc->vcpu[i]))
				continue;
			spinlock_lock(&g->state_lock);
			g->restart_pending = false;
			spinlock_unlock(&g->state_lock);
			if (!m->restart || m->restart(m, g) < 0)
				monitor_guest_stop(m, g, "reset requested and it cannot restart");
			__atomic_store_n(&g->restart_acks, 0, __ATOMIC_RELAXED);
			/* Its other CPUs may enter their vCPUs again (APs: wait for a SIPI). */
			__atomic_store_n(&g->restarting, false, __ATOMIC_RELEASE);
			now = p->now(p->ctx);
			sched_charge(&pc->sched, now, (int)i);
			continue;
		}
		/* What its siblings sent it (monitor/vipi.h): only this CPU writes its vLAPIC. */
		woken = vipi_receive(m, pc->vcpu[i]);
		if (g->stopped)
			continue;
		/* Nothing but a startup IPI wakes a vCPU that waits for one. */
		if (pc->sched.e[i].halted && !pc->vcpu[i]->wait_sipi &&
		    (woken || virq_pending(pc->vcpu[i], now)))
			sched_wake(&pc->sched, i);
	}
	return now;
}

/* The earliest timer event of the halted guests, or of all (the others only if they could
 * take an interrupt then, and preempt the running guest), or limit. */
static uint64_t monitor_next_event(struct monitor *m, struct pcpu *pc, uint64_t limit,
				   int running, bool halted_only, uint64_t now)
{
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		const struct guest *g = &m->guest[i];
		struct vcpu *v = pc->vcpu[i];
		uint64_t t;

		if (!g->present || g->stopped || g->restarting || !pcpu_runs(pc, i) || !v ||
		    v->wait_sipi || (halted_only && !pc->sched.e[i].halted))
			continue;
		t = virq_next_event(v);
		if ((int)i != running && !halted_only) {
			uint64_t allowed = sched_preempt_at(&pc->sched, i, now);

			/* Another guest's timer counts only if it could take the interrupt. */
			if (m->vops->interruptible && !m->vops->interruptible(m, v))
				continue;
			/* One already waiting (a timer that fired, a device line) is due now. */
			if (vlapic_pending(&v->lapic) >= 0)
				t = now;
			/* Past its share it waits until it is within it again. */
			if (allowed > t)
				t = allowed;
		}
		if (t < limit)
			limit = t;
	}
	return limit;
}

/*
 * The switch-on-interrupt policy (TwinOS): an interrupt for a guest that is switched out
 * ends the running guest's slot at once instead of waiting for the owner's next slot.
 */
static void monitor_irq_switch(struct monitor *m, struct pcpu *pc, struct vcpu *v,
			       uint64_t now)
{
	struct guest *g = v->g;

	/* A device line that just ended the guest's run counts as much as a timer. */
	virq_devices(m, pc);
	sched_charge(&pc->sched, now, (int)g->id);
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		struct guest *o = &m->guest[i];
		struct vcpu *ov = pc->vcpu[i];

		/* Only an interrupt it can take now: one it masks would cut every slot short.
		 * And only within its share: interrupts must not buy a guest more CPU. */
		if (o == g || !o->present || o->stopped || o->restarting || !pcpu_runs(pc, i) ||
		    !ov || ov->wait_sipi ||
		    !virq_pending(ov, now) ||
		    (m->vops->interruptible && !m->vops->interruptible(m, ov)) ||
		    !sched_may_preempt(&pc->sched, i))
			continue;
		sched_wake(&pc->sched, i);
		sched_preempt(&pc->sched, g->id, now);
		return;
	}
}

unsigned monitor_gang_init(struct monitor *m, uint64_t epoch)
{
	unsigned n = 0;
	uint64_t set = 0;

	for (unsigned c = 0; c < MONITOR_MAX_CPUS; c++) {
		struct pcpu *pc = &m->cpu[c];
		unsigned guests = 0;
		bool smp = false;

		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
			if (!pcpu_runs(pc, i) || !m->guest[i].present)
				continue;
			guests++;
			smp |= m->guest[i].nr_vcpus > 1;
		}
		/* Alone on a CPU nothing switches; single-vCPU guests need no partner. */
		if (guests > 1 && smp) {
			sched_gang(&pc->sched, epoch);
			set |= 1ULL << c;
			n++;
		}
	}
	gang_meter_init(&m->gang, set, m->tsc_khz);
	return n;
}

struct pcpu *monitor_this_cpu(struct monitor *m)
{
	const struct monitor_platform *p = m->plat;
	unsigned i = p && p->cpu_index ? p->cpu_index(p->ctx) : 0;

	return &m->cpu[i < MONITOR_MAX_CPUS ? i : 0];
}

int monitor_loop(struct monitor *m, struct pcpu *pc)
{
	const struct monitor_platform *p = m->plat;
	int ran = SCHED_NONE;	/* whose run and exit the time since the last charge was */
	/* The exit_tsc of the run whose exit was just handled; 0 once anything else came
	 * between (an idle, a vCPU left off): only an entry straight after an exit is metered. */
	uint64_t exit_at = 0;

	for (;;) {
		uint64_t now = p->now(p->ctx);
		uint64_t t[SW_PHASES + 1];	/* an entry's phase boundaries (monitor/sw_meter.h) */
		bool metered, switched;
		struct sched_decision d;
		struct guest *g;
		struct vcpu *v;
		uint64_t alarm;

		t[SW_PHASE_EXIT] = exit_at;
		t[SW_PHASE_SCHED] = now;
		sched_charge(&pc->sched, now, ran);
		ran = SCHED_NONE;
		now = monitor_events(m, pc, now);
		d = sched_next(&pc->sched, now);
		if (d.kind == SCHED_DONE)
			break;
		/* Gang: this CPU entered the clock's next slot now (monitor/gang_meter.h). */
		if (d.kind == SCHED_RUN && d.crossed)
			gang_meter_mark(&m->gang, pc->index, d.slot, now);
		if (d.kind == SCHED_IDLE) {
			uint64_t slept;

			/* Until the slot ends or a halted guest's timer is due, whichever first. */
			p->idle(p->ctx, monitor_next_event(m, pc, d.until, -1, true, now));
			slept = p->now(p->ctx) - now;
			pc->idles++;
			pc->idle_cycles += slept;
			pc->acct_from += slept;	/* idling is nobody's monitor time */
			exit_at = 0;
			continue;
		}
		g = &m->guest[d.guest];
		v = pc->vcpu[d.guest];
		/* A slot wakes its owner; one that waits for a startup IPI, or whose guest is
		 * being restarted, stays off the CPU. */
		if (v->wait_sipi || __atomic_load_n(&g->restarting, __ATOMIC_ACQUIRE)) {
			sched_halt(&pc->sched, d.guest);
			exit_at = 0;
			continue;
		}
		g->stats.switches_in = pc->sched.e[d.guest].switches_in;
		switched = pc->loaded != v;
		if (switched && pc->loaded) {
			pc->switches++;
			/* Gang: every switch keeps to the clock's slots (monitor/gang_meter.h). */
			if (pc->sched.gang)
				gang_meter_switch(&m->gang,
						  sched_gang_in_slot(&pc->sched, d.guest, now));
		}
		/* An entry straight after an exit is metered: a switch, or a resume with empty
		 * save and load phases (monitor/sw_meter.h). */
		metered = p->stamp && exit_at && pc->loaded;
		if (metered)
			t[SW_PHASE_SAVE] = t[SW_PHASE_LOAD] = t[SW_PHASE_VIRQ] = p->stamp(p->ctx);
		if (switched) {
			pc->sw.saved_at = 0;
			p->switch_state(p->ctx, pc->loaded, v);
			pc->loaded = v;
			if (metered) {
				t[SW_PHASE_VIRQ] = p->stamp(p->ctx);
				if (pc->sw.saved_at)
					t[SW_PHASE_LOAD] = pc->sw.saved_at;
			}
		}
		/* The slot's end, the guest's own next timer event and, switching on
		 * interrupts, the other guests' too. */
		/* Its vLAPIC catches up first, so a timer that just fired is not armed again. */
		virq_prepare(m, v, now);
		if (metered)
			t[SW_PHASE_TIMER] = p->stamp(p->ctx);
		alarm = d.until;
		if (m->switch_on_irq)
			alarm = monitor_next_event(m, pc, alarm, (int)d.guest, false, now);
		else if (virq_next_event(v) < alarm)
			alarm = virq_next_event(v);
		p->arm_timer(p->ctx, alarm);
		if (metered)
			t[SW_PHASE_ENTRY] = p->stamp(p->ctx);
		m->vops->run(m, v);
		pc->runs++;
		if (metered) {
			t[SW_PHASES] = v->entry_tsc;
			if (switched)
				sw_meter_switch(&pc->sw, t);
			else
				sw_meter_resume(&pc->sw, t);
		}
		exit_at = v->exit_tsc;
		ran = (int)d.guest;
		if (pc->acct)
			stats_account_monitor(pc->acct, pc->acct_from, v->entry_tsc);
		stats_account_guest(v, v->entry_tsc, v->exit_tsc);
		pc->acct = v;
		pc->acct_from = v->exit_tsc;
		pc->current = v;
		monitor_apply(m, v, m->vops->handle_exit(m, v));
		/* An IPI it sent to its siblings (or to itself, with a shorthand). */
		if (!g->stopped)
			vipi_send(m, v);
		pc->current = NULL;
		if (m->switch_on_irq && !g->stopped)
			monitor_irq_switch(m, pc, v, v->exit_tsc);
	}
	if (pc->acct)
		stats_account_monitor(pc->acct, pc->acct_from, p->now(p->ctx));
	pc->acct = NULL;
	return 0;
}
