/* The system test root task: runs every registered test once, in link order, and prints
 * SUITE/PASS/FAIL lines; exits with the number of failures as QEMU's status. */
#include <kairos/debug.h>

#include "systest.h"

extern const struct systest __start_systests[], __stop_systests[];

int main(void)
{
    int count = (int)(__stop_systests - __start_systests);
    int failures = 0;
    printf("SUITE systest %d\n", count);
    for (const struct systest *t = __start_systests; t < __stop_systests; t++) {
        systest_begin(t->name);
        t->run();
        if (systest_failed()) {
            failures++;
            printf("FAIL %s: %s\n", t->name, systest_failure());
        } else {
            printf("PASS %s\n", t->name);
        }
    }
    printf("systest: %d of %d failed\n", failures, count);
    return failures;
}
