// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control words from the VMX capability MSRs (SDM vol. 3D, appendix A, "VMX-Fixed Bits
 * in Control Registers" and the control MSRs; the algorithm of "Algorithms for Determining
 * VMX Capabilities" with the TRUE MSRs). What the monitor asks for follows the policy the SVM
 * backend intercepts today: external interrupts and NMIs, HLT, port I/O and MSRs through
 * bitmaps, WBINVD, MONITOR/MWAIT; EPT, VPID and unrestricted guest so guests start in
 * real or 32-bit mode as on SVM. Host interrupts are not acknowledged on exit: they stay
 * pending and arrive through the monitor's IDT, as after an SVM INTR exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "monitor/vmx/vmx_caps.h"
#include "monitor/vmx/vmx_vmcs.h"
#include "partition/npt.h"

#define CR0_PE (1ULL << 0)
#define CR0_PG (1ULL << 31)

struct vmx_bit_name {
	uint32_t bit;
	const char *name;
};

/*
 * What the monitor wants of one control word. toggled: bits the backend sets and clears
 * while running, so the CPU must allow both settings; toggled bits start clear.
 */
struct vmx_ctl_spec {
	const char *name;
	const char *msr, *true_msr;
	uint32_t required, optional, toggled, forbidden;
	const struct vmx_bit_name *names;
};

static const struct vmx_bit_name vmx_pin_names[] = {
	{ VMX_PIN_EXT_INTR, "external-interrupt exiting" },
	{ VMX_PIN_NMI, "NMI exiting" },
	{ VMX_PIN_VIRTUAL_NMI, "virtual NMIs" },
	{ VMX_PIN_PREEMPTION_TIMER, "VMX-preemption timer" },
	{ VMX_PIN_POSTED_INTR, "process posted interrupts" },
	{ 0, NULL },
};

static const struct vmx_bit_name vmx_proc_names[] = {
	{ VMX_PROC_INTR_WINDOW, "interrupt-window exiting" },
	{ VMX_PROC_HLT, "HLT exiting" },
	{ VMX_PROC_MWAIT, "MWAIT exiting" },
	{ VMX_PROC_TERTIARY, "activate tertiary controls" },
	{ VMX_PROC_TPR_SHADOW, "use TPR shadow" },
	{ VMX_PROC_NMI_WINDOW, "NMI-window exiting" },
	{ VMX_PROC_IO_BITMAPS, "use I/O bitmaps" },
	{ VMX_PROC_MTF, "monitor trap flag" },
	{ VMX_PROC_MSR_BITMAPS, "use MSR bitmaps" },
	{ VMX_PROC_MONITOR, "MONITOR exiting" },
	{ VMX_PROC_SECONDARY, "activate secondary controls" },
	{ 0, NULL },
};

static const struct vmx_bit_name vmx_proc2_names[] = {
	{ VMX_PROC2_APIC_ACCESS, "virtualize APIC accesses" },
	{ VMX_PROC2_EPT, "enable EPT" },
	{ VMX_PROC2_RDTSCP, "enable RDTSCP" },
	{ VMX_PROC2_VPID, "enable VPID" },
	{ VMX_PROC2_WBINVD, "WBINVD exiting" },
	{ VMX_PROC2_UNRESTRICTED, "unrestricted guest" },
	{ VMX_PROC2_INVPCID, "enable INVPCID" },
	{ VMX_PROC2_VMFUNC, "enable VM functions" },
	{ VMX_PROC2_VMCS_SHADOW, "VMCS shadowing" },
	{ VMX_PROC2_PML, "enable PML" },
	{ VMX_PROC2_EPT_VE, "EPT-violation #VE" },
	{ VMX_PROC2_XSAVES, "enable XSAVES/XRSTORS" },
	{ 0, NULL },
};

static const struct vmx_bit_name vmx_exit_names[] = {
	{ VMX_EXIT_CTL_SAVE_DEBUG, "save debug controls" },
	{ VMX_EXIT_CTL_HOST_64, "host address-space size" },
	{ VMX_EXIT_CTL_ACK_INTR, "acknowledge interrupt on exit" },
	{ VMX_EXIT_CTL_SAVE_PAT, "save IA32_PAT" },
	{ VMX_EXIT_CTL_LOAD_PAT, "load IA32_PAT" },
	{ VMX_EXIT_CTL_SAVE_EFER, "save IA32_EFER" },
	{ VMX_EXIT_CTL_LOAD_EFER, "load IA32_EFER" },
	{ VMX_EXIT_CTL_SAVE_PREEMPTION, "save VMX-preemption timer value" },
	{ 0, NULL },
};

static const struct vmx_bit_name vmx_entry_names[] = {
	{ VMX_ENTRY_CTL_LOAD_DEBUG, "load debug controls" },
	{ VMX_ENTRY_CTL_IA32E_GUEST, "IA-32e mode guest" },
	{ VMX_ENTRY_CTL_SMM, "entry to SMM" },
	{ VMX_ENTRY_CTL_DUAL_MONITOR_OFF, "deactivate dual-monitor treatment" },
	{ VMX_ENTRY_CTL_LOAD_PAT, "load IA32_PAT" },
	{ VMX_ENTRY_CTL_LOAD_EFER, "load IA32_EFER" },
	{ 0, NULL },
};

static const struct vmx_ctl_spec vmx_pin_spec = {
	.name = "pin-based",
	.msr = "IA32_VMX_PINBASED_CTLS",
	.true_msr = "IA32_VMX_TRUE_PINBASED_CTLS",
	.required = VMX_PIN_EXT_INTR | VMX_PIN_NMI,
	.optional = VMX_PIN_VIRTUAL_NMI,
	.forbidden = VMX_PIN_POSTED_INTR,
	.names = vmx_pin_names,
};

static const struct vmx_ctl_spec vmx_proc_spec = {
	.name = "primary processor-based",
	.msr = "IA32_VMX_PROCBASED_CTLS",
	.true_msr = "IA32_VMX_TRUE_PROCBASED_CTLS",
	.required = VMX_PROC_HLT | VMX_PROC_IO_BITMAPS | VMX_PROC_MSR_BITMAPS |
		    VMX_PROC_SECONDARY,
	/* A CPU without them has no MONITOR/MWAIT: the guest gets #UD either way. */
	.optional = VMX_PROC_MWAIT | VMX_PROC_MONITOR,
	.toggled = VMX_PROC_INTR_WINDOW,
	.forbidden = VMX_PROC_TERTIARY | VMX_PROC_TPR_SHADOW | VMX_PROC_MTF,
	.names = vmx_proc_names,
};

static const struct vmx_ctl_spec vmx_proc2_spec = {
	.name = "secondary processor-based",
	.msr = "IA32_VMX_PROCBASED_CTLS2",
	.true_msr = "IA32_VMX_PROCBASED_CTLS2",	/* it has no TRUE variant */
	.required = VMX_PROC2_EPT | VMX_PROC2_VPID | VMX_PROC2_UNRESTRICTED | VMX_PROC2_WBINVD,
	/*
	 * Without it INVPCID is #UD in the guest: CPUID must then not offer it. RDTSCP and
	 * XSAVES stay off: the CPUID face hides them (monitor/cpuid.c), so they are #UD as on
	 * a CPU without them.
	 */
	.optional = VMX_PROC2_INVPCID,
	.forbidden = VMX_PROC2_APIC_ACCESS | VMX_PROC2_VMFUNC | VMX_PROC2_VMCS_SHADOW |
		     VMX_PROC2_PML | VMX_PROC2_EPT_VE | VMX_PROC2_RDTSCP | VMX_PROC2_XSAVES,
	.names = vmx_proc2_names,
};

static const struct vmx_ctl_spec vmx_exit_spec = {
	.name = "VM-exit",
	.msr = "IA32_VMX_EXIT_CTLS",
	.true_msr = "IA32_VMX_TRUE_EXIT_CTLS",
	/* The guest's DR7/DEBUGCTL, PAT and EFER go out with the exit; the host's come back. */
	.required = VMX_EXIT_CTL_SAVE_DEBUG | VMX_EXIT_CTL_HOST_64 | VMX_EXIT_CTL_SAVE_PAT |
		    VMX_EXIT_CTL_LOAD_PAT | VMX_EXIT_CTL_SAVE_EFER | VMX_EXIT_CTL_LOAD_EFER,
	.forbidden = VMX_EXIT_CTL_ACK_INTR,
	.names = vmx_exit_names,
};

static const struct vmx_ctl_spec vmx_entry_spec = {
	.name = "VM-entry",
	.msr = "IA32_VMX_ENTRY_CTLS",
	.true_msr = "IA32_VMX_TRUE_ENTRY_CTLS",
	.required = VMX_ENTRY_CTL_LOAD_DEBUG | VMX_ENTRY_CTL_LOAD_PAT | VMX_ENTRY_CTL_LOAD_EFER,
	.toggled = VMX_ENTRY_CTL_IA32E_GUEST,
	.forbidden = VMX_ENTRY_CTL_SMM | VMX_ENTRY_CTL_DUAL_MONITOR_OFF,
	.names = vmx_entry_names,
};

static int vmx_fail(struct vmx_caps *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int vmx_fail(struct vmx_caps *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	return -ENODEV;
}

static const char *vmx_bit_name(const struct vmx_bit_name *names, uint32_t bit)
{
	for (; names->name; names++)
		if (names->bit == bit)
			return names->name;
	return "unnamed";
}

static unsigned vmx_lowest_bit(uint32_t bits)
{
	unsigned n = 0;

	while (!(bits & 1)) {
		bits >>= 1;
		n++;
	}
	return n;
}

static int vmx_ctl_derive(struct vmx_caps *c, const struct vmx_ctl_spec *s, uint64_t msr,
			  bool use_true, struct vmx_ctl *out)
{
	const char *msr_name = use_true ? s->true_msr : s->msr;
	uint32_t allowed0 = (uint32_t)msr, allowed1 = (uint32_t)(msr >> 32);
	uint32_t missing = (s->required | s->toggled) & ~allowed1;
	uint32_t stuck = (s->forbidden | s->toggled) & allowed0;
	unsigned b;

	if (allowed0 & ~allowed1)
		return vmx_fail(c, "vmx: %s = 0x%llx contradicts itself (bits that must be 1 "
			       "cannot be 1)", msr_name, (unsigned long long)msr);
	if (missing) {
		b = vmx_lowest_bit(missing);
		return vmx_fail(c, "vmx: the CPU cannot set %s control bit %u (%s) (%s = 0x%llx)",
				s->name, b, vmx_bit_name(s->names, 1u << b), msr_name,
				(unsigned long long)msr);
	}
	if (stuck) {
		b = vmx_lowest_bit(stuck);
		return vmx_fail(c, "vmx: the CPU cannot clear %s control bit %u (%s) (%s = 0x%llx)",
				s->name, b, vmx_bit_name(s->names, 1u << b), msr_name,
				(unsigned long long)msr);
	}
	out->allowed0 = allowed0;
	out->allowed1 = allowed1;
	out->value = allowed0 | s->required | (s->optional & allowed1);
	return 0;
}

/* A bit the backend may turn on and off: settable, and not forced on. */
static bool vmx_ctl_can_toggle(const struct vmx_ctl *ctl, uint32_t bit)
{
	return (ctl->allowed1 & bit) && !(ctl->allowed0 & bit);
}

static int vmx_basic(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint64_t size = (m->basic & VMX_BASIC_SIZE_MASK) >> VMX_BASIC_SIZE_SHIFT;
	uint64_t mt = (m->basic & VMX_BASIC_MT_MASK) >> VMX_BASIC_MT_SHIFT;

	c->revision = (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK);
	if (!size || size > 4096)
		return vmx_fail(c, "vmx: VMCS size %llu out of range (IA32_VMX_BASIC = 0x%llx)",
				(unsigned long long)size, (unsigned long long)m->basic);
	c->region_size = (uint32_t)size;
	if (m->basic & VMX_BASIC_ADDR32)
		return vmx_fail(c, "vmx: the CPU limits VMXON and VMCS addresses to 32 bits "
			       "(IA32_VMX_BASIC bit 48)");
	if (mt != VMX_MT_WB)
		return vmx_fail(c, "vmx: VMCS memory type %llu, not write-back (IA32_VMX_BASIC "
			       "bits 53:50)", (unsigned long long)mt);
	c->ins_outs_info = m->basic & VMX_BASIC_INS_OUTS_INFO;
	c->true_ctls = m->basic & VMX_BASIC_TRUE_CTLS;
	c->no_error_code_check = m->basic & VMX_BASIC_NO_ERROR_CODE_CHECK;
	return 0;
}

static int vmx_ept_vpid(const struct vmx_msrs *m, struct vmx_caps *c)
{
	uint64_t cap = m->ept_vpid_cap;
	static const struct {
		uint64_t bit;
		const char *what;
	} need[] = {
		{ VMX_EPT_WALK_4, "EPT 4-level walks (bit 6)" },
		{ VMX_EPT_WB, "write-back EPT tables (bit 14)" },
		{ VMX_EPT_INVEPT, "INVEPT (bit 20)" },
		{ VMX_VPID_INVVPID, "INVVPID (bit 32)" },
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!(cap & need[i].bit))
			return vmx_fail(c, "vmx: no %s (IA32_VMX_EPT_VPID_CAP = 0x%llx)",
					need[i].what, (unsigned long long)cap);
	if (cap & VMX_EPT_INVEPT_SINGLE)
		c->invept_type = VMX_INVEPT_SINGLE;
	else if (cap & VMX_EPT_INVEPT_ALL)
		c->invept_type = VMX_INVEPT_ALL;
	else
		return vmx_fail(c, "vmx: INVEPT has neither single-context nor all-context "
			       "invalidation (IA32_VMX_EPT_VPID_CAP = 0x%llx)",
			       (unsigned long long)cap);
	if (cap & VMX_VPID_INVVPID_SINGLE)
		c->invvpid_type = VMX_INVVPID_SINGLE;
	else if (cap & VMX_VPID_INVVPID_ALL)
		c->invvpid_type = VMX_INVVPID_ALL;
	else
		return vmx_fail(c, "vmx: INVVPID has neither single-context nor all-context "
			       "invalidation (IA32_VMX_EPT_VPID_CAP = 0x%llx)",
			       (unsigned long long)cap);
	c->invvpid_addr = cap & VMX_VPID_INVVPID_ADDR;
	c->ept_2m = cap & VMX_EPT_2M;
	c->ept_1g = cap & VMX_EPT_1G;
	c->ept_ad = cap & VMX_EPT_AD;
	c->pt_flags = (c->ept_2m ? 0 : NPT_NO_2M) | (c->ept_1g ? 0 : NPT_NO_1G);
	return 0;
}

static int vmx_crs(const struct vmx_msrs *m, struct vmx_caps *c)
{
	if (m->cr0_fixed0 & ~m->cr0_fixed1)
		return vmx_fail(c, "vmx: IA32_VMX_CR0_FIXED0 = 0x%llx has bits FIXED1 = 0x%llx "
			       "forbids", (unsigned long long)m->cr0_fixed0,
			       (unsigned long long)m->cr0_fixed1);
	if (m->cr4_fixed0 & ~m->cr4_fixed1)
		return vmx_fail(c, "vmx: IA32_VMX_CR4_FIXED0 = 0x%llx has bits FIXED1 = 0x%llx "
			       "forbids", (unsigned long long)m->cr4_fixed0,
			       (unsigned long long)m->cr4_fixed1);
	c->cr0_fixed0 = m->cr0_fixed0;
	c->cr0_fixed1 = m->cr0_fixed1;
	c->cr4_fixed0 = m->cr4_fixed0;
	c->cr4_fixed1 = m->cr4_fixed1;
	/* Unrestricted guest (required above) lets a guest run with paging or protection off. */
	c->guest_cr0_set = m->cr0_fixed0 & ~(CR0_PE | CR0_PG);
	/*
	 * The monitor owns every bit the guest cannot set freely: the forced ones (CR0.NE,
	 * CR4.VMXE) and the ones the CPU cannot set. A guest write that differs from its read
	 * shadow there exits; the guest reads its shadow, so CR4.VMXE reads clear.
	 */
	c->cr0_mask = (c->guest_cr0_set | ~m->cr0_fixed1) & 0xffffffffULL;
	c->cr4_mask = (m->cr4_fixed0 | ~m->cr4_fixed1) & 0xffffffffULL;
	return 0;
}

int vmx_caps_derive(const struct vmx_msrs *m, struct vmx_caps *c)
{
	bool t;
	int err;

	memset(c, 0, sizeof(*c));
	err = vmx_basic(m, c);
	if (err)
		return err;
	t = c->true_ctls;
	err = vmx_ctl_derive(c, &vmx_pin_spec, t ? m->true_pinbased : m->pinbased, t, &c->pin);
	if (!err)
		err = vmx_ctl_derive(c, &vmx_proc_spec, t ? m->true_procbased : m->procbased, t,
				     &c->proc);
	if (!err)
		err = vmx_ctl_derive(c, &vmx_proc2_spec, m->procbased2, false, &c->proc2);
	if (!err)
		err = vmx_ctl_derive(c, &vmx_exit_spec, t ? m->true_exit : m->exit, t, &c->exit);
	if (!err)
		err = vmx_ctl_derive(c, &vmx_entry_spec, t ? m->true_entry : m->entry, t,
				     &c->entry);
	if (!err)
		err = vmx_ept_vpid(m, c);
	if (!err)
		err = vmx_crs(m, c);
	if (err)
		return err;

	c->invpcid = c->proc2.value & VMX_PROC2_INVPCID;
	c->nmi_window = (c->pin.value & VMX_PIN_VIRTUAL_NMI) &&
			vmx_ctl_can_toggle(&c->proc, VMX_PROC_NMI_WINDOW);
	c->preemption_timer = vmx_ctl_can_toggle(&c->pin, VMX_PIN_PREEMPTION_TIMER);
	if (c->preemption_timer && (c->exit.allowed1 & VMX_EXIT_CTL_SAVE_PREEMPTION))
		c->exit.value |= VMX_EXIT_CTL_SAVE_PREEMPTION;
	c->timer_rate = (unsigned)(m->misc & VMX_MISC_TIMER_RATE_MASK);
	c->lma_stored = m->misc & VMX_MISC_STORES_LMA;
	c->wait_sipi = m->misc & VMX_MISC_ACTIVITY_WAIT_SIPI;
	return 0;
}

int vmx_feature_control(uint64_t fc, bool *write, uint64_t *value, char *err, size_t len)
{
	*write = false;
	*value = fc;
	if (fc & VMX_FC_LOCK) {
		if (fc & VMX_FC_VMXON_OUTSIDE_SMX)
			return 0;
		fmt_snprintf(err, len, "vmx: the firmware locked IA32_FEATURE_CONTROL (0x%llx) with "
			     "VMX off outside SMX: enable Intel VT-x in its setup",
			     (unsigned long long)fc);
		return -ENODEV;
	}
	/* Not VMXON inside SMX: setting that bit faults on a CPU without SMX. */
	*value = fc | VMX_FC_LOCK | VMX_FC_VMXON_OUTSIDE_SMX;
	*write = true;
	return 0;
}

void vmx_vmxon_crs(const struct vmx_caps *c, uint64_t cr0, uint64_t cr4, uint64_t *cr0_out,
		   uint64_t *cr4_out)
{
	*cr0_out = (cr0 | c->cr0_fixed0) & c->cr0_fixed1;
	*cr4_out = (cr4 | c->cr4_fixed0) & c->cr4_fixed1;
}

uint64_t vmx_guest_cr0(const struct vmx_caps *c, uint64_t cr0)
{
	return (cr0 | c->guest_cr0_set) & c->cr0_fixed1;
}

uint64_t vmx_guest_cr4(const struct vmx_caps *c, uint64_t cr4)
{
	return (cr4 | c->cr4_fixed0) & c->cr4_fixed1;
}
