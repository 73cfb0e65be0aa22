# SPDX-License-Identifier: GPL-2.0-only
# iommu/: DMA confinement. Finding the IOMMU in ACPI, the AMD-Vi tables and event decoding
# are pure C (host-tested, the IVRS parser fuzzed); amdvi_hw.c touches the registers and is
# only ever called on the EFI app's identity map.
LIB_SRCS += iommu/acpi_find.c iommu/ivrs.c iommu/pool.c iommu/amdvi_table.c iommu/amdvi_event.c \
	    iommu/amdvi_hw.c iommu/iommu.c

UNIT_TESTS += test_iommu_ivrs test_iommu_amdvi test_iommu_hw
test_iommu_ivrs_SRCS := tests/unit/test_iommu_ivrs.c
test_iommu_amdvi_SRCS := tests/unit/test_iommu_amdvi.c
test_iommu_hw_SRCS := tests/unit/test_iommu_hw.c

FUZZ_TARGETS += fuzz_ivrs
fuzz_ivrs_SRCS := tests/fuzz/fuzz_ivrs.c
