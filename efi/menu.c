// SPDX-License-Identifier: GPL-2.0-only
#include "efi/menu.h"

#include <efi.h>
#include <efilib.h>

#include "efi/log.h"

#define MENU_TICK_100NS 10000000ULL /* one second */

static void menu_draw(const struct menu *m, size_t selected)
{
	log_console("%s", "");
	log_console("%s", m->title);
	for (size_t i = 0; i < m->note_count; i++)
		log_console("  %s", m->notes[i]);
	for (size_t i = 0; i < m->count; i++)
		log_console(" %c %zu) %s%s", i == selected ? '>' : ' ', i + 1, m->entries[i].label,
			    i == m->default_index ? "  (default)" : "");
}

static void menu_prompt(const struct menu *m, size_t selected, int remaining)
{
	if (remaining >= 0)
		log_console("Press 1-%zu, or arrows and Enter; booting '%s' in %d s", m->count,
			    m->entries[selected].label, remaining);
	else
		log_console("Press 1-%zu, or arrows and Enter", m->count);
}

int menu_run(const struct menu *m)
{
	EFI_EVENT timer = NULL;
	EFI_EVENT events[2];
	size_t selected = m->default_index < m->count ? m->default_index : 0;
	int remaining = (int)m->timeout_s;
	EFI_STATUS st;

	if (m->count == 0)
		return -1;
	menu_draw(m, selected);
	if (m->timeout_s == 0)
		return m->entries[selected].id;

	/* Without a timer the menu simply waits for a key: never boot half-chosen. */
	st = BS->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer);
	if (EFI_ERROR(st) || EFI_ERROR(BS->SetTimer(timer, TimerPeriodic, MENU_TICK_100NS))) {
		if (timer)
			BS->CloseEvent(timer);
		timer = NULL;
		remaining = -1;
	}
	menu_prompt(m, selected, remaining);

	events[0] = ST->ConIn->WaitForKey;
	events[1] = timer;
	for (;;) {
		UINTN which = 0;
		EFI_INPUT_KEY key;

		st = BS->WaitForEvent(timer ? 2 : 1, events, &which);
		if (EFI_ERROR(st))
			break;
		if (which == 1) {
			if (remaining < 0)
				continue;
			if (--remaining <= 0)
				break;
			menu_prompt(m, selected, remaining);
			continue;
		}
		if (EFI_ERROR(ST->ConIn->ReadKeyStroke(ST->ConIn, &key)))
			continue;
		remaining = -1; /* any key stops the countdown */
		if (key.ScanCode == SCAN_UP && selected > 0) {
			selected--;
		} else if (key.ScanCode == SCAN_DOWN && selected + 1 < m->count) {
			selected++;
		} else if (key.UnicodeChar == CHAR_CARRIAGE_RETURN || key.UnicodeChar == '\n') {
			break;
		} else if (key.UnicodeChar >= '1' && key.UnicodeChar < '1' + m->count) {
			selected = key.UnicodeChar - '1';
			break;
		} else {
			menu_prompt(m, selected, remaining);
			continue;
		}
		menu_draw(m, selected);
		menu_prompt(m, selected, remaining);
	}
	if (timer) {
		BS->SetTimer(timer, TimerCancel, 0);
		BS->CloseEvent(timer);
	}
	return m->entries[selected].id;
}
