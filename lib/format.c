/* format.c: the printf formatter shared by the kernel's console and user programs' printf
 * family (libsel4): %d %i %u %o %x %X %p %c %s %%, the flags - 0 + space #, width and
 * precision (also as *), and the length modifiers hh h l ll z j t. No floating point: the
 * kernel is built without it. Pure code: characters go to a callback. */
#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

/* Widths and precisions are clamped here so parsing can never overflow an int. */
#define FIELD_LIMIT 100000

/* Enough digits for any 64-bit value in base 8, the smallest base printed. */
#define INT_DIGITS_MAX 22

#define BASE_OCTAL 8
#define BASE_DECIMAL 10
#define BASE_HEX 16

/* Where formatted characters go, and how many went. */
struct sink {
    format_put_fn put;
    void *ctx;
    size_t count;
};

enum length_modifier {
    LENGTH_DEFAULT,
    LENGTH_CHAR,    /* hh */
    LENGTH_SHORT,   /* h */
    LENGTH_LONG,    /* l */
    LENGTH_LLONG,   /* ll */
    LENGTH_SIZE,    /* z */
    LENGTH_MAX,     /* j */
    LENGTH_PTRDIFF, /* t */
};

/* One parsed %-conversion. */
struct conversion {
    bool left;     /* '-': pad on the right */
    bool zero;     /* '0': pad numbers with zeros */
    bool plus;     /* '+': sign on non-negative numbers */
    bool space;    /* ' ': space on non-negative numbers */
    bool alt;      /* '#': 0x prefix, leading octal 0 */
    int width;     /* minimum field width */
    int precision; /* -1 when absent */
    enum length_modifier length;
};

_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "%zd reads the signed twin of size_t");

static void sink_put(struct sink *sink, char c)
{
    sink->put(sink->ctx, c);
    sink->count++;
}

static void sink_repeat(struct sink *sink, char c, int n)
{
    for (; n > 0; n--) {
        sink_put(sink, c);
    }
}

static void sink_write(struct sink *sink, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sink_put(sink, s[i]);
    }
}

static int clamp_field(long value)
{
    return value > FIELD_LIMIT ? FIELD_LIMIT : (int)value;
}

/* Digits of a width or precision, stopping at the first non-digit. */
static const char *parse_number(const char *p, int *out)
{
    long value = 0;

    for (; *p >= '0' && *p <= '9'; p++) {
        value = value * BASE_DECIMAL + (*p - '0');
        if (value > FIELD_LIMIT) {
            value = FIELD_LIMIT;
        }
    }
    *out = (int)value;
    return p;
}

/* Parses flags, width, precision and length after the '%'; returns the conversion letter. */
static const char *parse_conversion(const char *p, struct conversion *cv, va_list *args)
{
    for (;; p++) {
        if (*p == '-') {
            cv->left = true;
        } else if (*p == '0') {
            cv->zero = true;
        } else if (*p == '+') {
            cv->plus = true;
        } else if (*p == ' ') {
            cv->space = true;
        } else if (*p == '#') {
            cv->alt = true;
        } else {
            break;
        }
    }

    if (*p == '*') {
        long width = va_arg(*args, int);
        if (width < 0) {
            cv->left = true;
            width = -width;
        }
        cv->width = clamp_field(width);
        p++;
    } else {
        p = parse_number(p, &cv->width);
    }

    if (*p == '.') {
        p++;
        if (*p == '*') {
            int precision = va_arg(*args, int);
            cv->precision = precision < 0 ? -1 : clamp_field(precision);
            p++;
        } else {
            p = parse_number(p, &cv->precision);
        }
    }

    if (p[0] == 'h' && p[1] == 'h') {
        cv->length = LENGTH_CHAR;
        p += 2;
    } else if (p[0] == 'l' && p[1] == 'l') {
        cv->length = LENGTH_LLONG;
        p += 2;
    } else if (*p == 'h') {
        cv->length = LENGTH_SHORT;
        p++;
    } else if (*p == 'l') {
        cv->length = LENGTH_LONG;
        p++;
    } else if (*p == 'z') {
        cv->length = LENGTH_SIZE;
        p++;
    } else if (*p == 'j') {
        cv->length = LENGTH_MAX;
        p++;
    } else if (*p == 't') {
        cv->length = LENGTH_PTRDIFF;
        p++;
    }
    return p;
}

/* Integer arguments as promoted by the caller, then narrowed to the modifier's type. */
static intmax_t fetch_signed(va_list *args, enum length_modifier length)
{
    switch (length) {
    case LENGTH_CHAR:
        return (signed char)va_arg(*args, int);
    case LENGTH_SHORT:
        return (short)va_arg(*args, int);
    case LENGTH_LONG:
        return va_arg(*args, long);
    case LENGTH_LLONG:
        return va_arg(*args, long long);
    case LENGTH_SIZE:
    case LENGTH_PTRDIFF:
        return va_arg(*args, ptrdiff_t);
    case LENGTH_MAX:
        return va_arg(*args, intmax_t);
    case LENGTH_DEFAULT:
    default:
        return va_arg(*args, int);
    }
}

static uintmax_t fetch_unsigned(va_list *args, enum length_modifier length)
{
    switch (length) {
    case LENGTH_CHAR:
        return (unsigned char)va_arg(*args, unsigned int);
    case LENGTH_SHORT:
        return (unsigned short)va_arg(*args, unsigned int);
    case LENGTH_LONG:
        return va_arg(*args, unsigned long);
    case LENGTH_LLONG:
        return va_arg(*args, unsigned long long);
    case LENGTH_SIZE:
    case LENGTH_PTRDIFF:
        return va_arg(*args, size_t);
    case LENGTH_MAX:
        return va_arg(*args, uintmax_t);
    case LENGTH_DEFAULT:
    default:
        return va_arg(*args, unsigned int);
    }
}

/* Layout: [spaces] prefix [zeros] digits [spaces]. The prefix is a sign or 0x. */
static void format_integer(struct sink *sink, const struct conversion *cv, uintmax_t magnitude,
                           const char *prefix, unsigned base, bool upper)
{
    const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[INT_DIGITS_MAX];
    int ndigits = 0;

    for (; magnitude != 0; magnitude /= base) {
        digits[ndigits++] = digit_set[magnitude % base];
    }

    /* The default precision 1 prints a lone "0" for zero; precision 0 prints nothing. */
    int precision = cv->precision >= 0 ? cv->precision : 1;
    int zeros = precision > ndigits ? precision - ndigits : 0;
    if (cv->alt && base == BASE_OCTAL && zeros == 0) {
        zeros = 1; /* '#' guarantees a leading 0 in octal */
    }

    int prefix_len = 0;
    while (prefix[prefix_len] != '\0') {
        prefix_len++;
    }
    int body = prefix_len + zeros + ndigits;
    int pad = cv->width > body ? cv->width - body : 0;
    if (cv->zero && !cv->left && cv->precision < 0) {
        zeros += pad;
        pad = 0;
    }

    if (!cv->left) {
        sink_repeat(sink, ' ', pad);
    }
    sink_write(sink, prefix, (size_t)prefix_len);
    sink_repeat(sink, '0', zeros);
    while (ndigits > 0) {
        sink_put(sink, digits[--ndigits]);
    }
    if (cv->left) {
        sink_repeat(sink, ' ', pad);
    }
}

static void format_chars(struct sink *sink, const struct conversion *cv, const char *s, size_t len)
{
    int pad = (size_t)cv->width > len ? cv->width - (int)len : 0;

    if (!cv->left) {
        sink_repeat(sink, ' ', pad);
    }
    sink_write(sink, s, len);
    if (cv->left) {
        sink_repeat(sink, ' ', pad);
    }
}

static void format_string(struct sink *sink, const struct conversion *cv, const char *s)
{
    size_t len = 0;

    if (s == NULL) {
        s = "(null)";
    }
    /* A precision bounds how much is read, so the string need not be terminated. */
    while ((cv->precision < 0 || len < (size_t)cv->precision) && s[len] != '\0') {
        len++;
    }
    format_chars(sink, cv, s, len);
}

static const char *sign_prefix(const struct conversion *cv, bool negative)
{
    if (negative) {
        return "-";
    }
    return cv->plus ? "+" : cv->space ? " " : "";
}

int format_vprint(format_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct sink sinkv = {.put = put, .ctx = ctx};
    struct sink *sink = &sinkv;
    va_list args;
    const char *p = fmt;

    va_copy(args, ap);
    while (*p != '\0') {
        if (*p != '%') {
            sink_put(sink, *p++);
            continue;
        }

        const char *start = p;
        struct conversion cv = {.precision = -1};
        p = parse_conversion(p + 1, &cv, &args);

        switch (*p) {
        case 'd':
        case 'i': {
            intmax_t value = fetch_signed(&args, cv.length);
            uintmax_t magnitude = value < 0 ? -(uintmax_t)value : (uintmax_t)value;
            format_integer(sink, &cv, magnitude, sign_prefix(&cv, value < 0), BASE_DECIMAL, false);
            break;
        }
        case 'u':
            format_integer(sink, &cv, fetch_unsigned(&args, cv.length), "", BASE_DECIMAL, false);
            break;
        case 'o':
            format_integer(sink, &cv, fetch_unsigned(&args, cv.length), "", BASE_OCTAL, false);
            break;
        case 'x':
        case 'X': {
            uintmax_t value = fetch_unsigned(&args, cv.length);
            bool upper = *p == 'X';
            const char *prefix = (cv.alt && value != 0) ? (upper ? "0X" : "0x") : "";
            format_integer(sink, &cv, value, prefix, BASE_HEX, upper);
            break;
        }
        case 'p':
            format_integer(sink, &cv, (uintptr_t)va_arg(args, void *), "0x", BASE_HEX, false);
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            format_chars(sink, &cv, &c, 1);
            break;
        }
        case 's':
            format_string(sink, &cv, va_arg(args, const char *));
            break;
        case '%':
            sink_put(sink, '%');
            break;
        case '\0':
            /* The format ended inside a conversion: show what there was. */
            sink_write(sink, start, (size_t)(p - start));
            continue;
        default:
            /* Unknown conversion: show it verbatim. */
            sink_write(sink, start, (size_t)(p - start) + 1);
            break;
        }
        p++;
    }
    va_end(args);
    return (int)sink->count;
}
