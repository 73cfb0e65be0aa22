/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The harness the config parser's unit tests share: parse a text as file CONFIG_EXPECT_FILE
 * (each test file names its own) and check the diagnostics, in order, against a list
 * (exactly those, none dropped; -EINVAL with any, 0 without). Static definitions: included
 * by one test file each, after cmocka.h.
 */
#ifndef TWINMON_TESTS_CONFIG_EXPECT_H
#define TWINMON_TESTS_CONFIG_EXPECT_H

#include <errno.h>
#include <string.h>

#include "guest-config/config.h"

static struct twin_config cfg;
static struct config_diag diag;

static void config_expect(const char *file, const char *text, size_t len,
			  const char *const *want)
{
	char got[CONFIG_DIAG_FILE_MAX + CONFIG_DIAG_TEXT_MAX + 32];
	int rc = config_parse(file, text, len, &cfg, &diag);
	uint32_t n = 0;

	while (want[n])
		n++;
	for (uint32_t i = 0; i < diag.count; i++) {
		config_diag_format(&diag, i, got, sizeof(got));
		if (i >= n)
			fail_msg("unexpected message: %s", got);
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(diag.count, n);
	assert_int_equal(diag.dropped, 0);
	assert_int_equal(rc, n ? -EINVAL : 0);
}

#define EXPECT(text, ...) \
	config_expect(CONFIG_EXPECT_FILE, text, strlen(text), (const char *const[]){ __VA_ARGS__, NULL })
#define EXPECT_OK(text) \
	config_expect(CONFIG_EXPECT_FILE, text, strlen(text), (const char *const[]){ NULL })
#define EXPECT_BYTES(text, ...)                                              \
	config_expect(CONFIG_EXPECT_FILE, text, sizeof(text) - 1,              \
		      (const char *const[]){ __VA_ARGS__, NULL })

#endif
