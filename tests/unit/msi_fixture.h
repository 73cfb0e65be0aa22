/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the MSI and MSI-X unit tests share (test_monitor_msi.c, test_monitor_msi_arrival.c,
 * test_monitor_msix.c): guest a owning the fake machine's simulated function at BDF, its
 * configuration accesses through 0xcf8/0xcfc, and, for the MSI tests, an edu-like function
 * with an MSI capability whose hardware state is watched after every write that reaches it,
 * and the arrival of the monitor's vectors.
 */
#ifndef TWINMON_TESTS_MSI_FIXTURE_H
#define TWINMON_TESTS_MSI_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/test_fake.h"

#define BDF		PARTITION_BDF(0, 3, 0)
#define MSI		0x50	/* where the MSI tests put the MSI capability */
#define APIC		0xfee00000u
#define APIC_ID		2	/* the physical local APIC's, so its address differs */
#define MON_ADDR	(APIC | APIC_ID << 12)

extern struct pci_filter msifx_pf;	/* guest a's functions: BDF */

/*
 * What the hardware must never hold, checked after every write that reached it: an enabled
 * MSI with a message other than the monitor's to a vector guest a holds.
 */
extern struct msifx_watch {
	unsigned msi;		/* capability offset to check; 0: none */
	unsigned bad;		/* writes after which the hardware held something else */
	struct guest *g;
} msifx_watch;

/* The n-byte little-endian value at p. */
uint32_t msifx_le(const uint8_t *p, unsigned n);
/* The function's register reg: size bytes of v, of which wmask's bits are writable. */
void msifx_put(struct fake *f, unsigned reg, unsigned size, uint32_t v, uint32_t wmask);
/* A guest's configuration write and read, as its accesses to 0xcf8 and 0xcfc-0xcff. */
void msifx_wr(struct fake *f, unsigned reg, uint8_t size, uint32_t v);
uint32_t msifx_rd(struct fake *f, unsigned reg, uint8_t size);

/* cmocka setup and teardown of the MSI tests: guest a owns an empty function at BDF; the
 * teardown fails the test if the watch saw the hardware hold what it must not. */
int msifx_setup(void **state);
int msifx_teardown(void **state);
/* An edu-like function: ID, a writable command register, the capability list at ptr. */
void msifx_add_header(struct fake *f, bool caps, uint8_t ptr);
/* MSI at cap, watched: 8 messages capable, 64-bit or not, extended message data capable or
 * not. */
void msifx_add_msi(struct fake *f, unsigned cap, uint8_t next, bool wide, bool ext);
/* The header and a 64-bit MSI at MSI, alone in the list. */
void msifx_std_function(struct fake *f);
/* What the device holds: size bytes at reg, and whether its MSI at MSI is enabled. */
unsigned msifx_hw(const struct fake *f, unsigned reg, unsigned size);
bool msifx_hw_on(const struct fake *f);
/* What Linux (and the probe's edu code) does: address, data, then enable in the head dword. */
void msifx_program(struct fake *f, uint32_t addr, uint32_t data);

/* Vector v (of the monitor's MSI range) arrives at the physical CPU; the loop hands it on. */
void msifx_arrive(struct fake *f, unsigned v);
/* Whether vector v is requested in g's vLAPIC. */
bool msifx_irr(const struct guest *g, unsigned v);

#endif
