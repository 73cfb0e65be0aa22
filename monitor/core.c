// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling loop: ask the scheduler, exchange the per-guest CPU state on a change of
 * guest, arm the timer for the slot's end, run the guest until it exits, handle the exit,
 * account the time. Privileged work goes through m->vops and m->plat.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "irq/timer.h"
#include "lib/fmt.h"
#include "monitor/core.h"
#include "monitor/hypercall.h"
#include "monitor/stats.h"

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
	return 0;
}

void monitor_guest_stop(struct monitor *m, struct guest *g, const char *fmt, ...)
{
	char why[192];
	va_list ap;

	if (g->stopped)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hypercall_console_flush(m, g);
	g->stopped = true;
	sched_stop(&m->sched, g->id);
	monitor_log(m, "monitor: guest %c stopped: %s", g->letter, why);
}

uint64_t monitor_us_to_cycles(uint64_t us, uint64_t tsc_khz)
{
	uint64_t c = timer_us_to_cycles(us, tsc_khz);

	return c ? c : 1;
}

static void monitor_apply(struct monitor *m, struct guest *g, enum exit_action action)
{
	switch (action) {
	case EXIT_RESUME:
		break;
	case EXIT_HALT:
		sched_halt(&m->sched, g->id);
		break;
	case EXIT_YIELD:
		sched_yield_slot(&m->sched, g->id);
		break;
	case EXIT_STOP:
		/* The handler logged why; make sure the scheduler knows. */
		if (!g->stopped)
			monitor_guest_stop(m, g, "stopped by its exit handler");
		break;
	}
}

int monitor_loop(struct monitor *m)
{
	const struct monitor_platform *p = m->plat;

	for (;;) {
		uint64_t now = p->now(p->ctx);
		struct sched_decision d = sched_next(&m->sched, now);
		struct guest *g;

		if (d.kind == SCHED_DONE)
			break;
		if (d.kind == SCHED_IDLE) {
			uint64_t slept;

			p->idle(p->ctx, d.until);
			slept = p->now(p->ctx) - now;
			m->idles++;
			m->idle_cycles += slept;
			m->acct_from += slept;	/* idling is nobody's monitor time */
			continue;
		}
		g = &m->guest[d.guest];
		g->stats.switches_in = m->sched.e[d.guest].switches_in;
		if (m->loaded != g) {
			p->switch_state(p->ctx, m->loaded, g);
			m->loaded = g;
		}
		p->arm_timer(p->ctx, d.until);
		m->vops->run(m, g);
		if (m->acct)
			stats_account_monitor(m->acct, m->acct_from, g->entry_tsc);
		stats_account_guest(g, g->entry_tsc, g->exit_tsc);
		m->acct = g;
		m->acct_from = g->exit_tsc;
		m->current = g;
		monitor_apply(m, g, m->vops->handle_exit(m, g));
		m->current = NULL;
	}
	if (m->acct)
		stats_account_monitor(m->acct, m->acct_from, p->now(p->ctx));
	m->acct = NULL;
	return 0;
}
