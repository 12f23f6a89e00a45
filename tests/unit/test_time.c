/* Unit tests for sched/time.c: exact floors at real timer frequencies, saturation edges and the
 * TIME_MAX_TICKS bound, checked against constants computed independently with exact integers. */
#define CHECK_SUITE "time"
#include "check.h"

#include <stdint.h>

#include "sched/time.h"

#define QEMU_VIRT_HZ   62500000ull     /* 62.5 ticks per us: not an integer */
#define ONE_GHZ        1000000000ull
#define RPI_HZ         19200000ull     /* 19.2 ticks per us */

TEST(us_to_ticks_qemu_virt)
{
    CHECK_EQ(time_us_to_ticks(0, QEMU_VIRT_HZ), 0);
    CHECK_EQ(time_us_to_ticks(1, QEMU_VIRT_HZ), 62);        /* 62.5 floors */
    CHECK_EQ(time_us_to_ticks(2, QEMU_VIRT_HZ), 125);
    CHECK_EQ(time_us_to_ticks(1000, QEMU_VIRT_HZ), 62500);
    CHECK_EQ(time_us_to_ticks(5000, QEMU_VIRT_HZ), 312500); /* the 5 ms boot time slice */
    CHECK_EQ(time_us_to_ticks(TIME_US_PER_S, QEMU_VIRT_HZ), QEMU_VIRT_HZ);
    CHECK_EQ(time_us_to_ticks(123456789, QEMU_VIRT_HZ), 7716049312ull);
}

TEST(us_to_ticks_1ghz)
{
    CHECK_EQ(time_us_to_ticks(1, ONE_GHZ), 1000);
    CHECK_EQ(time_us_to_ticks(12345678901ull, ONE_GHZ), 12345678901000ull);
}

TEST(us_to_ticks_19_2mhz)
{
    CHECK_EQ(time_us_to_ticks(1, RPI_HZ), 19);
    CHECK_EQ(time_us_to_ticks(7, RPI_HZ), 134);     /* 134.4 */
    CHECK_EQ(time_us_to_ticks(10, RPI_HZ), 192);
}

TEST(ticks_to_us_exact)
{
    CHECK_EQ(time_ticks_to_us(0, QEMU_VIRT_HZ), 0);
    CHECK_EQ(time_ticks_to_us(62, QEMU_VIRT_HZ), 0);    /* 0.992 us */
    CHECK_EQ(time_ticks_to_us(63, QEMU_VIRT_HZ), 1);
    CHECK_EQ(time_ticks_to_us(125, QEMU_VIRT_HZ), 2);
    CHECK_EQ(time_ticks_to_us(123456789, QEMU_VIRT_HZ), 1975308);
    CHECK_EQ(time_ticks_to_us(999, ONE_GHZ), 0);
    CHECK_EQ(time_ticks_to_us(1000, ONE_GHZ), 1);
    CHECK_EQ(time_ticks_to_us(19, RPI_HZ), 0);
    CHECK_EQ(time_ticks_to_us(20, RPI_HZ), 1);
    CHECK_EQ(time_ticks_to_us(123456789, RPI_HZ), 6430041);
}

TEST(round_trips)
{
    /* A multiple of 1 MHz converts both ways exactly. */
    for (uint64_t us = 0; us < 10000; us += 7) {
        CHECK_EQ(time_ticks_to_us(time_us_to_ticks(us, ONE_GHZ), ONE_GHZ), us);
    }
    /* At 62.5 ticks/us even counts are exact and odd ones lose the half tick. */
    for (uint64_t us = 0; us < 10000; us++) {
        uint64_t back = time_ticks_to_us(time_us_to_ticks(us, QEMU_VIRT_HZ), QEMU_VIRT_HZ);
        CHECK_EQ(back, us % 2 == 0 ? us : us - 1);
    }
    /* For any frequency of at least 1 MHz the round trip loses under one microsecond. */
    for (uint64_t us = 1; us < 100000; us += 13) {
        uint64_t back = time_ticks_to_us(time_us_to_ticks(us, RPI_HZ), RPI_HZ);
        CHECK_LE(back, us);
        CHECK_LE(us - 1, back);
    }
    /* ticks -> us -> ticks never grows. */
    for (uint64_t t = 0; t < 100000; t += 11) {
        CHECK_LE(time_us_to_ticks(time_ticks_to_us(t, QEMU_VIRT_HZ), QEMU_VIRT_HZ), t);
    }
}

TEST(saturation)
{
    CHECK_EQ(time_us_to_ticks(UINT64_MAX, QEMU_VIRT_HZ), UINT64_MAX);
    CHECK_EQ(time_us_to_ticks(UINT64_MAX, ONE_GHZ), UINT64_MAX);
    /* Largest us whose tick count fits 64 bits at 62.5 MHz, and the next one. */
    CHECK_EQ(time_us_to_ticks(295147905179352825ull, QEMU_VIRT_HZ), 18446744073709551562ull);
    CHECK_EQ(time_us_to_ticks(295147905179352826ull, QEMU_VIRT_HZ), UINT64_MAX);
    CHECK_EQ(time_ticks_to_us(UINT64_MAX, QEMU_VIRT_HZ), 295147905179352825ull);
    CHECK_EQ(time_ticks_to_us(UINT64_MAX, ONE_GHZ), 18446744073709551ull);
    CHECK_EQ(time_ticks_to_us(UINT64_MAX, RPI_HZ), 960767920505705813ull);
    /* At 1 Hz a second is a tick, so many ticks are more microseconds than 64 bits hold. */
    CHECK_EQ(time_ticks_to_us(UINT64_MAX, 1), UINT64_MAX);
    CHECK_EQ(time_us_to_ticks(UINT64_MAX, 1), 18446744073709ull);
    CHECK_EQ(time_us_to_ticks(1, UINT64_MAX), 18446744073709ull);
    /* At 2 MHz, 2^63 us is exactly 2^64 ticks: the first count that does not fit. */
    CHECK_EQ(time_us_to_ticks(1ull << 63, 2 * TIME_US_PER_S), UINT64_MAX);
    CHECK_EQ(time_us_to_ticks((1ull << 63) - 1, 2 * TIME_US_PER_S), UINT64_MAX - 1);
}

TEST(zero_frequency)
{
    CHECK_EQ(time_us_to_ticks(1000, 0), 0);
    CHECK_EQ(time_ticks_to_us(1000, 0), 0);
    CHECK_EQ(time_ticks_to_us(UINT64_MAX, 0), 0);
    CHECK_EQ(time_max_us(0), 0);
}

TEST(max_us_boundary)
{
    static const struct {
        uint64_t hz;
        uint64_t max_us;
        uint64_t ticks_at_max;
    } cases[] = {
        {QEMU_VIRT_HZ, 147573952589676412ull, 9223372036854775750ull},
        {ONE_GHZ, 9223372036854775ull, 9223372036854775000ull},
        {RPI_HZ, 480383960252852906ull, 9223372036854775795ull},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t max = time_max_us(cases[i].hz);
        CHECK_EQ(max, cases[i].max_us);
        CHECK_EQ(time_us_to_ticks(max, cases[i].hz), cases[i].ticks_at_max);
        CHECK_LE(time_us_to_ticks(max, cases[i].hz), TIME_MAX_TICKS);
        CHECK_LT(TIME_MAX_TICKS, time_us_to_ticks(max + 1, cases[i].hz));
    }
    /* Frequencies dividing 2^63 * 10^6 put a tick count of exactly 2^63 at a whole us. */
    CHECK_EQ(time_max_us(TIME_US_PER_S), TIME_MAX_TICKS);
    CHECK_EQ(time_us_to_ticks(TIME_MAX_TICKS + 1, TIME_US_PER_S), TIME_MAX_TICKS + 1);
    CHECK_EQ(time_max_us(1ull << 20), (1ull << 49) * 15625 - 1);
    /* Below 500 kHz every uint64_t us fits in 63 bits of ticks. */
    CHECK_EQ(time_max_us(1), UINT64_MAX);
    CHECK_LE(time_us_to_ticks(UINT64_MAX, 1), TIME_MAX_TICKS);
}

/* xorshift64: deterministic pseudo-random inputs for the property test below. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

TEST(matches_native_128bit_division)
{
    /* The host has libgcc's 128-bit divide; the module must agree with it everywhere. */
    uint64_t state = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000; i++) {
        uint64_t a = next_random(&state) >> (next_random(&state) % 64);
        uint64_t f = (next_random(&state) >> (next_random(&state) % 64)) | 1;
        unsigned __int128 t = (unsigned __int128)a * f / TIME_US_PER_S;
        unsigned __int128 u = (unsigned __int128)a * TIME_US_PER_S / f;
        CHECK_EQ(time_us_to_ticks(a, f), t > UINT64_MAX ? UINT64_MAX : (uint64_t)t);
        CHECK_EQ(time_ticks_to_us(a, f), u > UINT64_MAX ? UINT64_MAX : (uint64_t)u);
    }
}
