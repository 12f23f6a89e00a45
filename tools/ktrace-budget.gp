# Draws each scheduling context's remaining head-refill budget over time from a converted event
# log (build/host/ktrace, docs/tracing.md): one panel per context, titled "threads: budget X
# ms, period Y ms"; the budget falls while a thread runs on the context, drops to 0 when it is
# exhausted and jumps back at each refill; the dashed line is the configured budget.
# Usage: gnuplot -e "dir='OUT'; fmt='png'" tools/ktrace-budget.gp   (fmt 'png' or 'svg')
# Reads OUT/labels.gp and OUT/budget.csv; writes OUT/budget.png or OUT/budget.svg.
# Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'; fmt='png'\" tools/ktrace-budget.gp   (fmt: png or svg)"
    exit status 2
}
if (!exists("fmt")) {
    fmt = "png"
}
if (fmt ne "png" && fmt ne "svg") {
    print "ktrace-budget.gp: fmt must be 'png' or 'svg', not '" . fmt . "'"
    exit status 2
}
load dir . "/labels.gp"

panels = nsc > 0 ? nsc : 1
width = 1400
height = 80 + 230 * panels
if (fmt eq "svg") {
    set terminal svg size width,height dynamic noenhanced font "sans,11" background "white"
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size width,height noenhanced font "sans,10"
    } else {
        set terminal png size width,height noenhanced
    }
}
set output dir . "/budget." . fmt

set datafile separator comma
set datafile columnheaders
budget = dir . "/budget.csv"
blue = "#1f77b4"
ms(us) = us / 1000.0
# budget.csv is sorted by context, so one context's points are consecutive and `with lines`
# joins only them; two points at one time draw a jump.
on(id, v) = column("sc") == id ? v : NaN

set xrange [0:(length_us > 0 ? ms(length_us) : 1)]
set xlabel "time (ms)"
set ylabel "remaining (µs)"
set grid
set key top right
# Room above the budget line, so it does not hide under the border.
headroom = 1.12

set multiplot layout panels,1 title title
if (nsc == 0) {
    set title "no scheduling context in the log"
    set yrange [0:1]
    plot NaN notitle
}
do for [w in sc_ids] {
    id = int(w)
    b = value(sprintf("sc_budget_us_%d", id))
    set title value(sprintf("sc_title_%d", id))
    if (b > 0) {
        set yrange [0:b * headroom]
    } else {
        set autoscale y
    }
    plot budget using (on(id, ms(column("time_us")))):(on(id, column("remaining_us"))) \
            with lines lw 1.5 lc rgb blue title "remaining budget", \
         (b > 0 ? b : NaN) with lines dt 2 lc rgb "gray" title "budget"
}
unset multiplot
