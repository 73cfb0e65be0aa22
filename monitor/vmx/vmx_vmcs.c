// SPDX-License-Identifier: GPL-2.0-only
/* VMCS field names for state dumps and VMREAD/VMWRITE failure messages. */
#include <stddef.h>

#include "monitor/vmx/vmx_vmcs.h"

struct vmx_field_name {
	uint32_t enc;
	const char *name;
};

#define VMCS_FIELD_NAME(name, enc, width, kind) { enc, #name },
static const struct vmx_field_name vmx_field_names[] = { VMCS_FIELDS(VMCS_FIELD_NAME) };
#undef VMCS_FIELD_NAME

const char *vmx_vmcs_field_name(uint32_t enc)
{
	for (size_t i = 0; i < sizeof(vmx_field_names) / sizeof(vmx_field_names[0]); i++)
		if (vmx_field_names[i].enc == enc)
			return vmx_field_names[i].name;
	return NULL;
}
