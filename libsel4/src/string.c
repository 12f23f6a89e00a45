/* string.c — memset, memcpy, memmove, memcmp and the string basics for Kairos user programs
 * (freestanding: there is no C library, and GCC emits calls to the mem* functions itself). */
#include <stdbool.h>
#include <stdint.h>

#include <kairos/string.h>

/* GCC turns byte loops into calls to memset/memcpy; inside those very functions that would
 * be infinite recursion, so the transformation is switched off for this file's functions. */
#define NO_LIBCALL_PATTERNS __attribute__((__optimize__("no-tree-loop-distribute-patterns")))

/* Word-at-a-time access to memory of any type. */
typedef uint64_t __attribute__((__may_alias__)) alias_word;
#define WORD_BYTES sizeof(alias_word)

/* A word with every byte equal to 0x01, so byte * this fills a word with byte. */
#define BYTE_REPEAT_MULTIPLIER (UINT64_MAX / UINT8_MAX)

static bool word_aligned(uintptr_t address)
{
    return (address & (WORD_BYTES - 1)) == 0;
}

NO_LIBCALL_PATTERNS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    unsigned char byte = (unsigned char)c;

    if (word_aligned((uintptr_t)d)) {
        alias_word pattern = byte * BYTE_REPEAT_MULTIPLIER;
        for (; n >= WORD_BYTES; n -= WORD_BYTES, d += WORD_BYTES) {
            *(alias_word *)d = pattern;
        }
    }
    for (; n > 0; n--) {
        *d++ = byte;
    }
    return dst;
}

NO_LIBCALL_PATTERNS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (word_aligned((uintptr_t)d | (uintptr_t)s)) {
        for (; n >= WORD_BYTES; n -= WORD_BYTES, d += WORD_BYTES, s += WORD_BYTES) {
            *(alias_word *)d = *(const alias_word *)s;
        }
    }
    for (; n > 0; n--) {
        *d++ = *s++;
    }
    return dst;
}

/* Overlap-safe: copies backwards when the destination starts inside the source. */
NO_LIBCALL_PATTERNS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if ((uintptr_t)d - (uintptr_t)s >= n) {
        /* No harmful overlap: dst is below src, or at least n bytes above it. */
        for (size_t i = 0; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = n; i > 0; i--) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

NO_LIBCALL_PATTERNS int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
    }
    return 0;
}

NO_LIBCALL_PATTERNS size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    while (*pa != '\0' && *pa == *pb) {
        pa++;
        pb++;
    }
    return (*pa > *pb) - (*pa < *pb);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;

    for (; n > 0; n--, pa++, pb++) {
        if (*pa != *pb || *pa == '\0') {
            return (*pa > *pb) - (*pa < *pb);
        }
    }
    return 0;
}
