/* Tiny host unit-test harness: TEST() registers a case, CHECK*() record its first failure with
 * file:line and values, main() prints "PASS unit/<suite>/<case>" or "FAIL ...: why" per case. */
#ifndef KAIROS_TESTS_UNIT_CHECK_H
#define KAIROS_TESTS_UNIT_CHECK_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CHECK_SUITE
#error "define CHECK_SUITE (the test binary's name, e.g. \"elf\") before including check.h"
#endif

#define CHECK_MAX_CASES   256
#define CHECK_REASON_MAX  512
#define CHECK_TIMEOUT_S   60    /* per case; a parser that loops forever must not hang make */
#define CHECK_EXIT_FAILED 3     /* case failed and printed its line; sanitizers exit with 1 */

struct check_case {
    const char *name;
    void (*fn)(void);
};

/* One test binary includes this header exactly once, so file-scope state is per binary. */
static struct check_case check_cases[CHECK_MAX_CASES];
static int check_case_count;
static int check_failed;            /* the current case has failed */
static char check_reason[CHECK_REASON_MAX];

static void check_register(const char *name, void (*fn)(void))
{
    if (check_case_count >= CHECK_MAX_CASES) {
        fprintf(stderr, "check.h: more than %d test cases; raise CHECK_MAX_CASES\n",
                CHECK_MAX_CASES);
        exit(2);
    }
    check_cases[check_case_count].name = name;
    check_cases[check_case_count].fn = fn;
    check_case_count++;
}

/* Keep the first failure of a case: later ones are usually its consequences. */
__attribute__((format(printf, 3, 4)))
static void check_fail(const char *file, int line, const char *fmt, ...)
{
    if (check_failed) {
        return;
    }
    check_failed = 1;
    int n = snprintf(check_reason, sizeof(check_reason), "%s:%d: ", file, line);
    if (n < 0 || (size_t)n >= sizeof(check_reason)) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(check_reason + n, sizeof(check_reason) - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Defines and registers a test case; the body follows as a function body. */
#define TEST(name)                                                                          \
    static void test_##name(void);                                                          \
    __attribute__((constructor)) static void check_register_##name(void)                    \
    {                                                                                       \
        check_register(#name, test_##name);                                                 \
    }                                                                                       \
    static void test_##name(void)

/* Each CHECK returns from the enclosing void function on failure. */
#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            check_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                             \
            return;                                                                         \
        }                                                                                   \
    } while (0)

/* Integer comparisons: both sides converted to 64 bits, shown signed and in hex. */
#define CHECK_CMP_(a, op, b)                                                                \
    do {                                                                                    \
        unsigned long long check_a_ = (unsigned long long)(a);                              \
        unsigned long long check_b_ = (unsigned long long)(b);                              \
        if (!(check_a_ op check_b_)) {                                                      \
            check_fail(__FILE__, __LINE__, "%s %s %s: %lld (0x%llx) vs %lld (0x%llx)", #a,  \
                       #op, #b, (long long)check_a_, check_a_, (long long)check_b_,         \
                       check_b_);                                                           \
            return;                                                                         \
        }                                                                                   \
    } while (0)

#define CHECK_EQ(a, b) CHECK_CMP_(a, ==, b)
#define CHECK_NE(a, b) CHECK_CMP_(a, !=, b)
#define CHECK_LE(a, b) CHECK_CMP_(a, <=, b)   /* unsigned comparison */
#define CHECK_LT(a, b) CHECK_CMP_(a, <, b)    /* unsigned comparison */

#define CHECK_PTR_EQ(a, b)                                                                  \
    do {                                                                                    \
        const void *check_pa_ = (a);                                                        \
        const void *check_pb_ = (b);                                                        \
        if (check_pa_ != check_pb_) {                                                       \
            check_fail(__FILE__, __LINE__, "%s == %s: %p vs %p", #a, #b, check_pa_,         \
                       check_pb_);                                                          \
            return;                                                                         \
        }                                                                                   \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                  \
    do {                                                                                    \
        const char *check_sa_ = (a);                                                        \
        const char *check_sb_ = (b);                                                        \
        if (check_sa_ == NULL || check_sb_ == NULL || strcmp(check_sa_, check_sb_) != 0) {  \
            check_fail(__FILE__, __LINE__, "%s == %s: \"%s\" vs \"%s\"", #a, #b,            \
                       check_sa_ ? check_sa_ : "(null)", check_sb_ ? check_sb_ : "(null)"); \
            return;                                                                         \
        }                                                                                   \
    } while (0)

/*
 * Each case runs in its own child process, so a crash, a sanitizer report or a hang in one
 * case is reported as that case's FAIL line and the remaining cases still run.
 */
static int check_run_case(int i)
{
    fflush(stdout);     /* nothing buffered may be printed twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL unit/%s/%s: fork failed\n", CHECK_SUITE, check_cases[i].name);
        return 1;
    }
    if (pid == 0) {
        alarm(CHECK_TIMEOUT_S);
        check_cases[i].fn();
        if (check_failed) {
            printf("FAIL unit/%s/%s: %s\n", CHECK_SUITE, check_cases[i].name, check_reason);
        } else {
            printf("PASS unit/%s/%s\n", CHECK_SUITE, check_cases[i].name);
        }
        fflush(stdout);
        _exit(check_failed ? CHECK_EXIT_FAILED : 0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            printf("FAIL unit/%s/%s: waitpid failed\n", CHECK_SUITE, check_cases[i].name);
            return 1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return 0;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHECK_EXIT_FAILED) {
        return 1;   /* the child printed its FAIL line */
    }
    if (WIFSIGNALED(status)) {
        printf("FAIL unit/%s/%s: killed by signal %d%s\n", CHECK_SUITE, check_cases[i].name,
               WTERMSIG(status), WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
    } else {
        printf("FAIL unit/%s/%s: died with status %d (sanitizer report on stderr?)\n",
               CHECK_SUITE, check_cases[i].name, WEXITSTATUS(status));
    }
    return 1;
}

int main(void)
{
    int failures = 0;
    for (int i = 0; i < check_case_count; i++) {
        failures += check_run_case(i);
    }
    fflush(stdout);
    return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* KAIROS_TESTS_UNIT_CHECK_H */
