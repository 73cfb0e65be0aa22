/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU plan: which physical CPU runs which guest's vCPUs. Physical CPUs are named by their
 * index in the firmware's MP-services order (0 is the boot CPU). Each running guest lists its
 * CPUs; vCPU k of a guest runs on the k-th lowest CPU of its list. When both guests run, their
 * lists are either the same (every CPU of the set time-shares one vCPU of each guest, switched
 * together) or disjoint (each guest keeps its cores, nothing is switched); a list that
 * overlaps the other's only in part is refused.
 *
 * The plan is flat (no pointers) so the EFI app can hand it to the monitor as it is.
 */
#ifndef TWINMON_PARTITION_CPU_PLAN_H
#define TWINMON_PARTITION_CPU_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PARTITION_MAX_CPUS	64	/* physical CPUs the plan can name (one 64-bit mask) */
#define PARTITION_MAX_VCPUS	8	/* vCPUs of one guest: one MADT and vLAPIC set each */
#define PARTITION_NO_VCPU	0xff	/* cpu_vcpu[][]: this guest has no vCPU on the CPU */
#define PARTITION_CPU_GUESTS	2

struct partition_cpu_plan {
	unsigned nr_machine_cpus;	/* the machine's CPUs; 0: unknown (nothing checked) */
	unsigned nr_cpus_used;		/* CPUs some guest runs on */
	uint64_t used;			/* bit n: physical CPU n runs a vCPU */
	uint64_t shared;		/* CPUs both guests time-share (0: core-partitioned) */
	uint64_t cpus[PARTITION_CPU_GUESTS];	/* each guest's CPUs; 0: it does not run */
	unsigned nr_vcpus[PARTITION_CPU_GUESTS];
	uint8_t vcpu_cpu[PARTITION_CPU_GUESTS][PARTITION_MAX_VCPUS];	/* vCPU -> CPU index */
	uint8_t cpu_vcpu[PARTITION_CPU_GUESTS][PARTITION_MAX_CPUS];	/* CPU -> vCPU, or NO */
};

/*
 * What the plan is made from: for each guest, its CPUs (0: the guest does not run) and the
 * configuration line that listed them (0: none, the default; only for messages).
 */
struct partition_cpu_request {
	uint64_t cpus[PARTITION_CPU_GUESTS];
	uint32_t line[PARTITION_CPU_GUESTS];
	unsigned nr_machine_cpus;	/* 0: unknown */
};

/*
 * Make the plan. Returns 0, or -EINVAL with a message starting "partition: " in err (when
 * err is given): no guest runs, a guest lists more than PARTITION_MAX_VCPUS CPUs, the lists
 * overlap in part, or (with a known count) a list names a CPU the machine lacks. A machine
 * with more than PARTITION_MAX_CPUS CPUs is fine: the plan names only the first ones.
 */
int partition_cpu_plan_build(struct partition_cpu_plan *cp, const struct partition_cpu_request *rq,
			     char *err, size_t errlen);

/*
 * The plan of a partition request (partition/partition.h): its present guests' cpus (0: CPU
 * 0) and lines, and its nr_machine_cpus. What partition_plan_build() puts in plan->cpus,
 * without a memory map (twinmon-check plans CPUs with no machine given).
 */
struct partition_request;
int partition_cpu_plan_from_request(struct partition_cpu_plan *cp,
				    const struct partition_request *req, char *err, size_t errlen);

/* Guest g's vCPU on physical CPU cpu, or -1 when it has none there. */
int partition_cpu_plan_vcpu(const struct partition_cpu_plan *cp, unsigned g, unsigned cpu);

/* "0-1, 3" for a CPU mask (as the config writes it), or "none"; the length as snprintf. */
int partition_cpu_plan_list(char *buf, size_t size, uint64_t mask);

/*
 * The plan as a text table, a line at a time (emit gets each without its newline): a summary,
 * then one row per CPU used: the vCPU each guest has there, and whether it is shared.
 */
void partition_cpu_plan_print(const struct partition_cpu_plan *cp,
			      void (*emit)(void *ctx, const char *line), void *ctx);

#endif
