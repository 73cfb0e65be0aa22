/* SPDX-License-Identifier: GPL-2.0-only */
/* AML encoding shared by the DSDT's parts (partition/acpi.c, partition/acpi_pci.c). */
#ifndef TWINMON_PARTITION_ACPI_AML_H
#define TWINMON_PARTITION_ACPI_AML_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of the PkgLength encoding for a package whose content (after it) is len bytes. */
size_t acpi_aml_pkglen_bytes(size_t len);

/* Write the PkgLength for len bytes of content at p; returns the byte after it. */
uint8_t *acpi_aml_put_pkglen(uint8_t *p, size_t len);

#endif
