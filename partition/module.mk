# SPDX-License-Identifier: GPL-2.0-only
# partition/: RAM split, per-guest e820, nested page tables, device ownership.
LIB_SRCS += partition/memmap.c partition/memmap_efi.c partition/rangeset.c partition/plan.c \
	    partition/reserve.c partition/lowmem.c partition/split.c partition/devices.c \
	    partition/pci_bar.c partition/pci_caps.c partition/pci_scan.c partition/pci_msix.c \
	    partition/pci_intx.c partition/pci_root.c \
	    partition/e820.c partition/npt.c partition/npt_walk.c partition/npt_plan.c \
	    partition/npt_format.c \
	    partition/iopm.c partition/pci_filter.c partition/pci_filter_write.c \
	    partition/pci_host_bridge.c \
	    partition/pci_fn.c partition/pci_reset.c partition/pci_text.c \
	    partition/pci_desc.c partition/memmap_text.c \
	    partition/plan_print.c partition/config_request.c partition/cpu_plan.c \
	    partition/acpi.c partition/acpi_aml.c partition/acpi_pci.c partition/acpi_mcfg.c partition/cmdline.c

UNIT_TESTS += test_memmap
test_memmap_SRCS := tests/unit/test_memmap.c

UNIT_TESTS += test_partition_init
test_partition_init_SRCS := tests/unit/test_partition_init.c

UNIT_TESTS += test_partition_split
test_partition_split_SRCS := tests/unit/test_partition_split.c

UNIT_TESTS += test_partition_e820
test_partition_e820_SRCS := tests/unit/test_partition_e820.c

UNIT_TESTS += test_npt
test_npt_SRCS := tests/unit/test_npt.c

UNIT_TESTS += test_iopm
test_iopm_SRCS := tests/unit/test_iopm.c

UNIT_TESTS += test_partition_devices
test_partition_devices_SRCS := tests/unit/test_partition_devices.c

UNIT_TESTS += test_partition_pci
test_partition_pci_SRCS := tests/unit/test_partition_pci.c
UNIT_TESTS += test_partition_pci_caps
test_partition_pci_caps_SRCS := tests/unit/test_partition_pci_caps.c
UNIT_TESTS += test_partition_pci_filter
test_partition_pci_filter_SRCS := tests/unit/test_partition_pci_filter.c
UNIT_TESTS += test_partition_pci_reset
test_partition_pci_reset_SRCS := tests/unit/test_partition_pci_reset.c
# The machine's PCI BARs as text (twinmon-check --pci).
UNIT_TESTS += test_partition_pci_text
test_partition_pci_text_SRCS := tests/unit/test_partition_pci_text.c
FUZZ_TARGETS += fuzz_pci_text
fuzz_pci_text_SRCS := tests/fuzz/fuzz_pci_text.c
fuzz_pci_text_CORPUS := partition/samples

UNIT_TESTS += test_partition_memmap_text
test_partition_memmap_text_SRCS := tests/unit/test_partition_memmap_text.c

UNIT_TESTS += test_partition_property
test_partition_property_SRCS := tests/unit/test_partition_property.c

UNIT_TESTS += test_partition_acpi
test_partition_acpi_SRCS := tests/unit/test_partition_acpi.c

UNIT_TESTS += test_partition_cmdline
test_partition_cmdline_SRCS := tests/unit/test_partition_cmdline.c
# MSI-X tables found at plan time, their pages left out of the nested page tables.
UNIT_TESTS += test_partition_pci_msix
test_partition_pci_msix_SRCS := tests/unit/test_partition_pci_msix.c

UNIT_TESTS += test_partition_acpi_mcfg
test_partition_acpi_mcfg_SRCS := tests/unit/test_partition_acpi_mcfg.c

FUZZ_TARGETS += fuzz_acpi_mcfg
fuzz_acpi_mcfg_SRCS := tests/fuzz/fuzz_acpi_mcfg.c
fuzz_acpi_mcfg_CORPUS := tests/fuzz/corpus/acpi_mcfg

UNIT_TESTS += test_partition_acpi_pci
test_partition_acpi_pci_SRCS := tests/unit/test_partition_acpi_pci.c

UNIT_TESTS += test_partition_pci_intx
test_partition_pci_intx_SRCS := tests/unit/test_partition_pci_intx.c

# The CPU plan: which physical CPU runs which guest's vCPUs (cpus = in the config).
UNIT_TESTS += test_partition_cpu_plan
test_partition_cpu_plan_SRCS := tests/unit/test_partition_cpu_plan.c
# The MADT's processor entries, one per vCPU.
UNIT_TESTS += test_partition_acpi_madt
test_partition_acpi_madt_SRCS := tests/unit/test_partition_acpi_madt.c
# The same builder in Intel's EPT entry format.
UNIT_TESTS += test_npt_ept
test_npt_ept_SRCS := tests/unit/test_npt_ept.c
