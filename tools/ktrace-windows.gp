# Draws each scheduling context's consumption per one-period window from a converted event log
# (build/host/ktrace, docs/tracing.md): for every run's start, the time threads ran on the
# context in [start, start + period), against its budget (dashed). A point above the line is a
# window in which the context got more than its budget.
# Usage: gnuplot -e "dir='OUT'; fmt='png'" tools/ktrace-windows.gp   (fmt 'png' or 'svg')
# Reads OUT/labels.gp and OUT/windows.csv; writes OUT/windows.png or OUT/windows.svg.
# Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'; fmt='png'\" tools/ktrace-windows.gp   (fmt: png or svg)"
    exit status 2
}
if (!exists("fmt")) {
    fmt = "png"
}
if (fmt ne "png" && fmt ne "svg") {
    print "ktrace-windows.gp: fmt must be 'png' or 'svg', not '" . fmt . "'"
    exit status 2
}
load dir . "/labels.gp"

panels = nwindow_sc > 0 ? nwindow_sc : 1
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
set output dir . "/windows." . fmt

set datafile separator comma
set datafile columnheaders
windows = dir . "/windows.csv"
blue = "#1f77b4"
red = "#d62728"
ms(us) = us / 1000.0
on(id, v) = column("sc") == id ? v : NaN
# Windows over the budget in red; the 0.5 µs slack absorbs the three-decimal rounding.
over(id, b, v) = column("sc") == id && column("consumed_us") > b + 0.0005 ? v : NaN
under(id, b, v) = column("sc") == id && column("consumed_us") <= b + 0.0005 ? v : NaN

set xrange [0:(length_us > 0 ? ms(length_us) : 1)]
set xlabel "window start (ms)"
set ylabel "consumed in window (µs)"
set grid
set key top right
# Room above the budget line and the highest window.
headroom = 1.15

set multiplot layout panels,1 title title
if (nwindow_sc == 0) {
    set title "no scheduling context with a period in the log"
    set yrange [0:1]
    plot NaN notitle
}
do for [w in window_sc_ids] {
    id = int(w)
    b = value(sprintf("sc_budget_us_%d", id))
    m = value(sprintf("sc_max_window_us_%d", id))
    top = (m > b ? m : b)
    set title value(sprintf("sc_title_%d", id)) . sprintf("; most in one window: %.3f ms", m / 1000.0)
    set yrange [0:(top > 0 ? top * headroom : 1)]
    plot windows using (under(id, b, ms(column("window_start_us")))): \
            (under(id, b, column("consumed_us"))) with impulses lw 2 lc rgb blue \
            title "within budget", \
         windows using (over(id, b, ms(column("window_start_us")))): \
            (over(id, b, column("consumed_us"))) with impulses lw 2 lc rgb red \
            title "over budget", \
         b with lines dt 2 lc rgb "gray" title "budget"
}
unset multiplot
