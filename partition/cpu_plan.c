// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPU plan (partition/cpu_plan.h). The configuration's validator has already refused
 * lists that overlap in part; the plan checks again because the EFI app may run a request
 * that did not come from a validated file, and it is the only place that knows the machine.
 */
#include "partition/cpu_plan.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/partition.h"

#define CPU_PLAN_LINE_MAX 160

static int cpu_plan_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cpu_plan_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || !errlen)
		return -EINVAL;
	n = fmt_snprintf(err, errlen, "partition: ");
	if (n < 0 || (size_t)n >= errlen)
		return -EINVAL;
	va_start(ap, fmt);
	fmt_vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static unsigned cpu_plan_count(uint64_t mask)
{
	unsigned n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

int partition_cpu_plan_list(char *buf, size_t size, uint64_t mask)
{
	size_t len = 0;
	const char *sep = "";

	if (size)
		buf[0] = '\0';
	for (unsigned i = 0; i < PARTITION_MAX_CPUS; i++) {
		unsigned last = i;
		int n;

		if (!(mask & (1ULL << i)))
			continue;
		while (last + 1 < PARTITION_MAX_CPUS && (mask & (1ULL << (last + 1))))
			last++;
		if (last == i)
			n = fmt_snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
					 "%s%u", sep, i);
		else
			n = fmt_snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0,
					 "%s%u-%u", sep, i, last);
		len += n > 0 ? (size_t)n : 0;
		sep = ", ";
		i = last;
	}
	if (!*sep)
		len = (size_t)fmt_snprintf(buf, size, "none");
	return (int)len;
}

/* "line 12", or "the default" for a list the file did not write. */
static const char *cpu_plan_where(char *buf, size_t size, uint32_t line)
{
	if (line)
		fmt_snprintf(buf, size, "line %u", line);
	else
		fmt_snprintf(buf, size, "the default");
	return buf;
}

static int cpu_plan_check(const struct partition_cpu_request *rq, char *err, size_t errlen)
{
	uint64_t a = rq->cpus[0], b = rq->cpus[1];
	char x[96], y[96], w1[24], w2[24];

	if (!a && !b)
		return cpu_plan_fail(err, errlen, "no guest runs on any CPU");
	for (unsigned g = 0; g < PARTITION_CPU_GUESTS; g++) {
		uint64_t m = rq->cpus[g];
		unsigned n = rq->nr_machine_cpus;

		partition_cpu_plan_list(x, sizeof(x), m);
		if (cpu_plan_count(m) > PARTITION_MAX_VCPUS)
			return cpu_plan_fail(err, errlen,
					     "guest %c: cpus = %s (%s) names %u CPUs, but a guest "
					     "has at most %u vCPUs",
					     'a' + g, x, cpu_plan_where(w1, sizeof(w1), rq->line[g]),
					     cpu_plan_count(m), PARTITION_MAX_VCPUS);
		if (n && n < PARTITION_MAX_CPUS && (m >> n)) {
			unsigned top = PARTITION_MAX_CPUS - 1;

			while (!(m & (1ULL << top)))
				top--;
			partition_cpu_plan_list(y, sizeof(y), (1ULL << n) - 1);
			return cpu_plan_fail(err, errlen,
					     "guest %c: cpus = %s (%s) names CPU %u, but this machine "
					     "has %u (%s)",
					     'a' + g, x, cpu_plan_where(w1, sizeof(w1), rq->line[g]),
					     top, n, y);
		}
	}
	if (a && b && a != b && (a & b)) {
		partition_cpu_plan_list(x, sizeof(x), a);
		partition_cpu_plan_list(y, sizeof(y), b);
		return cpu_plan_fail(err, errlen,
				     "guest a's cpus %s (%s) and guest b's %s (%s) overlap only in "
				     "part: list the same CPUs (time-sharing) or disjoint ones",
				     x, cpu_plan_where(w1, sizeof(w1), rq->line[0]), y,
				     cpu_plan_where(w2, sizeof(w2), rq->line[1]));
	}
	return 0;
}

int partition_cpu_plan_build(struct partition_cpu_plan *cp, const struct partition_cpu_request *rq,
			     char *err, size_t errlen)
{
	int rc;

	if (!cp || !rq)
		return -EINVAL;
	memset(cp, 0, sizeof(*cp));
	memset(cp->cpu_vcpu, PARTITION_NO_VCPU, sizeof(cp->cpu_vcpu));
	cp->nr_machine_cpus = rq->nr_machine_cpus;
	rc = cpu_plan_check(rq, err, errlen);
	if (rc)
		return rc;
	for (unsigned g = 0; g < PARTITION_CPU_GUESTS; g++) {
		cp->cpus[g] = rq->cpus[g];
		for (unsigned cpu = 0; cpu < PARTITION_MAX_CPUS; cpu++) {
			if (!(rq->cpus[g] & (1ULL << cpu)))
				continue;
			cp->cpu_vcpu[g][cpu] = (uint8_t)cp->nr_vcpus[g];
			cp->vcpu_cpu[g][cp->nr_vcpus[g]++] = (uint8_t)cpu;
		}
	}
	cp->used = rq->cpus[0] | rq->cpus[1];
	cp->shared = rq->cpus[0] & rq->cpus[1];
	cp->nr_cpus_used = cpu_plan_count(cp->used);
	return 0;
}

_Static_assert(PARTITION_CPU_GUESTS == PARTITION_NR_GUESTS, "one CPU list per guest");

int partition_cpu_plan_from_request(struct partition_cpu_plan *cp,
				    const struct partition_request *req, char *err, size_t errlen)
{
	struct partition_cpu_request rq = { .nr_machine_cpus = req->nr_machine_cpus };

	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		const struct partition_guest_request *r = &req->guest[g];

		if (!r->present)
			continue;
		/* Requests from before cpus= existed (and the tests') mean CPU 0, as the config. */
		rq.cpus[g] = r->cpus ? r->cpus : 1;
		rq.line[g] = r->cpus_line;
	}
	return partition_cpu_plan_build(cp, &rq, err, errlen);
}

int partition_cpu_plan_vcpu(const struct partition_cpu_plan *cp, unsigned g, unsigned cpu)
{
	if (g >= PARTITION_CPU_GUESTS || cpu >= PARTITION_MAX_CPUS ||
	    cp->cpu_vcpu[g][cpu] == PARTITION_NO_VCPU)
		return -1;
	return cp->cpu_vcpu[g][cpu];
}

static void cpu_plan_line(void (*emit)(void *ctx, const char *line), void *ctx,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cpu_plan_line(void (*emit)(void *ctx, const char *line), void *ctx,
			  const char *fmt, ...)
{
	char line[CPU_PLAN_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(ctx, line);
}

void partition_cpu_plan_print(const struct partition_cpu_plan *cp,
			      void (*emit)(void *ctx, const char *line), void *ctx)
{
	char count[32], list[96], vcpu[PARTITION_CPU_GUESTS][16];
	const char *how;

	if (cp->nr_machine_cpus)
		fmt_snprintf(count, sizeof(count), "of %u", cp->nr_machine_cpus);
	else
		fmt_snprintf(count, sizeof(count), "of an unknown count");
	if (!cp->shared)
		how = cp->cpus[0] && cp->cpus[1] ? "core-partitioned" : "one guest";
	else
		how = "time-shared";
	partition_cpu_plan_list(list, sizeof(list), cp->used);
	cpu_plan_line(emit, ctx, "cpus: %u used (%s) %s, %s; vCPUs: guest a %u, guest b %u",
		      cp->nr_cpus_used, list, count, how, cp->nr_vcpus[0], cp->nr_vcpus[1]);
	cpu_plan_line(emit, ctx, "  cpu  guest a  guest b");
	for (unsigned cpu = 0; cpu < PARTITION_MAX_CPUS; cpu++) {
		if (!(cp->used & (1ULL << cpu)))
			continue;
		for (unsigned g = 0; g < PARTITION_CPU_GUESTS; g++) {
			int v = partition_cpu_plan_vcpu(cp, g, cpu);

			if (v < 0)
				fmt_snprintf(vcpu[g], sizeof(vcpu[g]), "-");
			else
				fmt_snprintf(vcpu[g], sizeof(vcpu[g]), "vCPU %d", v);
		}
		cpu_plan_line(emit, ctx, "  %-4u %-8s %-8s %s", cpu, vcpu[0], vcpu[1],
			      cp->shared & (1ULL << cpu) ? "time-shared" : "own");
	}
}
