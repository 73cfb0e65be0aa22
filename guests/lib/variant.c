// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which partition this build of a guest is linked for. Built once per variant with
 * -DGUEST_LETTER='"a"' or '"b"' (guests/module.mk); everything else is shared.
 */
#include "guests/lib/setup.h"

#ifndef GUEST_LETTER
#error "GUEST_LETTER must be defined by the build"
#endif

const char guest_letter[] = GUEST_LETTER;
