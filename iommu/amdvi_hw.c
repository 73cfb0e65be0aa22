// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD-Vi register programming and its event log (see amdvi.h): the only part of the backend
 * that touches the hardware. Registers are 64 bits wide and read and written whole.
 */
#include <errno.h>

#include "iommu/amdvi.h"

/* How long a completion wait may take, in polls of the store (far beyond any real unit). */
#define AMDVI_WAIT_POLLS	50000000u
#define AMDVI_RING_BYTES	IOMMU_PAGE

static uint64_t amdvi_rd(struct amdvi_unit *u, unsigned reg)
{
	return *(volatile uint64_t *)(u->mmio + reg);
}

static void amdvi_wr(struct amdvi_unit *u, unsigned reg, uint64_t v)
{
	*(volatile uint64_t *)(u->mmio + reg) = v;
}

static void amdvi_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

/* Queue one command; waits (bounded) while the ring is full. */
static int amdvi_cmd(struct amdvi_unit *u, uint64_t q0, uint64_t q1)
{
	uint32_t next = (u->cmd_tail + AMDVI_RING_ENTRY) % AMDVI_RING_BYTES;
	unsigned polls = 0;

	while ((amdvi_rd(u, AMDVI_REG_CMD_HEAD) & AMDVI_RING_MASK) == next) {
		if (++polls > AMDVI_WAIT_POLLS)
			return -ETIMEDOUT;
		amdvi_pause();
	}
	u->cmd[u->cmd_tail / 8] = q0;
	u->cmd[u->cmd_tail / 8 + 1] = q1;
	__asm__ volatile("" ::: "memory");
	u->cmd_tail = next;
	amdvi_wr(u, AMDVI_REG_CMD_TAIL, next);
	return 0;
}

/* COMPLETION_WAIT with a store, and wait for the store: every command before it is done. */
static int amdvi_sync(struct amdvi_unit *u)
{
	uint64_t seq = ++u->sem_seq;
	int err = amdvi_cmd(u, (u->sem_pa & 0x000ffffffffffff8ULL) | AMDVI_CMD_CW_STORE |
				       AMDVI_CMD_OP(AMDVI_CMD_COMPLETION_WAIT), seq);

	if (err < 0)
		return err;
	for (unsigned polls = 0; *u->sem != seq; polls++) {
		if (polls > AMDVI_WAIT_POLLS)
			return -ETIMEDOUT;
		amdvi_pause();
	}
	return 0;
}

static int amdvi_invalidate(struct amdvi_unit *u, const uint16_t *domids, size_t nr_domids)
{
	int err = 0;

	if (u->efr & AMDVI_EFR_IA)
		err = amdvi_cmd(u, AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_ALL), 0);
	for (uint32_t d = 0; !err && !(u->efr & AMDVI_EFR_IA) && d <= u->max_devid; d++)
		err = amdvi_cmd(u, AMDVI_CMD_OP(AMDVI_CMD_INV_DEVTAB_ENTRY) | d, 0);
	for (size_t i = 0; !err && i < nr_domids; i++)
		err = amdvi_cmd(u, AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_PAGES) |
				       (uint64_t)domids[i] << 32, AMDVI_CMD_PAGES_ALL);
	return err ? err : amdvi_sync(u);
}

int amdvi_hw_enable(struct amdvi_unit *u, uint64_t devtab_pa, const uint16_t *domids,
		    size_t nr_domids)
{
	int err;

	/* The firmware may have left it on: program it off, then turn everything on at once
	 * (an emulated unit runs commands only while it is enabled). */
	amdvi_wr(u, AMDVI_REG_CONTROL, 0);
	amdvi_wr(u, AMDVI_REG_EXCL_BASE, 0);
	amdvi_wr(u, AMDVI_REG_EXCL_LIMIT, 0);
	amdvi_wr(u, AMDVI_REG_DEVTAB, devtab_pa | (AMDVI_DEVTAB_PAGES - 1));
	amdvi_wr(u, AMDVI_REG_CMDBUF, u->cmd_pa | AMDVI_RING_LEN_4K);
	amdvi_wr(u, AMDVI_REG_EVTLOG, u->evt_pa | AMDVI_RING_LEN_4K);
	amdvi_wr(u, AMDVI_REG_CMD_HEAD, 0);
	amdvi_wr(u, AMDVI_REG_CMD_TAIL, 0);
	amdvi_wr(u, AMDVI_REG_EVT_HEAD, 0);
	amdvi_wr(u, AMDVI_REG_EVT_TAIL, 0);
	amdvi_wr(u, AMDVI_REG_STATUS, AMDVI_STATUS_EVT_OVF);
	u->cmd_tail = 0;
	u->evt_head = 0;
	amdvi_wr(u, AMDVI_REG_CONTROL, AMDVI_CTL_CMDBUF_EN | AMDVI_CTL_EVTLOG_EN |
					       AMDVI_CTL_IOMMU_EN);
	if ((err = amdvi_invalidate(u, domids, nr_domids)) < 0) {
		amdvi_wr(u, AMDVI_REG_CONTROL, 0);
		return err;
	}
	u->enabled = true;
	return 0;
}

int amdvi_hw_inv_intr(struct amdvi_unit *u, uint16_t devid)
{
	int err;

	if (!u->enabled)
		return 0;
	if ((err = amdvi_cmd(u, AMDVI_CMD_OP(AMDVI_CMD_INV_INTR_TABLE) | devid, 0)) < 0)
		return err;
	return amdvi_sync(u);
}

void amdvi_event_decode(const uint64_t raw[2], struct amdvi_event *e)
{
	e->devid = (uint16_t)raw[0];
	e->domid = (uint16_t)(raw[0] >> 32);
	e->flags = (uint16_t)((raw[0] >> 48) & 0xfff);
	e->code = (uint8_t)(raw[0] >> 60);
	e->addr = raw[1];
}

const char *amdvi_event_name(uint8_t code)
{
	static const char *const names[] = {
		[1] = "ILLEGAL_DEV_TABLE_ENTRY",
		[2] = "IO_PAGE_FAULT",
		[3] = "DEV_TAB_HARDWARE_ERROR",
		[4] = "PAGE_TAB_HARDWARE_ERROR",
		[5] = "ILLEGAL_COMMAND_ERROR",
		[6] = "COMMAND_HARDWARE_ERROR",
		[7] = "IOTLB_INV_TIMEOUT",
		[8] = "INVALID_DEVICE_REQUEST",
		[9] = "INVALID_PPR_REQUEST",
		[10] = "EVENT_COUNTER_ZERO",
	};

	if (code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown event";
}

/*
 * After an overflow the spec's way back: event logging off (and stopped), head and tail
 * back to the start, the overflow flag cleared, logging on again. The emulator in QEMU 7.2
 * needs it too: it counts its own tail and stops for good once that reaches the log's end.
 */
static void amdvi_evtlog_restart(struct amdvi_unit *u)
{
	amdvi_wr(u, AMDVI_REG_CONTROL, AMDVI_CTL_CMDBUF_EN | AMDVI_CTL_IOMMU_EN);
	for (unsigned polls = 0; polls < AMDVI_WAIT_POLLS &&
				 (amdvi_rd(u, AMDVI_REG_STATUS) & AMDVI_STATUS_EVT_RUN); polls++)
		amdvi_pause();
	for (unsigned i = 0; i < AMDVI_RING_BYTES / 8; i++)
		u->evt[i] = 0;
	amdvi_wr(u, AMDVI_REG_EVT_HEAD, 0);
	amdvi_wr(u, AMDVI_REG_EVT_TAIL, 0);
	amdvi_wr(u, AMDVI_REG_STATUS, AMDVI_STATUS_EVT_OVF);
	amdvi_wr(u, AMDVI_REG_CONTROL, AMDVI_CTL_CMDBUF_EN | AMDVI_CTL_EVTLOG_EN |
					       AMDVI_CTL_IOMMU_EN);
	u->evt_head = 0;
}

size_t amdvi_hw_events(struct amdvi_unit *u, struct amdvi_event *out, size_t max,
		       bool *overflow)
{
	size_t n = 0;

	*overflow = false;
	if (!u->enabled)
		return 0;
	/*
	 * The unit writes an entry before it moves its tail register, and no event has code 0:
	 * an entry is new when its code is set, and consumed ones are zeroed. So the entries
	 * come out whether the tail register moves or not (QEMU 7.2's never does).
	 */
	while (n < max) {
		volatile uint64_t *e = &u->evt[u->evt_head / 8];
		uint64_t raw[2];

		if (!(e[0] >> 60))
			break;
		raw[0] = e[0];
		raw[1] = e[1];
		e[0] = 0;
		e[1] = 0;
		amdvi_event_decode(raw, &out[n++]);
		u->evt_head = (u->evt_head + AMDVI_RING_ENTRY) % AMDVI_RING_BYTES;
	}
	if (n)
		amdvi_wr(u, AMDVI_REG_EVT_HEAD, u->evt_head);
	if (amdvi_rd(u, AMDVI_REG_STATUS) & AMDVI_STATUS_EVT_OVF) {
		*overflow = true;
		amdvi_evtlog_restart(u);
	}
	return n;
}
