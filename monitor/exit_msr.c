// SPDX-License-Identifier: GPL-2.0-only
/* RDMSR/WRMSR exits: the emulated MSRs, #GP for the rest (what exits: monitor/policy.h). */
#include <errno.h>
#include <string.h>

#include "monitor/msr.h"
#include "monitor/x86.h"

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
	case MSR_MISC_ENABLE:
		/* Linux reads it on Intel CPUs before it has an IDT (verify_cpu): a #GP there
		 * is a triple fault. */
		*val = MSR_MISC_ENABLE_GUEST;
		return 0;
	case MSR_EFER:
		*val = st->efer;
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
	uint64_t now = m->plat->now(m->plat->ctx);
	uint32_t before[8];
	int err;

	virq_due_irr(v, before);
	err = vlapic_msr_write(&v->lapic, msr, val, now);
	if (err != -ENOENT) {
		/* An IPI to itself (ICR, SELF_IPI) is due from this write. */
		virq_due_mark(v, before, VIRQ_SRC_IPI, now);
		return err < 0 ? -EPERM : 0;
	}
	switch (msr) {
	case MSR_EFER:
		/* SVME is never the guest's (a reserved bit to it: the SVM backend keeps it
		 * out of what the core sees); LMA is the CPU's; LME may not change while paging
		 * is on. */
		if ((val & ~efer_ok) ||
		    ((st->cr0 & CR0_PG) && ((val ^ st->efer) & EFER_LME)))
			break;
		st->efer = (val & ~EFER_LMA) | (st->efer & EFER_LMA);
		return 0;
	case MSR_PAT:
		if (!msr_pat_valid(val))
			break;
		st->pat = val;
		return 0;
	case MSR_MISC_ENABLE:
		/* Writing back what it read changes nothing; anything else is refused. */
		if (val != MSR_MISC_ENABLE_GUEST)
			break;
		return 0;
	}
	msr_refused(m, g, msr, true, val);
	return -EPERM;
}
