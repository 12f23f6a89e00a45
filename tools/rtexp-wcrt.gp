# Draws each task's observed worst-case response time against its RTA-with-overheads bound
# from `rtexp merge`'s wcrt.csv (make experiment, docs/experiments.md), log-log in ms, one
# point per task of the RTA sets that ran. The bound holds on and below the line y = x; a
# task outside [rta, rta_ovh] is drawn in red. Tasks RTA finds unschedulable have no bound and
# are not drawn.
# Usage: gnuplot -e "dir='OUT'" tools/rtexp-wcrt.gp   (optional: title='...')
# Reads OUT/wcrt.csv; writes OUT/wcrt.png. Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'\" tools/rtexp-wcrt.gp"
    exit status 2
}
if (!exists("title")) {
    title = "Observed worst response time against the RTA bound: " . dir
}
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 800,800 noenhanced font "sans,11"
} else {
    set terminal png size 800,800 noenhanced
}
set output dir . "/wcrt.png"

set datafile separator comma
set datafile columnheaders
wcrt = dir . "/wcrt.csv"
ms(ns) = ns / 1e6
# Rows with a bound, split by whether the observation lies in [rta, rta_ovh].
within(v) = column("within") == 1 ? v : NaN
outside(v) = column("within") == 0 ? v : NaN

# No task with a bound (no RTA set ran, or none was schedulable): an empty frame says so.
stats wcrt using "rta_ovh_ns" nooutput
if (!exists("STATS_records") || STATS_records == 0) {
    set label 1 "no task of a set that ran has an RTA bound" at graph 0.5, graph 0.5 center
    set xrange [0.01:100]
    set yrange [0.01:100]
}

set title title
set xlabel "RTA-with-overheads bound (ms)"
set ylabel "observed worst response time (ms)"
set logscale xy
set size square
set grid
set key top left box opaque
set format x "%g"
set format y "%g"

plot wcrt using (within(ms(column("rta_ovh_ns")))):(ms(column("wcrt_ns"))) with points \
        pt 7 ps 0.6 lc rgb "#1f77b4" title "in [rta, rta_ovh]", \
     '' using (outside(ms(column("rta_ovh_ns")))):(ms(column("wcrt_ns"))) with points \
        pt 7 ps 0.9 lc rgb "#d62728" title "outside [rta, rta_ovh]", \
     x with lines lw 1.5 dt 2 lc rgb "black" title "y = x (the bound)"
