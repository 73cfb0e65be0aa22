# SPDX-License-Identifier: GPL-2.0-only
# guest-config/: the configuration file format (docs/config.md): parser and validator. The
# twinmon-check host tool that shows what a file asks for lives in tools/.
LIB_SRCS += guest-config/diag.c guest-config/utf8.c guest-config/number.c \
            guest-config/scan.c guest-config/lexer.c guest-config/value.c \
            guest-config/names.c guest-config/global.c guest-config/text.c \
            guest-config/path.c guest-config/memory.c guest-config/devices.c guest-config/cpus.c \
            guest-config/parse.c guest-config/validate.c guest-config/describe.c

UNIT_TESTS += test_config test_config_lib test_config_guest test_config_validate
test_config_SRCS := tests/unit/test_config.c
test_config_lib_SRCS := tests/unit/test_config_lib.c
test_config_guest_SRCS := tests/unit/test_config_guest.c
test_config_validate_SRCS := tests/unit/test_config_validate.c
UNIT_TESTS += test_config_cpus
test_config_cpus_SRCS := tests/unit/test_config_cpus.c

FUZZ_TARGETS += fuzz_config
fuzz_config_SRCS := tests/fuzz/fuzz_config.c
fuzz_config_CORPUS := guest-config/examples
