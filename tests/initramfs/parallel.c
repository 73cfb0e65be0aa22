// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon.parallel=N: the same busy loop of N million iterations on every online CPU at once,
 * one process pinned to each, to show that a guest's vCPUs really run in parallel:
 *   TWINMON-INIT: parallel cpu K: N M in T s     (one line per CPU, as each ends)
 *   TWINMON-INIT: parallel N M on C CPUs in T s  (wall time for all of them)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

static void parallel_spin(unsigned cpu, unsigned long millions)
{
	volatile unsigned long x = 0;
	unsigned long n = millions * 1000000UL;
	cpu_set_t set;
	double t0;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		INIT_SAY("parallel cpu %u: cannot pin\n", cpu);
	t0 = init_now();
	for (unsigned long i = 0; i < n; i++)
		x += i;
	INIT_SAY("parallel cpu %u: %lu M in %.3f s\n", cpu, millions, init_now() - t0);
	fflush(stdout);
}

void init_parallel(unsigned long millions)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double t0 = init_now();
	unsigned started = 0;

	if (cpus < 1)
		cpus = 1;
	fflush(stdout);
	for (long c = 0; c < cpus; c++) {
		pid_t pid = fork();

		if (pid == 0) {
			parallel_spin((unsigned)c, millions);
			_exit(0);
		}
		started += pid > 0;
	}
	while (started && wait(NULL) > 0)
		started--;
	INIT_SAY("parallel %lu M on %ld CPUs in %.3f s\n", millions, cpus, init_now() - t0);
}
