/* Unit tests for lib/format.c, the formatter the kernel's console and user printf share:
 * each case is compared with the host C library's snprintf of the same format and
 * arguments, plus the cases where Kairos chooses its own output (unknown conversions, NULL
 * strings, formats that end inside a conversion). */
#define CHECK_SUITE "format"
#include "check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/format.h"

#define OUT_MAX 512

struct out {
    char buf[OUT_MAX];
    size_t len;
};

static void put(void *ctx, char c)
{
    struct out *o = ctx;
    if (o->len + 1 < OUT_MAX) {
        o->buf[o->len] = c;
    }
    o->len++;
}

/* Formats with lib/format.c into o; returns what format_vprint returned. */
static int fmt(struct out *o, const char *f, ...)
{
    va_list ap;
    memset(o, 0, sizeof(*o));
    va_start(ap, f);
    int n = format_vprint(put, o, f, ap);
    va_end(ap);
    return n;
}

/* Both formatters on the same arguments; the lengths and the text must agree. */
#define SAME(f, ...)                                                                               \
    do {                                                                                           \
        struct out o_;                                                                             \
        char want_[OUT_MAX];                                                                       \
        int n_ = fmt(&o_, f, __VA_ARGS__);                                                         \
        int w_ = snprintf(want_, sizeof(want_), f, __VA_ARGS__);                                   \
        CHECK_EQ(n_, w_);                                                                          \
        CHECK_STR_EQ(o_.buf, want_);                                                               \
    } while (0)

TEST(integers_match_the_c_library)
{
    SAME("%d %i %u", 0, -1, 42u);
    SAME("%d", INT32_MIN);
    SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
    SAME("%lld %llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
    SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
    SAME("%zu %zd %td %jd", (size_t)12345, (ssize_t)-7, (ptrdiff_t)-8, (intmax_t)INT64_MAX);
    SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
    SAME("%lx", 0xffffff8040000000ul);
}

TEST(flags_width_and_precision_match)
{
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%08lx] [%-8x] [%#x] [%#X] [%#o] [%#o]", 0xabcul, 0xabcu, 0xabcu, 0xabcu, 8u, 0u);
    SAME("[%.3d] [%.0d] [%8.3d] [%-8.3d]", 7, 0, -7, 7);
    SAME("[%*d] [%-*d] [%*d] [%.*d]", 6, 1, 6, 1, -6, 1, 4, 1);
    SAME("[%10s] [%-10s] [%.3s] [%*.*s]", "abc", "abc", "abcdef", 6, 2, "abcdef");
    SAME("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
    SAME("%% %d%%", 0);
}

TEST(pointers_print_as_0x_hex)
{
    struct out o;
    fmt(&o, "%p", (void *)0x1234);
    CHECK_STR_EQ(o.buf, "0x1234");
    fmt(&o, "%p", (void *)0);
    CHECK_STR_EQ(o.buf, "0x0");
}

TEST(kairos_choices_for_bad_formats)
{
    struct out o;
    /* A NULL string prints as (null), not a crash. */
    CHECK_EQ(fmt(&o, "[%s]", (const char *)NULL), 8);
    CHECK_STR_EQ(o.buf, "[(null)]");
    /* An unknown conversion is copied out as written, its argument left alone. */
    fmt(&o, "%q %d", 5);
    CHECK_STR_EQ(o.buf, "%q 5");
    /* A format that ends inside a conversion shows what there was. */
    fmt(&o, "abc%-08");
    CHECK_STR_EQ(o.buf, "abc%-08");
    /* With a precision the 0 flag is ignored, as C says. */
    fmt(&o, "[%08.3d]", 7);
    CHECK_STR_EQ(o.buf, "[     007]");
    /* Widths are clamped, so a huge one cannot overflow the count. */
    int n = fmt(&o, "%999999999d", 1);
    CHECK(n > 0 && n <= 100001);
}

TEST(count_includes_everything_formatted)
{
    struct out o;
    CHECK_EQ(fmt(&o, ""), 0);
    CHECK_EQ(fmt(&o, "%600d", 1), 600);
    CHECK_EQ(o.len, 600);
}
