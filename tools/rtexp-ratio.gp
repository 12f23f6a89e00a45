# Draws the schedulability ratio against total utilisation from `rtexp merge`'s summary.csv
# (make experiment, docs/experiments.md): the fraction of the task sets at each utilisation
# that met every deadline under QEMU, that exact RTA calls schedulable without and with the
# kernel's measured overheads, and that pass the Liu & Layland and hyperbolic bounds.
# Usage: gnuplot -e "dir='OUT'" tools/rtexp-ratio.gp   (optional: title='...')
# Reads OUT/summary.csv; writes OUT/ratio.png. Uses pngcairo, or png when gnuplot lacks it.

if (!exists("dir")) {
    print "usage: gnuplot -e \"dir='OUT'\" tools/rtexp-ratio.gp"
    exit status 2
}
if (!exists("title")) {
    title = "Schedulability ratio: " . dir
}
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1000,650 noenhanced font "sans,11"
} else {
    set terminal png size 1000,650 noenhanced
}
set output dir . "/ratio.png"

set datafile separator comma
set datafile columnheaders
summary = dir . "/summary.csv"

# The x range from the points themselves (always present), so the frame is drawn even when no
# set ran and every ratio is empty.
stats summary using "u" nooutput
u_max = exists("STATS_records") && STATS_records > 0 ? STATS_max : 1
if (exists("STATS_records") && STATS_records > 0) {
    ran = 0
    stats summary using (ran = ran + column("sets") - column("failed"), 0) nooutput
    if (ran == 0) {
        set label 1 "no set ran: see agreement.txt" at graph 0.5, graph 0.5 center
    }
}

set title title
set xlabel "total utilisation U"
set ylabel "schedulable fraction of the sets that ran"
set yrange [-0.03:1.03]
set xrange [0:u_max * 1.02]
set grid
set key bottom left box opaque

# Observed and RTA with overheads should coincide: the observed curve is drawn wide and
# underneath, so the analysis' line stays visible on top of it.
plot summary using "u":"observed_ratio" with linespoints lw 6 pt 7 ps 1.3 \
        lc rgb "#9ecae1" title "observed (QEMU)", \
     '' using "u":"rta_ovh_ratio" with linespoints lw 2 pt 6 lc rgb "#08519c" \
        title "RTA with overheads", \
     '' using "u":"rta_ratio" with linespoints lw 1.5 dt 2 pt 4 lc rgb "#d62728" title "RTA", \
     '' using "u":"hyperbolic_ratio" with linespoints lw 1.5 dt 3 pt 8 lc rgb "#2ca02c" \
        title "hyperbolic bound", \
     '' using "u":"ll_ratio" with linespoints lw 1.5 dt 4 pt 12 lc rgb "#9467bd" \
        title "Liu & Layland bound"
