/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AMD-Vi backend (AMD I/O Virtualization Technology (IOMMU) Specification, doc 48882):
 * the formats the hardware reads (device table entries, I/O page tables, commands, event log
 * entries) and the register programming. The table builders and the event decoder are
 * host-tested; amdvi_hw_*() touch the registers through unit->mmio.
 *
 * Choices (docs/iommu.md):
 *  - one device table for every unit (as the spec allows for units of one PCI segment), all
 *    65536 entries valid with translation: a function no guest owns gets V=1 TV=1 with no
 *    read or write permission, so its DMA faults and is logged instead of passing through
 *    (V=0 would pass it untranslated);
 *  - a guest's domain: 4-level I/O page tables (48-bit addresses) that map its RAM one to
 *    one (guest-physical == host-physical), 2 MiB pages where aligned, 4 KiB otherwise;
 *  - an entry that maps nothing is "not present" with its next-level field set to 1 rather
 *    than zero: hardware ignores every other bit of a non-present entry, and an emulator
 *    that stops its walk at an all-zero entry without logging (QEMU 7.2) logs the fault;
 *  - interrupts are remapped (IV=1) for every requester ID: a guest's function gets its own
 *    table of 256 32-bit entries, indexed by the MSI data's vector (the monitor's messages
 *    carry data = vector, so the index is the vector itself), valid only for the vectors the
 *    monitor gave that function; every other requester ID is target-aborted (IntCtl 00b),
 *    but for the I/O APICs and HPETs the IVRS names, left unmapped (IV=0): the monitor's own
 *    device lines arrive through them. No INIT, ExtInt, NMI, SMI or LINT pass elsewhere.
 */
#ifndef TWINMON_IOMMU_AMDVI_H
#define TWINMON_IOMMU_AMDVI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu/pool.h"
#include "partition/partition.h"

#define AMDVI_DEVICES		65536u
#define AMDVI_DTE_SIZE		32u
#define AMDVI_DEVTAB_PAGES	(AMDVI_DEVICES * AMDVI_DTE_SIZE / IOMMU_PAGE)
#define AMDVI_LEVELS		4
#define AMDVI_ADDR_LIMIT	(1ULL << 48)

/* I/O page table entries and the first quadword of a device table entry. */
#define AMDVI_PTE_PR		(1ULL << 0)
#define AMDVI_PTE_NEXT(l)	((uint64_t)(l) << 9)
#define AMDVI_PTE_NEXT_MASK	AMDVI_PTE_NEXT(7)
#define AMDVI_PTE_ADDR		0x000ffffffffff000ULL
#define AMDVI_PTE_IR		(1ULL << 61)
#define AMDVI_PTE_IW		(1ULL << 62)
#define AMDVI_PTE_ABSENT	AMDVI_PTE_NEXT(1)	/* not present; see above */
#define AMDVI_DTE_V		(1ULL << 0)
#define AMDVI_DTE_TV		(1ULL << 1)
#define AMDVI_DTE_MODE(l)	((uint64_t)(l) << 9)

/* Interrupt remapping: the third quadword of a device table entry, and 32-bit entries. */
#define AMDVI_DTE_IV		(1ULL << 0)
#define AMDVI_DTE_INTTABLEN(n)	((uint64_t)(n) << 1)
#define AMDVI_DTE_IRT_ADDR	0x000fffffffffffc0ULL
#define AMDVI_DTE_INTCTL(c)	((uint64_t)(c) << 60)
#define AMDVI_IRT_LOG2		8
#define AMDVI_IRT_ENTRIES	(1u << AMDVI_IRT_LOG2)
#define AMDVI_IRTE_REMAPEN	(1u << 0)
#define AMDVI_IRTE_DEST(d)	((uint32_t)(d) << 8)
#define AMDVI_IRTE_VECTOR(v)	((uint32_t)(v) << 16)

enum amdvi_intr {
	AMDVI_INTR_ABORT = 0,	/* every interrupt request target-aborted */
	AMDVI_INTR_UNMAPPED = 1,	/* IV=0: forwarded as they are (see amdvi_dte_intr) */
	AMDVI_INTR_REMAP = 2,	/* through the entry's table */
};

#define AMDVI_DOMID_BLOCKED	1
#define AMDVI_DOMID_GUEST(gi)	(2 + (gi))

/* Registers (offsets in the 16 KiB block). */
#define AMDVI_REG_DEVTAB	0x0000
#define AMDVI_REG_CMDBUF	0x0008
#define AMDVI_REG_EVTLOG	0x0010
#define AMDVI_REG_CONTROL	0x0018
#define AMDVI_REG_EXCL_BASE	0x0020
#define AMDVI_REG_EXCL_LIMIT	0x0028
#define AMDVI_REG_EFR		0x0030
#define AMDVI_REG_CMD_HEAD	0x2000
#define AMDVI_REG_CMD_TAIL	0x2008
#define AMDVI_REG_EVT_HEAD	0x2010
#define AMDVI_REG_EVT_TAIL	0x2018
#define AMDVI_REG_STATUS	0x2020
#define AMDVI_CTL_IOMMU_EN	(1ULL << 0)
#define AMDVI_CTL_EVTLOG_EN	(1ULL << 2)
#define AMDVI_CTL_CMDBUF_EN	(1ULL << 12)
#define AMDVI_STATUS_EVT_OVF	(1ULL << 0)
#define AMDVI_STATUS_EVT_RUN	(1ULL << 3)
#define AMDVI_EFR_IA		(1ULL << 6)	/* INVALIDATE_IOMMU_ALL supported */
#define AMDVI_RING_LEN_4K	(8ULL << 56)	/* 256 entries of 16 bytes: one page */
#define AMDVI_RING_ENTRY	16u
#define AMDVI_RING_MASK		0x7fff0ULL	/* head and tail: byte offsets, bits 18:4 */

/* Commands (opcode in bits 63:60 of the first quadword). */
#define AMDVI_CMD_COMPLETION_WAIT	1ULL
#define AMDVI_CMD_INV_DEVTAB_ENTRY	2ULL
#define AMDVI_CMD_INV_IOMMU_PAGES	3ULL
#define AMDVI_CMD_INV_INTR_TABLE	5ULL
#define AMDVI_CMD_INV_IOMMU_ALL		8ULL
#define AMDVI_CMD_OP(op)		((op) << 60)
#define AMDVI_CMD_CW_STORE		(1ULL << 0)
#define AMDVI_CMD_PAGES_ALL		(0x7ffffffffffff000ULL | 3)	/* S=1 PDE=1 */

/* Event log entries. */
#define AMDVI_EVT_IO_PAGE_FAULT		2
#define AMDVI_EVT_FLAG_RW		(1u << 5)
#define AMDVI_EVT_FLAG_PR		(1u << 4)

/*
 * Page-table pages one domain over these RAM ranges can need: the root, and per range its
 * level-3 and level-2 tables and at most two level-1 tables (its unaligned head and tail).
 */
size_t amdvi_domain_pages(const struct partition_range *ram, size_t nr_ram);

/* A level-1 page filled with "maps nothing" entries (also a blocked entry's root). */
uint64_t amdvi_empty_table(struct iommu_pool *p);

/*
 * Map [base, end) one to one, readable and writable, into the domain whose root table is at
 * root_pa (an amdvi_empty_table()). Page aligned, below AMDVI_ADDR_LIMIT. 0, -EINVAL,
 * -ENOMEM (pool used up), -EEXIST (part of it is mapped already).
 */
int amdvi_map(struct iommu_pool *p, uint64_t root_pa, uint64_t base, uint64_t end);

/* The translation of addr in the domain (what the IOMMU's walk finds): true and *pa when
 * mapped; *writable tells IW. For the tests and the self-check after building. */
bool amdvi_lookup(const struct iommu_pool *p, uint64_t root_pa, uint64_t addr, uint64_t *pa,
		  bool *writable);

/* Device table entries: a guest's domain, or blocked (valid, translated, no permission). */
void amdvi_dte_domain(uint64_t dte[4], uint64_t root_pa, uint16_t domid);
void amdvi_dte_blocked(uint64_t dte[4], uint64_t empty_root_pa);

/*
 * Interrupt control of a device table entry: IV=1, IntCtl how, the table at irt_pa (64-byte
 * aligned, AMDVI_IRT_ENTRIES entries) for AMDVI_INTR_REMAP. Every pass bit (INIT, ExtInt,
 * NMI, LINT0/1) and SysMgt stay 0: those messages are refused whatever the table says.
 * AMDVI_INTR_UNMAPPED is IV=0 rather than IntCtl 01b: QEMU 7.2 turns a fixed message that
 * IntCtl 01b forwards into vector 0 (it rebuilds it from a remapping it did not do).
 */
void amdvi_dte_intr(uint64_t dte[4], enum amdvi_intr how, uint64_t irt_pa);
/* A remapping table entry: fixed delivery of vector to physical APIC ID dest. */
uint32_t amdvi_irte(uint8_t vector, uint8_t dest);

struct amdvi_event {
	uint8_t code;
	uint16_t devid;
	uint16_t domid;
	uint16_t flags;
	uint64_t addr;
};

void amdvi_event_decode(const uint64_t raw[2], struct amdvi_event *e);
/* The spec's name for an event code ("IO_PAGE_FAULT"), or "event 0xN". */
const char *amdvi_event_name(uint8_t code);

/* One unit's registers and rings (the device table is shared). */
struct amdvi_unit {
	volatile uint8_t *mmio;
	uint64_t base;
	uint16_t devid;
	uint32_t max_devid;
	uint64_t efr;
	uint64_t cmd_pa, evt_pa, sem_pa;
	uint64_t *cmd, *evt;
	volatile uint64_t *sem;
	uint32_t cmd_tail;
	uint32_t evt_head;
	uint64_t sem_seq;
	bool enabled;
};

/*
 * Program a unit: disable it, point it at the device table, its command buffer and event
 * log, enable all three, invalidate every cached device table entry and translation
 * (domids[0..nr_domids)) and wait for completion. 0, or -ETIMEDOUT (the unit did not
 * complete the wait; it is disabled again).
 */
int amdvi_hw_enable(struct amdvi_unit *u, uint64_t devtab_pa, const uint16_t *domids,
		    size_t nr_domids);
/* INVALIDATE_INTERRUPT_TABLE for devid, then a completion wait: after it the unit uses the
 * entries as they are in memory. 0 (also when the unit is off), or -ETIMEDOUT. */
int amdvi_hw_inv_intr(struct amdvi_unit *u, uint16_t devid);
/* Up to max events from its log into out (oldest first); *overflow set if it overflowed
 * (the events lost are not in out; the log is restarted). Cheap when empty: a memory read
 * and a register read (the status). */
size_t amdvi_hw_events(struct amdvi_unit *u, struct amdvi_event *out, size_t max,
		       bool *overflow);

#endif
