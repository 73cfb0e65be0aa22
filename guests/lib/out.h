/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Line output of the test guests: every line starts with the program's prefix
 * ("heartbeat a: ") and goes to the guest's UART; out_log() lines also go to the monitor's
 * log through TM_HC_CONSOLE_WRITE when the guest runs under twinmon, so the tests and the
 * demo see the milestones (start, verdicts, failures) in one place.
 */
#ifndef TWINMON_GUESTS_OUT_H
#define TWINMON_GUESTS_OUT_H

#include <stdbool.h>
#include <stdint.h>

#define OUT_LINE_MAX	256	/* longer lines are cut */

/* prefix is kept by reference; monitor: whether hypercalls may be used. */
void out_init(const char *prefix, bool monitor);

/* One line to the UART. */
void out_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line to the UART and, under twinmon, to the monitor's log. */
void out_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The guest's verdict: a "verdict pass|fail(<code>): <message>" line on the UART and, under
 * twinmon, TM_HC_VERDICT with the message (code 0 is pass).
 */
void out_verdict(uint64_t code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether out_init() was told the monitor is there. */
bool out_monitor(void);

#endif
