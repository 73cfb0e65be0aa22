/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's port intercept policy and its bitmap: one bit per port, set = intercept, port p
 * at byte p / 8, bit p % 8. That is the SVM I/O permission map (AMD APM vol. 2, 15.10.1),
 * and its first 8 KiB are also VMX's I/O bitmaps A (ports 0-0x7fff) and B (0x8000-0xffff),
 * laid out the same. A multi-byte access checks the bit of every port it touches, so an
 * access at 0xffff reads bits past 65535 on SVM; the map is 12 KiB and those bits are set too.
 *
 * The policy: a guest's own ports (the partition plan) pass, every other port traps, and
 * iopm_always_trapped[] traps even for the guest that owns the port.
 */
#ifndef TWINMON_PARTITION_IOPM_H
#define TWINMON_PARTITION_IOPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

/* The 8042 command port: always intercepted (iopm_always_trapped). */
#define IOPM_KBC_CMD 0x64

/* Ports that trap for every guest, its own or not, and how many. */
extern const struct partition_ports iopm_always_trapped[];
extern const size_t iopm_nr_always_trapped;

#define IOPM_SIZE	(3 * 4096)
#define IOPM_PORTS	65536

_Static_assert(IOPM_SIZE * 8 >= IOPM_PORTS + 3, "a 4-byte access at 0xffff reads bit 0x10002");
_Static_assert(IOPM_SIZE % 4096 == 0, "the VMCB's IOPM_BASE_PA points at whole pages");

/* Intercept everything except the listed ports. -EINVAL if size < IOPM_SIZE. */
int iopm_build(uint8_t *iopm, size_t size, const struct partition_ports *pass, size_t n);

/* Would an access of width bytes (1, 2, 4) at port be intercepted, as the CPU decides? */
bool iopm_intercepts(const uint8_t *iopm, uint16_t port, unsigned width);

/* Trap the ports of t[0..n) in a built map. -EINVAL on a reversed range. */
int iopm_trap(uint8_t *iopm, const struct partition_ports *t, size_t n);

/* Guest g's map: only its own ports pass through, iopm_always_trapped[] excepted. */
int partition_build_iopm(struct partition_plan *plan, unsigned g, uint8_t *iopm, size_t size);

#endif
