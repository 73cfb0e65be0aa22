// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/hist.h"

unsigned hist_bucket(uint64_t value)
{
	unsigned k = 0;

	while (value > 1 && k < HIST_BUCKETS - 1) {
		value >>= 1;
		k++;
	}
	return k;
}

void hist_add(struct hist *h, uint64_t value)
{
	if (!h->count || value < h->min)
		h->min = value;
	if (!h->count || value > h->max)
		h->max = value;
	h->count++;
	h->sum = h->sum + value < h->sum ? UINT64_MAX : h->sum + value;
	h->bucket[hist_bucket(value)]++;
}

void hist_merge(struct hist *into, const struct hist *from)
{
	if (!from->count)
		return;
	if (!into->count || from->min < into->min)
		into->min = from->min;
	if (!into->count || from->max > into->max)
		into->max = from->max;
	into->count += from->count;
	into->sum = into->sum + from->sum < into->sum ? UINT64_MAX : into->sum + from->sum;
	for (unsigned k = 0; k < HIST_BUCKETS; k++)
		into->bucket[k] += from->bucket[k];
}
