/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86-64 instructions the test guests use, as inline functions. Guest-only: most of
 * these are privileged. Kept in one place so every other file reads as C.
 */
#ifndef TWINMON_GUESTS_CPU_H
#define TWINMON_GUESTS_CPU_H

#include <stdint.h>

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_EM		(1ull << 2)
#define CR0_TS		(1ull << 3)
#define CR0_ET		(1ull << 4)
#define CR0_NE		(1ull << 5)
#define CR0_WP		(1ull << 16)
#define CR0_AM		(1ull << 18)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_PG		(1ull << 31)

#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)

#define MSR_EFER	0xc0000080u
#define EFER_LME	(1ull << 8)
#define EFER_LMA	(1ull << 10)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* The operand of LGDT/LIDT/SGDT/SIDT. */
struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_ptr) == 10, "pseudo-descriptor is 10 bytes");

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

#define DEFINE_CR(n)                                                                       \
	static inline uint64_t read_cr##n(void)                                            \
	{                                                                                  \
		uint64_t v;                                                                \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                         \
		return v;                                                                  \
	}                                                                                  \
	static inline void write_cr##n(uint64_t v)                                         \
	{                                                                                  \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline struct desc_ptr sgdt(void)
{
	struct desc_ptr p;

	__asm__ volatile("sgdt %0" : "=m"(p));
	return p;
}

static inline struct desc_ptr sidt(void)
{
	struct desc_ptr p;

	__asm__ volatile("sidt %0" : "=m"(p));
	return p;
}

static inline void lgdt(const struct desc_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p) : "memory");
}

static inline void lidt(const struct desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p) : "memory");
}

static inline uint16_t str(void)
{
	uint16_t sel;

	__asm__ volatile("str %0" : "=r"(sel));
	return sel;
}

static inline void ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel) : "memory");
}

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

/* "memory": whatever an interrupt handler changes must be read again after these. */
static inline void cpu_irq_on(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void cpu_irq_off(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Stop this CPU for good: interrupts off, then HLT (a monitor may take the CPU back). */
static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

#endif
