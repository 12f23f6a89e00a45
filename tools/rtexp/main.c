/* rtexp: the schedulability experiments' host tool (`make experiment`, docs/experiments.md).
 * `gen` turns an experiment definition into task sets, their analysis and the batch files the
 * root task bench/rtexp runs; `merge` reads the runs' console logs back against the analysis. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../hostio.h"
#include "batch.h"
#include "exp_file.h"
#include "gen.h"
#include "merge.h"
#include "record_io.h"
#include "report.h"
#include "results.h"
#include "rta.h"

enum exit_status {
    EXIT_CLEAN = 0,
    EXIT_BROKEN = 1, /* merge: a set failed or an invariant broke */
    EXIT_USAGE = 2,  /* bad arguments or input, or a file that could not be read or written */
};

#define PATH_MAX_LEN 4096
#define ERR_MAX 512
#define MAX_JOBS 64u /* EXP_MAX_SETS / RTEXP_MAX_SETS: no experiment needs more batches */

/* merge's outputs, in the order written; gen removes them so that a new experiment never
 * shows an old one's results. */
enum merge_file { MF_RESULTS, MF_SUMMARY, MF_WCRT, MF_ISOLATION, MF_AGREEMENT, MF_COUNT };
static const char *const merge_outputs[MF_COUNT] = {
    "results.jsonl", "summary.csv", "wcrt.csv", "isolation.csv", "agreement.txt",
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: rtexp gen EXP.json -o DIR [--jobs N] [--overheads LOG]\n"
            "       rtexp merge DIR LOG...\n"
            "\n"
            "gen: generate the task sets of the experiment definition EXP.json (a flat JSON\n"
            "object, bench/experiments/*.json) and analyse them (RTA without and with the\n"
            "overheads of the {\"exp\":\"overheads\",...} line in the calibration console LOG;\n"
            "0 without --overheads). Writes DIR/sets.jsonl (one line per set: C, T, D,\n"
            "priorities, budgets, RTA bounds, verdicts), DIR/batch-K.bin for K in 0..N-1 (the\n"
            "struct rtexp_batch images for the root task, sets dealt round-robin) and\n"
            "DIR/experiment.txt; removes merge outputs and surplus batch files of an earlier\n"
            "run in DIR.\n"
            "  -o, --output DIR     folder to write into, made if missing\n"
            "  -j, --jobs N         number of batches (parallel QEMU runs); default: as few as\n"
            "                       hold the sets, %u in a batch\n"
            "      --overheads LOG  console log of the calibration run\n"
            "\n"
            "merge: read DIR/sets.jsonl and the console LOGs of the batches' runs and write\n"
            "  results.jsonl  sets.jsonl's fields plus per task jobs, misses, wcrt_ns,\n"
            "                 release_late_ns, max_window_ns, window_budget_ns; ok, failed,\n"
            "                 observed_sched\n"
            "  summary.csv    u,sets,failed,observed_ratio,rta_ratio,rta_ovh_ratio,ll_ratio,\n"
            "                 hyperbolic_ratio (RTA sets, ratios over the sets that ran)\n"
            "  wcrt.csv       set,task,prio,rta_ns,rta_ovh_ns,wcrt_ns,within,misses\n"
            "  isolation.csv  factor,enforce,sets,failed,other_jobs,other_misses,\n"
            "                 other_miss_ratio,sets_with_other_miss,window_sets,window_over\n"
            "  agreement.txt  the invariants' figures and every exception\n"
            "then print a summary and the paths written.\n"
            "\n"
            "Exit status: 0 done (merge: every set ran and every invariant holds); 1 merge: a\n"
            "set failed or an invariant broke; 2 usage error, bad input, or a file that could\n"
            "not be read or written.\n",
            RTEXP_MAX_SETS);
}

static void join(char *out, const char *dir, const char *name)
{
    snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name);
}

/* Closes f and says whether everything written to it reached the file. */
static bool close_ok(FILE *f, const char *path)
{
    bool ok = !ferror(f);
    ok &= fclose(f) == 0;
    if (!ok) {
        fprintf(stderr, "rtexp: %s: cannot write it\n", path);
    }
    return ok;
}

static FILE *create(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "rtexp: %s: %s\n", path, strerror(errno));
    }
    return f;
}

static bool load_overheads(const char *path, struct rta_overheads *ovh)
{
    size_t len;
    char *text = hostio_read_file(path, &len);
    if (text == NULL) {
        fprintf(stderr, "rtexp: %s: %s\n", path, strerror(errno));
        return false;
    }
    struct results_log log;
    results_parse_log(text, len, NULL, 0, 0, NULL, &log);
    free(text);
    if (!log.have_overheads) {
        fprintf(stderr, "rtexp: %s: no {\"exp\":\"overheads\",...} line\n", path);
        return false;
    }
    *ovh = log.ovh;
    return true;
}

static bool write_batches(const char *dir, const struct record_set *sets, uint32_t nsets,
                          uint32_t jobs)
{
    struct rtexp_batch *b = malloc(sizeof(*b));
    uint8_t *image = malloc(BATCH_IMAGE_SIZE);
    bool ok = b != NULL && image != NULL;
    char path[PATH_MAX_LEN];
    for (uint32_t k = 0; ok && k < jobs; k++) {
        char name[32];
        snprintf(name, sizeof(name), "batch-%u.bin", k);
        join(path, dir, name);
        batch_fill(b, sets, nsets, k);
        batch_encode(b, image);
        FILE *f = create(path);
        ok = f != NULL && fwrite(image, 1, BATCH_IMAGE_SIZE, f) == BATCH_IMAGE_SIZE;
        ok = f != NULL && close_ok(f, path) && ok;
        if (ok) {
            printf("%s\n", path);
        }
    }
    /* Batch files beyond N from an earlier, wider gen would otherwise be run too. */
    for (uint32_t k = jobs; ok; k++) {
        char name[32];
        snprintf(name, sizeof(name), "batch-%u.bin", k);
        join(path, dir, name);
        if (unlink(path) != 0) {
            break;
        }
    }
    free(b);
    free(image);
    return ok;
}

static int cmd_gen(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"overheads", required_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    const char *ovh_path = NULL;
    uint32_t jobs = 0; /* not given: as few batches as hold the sets */
    int c;
    while ((c = getopt_long(argc, argv, "o:j:h", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case 'j': {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v < 1 || v > MAX_JOBS) {
                fprintf(stderr, "rtexp: --jobs must be 1 to %u, not \"%s\"\n", MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            jobs = (uint32_t)v;
            break;
        }
        case 'v':
            ovh_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_CLEAN;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || dir == NULL || dir[0] == '\0') {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *exp_path = argv[optind];

    /* Everything is checked and generated before the first file is written. */
    static struct exp_def def;
    char err[ERR_MAX];
    if (!exp_load(exp_path, &def, err, sizeof(err))) {
        fprintf(stderr, "rtexp: %s\n", err);
        return EXIT_USAGE;
    }
    struct rta_overheads ovh = {0};
    if (ovh_path != NULL && !load_overheads(ovh_path, &ovh)) {
        return EXIT_USAGE;
    }
    if (ovh_path == NULL) {
        fprintf(stderr, "rtexp: no --overheads: overheads taken as 0, so RTA with overheads is "
                        "plain RTA and budgets are C\n");
    }
    struct record_set *sets;
    uint32_t nsets;
    if (!gen_experiment(&def, &ovh, &sets, &nsets, err, sizeof(err))) {
        fprintf(stderr, "rtexp: %s: %s\n", exp_path, err);
        return EXIT_USAGE;
    }
    for (uint32_t i = 0; i < nsets; i++) {
        batch_set_budgets(&sets[i], &ovh);
    }
    if (jobs == 0) {
        jobs = nsets / RTEXP_MAX_SETS + (nsets % RTEXP_MAX_SETS != 0);
    }
    if (!batch_assign(sets, nsets, jobs, err, sizeof(err))) {
        fprintf(stderr, "rtexp: %s: %s\n", exp_path, err);
        free(sets);
        return EXIT_USAGE;
    }

    int status = EXIT_USAGE;
    char path[PATH_MAX_LEN];
    if (!hostio_make_dirs(dir)) {
        fprintf(stderr, "rtexp: %s: cannot make the folder\n", dir);
        goto out;
    }
    for (int k = 0; k < MF_COUNT; k++) {
        join(path, dir, merge_outputs[k]);
        unlink(path);
    }
    join(path, dir, "sets.jsonl");
    FILE *f = create(path);
    if (f == NULL) {
        goto out;
    }
    for (uint32_t i = 0; i < nsets; i++) {
        record_write_line(f, &sets[i]);
    }
    if (!close_ok(f, path)) {
        goto out;
    }
    printf("%s\n", path);
    if (!write_batches(dir, sets, nsets, jobs)) {
        goto out;
    }
    join(path, dir, "experiment.txt");
    f = create(path);
    if (f == NULL) {
        goto out;
    }
    report_experiment(f, exp_path, &def, &ovh, ovh_path, sets, nsets, jobs);
    if (!close_ok(f, path)) {
        goto out;
    }
    printf("%s\n", path);
    status = EXIT_CLEAN;
out:
    free(sets);
    return status;
}

/* What merge's outputs are written from. */
struct merge_ctx {
    const struct record_set *recs;
    const struct results_set *res;
    uint32_t n;
    const struct merge_point *points;
    uint32_t npoints;
    const struct merge_isolation *groups;
    uint32_t ngroups;
    const struct merge_check *check;
    const struct results_log *logs;
    const char *const *log_names;
    uint32_t nlogs;
};

static void write_merge_file(FILE *f, enum merge_file which, const struct merge_ctx *m)
{
    switch (which) {
    case MF_RESULTS:
        report_results_jsonl(f, m->recs, m->res, m->n);
        break;
    case MF_SUMMARY:
        report_summary_csv(f, m->points, m->npoints);
        break;
    case MF_WCRT:
        report_wcrt_csv(f, m->recs, m->res, m->n);
        break;
    case MF_ISOLATION:
        report_isolation_csv(f, m->groups, m->ngroups);
        break;
    default:
        report_agreement(f, m->recs, m->res, m->n, m->check, m->logs, m->log_names, m->nlogs);
        break;
    }
}

static int cmd_merge(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (argc < 3) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *dir = argv[1];
    uint32_t nlogs = (uint32_t)(argc - 2);
    const char *const *log_names = (const char *const *)argv + 2;
    char path[PATH_MAX_LEN];
    char err[ERR_MAX];
    join(path, dir, "sets.jsonl");
    struct record_set *recs;
    uint32_t n;
    if (!record_read_file(path, &recs, &n, err, sizeof(err))) {
        fprintf(stderr, "rtexp: %s\n", err);
        return EXIT_USAGE;
    }
    struct results_set *res = calloc(n, sizeof(*res));
    struct results_log *logs = calloc(nlogs, sizeof(*logs));
    struct merge_point *points = calloc(n, sizeof(*points));
    struct merge_isolation *groups = calloc(n, sizeof(*groups));
    int status = EXIT_USAGE;
    if (res == NULL || logs == NULL || points == NULL || groups == NULL) {
        fprintf(stderr, "rtexp: out of memory\n");
        goto out;
    }
    uint32_t nbatches = 0;
    for (uint32_t i = 0; i < n; i++) {
        nbatches = recs[i].batch + 1 > nbatches ? recs[i].batch + 1 : nbatches;
    }
    if (nlogs != nbatches) {
        fprintf(stderr, "rtexp: note: %u logs for %u batches\n", nlogs, nbatches);
    }
    for (uint32_t k = 0; k < nlogs; k++) {
        size_t len;
        char *text = hostio_read_file(log_names[k], &len);
        if (text == NULL) {
            fprintf(stderr, "rtexp: %s: %s\n", log_names[k], strerror(errno));
            goto out;
        }
        results_parse_log(text, len, recs, n, k, res, &logs[k]);
        free(text);
        for (uint32_t p = 0; p < logs[k].problems && p < RESULTS_MAX_PROBLEMS; p++) {
            fprintf(stderr, "%s: %s\n", log_names[k], logs[k].problem[p]);
        }
    }
    struct merge_check check;
    merge_check(recs, res, n, &check);
    struct merge_ctx m = {
        .recs = recs,
        .res = res,
        .n = n,
        .points = points,
        .npoints = merge_points(recs, res, n, points, n),
        .groups = groups,
        .ngroups = merge_isolation(recs, res, n, groups, n),
        .check = &check,
        .logs = logs,
        .log_names = log_names,
        .nlogs = nlogs,
    };
    for (int k = 0; k < MF_COUNT; k++) {
        join(path, dir, merge_outputs[k]);
        FILE *f = create(path);
        if (f == NULL) {
            goto out;
        }
        write_merge_file(f, k, &m);
        if (!close_ok(f, path)) {
            goto out;
        }
    }
    report_human(stdout, &check);
    for (int k = 0; k < MF_COUNT; k++) {
        join(path, dir, merge_outputs[k]);
        printf("%s\n", path);
    }
    status = merge_holds(&check) ? EXIT_CLEAN : EXIT_BROKEN;
out:
    free(recs);
    free(res);
    free(logs);
    free(points);
    free(groups);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "gen") == 0) {
        return cmd_gen(argc - 1, argv + 1);
    }
    if (argc >= 2 && strcmp(argv[1], "merge") == 0) {
        return cmd_merge(argc - 1, argv + 1);
    }
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    usage(stderr);
    return EXIT_USAGE;
}
