/* Freestanding memory and string routines; GCC may also emit calls to these. */
#include "string.h"

#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    /* Word copies when both sides are aligned: boot copies whole ELF images. */
    if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(uint64_t) - 1)) == 0) {
        for (; n >= sizeof(uint64_t); n -= sizeof(uint64_t)) {
            *(uint64_t *)d = *(const uint64_t *)s;
            d += sizeof(uint64_t);
            s += sizeof(uint64_t);
        }
    }
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d <= s || d >= s + n) {
        return memcpy(dst, src, n);
    }
    while (n--) {
        d[n] = s[n];
    }
    return dst;
}

#define WORD_BYTES sizeof(uint64_t)
#define BYTE_IN_EVERY_LANE 0x0101010101010101ull

/* Bytes up to a word boundary, then whole words (the compiler's struct initialisers land
 * here, often on a 4-byte boundary), then the rest. */
void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    for (; n && ((uintptr_t)d & (WORD_BYTES - 1)); n--) {
        *d++ = (uint8_t)c;
    }
    uint64_t word = (uint8_t)c * BYTE_IN_EVERY_LANE;
    for (; n >= 2 * WORD_BYTES; n -= 2 * WORD_BYTES, d += 2 * WORD_BYTES) {
        ((uint64_t *)d)[0] = word;
        ((uint64_t *)d)[1] = word;
    }
    for (; n; n--) {
        *d++ = (uint8_t)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}
