// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt delivery before an entry (monitor/virq.c): the vLAPIC's highest pending vector is
 * injected only when the backend says the guest can take it, else an interrupt window is
 * opened; with nothing pending the window is closed. The fake backend records what it is
 * asked (monitor/test_fake.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/test_fake.h"
#include "monitor/virq.h"

#define BUS_KHZ 100000

static int setup(void **state)
{
	struct fake *f = fake_new();
	struct guest *g;

	if (!f)
		return -1;
	g = &f->m.guest[0];
	f->m.vops = &fake_vops;
	vlapic_init(&g->vcpu[0].lapic, 0, false, f->m.tsc_khz, BUS_KHZ);
	/* Software enabled, spurious vector 0xff. */
	if (vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff, 0))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static bool in_service(struct vlapic *v, int vec)
{
	uint32_t isr;

	assert_int_equal(vlapic_mmio_read(v, VLAPIC_ISR + (uint32_t)(vec / 32) * 0x10, 0, &isr), 0);
	return isr & (1u << (vec % 32));
}

static void eoi(struct vlapic *v)
{
	assert_int_equal(vlapic_mmio_write(v, VLAPIC_EOI, 0, 0), 0);
}

static void test_virq_nothing_pending_closes_window(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	f->interruptible = true;
	f->irq_window = 1;
	virq_prepare(&f->m, &g->vcpu[0], 100);
	assert_int_equal(f->ninject, 0);
	assert_int_equal(f->irq_window, 0);
	assert_int_equal(f->irq_window_calls, 1);
	assert_int_equal(g->vcpu[0].injected, 0);
	assert_false(virq_pending(&g->vcpu[0], 100));
}

static void test_virq_not_interruptible_opens_window(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x41, false), 0);
	assert_true(virq_pending(&g->vcpu[0], 0));
	f->interruptible = false;
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 0);
	assert_int_equal(f->irq_window, 1);
	assert_true(f->interruptible_calls >= 1);
	/* Still pending, not in service. */
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x41);
	assert_false(in_service(&g->vcpu[0].lapic, 0x41));
	assert_int_equal(g->vcpu[0].injected, 0);

	/* The window exit came: now it can. */
	f->interruptible = true;
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].type, VCPU_EVENT_INTR);
	assert_int_equal(f->inject[0].vector, 0x41);
	assert_false(f->inject[0].has_error);
	assert_int_equal(f->inject_guest[0], 0);
	assert_int_equal(f->irq_window, 0);
	assert_int_equal(g->vcpu[0].injected, 1);
}

/*
 * How late a timer interrupt was injected (the irq_delay histogram of the TWINMON-STATS
 * lines) counts from the timer's expiry, not from when the monitor noticed it expired, and
 * only once the vector is injected.
 */
static void test_virq_timer_delay_from_expiry(void **state)
{
	struct fake *f = *state;
	struct vcpu *v = &f->m.guest[0].vcpu[0];

	/* One-shot, vector 0x40, divide by 1: 100 bus ticks of 20 TSC cycles from 1000. */
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_LVT_TIMER, 0x40, 1000), 0);
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_TDCR, 0xb, 1000), 0);
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_TMICT, 100, 1000), 0);
	f->interruptible = false;
	virq_prepare(&f->m, v, 3500);
	assert_int_equal(vlapic_pending(&v->lapic), 0x40);
	assert_int_equal(v->irq_delay.count, 0);
	f->interruptible = true;
	virq_prepare(&f->m, v, 4200);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x40);
	assert_int_equal(v->irq_delay.count, 1);
	assert_int_equal(v->irq_delay.min, 4200 - 3000);
	assert_int_equal(v->irq_delay.bucket[10], 1);	/* 1200 in [1024, 2048) */
	/* Another vector injected later is not a timer's: nothing more is measured. */
	assert_int_equal(vlapic_raise(&v->lapic, 0x50, false), 0);
	virq_prepare(&f->m, v, 5000);
	assert_int_equal(f->ninject, 2);
	assert_int_equal(v->irq_delay.count, 1);
}

static void test_virq_inject_accepts_until_eoi(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	f->interruptible = true;
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x41, false), 0);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x41);
	/* IRR -> ISR: nothing more to offer while it is in service. */
	assert_true(in_service(&g->vcpu[0].lapic, 0x41));
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), -1);
	assert_false(virq_pending(&g->vcpu[0], 0));
	assert_int_equal(f->irq_window, 0);

	/* A lower class waits for the EOI; the next entry injects nothing and asks no window. */
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x35, false), 0);
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), -1);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->irq_window, 0);

	eoi(&g->vcpu[0].lapic);
	assert_false(in_service(&g->vcpu[0].lapic, 0x41));
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x35);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 2);
	assert_int_equal(f->inject[1].vector, 0x35);
	assert_int_equal(g->vcpu[0].injected, 2);
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), -1);
}

static void test_virq_highest_first(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	f->interruptible = true;
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x31, false), 0);
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x82, false), 0);
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x50, false), 0);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0x82);
	eoi(&g->vcpu[0].lapic);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->inject[1].vector, 0x50);
	eoi(&g->vcpu[0].lapic);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->inject[2].vector, 0x31);
	eoi(&g->vcpu[0].lapic);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(f->ninject, 3);
}

static void test_virq_timer_catches_up(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	f->interruptible = true;
	/* TSC-deadline timer, vector 0xec, due at 1000. */
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_LVT_TIMER,
					   VLAPIC_TIMER_DEADLINE | 0xec, 0),
			 0);
	assert_int_equal(vlapic_msr_write(&g->vcpu[0].lapic, MSR_TSC_DEADLINE, 1000, 0), 0);
	assert_int_equal(virq_next_event(&g->vcpu[0]), 1000);
	assert_false(virq_pending(&g->vcpu[0], 999));
	virq_prepare(&f->m, &g->vcpu[0], 999);
	assert_int_equal(f->ninject, 0);
	assert_int_equal(f->irq_window, 0);
	/* At the deadline the entry delivers it. */
	virq_prepare(&f->m, &g->vcpu[0], 1000);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].vector, 0xec);
	assert_int_equal(virq_next_event(&g->vcpu[0]), UINT64_MAX);
}

static void test_virq_masked_and_disabled(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	f->interruptible = true;
	/* A masked timer does not ask for the CPU. */
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_LVT_TIMER,
					   VLAPIC_LVT_MASKED | VLAPIC_TIMER_DEADLINE | 0xec, 0),
			 0);
	assert_int_equal(vlapic_msr_write(&g->vcpu[0].lapic, MSR_TSC_DEADLINE, 1000, 0), 0);
	assert_int_equal(virq_next_event(&g->vcpu[0]), UINT64_MAX);
	virq_prepare(&f->m, &g->vcpu[0], 2000);
	assert_int_equal(f->ninject, 0);
	/* A software-disabled APIC holds its IRR back. */
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x41, false), 0);
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, 0xff, 0), 0);
	assert_false(virq_pending(&g->vcpu[0], 2000));
	virq_prepare(&f->m, &g->vcpu[0], 2000);
	assert_int_equal(f->ninject, 0);
	assert_int_equal(f->irq_window, 0);
}

static void test_virq_backend_without_hooks(void **state)
{
	static const struct vcpu_ops bare = { .name = "bare" };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	/* A backend without the interrupt hooks (the older fakes): nothing is delivered, the
	 * timer still catches up. */
	f->m.vops = &bare;
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x41, false), 0);
	virq_prepare(&f->m, &g->vcpu[0], 0);
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x41);
	assert_int_equal(g->vcpu[0].injected, 0);
}

/* Write redirection entry pin of g's virtual I/O APIC through its MMIO window. */
static void ioapic_rte(struct guest *g, unsigned pin, uint32_t lo)
{
	assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOREGSEL, VIOAPIC_REG_RTE(pin),
					    &g->vcpu[0].lapic), 0);
	assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOWIN, lo, &g->vcpu[0].lapic), 0);
}

/* g owns the lines in boot->irq_mask and has a fresh vIOAPIC for them. */
static void own_lines(struct guest *g, struct monitor_guest_boot *boot)
{
	g->boot = boot;
	g->has_ioapic = true;
	vioapic_init(&g->ioapic, 1);
}

static int pending(struct guest *g)
{
	vlapic_update(&g->vcpu[0].lapic, 0);
	return vlapic_pending(&g->vcpu[0].lapic);
}

/* A line that fired reaches its owner's vIOAPIC; nobody else's, and never an unowned one. */
static void test_virq_device_edge_to_owner(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 4 };

	own_lines(g, &boot);
	ioapic_rte(g, 4, 0x34);			/* edge, active high, vector 0x34 */
	f->device_pending = (1u << 4) | (1u << 3);	/* 3 is nobody's */
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(g->device_irqs, 1);
	assert_int_equal(pending(g), 0x34);
	assert_int_equal(f->unmasked, 0);
	/* A masked pin loses the edge. */
	vlapic_accept(&g->vcpu[0].lapic, 0x34);
	eoi(&g->vcpu[0].lapic);
	ioapic_rte(g, 4, 0x34 | VIOAPIC_RTE_MASKED);
	f->device_pending = 1u << 4;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(pending(g), -1);
	/* A guest without a vIOAPIC gets nothing. */
	g->has_ioapic = false;
	ioapic_rte(g, 4, 0x34);
	f->device_pending = 1u << 4;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(g->device_irqs, 2);
}

/* A level line: delivered once, then again only after the guest's EOI unmasks it. */
static void test_virq_device_level_until_eoi(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 17 };

	own_lines(g, &boot);
	ioapic_rte(g, 17, 0x51 | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW);
	f->device_pending = 1u << 17;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(pending(g), 0x51);
	assert_true(vioapic_rte(&g->ioapic, 17) & VIOAPIC_RTE_REMOTE_IRR);
	vlapic_accept(&g->vcpu[0].lapic, 0x51);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 0);
	/* The EOI clears Remote IRR without a second delivery and unmasks the real line. */
	eoi(&g->vcpu[0].lapic);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_false(vioapic_rte(&g->ioapic, 17) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(pending(g), -1);
	assert_int_equal(f->unmasked, 1u << 17);
	/* Still asserted: the real line fires again and so does the guest's. */
	f->device_pending = 1u << 17;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(pending(g), 0x51);
}

/*
 * A physically level line is held (masked) until its guest has serviced it, whatever way:
 * here the guest reprograms the entry instead of sending a level EOI. A restart releases
 * what was held; a stopped guest's lines are masked.
 */
static void test_virq_device_held_lines(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 18 };

	own_lines(g, &boot);
	/* The guest programs it edge: no Remote IRR, so only its vLAPIC says when it is done. */
	ioapic_rte(g, 18, 0x52);
	f->device_pending = 1u << 18;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(g->held_pins, 1u << 18);
	assert_int_equal(pending(g), 0x52);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 0);	/* still in IRR */
	vlapic_accept(&g->vcpu[0].lapic, 0x52);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 0);	/* in service */
	eoi(&g->vcpu[0].lapic);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 1u << 18);
	assert_int_equal(g->held_pins, 0);
	/* Held again; a restart keeps it masked until the fresh vIOAPIC's entry is set up. */
	f->unmasked = 0;
	f->device_pending = 1u << 18;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(g->held_pins, 1u << 18);
	vioapic_init(&g->ioapic, 1);
	vlapic_init(&g->vcpu[0].lapic, 0, false, f->m.tsc_khz, BUS_KHZ);
	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
	virq_hold_lines(&f->m, g);
	for (int i = 0; i < 10; i++)
		virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 0);
	assert_int_equal(g->held_pins, 1u << 18);
	ioapic_rte(g, 18, 0x52);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->unmasked, 1u << 18);
	assert_int_equal(g->held_pins, 0);
	/* Stopped: its lines are masked at the I/O APIC. */
	monitor_guest_stop(&f->m, g, "test");
	assert_int_equal(f->masked, 1u << 18);
}

#define STORM_PIN 20
#define STORM_ROUNDS 1000

/* The ways a guest's entry can leave its level line unserviceable (issue: level-storm). */
enum storm_case {
	STORM_MASKED,		/* never programmed: masked */
	STORM_LOW_VECTOR,	/* vector below 16 */
	STORM_NMI,		/* a delivery mode the vLAPIC cannot take */
	STORM_INIT,
	STORM_EXTINT,
	STORM_OTHER_DEST,	/* not its LAPIC */
	STORM_SW_DISABLED,	/* its vLAPIC software-disabled */
	STORM_HW_DISABLED,	/* its vLAPIC off in IA32_APIC_BASE */
	STORM_CASES,
};

static const uint32_t storm_good = 0x61 | VIOAPIC_RTE_LEVEL | VIOAPIC_RTE_ACTIVE_LOW;

static void storm_program(struct guest *g, enum storm_case c)
{
	switch (c) {
	case STORM_MASKED: ioapic_rte(g, STORM_PIN, storm_good | VIOAPIC_RTE_MASKED); break;
	case STORM_LOW_VECTOR: ioapic_rte(g, STORM_PIN, (storm_good & ~0xffu) | 0x08); break;
	case STORM_NMI: ioapic_rte(g, STORM_PIN, storm_good | VIOAPIC_RTE_NMI); break;
	case STORM_INIT: ioapic_rte(g, STORM_PIN, storm_good | VIOAPIC_RTE_INIT); break;
	case STORM_EXTINT: ioapic_rte(g, STORM_PIN, storm_good | VIOAPIC_RTE_EXTINT); break;
	case STORM_OTHER_DEST:
		assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOREGSEL,
						    VIOAPIC_REG_RTE(STORM_PIN) + 1,
						    &g->vcpu[0].lapic),
				 0);
		assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_IOWIN, 5u << 24,
						    &g->vcpu[0].lapic), 0);
		ioapic_rte(g, STORM_PIN, storm_good);
		break;
	case STORM_SW_DISABLED:
		ioapic_rte(g, STORM_PIN, storm_good);
		assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, 0xff, 0), 0);
		break;
	case STORM_HW_DISABLED:
		ioapic_rte(g, STORM_PIN, storm_good);
		assert_int_equal(vlapic_msr_write(&g->vcpu[0].lapic, MSR_APIC_BASE, 0xfee00000, 0),
				 0);
		break;
	case STORM_CASES: break;
	}
}

/*
 * A device holds a level line asserted for ever while the guest's entry for it cannot deliver:
 * the physical pin fires once and then stays masked, whatever the case, however often the
 * monitor loop comes round (before the fix, it was unmasked and fired again every time).
 */
static void test_virq_level_storm_stays_masked(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << STORM_PIN };

	g->boot = &boot;
	g->has_ioapic = true;
	for (int c = 0; c < STORM_CASES; c++) {
		vlapic_init(&g->vcpu[0].lapic, 0, false, f->m.tsc_khz, BUS_KHZ);
		assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR,
						   VLAPIC_SVR_ENABLE | 0xff,
						   0), 0);
		vioapic_init(&g->ioapic, 1);
		g->held_pins = 0;
		/* The pin starts unmasked, as the old monitor routed it. */
		f->pin_masked = 0;
		f->fired = 0;
		f->unmasked = 0;
		storm_program(g, (enum storm_case)c);
		f->asserted = 1u << STORM_PIN;
		for (int i = 0; i < STORM_ROUNDS; i++)
			virq_devices(&f->m, monitor_this_cpu(&f->m));
		assert_int_equal(f->fired, 1);
		assert_true(f->pin_masked & (1u << STORM_PIN));
		assert_int_equal(f->unmasked, 0);
		assert_int_equal(pending(g), -1);
	}
}

/*
 * The same line with a good entry interrupts once per interrupt the guest services; when the
 * guest masks its entry the line stays masked, and unmasking it brings the interrupt back.
 */
static void test_virq_level_paced_by_guest(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << STORM_PIN };

	own_lines(g, &boot);
	virq_hold_lines(&f->m, g);
	assert_true(f->pin_masked & (1u << STORM_PIN));
	f->asserted = 1u << STORM_PIN;
	for (int i = 0; i < STORM_ROUNDS; i++)
		virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->fired, 0);		/* masked entry: never unmasked */
	ioapic_rte(g, STORM_PIN, storm_good);
	for (int n = 1; n <= 5; n++) {
		for (int i = 0; i < STORM_ROUNDS; i++)
			virq_devices(&f->m, monitor_this_cpu(&f->m));
		assert_int_equal(f->fired, n);
		assert_int_equal(pending(g), 0x61);
		vlapic_accept(&g->vcpu[0].lapic, 0x61);
		eoi(&g->vcpu[0].lapic);
	}
	/* It masks its entry (Linux's disable_irq): no more interrupts from the line. */
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	ioapic_rte(g, STORM_PIN, storm_good | VIOAPIC_RTE_MASKED);
	vlapic_accept(&g->vcpu[0].lapic, 0x61);
	eoi(&g->vcpu[0].lapic);
	for (int i = 0; i < STORM_ROUNDS; i++)
		virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->fired, 6);
	assert_int_equal(pending(g), -1);
	/* Unmasked again: the line is re-sampled and interrupts. */
	ioapic_rte(g, STORM_PIN, storm_good);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->fired, 7);
	assert_int_equal(pending(g), 0x61);
}

/*
 * An edge line stays unmasked while its entry can deliver (an edge during the guest's handler
 * must not be lost), and is masked only while it cannot: edges nobody can take cost nothing.
 */
static void test_virq_edge_masked_only_while_undeliverable(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << 4 };

	own_lines(g, &boot);
	virq_hold_lines(&f->m, g);
	assert_true(f->pin_masked & (1u << 4));
	ioapic_rte(g, 4, 0x34);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_false(f->pin_masked & (1u << 4));
	/* Two edges, the second while the first is in service: both reach the guest. */
	f->device_pending = 1u << 4;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	vlapic_accept(&g->vcpu[0].lapic, 0x34);
	f->device_pending = 1u << 4;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_false(f->pin_masked & (1u << 4));
	eoi(&g->vcpu[0].lapic);
	assert_int_equal(pending(g), 0x34);
	/* Its entry masked: the next edge masks the pin, and an edge storm costs one interrupt. */
	ioapic_rte(g, 4, 0x34 | VIOAPIC_RTE_MASKED);
	f->fired = 0;
	f->asserted = 1u << 4;
	for (int i = 0; i < STORM_ROUNDS; i++)
		virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(f->fired, 1);
	assert_true(f->pin_masked & (1u << 4));
	f->asserted = 0;
	/* Unmasked again: so is the pin. */
	ioapic_rte(g, 4, 0x34);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_false(f->pin_masked & (1u << 4));
	/* A stopped guest's line is masked for good. */
	monitor_guest_stop(&f->m, g, "test");
	for (int i = 0; i < STORM_ROUNDS; i++)
		virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_true(f->pin_masked & (1u << 4));
}

/* A level line's EOI through the vIOAPIC's EOI register does not redeliver a stale level. */
static void test_virq_level_eoi_register_resamples(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .irq_mask = 1u << STORM_PIN };

	own_lines(g, &boot);
	ioapic_rte(g, STORM_PIN, storm_good);
	f->device_pending = 1u << STORM_PIN;
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(pending(g), 0x61);
	vlapic_accept(&g->vcpu[0].lapic, 0x61);
	/* The device lets go; the guest EOIs through the vIOAPIC's register (and its LAPIC). */
	assert_int_equal(vioapic_mmio_write(&g->ioapic, VIOAPIC_EOI, 0x61, &g->vcpu[0].lapic), 0);
	assert_int_equal(pending(g), -1);
	eoi(&g->vcpu[0].lapic);
	virq_devices(&f->m, monitor_this_cpu(&f->m));
	assert_int_equal(pending(g), -1);
	assert_false(f->pin_masked & (1u << STORM_PIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_virq_nothing_pending_closes_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_virq_not_interruptible_opens_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_virq_inject_accepts_until_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_timer_delay_from_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_highest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_timer_catches_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_masked_and_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_backend_without_hooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_device_edge_to_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_device_level_until_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_device_held_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_level_storm_stays_masked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_level_paced_by_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq_edge_masked_only_while_undeliverable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_virq_level_eoi_register_resamples, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
