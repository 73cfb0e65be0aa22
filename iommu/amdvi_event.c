// SPDX-License-Identifier: GPL-2.0-only
/* AMD-Vi event log entries (see amdvi.h). */
#include "iommu/amdvi.h"

void amdvi_event_decode(const uint64_t raw[2], struct amdvi_event *e)
{
	e->devid = (uint16_t)raw[0];
	e->domid = (uint16_t)(raw[0] >> 32);
	e->flags = (uint16_t)((raw[0] >> 48) & 0xfff);
	e->code = (uint8_t)(raw[0] >> 60);
	e->addr = raw[1];
}

const char *amdvi_event_name(uint8_t code)
{
	static const char *const names[] = {
		[1] = "ILLEGAL_DEV_TABLE_ENTRY",
		[2] = "IO_PAGE_FAULT",
		[3] = "DEV_TAB_HARDWARE_ERROR",
		[4] = "PAGE_TAB_HARDWARE_ERROR",
		[5] = "ILLEGAL_COMMAND_ERROR",
		[6] = "COMMAND_HARDWARE_ERROR",
		[7] = "IOTLB_INV_TIMEOUT",
		[8] = "INVALID_DEVICE_REQUEST",
		[9] = "INVALID_PPR_REQUEST",
		[10] = "EVENT_COUNTER_ZERO",
	};

	if (code < sizeof(names) / sizeof(names[0]) && names[code])
		return names[code];
	return "unknown event";
}
