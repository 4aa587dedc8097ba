// SPDX-License-Identifier: MIT
/* printf-style formatting (see include/lib/format.h for the supported subset). */
#include <lib/format.h>
#include <stdbool.h>
#include <stdint.h>

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16, F_UPPER = 32, F_PTR = 64 };

struct spec {
	unsigned flags;
	int width;     /* -1: none */
	int precision; /* -1: none */
};

/* True when @c is one of the characters of @set (a local strchr: no dependency on string.c). */
static bool in_set(const char *set, char c)
{
	for (; *set; set++)
		if (*set == c)
			return true;
	return false;
}

struct out {
	format_sink_t sink;
	void *ctx;
	int count;
};

static void emit(struct out *o, char c)
{
	o->sink(c, o->ctx);
	o->count++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Print a string honouring width, precision (max chars) and '-'. */
static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		emit(o, s[i]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - len);
}

/* Print an integer: @neg tells a negative signed value, @base 8/10/16. */
static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, const struct spec *sp)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	char sign = 0;
	const char *prefix = "";
	const bool is_zero = v == 0;

	if (neg)
		sign = '-';
	else if (sp->flags & F_PLUS)
		sign = '+';
	else if (sp->flags & F_SPACE)
		sign = ' ';

	/* precision 0 with value 0 prints no digits (C11 7.21.6.1) */
	while (v || (n == 0 && sp->precision != 0)) {
		buf[n++] = digits[v % base];
		v /= base;
		if (!v)
			break;
	}
	int zeros = sp->precision > n ? sp->precision - n : 0;

	/* "%#x" of zero has no 0x (even when precision 0 prints no digits); a pointer always does */
	if ((sp->flags & F_PTR) || ((sp->flags & F_ALT) && base == 16 && !is_zero))
		prefix = (sp->flags & F_UPPER) ? "0X" : "0x";
	/* "%#o" only makes sure the first digit is 0: not again when precision gave one */
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 && (n == 0 || buf[n - 1] != '0'))
		prefix = "0";

	int plen = 0;
	while (prefix[plen])
		plen++;
	int total = n + zeros + plen + (sign ? 1 : 0);

	/* '0' flag pads with zeros after the sign, unless a precision or '-' is given */
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->precision < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - total);
	if (sign)
		emit(o, sign);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		emit(o, buf[--n]);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - total);
}

/* Parse a decimal field or '*'; returns the value (or -1 for none) and advances *pf. */
static int parse_field(const char **pf, va_list *ap, bool *from_arg)
{
	const char *f = *pf;
	int v = -1;

	*from_arg = false;
	if (*f == '*') {
		v = va_arg(*ap, int);
		*from_arg = true;
		f++;
	} else if (*f >= '0' && *f <= '9') {
		v = 0;
		while (*f >= '0' && *f <= '9') {
			if (v < 100000) /* clamp absurd widths instead of overflowing */
				v = v * 10 + (*f - '0');
			f++;
		}
	}
	*pf = f;
	return v;
}

enum length { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_PTRDIFF, L_MAX };

static enum length parse_length(const char **pf)
{
	const char *f = *pf;
	enum length len = L_INT;

	switch (*f) {
	case 'h':
		len = (f[1] == 'h') ? L_CHAR : L_SHORT;
		f += (f[1] == 'h') ? 2 : 1;
		break;
	case 'l':
		len = (f[1] == 'l') ? L_LLONG : L_LONG;
		f += (f[1] == 'l') ? 2 : 1;
		break;
	case 'z': len = L_SIZE; f++; break;
	case 't': len = L_PTRDIFF; f++; break;
	case 'j': len = L_MAX; f++; break;
	default: break;
	}
	*pf = f;
	return len;
}

static int64_t fetch_signed(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR: return (signed char)va_arg(*ap, int);
	case L_SHORT: return (short)va_arg(*ap, int);
	case L_LONG: return va_arg(*ap, long);
	case L_LLONG: return va_arg(*ap, long long);
	case L_SIZE: return (int64_t)va_arg(*ap, size_t);
	case L_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case L_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case L_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case L_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case L_LONG: return va_arg(*ap, unsigned long);
	case L_LLONG: return va_arg(*ap, unsigned long long);
	case L_SIZE: return va_arg(*ap, size_t);
	case L_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
	case L_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/*
 * The conversion character of the specification starting at @f (just after '%'), found
 * without reading any argument: flags, width, precision ('*' included) and length are
 * skipped. Returns a pointer to it (possibly the terminating NUL).
 */
static const char *find_conversion(const char *f)
{
	while (*f && in_set("-0+ #*.123456789hlztj", *f))
		f++;
	return f;
}

/* Print an unknown or truncated specification literally, from '%' at @start to @end. */
static const char *put_literal(struct out *o, const char *start, const char *end)
{
	while (start < end)
		emit(o, *start++);
	if (!*end)
		return end;
	emit(o, *end);
	return end + 1;
}

static void put_char(struct out *o, char c, const struct spec *sp)
{
	/* a NUL character is still one character, so put_str() cannot print it */
	if (!(sp->flags & F_LEFT))
		pad(o, ' ', sp->width - 1);
	emit(o, c);
	if (sp->flags & F_LEFT)
		pad(o, ' ', sp->width - 1);
}

static void put_ptr(struct out *o, uintptr_t v, struct spec sp)
{
	sp.flags |= F_PTR;
	sp.flags &= ~(unsigned)F_ZERO;
	if (sp.precision < 0)
		sp.precision = (int)(2 * sizeof(void *));
	put_num(o, v, false, 16, &sp);
}

/* Handle one conversion starting just after '%'; returns the position after it. */
static const char *convert(struct out *o, const char *f, va_list *ap)
{
	const char *start = f - 1;
	const char *conv = find_conversion(f);
	struct spec sp = { 0, -1, -1 };
	bool from_arg;

	/* Unknown: decided before any '*' argument is read, so the list stays in step. */
	if (!*conv || !in_set("diuoxXpsc%", *conv))
		return put_literal(o, start, conv);

	for (;; f++) {
		if (*f == '-') sp.flags |= F_LEFT;
		else if (*f == '0') sp.flags |= F_ZERO;
		else if (*f == '+') sp.flags |= F_PLUS;
		else if (*f == ' ') sp.flags |= F_SPACE;
		else if (*f == '#') sp.flags |= F_ALT;
		else break;
	}
	sp.width = parse_field(&f, ap, &from_arg);
	if (from_arg && sp.width < 0) { /* negative '*' width means left-justify */
		sp.flags |= F_LEFT;
		sp.width = sp.width == -2147483647 - 1 ? 0 : -sp.width;
	}
	if (*f == '.') {
		f++;
		sp.precision = parse_field(&f, ap, &from_arg);
		if (sp.precision < 0)
			sp.precision = from_arg ? -1 : 0; /* "%.d" means precision 0 */
	}
	enum length len = parse_length(&f);

	if (f != conv) /* e.g. "%.5.3d" or "%hld": not a well-formed specification */
		return put_literal(o, start, conv);
	/* '+' and ' ' are for signed conversions only (C11 7.21.6.1p6) */
	if (*f != 'd' && *f != 'i')
		sp.flags &= ~(unsigned)(F_PLUS | F_SPACE);

	switch (*f) {
	case 'd':
	case 'i': {
		int64_t v = fetch_signed(ap, len);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		put_num(o, mag, v < 0, 10, &sp);
		break;
	}
	case 'u': put_num(o, fetch_unsigned(ap, len), false, 10, &sp); break;
	case 'o': put_num(o, fetch_unsigned(ap, len), false, 8, &sp); break;
	case 'X': sp.flags |= F_UPPER; /* fallthrough */
	case 'x': put_num(o, fetch_unsigned(ap, len), false, 16, &sp); break;
	case 'p': put_ptr(o, (uintptr_t)va_arg(*ap, void *), sp); break;
	case 's': put_str(o, va_arg(*ap, const char *), &sp); break;
	case 'c': put_char(o, (char)va_arg(*ap, int), &sp); break;
	default: emit(o, '%'); break; /* "%%" */
	}
	return f + 1;
}

int kvformat(format_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt = convert(&o, fmt + 1, &args);
	}
	va_end(args);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_put(char c, void *ctx)
{
	struct buf_sink *b = ctx;

	if (b->size && b->pos < b->size - 1)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n = kvformat(buf_put, &b, fmt, ap);

	if (size)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
