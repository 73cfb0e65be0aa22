# SPDX-License-Identifier: GPL-2.0-only
# monitor/: the vendor-neutral core. Plain C (host-tested, also linked into the EFI app): the
# scheduler, exit handlers, hypercalls, statistics, guest boot tables, fault reports. EFI only:
# descriptor tables, traps, the FPU switch, the entry point (offsets generated from C by
# asm-defs.c). Each virtualization backend has its own folder and module.mk (monitor/svm/).
LIB_SRCS += monitor/sched.c monitor/hist.c monitor/stats_line.c monitor/share.c monitor/log.c monitor/log_budget.c monitor/mem.c monitor/core.c monitor/stop_restart.c monitor/stats.c \
	    monitor/cpuid.c monitor/exit.c monitor/exit_io.c monitor/exit_msr.c monitor/gva.c \
	    monitor/hypercall.c monitor/gboot.c \
	    monitor/fault.c monitor/vio.c monitor/vpci.c monitor/virq.c monitor/virq_due.c monitor/exit_npf.c \
	    monitor/vdev_irq.c monitor/vpci_reset.c monitor/iommu_poll.c monitor/vipi.c
EFI_SRCS += monitor/run.c monitor/desc.c monitor/trap.c monitor/fpu.c \
	    monitor/platform.c
EFI_ASM_SRCS += monitor/entry.asm
# The other CPUs: INIT-SIPI-SIPI into ap_start.asm's code, per-CPU set-up, run.c's hook.
EFI_SRCS += monitor/smp.c monitor/run_cpus.c
EFI_ASM_SRCS += monitor/ap_start.asm
# Plain C: the start page's parameter block; the CPU list (boot CPU first).
LIB_SRCS += monitor/ap_start_block.c monitor/cpu_list.c
UNIT_TESTS += test_monitor_ap_start test_cpu_list
test_monitor_ap_start_SRCS := tests/unit/test_monitor_ap_start.c
test_cpu_list_SRCS := tests/unit/test_cpu_list.c
GEN_OFFSETS += monitor/asm-defs.c
# Host unit tests. test_monitor_fake.c is the simulated machine most of them share.
MONITOR_FAKE := tests/unit/test_monitor_fake.c
UNIT_TESTS += test_sched test_exit_dispatch test_exit_io test_exit_msr test_monitor_cpuid \
	      test_monitor_hypercall test_monitor_stats test_monitor_gboot test_monitor_loop \
	      test_monitor_timer test_monitor_fault test_monitor_share
test_sched_SRCS := tests/unit/test_sched.c
test_exit_dispatch_SRCS := tests/unit/test_exit_dispatch.c $(MONITOR_FAKE)
test_exit_io_SRCS := tests/unit/test_exit_io.c $(MONITOR_FAKE)
test_exit_msr_SRCS := tests/unit/test_exit_msr.c $(MONITOR_FAKE)
test_monitor_cpuid_SRCS := tests/unit/test_monitor_cpuid.c $(MONITOR_FAKE)
test_monitor_hypercall_SRCS := tests/unit/test_monitor_hypercall.c $(MONITOR_FAKE)
test_monitor_stats_SRCS := tests/unit/test_monitor_stats.c $(MONITOR_FAKE)
test_monitor_gboot_SRCS := tests/unit/test_monitor_gboot.c $(MONITOR_FAKE)
test_monitor_loop_SRCS := tests/unit/test_monitor_loop.c $(MONITOR_FAKE)
test_monitor_timer_SRCS := tests/unit/test_monitor_timer.c
# SMP guests: vCPUs on their CPUs, IPIs between them (monitor/vipi.c).
SMP_FIXTURE := tests/unit/smp_fixture.c $(MONITOR_FAKE)
UNIT_TESTS += test_monitor_smp test_monitor_vipi
test_monitor_smp_SRCS := tests/unit/test_monitor_smp.c $(SMP_FIXTURE)
test_monitor_vipi_SRCS := tests/unit/test_monitor_vipi.c $(SMP_FIXTURE)
# How late the interrupts other than the timer's were injected (monitor/virq_due.c).
UNIT_TESTS += test_monitor_virq_due
test_monitor_virq_due_SRCS := tests/unit/test_monitor_virq_due.c $(SMP_FIXTURE)
test_monitor_fault_SRCS := tests/unit/test_monitor_fault.c $(MONITOR_FAKE)
test_monitor_share_SRCS := tests/unit/test_monitor_share.c $(MONITOR_FAKE)
# How together a gang-scheduled set's CPUs switch (the end-of-run line).
LIB_SRCS += monitor/gang_meter.c
UNIT_TESTS += test_gang_meter
test_gang_meter_SRCS := tests/unit/test_gang_meter.c
# Where a world switch's cycles go, phase by phase (the end-of-run cpu record).
LIB_SRCS += monitor/sw_meter.c
UNIT_TESTS += test_sw_meter
test_sw_meter_SRCS := tests/unit/test_sw_meter.c $(MONITOR_FAKE)
# The MMIO MOV decoder and the virtual CMOS/RTC.
LIB_SRCS += monitor/decode.c monitor/vcmos.c
UNIT_TESTS += test_decode test_vcmos
test_decode_SRCS := tests/unit/test_decode.c
test_vcmos_SRCS := tests/unit/test_vcmos.c
FUZZ_TARGETS += fuzz_decode
fuzz_decode_SRCS := tests/fuzz/fuzz_decode.c
fuzz_decode_CORPUS := tests/fuzz/corpus/decode
# The virtual platform: its ports and reset requests, interrupt delivery, emulated MMIO.
UNIT_TESTS += test_monitor_vio
test_monitor_vio_SRCS := tests/unit/test_monitor_vio.c $(MONITOR_FAKE)
# MSI and MSI-X of a guest's own PCI functions, remapped: the device holds only the monitor's
# messages, to vectors it allocated (the guest's are kept and raised on arrival).
LIB_SRCS += monitor/vmsi.c monitor/vmsi_mask.c monitor/vmsi_vec.c monitor/vmsix.c
# msi_fixture.c: the simulated function and configuration accesses the MSI/MSI-X tests share.
MSI_FIXTURE := tests/unit/msi_fixture.c $(MONITOR_FAKE)
UNIT_TESTS += test_monitor_msi
test_monitor_msi_SRCS := tests/unit/test_monitor_msi.c $(MSI_FIXTURE)
# A guest's functions reset before it runs and at its restarts (FLR, or everything off).
UNIT_TESTS += test_monitor_vpci_reset
test_monitor_vpci_reset_SRCS := tests/unit/test_monitor_vpci_reset.c $(MONITOR_FAKE)
UNIT_TESTS += test_monitor_msi_arrival test_monitor_msix
test_monitor_msi_arrival_SRCS := tests/unit/test_monitor_msi_arrival.c $(MSI_FIXTURE)
test_monitor_msix_SRCS := tests/unit/test_monitor_msix.c $(MSI_FIXTURE)
FUZZ_TARGETS += fuzz_vmsi
fuzz_vmsi_SRCS := tests/fuzz/fuzz_vmsi.c $(MONITOR_FAKE)
fuzz_vmsi_CORPUS := tests/fuzz/corpus/vmsi
UNIT_TESTS += test_monitor_virq test_exit_npf
test_monitor_virq_SRCS := tests/unit/test_monitor_virq.c $(MONITOR_FAKE)
test_exit_npf_SRCS := tests/unit/test_exit_npf.c $(MONITOR_FAKE)
UNIT_TESTS += test_monitor_vpci_ecam
test_monitor_vpci_ecam_SRCS := tests/unit/test_monitor_vpci_ecam.c $(MONITOR_FAKE)
# Between the guests: speculation controls (IBPB, SPEC_CTRL per guest), WBINVD as a no-op.
LIB_SRCS += monitor/spec.c monitor/exit_wbinvd.c
# The intercept policy every backend encodes (MSRs here; ports: partition/iopm.c).
LIB_SRCS += monitor/policy.c
UNIT_TESTS += test_monitor_policy
test_monitor_policy_SRCS := tests/unit/test_monitor_policy.c
# The shared exit handlers behind a backend that is not SVM (plain registers, no VMCB).
UNIT_TESTS += test_exit_neutral
test_exit_neutral_SRCS := tests/unit/test_exit_neutral.c $(MONITOR_FAKE)
UNIT_TESTS += test_monitor_spec test_exit_wbinvd
test_monitor_spec_SRCS := tests/unit/test_monitor_spec.c $(MONITOR_FAKE)
test_exit_wbinvd_SRCS := tests/unit/test_exit_wbinvd.c $(MONITOR_FAKE)
# The IOMMU's fault reports in the log (iommu/ does the rest).
UNIT_TESTS += test_monitor_iommu
test_monitor_iommu_SRCS := tests/unit/test_monitor_iommu.c $(MONITOR_FAKE)
# The real start code in the ASan test too: its size and parts against the block's layout.
MONITOR_AP_START_HOST := $(BUILD)/asan/monitor/ap_start-asm.o
$(MONITOR_AP_START_HOST): monitor/ap_start.asm $(BUILD)/gen/monitor/asm-defs.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I$(BUILD)/gen/ -I./ -o $@ $<
$(BUILD)/asan/bin/test_monitor_ap_start: $(MONITOR_AP_START_HOST)
