// SPDX-License-Identifier: GPL-2.0-only
/* SHA-256 against the FIPS 180-4 / NIST CAVP example vectors, and its incremental paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "loader/loader.h"
#include "loader/sha256.h"

static void hex(const uint8_t *d, char *out)
{
	loader_digest_hex(d, LOADER_SHA256_SIZE, out);
}

static void check(const void *msg, size_t len, const char *want)
{
	uint8_t d[LOADER_SHA256_SIZE];
	char got[65];

	loader_sha256(msg, len, d);
	hex(d, got);
	assert_string_equal(got, want);
}

static void test_sha256_empty(void **state)
{
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256_empty_without_buffer(void **state)
{
	/* An empty segment has no buffer at all: hashing (NULL, 0) must be the empty digest. */
	check(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256_abc(void **state)
{
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256_two_blocks(void **state)
{
	/* 448 bits: the padding no longer fits the first block. */
	static const char m[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_896_bits(void **state)
{
	static const char m[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
				"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	check(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_sha256_million_a(void **state)
{
	struct loader_sha256 s;
	uint8_t d[LOADER_SHA256_SIZE], chunk[997];
	char got[65];
	size_t left = 1000000;

	/* An odd chunk size exercises the partial-block path on every call. */
	memset(chunk, 'a', sizeof(chunk));
	loader_sha256_init(&s);
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);

		loader_sha256_update(&s, chunk, n);
		left -= n;
	}
	loader_sha256_final(&s, d);
	hex(d, got);
	assert_string_equal(got,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_every_split_matches_one_shot(void **state)
{
	uint8_t msg[200], one[LOADER_SHA256_SIZE], two[LOADER_SHA256_SIZE];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 31 + 7);
	for (size_t len = 0; len <= sizeof(msg); len += 13) {
		loader_sha256(msg, len, one);
		for (size_t cut = 0; cut <= len; cut++) {
			struct loader_sha256 s;

			loader_sha256_init(&s);
			loader_sha256_update(&s, msg, cut);
			loader_sha256_update(&s, msg + cut, len - cut);
			loader_sha256_final(&s, two);
			assert_memory_equal(one, two, sizeof(one));
		}
	}
}

static void test_sha256_zeros_match_zero_buffer(void **state)
{
	static const size_t lens[] = { 0, 1, 55, 56, 63, 64, 65, 255, 256, 257, 5000 };
	uint8_t *zero = calloc(1, 5000 + 3);

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct loader_sha256 a;
		uint8_t da[LOADER_SHA256_SIZE], db[LOADER_SHA256_SIZE];

		/* A 3-byte prefix puts the zero run off block boundaries, as a segment tail is. */
		loader_sha256_init(&a);
		loader_sha256_update(&a, "xyz", 3);
		loader_sha256_zeros(&a, lens[i]);
		loader_sha256_final(&a, da);
		memcpy(zero, "xyz", 3);
		loader_sha256(zero, 3 + lens[i], db);
		assert_memory_equal(da, db, sizeof(da));
		memset(zero, 0, 3);
	}
	free(zero);
}

static void test_sha256_differs_on_one_bit(void **state)
{
	uint8_t msg[100] = { 0 }, a[LOADER_SHA256_SIZE], b[LOADER_SHA256_SIZE];

	loader_sha256(msg, sizeof(msg), a);
	msg[99] ^= 0x80;
	loader_sha256(msg, sizeof(msg), b);
	assert_memory_not_equal(a, b, sizeof(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_empty),
		cmocka_unit_test(test_sha256_empty_without_buffer),
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_two_blocks),
		cmocka_unit_test(test_sha256_896_bits),
		cmocka_unit_test(test_sha256_million_a),
		cmocka_unit_test(test_sha256_every_split_matches_one_shot),
		cmocka_unit_test(test_sha256_zeros_match_zero_buffer),
		cmocka_unit_test(test_sha256_differs_on_one_bit),
	};
	return cmocka_run_group_tests_name("loader_sha256", tests, NULL, NULL);
}
