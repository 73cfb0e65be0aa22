// SPDX-License-Identifier: GPL-2.0-only
/* lib/spinlock.h: mutual exclusion between real threads, and the trylock the fault path uses. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/spinlock.h"

#define THREADS 2
#define ROUNDS	1000000

static struct spinlock lock = SPINLOCK_INIT;
/* Updated without atomics under the lock: a lost update shows a lock that did not exclude. */
static volatile uint64_t counter;
static volatile unsigned inside;
static volatile unsigned overlaps;

static void *worker(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < ROUNDS; i++) {
		spinlock_lock(&lock);
		if (inside++)
			overlaps++;
		counter = counter + 1;
		inside--;
		spinlock_unlock(&lock);
	}
	return NULL;
}

static void test_threads_exclude(void **state)
{
	pthread_t t[THREADS];

	(void)state;
	counter = 0;
	for (unsigned i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
	for (unsigned i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(overlaps, 0);
	assert_int_equal(counter, (uint64_t)THREADS * ROUNDS);
	assert_false(spinlock_held(&lock));
}

static void test_trylock(void **state)
{
	struct spinlock l;

	(void)state;
	spinlock_init(&l);
	assert_false(spinlock_held(&l));
	assert_true(spinlock_trylock(&l));
	assert_true(spinlock_held(&l));
	assert_false(spinlock_trylock(&l));
	spinlock_unlock(&l);
	assert_false(spinlock_held(&l));
	spinlock_lock(&l);
	assert_false(spinlock_trylock(&l));
	spinlock_unlock(&l);
	assert_true(spinlock_trylock(&l));
	spinlock_unlock(&l);
}

/* Tickets wrap around 2^32 without losing the order. */
static void test_wrap(void **state)
{
	struct spinlock l = { UINT32_MAX, UINT32_MAX };

	(void)state;
	spinlock_lock(&l);
	assert_true(spinlock_held(&l));
	spinlock_unlock(&l);
	assert_int_equal(l.owner, 0);
	assert_true(spinlock_trylock(&l));
	spinlock_unlock(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_exclude),
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
