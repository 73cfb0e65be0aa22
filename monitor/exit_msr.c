// SPDX-License-Identifier: GPL-2.0-only
/* RDMSR/WRMSR exits: the permission map, the emulated MSRs, #GP for the rest. */
#include <errno.h>
#include <string.h>

#include "monitor/msr.h"
#include "monitor/svm.h"

enum msr_pass { MSR_PASS_RW, MSR_PASS_READ };

static const struct {
	uint32_t msr;
	enum msr_pass pass;
} msr_allow[] = {
	{ MSR_TSC, MSR_PASS_READ },
	{ MSR_SYSENTER_CS, MSR_PASS_RW },
	{ MSR_SYSENTER_ESP, MSR_PASS_RW },
	{ MSR_SYSENTER_EIP, MSR_PASS_RW },
	{ MSR_STAR, MSR_PASS_RW },
	{ MSR_LSTAR, MSR_PASS_RW },
	{ MSR_CSTAR, MSR_PASS_RW },
	{ MSR_SFMASK, MSR_PASS_RW },
	{ MSR_FS_BASE, MSR_PASS_RW },
	{ MSR_GS_BASE, MSR_PASS_RW },
	{ MSR_KERNEL_GS_BASE, MSR_PASS_RW },
};

/* The bit offset of msr's read bit in the map, or -1 when no map bit covers it. */
static long msrpm_bit(uint32_t msr)
{
	if (msr <= 0x1fff)
		return (long)msr * 2;
	if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		return 0x800 * 8 + (long)(msr - 0xc0000000) * 2;
	if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		return 0x1000 * 8 + (long)(msr - 0xc0010000) * 2;
	return -1;
}

int msrpm_allow(uint8_t *msrpm, uint32_t msr, bool read, bool write)
{
	long bit = msrpm_bit(msr);

	if (bit < 0)
		return -EINVAL;
	if (read)
		msrpm[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		msrpm[(bit + 1) / 8] &= (uint8_t)~(1u << ((bit + 1) % 8));
	return 0;
}

int msrpm_build(uint8_t *msrpm, size_t size)
{
	if (!msrpm || size < MSRPM_SIZE)
		return -EINVAL;
	memset(msrpm, 0xff, MSRPM_SIZE);
	for (size_t i = 0; i < sizeof(msr_allow) / sizeof(msr_allow[0]); i++)
		msrpm_allow(msrpm, msr_allow[i].msr, true, msr_allow[i].pass == MSR_PASS_RW);
	return 0;
}

bool msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write)
{
	long bit = msrpm_bit(msr);

	if (bit < 0)
		return true;
	bit += write;
	return (msrpm[bit / 8] >> (bit % 8)) & 1;
}

static void msr_refused(struct monitor *m, struct guest *g, uint32_t msr, bool write,
			uint64_t val)
{
	/* Any of its vCPUs may get here at once: two that both saw room would write past the
	 * list's end. */
	spinlock_lock(&g->logged_lock);
	for (size_t i = 0; i < g->nr_msr_logged; i++)
		if (g->msr_logged[i] == msr)
			goto out;
	if (g->nr_msr_logged >= GUEST_MSR_LOG_MAX) {
		if (!g->msr_log_full)
			monitor_log(m, "monitor: guest %c: more refused MSRs, no longer logged",
				    g->letter);
		g->msr_log_full = true;
		goto out;
	}
	g->msr_logged[g->nr_msr_logged++] = msr;
	if (write)
		monitor_log(m, "monitor: guest %c: wrmsr 0x%x value 0x%llx refused (#GP)",
			    g->letter, msr, (unsigned long long)val);
	else
		monitor_log(m, "monitor: guest %c: rdmsr 0x%x refused (#GP)", g->letter, msr);
out:
	spinlock_unlock(&g->logged_lock);
}

/* Each PAT entry must be a defined memory type: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-. */
static bool msr_pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

int msr_read(struct monitor *m, struct vcpu *v, uint32_t msr, const struct msr_guest *st,
	     uint64_t *val)
{
	struct guest *g = v->g;
	int err = vlapic_msr_read(&v->lapic, msr, m->plat->now(m->plat->ctx), val);

	if (err != -ENOENT)
		return err < 0 ? -EPERM : 0;
	switch (msr) {
	case MSR_MTRRCAP:
	case MSR_MTRR_DEF_TYPE:
	case MSR_K8_INT_PENDING:
		/* No MTRRs (memory types are the monitor's), no C1E interrupt message. */
		*val = 0;
		return 0;
	case MSR_EFER:
		*val = st->efer & ~EFER_SVME;
		return 0;
	case MSR_PAT:
		*val = st->pat;
		return 0;
	}
	msr_refused(m, g, msr, false, 0);
	return -EPERM;
}

int msr_write(struct monitor *m, struct vcpu *v, uint32_t msr, struct msr_guest *st,
	      uint64_t val)
{
	const uint64_t efer_ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSR;
	struct guest *g = v->g;
	int err = vlapic_msr_write(&v->lapic, msr, val, m->plat->now(m->plat->ctx));

	if (err != -ENOENT)
		return err < 0 ? -EPERM : 0;
	switch (msr) {
	case MSR_EFER:
		/* SVME is hidden (writing it is a reserved bit to the guest); LMA is the CPU's;
		 * LME may not change while paging is on. */
		if ((val & ~efer_ok) ||
		    ((st->cr0 & CR0_PG) && ((val ^ st->efer) & EFER_LME)))
			break;
		st->efer = (val & ~EFER_LMA) | (st->efer & EFER_LMA) | EFER_SVME;
		return 0;
	case MSR_PAT:
		if (!msr_pat_valid(val))
			break;
		st->pat = val;
		return 0;
	}
	msr_refused(m, g, msr, true, val);
	return -EPERM;
}
