/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Strict UTF-8 decoding (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). The configuration must be valid UTF-8 so every message can quote it safely and
 * the EFI app can turn paths into UCS-2 without guessing.
 */
#ifndef TWINMON_GUEST_CONFIG_UTF8_H
#define TWINMON_GUEST_CONFIG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode the character at s[0]. Returns its length in bytes (1..4) and stores the code
 * point, or returns 0 when s[0] does not start a valid sequence within len bytes.
 */
size_t config_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Length of the longest prefix of s, at most max bytes, that ends on a character boundary. */
size_t config_utf8_prefix(const char *s, size_t len, size_t max);

#endif
