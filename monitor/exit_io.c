// SPDX-License-Identifier: GPL-2.0-only
/* Port I/O exits, decoded by the backend: the virtual platform's ports, and unassigned ones
 * (all ones / dropped, logged once). */
#include <errno.h>

#include "monitor/io.h"
#include "monitor/vio.h"
#include "monitor/x86.h"

static void io_log_once(struct monitor *m, struct guest *g, const struct io_access *a,
			uint64_t value, uint64_t count)
{
	uint8_t bit = (uint8_t)(1u << (a->port % 8));

	/* One test-and-set: two vCPUs on the same port log it once. */
	if (__atomic_fetch_or(&g->io_logged[a->port / 8], bit, __ATOMIC_RELAXED) & bit)
		return;
	/* Once per port, but there are 65536 of them: within the guest's event budget too. */
	if (a->string)
		monitor_guest_event(m, g, "monitor: guest %c: %s unassigned port 0x%x (%u bytes x "
				    "%llu, string): %s",
				    g->letter, a->in ? "in from" : "out to", a->port, a->size,
				    (unsigned long long)count, a->in ? "reads as ones" : "dropped");
	else if (a->in)
		monitor_guest_event(m, g, "monitor: guest %c: in from unassigned port 0x%x (%u "
				    "bytes): reads as ones",
				    g->letter, a->port, a->size);
	else
		monitor_guest_event(m, g, "monitor: guest %c: out to unassigned port 0x%x (%u "
				    "bytes, value 0x%llx): dropped",
				    g->letter, a->port, a->size, (unsigned long long)value);
}

/* Replace the bits of *reg under mask, as an address-sized register update does. */
static void io_assign(uint64_t *reg, uint64_t val, uint64_t mask)
{
	*reg = (*reg & ~mask) | (val & mask);
}

/* Store count elements of all-ones bytes at ES:rDI, as INS from a floating bus would. */
static int io_ins_store(struct monitor *m, struct guest *g, const struct io_access *a,
			struct io_cpu *cpu, uint64_t count, uint64_t mask, bool down)
{
	uint64_t page = 1, page_gpa = 0;	/* page 1 never matches an aligned page */
	uint8_t *host = NULL;			/* page_gpa in the monitor's view */
	uint32_t pf;

	for (uint64_t i = 0; i < count; i++) {
		uint64_t di = cpu->regs->rdi & mask;

		for (unsigned b = 0; b < a->size; b++) {
			uint64_t gva = cpu->es_base + ((di + b) & mask);

			/* A lookup per page, not per byte: the guest chooses how many bytes. */
			if ((gva & ~0xfffULL) != page) {
				if (gva_translate(m, g, &cpu->paging, gva & ~0xfffULL, true,
						  &page_gpa, &pf))
					return -EFAULT;
				page = gva & ~0xfffULL;
				/* Guest RAM comes in whole pages. */
				host = monitor_guest_ptr(m, g, page_gpa & ~0xfffULL, 0x1000);
				if (!host)
					return -EFAULT;
			}
			host[gva & 0xfff] = 0xff;
		}
		io_assign(&cpu->regs->rdi, down ? di - a->size : di + a->size, mask);
	}
	return 0;
}

enum io_result io_emulate(struct monitor *m, struct guest *g, const struct io_access *a,
			  struct io_cpu *cpu)
{
	uint8_t as = a->addr_size ? a->addr_size : cpu->default_addr_size;
	uint64_t mask = as >= 8 ? ~0ULL : (1ULL << (8 * as)) - 1;
	bool down = cpu->rflags & RFLAGS_DF;
	uint64_t count, chunk, step;

	if (!a->string) {
		uint64_t ones = a->size == 4 ? 0xffffffffULL : (1ULL << (8 * a->size)) - 1;
		uint32_t v = (uint32_t)(cpu->regs->rax & ones);

		enum vio_result r = vio_port(m, g, a->port, a->in, a->size, &v);

		if (r != VIO_UNHANDLED) {
			if (a->in && a->size == 4)
				cpu->regs->rax = v;
			else if (a->in)
				cpu->regs->rax = (cpu->regs->rax & ~ones) | (v & ones);
			return r == VIO_RESET ? IO_RESET : IO_DONE;
		}
		io_log_once(m, g, a, cpu->regs->rax & ones, 1);
		if (a->in) {
			/* A 32-bit IN zero-extends into RAX; 8 and 16 bits merge. */
			if (a->size == 4)
				cpu->regs->rax = ones;
			else
				cpu->regs->rax |= ones;
		}
		return IO_DONE;
	}

	count = a->rep ? cpu->regs->rcx & mask : 1;
	io_log_once(m, g, a, 0, count);
	chunk = count > IO_REP_CHUNK ? IO_REP_CHUNK : count;
	if (a->in) {
		if (io_ins_store(m, g, a, cpu, chunk, mask, down) < 0) {
			monitor_guest_stop(m, g, "string input from port 0x%x to memory it "
						 "cannot write (rdi 0x%llx)",
					   a->port, (unsigned long long)cpu->regs->rdi);
			return IO_FAULT;
		}
	} else {
		step = chunk * a->size;
		io_assign(&cpu->regs->rsi, (cpu->regs->rsi & mask) + (down ? -step : step), mask);
	}
	if (a->rep)
		io_assign(&cpu->regs->rcx, count - chunk, mask);
	return count > chunk ? IO_AGAIN : IO_DONE;
}
