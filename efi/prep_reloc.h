/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The indirection list of a start (efi/prep_reloc.c): every present guest's segments in one
 * list, so that no source page of one guest sits where another guest's segment is copied.
 * Its pages come from the firmware, so it is built while boot services run.
 */
#ifndef TWINMON_EFI_PREP_RELOC_H
#define TWINMON_EFI_PREP_RELOC_H

#include "efi/prep.h"

/* p->all and p->reloc from the guests' plans. 0, or a negative errno with the reason logged. */
int prep_reloc(struct prep *p);

#endif
