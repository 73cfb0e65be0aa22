/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A ticket spinlock: the monitor's CPUs take turns in the order they asked, so none of them
 * starves while another guest's CPU logs or routes interrupts in a loop. The lock never sleeps
 * and never touches interrupts: the monitor runs with them off, except while a CPU idles or
 * lets a host interrupt in, and it holds no lock then.
 *
 * Header only (the EFI build and the host tests include it alike); plain GCC atomics.
 */
#ifndef TWINMON_LIB_SPINLOCK_H
#define TWINMON_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;		/* the ticket the next taker draws */
	uint32_t owner;		/* the ticket being served */
};

#define SPINLOCK_INIT ((struct spinlock){ 0, 0 })

static inline void spinlock_init(struct spinlock *l)
{
	__atomic_store_n(&l->next, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELEASE);
}

static inline void spinlock_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#endif
}

static inline void spinlock_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		spinlock_relax();
}

/* Take it only if nobody holds it or waits: the fault path must not wait on itself. */
static inline bool spinlock_trylock(struct spinlock *l)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	uint32_t want = owner;

	return __atomic_compare_exchange_n(&l->next, &want, owner + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spinlock_unlock(struct spinlock *l)
{
	/* Only the holder writes owner: a plain increment published with release order. */
	__atomic_store_n(&l->owner, __atomic_load_n(&l->owner, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELEASE);
}

static inline bool spinlock_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&l->next, __ATOMIC_ACQUIRE);
}

#endif
