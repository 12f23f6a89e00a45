/* MCS time units: conversions between the API's microseconds and the kernel's generic-timer
 * ticks. The only place that converts; every result is exact-floor or saturated, never wrapped. */
#ifndef KAIROS_SCHED_TIME_H
#define KAIROS_SCHED_TIME_H

#include <stdint.h>

typedef uint64_t ticks_t;

#define TIME_US_PER_S   1000000ull
/*
 * Largest tick count the scheduler accepts for a period or budget: 2^63 - 1. Keeping one bit
 * spare means now + period (both below 2^63) cannot wrap a 64-bit tick counter.
 */
#define TIME_MAX_TICKS  ((ticks_t)INT64_MAX)

/* floor(us * freq_hz / 10^6); UINT64_MAX if that does not fit in 64 bits. 0 when freq_hz is 0. */
ticks_t time_us_to_ticks(uint64_t us, uint64_t freq_hz);

/* floor(ticks * 10^6 / freq_hz); UINT64_MAX if that does not fit; 0 when freq_hz is 0. */
uint64_t time_ticks_to_us(ticks_t ticks, uint64_t freq_hz);

/*
 * The largest us with time_us_to_ticks(us, freq_hz) <= TIME_MAX_TICKS, i.e.
 * floor((2^63 * 10^6 - 1) / freq_hz), capped at UINT64_MAX (below 500 kHz every us fits).
 * 0 when freq_hz is 0: without a clock no duration is representable, so every period is refused.
 */
uint64_t time_max_us(uint64_t freq_hz);

#endif /* KAIROS_SCHED_TIME_H */
