// SPDX-License-Identifier: GPL-2.0-only
#include "partition/acpi_aml.h"

/* Bytes of the PkgLength encoding for a package whose content (after it) is len bytes. */
size_t acpi_aml_pkglen_bytes(size_t len)
{
	/* The encoded length counts its own bytes: 1 byte up to 63, then 12, 20, 28 bits. */
	if (len + 1 <= 0x3f)
		return 1;
	if (len + 2 <= 0xfff)
		return 2;
	if (len + 3 <= 0xfffff)
		return 3;
	return 4;
}

uint8_t *acpi_aml_put_pkglen(uint8_t *p, size_t len)
{
	size_t n = acpi_aml_pkglen_bytes(len);
	size_t v = len + n;

	if (n == 1) {
		*p++ = (uint8_t)v;
		return p;
	}
	/* Lead byte: count of following bytes in bits 7:6, the low nibble in bits 3:0. */
	*p++ = (uint8_t)(((n - 1) << 6) | (v & 0xf));
	v >>= 4;
	for (size_t i = 1; i < n; i++, v >>= 8)
		*p++ = (uint8_t)v;
	return p;
}
