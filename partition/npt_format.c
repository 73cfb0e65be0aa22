// SPDX-License-Identifier: GPL-2.0-only
/*
 * The two entry formats of the nested page-table builder. Both map the same plan with the
 * same permissions and memory types; only the bits differ.
 *
 * Memory types: AMD combines the nested entry's PAT/PCD/PWT with the guest's own PAT; RAM
 * leaves carry none of them (PAT entry 0, write-back) and MMIO leaves PCD|PWT (entry 3,
 * uncached). EPT leaves carry the type itself in bits 5:3 (write-back 6, uncached 0) and
 * leave IPAT clear, so the guest's PAT combines with it the way it does with an MTRR type
 * (SDM vol. 3C, "Memory Type Used for Translated Guest-Physical Addresses"): a guest that
 * maps its RAM uncached gets uncached, as on AMD.
 */
#include "partition/npt.h"

uint64_t npt_leaf_flags(unsigned attr)
{
	uint64_t f = NPT_P | NPT_US;

	if (attr & NPT_MAP_WRITE)
		f |= NPT_RW;
	if (attr & NPT_MAP_UC)
		f |= NPT_PCD | NPT_PWT;
	if (attr & NPT_MAP_NOEXEC)
		f |= NPT_NX;
	return f;
}

uint64_t npt_ept_leaf_flags(unsigned attr)
{
	uint64_t f = EPT_R;

	if (attr & NPT_MAP_WRITE)
		f |= EPT_W;
	if (!(attr & NPT_MAP_NOEXEC))
		f |= EPT_X;
	f |= ((attr & NPT_MAP_UC) ? EPT_MT_UC : EPT_MT_WB) << EPT_MT_SHIFT;
	return f;
}

static bool npt_amd_entry_ok(uint64_t e, int level, bool leaf)
{
	return true;
}

/* What an EPT walk would call a misconfiguration (SDM vol. 3C, "EPT Misconfigurations"). */
static bool npt_ept_entry_ok(uint64_t e, int level, bool leaf)
{
	uint64_t mt = (e & EPT_MT_MASK) >> EPT_MT_SHIFT;

	if ((e & (EPT_R | EPT_W)) == EPT_W)
		return false;
	if (!leaf)
		return !(e & (EPT_MT_MASK | EPT_IPAT | EPT_PS));
	/* Types 2, 3 and 7 are reserved. */
	return mt == 0 || mt == 1 || mt == 4 || mt == 5 || mt == 6;
}

const struct npt_format npt_format_amd = {
	.name = "npt",
	.present = NPT_P,
	/* Non-leaf entries allow everything: the leaf alone decides (permissions AND together). */
	.table = NPT_P | NPT_RW | NPT_US,
	.and_bits = NPT_RW | NPT_US,
	.or_bits = NPT_NX,
	.high_bits = 0x7ff0000000000000ULL,
	.large_addr_ok = 0x1000,
	.leaf = npt_leaf_flags,
	.entry_ok = npt_amd_entry_ok,
};

const struct npt_format npt_format_ept = {
	.name = "ept",
	.present = EPT_R | EPT_W | EPT_X,
	.table = EPT_R | EPT_W | EPT_X,
	.and_bits = EPT_R | EPT_W | EPT_X,
	.or_bits = 0,
	.high_bits = 0xfff0000000000000ULL,
	.large_addr_ok = 0,
	.leaf = npt_ept_leaf_flags,
	.entry_ok = npt_ept_entry_ok,
};

uint64_t npt_ept_pointer(const struct npt *npt, bool ad)
{
	if (npt->fmt != &npt_format_ept || !npt->root)
		return 0;
	return npt->root_pa | EPTP_MT_WB | EPTP_WALK_4 | (ad ? EPTP_AD : 0);
}
