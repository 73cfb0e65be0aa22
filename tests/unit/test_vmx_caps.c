// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX control derivation from the capability MSRs. The reference CPU is Bochs 2.7's
 * corei7_skylake_x with VMX level 2: IA32_VMX_BASIC and IA32_VMX_EPT_VPID_CAP as measured
 * (docs/vmx.md), the control MSRs as Bochs's cpu/vmx.h and cpu/vmcs.cc compose them for that
 * model. Then each refusal, one at a time, from made-up values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/vmx/vmx_caps.h"
#include "monitor/vmx/vmx_vmcs.h"
#include "partition/npt.h"

#define CTL(allowed1, allowed0) (((uint64_t)(allowed1) << 32) | (uint32_t)(allowed0))

static struct vmx_msrs bochs(void)
{
	struct vmx_msrs m = {
		.basic = 0x00d810000000002bULL,
		.pinbased = CTL(0x7f, 0x16),
		.true_pinbased = CTL(0x7f, 0x16),
		.procbased = CTL(0xfff9fffe, 0x0401e172),
		.true_procbased = CTL(0xfff9fffe, 0x04006172),
		.exit = CTL(0x007fffff, 0x00036dff),
		.true_exit = CTL(0x007fffff, 0x00036dfb),
		.entry = CTL(0x0000f3ff, 0x000011ff),
		.true_entry = CTL(0x0000f3ff, 0x000011fb),
		.procbased2 = CTL(0x00177fff, 0),
		.ept_vpid_cap = 0xf0106334141ULL,
		.misc = 0x600401e0ULL,
		.cr0_fixed0 = 0x80000021ULL,
		.cr0_fixed1 = 0xffffffffULL,
		.cr4_fixed0 = 0x2000ULL,
		.cr4_fixed1 = 0x007727ffULL,
	};
	return m;
}

static void test_vmx_caps_bochs(void **state)
{
	struct vmx_msrs m = bochs();
	struct vmx_caps c;
	uint64_t cr0, cr4;

	assert_int_equal(vmx_caps_derive(&m, &c), 0);
	assert_int_equal(c.revision, 0x2b);
	assert_int_equal(c.region_size, 4096);
	assert_true(c.true_ctls);
	assert_true(c.ins_outs_info);
	assert_false(c.no_error_code_check);

	/* Forced-on bits, the required ones, virtual NMIs; the timer is toggled, not set. */
	assert_int_equal(c.pin.value, 0x16 | VMX_PIN_EXT_INTR | VMX_PIN_NMI | VMX_PIN_VIRTUAL_NMI);
	/* The TRUE MSR lets CR3-load/store exiting go: EPT makes them pointless. */
	assert_int_equal(c.proc.value, 0x04006172 | VMX_PROC_HLT | VMX_PROC_IO_BITMAPS |
				       VMX_PROC_MSR_BITMAPS | VMX_PROC_SECONDARY | VMX_PROC_MWAIT |
				       VMX_PROC_MONITOR);
	assert_int_equal(c.proc.value & (VMX_PROC_CR3_LOAD | VMX_PROC_CR3_STORE), 0);
	assert_int_equal(c.proc.value & VMX_PROC_INTR_WINDOW, 0);
	assert_true(c.proc.allowed1 & VMX_PROC_INTR_WINDOW);
	assert_int_equal(c.proc2.value, VMX_PROC2_EPT | VMX_PROC2_VPID | VMX_PROC2_UNRESTRICTED |
					VMX_PROC2_WBINVD | VMX_PROC2_INVPCID);
	/* Hidden by the CPUID face: #UD, as on a CPU without them. */
	assert_int_equal(c.proc2.value & (VMX_PROC2_RDTSCP | VMX_PROC2_XSAVES), 0);
	assert_int_equal(c.exit.value, 0x00036dfb | VMX_EXIT_CTL_SAVE_DEBUG | VMX_EXIT_CTL_HOST_64 |
				       VMX_EXIT_CTL_SAVE_PAT | VMX_EXIT_CTL_LOAD_PAT | VMX_EXIT_CTL_SAVE_EFER |
				       VMX_EXIT_CTL_LOAD_EFER | VMX_EXIT_CTL_SAVE_PREEMPTION);
	assert_int_equal(c.exit.value & VMX_EXIT_CTL_ACK_INTR, 0);
	assert_int_equal(c.entry.value, 0x000011fb | VMX_ENTRY_CTL_LOAD_DEBUG | VMX_ENTRY_CTL_LOAD_PAT |
					VMX_ENTRY_CTL_LOAD_EFER);
	assert_int_equal(c.entry.value & VMX_ENTRY_CTL_IA32E_GUEST, 0);
	assert_true(c.entry.allowed1 & VMX_ENTRY_CTL_IA32E_GUEST);

	assert_true(c.invpcid);
	assert_true(c.nmi_window);
	assert_true(c.preemption_timer);
	assert_int_equal(c.timer_rate, 0);
	assert_true(c.lma_stored);
	assert_true(c.wait_sipi);

	assert_true(c.ept_2m && c.ept_1g && c.ept_ad);
	assert_int_equal(c.pt_flags, 0);
	assert_int_equal(c.invept_type, VMX_INVEPT_SINGLE);
	assert_int_equal(c.invvpid_type, VMX_INVVPID_SINGLE);
	assert_true(c.invvpid_addr);

	/* CR0: NE is the monitor's (PE and PG are the guest's: unrestricted guest). */
	assert_int_equal(c.guest_cr0_set, 0x20);
	assert_int_equal(c.cr0_mask, 0x20);
	/* CR4: VMXE, and every bit the CPU cannot set. */
	assert_int_equal(c.cr4_mask, 0xff88f800ULL);
	assert_int_equal(vmx_guest_cr0(&c, 0), 0x20);	/* real mode, paging off */
	assert_int_equal(vmx_guest_cr0(&c, 0x80000011), 0x80000031);
	assert_int_equal(vmx_guest_cr4(&c, 0x20), 0x2020);
	assert_int_equal(vmx_guest_cr4(&c, 0x20 | (1ULL << 23)), 0x2020);	/* CET: not here */
	vmx_vmxon_crs(&c, 0x80000011, 0x668, &cr0, &cr4);
	assert_int_equal(cr0, 0x80000031);
	assert_int_equal(cr4, 0x2668);
}

/* Without BASIC bit 55 the legacy MSRs decide, default1 bits and all. */
static void test_vmx_caps_without_true_msrs(void **state)
{
	struct vmx_msrs m = bochs();
	struct vmx_caps c;

	m.basic &= ~VMX_BASIC_TRUE_CTLS;
	m.true_pinbased = m.true_procbased = m.true_exit = m.true_entry = 0;	/* not read */
	assert_int_equal(vmx_caps_derive(&m, &c), 0);
	assert_false(c.true_ctls);
	assert_int_equal(c.proc.value & (VMX_PROC_CR3_LOAD | VMX_PROC_CR3_STORE),
			 VMX_PROC_CR3_LOAD | VMX_PROC_CR3_STORE);
	assert_int_equal(c.proc.allowed0, 0x0401e172);
	assert_int_equal(c.exit.allowed0, 0x00036dff);
	assert_int_equal(c.entry.allowed0, 0x000011ff);

	/* With them, the legacy ones are not read. */
	m = bochs();
	m.pinbased = m.procbased = m.exit = m.entry = 0;
	assert_int_equal(vmx_caps_derive(&m, &c), 0);
	assert_int_equal(c.proc.allowed0, 0x04006172);
}

/* Optional features missing: left off, and said so. */
static void test_vmx_caps_optional(void **state)
{
	struct vmx_msrs m = bochs();
	struct vmx_caps c;

	m.procbased2 &= ~((uint64_t)VMX_PROC2_INVPCID << 32);
	m.true_pinbased &= ~((uint64_t)(VMX_PIN_VIRTUAL_NMI | VMX_PIN_PREEMPTION_TIMER) << 32);
	m.true_procbased &= ~((uint64_t)(VMX_PROC_MWAIT | VMX_PROC_MONITOR) << 32);
	m.ept_vpid_cap &= ~(VMX_EPT_2M | VMX_EPT_1G | VMX_EPT_AD | VMX_EPT_INVEPT_SINGLE |
			    VMX_VPID_INVVPID_SINGLE | VMX_VPID_INVVPID_ADDR);
	m.misc = 5 | VMX_MISC_STORES_LMA;
	assert_int_equal(vmx_caps_derive(&m, &c), 0);
	assert_false(c.invpcid);
	assert_int_equal(c.proc2.value & VMX_PROC2_INVPCID, 0);
	assert_int_equal(c.proc.value & (VMX_PROC_MWAIT | VMX_PROC_MONITOR), 0);
	assert_int_equal(c.pin.value & VMX_PIN_VIRTUAL_NMI, 0);
	assert_false(c.nmi_window);	/* NMI-window exiting needs virtual NMIs */
	assert_false(c.preemption_timer);
	assert_int_equal(c.exit.value & VMX_EXIT_CTL_SAVE_PREEMPTION, 0);
	assert_int_equal(c.timer_rate, 5);
	assert_false(c.wait_sipi);
	assert_false(c.ept_2m || c.ept_1g || c.ept_ad);
	assert_int_equal(c.pt_flags, NPT_NO_2M | NPT_NO_1G);
	assert_int_equal(c.invept_type, VMX_INVEPT_ALL);
	assert_int_equal(c.invvpid_type, VMX_INVVPID_ALL);
	assert_false(c.invvpid_addr);

	/* A timer the CPU forces on cannot be used as a toggle. */
	m = bochs();
	m.true_pinbased |= VMX_PIN_PREEMPTION_TIMER;
	assert_int_equal(vmx_caps_derive(&m, &c), 0);
	assert_false(c.preemption_timer);
}

static void refuse(const struct vmx_msrs *m, const char *what)
{
	struct vmx_caps c;

	assert_int_equal(vmx_caps_derive(m, &c), -ENODEV);
	if (!strstr(c.error, what) || strncmp(c.error, "vmx: ", 5))
		fail_msg("expected \"%s\" in \"%s\"", what, c.error);
}

static void test_vmx_caps_refusals_basic(void **state)
{
	struct vmx_msrs m;

	m = bochs();
	m.basic &= ~VMX_BASIC_SIZE_MASK;
	refuse(&m, "VMCS size 0 out of range");
	m = bochs();
	m.basic = (m.basic & ~VMX_BASIC_SIZE_MASK) | 0x1001ULL << VMX_BASIC_SIZE_SHIFT;
	refuse(&m, "VMCS size 4097 out of range");
	m = bochs();
	m.basic |= VMX_BASIC_ADDR32;
	refuse(&m, "addresses to 32 bits (IA32_VMX_BASIC bit 48)");
	m = bochs();
	m.basic &= ~VMX_BASIC_MT_MASK;
	refuse(&m, "VMCS memory type 0, not write-back");
}

static void test_vmx_caps_refusals_controls(void **state)
{
	struct vmx_msrs m;

	m = bochs();
	m.true_pinbased = CTL(0x7f, 0x116);	/* bit 8 must be 1 but cannot be */
	refuse(&m, "IA32_VMX_TRUE_PINBASED_CTLS = 0x7f00000116 contradicts itself");
	m = bochs();
	m.true_pinbased &= ~((uint64_t)VMX_PIN_NMI << 32);
	refuse(&m, "cannot set pin-based control bit 3 (NMI exiting) "
		   "(IA32_VMX_TRUE_PINBASED_CTLS = 0x7700000016)");
	m = bochs();
	m.basic &= ~VMX_BASIC_TRUE_CTLS;
	m.pinbased &= ~((uint64_t)VMX_PIN_EXT_INTR << 32);
	refuse(&m, "pin-based control bit 0 (external-interrupt exiting) (IA32_VMX_PINBASED_CTLS");
	m = bochs();
	m.true_procbased &= ~((uint64_t)VMX_PROC_SECONDARY << 32);
	refuse(&m, "primary processor-based control bit 31 (activate secondary controls)");
	m = bochs();
	m.true_procbased &= ~((uint64_t)VMX_PROC_INTR_WINDOW << 32);
	refuse(&m, "cannot set primary processor-based control bit 2 (interrupt-window exiting)");
	m = bochs();
	m.true_procbased |= VMX_PROC_INTR_WINDOW;	/* forced on: cannot be turned off */
	refuse(&m, "cannot clear primary processor-based control bit 2 (interrupt-window exiting)");
	m = bochs();
	m.true_procbased |= VMX_PROC_MTF;
	refuse(&m, "cannot clear primary processor-based control bit 27 (monitor trap flag)");
	m = bochs();
	m.procbased2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED << 32);
	refuse(&m, "secondary processor-based control bit 7 (unrestricted guest) "
		   "(IA32_VMX_PROCBASED_CTLS2");
	m = bochs();
	m.procbased2 &= ~((uint64_t)VMX_PROC2_EPT << 32);
	refuse(&m, "secondary processor-based control bit 1 (enable EPT)");
	m = bochs();
	m.procbased2 &= ~((uint64_t)VMX_PROC2_VPID << 32);
	refuse(&m, "secondary processor-based control bit 5 (enable VPID)");
	m = bochs();
	m.true_exit |= VMX_EXIT_CTL_ACK_INTR;
	refuse(&m, "cannot clear VM-exit control bit 15 (acknowledge interrupt on exit)");
	m = bochs();
	m.true_exit &= ~((uint64_t)VMX_EXIT_CTL_LOAD_EFER << 32);
	refuse(&m, "cannot set VM-exit control bit 21 (load IA32_EFER)");
	m = bochs();
	m.true_entry &= ~((uint64_t)VMX_ENTRY_CTL_IA32E_GUEST << 32);
	refuse(&m, "cannot set VM-entry control bit 9 (IA-32e mode guest)");
	m = bochs();
	m.true_entry |= VMX_ENTRY_CTL_SMM | ((uint64_t)VMX_ENTRY_CTL_SMM << 32);
	refuse(&m, "cannot clear VM-entry control bit 10 (entry to SMM)");
}

static void test_vmx_caps_refusals_ept_and_crs(void **state)
{
	static const struct {
		uint64_t clear;
		const char *what;
	} ept[] = {
		{ VMX_EPT_WALK_4, "no EPT 4-level walks (bit 6)" },
		{ VMX_EPT_WB, "no write-back EPT tables (bit 14)" },
		{ VMX_EPT_INVEPT, "no INVEPT (bit 20)" },
		{ VMX_VPID_INVVPID, "no INVVPID (bit 32)" },
		{ VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL, "INVEPT has neither" },
		{ VMX_VPID_INVVPID_SINGLE | VMX_VPID_INVVPID_ALL, "INVVPID has neither" },
	};
	struct vmx_msrs m;

	for (size_t i = 0; i < sizeof(ept) / sizeof(ept[0]); i++) {
		m = bochs();
		m.ept_vpid_cap &= ~ept[i].clear;
		refuse(&m, ept[i].what);
	}
	m = bochs();
	m.cr0_fixed1 &= ~0x20ULL;
	refuse(&m, "IA32_VMX_CR0_FIXED0 = 0x80000021 has bits FIXED1 = 0xffffffdf forbids");
	m = bochs();
	m.cr4_fixed1 &= ~0x2000ULL;
	refuse(&m, "IA32_VMX_CR4_FIXED0 = 0x2000 has bits FIXED1");
}

static void test_vmx_feature_control(void **state)
{
	char err[160] = "";
	uint64_t v;
	bool w;

	/* Bochs: unlocked, zero. Lock it with VMXON outside SMX, never inside (no SMX). */
	assert_int_equal(vmx_feature_control(0, &w, &v, err, sizeof(err)), 0);
	assert_true(w);
	assert_int_equal(v, VMX_FC_LOCK | VMX_FC_VMXON_OUTSIDE_SMX);
	/* Other bits the firmware set stay (SGX, LMCE...). */
	assert_int_equal(vmx_feature_control(1ULL << 20, &w, &v, err, sizeof(err)), 0);
	assert_true(w);
	assert_int_equal(v, (1ULL << 20) | 5);
	/* Locked with VMX on: nothing to do. */
	assert_int_equal(vmx_feature_control(5, &w, &v, err, sizeof(err)), 0);
	assert_false(w);
	assert_int_equal(v, 5);
	assert_int_equal(vmx_feature_control(7, &w, &v, err, sizeof(err)), 0);
	assert_false(w);
	/* Locked without it, even with VMXON inside SMX: refused, with the fix named. */
	assert_int_equal(vmx_feature_control(1, &w, &v, err, sizeof(err)), -ENODEV);
	assert_false(w);
	assert_non_null(strstr(err, "vmx: the firmware locked IA32_FEATURE_CONTROL (0x1)"));
	assert_non_null(strstr(err, "enable Intel VT-x"));
	assert_int_equal(vmx_feature_control(3, &w, &v, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "(0x3)"));
}

/* The VMCS table's names (its encodings are checked at compile time). */
static void test_vmx_vmcs_names(void **state)
{
	assert_string_equal(vmx_vmcs_field_name(VMCS_GUEST_RIP), "VMCS_GUEST_RIP");
	assert_string_equal(vmx_vmcs_field_name(0x201a), "VMCS_EPTP");
	assert_string_equal(vmx_vmcs_field_name(0x4402), "VMCS_EXIT_REASON");
	assert_string_equal(vmx_vmcs_field_name(0x6400), "VMCS_EXIT_QUALIFICATION");
	assert_null(vmx_vmcs_field_name(VMCS_EPTP | VMCS_ENC_HIGH));
	assert_null(vmx_vmcs_field_name(0x7fff));
	assert_int_equal(VMCS_ENC_WIDTH(VMCS_GUEST_PAT), VMCS_W64);
	assert_int_equal(VMCS_ENC_KIND(VMCS_HOST_TR_SEL), VMCS_HOST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmx_caps_bochs),
		cmocka_unit_test(test_vmx_caps_without_true_msrs),
		cmocka_unit_test(test_vmx_caps_optional),
		cmocka_unit_test(test_vmx_caps_refusals_basic),
		cmocka_unit_test(test_vmx_caps_refusals_controls),
		cmocka_unit_test(test_vmx_caps_refusals_ept_and_crs),
		cmocka_unit_test(test_vmx_feature_control),
		cmocka_unit_test(test_vmx_vmcs_names),
	};
	return cmocka_run_group_tests_name("vmx_caps", tests, NULL, NULL);
}
