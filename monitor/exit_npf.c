// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested page faults on memory the monitor emulates: the guest's xAPIC page (its virtual
 * LAPIC), its I/O APIC page when it owns device lines, the pages of its functions' MSI-X
 * tables (monitor/vmsix.c), its ECAM window when it owns PCI functions (monitor/vpci.h), and
 * writes to the read-only zero page under 1 MiB. Without decode assists the faulting
 * instruction is fetched through the guest's page tables and decoded
 * (monitor/decode.h); anything but a plain MOV is refused, never guessed. Every other nested
 * page fault is an isolation violation and stops the guest.
 */
#include <string.h>

#include "monitor/decode.h"
#include "monitor/gva.h"
#include "monitor/vcpu_exit.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"
#include "monitor/vpci.h"

#define NPF_LOW_END	0x100000ULL	/* the zero page covers what the guest lacks below */

/* Fetch the instruction at RIP; also what the WBINVD exit decodes (vcpu_exit.h). */
size_t vcpu_fetch_insn(struct monitor *m, struct vcpu *vc, uint8_t *buf)
{
	struct guest *g = vc->g;
	struct gva_paging pg = vcpu_paging(m, vc);
	uint64_t rip = vcpu_get(m, vc, VCPU_REG_RIP);
	size_t n = 0;

	if (!vcpu_long_mode(m, vc))
		rip = vcpu_get(m, vc, VCPU_REG_CS_BASE) + (uint32_t)rip;
	while (n < DECODE_MAX_LEN) {
		uint64_t gva = rip + n, gpa;
		uint32_t pf;
		size_t chunk = 0x1000 - (gva & 0xfff);
		const uint8_t *p;

		if (chunk > DECODE_MAX_LEN - n)
			chunk = DECODE_MAX_LEN - n;
		if (gva_translate(m, g, &pg, gva, false, &gpa, &pf) < 0 ||
		    !(p = monitor_guest_ptr(m, g, gpa, chunk)))
			break;
		memcpy(buf + n, p, chunk);
		n += chunk;
	}
	return n;
}

/* The general registers in the CPU's numbering (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, ...). */
static void npf_regs_get(struct monitor *m, struct vcpu *vc, uint64_t r[16])
{
	const struct vcpu_regs *x = &vc->regs;
	const uint64_t v[16] = { x->rax, x->rcx, x->rdx, x->rbx, vcpu_get(m, vc, VCPU_REG_RSP),
				 x->rbp, x->rsi,
				 x->rdi, x->r8, x->r9, x->r10, x->r11, x->r12, x->r13, x->r14,
				 x->r15 };

	memcpy(r, v, sizeof(v));
}

static void npf_regs_put(struct monitor *m, struct vcpu *vc, const uint64_t r[16])
{
	struct vcpu_regs *x = &vc->regs;

	x->rax = r[0], x->rcx = r[1], x->rdx = r[2], x->rbx = r[3];
	vcpu_set(m, vc, VCPU_REG_RSP, r[4]);
	x->rbp = r[5], x->rsi = r[6], x->rdi = r[7];
	x->r8 = r[8], x->r9 = r[9], x->r10 = r[10], x->r11 = r[11];
	x->r12 = r[12], x->r13 = r[13], x->r14 = r[14], x->r15 = r[15];
}

static bool npf_decode(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x,
		       struct decode_insn *d)
{
	struct guest *g = vc->g;
	uint8_t code[DECODE_MAX_LEN];
	size_t n = vcpu_fetch_insn(m, vc, code);
	int err;

	err = decode_mov(code, n, vcpu_long_mode(m, vc),
			 vcpu_get(m, vc, VCPU_REG_CS_ATTR) & VCPU_SEG_DB, d);
	if (err == 0 && d->write == x->npf.a.write)
		return true;
	monitor_log(m, "monitor: guest %c: cannot emulate the instruction at rip 0x%llx (%zu "
		       "bytes %02x %02x %02x %02x, error %d%s)",
		    g->letter, (unsigned long long)vcpu_get(m, vc, VCPU_REG_RIP), n,
		    n > 0 ? code[0] : 0,
		    n > 1 ? code[1] : 0, n > 2 ? code[2] : 0, n > 3 ? code[3] : 0, err,
		    err == 0 ? ", direction differs" : "");
	return false;
}

enum npf_dev { NPF_LAPIC, NPF_IOAPIC };

/* One 32-bit register access of the emulated device; reads of anything else are all ones. */
static uint32_t npf_dev_read(struct monitor *m, struct vcpu *vc, enum npf_dev dev, uint32_t off,
			     uint64_t now)
{
	struct guest *g = vc->g;
	uint32_t val = 0xffffffffu;

	if (dev == NPF_LAPIC) {
		if (!(off & 0xf) && vlapic_mmio_read(&vc->lapic, off, now, &val) < 0)
			val = 0xffffffffu;
	} else {
		val = virq_ioapic_read(g, off);
	}
	return val;
}

static void npf_dev_write(struct monitor *m, struct vcpu *vc, enum npf_dev dev, uint32_t off,
			  uint32_t val, uint64_t now)
{
	if (dev == NPF_LAPIC) {
		uint32_t before[8];

		virq_due_irr(vc, before);
		if (!(off & 0xf))
			vlapic_mmio_write(&vc->lapic, off, val, now);
		/* An IPI to itself (ICR) is due from this write. */
		virq_due_mark(vc, before, VIRQ_SRC_IPI, now);
	} else {
		/* Any vCPU may write it; what it delivers goes to vCPU 0 (monitor/vdev_irq.c). */
		virq_ioapic_write(m, vc, off, val);
	}
}

/*
 * The xAPIC page and the I/O APIC page: dword accesses at a register's start reach the
 * device model; anything else is undefined on hardware and here reads all ones, writes
 * nothing.
 */
static bool npf_mmio(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x,
		     uint64_t gpa, enum npf_dev dev)
{
	uint64_t now = m->plat->now(m->plat->ctx);
	uint32_t off = (uint32_t)(gpa & 0xfff);
	struct decode_insn d;
	uint64_t r[16];

	if (!npf_decode(m, vc, x, &d))
		return false;
	npf_regs_get(m, vc, r);
	if (d.write) {
		if (d.size == 4 && !(off & 3))
			npf_dev_write(m, vc, dev, off, (uint32_t)decode_write_value(&d, r), now);
	} else {
		uint32_t val = d.size == 4 && !(off & 3) ? npf_dev_read(m, vc, dev, off, now)
							 : 0xffffffffu;

		decode_apply_read(&d, r, val);
		npf_regs_put(m, vc, r);
	}
	vcpu_advance(m, vc, vcpu_get(m, vc, VCPU_REG_RIP) + d.len);
	return true;
}

/*
 * A page of an MSI-X table or PBA (monitor/vmsix.c): any size the decoder knows, at any offset
 * (the table code decides what each access means).
 */
static bool npf_msix(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x, uint64_t gpa)
{
	struct guest *g = vc->g;
	struct decode_insn d;
	uint64_t r[16], val;

	if (!npf_decode(m, vc, x, &d))
		return false;
	npf_regs_get(m, vc, r);
	/* Any vCPU's CPU: the MSI state is g->msi_lock's (monitor/vmsi.h). */
	spinlock_lock(&g->msi_lock);
	if (d.write) {
		val = decode_write_value(&d, r);
		vmsix_access(m, g, gpa, true, d.size, &val);
		spinlock_unlock(&g->msi_lock);
	} else {
		val = ~0ULL;
		vmsix_access(m, g, gpa, false, d.size, &val);
		spinlock_unlock(&g->msi_lock);
		decode_apply_read(&d, r, val);
		npf_regs_put(m, vc, r);
	}
	vcpu_advance(m, vc, vcpu_get(m, vc, VCPU_REG_RIP) + d.len);
	return true;
}

/*
 * A configuration access in the ECAM window: 1, 2 or 4 bytes, through the same filter and
 * policing as 0xcf8/0xcfc. An 8-byte access is not a configuration cycle on any chipset
 * Linux uses: it reads as ones and writes nothing.
 */
static bool npf_ecam(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x, uint64_t gpa)
{
	struct guest *g = vc->g;
	struct decode_insn d;
	uint32_t val = 0xffffffffu;
	uint64_t r[16];

	if (!npf_decode(m, vc, x, &d))
		return false;
	npf_regs_get(m, vc, r);
	if (d.write)
		val = (uint32_t)decode_write_value(&d, r);
	if (d.size <= 4)
		vpci_ecam(m, g, gpa, !d.write, d.size, &val);
	if (!d.write) {
		decode_apply_read(&d, r, d.size <= 4 ? val : ~0ULL);
		npf_regs_put(m, vc, r);
	}
	vcpu_advance(m, vc, vcpu_get(m, vc, VCPU_REG_RIP) + d.len);
	return true;
}

/* A write to the zero page: dropped, as a write to ROM would be. */
static bool npf_zero_write(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x,
			   uint64_t gpa)
{
	struct guest *g = vc->g;
	struct decode_insn d;

	if (!npf_decode(m, vc, x, &d))
		return false;
	if (!g->low_write_logged) {
		g->low_write_logged = true;
		monitor_log(m, "monitor: guest %c: write to 0x%llx (%u bytes, below 1 MiB, not its "
			       "RAM) dropped; later ones are not logged",
			    g->letter, (unsigned long long)gpa, d.size);
	}
	vcpu_advance(m, vc, vcpu_get(m, vc, VCPU_REG_RIP) + d.len);
	return true;
}

bool exit_npf_emulate(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;
	uint64_t gpa = x->npf.a.gpa;
	bool present = x->npf.a.present;

	if (x->npf.a.fetch || x->npf.a.tables)
		return false;
	if (vlapic_xapic(&vc->lapic) && (gpa & ~0xfffULL) == vlapic_mmio_base(&vc->lapic) &&
	    !present)
		return npf_mmio(m, vc, x, gpa, NPF_LAPIC);
	if (g->has_ioapic && (gpa & ~0xfffULL) == VIOAPIC_BASE && !present)
		return npf_mmio(m, vc, x, gpa, NPF_IOAPIC);
	if (!present && vmsix_page(g, gpa))
		return npf_msix(m, vc, x, gpa);
	if (!present && vpci_ecam_window(m, g, gpa))
		return npf_ecam(m, vc, x, gpa);
	if (gpa < NPF_LOW_END && present && x->npf.a.write)
		return npf_zero_write(m, vc, x, gpa);
	return false;
}
