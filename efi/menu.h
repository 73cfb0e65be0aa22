/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot menu. It is drawn on ConOut, which OVMF (and most firmware with a serial console)
 * mirrors on the serial port, and reads ConIn, which merges the keyboard and the serial
 * terminal: the same menu works on the screen and over COM1.
 */
#ifndef TWINMON_EFI_MENU_H
#define TWINMON_EFI_MENU_H

#include <stddef.h>

#define MENU_MAX_ENTRIES 9	/* chosen by a single digit */

struct menu_entry {
	const char *label;
	int id;			/* returned when chosen */
};

struct menu {
	const char *title;
	const struct menu_entry *entries;
	size_t count;
	size_t default_index;
	unsigned timeout_s;	/* countdown to the default; 0 boots the default at once */
	const char *const *notes;	/* lines shown above the entries (errors), may be NULL */
	size_t note_count;
};

/* Show the menu and return the id of the chosen entry (the default when the countdown ends). */
int menu_run(const struct menu *m);

#endif
