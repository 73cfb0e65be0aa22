/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal virtual CMOS/RTC (MC146818) for a guest that does not own ports 0x70/0x71.
 * Linux polls the update-in-progress flag and probes rtc_cmos; on ports that read 0xFF that
 * costs about a second of emulated I/O. This model answers at once and tells the truth: the
 * time is the wall clock given at init plus the TSC time since, the update flag is never
 * set, and there are no interrupts (the FADT says there is no CMOS RTC).
 *
 * Registers (index written to 0x70, data through 0x71):
 *   0x00 0x02 0x04  seconds, minutes, hours      0x06  weekday (1 = Sunday)
 *   0x07 0x08 0x09  day, month, year (2 digits)   0x32  century
 *   0x01 0x03 0x05  alarm seconds/minutes/hours: plain storage, no alarm ever fires
 *   0x0A  A: default 0x26; bits 6:0 writable, bit 7 (UIP) always reads 0
 *   0x0B  B: default 0x02 (24-hour, BCD); all bits writable. DM (bit 2) selects binary,
 *         24/12 (bit 1) clear selects 12-hour hours (1..12, bit 7 = PM). SET (bit 7) freezes
 *         the clock for field-by-field writes, as on the chip, and clears UIE.
 *   0x0C  C: always 0 (no interrupt flags are raised); read-only, reads clear it
 *   0x0D  D: 0x80 (valid RAM and time); read-only
 *   0x0E..0x7F  plain RAM, zero at start (except 0x32)
 * Writes to the time registers set the guest's own clock: the other fields are kept, the
 * result is normalised (e.g. 31 February becomes 2 or 3 March), fields out of range are
 * clamped (seconds/minutes to 59, hours to 23, month to 1..12, day to at least 1), and later
 * reads advance from the written time. Writes to the weekday are ignored (it is always
 * derived from the date). The value format of a write follows register B at that moment.
 *
 * Pure C: host-tested and linked into the EFI app. No locking: one guest, one vCPU.
 */
#ifndef TWINMON_MONITOR_VCMOS_H
#define TWINMON_MONITOR_VCMOS_H

#include <stdbool.h>
#include <stdint.h>

#define VCMOS_PORT_INDEX 0x70
#define VCMOS_PORT_DATA 0x71

#define VCMOS_SEC 0x00
#define VCMOS_SEC_ALARM 0x01
#define VCMOS_MIN 0x02
#define VCMOS_MIN_ALARM 0x03
#define VCMOS_HOUR 0x04
#define VCMOS_HOUR_ALARM 0x05
#define VCMOS_WEEKDAY 0x06
#define VCMOS_DAY 0x07
#define VCMOS_MONTH 0x08
#define VCMOS_YEAR 0x09
#define VCMOS_REG_A 0x0a
#define VCMOS_REG_B 0x0b
#define VCMOS_REG_C 0x0c
#define VCMOS_REG_D 0x0d
#define VCMOS_CENTURY 0x32

#define VCMOS_A_UIP 0x80
#define VCMOS_B_SET 0x80
#define VCMOS_B_UIE 0x10
#define VCMOS_B_DM 0x04		/* binary, not BCD */
#define VCMOS_B_24H 0x02
#define VCMOS_D_VRT 0x80

/* A broken-down time, binary; year is the full year (century * 100 + 2-digit year). */
struct vcmos_tm {
	uint8_t sec, min, hour, day, month;
	uint16_t year;
};

struct vcmos {
	int64_t base_seconds;	/* the guest's clock (Unix seconds) at TSC base_tsc */
	uint64_t base_tsc;
	uint64_t tsc_hz;	/* 0: the clock stands still */
	struct vcmos_tm latched; /* the frozen time while B.SET is set */
	uint8_t index;		/* the register 0x70 selects (7 bits) */
	bool nmi_disabled;	/* bit 7 of the last index write: remembered, not applied */
	uint8_t ram[128];	/* A, B, alarms and RAM; the time registers are computed */
};

/*
 * unix_seconds: wall-clock time (UTC) at TSC `now`; tsc_khz: TSC frequency. Time is kept
 * for years 0..9999 (the century register is two BCD digits).
 */
void vcmos_init(struct vcmos *c, uint64_t unix_seconds, uint64_t now, uint64_t tsc_khz);

/*
 * A port access; `now` is the TSC at the access. Returns false, touching nothing, for ports
 * other than 0x70/0x71. 0x70 takes the index (bit 7 = NMI disable, remembered, not used
 * for addressing) and reads as 0xFF, as QEMU's model does (the index port is write-only).
 * 0x71 reads or writes the selected register. The ports are byte ports and the model keeps
 * to the one addressed: for size 2 or 4 only the low byte is written, and a read returns the
 * byte in bits 7:0 with the upper bytes all ones (a chipset would pass the upper bytes on to
 * the following ports; nothing uses that); other sizes act as 1.
 */
bool vcmos_io(struct vcmos *c, uint16_t port, bool in, uint8_t size, uint32_t *val, uint64_t now);

/* The guest's clock at `now` in Unix seconds (what the time registers show). */
int64_t vcmos_time(const struct vcmos *c, uint64_t now);

#endif
