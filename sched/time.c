/* Microsecond <-> generic-timer tick conversions (see time.h). The 128-bit products are exact;
 * the division is done here by hand because freestanding builds have no libgcc __udivti3. */
#include "time.h"

#include <stdbool.h>

#define BITS_PER_U64 64

/* floor(n / d) for d != 0, or UINT64_MAX when the quotient needs more than 64 bits. */
static uint64_t div_u128_u64_saturating(unsigned __int128 n, uint64_t d)
{
    uint64_t hi = (uint64_t)(n >> BITS_PER_U64);
    uint64_t lo = (uint64_t)n;

    if (hi >= d) {
        return UINT64_MAX;  /* n >= d * 2^64 */
    }
    if (hi == 0) {
        return lo / d;      /* the common case: a native 64-bit divide */
    }
    /*
     * Restoring long division, one quotient bit per step. Invariant: rem < d, so the shifted
     * remainder is below 2 * d; when it overflows 64 bits (carry) it certainly exceeds d, and
     * the wrapped subtraction still yields the right remainder.
     */
    uint64_t rem = hi;
    uint64_t q = 0;
    for (int i = 0; i < BITS_PER_U64; i++) {
        bool carry = (rem >> (BITS_PER_U64 - 1)) != 0;
        rem = rem << 1 | lo >> (BITS_PER_U64 - 1);
        lo <<= 1;
        q <<= 1;
        if (carry || rem >= d) {
            rem -= d;
            q |= 1;
        }
    }
    return q;
}

ticks_t time_us_to_ticks(uint64_t us, uint64_t freq_hz)
{
    return div_u128_u64_saturating((unsigned __int128)us * freq_hz, TIME_US_PER_S);
}

uint64_t time_ticks_to_us(ticks_t ticks, uint64_t freq_hz)
{
    if (freq_hz == 0) {
        return 0;
    }
    return div_u128_u64_saturating((unsigned __int128)ticks * TIME_US_PER_S, freq_hz);
}

uint64_t time_max_us(uint64_t freq_hz)
{
    if (freq_hz == 0) {
        return 0;
    }
    /*
     * With M = TIME_MAX_TICKS and integers throughout: floor(us * f / 10^6) <= M
     * <=> us * f < (M + 1) * 10^6  <=>  us <= ((M + 1) * 10^6 - 1) / f.
     */
    unsigned __int128 limit = ((unsigned __int128)TIME_MAX_TICKS + 1) * TIME_US_PER_S - 1;
    return div_u128_u64_saturating(limit, freq_hz);
}
