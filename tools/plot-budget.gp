# Plots the budget benchmark (bench/budget, `make bench`; docs/benchmarks.md) as one PNG.
# Usage: gnuplot -c tools/plot-budget.gp SUMMARY.csv PERIODS.csv OUT.png
#   SUMMARY.csv  tools/bench2csv.py --select kind=summary  (one row per configuration)
#   PERIODS.csv  tools/bench2csv.py --select kind=period   (one row per period window)
# Top: time executed in each period window, as a percentage of the budget (each dot one
# window, left to right in time). Bottom: the worst overrun, the most executed in any
# window of one period minus the budget, in microseconds. Blue ("NoFlag"): without
# seL4_SchedContext_Sporadic; orange ("Sporadic"): with it. Uses pngcairo, or png when
# gnuplot lacks it.

if (ARGC < 3) {
    print "usage: gnuplot -c tools/plot-budget.gp SUMMARY.csv PERIODS.csv OUT.png"
    exit status 2
}
summary = ARG1
periods = ARG2
out = ARG3

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1200,900 font "sans,10"
} else {
    set terminal png size 1200,900
}
set output out
set datafile separator comma
set datafile columnheaders

stats summary using (column("config")) nooutput
n = int(STATS_max) + 1
# One x tic per configuration, labelled "budget/period": collected in a first pass.
tics = ""
set table $discard
plot summary using (column("sporadic") == 0 ? tics = tics . sprintf('"%s" %d,', \
    stringcolumn("label"), int(column("config"))) : 0, column("config")):(column("config")) \
    with points
unset table
eval "set xtics (" . tics[1:strlen(tics) - 1] . ")"
offset(s) = s != 0 ? 0.18 : -0.18
spread(k, m) = m > 1 ? (k / (m - 1.0) - 0.5) * 0.3 : 0
blue = "#1f77b4"
orange = "#ff7f0e"

set multiplot layout 2,1 \
    title "Kairos budget enforcement: one spinning thread per scheduling context (QEMU icount)"
set xrange [-0.6:n - 0.4]
set grid ytics
set key tmargin right horizontal
set xtics scale 0

set title "Executed per period window (% of budget)"
set ylabel "% of budget"
plot periods using (column("sporadic") == 0 ? column("config") + offset(0) + \
        spread(column("k"), column("periods")) : NaN):(100.0 * column("exec_us") / \
        column("budget_us")) with points pt 7 ps 0.6 lc rgb blue title "NoFlag", \
     periods using (column("sporadic") == 1 ? column("config") + offset(1) + \
        spread(column("k"), column("periods")) : NaN):(100.0 * column("exec_us") / \
        column("budget_us")) with points pt 7 ps 0.6 lc rgb orange title "Sporadic", \
     100 with lines dt 2 lc rgb "gray" notitle

set title "Worst overrun: max executed in any window of one period, minus the budget"
set ylabel "µs"
set xlabel "budget / period"
set offsets 0, 0, graph 0.12, graph 0.12
set style fill solid 0.8 noborder
set boxwidth 0.34
plot summary using (column("sporadic") == 0 ? column("config") + offset(0) : NaN): \
        (column("worst_overrun_us")) with boxes lc rgb blue title "NoFlag", \
     summary using (column("sporadic") == 1 ? column("config") + offset(1) : NaN): \
        (column("worst_overrun_us")) with boxes lc rgb orange title "Sporadic", \
     summary using (column("config") + offset(column("sporadic"))): \
        (column("worst_overrun_us")):(sprintf("%.3f", column("worst_overrun_us"))) \
        with labels offset 0,0.7 font ",8" notitle, \
     0 with lines lc rgb "black" notitle
unset multiplot
