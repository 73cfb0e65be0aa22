/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Splits the file into lines and each line into a section header or a key and its value.
 * It checks what holds for every line whatever its meaning: the length limit, UTF-8, no NUL
 * or control bytes. A line damaged that way is still classified as far as its good prefix
 * allows, so the parser can tell which key was meant and not report it missing as well.
 */
#ifndef TWINMON_GUEST_CONFIG_LEXER_H
#define TWINMON_GUEST_CONFIG_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest-config/diag.h"
#include "guest-config/scan.h"

enum config_line_kind {
	CONFIG_LINE_BLANK,	 /* empty, blanks only, or a comment */
	CONFIG_LINE_SECTION,	 /* name: the text between the brackets, trimmed */
	CONFIG_LINE_BAD_SECTION, /* looked like a section header but is broken (reported) */
	CONFIG_LINE_KEY,	 /* name = value */
	CONFIG_LINE_BAD,	 /* neither; already reported */
};

struct config_line {
	uint32_t kind;
	uint32_t number;
	struct config_span name;
	struct config_span value; /* KEY: trimmed; len 0 when nothing follows '=' */
				  /* SECTION: the header from '[' to ']' */
	bool value_damaged;	  /* the value had a reported encoding or length error */
};

struct config_lexer {
	const char *text;
	size_t len;
	size_t pos;
	uint32_t line;
	struct config_diag *diag;
};

void config_lexer_init(struct config_lexer *lx, const char *text, size_t len,
		       struct config_diag *diag);

/* The next line, or false at the end of the text. */
bool config_lexer_next(struct config_lexer *lx, struct config_line *out);

#endif
