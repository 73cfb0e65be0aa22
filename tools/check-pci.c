// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check --pci FILE: the machine's PCI BARs as text (partition/pci_text.h). With it,
 * each planned guest's functions get their BARs as the EFI app would give them at boot, on
 * a simulated configuration space, so a BAR that shares a page with a function the guest
 * does not own is named now rather than at boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/pci_text.h"
#include "tools/check.h"

#define CHECK_PCI_FILE_MAX (1u << 20)

int check_pci_load(struct check_machine *m, char *err, size_t errlen)
{
	char perr[PARTITION_ERR_MAX];
	FILE *f = fopen(m->pci_path, "rb");
	size_t len, lines = 1;
	char *text;
	int rc;

	if (!f) {
		rc = -errno;
		fmt_snprintf(err, errlen, "%s: cannot read: %s", m->pci_path, strerror(errno));
		return rc;
	}
	text = malloc(CHECK_PCI_FILE_MAX + 1);
	len = text ? fread(text, 1, CHECK_PCI_FILE_MAX + 1, f) : 0;
	rc = !text ? -ENOMEM : ferror(f) ? -EIO : len > CHECK_PCI_FILE_MAX ? -EFBIG : 0;
	fclose(f);
	/* One BAR a line at most, so the line count is a capacity that always fits. */
	for (size_t i = 0; !rc && i < len; i++)
		lines += text[i] == '\n';
	if (!rc && !(m->pci_bars = calloc(lines, sizeof(*m->pci_bars))))
		rc = -ENOMEM;
	if (rc) {
		free(text);
		fmt_snprintf(err, errlen, "%s: cannot read: %s", m->pci_path, strerror(-rc));
		return rc;
	}
	rc = partition_pci_parse_text(text, len, m->pci_bars, lines, &m->nr_pci_bars, perr,
				      sizeof(perr));
	free(text);
	if (rc)
		fmt_snprintf(err, errlen, "%s: %s", m->pci_path, perr);
	return rc;
}

void check_pci_free(struct check_machine *m)
{
	free(m->pci_bars);
	m->pci_bars = NULL;
	m->nr_pci_bars = 0;
}

int check_pci_plan(struct check_file *cf)
{
	const struct check_machine *m = cf->machine;
	struct partition_plan *plan = &cf->plan;
	struct partition_pci_desc desc;
	struct partition_pci_ops ops;
	uint8_t *sized;
	int rc = 0;

	if (!m->pci_path)
		return 0;
	sized = calloc(2 * m->nr_pci_bars + 1, 1);
	if (!sized)
		return partition_fail(plan, -ENOMEM, "pci: out of memory");
	desc = (struct partition_pci_desc){ m->pci_bars, m->nr_pci_bars, sized };
	ops = partition_pci_desc_ops(&desc);
	for (unsigned g = 0; !rc && g < PARTITION_NR_GUESTS; g++)
		if (plan->guest[g].present && plan->guest[g].nr_pci)
			rc = partition_add_pci_bars(plan, g, &ops);
	free(sized);
	return rc;
}
