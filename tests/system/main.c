/* The system test root task: runs every registered test once, in link order, and prints
 * SUITE/PASS/FAIL lines; exits with the number of failures as QEMU's status. */
#include <kairos/debug.h>
#include <stdarg.h>

#include "systest.h"

extern const struct systest __start_systests[], __stop_systests[];

const char *systest_current = "";
static bool current_failed;
static char failure[256];

void systest_fail(const char *file, int line, const char *fmt, ...)
{
    if (current_failed) {
        return;
    }
    current_failed = true;
    int n = snprintf(failure, sizeof(failure), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure + n, sizeof(failure) - (size_t)n, fmt, ap);
    va_end(ap);
}

bool systest_failed(void)
{
    return current_failed;
}

int main(void)
{
    int count = (int)(__stop_systests - __start_systests);
    int failures = 0;
    printf("SUITE systest %d\n", count);
    for (const struct systest *t = __start_systests; t < __stop_systests; t++) {
        current_failed = false;
        systest_current = t->name;
        t->run();
        if (current_failed) {
            failures++;
            printf("FAIL %s: %s\n", t->name, failure);
        } else {
            printf("PASS %s\n", t->name);
        }
    }
    printf("systest: %d of %d failed\n", failures, count);
    return failures;
}
