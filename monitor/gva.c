// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/gva.h"

#include <errno.h>
#include <string.h>

#include "monitor/x86.h"

#define GVA_P		(1ULL << 0)
#define GVA_RW		(1ULL << 1)
#define GVA_US		(1ULL << 2)
#define GVA_PS		(1ULL << 7)
#define GVA_ADDR_MASK	0x000ffffffffff000ULL

int gva_translate(struct monitor *m, const struct guest *g, const struct gva_paging *p,
		  uint64_t gva, bool write, uint64_t *gpa, uint32_t *pf_error)
{
	bool user = p->cpl == 3;
	bool wp = user || (p->cr0 & CR0_WP);
	uint64_t table, entry = 0;
	bool rw = true, us = true;
	int levels, level;

	*pf_error = (write ? GVA_PF_W : 0) | (user ? GVA_PF_U : 0);
	if (!(p->cr0 & CR0_PG)) {
		*gpa = (p->efer & EFER_LMA) ? gva : (uint32_t)gva;
		return 0;
	}
	if (!(p->efer & EFER_LMA))
		return -ENOTSUP;
	levels = (p->cr4 & CR4_LA57) ? 5 : 4;
	table = p->cr3 & GVA_ADDR_MASK;
	for (level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (unsigned)(level - 1);
		uint64_t idx = (gva >> shift) & 511;
		const uint64_t *e = monitor_guest_ptr(m, g, table + idx * 8, 8);

		if (!e)
			return -EFAULT;
		memcpy(&entry, e, sizeof(entry));
		if (!(entry & GVA_P))
			return -EFAULT;
		rw = rw && (entry & GVA_RW);
		us = us && (entry & GVA_US);
		/* A large page: 1 GiB in a PDPE, 2 MiB in a PDE. */
		if ((level == 2 || level == 3) && (entry & GVA_PS)) {
			uint64_t size = 1ULL << shift;

			table = (entry & GVA_ADDR_MASK & ~(size - 1)) | (gva & (size - 1));
			break;
		}
		table = entry & GVA_ADDR_MASK;
		if (level == 1)
			table |= gva & 0xfff;
	}
	*pf_error |= GVA_PF_P;
	if ((user && !us) || (write && wp && !rw))
		return -EFAULT;
	*gpa = table;
	return 0;
}
