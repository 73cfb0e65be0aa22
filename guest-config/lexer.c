// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/lexer.h"

#include <string.h>

#include "guest-config/config.h"
#include "guest-config/utf8.h"

void config_lexer_init(struct config_lexer *lx, const char *text, size_t len,
		       struct config_diag *diag)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
	lx->line = 0;
	lx->diag = diag;
	/* Windows editors like to start UTF-8 files with a byte order mark; it is not text. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		lx->pos = 3;
}

/*
 * Offset of the first byte in s[0..len) that may not appear in a configuration, or len.
 * Reports it. Tabs are blanks; every other control byte would make messages and the boot
 * menu show something other than what the file says.
 */
static size_t config_lex_check_bytes(struct config_lexer *lx, const char *s, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		unsigned char c = (unsigned char)s[pos];
		uint32_t cp;
		size_t n;

		if (c == 0) {
			config_diag_add(lx->diag, lx->line, pos + 1, "NUL byte in the text");
			return pos;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			config_diag_add(lx->diag, lx->line, pos + 1,
					"control character 0x%02x; only tabs and printable text "
					"are allowed",
					c);
			return pos;
		}
		n = config_utf8_decode(s + pos, len - pos, &cp);
		if (!n) {
			config_diag_add(lx->diag, lx->line, pos + 1,
					"invalid UTF-8 byte 0x%02x; the file must be UTF-8 text",
					c);
			return pos;
		}
		pos += n;
	}
	return len;
}

static void config_lex_section(struct config_lexer *lx, struct config_span *sp, bool damaged,
			       struct config_line *out)
{
	char found[CONFIG_ECHO_SIZE];
	const char *close = memchr(sp->s, ']', sp->len);
	struct config_scan sc;
	struct config_span inner, after;
	size_t end;

	if (!close) {
		out->kind = CONFIG_LINE_BAD_SECTION;
		if (!damaged)
			config_diag_add(lx->diag, sp->line, sp->col,
					"expected ']' to close the section header");
		return;
	}
	end = (size_t)(close - sp->s);
	out->value = config_span_sub(sp, 0, end + 1);
	inner = config_span_sub(sp, 1, end - 1);
	config_scan_init(&sc, &inner);
	out->name = config_scan_rest(&sc);
	while (out->name.len && config_is_blank(out->name.s[out->name.len - 1]))
		out->name.len--;
	out->kind = CONFIG_LINE_SECTION;

	after = config_span_sub(sp, end + 1, sp->len - end - 1);
	config_scan_init(&sc, &after);
	if (!config_scan_end(&sc)) {
		struct config_span junk = config_scan_rest(&sc);

		config_diag_add(lx->diag, junk.line, junk.col,
				"expected the end of the line after the section header, found %s",
				config_found(found, sizeof(found), &junk));
	}
}

static void config_lex_key(struct config_lexer *lx, struct config_span *sp, bool damaged,
			   struct config_line *out)
{
	char found[CONFIG_ECHO_SIZE], found2[CONFIG_ECHO_SIZE];
	struct config_scan sc;
	struct config_span word;

	config_scan_init(&sc, sp);
	out->name = config_scan_word(&sc, "=");
	out->kind = CONFIG_LINE_BAD;
	if (!out->name.len) {
		config_diag_add(lx->diag, sp->line, sp->col, "expected a key before '='");
		return;
	}
	if (!config_scan_char(&sc, '=')) {
		if (damaged && config_scan_end(&sc))
			return;
		if (!memchr(sp->s, '=', sp->len)) {
			config_diag_add(lx->diag, sp->line, sp->col,
					"expected 'key = value', '[section]' or a comment, "
					"found %s",
					config_found(found, sizeof(found), &out->name));
			return;
		}
		word = config_scan_word(&sc, "=");
		config_diag_add(lx->diag, word.line, word.col,
				"expected '=' after the key %s, found %s",
				config_found(found, sizeof(found), &out->name),
				config_found(found2, sizeof(found2), &word));
		return;
	}
	out->value = config_scan_rest(&sc);
	while (out->value.len && config_is_blank(out->value.s[out->value.len - 1]))
		out->value.len--;
	out->value_damaged = damaged;
	out->kind = CONFIG_LINE_KEY;
}

bool config_lexer_next(struct config_lexer *lx, struct config_line *out)
{
	const char *s, *nl;
	size_t len, good, bad;
	bool damaged = false;
	struct config_span sp;
	struct config_scan sc;

	if (lx->pos >= lx->len)
		return false;
	s = lx->text + lx->pos;
	nl = memchr(s, '\n', lx->len - lx->pos);
	len = nl ? (size_t)(nl - s) : lx->len - lx->pos;
	lx->pos += len + (nl ? 1 : 0);
	if (len && s[len - 1] == '\r')
		len--;
	lx->line++;

	memset(out, 0, sizeof(*out));
	out->number = lx->line;
	out->kind = CONFIG_LINE_BLANK;

	good = len;
	if (len > CONFIG_LINE_MAX) {
		config_diag_add(lx->diag, lx->line, CONFIG_LINE_MAX + 1,
				"line is %zu bytes long; the limit is %u", len, CONFIG_LINE_MAX);
		good = CONFIG_LINE_MAX;
		damaged = true;
	}
	bad = config_lex_check_bytes(lx, s, good);
	if (bad < good) {
		good = bad;
		damaged = true;
	}

	sp = (struct config_span){ .s = s, .len = good, .line = lx->line, .col = 1 };
	config_scan_init(&sc, &sp);
	if (config_scan_end(&sc))
		return true;
	sp = config_scan_rest(&sc);
	if (sp.s[0] == '#' || sp.s[0] == ';')
		return true;
	if (sp.s[0] == '[')
		config_lex_section(lx, &sp, damaged, out);
	else
		config_lex_key(lx, &sp, damaged, out);
	return true;
}
