/* The running test's name and first failure, shared by every root task that runs systest
 * code (tests/system/main.c, the domain tests, tests/invariants). */
#include <stdarg.h>

#include "systest.h"

const char *systest_current = "";
static bool current_failed;
static char failure[256];

void systest_begin(const char *name)
{
    systest_current = name;
    current_failed = false;
}

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

const char *systest_failure(void)
{
    return current_failed ? failure : "";
}
