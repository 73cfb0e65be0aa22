// SPDX-License-Identifier: GPL-2.0-only
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->size && o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

enum fmt_flag {
	FMT_LEFT = 1,
	FMT_ZERO = 2,
	FMT_PLUS = 4,
	FMT_SPACE = 8,
	FMT_ALT = 16,
};

static void fmt_number(struct fmt_out *o, uintmax_t v, bool neg, unsigned base, bool upper,
		       unsigned flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[72];
	int n = 0;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (prec < 0 && n == 0)
		tmp[n++] = '0';

	char sign = 0;
	if (neg)
		sign = '-';
	else if (flags & FMT_PLUS)
		sign = '+';
	else if (flags & FMT_SPACE)
		sign = ' ';

	const char *prefix = "";
	if ((flags & FMT_ALT) && base == 16 && n > 0 && !(n == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if ((flags & FMT_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0') && prec <= n)
		prefix = "0";

	int zeros = prec > n ? prec - n : 0;
	int plen = 0;
	while (prefix[plen])
		plen++;
	int total = n + zeros + plen + (sign ? 1 : 0);

	if ((flags & FMT_ZERO) && !(flags & FMT_LEFT) && prec < 0 && width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & FMT_LEFT))
		fmt_pad(o, ' ', width - total);
	if (sign)
		fmt_putc(o, sign);
	for (int i = 0; i < plen; i++)
		fmt_putc(o, prefix[i]);
	fmt_pad(o, '0', zeros);
	while (n > 0)
		fmt_putc(o, tmp[--n]);
	if (flags & FMT_LEFT)
		fmt_pad(o, ' ', width - total);
}

static int fmt_parse_int(const char **p)
{
	int v = 0;
	while (**p >= '0' && **p <= '9') {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size, .len = 0 };
	const char *p = fmt;

	while (*p) {
		if (*p != '%') {
			fmt_putc(&o, *p++);
			continue;
		}
		p++;
		unsigned flags = 0;
		for (;; p++) {
			if (*p == '-')
				flags |= FMT_LEFT;
			else if (*p == '0')
				flags |= FMT_ZERO;
			else if (*p == '+')
				flags |= FMT_PLUS;
			else if (*p == ' ')
				flags |= FMT_SPACE;
			else if (*p == '#')
				flags |= FMT_ALT;
			else
				break;
		}
		int width = 0;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= FMT_LEFT;
				width = -width;
			}
			p++;
		} else {
			width = fmt_parse_int(&p);
		}
		int prec = -1;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				prec = fmt_parse_int(&p);
			}
		}
		int len = 0; /* 1 hh, 2 h, 3 l, 4 ll, 5 z, 6 j, 7 t */
		if (*p == 'h') {
			len = 2;
			if (*++p == 'h') {
				len = 1;
				p++;
			}
		} else if (*p == 'l') {
			len = 3;
			if (*++p == 'l') {
				len = 4;
				p++;
			}
		} else if (*p == 'z') {
			len = 5;
			p++;
		} else if (*p == 'j') {
			len = 6;
			p++;
		} else if (*p == 't') {
			len = 7;
			p++;
		}

		char conv = *p ? *p++ : 0;
		switch (conv) {
		case 'd':
		case 'i': {
			intmax_t v;
			switch (len) {
			case 1: v = (signed char)va_arg(ap, int); break;
			case 2: v = (short)va_arg(ap, int); break;
			case 3: v = va_arg(ap, long); break;
			case 4: v = va_arg(ap, long long); break;
			case 5: v = va_arg(ap, ptrdiff_t); break; /* ssize_t has the same size */
			case 6: v = va_arg(ap, intmax_t); break;
			case 7: v = va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, int); break;
			}
			uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
			fmt_number(&o, mag, v < 0, 10, false, flags, width, prec);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uintmax_t v;
			switch (len) {
			case 1: v = (unsigned char)va_arg(ap, unsigned); break;
			case 2: v = (unsigned short)va_arg(ap, unsigned); break;
			case 3: v = va_arg(ap, unsigned long); break;
			case 4: v = va_arg(ap, unsigned long long); break;
			case 5: v = va_arg(ap, size_t); break;
			case 6: v = va_arg(ap, uintmax_t); break;
			case 7: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, unsigned); break;
			}
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			fmt_number(&o, v, false, base, conv == 'X', flags & ~(FMT_PLUS | FMT_SPACE),
				   width, prec);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			fmt_number(&o, v, false, 16, false, FMT_ALT | (flags & FMT_LEFT), width, -1);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!(flags & FMT_LEFT))
				fmt_pad(&o, ' ', width - 1);
			fmt_putc(&o, c);
			if (flags & FMT_LEFT)
				fmt_pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = 0;
			while ((prec < 0 || n < prec) && s[n])
				n++;
			if (!(flags & FMT_LEFT))
				fmt_pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				fmt_putc(&o, s[i]);
			if (flags & FMT_LEFT)
				fmt_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			fmt_putc(&o, '%');
			break;
		case 0:
			goto out;
		default:
			/* Unknown conversion: show it rather than guess at its argument. */
			fmt_putc(&o, '%');
			fmt_putc(&o, conv);
			break;
		}
	}
out:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

const char *fmt_size(char *buf, size_t size, unsigned long long bytes)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (bytes && (bytes & 1023) == 0 && u < 5) {
		bytes >>= 10;
		u++;
	}
	if (u < 0)
		fmt_snprintf(buf, size, "%llu", bytes);
	else
		fmt_snprintf(buf, size, "%llu%c", bytes, units[u]);
	return buf;
}
