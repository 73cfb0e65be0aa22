// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/hypercall.h"

#include <errno.h>
#include <string.h>

#include "monitor/abi.h"
#include "monitor/stats.h"

void hypercall_console_flush(struct monitor *m, struct guest *g)
{
	if (!g->con_len)
		return;
	g->con[g->con_len] = '\0';
	monitor_guest_log(m, g, "%s", g->con);
	g->con_len = 0;
}

static char hypercall_printable(uint8_t c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' ? (char)c : '?';
}

static int64_t hypercall_console(struct monitor *m, struct guest *g, uint64_t gpa, uint64_t len)
{
	const uint8_t *buf;

	if (len > TM_CONSOLE_MAX)
		return -E2BIG;
	if (len == 0)
		return 0;	/* nothing to read, wherever it points */
	buf = monitor_guest_ptr(m, g, gpa, len);
	if (!buf)
		return -EFAULT;
	for (uint64_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			/* An empty line is still a line. */
			g->con[g->con_len] = '\0';
			monitor_guest_log(m, g, "%s", g->con);
			g->con_len = 0;
			continue;
		}
		if (buf[i] == '\r')
			continue;
		g->con[g->con_len++] = hypercall_printable(buf[i]);
		if (g->con_len == GUEST_CON_LINE)
			hypercall_console_flush(m, g);
	}
	return (int64_t)len;
}

static int64_t hypercall_verdict(struct monitor *m, struct guest *g, int64_t code, uint64_t gpa,
				 uint64_t len)
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
	hypercall_console_flush(m, g);
	g->has_verdict = true;
	g->verdict = code;
	if (code == 0)
		monitor_guest_log(m, g, "verdict pass: %s", msg);
	else
		monitor_guest_log(m, g, "verdict fail(%lld): %s", (long long)code, msg);
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

enum exit_action hypercall_handle(struct monitor *m, struct guest *g)
{
	struct vcpu_regs *r = &g->regs;
	enum exit_action action = EXIT_RESUME;
	int64_t ret;

	switch (r->rax) {
	case TM_HC_NOP:
		ret = 0;
		break;
	case TM_HC_CONSOLE_WRITE:
		ret = hypercall_console(m, g, r->rdi, r->rsi);
		break;
	case TM_HC_TSC_KHZ:
		ret = (int64_t)m->tsc_khz;
		break;
	case TM_HC_YIELD:
		ret = 0;
		action = EXIT_YIELD;
		break;
	case TM_HC_VERDICT:
		ret = hypercall_verdict(m, g, (int64_t)r->rdi, r->rsi, r->rdx);
		break;
	case TM_HC_STATS:
		ret = hypercall_stats(m, g, r->rdi, r->rsi);
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	r->rax = (uint64_t)ret;
	return action;
}
