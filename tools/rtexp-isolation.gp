# Draws the isolation experiment from `rtexp merge`'s isolation.csv (make experiment,
# docs/experiments.md): one task of each set runs factor x its C; the miss ratio of the other
# tasks (their misses over their jobs) against the factor, with budgets enforced and with
# budget = period. Enforcement should hold the enforced line at 0.
# Usage: gnuplot -e "dir='OUT'" tools/rtexp-isolation.gp   (optional: title='...')
# Reads OUT/isolation.csv; writes OUT/isolation.png, or nothing (exit 0) when the experiment
# had no isolation sets. Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'\" tools/rtexp-isolation.gp"
    exit status 2
}
if (!exists("title")) {
    title = "Isolation: other tasks' misses when one task overruns: " . dir
}
set datafile separator comma
set datafile columnheaders
isolation = dir . "/isolation.csv"

# The header alone means no isolation sets (stats then warns and defines nothing).
stats isolation using "factor" nooutput
if (!exists("STATS_records") || STATS_records == 0) {
    print "rtexp-isolation.gp: " . isolation . " has no rows: no isolation.png"
    exit
}
factor_min = STATS_min
factor_max = STATS_max

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1000,650 noenhanced font "sans,11"
} else {
    set terminal png size 1000,650 noenhanced
}
set output dir . "/isolation.png"

enforced(v) = column("enforce") == 1 ? v : NaN
unenforced(v) = column("enforce") == 0 ? v : NaN

set title title
set xlabel "overrun factor (the overrunning task runs factor x C)"
set ylabel "miss ratio of the other tasks"
pad = factor_max > factor_min ? 0.1 * (factor_max - factor_min) : 0.5
set xrange [factor_min - pad:factor_max + pad]
set xtics 1
set yrange [-0.02:*]
set grid
set key top left box opaque

plot isolation using (enforced(column("factor"))):"other_miss_ratio" with linespoints lw 2 \
        pt 7 lc rgb "#1f77b4" title "budgets enforced (C + overheads)", \
     '' using (unenforced(column("factor"))):"other_miss_ratio" with linespoints lw 2 pt 5 \
        lc rgb "#d62728" title "budget = period (no enforcement)"
