# SPDX-License-Identifier: GPL-2.0-only
# iommu/: DMA confinement (docs/iommu.md). All plain C, host-tested (the IVRS parser also
# fuzzed): finding the IOMMU in ACPI, the AMD-Vi tables, and the register programming in
# amdvi_hw.c, which the tests run against a register block in memory and the EFI app and the
# monitor on the identity map.
LIB_SRCS += iommu/acpi_find.c iommu/ivrs.c iommu/amdvi_table.c iommu/amdvi_hw.c iommu/iommu.c

UNIT_TESTS += test_iommu_ivrs test_iommu_amdvi test_iommu_hw
test_iommu_ivrs_SRCS := tests/unit/test_iommu_ivrs.c
test_iommu_amdvi_SRCS := tests/unit/test_iommu_amdvi.c
test_iommu_hw_SRCS := tests/unit/test_iommu_hw.c

FUZZ_TARGETS += fuzz_ivrs
fuzz_ivrs_SRCS := tests/fuzz/fuzz_ivrs.c
fuzz_ivrs_CORPUS := tests/fuzz/corpus/ivrs
