/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SMP guests' fixture for tests/unit/test_monitor_smp.c and test_monitor_vipi.c, on the fake
 * machine (monitor/test_fake.h): a scripted backend that records runs and start states, guests
 * with several vCPUs on their CPUs, and ICR writes as a vCPU makes them.
 */
#ifndef TWINMON_TESTS_SMP_FIXTURE_H
#define TWINMON_TESTS_SMP_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/test_fake.h"

#define MAX_RUNS	16

/* The scripted backend: who ran, and the start states create() was given. */
struct smp_script {
	struct fake *f;
	unsigned runs;
	struct vcpu *ran[MAX_RUNS];
	unsigned creates;
	struct vcpu_start created;
	struct vcpu *created_for;
	unsigned stop_after;		/* runs after which every guest stops */
};
extern struct smp_script sc;
extern const struct vcpu_ops smp_ops;
/* The idle hook: time passes to the deadline; after idle_stop idles every guest stops. */
extern unsigned idles, idle_stop;
void smp_idle(void *ctx, uint64_t deadline);

#define ICR_FIXED	(0u << 8)
#define ICR_LOWEST	(1u << 8)
#define ICR_SMI		(2u << 8)
#define ICR_NMI		(4u << 8)
#define ICR_INIT	(5u << 8)
#define ICR_SIPI	(6u << 8)
#define ICR_LOGICAL	(1u << 11)
#define ICR_ASSERT	(1u << 14)
#define ICR_LEVEL	(1u << 15)
#define ICR_SELF	(1u << 18)
#define ICR_ALL		(2u << 18)
#define ICR_OTHERS	(3u << 18)

/* Guest id with n vCPUs on CPUs cpus[0..n), a slot on each CPU, vLAPICs as the monitor sets
 * them up (x2APIC off, smp when n > 1), the APs waiting for a startup IPI. */
void smp_guest(struct fake *f, unsigned id, unsigned n, const uint8_t *cpus);
/* The fake machine with 3 CPUs, no guest on them, sc reset. */
struct fake *smp_setup(void);
/* Guest a with n vCPUs on CPUs 0..n-1, all started. */
struct fake *smp_running(unsigned n);
/* v writes its ICR (xAPIC: destination first), then its CPU takes the outbox after the exit. */
void send(struct fake *f, struct vcpu *v, uint32_t icr, uint8_t dest);
bool irr(const struct vcpu *v, unsigned vec);
bool posted(const struct vcpu *v, unsigned vec);

#endif
