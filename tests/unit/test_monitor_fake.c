// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/test_fake.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/gboot.h"
#include "monitor/msr.h"
#include "monitor/svm/svm.h"

static void fake_log(void *ctx, const char *line)
{
	struct fake *f = ctx;

	if (f->nlog < FAKE_LOG_LINES)
		snprintf(f->log[f->nlog++], FAKE_LOG_LEN, "%s", line);
}

void *fake_phys(struct fake *f, uint64_t pa)
{
	if (pa >= FAKE_RAM_BASE && pa - FAKE_RAM_BASE < FAKE_RAM_SIZE)
		return f->ram + (pa - FAKE_RAM_BASE);
	if (pa >= FAKE_POOL_BASE && pa - FAKE_POOL_BASE < FAKE_POOL_SIZE)
		return f->pool + (pa - FAKE_POOL_BASE);
	return NULL;
}

static void *fake_phys_cb(void *ctx, uint64_t pa, uint64_t len)
{
	struct fake *f = ctx;
	uint8_t *p = fake_phys(f, pa);

	/* The whole range must be in the same simulated block. */
	if (!p || (len && fake_phys(f, pa + len - 1) != p + len - 1))
		return NULL;
	return p;
}

static uint64_t fake_now(void *ctx)
{
	struct fake *f = ctx;

	f->now += f->now_step;
	return f->now;
}

static void fake_arm(void *ctx, uint64_t deadline)
{
	((struct fake *)ctx)->armed = deadline;
}

static void fake_idle(void *ctx, uint64_t deadline)
{
	struct fake *f = ctx;

	if (f->now < deadline)
		f->now = deadline;
}

static void fake_take(void *ctx)
{
	((struct fake *)ctx)->interrupts_taken++;
}

static void fake_switch(void *ctx, struct vcpu *from, struct vcpu *to)
{
	spec_switch(&((struct fake *)ctx)->spec, from, to);
}

static uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
	struct fake *f = ctx;

	return msr == MSR_SPEC_CTRL ? f->msr_spec_ctrl : 0;
}

static void fake_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
	struct fake *f = ctx;

	if (msr == MSR_SPEC_CTRL) {
		f->msr_spec_ctrl = val;
		f->spec_ctrl_writes++;
	} else if (msr == MSR_PRED_CMD && val == PRED_CMD_IBPB) {
		f->ibpbs++;
	}
}

void fake_spec_probe(struct fake *f)
{
	spec_caps_probe(fake_cpuid, f, &f->spec.caps);
}

void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	const struct fake *f = ctx;

	memset(out, 0, sizeof(*out));
	switch (leaf) {
	case 0:
		*out = (struct cpuid_regs){ 0x10, 0x68747541, 0x444d4163, 0x69746e65 };
		break;
	case 1:
		/* APIC id 3, 8 logical CPUs; SSE3, MONITOR, x2APIC, TSC-deadline, XSAVE,
		 * OSXSAVE (the monitor's CR4); FPU, MCE, MCA, FXSR, HTT. */
		out->eax = 0x00a00f11;
		out->ebx = 0x03080800;
		out->ecx = 0x1 | (1u << 3) | (1u << 21) | (1u << 24) | (1u << 26) | (1u << 27);
		out->edx = 0x1 | (1u << 7) | (1u << 14) | (1u << 24) | (1u << 28);
		break;
	case 7:
		if (subleaf == 0)
			*out = (struct cpuid_regs){ 0, 0x219c07ab, (1u << 4) | (1u << 5) |
								 (1u << 22) | 1u,
						    f ? f->cpuid_7_edx : 0 };
		break;
	case 0xd:
		if (subleaf == 1)
			out->eax = 0xf;	/* XSAVEOPT, XSAVEC, XGETBV1, XSAVES */
		break;
	case 0x80000001:
		out->ecx = 0x1 | (1u << 1) | (1u << 2) | (1u << 12) | (1u << 29);
		out->edx = (1u << 26) | (1u << 27) | (1u << 29);
		break;
	case 0x80000000:
		*out = (struct cpuid_regs){ 0x8000001f, 0x68747541, 0x444d4163, 0x69746e65 };
		break;
	case 0x80000008:
		out->eax = 0x3030;
		out->ebx = f ? f->cpuid_88_ebx : 0;
		out->ecx = 0x7007;	/* 8 cores, ApicIdCoreIdSize 7 */
		break;
	case 0x8000000a:
		*out = (struct cpuid_regs){ 1, 16, 0, 0x9 };
		break;
	case 0x8000001f:
		*out = (struct cpuid_regs){ 0x1, 0x2f, 0, 0 };
		break;
	}
}

static struct fake *fake_of(struct monitor *m)
{
	return (struct fake *)((char *)m - offsetof(struct fake, m));
}

void fake_inject(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev)
{
	struct fake *f = fake_of(m);

	if (f->ninject < FAKE_MAX_INJECT) {
		f->inject[f->ninject] = *ev;
		f->inject_guest[f->ninject] = v->g->id;
	}
	f->ninject++;
}

bool fake_interruptible(struct monitor *m, struct vcpu *v)
{
	struct fake *f = fake_of(m);

	f->interruptible_calls++;
	return f->interruptible;
}

void fake_irq_window(struct monitor *m, struct vcpu *v, bool on)
{
	struct fake *f = fake_of(m);

	f->irq_window = on;
	f->irq_window_calls++;
}

const struct vcpu_ops fake_vops = {
	.name = "fake",
	.inject = fake_inject,
	.interruptible = fake_interruptible,
	.irq_window = fake_irq_window,
	.get = svm_vcpu_get,
	.set = svm_vcpu_set,
	.advance = svm_vcpu_advance,
	.exit_name = svm_vcpu_exit_name,
};

bool fake_npf_emulate(struct fake *f)
{
	struct vcpu *vc = &f->m.guest[0].vcpu[0];
	struct vcpu_exit x;

	f->vcpu->vmcb->control.exit_code = SVM_EXIT_NPF;
	if (svm_exit_decode(&f->m, vc, &x) < 0)
		return false;
	return exit_npf_emulate(&f->m, vc, &x);
}

const struct vcpu_ops fake_svm_vops = {
	.name = "svm",
	.handle_exit = svm_exit_dispatch,
	.inject = svm_vcpu_inject,
	.interruptible = svm_vcpu_interruptible,
	.event_queued = svm_vcpu_event_queued,
	.irq_window = svm_vcpu_irq_window,
	.dump = svm_dump,
	.get = svm_vcpu_get,
	.set = svm_vcpu_set,
	.advance = svm_vcpu_advance,
	.exit_name = svm_vcpu_exit_name,
};

static uint32_t fake_device_irqs(void *ctx, uint32_t lines)
{
	struct fake *f = ctx;
	uint32_t pins = (f->device_pending | (f->asserted & ~f->pin_masked)) & lines;

	f->device_pending &= ~lines;
	/* What the interrupt handler does: a level line that fired is masked. */
	for (unsigned pin = 16; pin < 32; pin++)
		if (pins & (1u << pin))
			f->pin_masked |= 1u << pin;
	f->fired += (unsigned)__builtin_popcount(pins);
	return pins;
}

/* Configuration mechanism #1 on the simulated function (cfg_on). */
static void fake_cfg_io(struct fake *f, uint16_t port, bool in, uint8_t size, uint32_t *val)
{
	uint16_t reg = (uint16_t)((f->cfg_addr & 0xfc) + (port - 0xcfc));
	bool hit = (f->cfg_addr & 0x80000000u) && ((f->cfg_addr >> 8) & 0xffff) == f->cfg_bdf;

	if (port == 0xcf8) {
		if (in)
			*val = f->cfg_addr;
		else
			f->cfg_addr = *val;
		return;
	}
	if (in) {
		*val = 0;
		for (unsigned i = 0; i < size; i++)
			*val |= (uint32_t)(hit ? f->cfg[(reg + i) & 0xff] : 0xff) << (8 * i);
		f->cfg_reads += hit;
		return;
	}
	if (!hit)
		return;
	for (unsigned i = 0; i < size; i++) {
		uint8_t *b = &f->cfg[(reg + i) & 0xff], wm = f->cfg_wmask[(reg + i) & 0xff];

		*b = (uint8_t)((*b & ~wm) | ((*val >> (8 * i)) & wm));
	}
	f->cfg_writes++;
	if (f->cfg_written)
		f->cfg_written(f, reg, size);
}

static void fake_port_io(void *ctx, uint16_t port, bool in, uint8_t size, uint32_t *val)
{
	struct fake *f = ctx;

	f->port_io_port = port;
	f->port_io_in = in;
	f->port_io_size = size;
	if (f->cfg_on && ((port == 0xcf8 && size == 4) || (port >= 0xcfc && port <= 0xcff)))
		fake_cfg_io(f, port, in, size, val);
	else if (in)
		*val = f->port_io_value;
	if (!in)
		f->port_io_written = *val;
	f->port_io_count++;
	if (f->port_io_log_n < FAKE_PORT_LOG)
		f->port_io_log[f->port_io_log_n++] = (struct fake_port_access){ port, in, size, *val };
}

static void fake_take_msi(void *ctx, uint64_t *pending, uint32_t guests)
{
	struct fake *f = ctx;

	for (unsigned i = 0; i < IRQ_MSI_WORDS; i++) {
		pending[i] = (guests >> i) & 1 ? f->msi_pending[i] : 0;
		if ((guests >> i) & 1)
			f->msi_pending[i] = 0;
	}
}

static void fake_mmio(void *ctx, uint64_t pa, bool write, uint8_t size, uint64_t *val)
{
	struct fake *f = ctx;
	bool hit = f->bar_on && pa >= FAKE_BAR_BASE &&
		   pa - FAKE_BAR_BASE <= (uint64_t)(FAKE_BAR_SIZE - size);
	uint64_t off = pa - FAKE_BAR_BASE;

	if (!write) {
		*val = 0;
		for (unsigned i = 0; i < size; i++)
			*val |= (uint64_t)(hit ? f->bar[off + i] : 0xff) << (8 * i);
		f->mmio_reads += hit;
		return;
	}
	if (!hit)
		return;
	for (unsigned i = 0; i < size; i++)
		f->bar[off + i] = (uint8_t)(*val >> (8 * i));
	f->mmio_writes++;
	if (f->mmio_written)
		f->mmio_written(f, off, size);
}

static void fake_mask(void *ctx, unsigned pin, bool masked)
{
	struct fake *f = ctx;

	if (masked) {
		f->masked |= 1u << pin;
		f->pin_masked |= 1u << pin;
	} else {
		f->unmasked |= 1u << pin;
		f->pin_masked &= ~(1u << pin);
	}
}

static void fake_kick(void *ctx, unsigned cpu)
{
	struct fake *f = ctx;

	f->kicked |= 1ULL << cpu;
	f->kicks++;
}

static bool fake_level(void *ctx, unsigned pin)
{
	return pin >= 16;
}

struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct monitor_guest_boot b = { 0 };
	void *va;
	int err;

	f->ram = calloc(1, FAKE_RAM_SIZE);
	f->pool = aligned_alloc(4096, FAKE_POOL_SIZE);
	memset(f->pool, 0xa5, FAKE_POOL_SIZE);
	f->plat = (struct monitor_platform){ fake_now,	 fake_arm,    fake_idle,  fake_take,
					     fake_switch, fake_cpuid, f,	  fake_device_irqs,
					     fake_mask,	  fake_level, fake_port_io,
					     fake_take_msi, fake_mmio, NULL, NULL, NULL };
	f->plat.kick = fake_kick;
	f->m.plat = &f->plat;
	f->m.log = fake_log;
	f->m.log_ctx = f;
	f->m.vops = &fake_svm_vops;
	f->m.phys = fake_phys_cb;
	f->m.phys_ctx = f;
	f->m.tsc_khz = 2000000;
	f->irq_window = -1;
	f->m.nr_cpus = 1;
	f->m.cpu[0].m = &f->m;
	sched_init(&f->m.cpu[0].sched);
	monitor_pool_init(&f->m.pool, FAKE_POOL_BASE, FAKE_POOL_SIZE);

	f->ram_range = (struct partition_range){ FAKE_RAM_BASE, FAKE_RAM_BASE + FAKE_RAM_SIZE };
	b.present = true;
	b.letter = 'a';
	b.name = "fake";
	b.ram = &f->ram_range;
	b.nr_ram = 1;
	b.slice_us = 1000;
	err = monitor_guest_init(&f->m, 0, &b);
	f->vcpu = calloc(1, sizeof(*f->vcpu));
	if (!f->vcpu)
		err = -ENOMEM;
	else
		err |= monitor_pool_alloc(&f->m, 4096, 4096, &f->vcpu->vmcb_pa, &va);
	if (err) {
		fake_free(f);
		return NULL;
	}
	f->vcpu->vmcb = va;
	f->vcpu->asid = 1;
	f->m.guest[0].vcpu[0].arch = f->vcpu;
	f->spec = (struct spec_cpu){ .rdmsr = fake_rdmsr, .wrmsr = fake_wrmsr, .ctx = f };
	fake_spec_probe(f);
	return f;
}

int fake_long_mode(struct fake *f, uint64_t rip)
{
	struct gboot_layout l;
	struct vcpu_start st;

	if (gboot_build(f->ram, FAKE_RAM_BASE, 3, &f->ram_range, 1, &l))
		return -1;
	gboot_start_state(&l, rip, FAKE_RAM_BASE + 0x2000, &st);
	st.npt_root = 0x20000000;
	st.iopm_pa = 0x20010000;
	if (svm_vmcb_init(f->vcpu->vmcb, 1, 0x20020000, &st))
		return -1;
	return sched_add(&f->m.cpu[0].sched, 0, 1000) ? -1 : 0;
}

void fake_free(struct fake *f)
{
	if (!f)
		return;
	free(f->vcpu);
	free(f->ram);
	free(f->pool);
	free(f);
}

int fake_log_find(const struct fake *f, const char *text)
{
	for (size_t i = 0; i < f->nlog; i++)
		if (strstr(f->log[i], text))
			return (int)i;
	return -1;
}

unsigned fake_log_count(const struct fake *f, const char *text)
{
	unsigned n = 0;

	for (size_t i = 0; i < f->nlog; i++)
		n += strstr(f->log[i], text) != NULL;
	return n;
}
