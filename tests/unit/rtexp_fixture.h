/* What the rtexp tests share: a small experiment definition and its parser call. Included
 * once per test binary, after check.h. */
#ifndef TESTS_UNIT_RTEXP_FIXTURE_H
#define TESTS_UNIT_RTEXP_FIXTURE_H

#include <string.h>

#include "exp_file.h"

#define ERR_LEN 512

/* 5 points x 4 sets, then 2 factors x 3 base sets x 2 = 32 sets. */
static const char quick_def[] =
    "{\"name\":\"t\",\"tasks\":3,\"u_min\":0.2,\"u_max\":1.0,\"u_step\":0.2,"
    "\"sets_per_point\":4,\"period_min_ms\":1,\"period_max_ms\":20,\"run_periods\":1,"
    "\"seed\":1,\"overrun_factors\":[2,3],\"isolation_sets\":3,\"isolation_u\":0.6}";

static bool parse_def(const char *text, struct exp_def *def, char *err)
{
    return exp_parse(text, strlen(text), "x.json", def, err, ERR_LEN);
}

#endif
