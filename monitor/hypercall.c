// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/hypercall.h"

#include <errno.h>
#include <string.h>

#include "monitor/abi.h"
#include "monitor/log_budget.h"
#include "monitor/stats.h"
#include "monitor/stats_line.h"

/*
 * What one exit may write to the log for the guest: every line is written synchronously, so
 * this bounds the time a single CONSOLE_WRITE or VERDICT keeps the monitor busy (see
 * docs/monitor.md, "Isolation guarantees").
 */
#define HYPERCALL_LOG_EXIT_MAX	1024
/* The longest summary line ("monitor: guest a: console over budget: ..."). */
#define HYPERCALL_LOG_SUMMARY	96

/* The log bytes this exit has written for the guest so far. */
struct hypercall_out {
	uint64_t bytes;
};

static void hypercall_report_dropped(struct monitor *m, struct guest *g, struct hypercall_out *o)
{
	uint64_t lines = g->con_budget.dropped_lines;
	uint64_t bytes = log_budget_take_dropped(&g->con_budget);

	if (!lines && !bytes)
		return;
	monitor_log(m, "monitor: guest %c: console over budget: %llu lines, %llu bytes dropped",
		    g->letter, (unsigned long long)lines, (unsigned long long)bytes);
	o->bytes += HYPERCALL_LOG_SUMMARY;
}

/*
 * May a line of len bytes of the guest's text go to the log now? Within this exit's limit and
 * the guest's budget; what is refused is counted, and reported before the next line that fits.
 */
static bool hypercall_may_log(struct monitor *m, struct guest *g, uint64_t len,
			      struct hypercall_out *o)
{
	uint64_t cost = len + LOG_BUDGET_LINE_COST;
	uint64_t summary = g->con_budget.dropped_lines ? HYPERCALL_LOG_SUMMARY : 0;

	if (o->bytes + cost + summary > HYPERCALL_LOG_EXIT_MAX) {
		log_budget_drop(&g->con_budget, len);
		return false;
	}
	if (!log_budget_take(&g->con_budget, len, m->plat->now(m->plat->ctx), m->tsc_khz))
		return false;
	hypercall_report_dropped(m, g, o);
	o->bytes += cost;
	return true;
}

/* The buffered console line (possibly empty) goes out, or is dropped. */
static void hypercall_console_line(struct monitor *m, struct guest *g, struct hypercall_out *o)
{
	g->con[g->con_len] = '\0';
	if (hypercall_may_log(m, g, g->con_len, o))
		monitor_guest_log(m, g, "%s", g->con);
	g->con_len = 0;
}

static void hypercall_flush(struct monitor *m, struct guest *g, struct hypercall_out *o)
{
	if (g->con_len)
		hypercall_console_line(m, g, o);
}

void hypercall_console_flush(struct monitor *m, struct guest *g)
{
	struct hypercall_out o = { 0 };

	spinlock_lock(&g->con_lock);
	hypercall_flush(m, g, &o);
	/* The guest stops or starts again: say now what it lost. */
	hypercall_report_dropped(m, g, &o);
	spinlock_unlock(&g->con_lock);
}

static char hypercall_printable(uint8_t c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' ? (char)c : '?';
}

static int64_t hypercall_console(struct monitor *m, struct guest *g, uint64_t gpa, uint64_t len,
				 struct hypercall_out *o)
{
	const uint8_t *buf;

	if (len > TM_CONSOLE_MAX)
		return -E2BIG;
	if (len == 0)
		return 0;	/* nothing to read, wherever it points */
	buf = monitor_guest_ptr(m, g, gpa, len);
	if (!buf)
		return -EFAULT;
	/* Its vCPUs may write at once: the line buffer and the budget are con_lock's. */
	spinlock_lock(&g->con_lock);
	for (uint64_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			/* An empty line is still a line. */
			hypercall_console_line(m, g, o);
			continue;
		}
		if (buf[i] == '\r')
			continue;
		g->con[g->con_len++] = hypercall_printable(buf[i]);
		if (g->con_len >= GUEST_CON_LINE)
			hypercall_console_line(m, g, o);
	}
	spinlock_unlock(&g->con_lock);
	return (int64_t)len;
}

static int64_t hypercall_verdict(struct monitor *m, struct guest *g, int64_t code, uint64_t gpa,
				 uint64_t len, struct hypercall_out *o)
{
	char msg[TM_VERDICT_MAX + 1];
	const uint8_t *buf;

	if (len > TM_VERDICT_MAX)
		return -E2BIG;
	buf = len ? monitor_guest_ptr(m, g, gpa, len) : (const uint8_t *)"";
	if (!buf)
		return -EFAULT;
	for (uint64_t i = 0; i < len; i++)
		msg[i] = buf[i] == '\n' ? ' ' : hypercall_printable(buf[i]);
	msg[len] = '\0';
	spinlock_lock(&g->con_lock);
	hypercall_flush(m, g, o);
	/* The verdict counts even when its line is over the budget. */
	g->has_verdict = true;
	g->verdict = code;
	if (hypercall_may_log(m, g, len + 24, o)) {
		if (code == 0)
			monitor_guest_log(m, g, "verdict pass: %s", msg);
		else
			monitor_guest_log(m, g, "verdict fail(%lld): %s", (long long)code, msg);
	}
	spinlock_unlock(&g->con_lock);
	return 0;
}

static int64_t hypercall_stats(struct monitor *m, struct guest *g, uint64_t gpa, uint64_t size)
{
	struct tm_guest_stats s;
	uint64_t n = size < sizeof(s) ? size : sizeof(s);
	void *buf;

	if (size < sizeof(s.version))
		return -EINVAL;
	buf = monitor_guest_ptr(m, g, gpa, n);
	if (!buf)
		return -EFAULT;
	stats_snapshot(g, &s);
	memcpy(buf, &s, n);
	return (int64_t)n;
}

/*
 * The caller's TWINMON-STATS records to the log. Several lines per record, more than one
 * exit's console limit: the budget pays for them whole, at a flat cost per record that is
 * above what a record writes, so a guest that asks again and again is held to the budget's
 * rate like its console.
 */
static int64_t hypercall_stats_log(struct monitor *m, struct guest *g)
{
	struct hypercall_out o = { 0 };
	uint64_t cost = (1 + (uint64_t)g->nr_vcpus) * TM_STATS_LOG_COST;
	uint64_t now = m->plat->now(m->plat->ctx);
	bool ok;

	spinlock_lock(&g->con_lock);
	hypercall_flush(m, g, &o);
	/* The flat cost stands for the whole call, the budget's cost of a line included. */
	ok = log_budget_take(&g->con_budget, cost - LOG_BUDGET_LINE_COST, now, m->tsc_khz);
	spinlock_unlock(&g->con_lock);
	if (!ok)
		return -EAGAIN;
	stats_lines_guest(m, g, "request", now);
	return 0;
}

enum exit_action hypercall_handle(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct vcpu_regs *r = &v->regs;
	enum exit_action action = EXIT_RESUME;
	struct hypercall_out out = { 0 };
	int64_t ret;

	switch (r->rax) {
	case TM_HC_NOP:
		ret = 0;
		break;
	case TM_HC_CONSOLE_WRITE:
		ret = hypercall_console(m, g, r->rdi, r->rsi, &out);
		break;
	case TM_HC_TSC_KHZ:
		ret = (int64_t)m->tsc_khz;
		break;
	case TM_HC_YIELD:
		ret = 0;
		action = EXIT_YIELD;
		break;
	case TM_HC_VERDICT:
		ret = hypercall_verdict(m, g, (int64_t)r->rdi, r->rsi, r->rdx, &out);
		break;
	case TM_HC_STATS:
		ret = hypercall_stats(m, g, r->rdi, r->rsi);
		break;
	case TM_HC_STATS_LOG:
		ret = hypercall_stats_log(m, g);
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	r->rax = (uint64_t)ret;
	return action;
}
