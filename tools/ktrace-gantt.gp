# Draws a converted event log (build/host/ktrace, docs/tracing.md) as a Gantt chart: one row
# per thread, top to bottom in id order, labelled "name (budget, period)"; green while running,
# grey while ready, orange while throttled (waiting for a refill), a faint line while blocked;
# marks for refills (release), budget exhaustion, timeout faults and other faults.
# Usage: gnuplot -e "dir='OUT'; fmt='png'" tools/ktrace-gantt.gp   (fmt 'png' or 'svg')
# Optional: to_ms=T (and from_ms=F) draws only [F, T] ms, a readable stretch of a long trace;
# name='x' writes OUT/x.<fmt> instead of OUT/gantt.<fmt>.
# Reads OUT/labels.gp, OUT/gantt.csv and OUT/marks.csv; writes OUT/gantt.png or OUT/gantt.svg.
# Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'; fmt='png'\" tools/ktrace-gantt.gp   (fmt: png or svg)"
    exit status 2
}
if (!exists("fmt")) {
    fmt = "png"
}
if (fmt ne "png" && fmt ne "svg") {
    print "ktrace-gantt.gp: fmt must be 'png' or 'svg', not '" . fmt . "'"
    exit status 2
}
if (!exists("name")) {
    name = "gantt"
}
load dir . "/labels.gp"

rows = nthreads > 0 ? nthreads : 1
width = 1400
height = 140 + 45 * rows
if (fmt eq "svg") {
    set terminal svg size width,height dynamic noenhanced font "sans,11" background "white"
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size width,height noenhanced font "sans,10"
    } else {
        set terminal png size width,height noenhanced
    }
}
set output dir . "/" . name . "." . fmt

set datafile separator comma
set datafile columnheaders
gantt = dir . "/gantt.csv"
marks = dir . "/marks.csv"

green = "#2ca02c"
grey = "#d0d0d0"
orange = "#ff7f0e"
faint = "#e8e8e8"
blue = "#1f77b4"
red = "#d62728"
purple = "#9467bd"
black = "#000000"

# Half-heights of the bars: running and throttled stand out, ready is thinner, blocked a line.
bar = 0.32
thin = 0.18
line = 0.03
# Marks sit just above their row's bar.
mark_y(row) = row - 0.42

ms(us) = us / 1000.0
mid(a, b) = (ms(a) + ms(b)) / 2
half(a, b) = (ms(b) - ms(a)) / 2
is(state) = strcol("state") eq state

set xlabel "time (ms)"
if (exists("to_ms")) {
    if (!exists("from_ms")) {
        from_ms = 0
    }
    set title sprintf("%s: %g ms to %g ms of %.0f ms", title, from_ms, to_ms, ms(length_us))
    set xrange [from_ms:to_ms]
} else {
    set title title
    set xrange [0:(length_us > 0 ? ms(length_us) : 1)]
}
set yrange [rows - 0.5:-0.6]
if (nthreads > 0) {
    eval "set ytics " . gantt_ytics
}
set ytics nomirror scale 0
set xtics nomirror
set grid xtics lc rgb "#f0f0f0"
set style fill solid 1.0 noborder
set key outside right top vertical Left reverse

plot gantt using (is("blocked") ? mid(column("start_us"), column("end_us")) : NaN): \
        (column("row")):(half(column("start_us"), column("end_us"))):(line) \
        with boxxyerror lc rgb faint title "blocked", \
     gantt using (is("ready") ? mid(column("start_us"), column("end_us")) : NaN): \
        (column("row")):(half(column("start_us"), column("end_us"))):(thin) \
        with boxxyerror lc rgb grey title "ready", \
     gantt using (is("throttled") ? mid(column("start_us"), column("end_us")) : NaN): \
        (column("row")):(half(column("start_us"), column("end_us"))):(bar) \
        with boxxyerror lc rgb orange title "throttled", \
     gantt using (is("running") ? mid(column("start_us"), column("end_us")) : NaN): \
        (column("row")):(half(column("start_us"), column("end_us"))):(bar) \
        with boxxyerror lc rgb green title "running", \
     marks using (strcol("event") eq "release" ? ms(column("time_us")) : NaN): \
        (mark_y(column("row"))) with points pt 9 ps 1.1 lc rgb blue title "release (refill)", \
     marks using (strcol("event") eq "exhausted" ? ms(column("time_us")) : NaN): \
        (mark_y(column("row"))) with points pt 11 ps 1.1 lc rgb red title "budget exhausted", \
     marks using (strcol("event") eq "timeout" ? ms(column("time_us")) : NaN): \
        (mark_y(column("row")) - 0.1) with points pt 3 ps 1.2 lc rgb purple title "timeout fault", \
     marks using (strcol("event") eq "fault" ? ms(column("time_us")) : NaN): \
        (mark_y(column("row"))) with points pt 7 ps 1.0 lc rgb black title "other fault"
