/* The system test suite's small framework: tests register themselves with SYSTEST and
 * report through CHECK macros; main.c runs them all and prints one result line each
 * (the protocol tools/run-system-tests.py reads). */
#ifndef SYSTEST_H
#define SYSTEST_H

#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

struct systest {
    const char *name;
    void (*run)(void);
};

/* A test file that uses debug-kernel system calls (seL4_DebugCapIdentify, Kairos' debug
 * extensions) carries the comment "systest: needs a debug kernel"; the Makefile leaves
 * such files out of release-kernel builds. */

/* Registration through a linker section: __start_/__stop_systests bracket the table. */
#define SYSTEST(fn)                                                                     \
    static void fn(void);                                                               \
    static const struct systest systest_##fn                                            \
        __attribute__((used, section("systests"), aligned(sizeof(void *)))) = {#fn, fn}; \
    static void fn(void)

/* The name of the test that is running (report.c). */
extern const char *systest_current;

/* A test named `name` starts: no failure yet. */
void systest_begin(const char *name);
/* Records a failure of the running test with its reason (the first one is reported). */
void systest_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool systest_failed(void);
/* The first failure's reason ("file:line: what"), "" if none. */
const char *systest_failure(void);

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            systest_fail(__FILE__, __LINE__, "%s", #cond);                   \
        }                                                                    \
    } while (0)
#define CHECK_EQ(a, b)                                                                    \
    do {                                                                                  \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                  \
        if (a_ != b_) {                                                                   \
            systest_fail(__FILE__, __LINE__, "%s == %s (0x%lx vs 0x%lx)", #a, #b,        \
                         (unsigned long)a_, (unsigned long)b_);                           \
        }                                                                                 \
    } while (0)

/* Asks the runner to look for a console line (from the kernel, say) matching regex. */
#define EXPECT_CONSOLE(test, regex) printf("EXPECT %s %s\n", (test), (regex))

static inline uint64_t read_cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static inline uint64_t read_cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static inline uint64_t read_pmccntr(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v));
    return v;
}

#endif
