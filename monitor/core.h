/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor core: state shared by the scheduler loop, the exit handlers and the backend.
 * Everything privileged is reached through two tables, the vendor backend (vcpu.h) and the
 * platform services below, so the loop and the handlers are plain C the host tests run
 * with fakes.
 */
#ifndef TWINMON_MONITOR_CORE_H
#define TWINMON_MONITOR_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"
#include "monitor/gang_meter.h"
#include "monitor/guest.h"
#include "monitor/monitor.h"
#include "monitor/pcpu.h"
#include "monitor/sched.h"
#include "monitor/vcpu.h"

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* Privileged services (monitor/platform.c in the EFI build; fakes in the tests). */
struct monitor_platform {
	uint64_t (*now)(void *ctx);				/* TSC */
	void (*arm_timer)(void *ctx, uint64_t deadline);	/* one-shot at TSC deadline */
	/* Wait, interrupts on, until deadline or any interrupt; return with them off. */
	void (*idle)(void *ctx, uint64_t deadline);
	/* Let pending host interrupts in (after an INTR or NMI exit). */
	void (*take_interrupts)(void *ctx);
	/* Exchange the CPU state the world switch leaves alone (FPU/XSAVE, XCR0, DR0-3). */
	void (*switch_state)(void *ctx, struct vcpu *from, struct vcpu *to);
	/* The real CPUID. */
	void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
	void *ctx;
	/* Device lines among `lines` that fired since the last call (bit n: I/O APIC pin n);
	 * the others stay noted for the CPU that takes them. NULL: none. */
	uint32_t (*take_device_irqs)(void *ctx, uint32_t lines);
	/* Mask or unmask a device line at the physical I/O APIC (a level line is masked when it
	 * fires, until its guest has serviced it; a stopped guest's lines are masked). */
	void (*mask_device_irq)(void *ctx, unsigned pin, bool masked);
	/* Whether the physical line is level-triggered (then masked when it fired). */
	bool (*level_device_irq)(void *ctx, unsigned pin);
	/* An access of size 1, 2 or 4 to a real port on a guest's behalf (the 8042 command
	 * port, PCI configuration of its functions); NULL: none. */
	void (*port_io)(void *ctx, uint16_t port, bool in, uint8_t size, uint32_t *val);
	/* The remapped MSI vectors of the guests in `guests` (bit n: guest n) that arrived
	 * since the last call (bit n: IRQ_MSI_BASE + n, irq/irq.h); NULL: none. */
	void (*take_msi)(void *ctx, uint64_t *pending, uint32_t guests);
	/* An access of size 1, 2, 4 or 8 to a device's memory on a guest's behalf (its MSI-X
	 * table pages, monitor/vmsix.c); NULL: none (reads all ones). */
	void (*mmio)(void *ctx, uint64_t pa, bool write, uint8_t size, uint64_t *val);
	/* The index (MP-services order) of the CPU this runs on; NULL: always 0. */
	unsigned (*cpu_index)(void *ctx);
	/* Make CPU cpu (MP-services order) leave its guest or its idle and run its loop: the
	 * kick (IRQ_KICK_VECTOR), the only interrupt one CPU sends another; NULL: none. */
	void (*kick)(void *ctx, unsigned cpu);
	/* The TSC for the world-switch meter (monitor/sw_meter.h), read at the phase boundaries
	 * of an entry that follows an exit; unlike now it may not move anything else (the
	 * tests' clocks). NULL: nothing metered. */
	uint64_t (*stamp)(void *ctx);
};

/* A bump allocator over the pool the EFI app reserved (monitor/mem.c). */
struct monitor_pool {
	uint64_t base;
	uint64_t size;
	uint64_t used;
};

struct monitor {
	const struct vcpu_ops *vops;
	const struct monitor_platform *plat;
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	struct spinlock log_lock;	/* one line at a time from any CPU (monitor/log.c) */
	/* A host pointer to physical [pa, pa + len), or NULL (identity in the EFI build). */
	void *(*phys)(void *ctx, uint64_t pa, uint64_t len);
	void *phys_ctx;

	uint64_t tsc_khz;
	struct guest guest[MONITOR_MAX_GUESTS];
	/* The physical CPUs in MP-services order (monitor/pcpu.h); guests run on some. */
	unsigned nr_cpus;
	struct pcpu cpu[MONITOR_MAX_CPUS];
	/* The gang-scheduled CPUs (one set at most: lists overlap wholly or not at all) and how
	 * together they switch (monitor/gang_meter.h). */
	struct gang_meter gang;
	struct monitor_pool pool;
	/*
	 * Several CPUs run at once. The log's lines must not mix; the pool is shared; the PCI
	 * configuration mechanism #1 is an address and a data port, a pair no other CPU may
	 * split. Everything else a CPU writes is its own (pcpu) or its guest's.
	 */
	struct spinlock pool_lock;
	struct spinlock pci_lock;
	/* An interrupt for a switched-out guest ends the running slot (config irq-policy). */
	bool switch_on_irq;
	/* The host's ECAM window (segment 0, identity mapped): base 0 when there is none. */
	uint64_t ecam_base;
	uint8_t ecam_bus_start, ecam_bus_end;
	/* Restart g from its pristine segments (monitor/run.c); NULL: restarts stop it. */
	int (*restart)(struct monitor *m, struct guest *g);
	void *arch;			/* the backend's state for all CPUs (per CPU: pcpu.arch) */
	/* The IOMMU whose faults the loops report (monitor/iommu_poll.c), or NULL: one CPU at a
	 * time polls it (iommu_lock, tried, never waited for). */
	struct iommu *iommu;
	struct spinlock iommu_lock;
	uint64_t iommu_polled;		/* TSC of the last poll */
	struct log_budget iommu_budget;	/* for faults of functions no guest owns */
};

/* ---- iommu_poll.c ---- */
/* Report the IOMMU's faults since the last poll (at most once a millisecond). */
void monitor_iommu_poll(struct monitor *m, uint64_t now);

/* ---- log.c ---- */
void monitor_log(struct monitor *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void monitor_vlog(struct monitor *m, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* "guest a: " + text: the guest's own words (console, verdicts). */
void monitor_guest_log(struct monitor *m, struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * A line about something the guest did that it can do again at will (a dropped port write, a
 * refused BAR move, an ignored reset): logged within the guest's event budget
 * (monitor/log_budget.h); what goes past it is counted and reported as "log over budget" with
 * the next line that fits, and by monitor_guest_events_flush() (at its stop).
 */
void monitor_guest_event(struct monitor *m, struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void monitor_guest_events_flush(struct monitor *m, struct guest *g);

/* ---- mem.c ---- */
void monitor_pool_init(struct monitor_pool *p, uint64_t base, uint64_t size);
/* size bytes aligned to align (power of two), zeroed; 0 and *pa, or -ENOMEM. */
int monitor_pool_alloc(struct monitor *m, uint64_t size, uint64_t align, uint64_t *pa,
		       void **va);
/* Whether [gpa, gpa + len) lies entirely in the guest's RAM (no wrap; len 0 is fine). */
bool monitor_guest_ram_contains(const struct guest *g, uint64_t gpa, uint64_t len);
/* A host pointer to guest-physical [gpa, gpa + len) if it is the guest's RAM, else NULL. */
void *monitor_guest_ptr(struct monitor *m, const struct guest *g, uint64_t gpa, uint64_t len);

/* ---- core.c ---- */
/* Initialise the guest slot from its boot description (copies name and RAM ranges). */
int monitor_guest_init(struct monitor *m, unsigned id, const struct monitor_guest_boot *b);
/* Time slices from microseconds to TSC cycles, at least 1. */
uint64_t monitor_us_to_cycles(uint64_t us, uint64_t tsc_khz);
/* Schedule the guests of CPU pc (the CPU this runs on) until each has stopped; 0. */
int monitor_loop(struct monitor *m, struct pcpu *pc);
/*
 * Gang mode (monitor/sched.h) on every CPU that both guests time-share when one of them has
 * several vCPUs, all from the same epoch (TSC), so that those CPUs switch together. Once the
 * guests are on their schedulers, before the other CPUs start. Returns how many CPUs.
 */
unsigned monitor_gang_init(struct monitor *m, uint64_t epoch);
/* The CPU this code runs on (platform cpu_index; the first without one). */
struct pcpu *monitor_this_cpu(struct monitor *m);

/* ---- stop_restart.c ---- */
/* Stop a guest for good: logs "monitor: guest a stopped: <why>", flushes its console. */
void monitor_guest_stop(struct monitor *m, struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define MONITOR_RESTART_BURST		5
#define MONITOR_RESTART_WINDOW_MS	10000

/*
 * The guest asked for a reset (why: "reset register", "triple fault", ...): restart it,
 * stop it or drop the request, as its on_reset says. What the exit handler returns.
 */
enum exit_action monitor_guest_reset(struct monitor *m, struct guest *g, bool can_ignore,
				     const char *why);
/*
 * In the loop of a CPU that runs a vCPU of a guest being restarted: whether this CPU restarts
 * it now (vCPU 0, every other vCPU held); else v is held off the CPU until the restart is done.
 */
bool monitor_restart_hold(struct monitor *m, struct pcpu *pc, struct guest *g, struct vcpu *v);

#endif
