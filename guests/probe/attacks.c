// SPDX-License-Identifier: GPL-2.0-only
/*
 * The probe's attacks on memory, ports, configuration space and SVM (see attacks.h).
 * Whatever may fault runs inside guest_try(), so a fault the monitor injects becomes an
 * outcome instead of the end of the guest.
 */
#include "guests/probe/attacks.h"

#include <stdbool.h>

#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/lib/try.h"
#include "lib/fmt.h"

#define PROBE_MARKER	0x21212165626f7270ull	/* "probe!!!" */
#define PCI_CONFIG_ADDR	0xcf8
#define PCI_CONFIG_DATA	0xcfc
#define PCI_ENABLE	0x80000000u
#define PIC1_DATA	0x21
#define RESET_CF9	0xcf9	/* reset control register: 0x06 = hard reset now */
#define RESET_KBC	0x64	/* 8042 command: 0xfe pulses the reset line */
#define RESET_PORT92	0x92	/* system control port A: bit 0 = fast reset */

/* A zeroed page to hand VMRUN as its VMCB. */
static uint8_t probe_vmcb[4096] __attribute__((aligned(4096)));

struct mem_op {
	volatile uint64_t *p;
	uint64_t back;
};

static void mem_read(void *arg)
{
	struct mem_op *m = arg;

	m->back = *m->p;
}

static void mem_write(void *arg)
{
	struct mem_op *m = arg;

	*m->p = PROBE_MARKER;
	m->back = *m->p;
}

void probe_mem(struct probe_run *r, const char *what, uint64_t addr)
{
	struct mem_op m = { (volatile uint64_t *)(uintptr_t)(addr & ~7ull), 0 };
	char f[OUT_LINE_MAX];
	int rc;

	probe_announce(r, "%s: read, then write 0x%llx to 0x%llx", what,
		       (unsigned long long)PROBE_MARKER, (unsigned long long)addr);
	if (ram_contains(r->env->ram, r->env->nram, addr & ~7ull, 8)) {
		probe_outcome(r, PROBE_SKIPPED, "0x%llx is this guest's own RAM",
			      (unsigned long long)addr);
		return;
	}
	rc = guest_map(r->env, addr);
	if (rc) {
		probe_outcome(r, PROBE_SKIPPED, "cannot map 0x%llx in the guest's page tables (%d)",
			      (unsigned long long)addr, rc);
		return;
	}
	if (guest_try(mem_read, &m))
		out_log("attack %u: read faulted: %s", r->number, probe_fault_text(f, sizeof(f)));
	else
		out_log("attack %u: read gave 0x%llx", r->number, (unsigned long long)m.back);
	if (guest_try(mem_write, &m))
		probe_outcome(r, PROBE_CONTAINED, "write faulted: %s",
			      probe_fault_text(f, sizeof(f)));
	else if (m.back == PROBE_MARKER)
		probe_outcome(r, PROBE_NOT_CONTAINED, "wrote 0x%llx and read it back",
			      (unsigned long long)PROBE_MARKER);
	else
		probe_outcome(r, PROBE_CONTAINED, "write discarded, read back 0x%llx",
			      (unsigned long long)m.back);
}

struct port_op {
	uint16_t port;
	uint8_t val;
	uint8_t back;
	const char *text;	/* when set: written byte by byte instead of val */
};

static void port_write(void *arg)
{
	struct port_op *p = arg;

	if (p->text)
		for (const char *s = p->text; *s; s++)
			outb(p->port, (uint8_t)*s);
	else
		outb(p->port, p->val);
	p->back = inb(p->port);
}

/* One port write as one attack; a reset port is contained when the guest lives on. */
static void probe_port(struct probe_run *r, struct port_op *p, bool is_reset, const char *what)
{
	char f[OUT_LINE_MAX];

	if (p->text) {
		int shown = 0;

		/* Announce the text without its line break. */
		while (p->text[shown] && p->text[shown] != '\r')
			shown++;
		probe_announce(r, "ports: \"%.*s\" to port 0x%x (%s)", shown, p->text, p->port,
			       what);
	} else {
		probe_announce(r, "ports: outb 0x%x <- 0x%02x (%s)", p->port, p->val, what);
	}
	if (guest_try(port_write, p))
		probe_outcome(r, PROBE_CONTAINED, "faulted: %s", probe_fault_text(f, sizeof(f)));
	else if (is_reset)
		probe_outcome(r, PROBE_CONTAINED, "no reset; port reads back 0x%02x", p->back);
	else
		probe_outcome(r, PROBE_SURVIVED, "port reads back 0x%02x; %s", p->back,
			      p->text ? "the text must not appear on the other guest's UART"
				      : "the other guest and the monitor must keep running");
}

void probe_ports(struct probe_run *r)
{
	uint16_t peer = r->opt->peer_uart;
	char text[32];

	if (!peer)
		peer = r->env->uart == 0x3f8 ? 0x2f8 : 0x3f8;
	fmt_snprintf(text, sizeof(text), "PROBE %s WAS HERE\r\n", r->env->letter);
	/* The peer's transmit register is its base port: no setup, just bytes. */
	probe_port(r, &(struct port_op){ .port = peer, .text = text }, false,
		   "the other guest's UART");
	probe_port(r, &(struct port_op){ .port = PIC1_DATA, .val = 0xff }, false,
		   "mask every IRQ at the master PIC");
	probe_port(r, &(struct port_op){ .port = RESET_CF9, .val = 0x06 }, true,
		   "reset control register: hard reset");
	probe_port(r, &(struct port_op){ .port = RESET_KBC, .val = 0xfe }, true,
		   "keyboard controller: pulse reset");
	probe_port(r, &(struct port_op){ .port = RESET_PORT92, .val = 0x01 }, true,
		   "system control port A: fast reset");
}

struct pci_op {
	uint32_t addr, val;
};

static void pci_read(void *arg)
{
	struct pci_op *p = arg;

	outl(PCI_CONFIG_ADDR, p->addr);
	p->val = inl(PCI_CONFIG_DATA);
}

void probe_pci(struct probe_run *r)
{
	uint16_t bdf = r->opt->pci_bdf;
	struct pci_op p = { PCI_ENABLE | (uint32_t)bdf << 8, 0 };
	char f[OUT_LINE_MAX];

	probe_announce(r, "pci: read vendor/device of %02x:%02x.%x (0xcf8 <- 0x%08x, 0xcfc)",
		       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, p.addr);
	if (guest_try(pci_read, &p))
		probe_outcome(r, PROBE_CONTAINED, "faulted: %s", probe_fault_text(f, sizeof(f)));
	else if (p.val == 0xffffffffu)
		probe_outcome(r, PROBE_CONTAINED, "read 0xffffffff (no device to see)");
	else
		probe_outcome(r, PROBE_NOT_CONTAINED, "read 0x%08x: vendor 0x%04x device 0x%04x",
			      p.val, p.val & 0xffff, p.val >> 16);
}

static void vmrun(void *arg)
{
	__asm__ volatile("vmrun" : : "a"((uint64_t)(uintptr_t)arg) : "memory");
}

void probe_vmrun(struct probe_run *r)
{
	char f[OUT_LINE_MAX];

	probe_announce(r, "vmrun: VMRUN with rax 0x%llx (a zeroed page)",
		       (unsigned long long)(uintptr_t)probe_vmcb);
	if (guest_try(vmrun, probe_vmcb))
		probe_outcome(r, PROBE_CONTAINED, "%s", probe_fault_text(f, sizeof(f)));
	else
		probe_outcome(r, PROBE_NOT_CONTAINED, "VMRUN returned without a fault");
}

void probe_spin(struct probe_run *r)
{
	/* The TSC lets a test measure the other guest's share from here on. */
	probe_announce(r, "spin: cli; jmp . for ever from tsc %llu (only the monitor's timer can "
		       "preempt)", (unsigned long long)rdtsc());
	for (;;)
		__asm__ volatile("cli\n1: jmp 1b");
}

void probe_triple(struct probe_run *r)
{
	const struct desc_ptr empty = { 0, 0 };

	probe_announce(r, "triple: empty IDT, then int3 (#GP, #DF, shutdown)");
	lidt(&empty);
	__asm__ volatile("int3");
	/* Nothing can be reported from here: every exception would triple-fault too. */
	cpu_halt_forever();
}
