// SPDX-License-Identifier: GPL-2.0-only
/*
 * The few C library functions a freestanding guest still needs: GCC emits calls to memcpy
 * and memset for structure copies and clears even with -ffreestanding. The string
 * instructions keep the compiler from turning these loops back into calls to themselves.
 */
#include <string.h>

void *memset(void *s, int c, size_t n)
{
	void *d = s;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return s;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	const unsigned char *s = src;
	unsigned char *d = dst;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with the destination above: copy backwards. */
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
