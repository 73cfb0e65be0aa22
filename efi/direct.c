// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `direct` boot entry: load one guest with the segment loader, leave boot services and
 * jump to it without the monitor, as kexec and akmem do. It is the baseline the partitioned
 * runs are compared with, and the first proof of the loader on real kernels.
 */
#include "efi/direct.h"

#include <efilib.h>

#include "efi/log.h"
#include "efi/platform.h"
#include "efi/prep.h"

static struct prep direct_prep;

/* On the pool's stack, segments copied and checked: jump, or refuse a damaged guest. */
static void direct_enter(struct prep *p)
{
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		struct prep_guest *g = &p->guest[gi];
		if (!g->present)
			continue;
		if (!g->verified)
			platform_power_off(RT, PLATFORM_EXIT_FAILURE);
		log_printf("direct: entering guest %c at 0x%llx (boot_params 0x%llx)", g->letter,
			   (unsigned long long)g->lplan.entry,
			   (unsigned long long)g->lplan.boot_params);
		p->enter(g->lplan.entry, g->lplan.boot_params);
	}
}

EFI_STATUS direct_boot(EFI_HANDLE image, EFI_FILE_HANDLE root, const struct twin_config *cfg,
		       uint32_t boot)
{
	if (prep_load(&direct_prep, image, root, cfg, boot, 0) < 0)
		return EFI_LOAD_ERROR;
	prep_start(&direct_prep, image, direct_enter);
}
